//! Notes and corrections on the wire: what `GET /api/documents/{id}/notes` and `…/corrections` serve, what their
//! POSTs answer, and the `notes` and `corrections` of a document's JSON. Offsets are characters, as everywhere.

use annotate::CharIndex;
use serde::Serialize;

use crate::entry::{Entry, Placed};
use crate::review::anchor;
use crate::review::corrections::{Change, Correction, Quoted};
use crate::review::notes::{Part, parts};

/// A note.
#[derive(Debug, Serialize)]
pub struct NoteJson<'a> {
    /// Its id.
    pub id: &'a str,
    /// The note it replies to, or null.
    pub parent: Option<&'a str>,
    /// The permalink id of the sentence it was written on.
    pub sentence: &'a str,
    /// Where its passage is now: the sentence's id and the passage's characters; null when the passage changed.
    pub at: Option<AtJson>,
    /// The passage as it was noted.
    pub quote: QuoteJson<'a>,
    /// What it says, as written.
    pub body: &'a str,
    /// What it says, in pieces ready to show: `{ "text" }`, `{ "em" }`, `{ "strong" }`, `{ "link", "href" }`,
    /// `{ "break": true }`.
    pub parts: Vec<PartJson>,
    /// Who wrote it.
    pub author: &'a str,
    /// When: seconds since the Unix epoch.
    pub created: i64,
    /// When it was last edited, if ever.
    pub edited: Option<i64>,
    /// When it was resolved, if it is.
    pub resolved: Option<i64>,
    /// Whether the asker may edit or delete it (its author, or the owner); only in the answers of `…/notes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mine: Option<bool>,
}

/// Where a note's passage is now.
#[derive(Debug, Serialize)]
pub struct AtJson {
    /// The permalink id of the sentence it is in now.
    pub sentence: String,
    /// First character of the passage.
    pub start: usize,
    /// One past its last character.
    pub end: usize,
    /// False when it was found elsewhere than the sentence it was written on.
    pub in_place: bool,
}

/// A passage with its context.
#[derive(Debug, Serialize)]
pub struct QuoteJson<'a> {
    /// The passage.
    pub exact: &'a str,
    /// Text before it.
    pub prefix: &'a str,
    /// Text after it.
    pub suffix: &'a str,
}

/// A piece of a note.
#[derive(Debug, Serialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum PartJson {
    /// Plain text.
    Text {
        /// The text.
        text: String,
    },
    /// Emphasis.
    Em {
        /// The text.
        em: String,
    },
    /// Strong emphasis.
    Strong {
        /// The text.
        strong: String,
    },
    /// A link.
    Link {
        /// What it says.
        link: String,
        /// Where it goes.
        href: String,
    },
    /// A new paragraph.
    Break {
        /// Always true.
        r#break: bool,
    },
}

fn part(p: Part) -> PartJson {
    match p {
        Part::Text(text) => PartJson::Text { text },
        Part::Em(em) => PartJson::Em { em },
        Part::Strong(strong) => PartJson::Strong { strong },
        Part::Link { text, href } => PartJson::Link { link: text, href },
        Part::Break => PartJson::Break { r#break: true },
    }
}

/// The permalink ids of `entry`'s sentences.
pub fn sentence_ids(entry: &Entry) -> Vec<Option<String>> {
    crate::view::sentence_ids(&entry.document.text, &entry.annotated)
}

impl<'a> NoteJson<'a> {
    /// The wire form of a placed note of `entry`; `mine` when the asker may change it.
    pub fn new(p: &'a Placed, index: &CharIndex, ids: &[Option<String>], mine: Option<bool>) -> NoteJson<'a> {
        let n = &p.note;
        let at = p.found.as_ref().and_then(|f| {
            let (start, end) = anchor::chars(index, f);
            Some(AtJson { sentence: ids.get(f.sentence)?.clone()?, start, end, in_place: f.in_place })
        });
        NoteJson {
            id: &n.id,
            parent: n.parent.as_deref(),
            sentence: &n.sentence,
            at,
            quote: QuoteJson { exact: &n.quote.exact, prefix: &n.quote.prefix, suffix: &n.quote.suffix },
            body: &n.body,
            parts: parts(&n.body).into_iter().map(part).collect(),
            author: &n.author,
            created: n.created,
            edited: n.edited,
            resolved: n.resolved,
            mine,
        }
    }
}

/// A correction.
#[derive(Debug, Serialize)]
pub struct CorrectionJson<'a> {
    /// Its id (undo it with `DELETE …/corrections/{id}`).
    pub id: &'a str,
    /// The permalink id of its sentence.
    pub sentence: &'a str,
    /// `source`, `cue`, `content`, `hedge` or `claim`.
    pub layer: &'static str,
    /// `confirm`, `reject`, `fix` or `add`.
    pub action: &'static str,
    /// The annotator's span it is about, or null.
    pub target: Option<SpanJson<'a>>,
    /// The span chosen (fixed boundaries, or what was added), or null.
    pub span: Option<SpanJson<'a>>,
    /// The kind, category or claim label chosen, or null.
    pub value: Option<&'a str>,
    /// Who made it.
    pub author: &'a str,
    /// When: seconds since the Unix epoch.
    pub created: i64,
    /// What the annotator had said, for a reader; null for an addition or when it found nothing.
    pub was: Option<&'a str>,
    /// Whether it found what it corrects in the document as it is now.
    pub attached: bool,
    /// Why not, when it did not.
    pub unattached_because: Option<&'static str>,
}

/// A span of a correction, in characters.
#[derive(Debug, Serialize)]
pub struct SpanJson<'a> {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// Its text.
    pub text: &'a str,
}

fn span(q: &Option<Quoted>) -> Option<SpanJson<'_>> {
    q.as_ref().map(|q| SpanJson { start: q.start, end: q.end, text: &q.exact })
}

impl<'a> CorrectionJson<'a> {
    fn of(c: &'a Correction, was: Option<&'a str>, unattached: Option<&'static str>) -> CorrectionJson<'a> {
        CorrectionJson {
            id: &c.id,
            sentence: &c.sentence,
            layer: c.layer.as_str(),
            action: c.action.as_str(),
            target: span(&c.target),
            span: span(&c.span),
            value: c.value.as_deref(),
            author: &c.author,
            created: c.created,
            was,
            attached: unattached.is_none(),
            unattached_because: unattached,
        }
    }

    /// An applied correction.
    pub fn applied(ch: &'a Change) -> CorrectionJson<'a> {
        CorrectionJson::of(&ch.correction, ch.was.as_deref(), None)
    }

    /// A correction that found nothing.
    pub fn unattached(c: &'a Correction, why: &'static str) -> CorrectionJson<'a> {
        CorrectionJson::of(c, None, Some(why))
    }
}

/// Every correction of `entry`, applied ones first, in the order they were made.
pub fn corrections(entry: &Entry) -> Vec<CorrectionJson<'_>> {
    let Some(r) = &entry.review else { return Vec::new() };
    r.applied
        .iter()
        .map(CorrectionJson::applied)
        .chain(r.unattached.iter().map(|(c, why)| CorrectionJson::unattached(c, why)))
        .collect()
}

/// Every note of `entry`, oldest first; `mine` says which the asker may change (given a note's author key).
pub fn notes<'a>(entry: &'a Entry, mine: impl Fn(&str) -> Option<bool>) -> Vec<NoteJson<'a>> {
    let Some(r) = &entry.review else { return Vec::new() };
    let index = CharIndex::new(&entry.document.text);
    let ids = sentence_ids(entry);
    r.notes
        .iter()
        .map(|p| NoteJson::new(p, &index, &ids, mine(&p.note.author_key)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_serialise_as_small_objects() {
        let v = serde_json::to_value(parts("a *b* [c](https://x.org)\n\nd").into_iter().map(part).collect::<Vec<_>>());
        assert_eq!(
            v.ok(),
            Some(serde_json::json!([
                { "text": "a " }, { "em": "b" }, { "text": " " }, { "link": "c", "href": "https://x.org" },
                { "break": true }, { "text": "d" }
            ]))
        );
    }
}
