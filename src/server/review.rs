//! Notes and corrections over HTTP: `…/notes` and `…/corrections` of a document, for its pages' script and for
//! programs. Who may write is [`ReviewPolicy`] (`--notes`, `--read-only`); who may change or undo a note or a
//! correction is its author (the browser that wrote it) or the owner.
//!
//! A person is known by two cookies, both `SameSite=Strict`: `lectern_viewer`, an `HttpOnly` random key a
//! viewer's browser gets with its first note (only its SHA-256 is stored, as the author key), and `lectern_name`,
//! the display name they gave once (the page reads it to fill the form). The owner needs no key: the owner is the
//! person at the machine.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::AppState;
use super::api::json;
use super::auth::Access;

use super::error::{ApiError, AppError};
use crate::entry::Entry;
use crate::formats::review::{CorrectionJson, NoteJson};
use crate::library::ChangeKind;
use crate::review::anchor::{self, Quote};
use crate::review::corrections::{self, Action, Correction, Layer, Quoted};
use crate::review::notes::{MAX_NOTE_CHARS, clean_body};
use crate::review::{MAX_NAME_CHARS, OWNER_KEY, ReviewPolicy, clean_name};
use crate::store::{NewNote, NoteEdit, Store, StoreError};

/// The cookie holding a viewer's key.
pub const VIEWER_COOKIE: &str = "lectern_viewer";
/// The cookie holding a person's display name.
pub const NAME_COOKIE: &str = "lectern_name";
/// How long both cookies last: a year.
const COOKIE_DAYS: i64 = 365;

/// The person asking.
#[derive(Debug, Clone)]
pub struct Who {
    /// Their author key: `owner`, or `viewer:` and the hash of their browser's key.
    pub key: String,
    /// The name their cookie holds, if any.
    pub name: Option<String>,
    /// A new key to give the browser (a viewer writing for the first time).
    new_key: Option<String>,
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    super::auth::request_cookies(headers)
        .find(|c| c.name() == name)
        .map(|c| decode(c.value()))
}

/// A cookie value as written by [`Who::cookies`] (percent-encoded), decoded.
fn decode(value: &str) -> String {
    let pair = format!("v={}", value.replace('+', "%2B"));
    form_urlencoded::parse(pair.as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn viewer_key(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("viewer:{hex}")
}

/// A viewer's secret looks like one this server made: 32 hex digits.
fn plausible(secret: &str) -> bool {
    secret.len() == 32 && secret.bytes().all(|b| b.is_ascii_hexdigit())
}

impl Who {
    /// The person asking, without giving a viewer a key (for reading: `mine` is false for a browser that has none).
    pub fn of(access: &Access, headers: &HeaderMap) -> Who {
        let name = cookie_value(headers, NAME_COOKIE).and_then(|n| clean_name(&n));
        if access.is_owner() {
            return Who { key: OWNER_KEY.to_string(), name, new_key: None };
        }
        let key = cookie_value(headers, VIEWER_COOKIE)
            .filter(|s| plausible(s))
            .map_or_else(String::new, |s| viewer_key(&s));
        Who { key, name, new_key: None }
    }

    /// The person asking, giving a viewer without a key a new one (for writing).
    fn writing(access: &Access, headers: &HeaderMap) -> Result<Who, AppError> {
        let mut who = Who::of(access, headers);
        if who.key.is_empty() {
            let mut bytes = [0u8; 16];
            getrandom::fill(&mut bytes).map_err(|e| StoreError::Random(e.to_string()))?;
            let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            who.key = viewer_key(&secret);
            who.new_key = Some(secret);
        }
        Ok(who)
    }

    /// Whether something written with `author_key` is theirs to change: their own, or anything for the owner.
    pub fn may_change(&self, author_key: &str) -> bool {
        self.key == OWNER_KEY || (!self.key.is_empty() && self.key == author_key)
    }

    /// The name to write under: the one given now, or the one their cookie holds; the owner may go without.
    fn name(&self, given: Option<&str>) -> Result<String, AppError> {
        if let Some(given) = given.filter(|g| !g.trim().is_empty()) {
            return clean_name(given).ok_or_else(|| unprocessable("A name is letters, not only spaces or controls."));
        }
        match (&self.name, self.key == OWNER_KEY) {
            (Some(name), _) => Ok(name.clone()),
            (None, true) => Ok("Owner".to_string()),
            (None, false) => Err(unprocessable(
                "Give a display name (author), so colleagues know who wrote this; it is kept in this browser.",
            )),
        }
    }

    /// Set the cookies a write leaves: the viewer's new key, and the name used.
    fn cookies(&self, response: &mut Response, name: &str) {
        let build = |name: String, value: String, http_only: bool| {
            let c = cookie::Cookie::build((name, value))
                .path("/")
                .http_only(http_only)
                .same_site(cookie::SameSite::Strict)
                .max_age(cookie::time::Duration::days(COOKIE_DAYS))
                .build();
            HeaderValue::from_str(&c.to_string()).ok()
        };
        if let Some(secret) = &self.new_key
            && let Some(v) = build(VIEWER_COOKIE.to_string(), secret.clone(), true)
        {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
        if self.name.as_deref() != Some(name)
            && let Some(v) = build(NAME_COOKIE.to_string(), crate::formats::percent_encode(name), false)
        {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
}

fn unprocessable(why: &'static str) -> AppError {
    AppError::Unprocessable(why.into())
}

fn body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, AppError> {
    body.map(|Json(b)| b).map_err(|e| AppError::BadRequest(e.body_text().into()))
}

/// Refuse unless `access` may read `id` and write on it.
fn may_write(state: &AppState, access: &Access, id: &str) -> Result<(), AppError> {
    if !access.can_read(id) {
        return Err(AppError::DocumentNotFound(id.to_string()));
    }
    if state.options.review.allows(access, id) {
        Ok(())
    } else if state.options.review == ReviewPolicy::Off {
        Err(AppError::ReviewOff)
    } else {
        Err(AppError::OwnerOnly)
    }
}

/// The reviewed view of `id`, read on a blocking thread.
async fn reviewed(state: &AppState, id: &str) -> Result<Arc<Entry>, AppError> {
    let s = state.clone();
    let wanted = id.to_string();
    tokio::task::spawn_blocking(move || s.library.reviewed(&wanted))
        .await??
        .ok_or_else(|| AppError::DocumentNotFound(id.to_string()))
}

/// `GET /api/documents/{id}/notes`: `{"notes": […]}`, oldest first, each with `mine`.
pub async fn list_notes(
    State(state): State<AppState>,
    access: Access,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = id.map_err(AppError::from)?;
    if !access.can_read(&id) {
        return Err(AppError::DocumentNotFound(id).into());
    }
    let who = Who::of(&access, &headers);
    let entry = reviewed(&state, &id).await?;
    let notes = crate::formats::review::notes(&entry, |key| Some(who.may_change(key)));
    let may = state.options.review.allows(&access, &id);
    json(&serde_json::json!({ "notes": notes, "may_write": may, "name": who.name }))
}

/// A note's passage as sent.
#[derive(Debug, Default, Deserialize)]
pub struct QuoteBody {
    /// The passage; empty for the whole sentence.
    #[serde(default)]
    pub exact: String,
    /// Text before it, to tell repeated passages apart.
    #[serde(default)]
    pub prefix: String,
    /// Text after it.
    #[serde(default)]
    pub suffix: String,
}

/// `POST …/notes`.
#[derive(Debug, Deserialize)]
pub struct NoteBody {
    /// The permalink id of the sentence (a reply may leave it out).
    #[serde(default)]
    pub sentence: Option<String>,
    /// The passage; left out (or empty) for the whole sentence.
    #[serde(default)]
    pub quote: Option<QuoteBody>,
    /// What the note says.
    pub body: String,
    /// The display name; left out to use the one given before.
    #[serde(default)]
    pub author: Option<String>,
    /// The note this one replies to.
    #[serde(default)]
    pub parent: Option<String>,
}

/// Check a note body: not empty, not too long.
fn note_body(body: &str) -> Result<String, AppError> {
    if body.chars().count() > MAX_NOTE_CHARS {
        return Err(AppError::Unprocessable(
            format!("A note is at most {MAX_NOTE_CHARS} characters; this one has {}.", body.chars().count()).into(),
        ));
    }
    clean_body(body).ok_or_else(|| unprocessable("The note is empty: write something."))
}

/// Where a new note goes: its sentence id and its passage with context, found in the document as it is now.
fn place(entry: &Entry, sentence: &str, given: Option<&QuoteBody>) -> Result<(String, Quote), AppError> {
    let text = &entry.document.text;
    let ids = crate::view::sentence_ids(text, &entry.annotated);
    let spans: Vec<(usize, usize)> = entry.annotated.sentences.iter().map(|s| (s.span.start, s.span.end)).collect();
    let Some(si) = ids.iter().position(|i| i.as_deref() == Some(sentence)) else {
        return Err(unprocessable("That sentence is not in the document any more: reload the page."));
    };
    let (start, end) = match given.filter(|q| !q.exact.trim().is_empty()) {
        None => spans[si],
        Some(q) => {
            let asked = Quote { exact: q.exact.clone(), prefix: q.prefix.clone(), suffix: q.suffix.clone() };
            let found = anchor::find(text, &spans, Some(si), &asked)
                .ok_or_else(|| unprocessable("That passage is not in the document: reload the page."))?;
            (found.start, found.end)
        }
    };
    let at = spans.iter().position(|&(s, e)| s <= start && start < e).unwrap_or(si);
    let id = ids.get(at).cloned().flatten().unwrap_or_else(|| sentence.to_string());
    let quote = anchor::quote(text, start, end).ok_or_else(|| unprocessable("That passage does not fit the text."))?;
    Ok((id, quote))
}

fn created(value: &impl serde::Serialize, location: String) -> Result<Response, ApiError> {
    let mut response = (StatusCode::CREATED, Json(value)).into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

/// `POST /api/documents/{id}/notes`: 201 with the stored note.
pub async fn add_note(
    State(state): State<AppState>,
    access: Access,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    sent: Result<Json<NoteBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = id.map_err(AppError::from)?;
    may_write(&state, &access, &id)?;
    let sent = body(sent)?;
    let who = Who::writing(&access, &headers)?;
    let name = who.name(sent.author.as_deref())?;
    let text = note_body(&sent.body)?;
    let s = state.clone();
    let doc = id.clone();
    let author_key = who.key.clone();
    let (entry, note_id) = tokio::task::spawn_blocking(move || -> Result<(Arc<Entry>, String), AppError> {
        let store = s.library.store();
        let (sentence, quote) = match &sent.parent {
            Some(parent) => {
                let p = store.note(&doc, parent)?.ok_or(AppError::NoteNotFound)?;
                if p.parent.is_some() {
                    return Err(unprocessable("Replies are one level deep: reply to the note that starts the thread."));
                }
                (p.sentence, p.quote)
            }
            None => {
                let entry = s
                    .library
                    .reviewed(&doc)?
                    .ok_or_else(|| AppError::DocumentNotFound(doc.clone()))?;
                let sentence = sent
                    .sentence
                    .as_deref()
                    .ok_or_else(|| unprocessable("Say which sentence (its id)."))?;
                place(&entry, sentence, sent.quote.as_ref())?
            }
        };
        let new = NewNote { parent: sent.parent, sentence, quote, body: text, author: name, author_key };
        let note = store.add_note(&doc, &new)?;
        Ok((s.library.reviewed(&doc)?.ok_or(AppError::DocumentNotFound(doc))?, note.id))
    })
    .await??;
    state.library.reviewed_changed(&id, ChangeKind::Note);
    let stored = entry
        .review
        .as_ref()
        .and_then(|r| r.notes.iter().find(|p| p.note.id == note_id));
    let Some(placed) = stored else { return Err(AppError::NoteNotFound.into()) };
    let index = annotate::CharIndex::new(&entry.document.text);
    let ids = crate::view::sentence_ids(&entry.document.text, &entry.annotated);
    let note = NoteJson::new(placed, &index, &ids, Some(true));
    let mut response = created(&note, format!("/api/documents/{id}/notes/{}", placed.note.id))?;
    who.cookies(&mut response, &placed.note.author);
    Ok(response)
}

/// `PATCH …/notes/{note}`.
#[derive(Debug, Deserialize)]
pub struct NoteChange {
    /// A new body (its author or the owner).
    #[serde(default)]
    pub body: Option<String>,
    /// Resolve (true) or reopen (false): anyone who may write notes.
    #[serde(default)]
    pub resolved: Option<bool>,
}

/// `PATCH /api/documents/{id}/notes/{note}`: 200 with the note as it is now.
pub async fn edit_note(
    State(state): State<AppState>,
    access: Access,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
    sent: Result<Json<NoteChange>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Path((id, note_id)) = path.map_err(AppError::from)?;
    may_write(&state, &access, &id)?;
    let sent = body(sent)?;
    let who = Who::of(&access, &headers);
    let body = sent.body.as_deref().map(note_body).transpose()?;
    let s = state.clone();
    let (doc, nid) = (id.clone(), note_id.clone());
    let key = who.key.clone();
    let owner = who.key == OWNER_KEY;
    let entry = tokio::task::spawn_blocking(move || -> Result<Arc<Entry>, AppError> {
        let store = s.library.store();
        let note = store.note(&doc, &nid)?.ok_or(AppError::NoteNotFound)?;
        if body.is_some() && !(owner || (!key.is_empty() && key == note.author_key)) {
            return Err(AppError::NotYours);
        }
        store.edit_note(&doc, &nid, &NoteEdit { body, resolved: sent.resolved })?;
        s.library.reviewed(&doc)?.ok_or(AppError::DocumentNotFound(doc))
    })
    .await??;
    state.library.reviewed_changed(&id, ChangeKind::Note);
    let placed = entry
        .review
        .as_ref()
        .and_then(|r| r.notes.iter().find(|p| p.note.id == note_id))
        .ok_or(AppError::NoteNotFound)?;
    let index = annotate::CharIndex::new(&entry.document.text);
    let ids = crate::view::sentence_ids(&entry.document.text, &entry.annotated);
    json(&NoteJson::new(placed, &index, &ids, Some(who.may_change(&placed.note.author_key))))
}

/// `DELETE /api/documents/{id}/notes/{note}`: its author or the owner; 204 (its replies go with it).
pub async fn delete_note(
    State(state): State<AppState>,
    access: Access,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let Path((id, note_id)) = path.map_err(AppError::from)?;
    let target = note_id.clone();
    let author =
        move |store: &Store, doc: &str| Ok(store.note(doc, &note_id)?.ok_or(AppError::NoteNotFound)?.author_key);
    let remove = move |store: &Store, doc: &str| store.delete_note(doc, &target);
    delete_own(state, &access, &headers, id, ChangeKind::Note, author, remove).await
}

/// Delete a note or correction of document `id`, off the async workers: `author` finds it and says whose it is,
/// and `remove` deletes it when it is the asker's to delete (their own, or anything for the owner); then announce
/// `change`. 204.
async fn delete_own<R>(
    state: AppState,
    access: &Access,
    headers: &HeaderMap,
    id: String,
    change: ChangeKind,
    author: impl FnOnce(&Store, &str) -> Result<String, AppError> + Send + 'static,
    remove: impl FnOnce(&Store, &str) -> Result<R, StoreError> + Send + 'static,
) -> Result<StatusCode, ApiError> {
    may_write(&state, access, &id)?;
    let who = Who::of(access, headers);
    let s = state.clone();
    let doc = id.clone();
    tokio::task::spawn_blocking(move || {
        let store = s.library.store();
        if !who.may_change(&author(store, &doc)?) {
            return Err(AppError::NotYours);
        }
        remove(store, &doc)?;
        Ok(())
    })
    .await??;
    state.library.reviewed_changed(&id, change);
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/documents/{id}/corrections`: `{"corrections": […]}` in the order they were made, each with `mine`.
pub async fn list_corrections(
    State(state): State<AppState>,
    access: Access,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = id.map_err(AppError::from)?;
    if !access.can_read(&id) {
        return Err(AppError::DocumentNotFound(id).into());
    }
    let who = Who::of(&access, &headers);
    let entry = reviewed(&state, &id).await?;
    let list: Vec<serde_json::Value> = crate::formats::review::corrections(&entry)
        .into_iter()
        .map(|c| {
            let mine = entry
                .review
                .as_ref()
                .and_then(|r| {
                    r.applied
                        .iter()
                        .map(|ch| &ch.correction)
                        .chain(r.unattached.iter().map(|(c, _)| c))
                        .find(|x| x.id == c.id)
                })
                .is_some_and(|x| who.may_change(&x.author_key));
            let mut v = serde_json::to_value(&c).unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                o.insert("mine".into(), mine.into());
            }
            v
        })
        .collect();
    json(&serde_json::json!({ "corrections": list, "may_write": state.options.review.allows(&access, &id) }))
}

/// A span as sent: characters, with its text optionally (checked when given).
#[derive(Debug, Deserialize)]
pub struct SpanBody {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// Its text, if the sender says it.
    #[serde(default)]
    pub text: Option<String>,
}

/// `POST …/corrections`.
#[derive(Debug, Deserialize)]
pub struct CorrectionBody {
    /// The permalink id of the sentence.
    pub sentence: String,
    /// `source`, `cue`, `content`, `hedge` or `claim`.
    pub layer: String,
    /// `confirm`, `reject`, `fix` or `add`.
    pub action: String,
    /// The annotator's span it is about (not for a claim or an addition).
    #[serde(default)]
    pub target: Option<SpanBody>,
    /// New boundaries (a fix) or the span added.
    #[serde(default)]
    pub span: Option<SpanBody>,
    /// A source's kind: `named`, `unnamed` or `media`.
    #[serde(default)]
    pub kind: Option<String>,
    /// A hedge's category.
    #[serde(default)]
    pub category: Option<String>,
    /// A claim label: `attributed`, `unattributed` or `none`.
    #[serde(default)]
    pub claim: Option<String>,
    /// The display name.
    #[serde(default)]
    pub author: Option<String>,
}

/// A sent span as a quoted span of `text`: it must fit, and say the same text when it says one.
fn quoted(text: &str, span: &SpanBody) -> Result<Quoted, AppError> {
    let index = annotate::CharIndex::new(text);
    let bytes = corrections::bytes_of(&index, span.start, span.end)
        .filter(|s| s.start < s.end)
        .ok_or_else(|| unprocessable("That span is empty or outside the text."))?;
    let exact = text.get(bytes.start..bytes.end).unwrap_or("").to_string();
    if span.text.as_deref().is_some_and(|t| t != exact) {
        return Err(unprocessable("That span's text is not the document's there: reload the page."));
    }
    Ok(Quoted { start: span.start, end: span.end, exact })
}

/// The correction a body asks for, checked for sense (whether it finds its item is checked by applying it).
fn correction(text: &str, sent: &CorrectionBody, author: String, author_key: String) -> Result<Correction, AppError> {
    let layer =
        Layer::parse(&sent.layer).ok_or_else(|| unprocessable("layer is source, cue, content, hedge or claim."))?;
    let action = Action::parse(&sent.action).ok_or_else(|| unprocessable("action is confirm, reject, fix or add."))?;
    let value = match layer {
        Layer::Source => sent.kind.clone(),
        Layer::Hedge => sent.category.clone(),
        Layer::Claim => sent.claim.clone(),
        Layer::Cue | Layer::Content => None,
    };
    let target = sent.target.as_ref().map(|t| quoted(text, t)).transpose()?;
    let span = sent.span.as_ref().map(|t| quoted(text, t)).transpose()?;
    match (layer, action) {
        (Layer::Claim, Action::Reject | Action::Add) => {
            return Err(unprocessable("A sentence's claim label is confirmed or fixed (set to another)."));
        }
        (Layer::Claim, Action::Fix) if value.is_none() => {
            return Err(unprocessable("Say the claim label: attributed, unattributed or none."));
        }
        (Layer::Claim, _) => {}
        (_, Action::Add) if span.is_none() => return Err(unprocessable("Say what to add: its span.")),
        (Layer::Hedge, Action::Add) if value.is_none() => {
            return Err(unprocessable("Say the hedge's category (epistemic, approximator, …)."));
        }
        (Layer::Source, Action::Add) if value.is_none() => {
            return Err(unprocessable("Say what kind of source it is: named, unnamed or media."));
        }
        (_, Action::Add) => {}
        (_, _) if target.is_none() => return Err(unprocessable("Say which span this is about (target).")),
        (_, Action::Fix) if span.is_none() && value.is_none() => {
            return Err(unprocessable("Say what the fix is: new boundaries (span), or a kind or category."));
        }
        _ => {}
    }
    Ok(Correction {
        id: String::new(),
        sentence: sent.sentence.clone(),
        layer,
        action,
        target: if layer == Layer::Claim || action == Action::Add { None } else { target },
        span,
        value,
        author,
        author_key,
        created: 0,
    })
}

/// `POST /api/documents/{id}/corrections`: 201 with the correction as applied; 422 when it does not find what it
/// corrects (the reason says why).
pub async fn add_correction(
    State(state): State<AppState>,
    access: Access,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    sent: Result<Json<CorrectionBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = id.map_err(AppError::from)?;
    may_write(&state, &access, &id)?;
    let sent = body(sent)?;
    let who = Who::writing(&access, &headers)?;
    let name = who.name(sent.author.as_deref())?;
    let s = state.clone();
    let doc = id.clone();
    let author_key = who.key.clone();
    let (entry, cid) = tokio::task::spawn_blocking(move || -> Result<(Arc<Entry>, String), AppError> {
        let store = s.library.store();
        let base = store.get(&doc)?.ok_or_else(|| AppError::DocumentNotFound(doc.clone()))?;
        let text = &base.document.text;
        let mut c = correction(text, &sent, name, author_key)?;
        if c.layer == Layer::Claim && c.value.is_none() {
            // Confirming a label: the label it has now in the reviewed view.
            let now = s
                .library
                .reviewed(&doc)?
                .ok_or_else(|| AppError::DocumentNotFound(doc.clone()))?;
            let ids = crate::view::sentence_ids(&now.document.text, &now.annotated);
            let si = ids.iter().position(|i| i.as_deref() == Some(c.sentence.as_str()));
            c.value = si
                .and_then(|i| now.annotated.sentences.get(i))
                .map(|s| s.claim.as_str().to_string());
        }
        let mut all = store.corrections(&doc)?;
        all.push(Correction { id: "new".into(), ..c.clone() });
        let ids = crate::view::sentence_ids(text, &base.annotated);
        let applied = corrections::apply(text, &base.annotated, &ids, &all);
        if let Some((_, why)) = applied.unattached.iter().find(|(x, _)| x.id == "new") {
            return Err(AppError::Unprocessable(format!("This correction was not made: {why}.").into()));
        }
        let stored = store.add_correction(&doc, &c)?;
        let entry = s.library.reviewed(&doc)?.ok_or(AppError::DocumentNotFound(doc))?;
        Ok((entry, stored.id))
    })
    .await??;
    state.library.reviewed_changed(&id, ChangeKind::Corrected);
    let change = entry
        .review
        .as_ref()
        .and_then(|r| r.applied.iter().find(|ch| ch.correction.id == cid))
        .ok_or(AppError::CorrectionNotFound)?;
    let mut v = serde_json::to_value(CorrectionJson::applied(change)).map_err(AppError::from)?;
    if let Some(o) = v.as_object_mut() {
        o.insert("mine".into(), true.into());
    }
    let mut response = created(&v, format!("/api/documents/{id}/corrections/{cid}"))?;
    who.cookies(&mut response, &change.correction.author);
    Ok(response)
}

/// `DELETE /api/documents/{id}/corrections/{correction}`: undo it (its author or the owner); 204.
pub async fn delete_correction(
    State(state): State<AppState>,
    access: Access,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let Path((id, cid)) = path.map_err(AppError::from)?;
    let target = cid.clone();
    let author = move |store: &Store, doc: &str| {
        let found = store.corrections(doc)?.into_iter().find(|c| c.id == cid);
        Ok(found.ok_or(AppError::CorrectionNotFound)?.author_key)
    };
    let remove = move |store: &Store, doc: &str| store.delete_correction(doc, &target);
    delete_own(state, &access, &headers, id, ChangeKind::Corrected, author, remove).await
}

/// `?format=` of `GET /api/corrections`.
#[derive(Debug, Default, Deserialize)]
pub struct ExportParams {
    /// `jsonl` (the default) or `brat`.
    #[serde(default)]
    pub format: Option<String>,
}

/// `GET /api/corrections`: every document someone corrected that the asker may read, as they read after the
/// corrections: JSON Lines (`?format=jsonl`, the default) or a brat collection in a zip (`?format=brat`), to score
/// the annotator against with `lectern eval --gold`.
pub async fn export_corrections(
    State(state): State<AppState>,
    access: Access,
    params: Result<axum::extract::Query<ExportParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let params = params
        .map(|axum::extract::Query(p)| p)
        .map_err(|e| AppError::BadRequest(e.body_text().into()))?;
    let brat = match params.format.as_deref() {
        None | Some("jsonl") => false,
        Some("brat") => true,
        Some(_) => return Err(AppError::BadRequest("format is jsonl or brat.".into()).into()),
    };
    let s = state.clone();
    let (body, mime, file) =
        tokio::task::spawn_blocking(move || -> Result<(Vec<u8>, &'static str, &'static str), AppError> {
            let entries: Vec<Arc<Entry>> = s
                .library
                .export(true)?
                .into_iter()
                .filter(|e| access.can_read(&e.document.id))
                .collect();
            if brat {
                let zip =
                    crate::formats::brat::zip_collection(&entries).map_err(|e| AppError::Export(e.to_string()))?;
                return Ok((zip, "application/zip", "lectern-corrections-brat.zip"));
            }
            let mut out = Vec::new();
            for e in &entries {
                crate::formats::export(crate::formats::ExportFormat::Jsonl, e, None, &mut out)
                    .map_err(|e| AppError::Export(e.to_string()))?;
            }
            Ok((out, "application/x-ndjson", "lectern-corrections.jsonl"))
        })
        .await??;
    let disposition = format!("attachment; filename=\"{file}\"");
    let mut response = ([(header::CONTENT_TYPE, mime)], body).into_response();
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

/// The longest display name, for the page's form.
pub const NAME_LIMIT: usize = MAX_NAME_CHARS;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_viewer_is_known_by_the_hash_of_their_key_and_the_owner_changes_anything() {
        let mut h = HeaderMap::new();
        let secret = "0123456789abcdef0123456789abcdef";
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("lectern_viewer=0123456789abcdef0123456789abcdef; lectern_name=Sam%20Lee"),
        );
        let viewer = Access::Viewer(super::super::auth::Viewer::default());
        let who = Who::of(&viewer, &h);
        assert_eq!(who.key, viewer_key(secret));
        assert!(!who.key.contains(secret), "the key itself is not the author key");
        assert_eq!(who.name.as_deref(), Some("Sam Lee"));
        assert!(who.may_change(&viewer_key(secret)) && !who.may_change("viewer:other") && !who.may_change(OWNER_KEY));
        let owner = Who::of(&Access::Owner, &h);
        assert!(owner.may_change("viewer:other"));
        let stranger = Who::of(&viewer, &HeaderMap::new());
        assert!(stranger.key.is_empty() && !stranger.may_change(""), "no key, nothing is theirs");
    }

    #[test]
    fn a_viewer_must_give_a_name_and_the_owner_need_not() {
        let viewer = Access::Viewer(super::super::auth::Viewer::default());
        let who = Who::of(&viewer, &HeaderMap::new());
        assert!(who.name(None).is_err());
        assert!(who.name(Some("   ")).is_err());
        assert_eq!(who.name(Some(" Ana \u{7} ")).ok().as_deref(), Some("Ana"));
        assert_eq!(Who::of(&Access::Owner, &HeaderMap::new()).name(None).ok().as_deref(), Some("Owner"));
    }

    #[test]
    fn corrections_that_make_no_sense_are_refused_before_they_are_tried() {
        let text = "Officials said the bridge may close.";
        let b = |layer: &str, action: &str, target: bool, span: bool, value: Option<&str>| CorrectionBody {
            sentence: "s-1".into(),
            layer: layer.into(),
            action: action.into(),
            target: target.then_some(SpanBody { start: 0, end: 9, text: Some("Officials".into()) }),
            span: span.then_some(SpanBody { start: 29, end: 32, text: None }),
            kind: value.map(str::to_string),
            category: value.map(str::to_string),
            claim: value.map(str::to_string),
            author: None,
        };
        let ok = |body: CorrectionBody| correction(text, &body, "A".into(), OWNER_KEY.into()).is_ok();
        assert!(ok(b("source", "fix", true, false, Some("named"))));
        assert!(ok(b("hedge", "add", false, true, Some("epistemic"))));
        assert!(ok(b("claim", "fix", false, false, Some("none"))));
        assert!(!ok(b("source", "fix", true, false, None)), "a fix says what");
        assert!(!ok(b("hedge", "add", false, true, None)), "an added hedge has a category");
        assert!(!ok(b("cue", "reject", false, false, None)), "a rejection names its target");
        assert!(!ok(b("claim", "reject", false, false, None)));
        assert!(!ok(b("hedges", "add", false, true, Some("epistemic"))));
        let mut wrong = b("source", "reject", true, false, None);
        wrong.target = Some(SpanBody { start: 0, end: 9, text: Some("Ministers".into()) });
        assert!(!ok(wrong), "a span that says other text than the document's");
        let mut outside = b("hedge", "add", false, true, Some("epistemic"));
        outside.span = Some(SpanBody { start: 30, end: 999, text: None });
        assert!(!ok(outside));
    }
}
