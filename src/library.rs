//! The [`Library`]: every served document together with its annotation, computed once.
//!
//! Today the library lives in memory and is built at startup; it is the one type the server asks for documents, so
//! a persistent store can take its place without touching the handlers.

use annotate::{Annotated, CharIndex, Claim};

use crate::load::{Document, Ids};

/// A document and what the annotator found in it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The document as loaded.
    pub document: Document,
    /// The annotation of `document.text`; all spans are byte offsets into it.
    pub annotated: Annotated,
    /// Counts shown in lists and headers.
    pub stats: Stats,
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
        Entry { document, annotated, stats }
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
}

impl Stats {
    fn of(text: &str, annotated: &Annotated) -> Stats {
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
        }
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

/// All served documents, in the order they were given, with unique ids.
#[derive(Debug, Clone, Default)]
pub struct Library {
    entries: Vec<Entry>,
}

impl Library {
    /// A library of `entries`; a repeated id gets a `-2`, `-3`… suffix so that every id names one document.
    pub fn new(entries: Vec<Entry>) -> Library {
        let mut ids = Ids::default();
        let entries = entries
            .into_iter()
            .map(|mut e| {
                e.document.id = ids.claim(&e.document.id);
                e
            })
            .collect();
        Library { entries }
    }

    /// Annotate every document and collect them.
    pub fn annotate(documents: Vec<Document>) -> Library {
        Library::new(documents.into_iter().map(Entry::annotate).collect())
    }

    /// The document with this id.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.document.id == id)
    }

    /// Every document, in order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there is no document.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::from_bytes;

    fn doc(name: &str, text: &str) -> Document {
        from_bytes(name, text.as_bytes()).expect("test documents are valid text")
    }

    #[test]
    fn repeated_ids_are_made_unique() {
        let lib = Library::annotate(vec![doc("a.txt", "One."), doc("a.md", "Two."), doc("b.txt", "Three.")]);
        let ids: Vec<&str> = lib.entries().iter().map(|e| e.document.id.as_str()).collect();
        assert_eq!(ids, ["a", "a-2", "b"]);
        assert_eq!(lib.get("a-2").map(|e| e.document.text.as_str()), Some("Two."));
        assert!(lib.get("c").is_none());
    }

    #[test]
    fn stats_count_sentences_and_characters() {
        let e = Entry::annotate(doc("a.txt", "Kim’s train left. It arrived."));
        assert_eq!(e.chars(), 29);
        assert_eq!(e.stats.sentences, 2);
        let claims: usize = Claim::ALL.iter().map(|&c| e.stats.claims(c)).sum();
        assert_eq!(claims, e.stats.sentences);
    }
}
