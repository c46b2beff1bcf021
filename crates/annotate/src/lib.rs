//! Lectern's annotator: makes the machinery of journalism visible, sentence by sentence.
//!
//! Given any text, [`annotate`] splits it into paragraphs and sentences and finds in each
//! - **hedges**: cue words that say how sure the text is ("would likely", "is expected", "as soon as"),
//! - **attributions**: who is speaking (source), by what words (cue), saying what (content), with the speaker
//!   resolved across the document and its kind (named, unnamed, media),
//! - the **claim** label: asserted through a source, asserted by the writer, or no claim at all,
//! - a **check-worthiness** score in `[0, 1]` from a small readable logistic model.
//!
//! Everything found records the lexicon entry or rule that produced it ([`Rule`]), so a reader can be told why.
//! The lexicons are data (`lexicons/*.tsv`: phrase, category, an example sentence that a test annotates);
//! `docs/annotator.md` in the repository walks through every rule.
//!
//! The crate is pure: no I/O, no globals that change, and it never fails or panics on any `&str`. Spans are byte
//! offsets ([`Span`]); convert them for the outside world with [`CharIndex`].
//!
//! ```
//! let text = "Kim would likely travel by train, officials said.";
//! let doc = annotate::annotate(text);
//! let s = &doc.sentences[0];
//! assert_eq!(s.hedges[0].span.text(text), "would likely");
//! assert_eq!(s.attributions[0].source.map(|x| x.text(text)), Some("officials"));
//! assert_eq!(s.claim, annotate::Claim::Attributed);
//! ```

pub mod attribution;
pub mod checkworthy;
pub mod claim;
mod combine;
pub mod document;
pub mod hedge;
mod lexicon;
pub mod model;
mod notice;
mod segment;
pub mod span;
pub mod tagger;
mod token;

pub use attribution::{Attribution, SourceKind};
pub use claim::Claim;
pub use combine::KEEP_UNCONFIRMED;
pub use document::{Annotated, MadeBy, Rule, Sentence, Source};
pub use hedge::{Hedge, HedgeCategory};
pub use span::{CharIndex, Span};
pub use tagger::{Model, ModelError};

/// The annotator's version stamp: the crate version and a fingerprint of its sources, lexicons and model weights
/// (computed by `build.rs`), e.g. `0.1.0+3fa2c1d94b0e7a65`. Any change that can change the output changes the stamp,
/// so a stored annotation made by another annotator can be told apart and recomputed.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "+", env!("ANNOTATE_FINGERPRINT"));

/// Annotate `text`: sentences, hedges, attributions, claims and the document's sources.
///
/// Never fails and never panics, whatever the text: odd input (no sentences, unbalanced quotes, binary-looking
/// characters) yields fewer annotations, not an error.
pub fn annotate(text: &str) -> Annotated {
    stages::annotate(text)
}

/// The rules pipeline's stages one at a time, in the order [`annotate`] runs them, so that the benchmarks
/// (`benches/stages.rs`) can time each one. Not a stable API.
#[doc(hidden)]
pub mod stages {
    use std::borrow::Cow;

    use crate::{Annotated, Sentence, Span, attribution, checkworthy, claim, document, hedge, notice, segment, token};

    /// [`crate::annotate`]: the stages below, with each sentence's tokens made when its turn comes and dropped after
    /// (once for hedges and attributions, once more for claims and check-worthiness once every attribution is
    /// known), so that the tokens of a whole document are never held at once.
    pub fn annotate(text: &str) -> Annotated {
        let segmented = segment(text);
        let mut sentences: Vec<Sentence> = segmented
            .segments
            .iter()
            .map(|seg| Sentence::new(seg.span, seg.paragraph))
            .collect();
        attribution::attribute(text, &mut sentences, |_, s| {
            let toks = token::tokens(text, s.span);
            s.hedges = hedge::find(&toks);
            Cow::Owned(toks)
        });
        let mut scorer = checkworthy::Scorer::default();
        for s in &mut sentences {
            let toks = token::tokens(text, s.span);
            s.claim = claim::label(text, s, &toks);
            s.checkworthy = notice::damp(s, &toks, scorer.score(text, s, &toks));
        }
        finish(segmented, sentences)
    }

    /// The text's paragraphs and sentences.
    #[derive(Debug, Clone)]
    pub struct Segmented {
        paragraphs: Vec<Span>,
        segments: Vec<segment::Segment>,
    }

    impl Segmented {
        /// How many sentences were found.
        pub fn sentences(&self) -> usize {
            self.segments.len()
        }
    }

    /// Every sentence's tokens.
    #[derive(Debug, Clone)]
    pub struct Tokens<'a>(Vec<Vec<token::Token<'a>>>);

    impl Tokens<'_> {
        /// How many tokens there are in all.
        pub fn count(&self) -> usize {
            self.0.iter().map(Vec::len).sum()
        }
    }

    /// Paragraphs and sentences.
    pub fn segment(text: &str) -> Segmented {
        let (paragraphs, segments) = segment::segment(text);
        Segmented { paragraphs, segments }
    }

    /// Each sentence's tokens.
    pub fn tokens<'a>(text: &'a str, segmented: &Segmented) -> Tokens<'a> {
        Tokens(segmented.segments.iter().map(|seg| token::tokens(text, seg.span)).collect())
    }

    /// The sentences with their hedges and nothing else yet.
    pub fn hedges(segmented: &Segmented, toks: &Tokens<'_>) -> Vec<Sentence> {
        segmented
            .segments
            .iter()
            .zip(&toks.0)
            .map(|(seg, t)| Sentence { hedges: hedge::find(t), ..Sentence::new(seg.span, seg.paragraph) })
            .collect()
    }

    /// Attributions, with speakers resolved across the document.
    pub fn attributions(text: &str, sentences: &mut [Sentence], toks: &Tokens<'_>) {
        attribution::attribute(text, sentences, |i, _| Cow::Borrowed(toks.0.get(i).map_or(&[], Vec::as_slice)));
    }

    /// Claim labels (reading the attributions).
    pub fn claims(text: &str, sentences: &mut [Sentence], toks: &Tokens<'_>) {
        for (s, t) in sentences.iter_mut().zip(&toks.0) {
            s.claim = claim::label(text, s, t);
        }
    }

    /// Check-worthiness scores (reading the hedges and attributions).
    pub fn checkworthiness(text: &str, sentences: &mut [Sentence], toks: &Tokens<'_>) {
        let mut scorer = checkworthy::Scorer::default();
        for (s, t) in sentences.iter_mut().zip(&toks.0) {
            s.checkworthy = notice::damp(s, t, scorer.score(text, s, t));
        }
    }

    /// The document: its sentences, paragraphs and sources.
    pub fn finish(segmented: Segmented, sentences: Vec<Sentence>) -> Annotated {
        let sources = document::sources(&sentences);
        Annotated { sentences, paragraphs: segmented.paragraphs, sources }
    }
}

/// Which annotator to run.
#[derive(Debug, Clone, Copy)]
pub enum Pipeline<'m> {
    /// The rules alone ([`annotate`]): megabytes a second, for corpora.
    Fast,
    /// The rules, then the learned tagger over them (see [`annotate_with`]): slower, finds more.
    Accurate(&'m Model),
}

/// Annotate `text` with the chosen pipeline. [`Pipeline::Fast`] is exactly [`annotate`]. [`Pipeline::Accurate`]
/// runs the rules, then the tagger (which reads the rules' spans), and combines the two (`combine.rs`): the
/// attributions say in their [`Rule`] who made them ([`Rule::made_by`]) and how sure the tagger was
/// ([`Rule::confidence`]); claim labels follow the combined attributions, and check-worthiness comes from the
/// tagger's encoder (the sentence as encoded in its window). Never fails and never panics, whatever the text.
pub fn annotate_with(text: &str, pipeline: Pipeline<'_>) -> Annotated {
    annotate_with_progress(text, pipeline, &mut |_| {})
}

/// [`annotate_with`], saying how far it has got: `progress(bytes)` is called with the byte offset the learned
/// tagger has read up to, after each stretch of text it reads (the rules' pass, much quicker, is not reported).
pub fn annotate_with_progress(text: &str, pipeline: Pipeline<'_>, progress: &mut dyn FnMut(usize)) -> Annotated {
    let Pipeline::Accurate(model) = pipeline else { return annotate(text) };
    let mut doc = annotate(text);
    let tagging = model.tag_with_progress(text, &doc.sentences, progress);
    combine::combine(text, &mut doc.sentences, &tagging.spans);
    for (s, cw) in doc.sentences.iter_mut().zip(tagging.checkworthy) {
        let toks = token::tokens(text, s.span);
        s.claim = claim::label(text, s, &toks);
        s.checkworthy = notice::damp(s, &toks, cw);
    }
    doc.sources = document::sources(&doc.sentences);
    doc
}
