//! The HTML pages: the document list and the reading view. Each template struct lives next to its handler; all
//! markup is in `templates/`, and every value reaches it through askama's escaper.

use std::borrow::Borrow;

use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};

use annotate::Claim;

use super::AppState;
use super::error::AppError;
use crate::library::Entry;
use crate::view::{self, Legend, LegendItem, ParagraphView, SourceView};

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
    paragraphs: Vec<ParagraphView<'a>>,
    has_headline: bool,
    sources: Vec<SourceView<'a>>,
    claims: Vec<(LegendItem, usize)>,
    legend: Legend,
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

/// `GET /d/{id}`: one document, annotated.
pub async fn document(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    let Path(id) = id?;
    let entry = state.library.get(&id).ok_or(AppError::DocumentNotFound(id))?;
    let paragraphs = view::paragraphs(&entry.document.text, &entry.annotated);
    let legend = Legend::new();
    let claims = legend
        .claims
        .iter()
        .cloned()
        .zip(Claim::ALL.map(|c| entry.stats.claims(c)))
        .collect();
    render(&DocumentPage {
        entry,
        has_headline: paragraphs.first().is_some_and(|p| p.headline),
        paragraphs,
        sources: view::sources(&entry.annotated),
        claims,
        legend,
    })
}

/// Any other path.
pub async fn not_found() -> AppError {
    AppError::NotFound
}
