//! The `/api` handlers that read: the library listing and one annotated document. The JSON they serve is defined
//! in [`crate::formats::lectern`]; adding and deleting are in [`super::upload`], share links in [`super::share`].

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::auth::Access;
use super::cache::{self, Key, Kind};
use super::error::{ApiError, AppError};
use crate::entry::Entry;
use crate::formats::ExportFormat;
use crate::formats::lectern::{DocumentJson, DocumentListJson, DocumentSummaryJson, FORMAT_VERSION};
use crate::store::ListQuery;

/// Most documents one listing returns.
pub const MAX_LIMIT: usize = 500;

/// `?q=`, `?offset=`, `?limit=` of `GET /api/documents`.
#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    /// Words to search for.
    #[serde(default)]
    pub q: Option<String>,
    /// Documents to skip.
    #[serde(default)]
    pub offset: Option<usize>,
    /// Most documents to return (default 100, at most [`MAX_LIMIT`]).
    #[serde(default)]
    pub limit: Option<usize>,
}

/// `GET /api/documents`: a page of the documents the asker may read, newest first (or best match for `?q=`).
pub async fn list(
    State(state): State<AppState>,
    access: Access,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let params = params
        .map(|Query(p)| p)
        .map_err(|e| AppError::BadRequest(e.body_text().into()))?;
    let offset = params.offset.unwrap_or(0);
    let limit = params.limit.unwrap_or(100).clamp(1, MAX_LIMIT);
    let page = tokio::task::spawn_blocking(move || {
        let q = ListQuery { search: params.q.as_deref(), visible: access.visible(), offset, limit };
        state.library.store().list(&q)
    })
    .await??;
    let body = DocumentListJson {
        lectern: FORMAT_VERSION,
        total: page.total,
        offset,
        limit,
        documents: page.rows.iter().map(DocumentSummaryJson::new).collect(),
    };
    json(&body)
}

/// `?format=` of `GET /api/documents/{id}`.
#[derive(Debug, Default, Deserialize)]
pub struct DocumentParams {
    /// An export format's name ([`ExportFormat::as_str`]); `json` when left out.
    #[serde(default)]
    pub format: Option<String>,
    /// `reviewed` (colleagues' corrections applied; the default) or `annotator` (the annotator's output alone).
    #[serde(default)]
    pub view: Option<String>,
}

/// Whether `?view=` asks for the annotator's view; 400 for a view that is neither.
pub fn annotator_view(view: Option<&str>) -> Result<bool, AppError> {
    match view {
        None | Some("reviewed") => Ok(false),
        Some("annotator") => Ok(true),
        Some(_) => Err(AppError::BadRequest("view is reviewed or annotator.".into())),
    }
}

/// The Content Security Policy of a standalone page: its own inline style sheet and nothing else, no script.
const STANDALONE_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// `GET /api/documents/{id}`: one annotated document, as JSON or, with `?format=`, in any export format (as a
/// download, named after the document); colleagues' corrections applied unless `?view=annotator`.
pub async fn document(
    State(state): State<AppState>,
    access: Access,
    headers: axum::http::HeaderMap,
    id: Result<Path<String>, PathRejection>,
    params: Result<Query<DocumentParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = id.map_err(AppError::from)?;
    let params = params
        .map(|Query(p)| p)
        .map_err(|e| AppError::BadRequest(e.body_text().into()))?;
    let format = match params.format.as_deref() {
        None => ExportFormat::Json,
        Some(name) => ExportFormat::parse(name).ok_or_else(|| {
            let names: Vec<&str> = ExportFormat::ALL.iter().map(|f| f.as_str()).collect();
            AppError::BadRequest(format!("format is one of {}.", names.join(", ")).into())
        })?,
    };
    let annotator = annotator_view(params.view.as_deref())?;
    if !access.can_read(&id) {
        return Err(AppError::DocumentNotFound(id).into());
    }
    let base = state.options.bases.first().cloned();
    let plain = params.format.is_none();
    let key_of = move |entry: &Entry| Key {
        id: entry.document.id.clone(),
        revision: entry.record.revision,
        review: if annotator { 0 } else { entry.record.review },
        made: entry.record.made,
        kind: Kind::Json { annotator },
    };
    let kept_entry = if annotator { state.library.store().cached(&id) } else { state.library.reviewed_cached(&id) };
    if plain
        && let Some(entry) = kept_entry
        && let Some(kept) = state.cache.get(&key_of(&entry))
    {
        return Ok(cache::respond(&kept, &headers));
    }
    // Decoding a stored annotation, or annotating again, is work for a blocking thread; so is writing a large
    // document out.
    tokio::task::spawn_blocking(move || {
        let entry = if annotator { state.library.store().get(&id)? } else { state.library.reviewed(&id)? };
        let entry = entry.ok_or(AppError::DocumentNotFound(id))?;
        if plain {
            let key = key_of(&entry);
            let kept = match state.cache.get(&key) {
                Some(kept) => kept,
                None => {
                    let json = if annotator { DocumentJson::annotator(&entry) } else { DocumentJson::new(&entry) };
                    let body = serde_json::to_vec(&json).map_err(AppError::from)?;
                    state.cache.insert(key, "application/json", body)
                }
            };
            return Ok(cache::respond(&kept, &headers));
        }
        export(&entry, format, base.as_deref())
    })
    .await?
}

/// `entry` written in `format`, as a download.
fn export(entry: &Entry, format: ExportFormat, base: Option<&str>) -> Result<Response, ApiError> {
    let id = &entry.document.id;
    let (body, mime, file) = match format {
        ExportFormat::Brat => {
            let zip = crate::formats::brat::zip(entry).map_err(|e| AppError::Export(e.to_string()))?;
            (zip, "application/zip", format!("{id}-brat.zip"))
        }
        ExportFormat::Html => {
            let html = super::pages::standalone_page(entry)?.into_bytes();
            (html, format.mime(), format!("{id}.{}", format.extension()))
        }
        _ => {
            let mut out = Vec::new();
            crate::formats::export(format, entry, base.map(|b| b.trim_end_matches('/')), &mut out)
                .map_err(|e| AppError::Export(e.to_string()))?;
            (out, format.mime(), format!("{id}.{}", format.extension()))
        }
    };
    let ascii: String = file
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' })
        .collect();
    let disposition =
        format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", crate::formats::percent_encode(&file));
    let mut response = (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition).map_err(|_| AppError::Export("file name".into()))?,
            ),
        ],
        body,
    )
        .into_response();
    if format == ExportFormat::Html {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(STANDALONE_POLICY));
    }
    Ok(response)
}

/// `DELETE /api/documents/{id}`: the owner deletes a document; 204.
pub async fn delete(
    State(state): State<AppState>,
    access: Access,
    id: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let Path(id) = id.map_err(AppError::from)?;
    super::upload::delete_document(&state, &access, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Any other path under `/api`.
pub async fn not_found() -> ApiError {
    ApiError(AppError::NotFound)
}

/// A method an `/api` route does not take: the error in JSON, like every other `/api` error.
pub async fn method_not_allowed() -> ApiError {
    ApiError(AppError::MethodNotAllowed)
}

/// A JSON response of `body`.
pub fn json(body: &impl Serialize) -> Result<Response, ApiError> {
    let bytes = serde_json::to_vec(body).map_err(AppError::from)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], bytes).into_response())
}
