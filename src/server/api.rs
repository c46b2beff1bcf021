//! The JSON wire format, and the `/api` handlers that serve it. The format is documented field by field in
//! `docs/json-format.md`; the CLI's `annotate` command prints the same [`DocumentJson`].
//!
//! These DTOs are the only types Lectern serialises: core types stay free to change, and a change here is a visible
//! change of the format. Every offset is converted from the annotator's byte offsets to character offsets here, and
//! only through [`CharIndex`].

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use annotate::{Attribution, CharIndex, Hedge, Sentence, Source, Span};

use super::AppState;
use super::error::{ApiError, AppError};
use crate::library::Entry;

/// Version of the format, the value of the top-level `lectern` field. Raised on any incompatible change.
pub const FORMAT_VERSION: u32 = 1;

/// One annotated document: `GET /api/documents/{id}` and each output of `lectern annotate`.
#[derive(Debug, Serialize)]
pub struct DocumentJson<'a> {
    /// Always [`FORMAT_VERSION`].
    pub lectern: u32,
    /// Names and size.
    pub document: DocumentMeta<'a>,
    /// The text every offset points into.
    pub text: &'a str,
    /// Sentences in text order.
    pub sentences: Vec<SentenceJson<'a>>,
    /// Speakers in order of first appearance.
    pub sources: Vec<SourceJson<'a>>,
}

/// A document's names and size.
#[derive(Debug, Serialize)]
pub struct DocumentMeta<'a> {
    /// URL-safe id, unique among the documents served or printed together.
    pub id: &'a str,
    /// First heading or first line.
    pub title: &'a str,
    /// File name (`<stdin>` for standard input).
    pub name: &'a str,
    /// Length of `text` in characters.
    pub chars: usize,
}

/// One sentence and its annotations.
#[derive(Debug, Serialize)]
pub struct SentenceJson<'a> {
    /// Position in `sentences`, from 0.
    pub index: usize,
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// The sentence's text.
    pub text: &'a str,
    /// `attributed`, `unattributed` or `none`.
    pub claim: &'static str,
    /// Check-worthiness in [0, 1], rounded to three decimals.
    pub checkworthy: f64,
    /// Hedge cues in text order.
    pub hedges: Vec<HedgeJson<'a>>,
    /// Attributions.
    pub attributions: Vec<AttributionJson<'a>>,
}

/// A span of text: half-open character offsets and the covered text.
#[derive(Debug, Serialize)]
pub struct SpanJson<'a> {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// The covered text.
    pub text: &'a str,
}

/// A hedge cue.
#[derive(Debug, Serialize)]
pub struct HedgeJson<'a> {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// The cue's text.
    pub text: &'a str,
    /// The hedge category's machine name.
    pub category: &'static str,
    /// Id of the rule or lexicon entry that found it.
    pub rule: &'a str,
}

/// An attribution: who (source) says (cue) what (content).
#[derive(Debug, Serialize)]
pub struct AttributionJson<'a> {
    /// The attribution verb or phrase, if it lies in this sentence.
    pub cue: Option<SpanJson<'a>>,
    /// The speaker as written in this sentence, if named here.
    pub source: Option<SpanJson<'a>>,
    /// The resolved speaker.
    pub speaker: Option<&'a str>,
    /// `named`, `unnamed` or `media`.
    pub kind: &'static str,
    /// True when the content is quoted verbatim.
    pub direct_quote: bool,
    /// What is attributed, if it lies in this sentence.
    pub content: Option<SpanJson<'a>>,
    /// Id of the rule that found it.
    pub rule: &'a str,
}

/// A speaker and the sentences they carry.
#[derive(Debug, Serialize)]
pub struct SourceJson<'a> {
    /// The speaker as named in the text.
    pub speaker: &'a str,
    /// `named`, `unnamed` or `media`.
    pub kind: &'static str,
    /// Indices into `sentences`, ascending.
    pub sentences: &'a [usize],
}

/// `GET /api/documents`.
#[derive(Debug, Serialize)]
pub struct DocumentListJson<'a> {
    /// Always [`FORMAT_VERSION`].
    pub lectern: u32,
    /// Every document, in the order given.
    pub documents: Vec<DocumentSummaryJson<'a>>,
}

/// One entry of the document list: the fields of [`DocumentMeta`] and the sentence count.
#[derive(Debug, Serialize)]
pub struct DocumentSummaryJson<'a> {
    /// `id`, `title`, `name`, `chars`, as in [`DocumentMeta`].
    #[serde(flatten)]
    pub meta: DocumentMeta<'a>,
    /// Number of sentences.
    pub sentence_count: usize,
}

/// The error body of every `/api` error.
#[derive(Debug, Serialize)]
pub struct ErrorJson<'a> {
    /// What went wrong, for a person.
    pub error: &'a str,
}

/// Converts spans of one text, checking each against the text: a span that does not fit becomes empty, and an
/// optional span that does not fit becomes `null`, so that `text[start:end] == span text` always holds.
struct Converter<'a> {
    text: &'a str,
    index: CharIndex,
}

impl<'a> Converter<'a> {
    fn new(text: &'a str) -> Converter<'a> {
        Converter { text, index: CharIndex::new(text) }
    }

    /// `(start, end, text)` in characters, if `span` fits the text.
    fn convert(&self, span: Span) -> Option<(usize, usize, &'a str)> {
        let covered = self.text.get(span.start..span.end)?;
        let chars = self.index.chars_of(span);
        Some((chars.start, chars.end, covered))
    }

    fn span(&self, span: Option<Span>) -> Option<SpanJson<'a>> {
        self.convert(span?).map(|(start, end, text)| SpanJson { start, end, text })
    }

    fn sentence(&self, index: usize, s: &'a Sentence) -> Option<SentenceJson<'a>> {
        let (start, end, text) = self.convert(s.span)?;
        Some(SentenceJson {
            index,
            start,
            end,
            text,
            claim: s.claim.as_str(),
            checkworthy: (f64::from(s.checkworthy) * 1000.0).round() / 1000.0,
            hedges: s.hedges.iter().filter_map(|h| self.hedge(h)).collect(),
            attributions: s.attributions.iter().map(|a| self.attribution(a)).collect(),
        })
    }

    fn hedge(&self, h: &'a Hedge) -> Option<HedgeJson<'a>> {
        let (start, end, text) = self.convert(h.span)?;
        Some(HedgeJson { start, end, text, category: h.category.as_str(), rule: &h.rule.id })
    }

    fn attribution(&self, a: &'a Attribution) -> AttributionJson<'a> {
        AttributionJson {
            cue: self.span(a.cue),
            source: self.span(a.source),
            speaker: a.speaker.as_deref(),
            kind: a.kind.as_str(),
            direct_quote: a.direct_quote,
            content: self.span(a.content),
            rule: &a.rule.id,
        }
    }
}

impl<'a> DocumentJson<'a> {
    /// The wire form of `entry`.
    pub fn new(entry: &'a Entry) -> DocumentJson<'a> {
        let doc = &entry.document;
        let conv = Converter::new(&doc.text);
        let sentences = entry
            .annotated
            .sentences
            .iter()
            .enumerate()
            .filter_map(|(i, s)| conv.sentence(i, s))
            .collect();
        DocumentJson {
            lectern: FORMAT_VERSION,
            document: DocumentMeta::new(entry),
            text: &doc.text,
            sentences,
            sources: entry.annotated.sources.iter().map(SourceJson::new).collect(),
        }
    }
}

impl<'a> SourceJson<'a> {
    fn new(s: &'a Source) -> SourceJson<'a> {
        SourceJson { speaker: &s.speaker, kind: s.kind.as_str(), sentences: &s.sentences }
    }
}

impl<'a> DocumentMeta<'a> {
    fn new(entry: &'a Entry) -> DocumentMeta<'a> {
        let doc = &entry.document;
        DocumentMeta { id: &doc.id, title: &doc.title, name: &doc.name, chars: entry.chars() }
    }
}

impl<'a> DocumentSummaryJson<'a> {
    /// The list form of `entry`.
    pub fn new(entry: &'a Entry) -> DocumentSummaryJson<'a> {
        DocumentSummaryJson { meta: DocumentMeta::new(entry), sentence_count: entry.stats.sentences }
    }
}

/// `GET /api/documents`: every document's id, names and size.
pub async fn list(State(state): State<AppState>) -> Result<Response, ApiError> {
    let body = DocumentListJson {
        lectern: FORMAT_VERSION,
        documents: state.library.entries().iter().map(DocumentSummaryJson::new).collect(),
    };
    json(&body)
}

/// `GET /api/documents/{id}`: one annotated document.
pub async fn document(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = id.map_err(AppError::from)?;
    let entry = state.library.get(&id).ok_or(AppError::DocumentNotFound(id))?;
    json(&DocumentJson::new(entry))
}

/// Any other path under `/api`.
pub async fn not_found() -> ApiError {
    ApiError(AppError::NotFound)
}

/// A method other than GET or HEAD on an `/api` route: the error in JSON, like every other `/api` error.
pub async fn method_not_allowed() -> ApiError {
    ApiError(AppError::MethodNotAllowed)
}

/// A JSON response of `body`, serialised here because it borrows from the shared state.
fn json(body: &impl Serialize) -> Result<Response, ApiError> {
    let bytes = serde_json::to_vec(body).map_err(AppError::from)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], bytes).into_response())
}
