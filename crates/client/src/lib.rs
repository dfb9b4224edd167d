//! A typed async client for the infraval HTTP API.
//!
//! One method per operation, taking and returning the `infraval-api` wire
//! types (re-exported as [`api`]), generated from the API's operation list
//! ([`infraval_api::for_each_operation`]); [`Client::call`] calls any
//! operation by its type. Errors separate transport failures from API problems, and an
//! API problem carries its parsed RFC 9457 body. `examples/quickstart.rs`
//! calls three operations.
//!
//! ```no_run
//! # async fn run() -> Result<(), infraval_client::ClientError> {
//! use infraval_client::api::colocation::ArrRequest;
//! use rust_decimal::Decimal;
//!
//! let client = infraval_client::Client::builder("http://127.0.0.1:8080")
//!     .api_key("my-key")
//!     .build()?;
//! let arr = client
//!     .colocation_arr(&ArrRequest {
//!         it_capacity_mw: Some(250.into()),
//!         rate_per_kw_month: Some(Decimal::new(13333, 2).into()),
//!         ..Default::default()
//!     })
//!     .await?;
//! println!("ARR: ${}", arr.arr);
//! # Ok(()) }
//! ```

use std::fmt;
use std::time::Duration;

pub use infraval_api as api;
use infraval_api::health::Health;
pub use infraval_api::provenance::Answered;
use infraval_api::{Operation, Problem};
use reqwest::header::{HeaderValue, AUTHORIZATION};
use reqwest::{RequestBuilder, StatusCode, Url};
use serde::de::DeserializeOwned;

/// The default whole-request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The base URL is not an absolute http(s) URL.
    #[error("invalid base URL `{url}`: {reason}")]
    InvalidBaseUrl {
        /// The URL given.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// The API key cannot be sent in an HTTP header: it holds a character
    /// other than visible ASCII and spaces. The key is not repeated here.
    #[error("the API key holds a character that cannot be sent in an HTTP header")]
    InvalidApiKey,
    /// The request never got an HTTP answer: connection, TLS, timeout.
    #[error("transport error: {0}")]
    Transport(#[from] reqwest::Error),
    /// The API answered with a problem (4xx or 5xx).
    #[error("the API answered {status}: {} ({})", .problem.detail, .problem.code)]
    Api {
        /// The HTTP status.
        status: StatusCode,
        /// The parsed problem body.
        problem: Box<Problem>,
    },
    /// The API answered something this client cannot read.
    #[error("unexpected response {status}: {reason}")]
    UnexpectedResponse {
        /// The HTTP status.
        status: StatusCode,
        /// What was wrong with it.
        reason: String,
    },
}

impl ClientError {
    /// The problem body, when the API answered with one.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            ClientError::Api { problem, .. } => Some(problem),
            _ => None,
        }
    }
}

/// A client of one infraval server.
#[derive(Debug, Clone)]
pub struct Client {
    base: Url,
    http: reqwest::Client,
    api_key: Option<ApiKey>,
}

/// An API key, ready to send as `Authorization: Bearer <key>`. Its `Debug`
/// never shows the key, and the header value is marked sensitive so that
/// `reqwest` and `http` never show it either.
#[derive(Clone)]
struct ApiKey(HeaderValue);

impl ApiKey {
    fn new(key: &str) -> Result<Self, ClientError> {
        let mut value = HeaderValue::from_str(&format!("Bearer {key}"))
            .map_err(|_| ClientError::InvalidApiKey)?;
        value.set_sensitive(true);
        Ok(ApiKey(value))
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// Builds a [`Client`] with an API key, a timeout or a caller-supplied
/// `reqwest::Client`.
#[derive(Debug)]
pub struct ClientBuilder {
    base_url: String,
    timeout: Duration,
    http: Option<reqwest::Client>,
    api_key: Option<Result<ApiKey, ClientError>>,
}

impl ClientBuilder {
    /// Sends `Authorization: Bearer <key>` with every request, for a server
    /// started with `--api-keys-file`. The key is never logged or shown by
    /// `Debug`.
    pub fn api_key(mut self, key: impl AsRef<str>) -> Self {
        self.api_key = Some(ApiKey::new(key.as_ref()));
        self
    }

    /// The whole-request timeout (default [`DEFAULT_TIMEOUT`]); ignored
    /// when a `reqwest::Client` is supplied, which carries its own.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Uses this `reqwest::Client` (for shared pools, proxies, headers).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, ClientError> {
        let invalid = |reason: String| ClientError::InvalidBaseUrl {
            url: self.base_url.clone(),
            reason,
        };
        let mut base = Url::parse(&self.base_url).map_err(|e| invalid(e.to_string()))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(invalid("the scheme must be http or https".to_owned()));
        }
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let api_key = self.api_key.transpose()?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder().timeout(self.timeout).build()?,
        };
        Ok(Client {
            base,
            http,
            api_key,
        })
    }
}

impl Client {
    /// A client of the server at `base_url`, e.g. `http://127.0.0.1:8080`.
    pub fn new(base_url: impl Into<String>) -> Result<Self, ClientError> {
        Self::builder(base_url).build()
    }

    /// A builder, for an API key, a timeout or a caller-supplied
    /// `reqwest::Client`.
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            timeout: DEFAULT_TIMEOUT,
            http: None,
            api_key: None,
        }
    }

    /// The server's base URL.
    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// `GET /health`: liveness.
    pub async fn health(&self) -> Result<Health, ClientError> {
        self.get("health").await
    }

    /// `GET /ready`: readiness.
    pub async fn ready(&self) -> Result<Health, ClientError> {
        self.get("ready").await
    }

    fn url(&self, path: &str) -> Result<Url, ClientError> {
        self.base
            .join(path.trim_start_matches('/'))
            .map_err(|e| ClientError::InvalidBaseUrl {
                url: self.base.to_string(),
                reason: e.to_string(),
            })
    }

    pub(crate) async fn get<Resp: DeserializeOwned>(
        &self,
        path: &str,
    ) -> Result<Resp, ClientError> {
        let request = self.http.get(self.url(path)?);
        read(self.authorize(request).send().await?).await
    }

    /// `POST /v1/batch`: many operations in one request, optionally under
    /// scenarios; each item's result has its own status.
    pub async fn batch(
        &self,
        request: &infraval_api::batch::BatchRequest,
    ) -> Result<infraval_api::batch::BatchResponse, ClientError> {
        let response = self
            .http
            .post(self.url(infraval_api::batch::PATH)?)
            .json(request)
            .send()
            .await?;
        read(response).await
    }

    /// Calls the operation `Op` (`POST` its path with `request`). The
    /// answer reads through to the operation's response (`answer.arr`) and
    /// carries its `meta` and `assumptions`.
    pub async fn call<Op: Operation>(
        &self,
        request: &Op::Request,
    ) -> Result<Answered<Op::Response>, ClientError> {
        let request = self.http.post(self.url(Op::PATH)?).json(request);
        read(self.authorize(request).send().await?).await
    }

    fn authorize(&self, request: RequestBuilder) -> RequestBuilder {
        match &self.api_key {
            Some(ApiKey(value)) => request.header(AUTHORIZATION, value.clone()),
            None => request,
        }
    }
}

/// One method per operation, named and documented as the operation list
/// names and documents it.
macro_rules! operation_methods {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident = $op:ident { $($declaration:tt)* }
    )*) => {
        impl Client {
            $(
                $(#[doc = $doc])*
                #[doc = ""]
                #[doc = concat!("Calls [`", stringify!($op), "`](infraval_api::operations::", stringify!($op), ").")]
                pub async fn $name(
                    &self,
                    request: &<infraval_api::operations::$op as Operation>::Request,
                ) -> Result<Answered<<infraval_api::operations::$op as Operation>::Response>, ClientError> {
                    self.call::<infraval_api::operations::$op>(request).await
                }
            )*
        }
    };
}

infraval_api::for_each_operation!(operation_methods);

async fn read<Resp: DeserializeOwned>(response: reqwest::Response) -> Result<Resp, ClientError> {
    let status = response.status();
    let bytes = response.bytes().await?;
    if status.is_success() {
        return serde_json::from_slice(&bytes).map_err(|e| ClientError::UnexpectedResponse {
            status,
            reason: format!("cannot decode the body: {e}"),
        });
    }
    match serde_json::from_slice::<Problem>(&bytes) {
        Ok(problem) => Err(ClientError::Api {
            status,
            problem: Box::new(problem),
        }),
        Err(_) => Err(ClientError::UnexpectedResponse {
            status,
            reason: String::from_utf8_lossy(&bytes).chars().take(512).collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_url_without_a_scheme_is_refused() {
        assert!(matches!(
            Client::new("localhost:8080"),
            Err(ClientError::InvalidBaseUrl { .. })
        ));
    }

    #[test]
    fn debug_never_shows_the_api_key() {
        let builder = Client::builder("http://127.0.0.1:8080").api_key("s3cret-key");
        assert!(
            !format!("{builder:?}").contains("s3cret-key"),
            "{builder:?}"
        );
        let client = builder.build().unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains("s3cret-key"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }

    #[test]
    fn an_api_key_that_cannot_be_a_header_is_refused_without_repeating_it() {
        let err = Client::builder("http://127.0.0.1:8080")
            .api_key("line\nbreak")
            .build()
            .unwrap_err();
        assert!(matches!(err, ClientError::InvalidApiKey));
        assert!(!err.to_string().contains("break"), "{err}");
    }

    #[test]
    fn paths_join_under_a_base_path() {
        let client = Client::new("http://example.test/infraval").unwrap();
        assert_eq!(
            client.url("/v1/colocation/arr").unwrap().as_str(),
            "http://example.test/infraval/v1/colocation/arr"
        );
    }
}
