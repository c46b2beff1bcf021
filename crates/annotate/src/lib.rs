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
pub mod document;
pub mod hedge;
mod lexicon;
pub mod model;
mod segment;
pub mod span;
mod token;

pub use attribution::{Attribution, SourceKind};
pub use claim::Claim;
pub use document::{Annotated, Rule, Sentence, Source};
pub use hedge::{Hedge, HedgeCategory};
pub use span::{CharIndex, Span};

/// The annotator's version stamp: the crate version and a fingerprint of its sources, lexicons and model weights
/// (computed by `build.rs`), e.g. `0.1.0+3fa2c1d94b0e7a65`. Any change that can change the output changes the stamp,
/// so a stored annotation made by another annotator can be told apart and recomputed.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "+", env!("ANNOTATE_FINGERPRINT"));

/// Annotate `text`: sentences, hedges, attributions, claims and the document's sources.
///
/// Never fails and never panics, whatever the text: odd input (no sentences, unbalanced quotes, binary-looking
/// characters) yields fewer annotations, not an error.
pub fn annotate(text: &str) -> Annotated {
    let (paragraphs, segments) = segment::segment(text);
    // Each sentence is tokenized once; every layer reads the same tokens.
    let toks: Vec<Vec<token::Token<'_>>> = segments.iter().map(|seg| token::tokens(text, seg.span)).collect();
    let mut sentences: Vec<Sentence> = segments
        .iter()
        .zip(&toks)
        .map(|(seg, t)| Sentence { hedges: hedge::find(t), ..Sentence::new(seg.span, seg.paragraph) })
        .collect();
    attribution::attribute(text, &mut sentences, &toks);
    for (s, t) in sentences.iter_mut().zip(&toks) {
        s.claim = claim::label(text, s, t);
        s.checkworthy = checkworthy::score(text, s, t);
    }
    let sources = document::sources(&sentences);
    Annotated { sentences, paragraphs, sources }
}
