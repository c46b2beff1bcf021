//! Share links: the owner makes them (for one document or the whole library), sees each once with its QR code,
//! lists and revokes them; a viewer's browser exchanges one for a cookie at `/s/{token}`.
//!
//! The exchange answers with a small page that sets the cookie and moves on to the clean address by a same-origin
//! refresh rather than a redirect: a link opened from a mail or a chat is a cross-site navigation, and a
//! `SameSite=Strict` cookie set during it would not be sent on a redirect that is part of it. The token thus
//! appears in no later address, no `Referer` (the policy is `no-referrer`) and no log (see `server::redacted_span`).

use askama::Template;
use axum::Json;
use axum::extract::rejection::{FormRejection, JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::AppState;
use super::auth::{Access, COOKIE_PREFIX};
use super::error::{ApiError, AppError};
use crate::formats::shares::{QrJson, ShareJson};
use crate::store::{NewShare, Share, ShareScope};
use crate::view::dates::{Date, date};

/// How long a viewer's browser keeps a link's cookie: a year (revoking the link ends it sooner).
const COOKIE_MAX_AGE: u32 = 365 * 24 * 3600;

/// The fields of the form and of the JSON body that make a link.
#[derive(Debug, Default, Deserialize)]
pub struct ShareForm {
    /// The document to share; none (or empty) for the whole library.
    #[serde(default)]
    pub document: Option<String>,
    /// Whom it is for.
    #[serde(default)]
    pub label: Option<String>,
}

/// A link made just now, with its secret.
pub struct Created {
    share: Share,
    /// The link to send, on the first of the server's addresses.
    url: String,
    /// The same link on the server's other addresses.
    others: Vec<String>,
    qr: Option<(usize, String)>,
}

/// A link as the list shows it.
pub struct ShareView {
    share: Share,
    documents: Vec<(String, String)>,
    created: Date,
    opened: Option<Date>,
}

/// `/shares`.
#[derive(Template)]
#[template(path = "shares.html")]
struct SharesPage {
    shares: Vec<ShareView>,
    created: Option<Created>,
    /// The document `?document=` names, to offer a link for it.
    document: Option<(String, String)>,
    /// The server listens on this machine only: colleagues cannot reach any link yet.
    local_only: bool,
}

/// The page that trades a link for a cookie.
#[derive(Template)]
#[template(path = "opening.html")]
struct OpeningPage {
    target: String,
}

/// `/shares/…` answers must not be kept by any cache: they may hold a token.
fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Make a link as `form` asks; the owner only.
async fn make(state: &AppState, access: &Access, form: ShareForm) -> Result<Created, AppError> {
    access.require_owner()?;
    let document = form.document.filter(|d| !d.trim().is_empty());
    let label = form.label.unwrap_or_default();
    let s = state.clone();
    let (share, token) = tokio::task::spawn_blocking(move || {
        if let Some(id) = &document
            && s.library.store().get(id)?.is_none()
        {
            return Err(AppError::DocumentNotFound(id.clone()));
        }
        Ok::<_, AppError>(s.library.store().create_share(&NewShare { label, document })?)
    })
    .await??;
    let mut urls: Vec<String> = state.options.bases.iter().map(|b| format!("{b}s/{token}")).collect();
    let url = if urls.is_empty() { format!("/s/{token}") } else { urls.remove(0) };
    tracing::info!(share = %share.id, "share link created");
    Ok(Created { qr: crate::lan::qr_svg(&url), share, url, others: urls })
}

/// The list of links, with the titles of the documents they open.
async fn views(state: &AppState) -> Result<Vec<ShareView>, AppError> {
    let s = state.clone();
    tokio::task::spawn_blocking(move || {
        let store = s.library.store();
        let mut out = Vec::new();
        for share in store.shares()? {
            let mut documents = Vec::new();
            if let ShareScope::Documents(ids) = &share.scope {
                for id in ids {
                    let title = store.get(id)?.map_or_else(|| id.clone(), |e| e.document.title.clone());
                    documents.push((id.clone(), title));
                }
            }
            out.push(ShareView { created: date(share.created), opened: share.opened.map(date), share, documents });
        }
        Ok(out)
    })
    .await?
}

/// The shares page, possibly with a link just made.
async fn shares_page(
    state: &AppState,
    created: Option<Created>,
    document: Option<String>,
) -> Result<Response, AppError> {
    let shares = views(state).await?;
    let document = match document.filter(|d| !d.is_empty()) {
        Some(id) => {
            let s = state.clone();
            tokio::task::spawn_blocking(move || s.library.store().get(&id))
                .await??
                .map(|e| (e.document.id.clone(), e.document.title.clone()))
        }
        None => None,
    };
    let page = SharesPage { shares, created, document, local_only: state.options.local_only() };
    Ok(no_store(Html(page.render()?).into_response()))
}

/// `GET /shares`: the owner's links, and a form to make one (for `?document=` or the whole library).
pub async fn page(
    State(state): State<AppState>,
    access: Access,
    query: Result<Query<ShareForm>, QueryRejection>,
) -> Result<Response, AppError> {
    access.require_owner()?;
    let document = query.ok().and_then(|Query(q)| q.document);
    shares_page(&state, None, document).await
}

/// `POST /shares` (form): make a link and show it with its QR code.
pub async fn create(
    State(state): State<AppState>,
    access: Access,
    form: Result<Form<ShareForm>, FormRejection>,
) -> Result<Response, AppError> {
    let Form(form) = form.map_err(|e| AppError::BadRequest(e.body_text().into()))?;
    let document = form.document.clone();
    let created = make(&state, &access, form).await?;
    shares_page(&state, Some(created), document).await
}

/// `POST /shares/{id}/revoke` (form): revoke a link and go back to the list.
pub async fn revoke(
    State(state): State<AppState>,
    access: Access,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    access.require_owner()?;
    let Path(id) = id?;
    revoke_link(&state, id).await?;
    Ok(Redirect::to("/shares").into_response())
}

async fn revoke_link(state: &AppState, id: String) -> Result<(), AppError> {
    let s = state.clone();
    let wanted = id.clone();
    if tokio::task::spawn_blocking(move || s.library.store().revoke(&wanted)).await?? {
        tracing::info!(share = %id, "share link revoked");
        Ok(())
    } else {
        Err(AppError::ShareNotFound(id))
    }
}

/// `GET /s/{token}`: a valid link sets its cookie and moves on to what it opens; any other gets 401.
pub async fn open(
    State(state): State<AppState>,
    token: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    let token = token.map(|Path(t)| t).unwrap_or_default();
    let Some(grant) = state.library.store().check(&token) else {
        return Err(AppError::NoAccess { machine: state.options.machine.clone(), revoked: false });
    };
    let s = state.clone();
    let id = grant.id.clone();
    tokio::task::spawn_blocking(move || s.library.store().opened(&id)).await??;
    let target = match (grant.whole, grant.documents.iter().next()) {
        (false, Some(doc)) if grant.documents.len() == 1 => format!("/d/{doc}"),
        _ => "/".to_string(),
    };
    let cookie = cookie::Cookie::build((format!("{COOKIE_PREFIX}{}", grant.id), token))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Strict)
        .max_age(cookie::time::Duration::seconds(i64::from(COOKIE_MAX_AGE)))
        .build();
    let set = HeaderValue::from_str(&cookie.to_string()).map_err(|_| AppError::BadRequest("bad token".into()))?;
    let mut response = Html(OpeningPage { target }.render()?).into_response();
    response.headers_mut().insert(header::SET_COOKIE, set);
    Ok(no_store(response))
}

/// `GET /api/shares`: the owner's links.
pub async fn api_list(State(state): State<AppState>, access: Access) -> Result<Response, ApiError> {
    access.require_owner()?;
    let s = state.clone();
    let shares = tokio::task::spawn_blocking(move || s.library.store().shares()).await??;
    let body: Vec<ShareJson<'_>> = shares.iter().map(ShareJson::new).collect();
    Ok(no_store(
        Json(serde_json::json!({ "lectern": crate::formats::lectern::FORMAT_VERSION, "shares": body })).into_response(),
    ))
}

/// `POST /api/shares` with `{"document": id or null, "label": …}`: 201 with the link (its `url` shown this once).
pub async fn api_create(
    State(state): State<AppState>,
    access: Access,
    body: Result<Json<ShareForm>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(form) = body.map_err(|e| AppError::BadRequest(e.body_text().into()))?;
    let created = make(&state, &access, form).await?;
    let mut json = ShareJson::new(&created.share);
    json.url = Some(&created.url);
    json.urls = Some(&created.others);
    json.qr = created.qr.as_ref().map(|(size, path)| QrJson { size: *size, path });
    let location = HeaderValue::from_str(&format!("/api/shares/{}", created.share.id))
        .map_err(|_| AppError::BadRequest("bad id".into()))?;
    let mut response = (StatusCode::CREATED, Json(json)).into_response();
    response.headers_mut().insert(header::LOCATION, location);
    Ok(no_store(response))
}

/// `DELETE /api/shares/{id}`: revoke; 204.
pub async fn api_revoke(
    State(state): State<AppState>,
    access: Access,
    id: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    access.require_owner()?;
    let Path(id) = id.map_err(AppError::from)?;
    revoke_link(&state, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
