use std::sync::Once;

use actix_web::dev::ServerHandle;
use infraval_server::auth::ApiKeys;
use infraval_server::config::{LogFormat, Settings};
use infraval_server::startup::Application;
use serde_json::Value;

/// A running app and the ways to call it.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    /// The typed client.
    pub client: infraval_client::Client,
    /// A raw HTTP client, for requests the typed client cannot make.
    pub http: reqwest::Client,
    /// Stops the server.
    pub handle: ServerHandle,
}

impl TestApp {
    /// POSTs raw bytes with a content type.
    pub async fn post_raw(
        &self,
        path: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.address))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("the request reaches the server")
    }

    /// POSTs a JSON value.
    pub async fn post_json(&self, path: &str, body: &Value) -> reqwest::Response {
        self.post_raw(path, "application/json", body.to_string())
            .await
    }

    /// The OpenAPI document the server serves at `/openapi.json`.
    pub async fn served_spec(&self) -> Value {
        let res = self
            .http
            .get(format!("{}/openapi.json", self.address))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        res.json().await.unwrap()
    }
}

static LOGS: Once = Once::new();

/// Starts the app on port 0 with the test settings.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(Settings::for_tests()).await
}

/// Starts the app on port 0 with the given settings.
pub async fn spawn_app_with(settings: Settings) -> TestApp {
    LOGS.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            // The guard lives for the whole test process.
            std::mem::forget(infraval_server::telemetry::init(
                Some(LogFormat::Pretty),
                infraval_server::telemetry::DEFAULT_LOG_BUFFER_LINES as usize,
            ));
        }
    });
    let app = Application::build(&settings).expect("the app binds a free port");
    let address = format!("http://127.0.0.1:{}", app.port());
    let handle = app.handle();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        client: infraval_client::Client::new(&address).expect("a valid base URL"),
        http: reqwest::Client::new(),
        address,
        handle,
    }
}

/// Starts the app on port 0 with one API key, given as the hex SHA-256
/// digest that the keys file would hold.
pub async fn spawn_app_with_api_key(key_sha256: &str) -> TestApp {
    spawn_app_with(Settings {
        api_keys: Some(ApiKeys::parse(key_sha256).expect("a hex SHA-256 digest")),
        ..Settings::for_tests()
    })
    .await
}

/// Reads a problem+json response, checking its status, media type and code.
pub async fn assert_problem(response: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status().as_u16(), status, "status");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.expect("a JSON problem body");
    assert_eq!(body["code"], code, "code in {body}");
    assert_eq!(body["status"], status, "status in {body}");
    assert_eq!(body["type"], format!("/problems/{code}"));
    assert!(
        body["title"].is_string() && body["detail"].is_string(),
        "{body}"
    );
    body
}

/// Sends raw bytes over a fresh connection and reads until the server
/// closes it (send `connection: close`).
pub async fn raw_http(address: &str, request: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.expect("connect");
    // The server may answer (413) and close before it has read everything.
    let _ = stream.write_all(request).await;
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response).await;
    String::from_utf8_lossy(&response).into_owned()
}
