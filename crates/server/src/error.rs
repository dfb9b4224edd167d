//! Every error the service answers with, as RFC 9457 problem+json.
//!
//! The status and the stable machine code of each error come from one
//! exhaustive `match` ([`ApiError::status_and_code`]) with no catch-all arm.
//! Every core error is a 422; its code and title come from the exhaustive
//! match in [`core_code_and_title`], which the sensitivity grid's per-cell
//! errors use too, so a new core error does not compile until it has them.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use infraval_api::batch::BatchError;
pub use infraval_api::json::BodyError;
use infraval_api::problem::{core_code_and_title, FieldProblem, Problem, PROBLEM_JSON};
use infraval_api::wire::FieldErrors;
use infraval_api::OperationError;
use infraval_core::CoreError;

/// An error answered to a client.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The core refused the input or failed.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// The body could not be parsed into the request type.
    #[error(transparent)]
    Body(#[from] BodyError),
    /// A batch as a whole is refused.
    #[error(transparent)]
    Batch(#[from] BatchError),
    /// A batch item names no operation.
    #[error("there is no operation `{operation}`; batch items name one of: {}", infraval_api::operations().iter().map(|op| op.id()).collect::<Vec<_>>().join(", "))]
    UnknownOperation {
        /// The id given.
        operation: String,
    },
    /// Fields out of their ranges, every one of them.
    #[error(transparent)]
    Fields(#[from] FieldErrors),
    /// No route has this path.
    #[error("no route matches `{path}`")]
    NotFound {
        /// The requested path.
        path: String,
    },
    /// The path exists but not with this method.
    #[error("`{path}` does not accept {method}; it accepts {}", .allowed.join(", "))]
    MethodNotAllowed {
        /// The requested path.
        path: String,
        /// The method used.
        method: String,
        /// The methods the path accepts.
        allowed: Vec<String>,
    },
    /// The `Accept` header names no media type the operation answers with.
    #[error("`Accept: {accept}` names none of the media types this operation answers with: {}", .offered.join(", "))]
    NotAcceptable {
        /// The `Accept` header sent.
        accept: String,
        /// The media types the operation answers with.
        offered: Vec<&'static str>,
    },
    /// `/v1/*` needs an API key and none (or a wrong one) was sent.
    #[error("a valid API key is required: send `Authorization: Bearer <key>`")]
    Unauthorized,
    /// More heavy work is waiting for the blocking pool than the server
    /// takes; the client should retry after `retry_after_secs`.
    #[error("the server has more heavy work waiting than it takes ({queued} of {limit} work units queued); retry after {retry_after_secs} s")]
    Overloaded {
        /// Work units already admitted and not finished.
        queued: u64,
        /// The configured limit, work units.
        limit: u64,
        /// Seconds to wait before retrying.
        retry_after_secs: u64,
    },
    /// A bug: the handler panicked. The detail is logged, never sent.
    #[error("an internal error occurred; it has been logged")]
    Internal,
}

impl From<OperationError> for ApiError {
    fn from(err: OperationError) -> Self {
        match err {
            OperationError::Body(body) => ApiError::Body(body),
            OperationError::Fields(fields) => ApiError::Fields(fields),
            OperationError::Core(core) => ApiError::Core(core),
            OperationError::Response(err) => {
                tracing::error!(error = %err, "a response failed to serialise; answering 500");
                ApiError::Internal
            }
        }
    }
}

impl ApiError {
    /// The HTTP status, the stable code and the title of this error.
    pub fn status_and_code(&self) -> (StatusCode, &'static str, &'static str) {
        use StatusCode as S;
        match self {
            ApiError::Core(core) => {
                let (code, title) = core_code_and_title(core);
                (S::UNPROCESSABLE_ENTITY, code, title)
            }
            ApiError::Fields(fields) => {
                let (code, title) = core_code_and_title(fields.first());
                (S::UNPROCESSABLE_ENTITY, code, title)
            }
            ApiError::Body(body) => match body {
                BodyError::UnsupportedMediaType { .. } => (
                    S::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "The body must be JSON",
                ),
                BodyError::TooLarge { .. } => (
                    S::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    "The body is too large",
                ),
                BodyError::Malformed { .. } => (
                    S::BAD_REQUEST,
                    "malformed_json",
                    "The body is not valid JSON",
                ),
                BodyError::Unreadable { .. } => (
                    S::BAD_REQUEST,
                    "unreadable_body",
                    "The body could not be read",
                ),
                BodyError::MissingField { .. } => (
                    S::UNPROCESSABLE_ENTITY,
                    "missing_field",
                    "A required field is missing",
                ),
                BodyError::UnknownField { .. } => (
                    S::UNPROCESSABLE_ENTITY,
                    "unknown_field",
                    "The body has an unknown field",
                ),
                BodyError::DuplicateField { .. } => (
                    S::UNPROCESSABLE_ENTITY,
                    "duplicate_field",
                    "A field is given twice",
                ),
                BodyError::NotAnObject { .. } | BodyError::InvalidType { .. } => (
                    S::UNPROCESSABLE_ENTITY,
                    "invalid_type",
                    "A field has the wrong type",
                ),
                BodyError::InvalidValue { .. } => (
                    S::UNPROCESSABLE_ENTITY,
                    "invalid_value",
                    "A field has an invalid value",
                ),
            },
            ApiError::Batch(batch) => match batch {
                BatchError::TooMany { .. } => (
                    S::UNPROCESSABLE_ENTITY,
                    "too_many_items",
                    "A list is over its cap",
                ),
                BatchError::NoItems => (S::UNPROCESSABLE_ENTITY, "empty_list", "A list is empty"),
                BatchError::Duplicate { .. } => (
                    S::UNPROCESSABLE_ENTITY,
                    "duplicate_id",
                    "An id or name is used twice",
                ),
                BatchError::ShockNotOne { .. } => (
                    S::UNPROCESSABLE_ENTITY,
                    "exactly_one_of",
                    "Give exactly one of the alternatives",
                ),
                BatchError::UnmatchedShock { .. } => (
                    S::UNPROCESSABLE_ENTITY,
                    "unmatched_shock",
                    "A shock matches no item",
                ),
                BatchError::TooMuchWork { .. } => (
                    S::UNPROCESSABLE_ENTITY,
                    "too_much_work",
                    "The batch asks for more work than one batch may",
                ),
            },
            ApiError::UnknownOperation { .. } => (
                S::UNPROCESSABLE_ENTITY,
                "unknown_operation",
                "No operation has this id",
            ),
            ApiError::NotFound { .. } => (S::NOT_FOUND, "not_found", "No such route"),
            ApiError::MethodNotAllowed { .. } => (
                S::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "The route does not accept this method",
            ),
            ApiError::NotAcceptable { .. } => (
                S::NOT_ACCEPTABLE,
                "not_acceptable",
                "No acceptable representation",
            ),
            ApiError::Unauthorized => (
                S::UNAUTHORIZED,
                "unauthorized",
                "A valid API key is required",
            ),
            ApiError::Overloaded { .. } => (
                S::SERVICE_UNAVAILABLE,
                "overloaded",
                "The server is busy; retry later",
            ),
            ApiError::Internal => (S::INTERNAL_SERVER_ERROR, "internal", "Internal error"),
        }
    }

    /// The field at fault, where a single field is.
    pub fn field(&self) -> Option<&str> {
        match self {
            ApiError::Core(core) => core.field(),
            ApiError::Fields(fields) => fields.first().field(),
            ApiError::Body(body) => body.field(),
            ApiError::Batch(batch) => Some(batch.field()),
            ApiError::UnknownOperation { .. } => Some("operation"),
            ApiError::NotFound { .. }
            | ApiError::MethodNotAllowed { .. }
            | ApiError::NotAcceptable { .. }
            | ApiError::Unauthorized
            | ApiError::Overloaded { .. }
            | ApiError::Internal => None,
        }
    }

    /// Every field at fault, each with its code and words.
    fn field_problems(&self) -> Vec<FieldProblem> {
        let of_core = |err: &CoreError| {
            err.field().map(|field| FieldProblem {
                field: field.to_owned(),
                code: core_code_and_title(err).0.to_owned(),
                detail: err.to_string(),
            })
        };
        match self {
            ApiError::Fields(fields) => fields.all().iter().filter_map(of_core).collect(),
            ApiError::Core(core) => of_core(core).into_iter().collect(),
            ApiError::Body(_) | ApiError::Batch(_) | ApiError::UnknownOperation { .. } => self
                .field()
                .map(|field| FieldProblem {
                    field: field.to_owned(),
                    code: self.status_and_code().1.to_owned(),
                    detail: self.to_string(),
                })
                .into_iter()
                .collect(),
            ApiError::NotFound { .. }
            | ApiError::MethodNotAllowed { .. }
            | ApiError::NotAcceptable { .. }
            | ApiError::Unauthorized
            | ApiError::Overloaded { .. }
            | ApiError::Internal => Vec::new(),
        }
    }

    /// The problem body of this error.
    pub fn problem(&self) -> Problem {
        let (status, code, title) = self.status_and_code();
        Problem {
            problem_type: format!("/problems/{code}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail: self.to_string(),
            code: code.to_owned(),
            field: self.field().map(str::to_owned),
            request_id: crate::telemetry::current_request_id(),
            errors: self.field_problems(),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status_and_code().0
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status_code());
        res.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        if let ApiError::Unauthorized = self {
            res.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
        }
        if let ApiError::Overloaded {
            retry_after_secs, ..
        } = self
        {
            res.insert_header((header::RETRY_AFTER, *retry_after_secs));
        }
        if let ApiError::MethodNotAllowed { allowed, .. } = self {
            if let Ok(value) = HeaderValue::from_str(&allowed.join(", ")) {
                res.insert_header((header::ALLOW, value));
            }
        }
        // A Problem always serialises: it is strings and a number.
        res.body(serde_json::to_vec(&self.problem()).unwrap_or_default())
    }
}
