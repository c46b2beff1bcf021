//! One module per annotation layer: each reads its corpora, annotates, scores, and adds rows, notes and error
//! examples to the run.

pub mod attributions;
pub mod claims;
pub mod hedges;
pub mod sentences;
