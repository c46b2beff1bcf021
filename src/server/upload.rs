//! Documents coming in from the browser and the API, and going out again (delete).
//!
//! - `POST /documents` takes the library page's forms: files (`multipart/form-data`, field `file`, one or many,
//!   from the file picker or dropped on the page) or a pasted text (`title`, `text`). One document leads to its
//!   reading page; several to a report of what was added, what was already there and what was refused.
//! - `POST /api/documents` takes one document as `text/plain` or `text/markdown` (title from `?title=` or the
//!   first line), JSON `{"title", "text", "format"}`, or `multipart/form-data`; it answers `201 Created` with the
//!   document's JSON and a `Location`, or `200` with the document already there when the text is not new.
//!
//! Reading the body is bounded by `--max-upload`; decoding, annotating and storing run on a blocking thread, so a
//! large upload never holds up other requests. The owner may always add; a viewer only with `--allow-upload`.
//! Only the owner deletes.

use std::sync::Arc;

use askama::Template;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::AppState;
use super::auth::Access;
use super::error::{ApiError, AppError};
use crate::entry::Entry;
use crate::formats::lectern::DocumentJson;
use crate::ingest::{self, Document, Format};
use crate::store::{AddedBy, NewDocument, Outcome};

/// Name recorded for a pasted text.
pub const PASTED: &str = "<pasted>";
/// Name recorded for a text sent to the API without a file name.
pub const API: &str = "<api>";

/// One document as it came in, not yet decoded.
struct Incoming {
    /// File name, or [`PASTED`] / [`API`].
    name: String,
    bytes: Bytes,
    /// For typed text: the title given, and whether it is Markdown.
    typed: Option<(Option<String>, Format)>,
}

impl Incoming {
    fn decode(&self) -> Result<Document, AppError> {
        let name = &self.name;
        match &self.typed {
            None => ingest::from_bytes(name, &self.bytes),
            Some((title, format)) => ingest::from_text(name, &self.bytes, title.as_deref(), *format),
        }
        .map_err(|reason| AppError::Unreadable { name: self.describe(), reason })
    }

    /// How messages name it.
    fn describe(&self) -> String {
        match self.name.as_str() {
            PASTED => "The pasted text".to_string(),
            API => "The text".to_string(),
            name => name.to_string(),
        }
    }
}

/// The result of one document of an upload.
enum Added {
    /// Stored now, or found already there.
    Ok(Arc<Entry>, Outcome),
    /// Refused, with why.
    Refused(AppError),
}

/// Decode, annotate and store `incoming`, on a blocking thread.
async fn add(state: &AppState, access: &Access, incoming: Incoming) -> Result<(Arc<Entry>, Outcome), AppError> {
    let added_by = match access {
        Access::Owner => AddedBy::Owner,
        Access::Viewer(v) => AddedBy::Viewer(v.share_ids.clone()),
    };
    let library = Arc::clone(&state.library);
    tokio::task::spawn_blocking(move || {
        let document = incoming.decode()?;
        let (entry, outcome) = library.add(NewDocument { document, origin: None, added_by })?;
        tracing::info!(document = %entry.document.id, outcome = ?outcome, "document added");
        Ok((entry, outcome))
    })
    .await?
}

/// A multipart body's documents: every non-empty file, and a pasted `text` (with `title`) if there is one.
async fn multipart_documents(mut multipart: Multipart, limit: u64) -> Result<Vec<Incoming>, AppError> {
    let mut files = Vec::new();
    let mut title = None;
    let mut text = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(multipart_error(&e, limit)),
        };
        let field_name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = field.bytes().await.map_err(|e| multipart_error(&e, limit))?;
        match (field_name.as_str(), file_name) {
            // A file input with nothing chosen sends an empty part without a name.
            (_, Some(name)) if !(name.is_empty() && bytes.is_empty()) => {
                let name = file_base_name(&name);
                files.push(Incoming { name, bytes, typed: None });
            }
            ("title", None) => title = Some(String::from_utf8_lossy(&bytes).into_owned()),
            ("text", None) => text = Some(bytes),
            _ => {}
        }
    }
    if let Some(bytes) = text.filter(|b| !b.iter().all(u8::is_ascii_whitespace) || files.is_empty()) {
        files.push(Incoming { name: PASTED.to_string(), bytes, typed: Some((title, Format::Plain)) });
    }
    Ok(files)
}

fn multipart_error(e: &axum::extract::multipart::MultipartError, limit: u64) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge { limit }
    } else {
        AppError::BadRequest(format!("The upload could not be read ({}).", e.body_text()).into())
    }
}

/// The last component of a file name a browser sent (some send a whole path).
fn file_base_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    let clean: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    if clean.is_empty() { "upload".to_string() } else { clean }
}

/// The paste form's fields.
#[derive(Debug, Deserialize)]
struct PasteForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
}

/// What a body's `Content-Type` is, without parameters, lower-cased.
fn media_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

fn body_error(e: &BytesRejection, limit: u64) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge { limit }
    } else {
        AppError::BadRequest("The request body could not be read.".into())
    }
}

/// The import report for several files.
#[derive(Template)]
#[template(path = "imported.html")]
struct ImportedPage {
    results: Vec<ImportResult>,
    added: usize,
}

/// One line of the report.
struct ImportResult {
    name: String,
    /// The document, for a link, when it is in the library now.
    document: Option<(String, String)>,
    /// Already there before.
    existing: bool,
    /// Why it was refused.
    refused: Option<String>,
}

/// `POST /documents`: the library page's upload and paste forms.
pub async fn form(State(state): State<AppState>, access: Access, req: Request) -> Result<Response, AppError> {
    access.require_add(state.options.allow_upload)?;
    let limit = state.options.max_upload;
    let incoming = match media_type(req.headers()).as_str() {
        "multipart/form-data" => {
            let multipart = Multipart::from_request(req, &state)
                .await
                .map_err(|e| AppError::BadRequest(e.body_text().into()))?;
            multipart_documents(multipart, limit).await?
        }
        "application/x-www-form-urlencoded" => {
            let axum::Form(form) = axum::Form::<PasteForm>::from_request(req, &state).await.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::TooLarge { limit }
                } else {
                    AppError::BadRequest("The form could not be read.".into())
                }
            })?;
            vec![Incoming {
                name: PASTED.to_string(),
                bytes: Bytes::from(form.text.into_bytes()),
                typed: Some((Some(form.title), Format::Plain)),
            }]
        }
        other => return Err(AppError::Unsupported(other.to_string())),
    };
    if incoming.is_empty() {
        return Err(AppError::BadRequest("Choose a file or paste a text first.".into()));
    }
    let mut results = Vec::with_capacity(incoming.len());
    for one in incoming {
        let name = one.describe();
        results.push((
            name,
            match add(&state, &access, one).await {
                Ok((entry, outcome)) => Added::Ok(entry, outcome),
                Err(err) if err.status_code().is_client_error() => Added::Refused(err),
                Err(err) => return Err(err),
            },
        ));
    }
    if let [(_, only)] = results.as_mut_slice() {
        return match std::mem::replace(only, Added::Refused(AppError::NotFound)) {
            Added::Ok(entry, outcome) => {
                let notice = if outcome == Outcome::Existing { "?notice=existing" } else { "" };
                Ok(Redirect::to(&format!("/d/{}{notice}", entry.document.id)).into_response())
            }
            Added::Refused(err) => Err(err),
        };
    }
    let results: Vec<ImportResult> = results
        .into_iter()
        .map(|(name, r)| match r {
            Added::Ok(entry, outcome) => ImportResult {
                name,
                document: Some((entry.document.id.clone(), entry.document.title.clone())),
                existing: outcome == Outcome::Existing,
                refused: None,
            },
            Added::Refused(err) => {
                ImportResult { name, document: None, existing: false, refused: Some(err.public_message().into_owned()) }
            }
        })
        .collect();
    let added = results.iter().filter(|r| r.document.is_some()).count();
    let status = if added == 0 { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, Html(ImportedPage { results, added }.render()?)).into_response())
}

/// `?title=`, `?name=` and `?format=` of `POST /api/documents`.
#[derive(Debug, Default, Deserialize)]
pub struct ApiQuery {
    title: Option<String>,
    name: Option<String>,
}

/// The JSON body of `POST /api/documents`.
#[derive(Debug, Deserialize)]
struct ApiJson {
    #[serde(default)]
    title: Option<String>,
    text: String,
    #[serde(default)]
    format: Option<String>,
}

/// `POST /api/documents`.
pub async fn api(
    State(state): State<AppState>,
    access: Access,
    query: Result<Query<ApiQuery>, QueryRejection>,
    req: Request,
) -> Result<Response, ApiError> {
    access.require_add(state.options.allow_upload)?;
    let query = query
        .map(|Query(q)| q)
        .map_err(|e| AppError::BadRequest(e.body_text().into()))?;
    let limit = state.options.max_upload;
    let media = media_type(req.headers());
    let incoming = match media.as_str() {
        "text/plain" | "text/markdown" | "text/x-markdown" | "" => {
            let bytes = Bytes::from_request(req, &state).await.map_err(|e| body_error(&e, limit))?;
            let format = if media == "text/plain" || media.is_empty() { Format::Plain } else { Format::Markdown };
            match query.name.as_deref().map(file_base_name) {
                // A file name says what it is; a given title still wins.
                Some(name) if query.title.is_none() => Incoming { name, bytes, typed: None },
                name => Incoming {
                    name: name.unwrap_or_else(|| API.to_string()),
                    bytes,
                    typed: Some((query.title.clone(), format)),
                },
            }
        }
        "application/json" => {
            let bytes = Bytes::from_request(req, &state).await.map_err(|e| body_error(&e, limit))?;
            let body: ApiJson = serde_json::from_slice(&bytes).map_err(|e| {
                AppError::BadRequest(format!("The JSON body could not be read: {e}. Send {{\"text\": …}}.").into())
            })?;
            let format = match body.format.as_deref() {
                None | Some("plain") => Format::Plain,
                Some("markdown") => Format::Markdown,
                Some(_) => return Err(AppError::BadRequest("format is \"plain\" or \"markdown\".".into()).into()),
            };
            Incoming {
                name: API.to_string(),
                bytes: Bytes::from(body.text.into_bytes()),
                typed: Some((body.title.or(query.title.clone()), format)),
            }
        }
        "multipart/form-data" => {
            let multipart = Multipart::from_request(req, &state)
                .await
                .map_err(|e| AppError::BadRequest(e.body_text().into()))?;
            let mut docs = multipart_documents(multipart, limit).await?;
            if docs.len() != 1 {
                return Err(AppError::BadRequest("Send exactly one document per request.".into()).into());
            }
            docs.remove(0)
        }
        other => return Err(AppError::Unsupported(other.to_string()).into()),
    };
    let (entry, outcome) = add(&state, &access, incoming).await?;
    let status = if outcome == Outcome::Created { StatusCode::CREATED } else { StatusCode::OK };
    let body = serde_json::to_vec(&DocumentJson::new(&entry)).map_err(AppError::from)?;
    let location = HeaderValue::from_str(&format!("/api/documents/{}", entry.document.id))
        .map_err(|_| AppError::BadRequest("bad id".into()))?;
    Ok((
        status,
        [(header::CONTENT_TYPE, HeaderValue::from_static("application/json")), (header::LOCATION, location)],
        body,
    )
        .into_response())
}

/// Delete document `id` as `access`: the owner only.
pub async fn delete_document(state: &AppState, access: &Access, id: String) -> Result<(), AppError> {
    access.require_owner()?;
    let library = Arc::clone(&state.library);
    let wanted = id.clone();
    if tokio::task::spawn_blocking(move || library.delete(&wanted)).await?? {
        tracing::info!(document = %id, "document deleted");
        Ok(())
    } else {
        Err(AppError::DocumentNotFound(id))
    }
}

/// `POST /d/{id}/delete`: the library page's delete button (after its confirmation); back to the library.
pub async fn delete(
    State(state): State<AppState>,
    access: Access,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    let Path(id) = id?;
    delete_document(&state, &access, id).await?;
    Ok(Redirect::to("/?notice=deleted").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_their_directories() {
        assert_eq!(file_base_name("C:\\Users\\me\\story.txt"), "story.txt");
        assert_eq!(file_base_name("/home/me/story.md"), "story.md");
        assert_eq!(file_base_name("  \u{7} "), "upload");
    }
}
