//! An [`Entry`]: a document together with its annotation and the counts shown beside it. This is the immutable
//! snapshot every page and every export is made from: the store hands out `Arc<Entry>`s, and a changed document is
//! a new entry, never an entry changed in place.

use std::sync::Arc;

use annotate::{Annotated, CharIndex, Claim};

use crate::ingest::Document;
use crate::view::summary::{CertaintySummary, Sourcing};

/// A document and what the annotator found in it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The document as loaded.
    pub document: Document,
    /// The annotation of `document.text`; all spans are byte offsets into it.
    pub annotated: Annotated,
    /// Counts shown in lists and headers.
    pub stats: Stats,
    /// Where the library keeps it; the default for a document that is not stored (`lectern annotate`).
    pub record: Record,
    /// Colleagues' notes and corrections, when this is the reviewed view (then `annotated` has the corrections
    /// applied, and the annotator's own output is kept in the review).
    pub review: Option<Arc<Review>>,
}

/// What people added to a document: the corrections applied (and those that found nothing), the notes with the
/// places they were found again, and what the annotator had found before any correction.
#[derive(Debug, Clone, Default)]
pub struct Review {
    /// The corrections as applied, in order; and those whose item is gone, with why.
    pub applied: Vec<crate::review::corrections::Change>,
    /// Corrections that found nothing to correct.
    pub unattached: Vec<(crate::review::corrections::Correction, &'static str)>,
    /// Every note, with where its passage is now (`None`: the passage changed).
    pub notes: Vec<Placed>,
    /// The annotator's own annotation, before corrections.
    pub original: Annotated,
}

/// A note and where its passage is now.
#[derive(Debug, Clone)]
pub struct Placed {
    /// The note.
    pub note: crate::review::notes::Note,
    /// Its passage now, or `None` when it is not in the text any more.
    pub found: Option<crate::review::anchor::Found>,
}

/// What the library knows of a stored document besides its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// When it was added, in seconds since the Unix epoch (0 when not stored).
    pub added: i64,
    /// When its text last changed (a watched file was edited), in seconds since the Unix epoch.
    pub updated: i64,
    /// 1 when added, one more for each change of its text.
    pub revision: i64,
    /// The file it was imported from and is watched at, or the link it was fetched from, if any.
    pub origin: Option<String>,
    /// How many notes and corrections were written, edited or removed: a new count is a new reviewed view.
    pub review: i64,
    /// Which pipeline made the stored annotation.
    pub made: Made,
}

/// Which pipeline made a stored annotation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Made {
    /// The rules alone (the fast pipeline): every document has this at once.
    #[default]
    Rules,
    /// The rules and the learned tagger (the accurate pipeline): what the background pass leaves.
    Model,
}

impl Made {
    /// The stamp stored beside an annotation: the annotator's version, and for the model's, ` model`.
    pub fn stamp(self) -> String {
        match self {
            Made::Rules => annotate::VERSION.to_string(),
            Made::Model => format!("{} model", annotate::VERSION),
        }
    }

    /// The pipeline a stored stamp names, if it is this annotator's.
    pub fn of_stamp(stamp: &str) -> Option<Made> {
        [Made::Rules, Made::Model].into_iter().find(|m| m.stamp() == stamp)
    }

    /// Machine name: `rules` or `model`.
    pub fn as_str(self) -> &'static str {
        match self {
            Made::Rules => "rules",
            Made::Model => "model",
        }
    }

    /// The pipeline's name on the wire and on the command line: `fast` (the rules) or `accurate`.
    pub fn pipeline(self) -> &'static str {
        match self {
            Made::Rules => "fast",
            Made::Model => "accurate",
        }
    }
}

impl Record {
    /// True when the origin is a file Lectern watches (not a link).
    pub fn watched(&self) -> bool {
        self.origin.as_deref().is_some_and(|o| !crate::ingest::link::looks_like_url(o))
    }
}

impl Entry {
    /// Annotate `document`.
    pub fn annotate(document: Document) -> Entry {
        let annotated = annotate::annotate(&document.text);
        Entry::from_parts(document, annotated)
    }

    /// A document with an annotation computed elsewhere (stored earlier, or built by hand in tests). The spans of
    /// `annotated` must point into `document.text`; the views check them and drop those that do not fit.
    pub fn from_parts(document: Document, annotated: Annotated) -> Entry {
        let stats = Stats::of(&document.text, &annotated);
        Entry { document, annotated, stats, record: Record::default(), review: None }
    }

    /// Length of the text in characters (Unicode scalar values), the unit of every offset on the wire.
    pub fn chars(&self) -> usize {
        self.stats.chars
    }
}

/// Document-level counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Length of the text in characters.
    pub chars: usize,
    /// Sentences.
    pub sentences: usize,
    /// Hedge cues.
    pub hedges: usize,
    /// Attributions.
    pub attributions: usize,
    /// Distinct speakers.
    pub sources: usize,
    /// Sentences whose claim is carried by a source.
    pub attributed: usize,
    /// Sentences whose claim the writer states as fact.
    pub unattributed: usize,
    /// Sentences without a claim.
    pub no_claim: usize,
    /// Attributed claims that rest on unnamed sources only.
    pub unnamed_only: usize,
    /// Claims (attributed or not) with a hedge.
    pub hedged_claims: usize,
}

impl Stats {
    /// The counts of `annotated`, an annotation of `text`.
    pub fn of(text: &str, annotated: &Annotated) -> Stats {
        let count = |claim: Claim| annotated.sentences.iter().filter(|s| s.claim == claim).count();
        Stats {
            chars: CharIndex::new(text).len_chars(),
            sentences: annotated.sentences.len(),
            hedges: annotated.sentences.iter().map(|s| s.hedges.len()).sum(),
            attributions: annotated.sentences.iter().map(|s| s.attributions.len()).sum(),
            sources: annotated.sources.len(),
            attributed: count(Claim::Attributed),
            unattributed: count(Claim::Unattributed),
            no_claim: count(Claim::None),
            unnamed_only: Sourcing::of(&annotated.sentences).unnamed_only,
            hedged_claims: CertaintySummary::of(&annotated.sentences).hedged,
        }
    }

    /// The share of attributed claims that rest only on unnamed sources, in percent (rounded; 0 with none).
    pub fn unnamed_percent(&self) -> usize {
        crate::view::summary::percent(self.unnamed_only, self.attributed)
    }

    /// How many sentences carry `claim`.
    pub fn claims(&self, claim: Claim) -> usize {
        match claim {
            Claim::Attributed => self.attributed,
            Claim::Unattributed => self.unattributed,
            Claim::None => self.no_claim,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::from_bytes;

    fn doc(name: &str, text: &str) -> Document {
        from_bytes(name, text.as_bytes()).expect("test documents are valid text")
    }

    #[test]
    fn stats_count_sentences_and_characters() {
        let e = Entry::annotate(doc("a.txt", "Kim’s train left. It arrived."));
        assert_eq!(e.chars(), 29);
        assert_eq!(e.stats.sentences, 2);
        let claims: usize = Claim::ALL.iter().map(|&c| e.stats.claims(c)).sum();
        assert_eq!(claims, e.stats.sentences);
    }

    #[test]
    fn stats_count_unnamed_sourcing_and_hedged_claims() {
        let e = Entry::annotate(doc(
            "a.txt",
            "Officials said the plant would likely close. Mayor Ann Lee said it would stay open. The river rose.",
        ));
        assert_eq!(e.stats.attributed, 2);
        assert_eq!(e.stats.unnamed_only, 1);
        assert_eq!(e.stats.unnamed_percent(), 50);
        assert_eq!(e.stats.hedged_claims, 1);
    }
}
