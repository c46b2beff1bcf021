//! The bar Lectern must reach, and the published reference points printed beside each number.
//!
//! Bars are the right-hand column of the table "The bar" in issue #3 ("Measured accuracy: an evaluation command over
//! public gold corpora, and an annotator that beats the published systems"). Reference points are the middle column
//! of that table and the list in `../shared/data/README.md`, which cites the original papers and benchmarks.

use serde::Serialize;

/// A minimum a row must reach, with where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bar {
    /// The minimum: an F1 in [0, 1], or a count for Golden Rules.
    pub min: f64,
    /// How the bar reads in the table, e.g. "≥ 0.80".
    pub display: &'static str,
    /// Where the bar is stated.
    pub source: &'static str,
}

/// Where every bar below comes from.
const ISSUE_3: &str = "issue #3, table 'The bar'";

/// Golden Rules passed, of 48. Source: issue #3, table "The bar", row "Golden Rules".
pub const GOLDEN_RULES: Bar = Bar { min: 46.0, display: "≥ 46/48", source: ISSUE_3 };
/// Sentence boundary F1 on FactBank news. Source: issue #3, row "sentence boundaries, news".
pub const BOUNDARY_NEWS: Bar = Bar { min: 0.98, display: "≥ 0.98", source: ISSUE_3 };
/// Uncertain-sentence F1 on FactBank. Source: issue #3, row "hedges, news sentences (FactBank)".
pub const HEDGE_SENTENCES_NEWS: Bar = Bar { min: 0.80, display: "≥ 0.80", source: ISSUE_3 };
/// Uncertain-sentence F1 on WikiWeasel. Source: issue #3, row "hedges, Wikipedia sentences".
pub const HEDGE_SENTENCES_WIKI: Bar = Bar { min: 0.85, display: "≥ 0.85", source: ISSUE_3 };
/// Attribution cue F1, overlap matching, PolNeAR dev. Source: issue #3, row "attribution cue, PolNeAR (overlap)".
pub const ATTRIBUTION_CUE: Bar = Bar { min: 0.85, display: "≥ 0.85", source: ISSUE_3 };
/// Attribution source F1, overlap matching. Source: issue #3, row "attribution source, PolNeAR (overlap)".
pub const ATTRIBUTION_SOURCE: Bar = Bar { min: 0.85, display: "≥ 0.85", source: ISSUE_3 };
/// Attribution content F1, overlap matching. Source: issue #3, row "attribution content, PolNeAR (overlap)".
pub const ATTRIBUTION_CONTENT: Bar = Bar { min: 0.80, display: "≥ 0.80", source: ISSUE_3 };
/// Check-worthy F1 at threshold 0.5 on ClaimBuster. Source: issue #3, row "check-worthiness, ClaimBuster".
pub const CHECKWORTHY: Bar = Bar { min: 0.80, display: "≥ 0.80", source: ISSUE_3 };

/// Golden Rules: pySBD's benchmark (pySBD 47/48, sentencex 43/48) and pragmatic_segmenter's README (NLTK Punkt
/// about 46% of its 52 rules). Source: issue #3 and `golden-rules/SOURCE.md`.
pub const REF_GOLDEN_RULES: &str = "pySBD 47/48, sentencex 43/48";
/// sentencex on FactBank, as measured for STACK.md and quoted in issue #3.
pub const REF_BOUNDARY_NEWS: &str = "sentencex 0.964";
/// A 40-word frequency lexicon on FactBank sentences (issue #3).
pub const REF_HEDGE_NEWS: &str = "40-word lexicon ≈ 0.66";
/// A 20-word lexicon on WikiWeasel (issue #3); the CoNLL-2010 Task 1 best system scored 60.2 on the original
/// weasel labels (Farkas et al. 2010), a different labelling of the same sentences.
pub const REF_HEDGE_WIKI: &str = "20-word lexicon ≈ 0.75 (CoNLL-2010 best 0.602, orig. labels)";
/// BBC Citron on PARC 3.0: cue F1 82.3 (data README; issue #3 quotes it as the overlap reference, 0.82).
pub const REF_CUE_OVERLAP: &str = "Citron (PARC 3.0) 0.82";
/// BBC Citron on PARC 3.0, source F1 with overlap matching; textacy's quotation extractor on PolNeAR dev reaches
/// recall 0.16 (data README).
pub const REF_SOURCE_OVERLAP: &str = "Citron (PARC 3.0) 0.85; textacy R 0.16";
/// BBC Citron on PARC 3.0, content F1 with overlap matching (issue #3).
pub const REF_CONTENT_OVERLAP: &str = "Citron (PARC 3.0) 0.83";
/// BBC Citron on PARC 3.0, source F1 with exact matching (data README).
pub const REF_SOURCE_EXACT: &str = "Citron (PARC 3.0) 0.820";
/// ClaimBuster's own trained classifiers (an SVM, later BERT-based), as named in issue #3; no single number is
/// quoted there.
pub const REF_CHECKWORTHY: &str = "ClaimBuster SVM / BERT classifiers";
