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
    /// The `Content-Type` it came with, if any.
    content_type: Option<String>,
    /// A title given with it.
    title: Option<String>,
    /// Typed or pasted (named after its title) rather than a file (named after itself).
    typed: bool,
    /// The format chosen for it (`None`: tell from the content type, the name or the bytes).
    format: Option<Format>,
}

impl Incoming {
    /// A file (an upload) named `name`.
    fn file(name: String, bytes: Bytes, content_type: Option<String>) -> Incoming {
        Incoming { name, bytes, content_type, title: None, typed: false, format: None }
    }

    /// A text typed or pasted, with its title and format if they were given.
    fn typed(name: &str, bytes: Bytes, title: Option<String>, format: Option<Format>) -> Incoming {
        Incoming { name: name.to_string(), bytes, content_type: None, title, typed: true, format }
    }

    fn decode(&self) -> Result<Document, AppError> {
        let hint = ingest::Hint { content_type: self.content_type.as_deref(), format: self.format, url: None };
        let decoded = if self.typed {
            // Pasted HTML is read as a page; anything else as plain text, unless a format was named.
            let said_plain = self.content_type.as_deref().is_some_and(|c| media_of(c) == "text/plain");
            let format = self
                .format
                .or_else(|| self.content_type.as_deref().and_then(Format::from_media_type))
                .or_else(|| said_plain.then_some(Format::Plain))
                .or_else(|| ingest::looks_like_html(&self.bytes).then_some(Format::Html))
                .unwrap_or(Format::Plain);
            ingest::from_text(
                &self.name,
                &self.bytes,
                self.title.as_deref(),
                ingest::Hint { format: Some(format), ..hint },
            )
        } else {
            ingest::from_bytes_with(&self.name, &self.bytes, &hint).map(|mut doc| {
                if let Some(t) = self.title.as_deref().and_then(ingest::clean_title) {
                    doc.title = t;
                }
                doc
            })
        };
        decoded.map_err(|reason| AppError::Unreadable { name: self.describe(), reason })
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
    let mut format = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(multipart_error(&e, limit)),
        };
        let field_name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let content_type = field.content_type().map(str::to_string);
        let bytes = field.bytes().await.map_err(|e| multipart_error(&e, limit))?;
        match (field_name.as_str(), file_name) {
            // A file input with nothing chosen sends an empty part without a name.
            (_, Some(name)) if !(name.is_empty() && bytes.is_empty()) => {
                files.push(Incoming::file(file_base_name(&name), bytes, content_type));
            }
            ("title", None) => title = Some(String::from_utf8_lossy(&bytes).into_owned()),
            ("text", None) => text = Some(bytes),
            ("format", None) => format = chosen_format(&String::from_utf8_lossy(&bytes)),
            _ => {}
        }
    }
    if let Some(bytes) = text.filter(|b| !b.iter().all(u8::is_ascii_whitespace) || files.is_empty()) {
        files.push(Incoming::typed(PASTED, bytes, title, format));
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

/// The format a form or a JSON body names: `plain`, `markdown`, `html`; anything else (`auto`) means "tell from
/// the text".
fn chosen_format(name: &str) -> Option<Format> {
    Format::parse(name.trim()).filter(|f| matches!(f, Format::Plain | Format::Markdown | Format::Html))
}

/// The paste and link forms' fields.
#[derive(Debug, Deserialize)]
struct PasteForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    format: String,
    #[serde(default)]
    url: String,
}

/// Fetch `url` and add what it holds, its (final) link as its origin: a link added again brings the document up to
/// date rather than adding it twice. The owner only: the server fetches on their behalf.
async fn add_link(state: &AppState, access: &Access, url: &str) -> Result<(Arc<Entry>, Outcome), AppError> {
    access.require_owner()?;
    let shown = url.trim().chars().take(200).collect::<String>();
    let unreadable = |reason| AppError::Unreadable { name: shown.clone(), reason };
    let fetched = ingest::link::fetch_within(url, state.options.max_upload, state.options.fetch_timeout)
        .await
        .map_err(|e| unreadable(e.into()))?;
    let library = Arc::clone(&state.library);
    tokio::task::spawn_blocking(move || {
        let document = ingest::link::document(&fetched)
            .map_err(|reason| AppError::Unreadable { name: fetched.url.clone(), reason })?;
        let new = NewDocument { document, origin: Some(fetched.url.clone()), added_by: AddedBy::Owner };
        let (entry, outcome) = library.add(new)?;
        tracing::info!(document = %entry.document.id, outcome = ?outcome, "link added");
        Ok((entry, outcome))
    })
    .await?
}

/// What a body's `Content-Type` is, without parameters, lower-cased.
fn media_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(media_of)
        .unwrap_or_default()
}

/// A `Content-Type` value without its parameters, lower-cased.
fn media_of(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
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
            if !form.url.trim().is_empty() {
                let (entry, outcome) = add_link(&state, &access, &form.url).await?;
                return Ok(Redirect::to(&opened(&entry, outcome)).into_response());
            }
            vec![Incoming::typed(
                PASTED,
                Bytes::from(form.text.into_bytes()),
                Some(form.title),
                chosen_format(&form.format),
            )]
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
            Added::Ok(entry, outcome) => Ok(Redirect::to(&opened(&entry, outcome)).into_response()),
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

/// The reading page of a document just added, saying so when it was there already or was brought up to date.
fn opened(entry: &Entry, outcome: Outcome) -> String {
    let notice = match outcome {
        Outcome::Existing | Outcome::Unchanged => "?notice=existing",
        Outcome::Updated => "?notice=updated",
        Outcome::Created => "",
    };
    format!("/d/{}{notice}", entry.document.id)
}

/// `?title=`, `?name=` and `?format=` of `POST /api/documents`.
#[derive(Debug, Default, Deserialize)]
pub struct ApiQuery {
    title: Option<String>,
    name: Option<String>,
}

/// The JSON body of `POST /api/documents`: a text, or a link to fetch.
#[derive(Debug, Deserialize)]
struct ApiJson {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    url: Option<String>,
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
        "application/json" => {
            let bytes = Bytes::from_request(req, &state).await.map_err(|e| body_error(&e, limit))?;
            let body: ApiJson = serde_json::from_slice(&bytes).map_err(|e| {
                AppError::BadRequest(
                    format!("The JSON body could not be read: {e}. Send {{\"text\": …}} or {{\"url\": …}}.").into(),
                )
            })?;
            let format = match body.format.as_deref() {
                None | Some("auto") => None,
                Some(f) => Some(chosen_format(f).ok_or_else(|| {
                    AppError::BadRequest("format is \"plain\", \"markdown\", \"html\" or \"auto\".".into())
                })?),
            };
            match (body.text, body.url) {
                (Some(text), None) => {
                    Incoming::typed(API, Bytes::from(text.into_bytes()), body.title.or(query.title.clone()), format)
                }
                (None, Some(url)) => {
                    let (entry, outcome) = add_link(&state, &access, &url).await?;
                    return created(&entry, outcome);
                }
                _ => return Err(AppError::BadRequest("Send either \"text\" or \"url\".".into()).into()),
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
        // Text, or a document of a type Lectern reads, as the body itself.
        other if other.is_empty() || other.starts_with("text/") || Format::from_media_type(other).is_some() => {
            let content_type = req
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let bytes = Bytes::from_request(req, &state).await.map_err(|e| body_error(&e, limit))?;
            match query.name.as_deref().map(file_base_name) {
                // A file name says what it is, as an upload's does.
                Some(name) => Incoming { title: query.title.clone(), ..Incoming::file(name, bytes, content_type) },
                None => Incoming { content_type, ..Incoming::typed(API, bytes, query.title.clone(), None) },
            }
        }
        other => return Err(AppError::Unsupported(other.to_string()).into()),
    };
    let (entry, outcome) = add(&state, &access, incoming).await?;
    created(&entry, outcome)
}

/// The answer to an API addition: 201 with the document for a new one, 200 for one already there (or brought up
/// to date from its link), with its `Location` either way.
fn created(entry: &Entry, outcome: Outcome) -> Result<Response, ApiError> {
    let status = if outcome == Outcome::Created { StatusCode::CREATED } else { StatusCode::OK };
    let body = serde_json::to_vec(&DocumentJson::new(entry)).map_err(AppError::from)?;
    let location = HeaderValue::from_str(&format!("/api/documents/{}", entry.document.id))
        .map_err(|_| AppError::BadRequest("bad id".into()))?;
    let headers = [(header::CONTENT_TYPE, HeaderValue::from_static("application/json")), (header::LOCATION, location)];
    Ok((status, headers, body).into_response())
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
