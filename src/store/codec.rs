//! The stored form of an annotation: the annotator's [`Annotated`] as compact JSON with byte offsets, private to
//! the store. It is not a wire format (that is `formats::lectern`, with character offsets): it only has to bring
//! back exactly what the annotator produced, so a page made from a stored annotation is the page the annotator
//! would make. Rules are kept once in a table and referred to by index, since most spans share a few rules.
//!
//! A row that does not decode (written by a future Lectern, or damaged) is never an error for the reader: the
//! store treats it as stale and annotates the text again.

use std::collections::HashMap;

use annotate::{Annotated, Attribution, Claim, Hedge, HedgeCategory, Rule, Sentence, Source, SourceKind, Span};
use serde::{Deserialize, Serialize};

use crate::ingest::{EncodingSource, Meta, Removed};

/// Version of this encoding, stored in every row's data. Raised on any change of the structs below.
const ENCODING: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Stored {
    v: u32,
    /// `(id, why)` of every rule, referred to by index.
    rules: Vec<(String, String)>,
    paragraphs: Vec<(usize, usize)>,
    sentences: Vec<StoredSentence>,
    sources: Vec<StoredSource>,
}

#[derive(Serialize, Deserialize)]
struct StoredSentence {
    s: (usize, usize),
    p: usize,
    claim: String,
    cw: f32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    h: Vec<StoredHedge>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    a: Vec<StoredAttribution>,
}

#[derive(Serialize, Deserialize)]
struct StoredHedge {
    s: (usize, usize),
    c: String,
    r: usize,
}

#[derive(Serialize, Deserialize)]
struct StoredAttribution {
    cue: Option<(usize, usize)>,
    src: Option<(usize, usize)>,
    who: Option<String>,
    kind: String,
    quote: bool,
    content: Option<(usize, usize)>,
    r: usize,
}

#[derive(Serialize, Deserialize)]
struct StoredSource {
    who: String,
    kind: String,
    s: Vec<usize>,
}

/// Why a stored annotation could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// Not the JSON this encoding writes.
    #[error("stored annotation is not readable: {0}")]
    Json(#[from] serde_json::Error),
    /// Another version of the encoding.
    #[error("stored annotation has encoding {0}, this Lectern reads {ENCODING}")]
    Version(u32),
    /// A label this Lectern does not know, or a rule index out of range.
    #[error("stored annotation has an unknown {0}")]
    Unknown(&'static str),
}

/// Rules in order of first use, each once.
#[derive(Default)]
struct RuleTable<'a> {
    rules: Vec<(String, String)>,
    index: HashMap<(&'a str, &'a str), usize>,
}

impl<'a> RuleTable<'a> {
    fn index_of(&mut self, r: &'a Rule) -> usize {
        let key = (r.id.as_str(), r.why.as_str());
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        self.rules.push((r.id.clone(), r.why.clone()));
        self.index.insert(key, self.rules.len() - 1);
        self.rules.len() - 1
    }
}

/// Encode `a` for the `annotations.data` column.
pub fn encode(a: &Annotated) -> Vec<u8> {
    let mut table = RuleTable::default();
    let mut rule = |r| table.index_of(r);
    let span = |s: Span| (s.start, s.end);
    let sentences = a
        .sentences
        .iter()
        .map(|s| StoredSentence {
            s: span(s.span),
            p: s.paragraph,
            claim: s.claim.as_str().to_string(),
            cw: s.checkworthy,
            h: s.hedges
                .iter()
                .map(|h| StoredHedge { s: span(h.span), c: h.category.as_str().to_string(), r: rule(&h.rule) })
                .collect(),
            a: s.attributions
                .iter()
                .map(|x| StoredAttribution {
                    cue: x.cue.map(span),
                    src: x.source.map(span),
                    who: x.speaker.clone(),
                    kind: x.kind.as_str().to_string(),
                    quote: x.direct_quote,
                    content: x.content.map(span),
                    r: rule(&x.rule),
                })
                .collect(),
        })
        .collect();
    let stored = Stored {
        v: ENCODING,
        paragraphs: a.paragraphs.iter().map(|&p| span(p)).collect(),
        sentences,
        sources: a
            .sources
            .iter()
            .map(|s| StoredSource { who: s.speaker.clone(), kind: s.kind.as_str().to_string(), s: s.sentences.clone() })
            .collect(),
        rules: table.rules,
    };
    // Serialising plain structs of strings, numbers and vectors cannot fail.
    serde_json::to_vec(&stored).unwrap_or_default()
}

/// Decode what [`encode`] wrote.
pub fn decode(bytes: &[u8]) -> Result<Annotated, DecodeError> {
    let stored: Stored = serde_json::from_slice(bytes)?;
    if stored.v != ENCODING {
        return Err(DecodeError::Version(stored.v));
    }
    let rules: Vec<Rule> = stored.rules.into_iter().map(|(id, why)| Rule { id, why }).collect();
    let rule = |i: usize| rules.get(i).cloned().ok_or(DecodeError::Unknown("rule"));
    let span = |(start, end): (usize, usize)| Span::new(start, end);
    let mut sentences = Vec::with_capacity(stored.sentences.len());
    for s in stored.sentences {
        let mut hedges = Vec::with_capacity(s.h.len());
        for h in s.h {
            hedges.push(Hedge { span: span(h.s), category: hedge_category(&h.c)?, rule: rule(h.r)? });
        }
        let mut attributions = Vec::with_capacity(s.a.len());
        for x in s.a {
            attributions.push(Attribution {
                cue: x.cue.map(span),
                source: x.src.map(span),
                speaker: x.who,
                kind: source_kind(&x.kind)?,
                direct_quote: x.quote,
                content: x.content.map(span),
                rule: rule(x.r)?,
            });
        }
        sentences.push(Sentence {
            span: span(s.s),
            paragraph: s.p,
            claim: claim(&s.claim)?,
            checkworthy: s.cw,
            hedges,
            attributions,
        });
    }
    let mut sources = Vec::with_capacity(stored.sources.len());
    for s in stored.sources {
        sources.push(Source { speaker: s.who, kind: source_kind(&s.kind)?, sentences: s.s });
    }
    Ok(Annotated { sentences, paragraphs: stored.paragraphs.into_iter().map(span).collect(), sources })
}

/// The stored form of a document's [`Meta`].
#[derive(Serialize, Deserialize, Default)]
struct StoredMeta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    byline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    site: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    encoding: Option<(String, String)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    removed: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
}

/// Encode `m` for the `documents.meta` column.
pub fn encode_meta(m: &Meta) -> String {
    let stored = StoredMeta {
        byline: m.byline.clone(),
        published: m.published.clone(),
        site: m.site.clone(),
        url: m.url.clone(),
        encoding: m
            .encoding
            .as_ref()
            .map(|(name, source)| (name.clone(), source.as_str().to_string())),
        removed: m.removed.iter().map(|r| (r.what.clone(), r.text.clone())).collect(),
        notes: m.notes.clone(),
    };
    serde_json::to_string(&stored).unwrap_or_else(|_| "{}".to_string())
}

/// Decode what [`encode_meta`] wrote; what cannot be read is left out (metadata is never worth an error).
pub fn decode_meta(text: &str) -> Meta {
    let stored: StoredMeta = serde_json::from_str(text).unwrap_or_default();
    Meta {
        byline: stored.byline,
        published: stored.published,
        site: stored.site,
        url: stored.url,
        encoding: stored
            .encoding
            .and_then(|(name, source)| EncodingSource::parse(&source).map(|s| (name, s))),
        removed: stored.removed.into_iter().map(|(what, text)| Removed { what, text }).collect(),
        notes: stored.notes,
    }
}

fn claim(name: &str) -> Result<Claim, DecodeError> {
    Claim::ALL
        .into_iter()
        .find(|c| c.as_str() == name)
        .ok_or(DecodeError::Unknown("claim label"))
}

fn hedge_category(name: &str) -> Result<HedgeCategory, DecodeError> {
    HedgeCategory::ALL
        .into_iter()
        .find(|c| c.as_str() == name)
        .ok_or(DecodeError::Unknown("hedge category"))
}

fn source_kind(name: &str) -> Result<SourceKind, DecodeError> {
    SourceKind::ALL
        .into_iter()
        .find(|k| k.as_str() == name)
        .ok_or(DecodeError::Unknown("source kind"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_annotation_comes_back_exactly() {
        let text = "“Kim may travel by train,” Watson said in a statement. Officials believe he could arrive \
                    Tuesday, the Times reported.\nA second paragraph, which would likely matter.";
        let a = annotate::annotate(text);
        assert!(a.sentences.iter().any(|s| !s.hedges.is_empty() && !s.attributions.is_empty()));
        assert_eq!(decode(&encode(&a)).ok(), Some(a));
    }

    #[test]
    fn metadata_comes_back_and_damaged_metadata_is_empty() {
        let m = Meta {
            byline: Some("Jane Doe".into()),
            site: Some("The Riverton Courier".into()),
            url: Some("https://example.org/a".into()),
            encoding: Some(("windows-1252".into(), EncodingSource::Declared)),
            removed: vec![Removed { what: "navigation".into(), text: "Home\nNews".into() }],
            notes: vec!["A note.".into()],
            ..Meta::default()
        };
        assert_eq!(decode_meta(&encode_meta(&m)), m);
        assert_eq!(decode_meta("{not json"), Meta::default());
        assert_eq!(decode_meta("{}"), Meta::default());
    }

    #[test]
    fn damaged_or_foreign_rows_are_errors_not_panics() {
        assert!(matches!(decode(b"not json"), Err(DecodeError::Json(_))));
        let future = br#"{"v":99,"rules":[],"paragraphs":[],"sentences":[],"sources":[]}"#;
        assert!(matches!(decode(future), Err(DecodeError::Version(99))));
        let bad_label = br#"{"v":1,"rules":[],"paragraphs":[[0,2]],"sentences":[{"s":[0,2],"p":0,"claim":"maybe","cw":0.5}],"sources":[]}"#;
        assert!(matches!(decode(bad_label), Err(DecodeError::Unknown("claim label"))));
        let bad_rule = br#"{"v":1,"rules":[],"paragraphs":[[0,2]],"sentences":[{"s":[0,2],"p":0,"claim":"none","cw":0.5,"h":[{"s":[0,1],"c":"epistemic","r":3}]}],"sources":[]}"#;
        assert!(matches!(decode(bad_rule), Err(DecodeError::Unknown("rule"))));
    }
}
