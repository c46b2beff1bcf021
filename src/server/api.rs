//! The `/api` handlers that read: the library listing and one annotated document. The JSON they serve is defined
//! in [`crate::formats::lectern`]; adding and deleting are in [`super::upload`], share links in [`super::share`].

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::auth::Access;
use super::error::{ApiError, AppError};
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

/// `GET /api/documents/{id}`: one annotated document.
pub async fn document(
    State(state): State<AppState>,
    access: Access,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = id.map_err(AppError::from)?;
    if !access.can_read(&id) {
        return Err(AppError::DocumentNotFound(id).into());
    }
    // Decoding a stored annotation, or annotating again, is work for a blocking thread; so is serialising a
    // large document.
    tokio::task::spawn_blocking(move || {
        let entry = state.library.store().get(&id)?.ok_or(AppError::DocumentNotFound(id))?;
        json(&DocumentJson::new(&entry))
    })
    .await?
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
