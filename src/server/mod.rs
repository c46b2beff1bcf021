//! The web server: routes, middleware and graceful shutdown.
//!
//! [`router`] builds the whole application from an [`AppState`] and does no I/O, so tests can run it in-process or
//! on a socket of their own; [`serve`] runs it on a listener until ctrl-c or SIGTERM.

pub mod api;
pub mod assets;
pub mod error;
pub mod pages;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::routing::get;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::library::Library;

/// Content Security Policy: nothing but this server's own files; no inline script, no frames, no plugins.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// Longest time a request may take before it is answered with 408.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Largest request body accepted. Every route is a GET; this only bounds what a client can make the server read.
const MAX_REQUEST_BODY: usize = 64 * 1024;

/// What every handler can reach: the documents and their annotations, shared and read-only.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The served documents.
    pub library: Arc<Library>,
}

impl AppState {
    /// State serving `library`.
    pub fn new(library: Library) -> AppState {
        AppState { library: Arc::new(library) }
    }
}

/// The application: pages, the JSON API, static files, and the middleware around them.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/documents", get(api::list))
        .route("/documents/{id}", get(api::document))
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed);
    Router::new()
        .route("/", get(pages::index))
        .route("/d/{id}", get(pages::document))
        .route("/static/{version}/{*file}", get(assets::asset))
        .route("/favicon.ico", get(assets::favicon))
        .nest("/api", api)
        .fallback(pages::not_found)
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(MAX_REQUEST_BODY))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("DENY"),
        ))
}

/// Serve `state` on `listener` until ctrl-c or SIGTERM, then finish the requests in flight and return.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
}

/// Resolves on ctrl-c or (on Unix) SIGTERM. If a handler cannot be installed, that signal is simply not awaited.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %err, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sig) => {
                sig.recv().await;
            }
            Err(err) => {
                tracing::warn!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
