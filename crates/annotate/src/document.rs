//! The annotator's output: a document as sentences carrying their hedges, attributions and claim label.

use crate::attribution::{Attribution, SourceKind};
use crate::claim::Claim;
use crate::hedge::Hedge;
use crate::span::Span;

/// Everything the annotator found in one text. All spans are byte offsets into that text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Annotated {
    /// Sentences in text order; they do not overlap, and what lies between two of them is whitespace only.
    pub sentences: Vec<Sentence>,
    /// Paragraphs (the text split at newlines, trimmed), in order; each sentence lies inside one of them.
    pub paragraphs: Vec<Span>,
    /// Every distinct speaker, in order of first appearance, with the sentences they carry.
    pub sources: Vec<Source>,
}

/// One sentence and what was found in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    /// The sentence, trimmed of surrounding whitespace; never empty.
    pub span: Span,
    /// Index into [`Annotated::paragraphs`].
    pub paragraph: usize,
    /// Whether the sentence asserts something, and through whom.
    pub claim: Claim,
    /// How much the sentence reads like a factual claim worth checking, in `[0, 1]` (see [`crate::checkworthy`]).
    pub checkworthy: f32,
    /// Hedge cues, in text order, not overlapping one another.
    pub hedges: Vec<Hedge>,
    /// Attributions whose cue (or, for a continued quotation, whose content) lies in this sentence.
    pub attributions: Vec<Attribution>,
}

impl Sentence {
    /// A sentence over `span` in paragraph `paragraph` with nothing found in it yet: no hedges, no attributions,
    /// claim `None`, check-worthiness 0.
    pub fn new(span: Span, paragraph: usize) -> Sentence {
        Sentence { span, paragraph, claim: Claim::None, checkworthy: 0.0, hedges: Vec::new(), attributions: Vec::new() }
    }
}

/// A speaker and the sentences whose claims they carry.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The speaker as named in the text, e.g. "Adrienne Watson", "top US officials", "the New York Times".
    pub speaker: String,
    /// Named person or body, unnamed, or media.
    pub kind: SourceKind,
    /// Indices into [`Annotated::sentences`], ascending, without repeats.
    pub sentences: Vec<usize>,
}

/// Which lexicon entry or rule produced a span, so a reader can be told why it is highlighted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Stable identifier: `lexicon/<file>:<entry>` for a lexicon entry, `rule/<name>` for a rule.
    pub id: String,
    /// One sentence a reader can understand, e.g. "modal verb of possibility".
    pub why: String,
}

impl Rule {
    /// A rule that is not a lexicon entry.
    pub fn named(name: &str, why: &str) -> Rule {
        Rule { id: format!("rule/{name}"), why: why.to_string() }
    }
}

/// The document's speakers in order of first appearance, each with the sentences they carry.
pub fn sources(sentences: &[Sentence]) -> Vec<Source> {
    let mut out: Vec<Source> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, s) in sentences.iter().enumerate() {
        for a in &s.attributions {
            let Some(speaker) = a.speaker.as_deref() else { continue };
            match index.get(speaker) {
                Some(&k) => {
                    if out[k].sentences.last() != Some(&i) {
                        out[k].sentences.push(i);
                    }
                }
                None => {
                    index.insert(speaker, out.len());
                    out.push(Source { speaker: speaker.to_string(), kind: a.kind, sentences: vec![i] });
                }
            }
        }
    }
    out
}
