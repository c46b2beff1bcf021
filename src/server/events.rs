//! Server-sent events: open pages hear of changes without polling.
//!
//! - `GET /api/documents/{id}/events`: `updated` (with the new revision) when the document's text changes (a
//!   watched file was saved) or it is annotated again, `deleted` when it goes. The reading page reloads itself in
//!   place, keeping the reader at the same sentence.
//! - `GET /api/events`: `added`, `updated` and `deleted` for every document the asker may read; the library page
//!   refreshes its list.
//!
//! - `annotating` (`{"id", "revision", "done", "total"}`: bytes the learned model has read) while the accurate
//!   pipeline refines a document, and `annotated` when its annotation replaced the rules' one.
//!
//! Each event's data is `{"id": …, "revision": …}`; the first event of a stream, `ready`, carries the document's
//! current revision (for the library stream, `{}`). A stream ends when the server shuts down; a subscriber that
//! falls behind gets a `resync` event (reload everything) instead of the changes it missed.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::{Stream, StreamExt};
use serde::Serialize;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;

use super::AppState;
use super::auth::Access;
use super::error::{ApiError, AppError};
use crate::library::Change;

/// How often an idle stream sends a comment, so proxies and browsers keep it open.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The data of an event.
#[derive(Debug, Serialize)]
struct ChangeJson<'a> {
    id: &'a str,
    revision: i64,
    /// For `annotating`: bytes of the text the model has read.
    #[serde(skip_serializing_if = "Option::is_none")]
    done: Option<u64>,
    /// For `annotating`: the text's length in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    total: Option<u64>,
}

/// The changes `keep` lets through, as events, until the server shuts down.
fn stream(
    state: AppState,
    hello: String,
    keep: impl Fn(&Change) -> bool + Send + 'static,
) -> impl Stream<Item = Result<Event, Infallible>> + Send + 'static {
    let mut shutdown = state.shutdown.clone();
    let ended = async move {
        // Already shutting down, or until it does (a dropped sender also ends the stream).
        if !*shutdown.borrow() {
            let _ = shutdown.changed().await;
        }
    };
    let hello = futures_util::stream::once(std::future::ready(Ok(Event::default().event("ready").data(hello))));
    let changes = BroadcastStream::new(state.library.subscribe()).filter_map(move |item| {
        let event = match item {
            Ok(change) if keep(&change) => {
                let data = serde_json::to_string(&ChangeJson {
                    id: &change.id,
                    revision: change.revision,
                    done: change.progress.map(|p| p.0),
                    total: change.progress.map(|p| p.1),
                })
                .unwrap_or_else(|_| "{}".to_string());
                Some(Ok(Event::default().event(change.kind.as_str()).data(data)))
            }
            Ok(_) => None,
            Err(BroadcastStreamRecvError::Lagged(_)) => Some(Ok(Event::default().event("resync").data("{}"))),
        };
        std::future::ready(event)
    });
    hello.chain(changes).take_until(Box::pin(ended))
}

/// `GET /api/documents/{id}/events`.
pub async fn document(
    State(state): State<AppState>,
    access: Access,
    id: Result<Path<String>, PathRejection>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let Path(id) = id.map_err(AppError::from)?;
    if !access.can_read(&id) {
        return Err(AppError::DocumentNotFound(id).into());
    }
    let lookup = state.clone();
    let wanted = id.clone();
    let Some(entry) = tokio::task::spawn_blocking(move || lookup.library.store().get(&wanted)).await?? else {
        return Err(AppError::DocumentNotFound(id).into());
    };
    // The first event says the current revision: a page that missed a change while disconnected sees it.
    let hello =
        serde_json::to_string(&ChangeJson { id: &id, revision: entry.record.revision, done: None, total: None })
            .unwrap_or_else(|_| "{}".to_string());
    let store_state = state.clone();
    let events = stream(state.clone(), hello, move |c| {
        c.id == id
            && match &access {
                Access::Owner => true,
                Access::Viewer(v) => v.share_ids.iter().any(|s| store_state.library.store().grant(s).is_some()),
            }
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)))
}

/// `GET /api/events`.
pub async fn library(
    State(state): State<AppState>,
    access: Access,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let store_state = state.clone();
    let events = stream(state.clone(), "{}".to_string(), move |c| {
        // A viewer hears of documents their links open. Grants are checked against the store's current links, so
        // a link revoked while the stream is open stops its news too.
        match &access {
            Access::Owner => true,
            Access::Viewer(v) => v
                .share_ids
                .iter()
                .any(|id| store_state.library.store().grant(id).is_some_and(|g| g.opens(&c.id))),
        }
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
}
