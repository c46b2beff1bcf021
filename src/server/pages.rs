//! The HTML pages: the library (list, search, add, delete) and the reading view. Each template struct lives next
//! to its handler; all markup is in `templates/`, and every value reaches it through askama's escaper.

use std::borrow::Borrow;

use askama::Template;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};

use annotate::Claim;

use super::AppState;
use super::auth::Access;
use super::cache::{self, Key, Kind};
use super::error::AppError;
use crate::entry::{Entry, Stats};
use crate::formats::ExportFormat;
use crate::store::{ListQuery, Row, Snippet};
use crate::view::dates::{Date, date};
use crate::view::keys::Action;
use crate::view::summary;
use crate::view::{self, Layer, Legend, LegendItem, Reading};

/// Documents per page of the library.
pub const PAGE_SIZE: usize = 50;

/// `n word` with the word in the singular for one.
/// Templates pass fields by reference and computed values by value; both work.
pub fn count(n: impl Borrow<usize>, one: &str, many: &str) -> String {
    let n = *n.borrow();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A notice the page shows once, named in its address (`?notice=`) by the action that led there.
fn notice(pairs: &[(String, String)]) -> Option<&'static str> {
    let value = pairs.iter().find(|(k, _)| k == "notice").map(|(_, v)| v.as_str())?;
    match value {
        "existing" => Some("This text was already in the library, so nothing was added: here it is."),
        "deleted" => Some("The document was deleted."),
        "updated" => Some("This link was in the library already: its document now has the page's latest text."),
        _ => None,
    }
}

/// One document of the library page.
struct RowView {
    id: String,
    title: String,
    name: String,
    added: Date,
    size: String,
    stats: Stats,
    snippet: Option<Snippet>,
    watched: bool,
}

impl RowView {
    fn new(r: Row) -> RowView {
        RowView {
            added: date(r.record.added),
            size: crate::size::human(r.bytes),
            watched: r.record.watched(),
            id: r.id,
            title: r.title,
            name: crate::ingest::shown_name(&r.name).to_string(),
            stats: r.stats,
            snippet: r.snippet,
        }
    }
}

/// The library page.
#[derive(Template)]
#[template(path = "library.html")]
struct LibraryPage {
    rows: Vec<RowView>,
    /// Documents matching (all pages).
    total: usize,
    /// What was searched for, as typed.
    search: String,
    /// This page, from 1, and how many there are.
    page: usize,
    pages: usize,
    /// Addresses of the neighbouring pages.
    newer: Option<String>,
    older: Option<String>,
    owner: bool,
    can_add: bool,
    max_upload: String,
    notice: Option<&'static str>,
    /// Files being annotated now (shown to the owner, whose files they are).
    pending: Vec<String>,
}

/// The address of page `page` of the library for `search`.
fn page_url(search: &str, page: usize) -> String {
    let mut pairs = form_urlencoded::Serializer::new(String::new());
    if !search.is_empty() {
        pairs.append_pair("q", search);
    }
    if page > 1 {
        pairs.append_pair("page", &page.to_string());
    }
    let query = pairs.finish();
    if query.is_empty() { "/".to_string() } else { format!("/?{query}") }
}

/// `GET /`: the library, newest first, or what `?q=` finds; `?page=` pages through it.
pub async fn library(
    State(state): State<AppState>,
    access: Access,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, AppError> {
    let pairs = query.map(|Query(p)| p).unwrap_or_default();
    let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let search = get("q").unwrap_or("").trim().chars().take(200).collect::<String>();
    let page = get("page")
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, 1_000_000);
    let notice = notice(&pairs);
    let owner = access.is_owner();
    let can_add = access.can_add(state.options.allow_upload);
    let max_upload = crate::size::human(state.options.max_upload);
    let pending = if owner { state.library.pending() } else { Vec::new() };
    let searched = search.clone();
    let listed = tokio::task::spawn_blocking(move || {
        let q = ListQuery {
            search: Some(searched.as_str()).filter(|s| !s.is_empty()),
            visible: access.visible(),
            offset: (page - 1) * PAGE_SIZE,
            limit: PAGE_SIZE,
        };
        state.library.store().list(&q)
    })
    .await??;
    let pages = listed.total.div_ceil(PAGE_SIZE).max(1);
    let page_view = LibraryPage {
        rows: listed.rows.into_iter().map(RowView::new).collect(),
        total: listed.total,
        newer: (page > 1).then(|| page_url(&search, (page - 1).min(pages))),
        older: (page < pages).then(|| page_url(&search, page + 1)),
        search,
        page,
        pages,
        owner,
        can_add,
        max_upload,
        notice,
        pending,
    };
    render(&page_view)
}

/// The reading view.
#[derive(Template)]
#[template(path = "document.html")]
struct DocumentPage<'a> {
    entry: &'a Entry,
    /// How many sentences the page shows, when that is fewer than the document has.
    shown: Option<usize>,
    reading: Reading<'a>,
    has_headline: bool,
    claims: Vec<(LegendItem, usize)>,
    legend: Legend,
    actions: [Action; Action::ALL.len()],
    bar_width: u32,
    owner: bool,
    added: Date,
    notice: Option<&'static str>,
    /// A file that opens offline: the style sheet inline, no script, no controls that need the server.
    standalone: bool,
    exports: [ExportFormat; ExportFormat::ALL.len()],
    annotator: &'static str,
    /// For a standalone page: when it was made.
    exported: String,
    /// The reader may write notes and corrections.
    may_write: bool,
    /// This is the annotator's view, without colleagues' notes and corrections.
    annotator_view: bool,
    /// The learned model has yet to refine this annotation (it will, in the background).
    refining: bool,
    /// Why the learned model could not be loaded.
    model_error: Option<String>,
    /// Longest note and name, for the forms.
    max_note: usize,
    max_name: usize,
}

/// The layers the reading view's query hides: `?hide=hedge,cue`, or the same as `?hide=hedge&hide=cue`; without
/// `hide`, the quiet layers ([`Layer::QUIET`]), and `?hide=` hides none. Layer names are [`Layer::name`]s; unknown
/// names and other parameters are ignored.
pub fn hidden_layers(pairs: &[(String, String)]) -> Vec<Layer> {
    let names: Vec<&str> = pairs.iter().filter(|(k, _)| k == "hide").map(|(_, v)| v.as_str()).collect();
    if names.is_empty() {
        return Layer::QUIET.to_vec();
    }
    Layer::parse_list(&names.join(","))
}

/// Render a template into an HTML response.
fn render(page: &impl Template) -> Result<Response, AppError> {
    Ok(Html(page.render()?).into_response())
}

/// `GET /d/{id}`: one document, annotated. A query that cannot be read opens the page with every layer shown.
pub async fn document(
    State(state): State<AppState>,
    access: Access,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, AppError> {
    let Path(id) = id?;
    if !access.can_read(&id) {
        return Err(AppError::DocumentNotFound(id));
    }
    let pairs = query.map(|Query(p)| p).unwrap_or_default();
    let hidden = hidden_layers(&pairs);
    let notice = notice(&pairs);
    let owner = access.is_owner();
    // An unknown view is the default one: a page opens whatever its address says.
    let annotator = pairs.iter().any(|(k, v)| k == "view" && v == "annotator");
    let refining = state.library.refines();
    let kind = Kind::Page { owner, hidden: Layer::bits(&hidden), annotator, refining };
    let key_of = move |entry: &Entry| Key {
        id: entry.document.id.clone(),
        revision: entry.record.revision,
        review: if annotator { 0 } else { entry.record.review },
        made: entry.record.made,
        kind,
    };
    let kept_entry = if annotator { state.library.store().cached(&id) } else { state.library.reviewed_cached(&id) };
    // A page with a notice is shown once: it is not kept.
    if notice.is_none()
        && let Some(entry) = kept_entry
        && let Some(page) = state.cache.get(&key_of(&entry))
    {
        return Ok(cache::respond(&page, &headers));
    }
    let may_write = state.options.review.offers(owner);
    let how = Page {
        owner,
        may_write: may_write && !annotator,
        annotator,
        refining,
        model_error: state.library.model_error(),
    };
    // Reading the stored annotation and building a long page take a while: off the async workers, so that other
    // requests are answered meanwhile.
    tokio::task::spawn_blocking(move || {
        let entry = if annotator { state.library.store().get(&id)? } else { state.library.reviewed(&id)? };
        let entry = entry.ok_or(AppError::DocumentNotFound(id))?;
        if notice.is_some() {
            return Ok(Html(reading_html(&entry, &hidden, how, notice, false)?).into_response());
        }
        let key = key_of(&entry);
        let page = match state.cache.get(&key) {
            Some(page) => page,
            None => {
                let html = reading_html(&entry, &hidden, how, None, false)?;
                state.cache.insert(key, "text/html; charset=utf-8", html.into_bytes())
            }
        };
        Ok(cache::respond(&page, &headers))
    })
    .await?
}

/// Most sentences one reading page shows. A longer document (a book rather than an article) is shown up to here,
/// with a note, and its whole annotation stays in the JSON API: every page's size and rendering time stay bounded.
pub const MAX_READING_SENTENCES: usize = 2_000;

/// The first `n` sentences of an annotation, with their paragraphs and the sources they mention.
fn first_sentences(a: &annotate::Annotated, n: usize) -> annotate::Annotated {
    let sentences = a.sentences[..n.min(a.sentences.len())].to_vec();
    let paragraphs = sentences.last().map_or(0, |s| s.paragraph + 1);
    let sources = a
        .sources
        .iter()
        .filter_map(|src| {
            let kept: Vec<usize> = src.sentences.iter().copied().filter(|&i| i < n).collect();
            (!kept.is_empty()).then(|| annotate::Source { sentences: kept, ..src.clone() })
        })
        .collect();
    annotate::Annotated { sentences, paragraphs: a.paragraphs[..paragraphs.min(a.paragraphs.len())].to_vec(), sources }
}

/// Who a reading page is for, and what it offers them.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// The owner (share and delete controls).
    pub owner: bool,
    /// They may write notes and corrections.
    pub may_write: bool,
    /// The annotator's view, without colleagues' notes and corrections.
    pub annotator: bool,
    /// The library refines annotations with the learned model.
    pub refining: bool,
    /// Why the learned model could not be loaded, if it was asked for and could not.
    pub model_error: Option<String>,
}

/// The reading page of `entry` with the `hidden` layers off.
pub fn document_page(
    entry: &Entry,
    hidden: &[Layer],
    owner: bool,
    notice: Option<&'static str>,
) -> Result<Response, AppError> {
    let how = Page { owner, may_write: owner, annotator: false, refining: false, model_error: None };
    Ok(Html(reading_html(entry, hidden, how, notice, false)?).into_response())
}

/// The reading page of `entry` as a file that opens offline and refers to nothing outside itself: every layer
/// shown (the legend still switches them, through CSS), no script; its notes and corrections shown, not offered.
pub fn standalone_page(entry: &Entry) -> Result<String, AppError> {
    reading_html(entry, &Layer::QUIET, Page::default(), None, true)
}

/// The reading page's HTML.
pub fn reading_html(
    entry: &Entry,
    hidden: &[Layer],
    how: Page,
    notice: Option<&'static str>,
    standalone: bool,
) -> Result<String, AppError> {
    let owner = how.owner;
    let long = entry.annotated.sentences.len() > MAX_READING_SENTENCES;
    let cut = long.then(|| first_sentences(&entry.annotated, MAX_READING_SENTENCES));
    let annotated = cut.as_ref().unwrap_or(&entry.annotated);
    let reading = view::reading(&entry.document.text, annotated, entry.review.as_deref());
    let legend = Legend::new().hiding(hidden);
    let claims = legend
        .claims
        .iter()
        .cloned()
        .zip(Claim::ALL.map(|c| entry.stats.claims(c)))
        .collect();
    let page = DocumentPage {
        entry,
        shown: long.then_some(MAX_READING_SENTENCES),
        has_headline: reading.paragraphs.first().is_some_and(|p| p.headline),
        reading,
        claims,
        legend,
        actions: Action::ALL,
        bar_width: summary::BAR_WIDTH,
        owner,
        added: date(entry.record.added),
        notice,
        standalone,
        exports: ExportFormat::ALL,
        annotator: annotate::VERSION,
        exported: if standalone { date(crate::store::now()).text } else { String::new() },
        may_write: how.may_write && !standalone,
        annotator_view: how.annotator,
        refining: how.refining && entry.record.made == crate::entry::Made::Rules && !standalone,
        model_error: how.model_error.clone().filter(|_| !standalone),
        max_note: crate::review::notes::MAX_NOTE_CHARS,
        max_name: crate::review::MAX_NAME_CHARS,
    };
    Ok(page.render()?)
}

/// Any other path.
pub async fn not_found() -> AppError {
    AppError::NotFound
}

/// A method a page does not take.
pub async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}
