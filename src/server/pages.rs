//! The HTML pages: the document list and the reading view. Each template struct lives next to its handler; all
//! markup is in `templates/`, and every value reaches it through askama's escaper.

use std::borrow::Borrow;

use askama::Template;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};

use annotate::Claim;

use super::AppState;
use super::error::AppError;
use crate::library::Entry;
use crate::view::keys::Action;
use crate::view::summary;
use crate::view::{self, Layer, Legend, LegendItem, Reading};

/// `n word` with the word in the singular for one.
/// Templates pass fields by reference and computed values by value; both work.
pub fn count(n: impl Borrow<usize>, one: &str, many: &str) -> String {
    let n = *n.borrow();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The document list.
#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage<'a> {
    entries: &'a [Entry],
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
}

/// The layers the reading view's query hides: `?hide=hedge,cue`, or the same as `?hide=hedge&hide=cue`. Layer names
/// are [`Layer::name`]s; unknown names and other parameters are ignored.
pub fn hidden_layers(pairs: &[(String, String)]) -> Vec<Layer> {
    let names: Vec<&str> = pairs.iter().filter(|(k, _)| k == "hide").map(|(_, v)| v.as_str()).collect();
    Layer::parse_list(&names.join(","))
}

/// Render a template into an HTML response.
fn render(page: &impl Template) -> Result<Response, AppError> {
    Ok(Html(page.render()?).into_response())
}

/// `GET /`: the list of documents, or the only document.
pub async fn index(State(state): State<AppState>) -> Result<Response, AppError> {
    match state.library.entries() {
        [only] => Ok(Redirect::to(&format!("/d/{}", only.document.id)).into_response()),
        entries => render(&IndexPage { entries }),
    }
}

/// `GET /d/{id}`: one document, annotated. A query that cannot be read opens the page with every layer shown.
pub async fn document(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, AppError> {
    let Path(id) = id?;
    if state.library.get(&id).is_none() {
        return Err(AppError::DocumentNotFound(id));
    }
    let hidden = query.map(|Query(pairs)| hidden_layers(&pairs)).unwrap_or_default();
    // Building a long page takes a while: off the async workers, so that other requests are answered meanwhile.
    tokio::task::spawn_blocking(move || {
        let entry = state.library.get(&id).ok_or(AppError::DocumentNotFound(id))?;
        document_page(entry, &hidden)
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

/// The reading page of `entry` with the `hidden` layers off.
fn document_page(entry: &Entry, hidden: &[Layer]) -> Result<Response, AppError> {
    let long = entry.annotated.sentences.len() > MAX_READING_SENTENCES;
    let cut = long.then(|| first_sentences(&entry.annotated, MAX_READING_SENTENCES));
    let annotated = cut.as_ref().unwrap_or(&entry.annotated);
    let reading = view::reading(&entry.document.text, annotated);
    let legend = Legend::new().hiding(hidden);
    let claims = legend
        .claims
        .iter()
        .cloned()
        .zip(Claim::ALL.map(|c| entry.stats.claims(c)))
        .collect();
    render(&DocumentPage {
        entry,
        shown: long.then_some(MAX_READING_SENTENCES),
        has_headline: reading.paragraphs.first().is_some_and(|p| p.headline),
        reading,
        claims,
        legend,
        actions: Action::ALL,
        bar_width: summary::BAR_WIDTH,
    })
}

/// Any other path.
pub async fn not_found() -> AppError {
    AppError::NotFound
}
