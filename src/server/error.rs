//! [`AppError`]: every way a request can fail, with one status code each. Pages render it through `error.html`,
//! `/api` as `{ "error": "..." }` (through [`ApiError`]). Details are logged; the client gets a short public message.

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use super::api::ErrorJson;

/// A failed request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No document has the requested id.
    #[error("no document with id {0:?}")]
    DocumentNotFound(String),
    /// No route matches the path.
    #[error("no such page")]
    NotFound,
    /// The route exists but not for this method (every route is GET or HEAD).
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The path matches a route but its parameters cannot be read (e.g. percent-encoded bytes that are not UTF-8).
    #[error("bad path: {0}")]
    BadPath(#[from] axum::extract::rejection::PathRejection),
    /// A template failed to render.
    #[error("template rendering failed: {0}")]
    Render(#[from] askama::Error),
    /// A response failed to serialise.
    #[error("JSON serialisation failed: {0}")]
    Json(#[from] serde_json::Error),
    /// The task building a page did not finish (it panicked or was cancelled).
    #[error("page task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

impl AppError {
    /// The HTTP status of the error.
    pub fn status_code(&self) -> StatusCode {
        match self {
            AppError::DocumentNotFound(_) | AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::BadPath(_) => StatusCode::BAD_REQUEST,
            AppError::Render(_) | AppError::Json(_) | AppError::Task(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the client is told: no internals, and nothing of the request echoed back.
    pub fn public_message(&self) -> &'static str {
        match self {
            AppError::DocumentNotFound(_) => "There is no document with that id.",
            AppError::NotFound => "There is no page at this address.",
            AppError::MethodNotAllowed => "Only GET and HEAD requests are answered here.",
            AppError::BadPath(_) => "This address is not valid.",
            AppError::Render(_) | AppError::Json(_) | AppError::Task(_) => {
                "Something went wrong on the server; the details are in its log."
            }
        }
    }

    /// Log the error: server faults as errors, client mistakes at debug level.
    fn log(&self) {
        if self.status_code().is_server_error() {
            tracing::error!(error = %self, "request failed");
        } else {
            tracing::debug!(error = %self, "request failed");
        }
    }
}

/// The error page.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    status: u16,
    reason: &'static str,
    message: &'static str,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let status = self.status_code();
        let page = ErrorPage {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or("Error"),
            message: self.public_message(),
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(err) => {
                tracing::error!(error = %err, "error page failed to render");
                (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], self.public_message()).into_response()
            }
        }
    }
}

/// An [`AppError`] answered as JSON, for `/api`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(err: AppError) -> ApiError {
        ApiError(err)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let body = ErrorJson { error: self.0.public_message() };
        (self.0.status_code(), axum::Json(body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(AppError::DocumentNotFound("x".into()).status_code(), StatusCode::NOT_FOUND);
        assert_eq!(AppError::NotFound.status_code(), StatusCode::NOT_FOUND);
        let json_err = serde_json::from_str::<u8>("x").err().map(AppError::from);
        assert_eq!(json_err.map(|e| e.status_code()), Some(StatusCode::INTERNAL_SERVER_ERROR));
    }

    #[test]
    fn public_messages_do_not_echo_the_request() {
        let err = AppError::DocumentNotFound("<script>".into());
        assert!(!err.public_message().contains("<script>"));
    }
}
