//! Lectern's own JSON format: one object per annotated document, documented field by field in
//! `docs/json-format.md`. `lectern annotate` prints it and `GET /api/documents/{id}` serves it.
//!
//! These DTOs are converted from the core types: core types stay free to change, and a change here is a visible
//! change of the format. Every offset is converted from the annotator's byte offsets to character offsets here, and
//! only through [`annotate::CharIndex`] (in `formats::offsets`).

use std::collections::HashMap;

use serde::Serialize;

use annotate::{Attribution, Hedge, Sentence, Source, Span};

use super::offsets::Offsets;
use super::review::{CorrectionJson, NoteJson};
use crate::entry::{Entry, Stats};
use crate::review::corrections::{Item, Layer, Marked, marks};
use crate::store::Row;

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
    pub sentences: SentencesJson<'a>,
    /// Speakers in order of first appearance.
    pub sources: Vec<SourceJson<'a>>,
    /// `reviewed` (colleagues' corrections applied, the default) or `annotator` (`?view=annotator`: the
    /// annotator's output alone, with no notes or corrections).
    pub view: &'static str,
    /// The pipeline that made the annotation: `accurate` (the rules and the learned tagger) or `fast` (the rules
    /// alone; in the library, until the learned model has read the document).
    pub pipeline: &'static str,
    /// Colleagues' notes, oldest first.
    pub notes: Vec<NoteJson<'a>>,
    /// Colleagues' corrections, in the order they were made (those that found nothing to correct last).
    pub corrections: Vec<CorrectionJson<'a>>,
}

/// A person's change to an item: who changed it last, how, and what the annotator had said.
#[derive(Debug, Serialize)]
pub struct MarkJson {
    /// The latest action: `confirm`, `fix` or `add`.
    pub action: &'static str,
    /// Who made the latest change.
    pub by: String,
    /// When: seconds since the Unix epoch.
    pub at: i64,
    /// The layers changed: `hedge`, or the parts of an attribution (`source`, `cue`, `content`), or `claim`.
    pub layers: Vec<&'static str>,
    /// The ids of the corrections that made it so, in order.
    pub corrections: Vec<String>,
    /// What the annotator had said before anyone changed it (`null` for what it missed).
    pub was: Option<String>,
}

impl MarkJson {
    fn of(marked: &[(Layer, Marked<'_>)]) -> Option<MarkJson> {
        let latest = marked.iter().map(|(_, m)| m.last).max_by_key(|c| c.correction.created)?;
        let mut corrections: Vec<String> = Vec::new();
        let mut was: Vec<&str> = Vec::new();
        for (_, m) in marked {
            for id in [&m.first.correction.id, &m.last.correction.id] {
                if !corrections.contains(id) {
                    corrections.push(id.clone());
                }
            }
            if let Some(w) = &m.first.was
                && !was.contains(&w.as_str())
            {
                was.push(w);
            }
        }
        Some(MarkJson {
            action: latest.correction.action.as_str(),
            by: latest.correction.author.clone(),
            at: latest.correction.created,
            layers: marked.iter().map(|(l, _)| l.as_str()).collect(),
            corrections,
            was: (!was.is_empty()).then(|| was.join("; ")),
        })
    }
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
    /// What the text was converted from: `plain`, `markdown`, `html`, `pdf` or `docx`.
    pub format: &'static str,
    /// The writer (a page's or a Word file's byline), if known: the reporter, never a source.
    pub byline: Option<&'a str>,
    /// The publication date as the page gives it, if known.
    pub published: Option<&'a str>,
    /// The site or publication, if known.
    pub site: Option<&'a str>,
    /// The link it was fetched from, if any.
    pub url: Option<&'a str>,
    /// The encoding the bytes were read in and what decided it, for text formats.
    pub encoding: Option<EncodingJson<'a>>,
}

/// The encoding a document was read in.
#[derive(Debug, Serialize)]
pub struct EncodingJson<'a> {
    /// The WHATWG name, e.g. `UTF-8`, `windows-1252`.
    pub name: &'a str,
    /// `bom`, `http`, `declared`, `utf-8` (the bytes are valid UTF-8) or `detected`.
    pub source: &'static str,
}

/// One sentence and its annotations.
#[derive(Debug, Serialize)]
pub struct SentenceJson<'a> {
    /// Position in `sentences`, from 0.
    pub index: usize,
    /// Its permalink id, `s-` and eight hex digits from its text (the page's element id, and what notes and
    /// corrections are anchored to).
    pub id: String,
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// The sentence's text.
    pub text: &'a str,
    /// `attributed`, `unattributed` or `none`.
    pub claim: &'static str,
    /// Set when a person set or confirmed the claim label.
    pub claim_corrected: Option<MarkJson>,
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
    /// Id of the rule or lexicon entry that found it (`person/…` for one a person added).
    pub rule: &'a str,
    /// Set when a person confirmed, fixed or added it.
    pub corrected: Option<MarkJson>,
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
    /// Id of the rule that found it (`person/…` for one a person added).
    pub rule: &'a str,
    /// Set when a person confirmed, fixed or added one of its parts.
    pub corrected: Option<MarkJson>,
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

/// A document's sentences in their wire form, each converted only as it is written: a long document's wire form is
/// never held in memory whole (for a 10 MB text that is most of the memory `lectern annotate` needs).
pub struct SentencesJson<'a> {
    conv: Converter<'a>,
    sentences: &'a [Sentence],
    ids: Vec<Option<String>>,
}

impl SentencesJson<'_> {
    fn iter(&self) -> impl Iterator<Item = SentenceJson<'_>> {
        self.sentences
            .iter()
            .zip(&self.ids)
            .enumerate()
            .filter_map(|(i, (s, id))| self.conv.sentence(i, id.clone()?, s))
    }
}

impl Serialize for SentencesJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl std::fmt::Debug for SentencesJson<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SentencesJson")
            .field("sentences", &self.sentences.len())
            .finish_non_exhaustive()
    }
}

/// Converts spans of one text, checking each against the text: a span that does not fit is left out, and an
/// optional span that does not fit becomes `null`, so that `text[start:end] == span text` always holds.
struct Converter<'a> {
    offsets: Offsets<'a>,
    marks: HashMap<(usize, Item), Marked<'a>>,
}

impl<'a> Converter<'a> {
    fn new(text: &'a str, entry: &'a Entry) -> Converter<'a> {
        let marks = entry.review.as_deref().map(|r| marks(&r.applied)).unwrap_or_default();
        Converter { offsets: Offsets::new(text), marks }
    }

    fn mark(&self, i: usize, items: impl IntoIterator<Item = (Layer, Item)>) -> Option<MarkJson> {
        let found: Vec<(Layer, Marked<'_>)> = items
            .into_iter()
            .filter_map(|(l, item)| Some((l, *self.marks.get(&(i, item))?)))
            .collect();
        MarkJson::of(&found)
    }

    /// `(start, end, text)` in characters, if `span` fits the text.
    fn convert(&self, span: Span) -> Option<(usize, usize, &'a str)> {
        self.offsets.locate(span).map(|l| (l.start, l.end, l.text))
    }

    fn span(&self, span: Option<Span>) -> Option<SpanJson<'a>> {
        self.convert(span?).map(|(start, end, text)| SpanJson { start, end, text })
    }

    fn sentence(&self, index: usize, id: String, s: &'a Sentence) -> Option<SentenceJson<'a>> {
        let (start, end, text) = self.convert(s.span)?;
        Some(SentenceJson {
            index,
            id,
            start,
            end,
            text,
            claim: s.claim.as_str(),
            claim_corrected: self.mark(index, [(Layer::Claim, Item::Claim)]),
            checkworthy: (f64::from(s.checkworthy) * 1000.0).round() / 1000.0,
            hedges: s.hedges.iter().filter_map(|h| self.hedge(index, h)).collect(),
            attributions: s.attributions.iter().map(|a| self.attribution(index, a)).collect(),
        })
    }

    fn hedge(&self, i: usize, h: &'a Hedge) -> Option<HedgeJson<'a>> {
        let (start, end, text) = self.convert(h.span)?;
        let corrected = self.mark(i, [(Layer::Hedge, Item::Hedge(h.span))]);
        Some(HedgeJson { start, end, text, category: h.category.as_str(), rule: &h.rule.id, corrected })
    }

    fn attribution(&self, i: usize, a: &'a Attribution) -> AttributionJson<'a> {
        let parts = [(Layer::Source, a.source), (Layer::Cue, a.cue), (Layer::Content, a.content)];
        let corrected = self.mark(i, parts.into_iter().filter_map(|(l, s)| Some((l, Item::Part(l, s?)))));
        AttributionJson {
            corrected,
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
    /// The wire form of `entry`: a library document's reviewed view (which for a document nobody reviewed is the
    /// annotator's output), or the annotator's view of a document that is not stored (`lectern annotate`).
    pub fn new(entry: &'a Entry) -> DocumentJson<'a> {
        let stored = entry.review.is_some() || entry.record.revision > 0;
        DocumentJson::as_view(entry, if stored { "reviewed" } else { "annotator" })
    }

    /// The wire form of the annotator's view of `entry` (`?view=annotator`): its review, if any, left out.
    pub fn annotator(entry: &'a Entry) -> DocumentJson<'a> {
        let mut json = DocumentJson::as_view(entry, "annotator");
        json.notes.clear();
        json.corrections.clear();
        json
    }

    fn as_view(entry: &'a Entry, view: &'static str) -> DocumentJson<'a> {
        let doc = &entry.document;
        let conv = Converter::new(&doc.text, entry);
        let ids = crate::view::sentence_ids(&doc.text, &entry.annotated);
        let sentences = SentencesJson { conv, sentences: &entry.annotated.sentences, ids };
        DocumentJson {
            lectern: FORMAT_VERSION,
            document: DocumentMeta::new(entry),
            text: &doc.text,
            sentences,
            sources: entry.annotated.sources.iter().map(SourceJson::new).collect(),
            view,
            pipeline: entry.record.made.pipeline(),
            notes: super::review::notes(entry, |_| None),
            corrections: super::review::corrections(entry),
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
        let m = &doc.meta;
        DocumentMeta {
            id: &doc.id,
            title: &doc.title,
            name: &doc.name,
            chars: entry.chars(),
            format: doc.format.as_str(),
            byline: m.byline.as_deref(),
            published: m.published.as_deref(),
            site: m.site.as_deref(),
            url: m.url.as_deref(),
            encoding: m
                .encoding
                .as_ref()
                .map(|(name, source)| EncodingJson { name, source: source.as_str() }),
        }
    }
}

/// `GET /api/documents`: a page of the library.
#[derive(Debug, Serialize)]
pub struct DocumentListJson<'a> {
    /// Always [`FORMAT_VERSION`].
    pub lectern: u32,
    /// Documents matching the query (all pages).
    pub total: usize,
    /// Documents skipped before this page.
    pub offset: usize,
    /// Most documents per page.
    pub limit: usize,
    /// This page's documents: newest first, or best match first for a search.
    pub documents: Vec<DocumentSummaryJson<'a>>,
}

/// One document of the list.
#[derive(Debug, Serialize)]
pub struct DocumentSummaryJson<'a> {
    /// URL-safe id.
    pub id: &'a str,
    /// First heading or first line.
    pub title: &'a str,
    /// File name as given.
    pub name: &'a str,
    /// Length of the text in characters.
    pub chars: u64,
    /// Length of the text in bytes (UTF-8).
    pub bytes: u64,
    /// Number of sentences.
    pub sentence_count: usize,
    /// When it was added: seconds since the Unix epoch.
    pub added: i64,
    /// When its text last changed: seconds since the Unix epoch.
    pub updated: i64,
    /// 1, and one more for each change of its text (a watched file edited).
    pub revision: i64,
    /// Counts from its annotation.
    pub counts: CountsJson,
}

/// A document's counts.
#[derive(Debug, Serialize)]
pub struct CountsJson {
    /// Distinct speakers.
    pub sources: usize,
    /// Hedge cues.
    pub hedges: usize,
    /// Attributions.
    pub attributions: usize,
    /// Sentences whose claim a source carries.
    pub attributed: usize,
    /// Sentences whose claim the writer states.
    pub unattributed: usize,
    /// Attributed claims resting on unnamed sources only.
    pub unnamed_only: usize,
    /// Claims with a hedge.
    pub hedged_claims: usize,
}

impl CountsJson {
    /// The counts of `stats`.
    pub fn new(s: &Stats) -> CountsJson {
        CountsJson {
            sources: s.sources,
            hedges: s.hedges,
            attributions: s.attributions,
            attributed: s.attributed,
            unattributed: s.unattributed,
            unnamed_only: s.unnamed_only,
            hedged_claims: s.hedged_claims,
        }
    }
}

impl<'a> DocumentSummaryJson<'a> {
    /// The list form of a library row.
    pub fn new(row: &'a Row) -> DocumentSummaryJson<'a> {
        DocumentSummaryJson {
            id: &row.id,
            title: &row.title,
            name: &row.name,
            chars: row.chars,
            bytes: row.bytes,
            sentence_count: row.stats.sentences,
            added: row.record.added,
            updated: row.record.updated,
            revision: row.record.revision,
            counts: CountsJson::new(&row.stats),
        }
    }
}

/// The error body of every `/api` error.
#[derive(Debug, Serialize)]
pub struct ErrorJson<'a> {
    /// What went wrong, for a person.
    pub error: &'a str,
}
