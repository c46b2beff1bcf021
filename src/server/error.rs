//! [`AppError`]: every way a request can fail, with one status code each. Pages render it through `error.html`,
//! `/api` as `{ "error": … }` (through [`ApiError`]). Details are logged; the client gets a short public message
//! that echoes nothing of the request but what it must (a rejected file's own name, through the escaper).

use std::borrow::Cow;
use std::sync::Arc;

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::formats::lectern::ErrorJson;
use crate::ingest::IngestError;
use crate::ingest::link::FetchError;
use crate::store::StoreError;

/// A failed request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No document has the requested id (or the viewer's links do not open it).
    #[error("no document with id {0:?}")]
    DocumentNotFound(String),
    /// No share link has the requested id.
    #[error("no share link {0:?}")]
    ShareNotFound(String),
    /// No route matches the path.
    #[error("no such page")]
    NotFound,
    /// The route exists but not for this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The path matches a route but its parameters cannot be read (e.g. percent-encoded bytes that are not UTF-8).
    #[error("bad path: {0}")]
    BadPath(#[from] axum::extract::rejection::PathRejection),
    /// A viewer without a valid share link.
    #[error("no valid share link (revoked: {revoked})")]
    NoAccess {
        /// The machine's name, to say whom to ask.
        machine: Arc<str>,
        /// The viewer held a link that was revoked.
        revoked: bool,
    },
    /// A viewer tried to change something, and viewers may not.
    #[error("viewers may not change the library")]
    ReadOnly,
    /// Only the owner may do this (delete, manage share links, or write notes under `--notes owner`).
    #[error("only the owner may do this")]
    OwnerOnly,
    /// Notes and corrections are off (`--read-only`).
    #[error("notes and corrections are off")]
    ReviewOff,
    /// A note or correction that is someone else's to change.
    #[error("not the asker's to change")]
    NotYours,
    /// No note has the requested id.
    #[error("no such note")]
    NoteNotFound,
    /// No correction has the requested id.
    #[error("no such correction")]
    CorrectionNotFound,
    /// A request that is well formed but asks for something that cannot be done (the message says why).
    #[error("unprocessable: {0}")]
    Unprocessable(Cow<'static, str>),
    /// A state-changing request from another site's page.
    #[error("cross-site request refused")]
    CrossSite,
    /// A `Host` that is not this machine.
    #[error("foreign Host refused")]
    ForeignHost,
    /// A request body over the limit.
    #[error("request body over {limit} bytes")]
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// A body of a type the route does not take.
    #[error("unsupported media type {0:?}")]
    Unsupported(String),
    /// A form or body that cannot be read.
    #[error("bad request: {0}")]
    BadRequest(Cow<'static, str>),
    /// An uploaded document that cannot be read as text.
    #[error("{name}: {reason}")]
    Unreadable {
        /// Its file name, or a description ("the pasted text").
        name: String,
        /// Why.
        reason: IngestError,
    },
    /// An export could not be written.
    #[error("export failed: {0}")]
    Export(String),
    /// The server is shutting down.
    #[error("shutting down")]
    ShuttingDown,
    /// The database failed.
    #[error("store: {0}")]
    Store(#[from] StoreError),
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
            AppError::DocumentNotFound(_)
            | AppError::ShareNotFound(_)
            | AppError::NotFound
            | AppError::NoteNotFound
            | AppError::CorrectionNotFound => StatusCode::NOT_FOUND,
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::BadPath(_) | AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::NoAccess { .. } => StatusCode::UNAUTHORIZED,
            AppError::ReadOnly
            | AppError::OwnerOnly
            | AppError::ReviewOff
            | AppError::NotYours
            | AppError::CrossSite
            | AppError::ForeignHost => StatusCode::FORBIDDEN,
            AppError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unsupported(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Unreadable { reason: IngestError::TooLarge { .. }, .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unreadable { reason: IngestError::Link(e), .. } => match e {
                FetchError::BadUrl(_) | FetchError::Scheme(_) => StatusCode::BAD_REQUEST,
                FetchError::Timeout(_) => StatusCode::GATEWAY_TIMEOUT,
                FetchError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
                FetchError::NotDocument(_) => StatusCode::UNPROCESSABLE_ENTITY,
                FetchError::Connect { .. }
                | FetchError::Redirects
                | FetchError::Status { .. }
                | FetchError::Other(_) => StatusCode::BAD_GATEWAY,
            },
            AppError::Unreadable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::ShuttingDown => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Store(_) | AppError::Render(_) | AppError::Json(_) | AppError::Task(_) | AppError::Export(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// What the client is told.
    pub fn public_message(&self) -> Cow<'static, str> {
        match self {
            AppError::DocumentNotFound(_) => "There is no document with that id.".into(),
            AppError::ShareNotFound(_) => "There is no share link with that id.".into(),
            AppError::NotFound => "There is no page at this address.".into(),
            AppError::MethodNotAllowed => "This address does not take that kind of request.".into(),
            AppError::BadPath(_) => "This address is not valid.".into(),
            AppError::NoAccess { machine, revoked } => {
                let start = if *revoked {
                    "The share link you used has been revoked."
                } else {
                    "This Lectern library is private: you need a share link to read it."
                };
                format!("{start} Ask the person who runs Lectern on {machine} to send you a link.").into()
            }
            AppError::ReadOnly => {
                "Viewers can read but not change this library. The owner can allow uploads by starting Lectern \
                 with --allow-upload."
                    .into()
            }
            AppError::OwnerOnly => "Only the person at the machine running Lectern can do this.".into(),
            AppError::ReviewOff => {
                "This Lectern is read-only: nobody can write notes or corrections (it was started with --read-only)."
                    .into()
            }
            AppError::NotYours => "Only its author or the owner can change or remove this.".into(),
            AppError::NoteNotFound => "There is no note with that id on this document.".into(),
            AppError::CorrectionNotFound => "There is no correction with that id on this document.".into(),
            AppError::Unprocessable(why) => why.clone(),
            AppError::CrossSite => {
                "This request came from another site's page, so it was refused. Use Lectern's own pages.".into()
            }
            AppError::ForeignHost => {
                "Lectern answers only to this machine's own names and addresses. If you reach it by another name, \
                 the owner can allow it with --allow-host."
                    .into()
            }
            AppError::TooLarge { limit } => format!(
                "That is too large: Lectern takes at most {} at a time (the owner can change this with \
                 --max-upload).",
                crate::size::human(*limit)
            )
            .into(),
            AppError::Unsupported(_) => {
                "Send plain text (text/plain or text/markdown), JSON ({\"title\", \"text\"}) or a form upload \
                 (multipart/form-data)."
                    .into()
            }
            AppError::BadRequest(why) => why.clone(),
            AppError::Unreadable { name, reason } => format!("{name} was not added: {reason}.").into(),
            AppError::ShuttingDown => "Lectern is shutting down.".into(),
            AppError::Store(_) | AppError::Render(_) | AppError::Json(_) | AppError::Task(_) | AppError::Export(_) => {
                "Something went wrong on the server; the details are in its log.".into()
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

    /// The error page's heading: what happened, for a person; the status code is beside it.
    fn heading(&self) -> &'static str {
        match self {
            AppError::NoAccess { .. } => "You need a share link",
            AppError::ReadOnly | AppError::OwnerOnly => "Only the owner can do this",
            AppError::TooLarge { .. } | AppError::Unreadable { reason: IngestError::TooLarge { .. }, .. } => {
                "Too large"
            }
            AppError::Unreadable { reason: IngestError::Link(_), .. } => "The link could not be added",
            AppError::Unreadable { .. } => "This could not be added",
            AppError::DocumentNotFound(_) | AppError::ShareNotFound(_) | AppError::NotFound => "Not found",
            _ => self.status_code().canonical_reason().unwrap_or("Error"),
        }
    }

    /// Whether the error page should offer a way back to the library (not to someone who cannot read it).
    fn links_home(&self) -> bool {
        !matches!(self, AppError::NoAccess { .. } | AppError::ForeignHost)
    }
}

/// The error page.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    status: u16,
    reason: &'static str,
    heading: &'static str,
    message: Cow<'static, str>,
    home: bool,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let status = self.status_code();
        let page = ErrorPage {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or("Error"),
            heading: self.heading(),
            message: self.public_message(),
            home: self.links_home(),
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(err) => {
                tracing::error!(error = %err, "error page failed to render");
                (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], self.public_message().into_owned())
                    .into_response()
            }
        }
    }
}

/// An [`AppError`] answered as JSON, for `/api`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(err: E) -> ApiError {
        ApiError(err.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let message = self.0.public_message();
        let body = ErrorJson { error: &message };
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
        let no = AppError::NoAccess { machine: "desk".into(), revoked: false };
        assert_eq!(no.status_code(), StatusCode::UNAUTHORIZED);
        assert_eq!(AppError::ReadOnly.status_code(), StatusCode::FORBIDDEN);
        assert_eq!(AppError::TooLarge { limit: 1 }.status_code(), StatusCode::PAYLOAD_TOO_LARGE);
    }

    #[test]
    fn public_messages_do_not_echo_the_request() {
        let err = AppError::DocumentNotFound("<script>".into());
        assert!(!err.public_message().contains("<script>"));
        assert!(!AppError::Unsupported("<b>".into()).public_message().contains("<b>"));
    }

    #[test]
    fn the_401_says_whom_to_ask() {
        let msg = AppError::NoAccess { machine: "newsroom-pc".into(), revoked: true }.public_message();
        assert!(msg.contains("revoked") && msg.contains("newsroom-pc"), "{msg}");
    }
}
