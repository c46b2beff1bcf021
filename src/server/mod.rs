//! The web server: routes, middleware, the connection loop and graceful shutdown.
//!
//! [`router`] builds the whole application from an [`AppState`] and does no I/O, so tests can run it in-process;
//! [`serve`] runs it on a listener with per-connection timeouts until its shutdown future resolves (ctrl-c or
//! SIGTERM in the binary), then lets the requests in flight finish.
//!
//! Every request first passes [`auth::guard`]: the `Host` is checked, state-changing requests must come from
//! Lectern's own pages, and the request is marked as the owner's or a viewer's (with their share links). Every
//! response carries the security headers.

pub mod api;
pub mod assets;
pub mod auth;
pub mod cache;
pub mod error;
pub mod events;
pub mod pages;
pub mod review;
pub mod share;
pub mod upload;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::library::Library;
use error::{ApiError, AppError};

/// Content Security Policy: nothing but this server's own files; no inline script, no frames, no plugins.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Longest time a request may take before it is answered with 408 (uploads: [`UPLOAD_TIMEOUT`]).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Longest time an upload (reading its body, annotating, storing) may take.
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(180);

/// Longest time a client may take to send a request's headers, on a new or a kept-alive connection.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Most connections served at once; more wait to be accepted.
const MAX_CONNECTIONS: usize = 1024;

/// Longest time shutdown waits for requests in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Default of `--max-upload`: the largest request body.
pub const DEFAULT_MAX_UPLOAD: u64 = 20 * 1024 * 1024;

/// How the server was started.
#[derive(Debug, Clone)]
pub struct Options {
    /// Viewers with a link may add documents (never delete).
    pub allow_upload: bool,
    /// Largest request body, in bytes.
    pub max_upload: u64,
    /// The names this server answers to.
    pub hosts: auth::Hosts,
    /// This machine's name, for the "ask for a link" page.
    pub machine: Arc<str>,
    /// The addresses the server is reached at (`http://…/`), the one to put in share links first.
    pub bases: Vec<String>,
    /// The server listens on a loopback address only: nobody else can reach a share link.
    pub local_only: bool,
    /// Longest time fetching a link may take.
    pub fetch_timeout: Duration,
    /// Who may write notes and corrections.
    pub review: crate::review::ReviewPolicy,
}

impl Options {
    /// True when nobody but this machine can reach the server.
    pub fn local_only(&self) -> bool {
        self.local_only
    }
}

impl Options {
    /// Options for a server on this machine with the defaults: no viewer uploads, 20 MiB bodies.
    pub fn new() -> Options {
        let machine: Arc<str> = machine_name().into();
        Options {
            allow_upload: false,
            max_upload: DEFAULT_MAX_UPLOAD,
            hosts: auth::Hosts::new(&machine, &[]),
            machine,
            bases: Vec::new(),
            local_only: true,
            fetch_timeout: crate::ingest::link::TIMEOUT,
            review: crate::review::ReviewPolicy::default(),
        }
    }
}

impl Default for Options {
    fn default() -> Options {
        Options::new()
    }
}

/// This machine's host name, or "this computer" if it has none that reads as text.
pub fn machine_name() -> String {
    gethostname::gethostname()
        .into_string()
        .ok()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "this computer".to_string())
}

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The documents, their annotations and the feed of changes.
    pub library: Arc<Library>,
    /// How the server was started.
    pub options: Arc<Options>,
    /// Becomes true when the server is shutting down: open event streams end.
    pub shutdown: watch::Receiver<bool>,
    /// Rendered pages and JSON, ready to send.
    pub cache: Arc<cache::Cache>,
}

impl AppState {
    /// State serving `library` with `options`. The shutdown signal is the one [`serve`] makes; a state used
    /// without `serve` (in-process tests) never shuts down.
    pub fn new(library: Library, options: Options) -> AppState {
        let (_, shutdown) = watch::channel(false);
        AppState { library: Arc::new(library), options: Arc::new(options), shutdown, cache: Arc::default() }
    }
}

/// The application: pages, the JSON API, static files, and the middleware around them.
pub fn router(state: AppState) -> Router {
    let max_body = usize::try_from(state.options.max_upload).unwrap_or(usize::MAX);
    // Routes that take a document: a body up to --max-upload and a longer timeout.
    let uploads = Router::new()
        .route("/documents", post(upload::form))
        .method_not_allowed_fallback(pages::method_not_allowed)
        .merge(
            Router::new()
                .route("/api/documents", get(api::list).post(upload::api))
                .method_not_allowed_fallback(api::method_not_allowed),
        )
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, UPLOAD_TIMEOUT))
        .layer(DefaultBodyLimit::max(max_body));
    // Event streams stay open: no request timeout (they end when the server shuts down).
    let streams = Router::new()
        .route("/api/events", get(events::library))
        .route("/api/documents/{id}/events", get(events::document));
    let api = Router::new()
        .route("/documents/{id}", get(api::document).delete(api::delete))
        .route("/documents/{id}/notes", get(review::list_notes).post(review::add_note))
        .route("/documents/{id}/notes/{note}", axum::routing::patch(review::edit_note).delete(review::delete_note))
        .route("/documents/{id}/corrections", get(review::list_corrections).post(review::add_correction))
        .route("/documents/{id}/corrections/{correction}", axum::routing::delete(review::delete_correction))
        .route("/corrections", get(review::export_corrections))
        .route("/shares", get(share::api_list).post(share::api_create))
        .route("/shares/{id}", axum::routing::delete(share::api_revoke))
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed);
    let rest = Router::new()
        .route("/", get(pages::library))
        .route("/d/{id}", get(pages::document))
        .route("/d/{id}/delete", post(upload::delete))
        .route("/shares", get(share::page).post(share::create))
        .route("/shares/{id}/revoke", post(share::revoke))
        .route("/s/{token}", get(share::open))
        .route("/healthz", get(healthz))
        .route("/static/{version}/{*file}", get(assets::asset))
        .route("/favicon.ico", get(assets::favicon))
        .nest("/api", api)
        .fallback(pages::not_found)
        .method_not_allowed_fallback(pages::method_not_allowed)
        .layer(DefaultBodyLimit::max(64 * 1024))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT));
    Router::new()
        .merge(uploads)
        .merge(streams)
        .merge(rest)
        .layer(middleware::from_fn_with_state(state.clone(), auth::guard))
        .layer(middleware::from_fn_with_state(state.clone(), refuse_oversized))
        .with_state(state)
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http().make_span_with(redacted_span))
        // A response may set a policy of its own only to allow less (a standalone page: no script at all).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
}

/// A request span without the share token of `/s/{token}` and without query strings: tokens never reach a log.
fn redacted_span(req: &Request) -> tracing::Span {
    let path = req.uri().path();
    let path = if path.starts_with("/s/") { "/s/…" } else { path };
    tracing::debug_span!("request", method = %req.method(), path = %path)
}

/// A body announced larger than `--max-upload` is refused before it is read, in the format of its route.
async fn refuse_oversized(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let length = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if length.is_some_and(|n| n > state.options.max_upload) {
        let err = AppError::TooLarge { limit: state.options.max_upload };
        return if req.uri().path().starts_with("/api/") { ApiError(err).into_response() } else { err.into_response() };
    }
    next.run(req).await
}

/// `GET /healthz`: 200 while the server answers, for scripts and monitors.
async fn healthz() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "ok\n")
}

/// Serve `state` on `listener` until `signal` resolves, then stop accepting, end the event streams, and let the
/// requests in flight finish (for at most [`SHUTDOWN_GRACE`]).
///
/// Each connection gets a header-read timeout ([`HEADER_TIMEOUT`]), so a client that opens connections and sends
/// nothing (or sends slowly) cannot hold them; each request gets the router's timeouts.
pub async fn serve(
    listener: TcpListener,
    mut state: AppState,
    signal: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let (stop, stopped) = watch::channel(false);
    state.shutdown = stopped;
    let app = router(state);
    let graceful = GracefulShutdown::new();
    let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    // HTTP/1.1 only: the header timeout then also runs while a connection waits for its first request or, kept
    // alive, for the next one (a server that sniffs for HTTP/2 first would wait for a silent client forever).
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .keep_alive(true);
    tokio::pin!(signal);
    loop {
        let permit = tokio::select! {
            () = &mut signal => break,
            p = Arc::clone(&permits).acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
        };
        let (stream, peer) = tokio::select! {
            () = &mut signal => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(err) => {
                    // Too many open files and the like: wait a little rather than spin or stop serving.
                    tracing::warn!(error = %err, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let service = app.clone().map_request(move |mut req: Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            req.map(axum::body::Body::new)
        });
        let conn =
            builder.serve_connection(TokioIo::new(stream), hyper_util::service::TowerToHyperService::new(service));
        let watched = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(err) = watched.await {
                tracing::debug!(error = %err, %peer, "connection ended with an error");
            }
            drop(permit);
        });
    }
    tracing::info!("shutting down");
    drop(listener);
    let _ = stop.send(true);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(SHUTDOWN_GRACE) => tracing::warn!("requests still running after the grace period"),
    }
    Ok(())
}

/// Resolves on ctrl-c or (on Unix) SIGTERM. If a handler cannot be installed, that signal is simply not awaited.
pub async fn shutdown_signal() {
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
}
