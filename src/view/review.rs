//! Colleagues' notes and corrections as the reading page shows them: note threads for the Notes panel (each with
//! its passage, where it is now, and its replies) and a line per correction for the Corrections list (who changed
//! what, from what, and whether it still finds its item).

use annotate::CharIndex;

use super::dates::{Date, date};
use crate::entry::{Placed, Review};
use crate::review::OWNER_KEY;
use crate::review::corrections::{Action, Correction, Layer};
use crate::review::notes::{Part, parts};

/// A note as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteView {
    /// Its id (the element id is `note-{id}`).
    pub id: String,
    /// Who wrote it.
    pub author: String,
    /// Written by the owner.
    pub by_owner: bool,
    /// When.
    pub created: Date,
    /// Edited since.
    pub edited: bool,
    /// What it says, in pieces the template prints through the escaper.
    pub parts: Vec<Part>,
}

/// A note with its replies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    /// The note that starts it.
    pub note: NoteView,
    /// The sentence its passage is in now (element id and number), or `None` when the passage changed.
    pub at: Option<(String, usize)>,
    /// The passage as noted.
    pub quote: String,
    /// Found, but not in the sentence it was written on (that sentence changed).
    pub moved: bool,
    /// Resolved.
    pub resolved: bool,
    /// Replies, oldest first.
    pub replies: Vec<NoteView>,
    /// The passage's characters now, for the page's script to light it: `(start, end)`.
    pub chars: Option<(usize, usize)>,
}

impl Thread {
    /// The passage, shortened for the panel.
    pub fn short_quote(&self) -> String {
        super::notes::shorten(&self.quote, 160)
    }
}

fn note_view(p: &Placed) -> NoteView {
    let n = &p.note;
    NoteView {
        id: n.id.clone(),
        author: n.author.clone(),
        by_owner: n.author_key == OWNER_KEY,
        created: date(n.created),
        edited: n.edited.is_some(),
        parts: parts(&n.body),
    }
}

/// The threads of a review, in the order their first notes were written. `ids` are the page's sentence ids.
pub fn threads(text: &str, review: &Review, ids: &[Option<String>]) -> Vec<Thread> {
    let index = CharIndex::new(text);
    let mut out: Vec<Thread> = review
        .notes
        .iter()
        .filter(|p| p.note.parent.is_none())
        .map(|p| {
            let at = p.found.and_then(|f| Some((ids.get(f.sentence)?.clone()?, f.sentence + 1)));
            Thread {
                note: note_view(p),
                chars: p.found.map(|f| crate::review::anchor::chars(&index, &f)),
                at,
                quote: p.note.quote.exact.clone(),
                moved: p.found.is_some_and(|f| !f.in_place),
                resolved: p.note.resolved.is_some(),
                replies: Vec::new(),
            }
        })
        .collect();
    for p in review.notes.iter().filter(|p| p.note.parent.is_some()) {
        if let Some(t) = out.iter_mut().find(|t| Some(&t.note.id) == p.note.parent.as_ref()) {
            t.replies.push(note_view(p));
        }
    }
    out
}

/// How many open (unresolved) threads each sentence has, by sentence index.
pub fn open_counts(review: &Review, sentences: usize) -> Vec<usize> {
    let mut counts = vec![0; sentences];
    for p in review
        .notes
        .iter()
        .filter(|p| p.note.parent.is_none() && p.note.resolved.is_none())
    {
        if let Some(f) = p.found
            && let Some(c) = counts.get_mut(f.sentence)
        {
            *c += 1;
        }
    }
    counts
}

/// A correction as the page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionView {
    /// Its id.
    pub id: String,
    /// Its sentence (element id and number), when it still finds it.
    pub at: Option<(String, usize)>,
    /// What it did, for a reader: "fixed the source “officials”: unnamed → named".
    pub what: String,
    /// Who.
    pub author: String,
    /// Made by the owner.
    pub by_owner: bool,
    /// When.
    pub created: Date,
    /// Why it no longer applies, if it does not.
    pub unattached: Option<&'static str>,
}

/// A layer in a reader's words.
fn layer_word(layer: Layer) -> &'static str {
    match layer {
        Layer::Source => "source",
        Layer::Cue => "attribution cue",
        Layer::Content => "attributed content",
        Layer::Hedge => "hedge",
        Layer::Claim => "claim label",
    }
}

fn describe(c: &Correction, was: Option<&str>) -> String {
    let layer = layer_word(c.layer);
    let target = c
        .target
        .as_ref()
        .map(|t| format!(" “{}”", super::notes::shorten(&t.exact, 60)))
        .unwrap_or_default();
    let span = c.span.as_ref().map(|s| format!("“{}”", super::notes::shorten(&s.exact, 60)));
    let value = c.value.as_deref();
    match c.action {
        Action::Confirm => format!("confirmed the {layer}{target}"),
        Action::Reject => format!("rejected the {layer}{target}"),
        Action::Add => match (span, value) {
            (Some(s), Some(v)) => format!("added a {layer} {s} ({v})"),
            (Some(s), None) => format!("added a {layer} {s}"),
            _ => format!("added a {layer}"),
        },
        Action::Fix if c.layer == Layer::Claim => {
            let from = was.and_then(|w| w.strip_prefix("claim: ")).unwrap_or("?");
            format!("set the claim label: {from} → {}", value.unwrap_or("?"))
        }
        Action::Fix => {
            let mut bits = Vec::new();
            if let Some(v) = value {
                bits.push(format!("now {v}"));
            }
            if let Some(s) = span {
                bits.push(format!("now {s}"));
            }
            format!("fixed the {layer}{target}: {}", bits.join(", "))
        }
    }
}

/// Every correction of a review, in the order they were made (those that no longer apply last).
pub fn corrections(review: &Review, ids: &[Option<String>]) -> Vec<CorrectionView> {
    let view =
        |c: &Correction, at: Option<(String, usize)>, was: Option<&str>, why: Option<&'static str>| CorrectionView {
            id: c.id.clone(),
            at,
            what: describe(c, was),
            author: c.author.clone(),
            by_owner: c.author_key == OWNER_KEY,
            created: date(c.created),
            unattached: why,
        };
    review
        .applied
        .iter()
        .map(|ch| {
            let at = ids.get(ch.sentence).cloned().flatten().map(|sid| (sid, ch.sentence + 1));
            view(&ch.correction, at, ch.was.as_deref(), None)
        })
        .chain(review.unattached.iter().map(|(c, why)| view(c, None, None, Some(why))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::corrections::Quoted;

    fn correction(layer: Layer, action: Action, value: Option<&str>) -> Correction {
        Correction {
            id: "c1".into(),
            sentence: "s-1".into(),
            layer,
            action,
            target: Some(Quoted { start: 0, end: 9, exact: "Officials".into() }),
            span: None,
            value: value.map(str::to_string),
            author: "Sam".into(),
            author_key: OWNER_KEY.into(),
            created: 0,
        }
    }

    #[test]
    fn corrections_read_as_what_a_person_did() {
        assert_eq!(
            describe(&correction(Layer::Source, Action::Fix, Some("named")), None),
            "fixed the source “Officials”: now named"
        );
        assert_eq!(describe(&correction(Layer::Hedge, Action::Reject, None), None), "rejected the hedge “Officials”");
        let claim = Correction { target: None, ..correction(Layer::Claim, Action::Fix, Some("none")) };
        assert_eq!(describe(&claim, Some("claim: attributed")), "set the claim label: attributed → none");
    }
}
