//! Attributions: who is speaking. Citron/PARC-style triples of source, cue and content.

use crate::document::Rule;
use crate::span::Span;

/// One attribution: a source says (cue) something (content).
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    /// The attribution verb or phrase ("said in a statement", "according to"); `None` for a quotation continued
    /// from an earlier sentence, whose cue lies there.
    pub cue: Option<Span>,
    /// The speaker as written in this sentence ("National Security Council spokesperson Adrienne Watson", "he");
    /// `None` when the speaker is named in another sentence.
    pub source: Option<Span>,
    /// Who is speaking, resolved: pronouns, "the outlet" and continued quotations point back to the last fitting
    /// source. `None` only when nothing fits.
    pub speaker: Option<String>,
    /// Named person or body, unnamed, or media.
    pub kind: SourceKind,
    /// True when the content is quoted verbatim.
    pub direct_quote: bool,
    /// What is attributed, when it lies in this sentence.
    pub content: Option<Span>,
    /// The lexicon entry or rule that found it.
    pub rule: Rule,
}

/// What kind of source is speaking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceKind {
    /// A named person or body: "Adrienne Watson", "the Pentagon".
    Named,
    /// An unnamed source: "officials", "a South Korean lawmaker", "intelligence".
    Unnamed,
    /// A news outlet or report: "the New York Times", "the report".
    Media,
}

impl SourceKind {
    /// Every kind, in legend order.
    pub const ALL: [SourceKind; 3] = [SourceKind::Named, SourceKind::Unnamed, SourceKind::Media];

    /// Machine name, as used in JSON and CSS.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Named => "named",
            SourceKind::Unnamed => "unnamed",
            SourceKind::Media => "media",
        }
    }

    /// What the kind means, for a reader.
    pub fn describe(self) -> &'static str {
        match self {
            SourceKind::Named => "named person or body",
            SourceKind::Unnamed => "unnamed source",
            SourceKind::Media => "news outlet or report",
        }
    }
}

/// Find attributions in every sentence, carrying quotations and pronouns across sentences.
pub(crate) fn attribute(_text: &str, _sentences: &mut [crate::Sentence]) {}
