//! The Golden Rules of sentence segmentation (`golden-rules/rules.json`, pySBD's English benchmark).

use std::path::Path;

use serde::Deserialize;

use super::{LoadError, ParseError};

/// One rule: an input text and the sentences it must split into.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GoldenRule {
    /// Rule number, 1-based.
    pub id: u32,
    /// Short title, e.g. "Abbreviation in the middle of a sentence".
    pub name: String,
    /// The text to segment.
    pub input: String,
    /// The expected sentences, trimmed.
    pub expected_sentences: Vec<String>,
}

/// Parse the JSON list of rules.
pub fn parse(json: &str) -> Result<Vec<GoldenRule>, ParseError> {
    serde_json::from_str(json).map_err(|e| ParseError(e.to_string()))
}

/// Read and parse `rules.json`.
pub fn load(path: &Path) -> Result<Vec<GoldenRule>, LoadError> {
    parse(&super::read(path)?).map_err(|e| LoadError::parse(path, e))
}

/// pySBD's scoring: a rule passes iff the segments, each stripped of surrounding whitespace, equal the expected list.
pub fn passes(segments: &[&str], expected: &[String]) -> bool {
    segments.len() == expected.len() && segments.iter().zip(expected).all(|(s, e)| s.trim() == e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn pass_logic_trims_and_compares_in_order() {
        let expected = owned(&["The kettle boiled.", "Nobody came."]);
        assert!(passes(&["The kettle boiled. ", " Nobody came.\n"], &expected));
        assert!(!passes(&["Nobody came.", "The kettle boiled."], &expected));
        assert!(!passes(&["The kettle boiled. Nobody came."], &expected));
        assert!(!passes(&["The kettle boiled.", "Nobody came.", ""], &expected));
        // Inner whitespace is significant.
        assert!(!passes(&["The  kettle boiled.", "Nobody came."], &expected));
    }

    #[test]
    fn parses_the_rule_format() {
        let json =
            r#"[{"id": 7, "name": "Two sentences", "input": "Go. Stop.", "expected_sentences": ["Go.", "Stop."]}]"#;
        let rules = parse(json).expect("valid");
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].id, 7);
        assert_eq!(rules[0].expected_sentences, owned(&["Go.", "Stop."]));
        assert!(parse(r#"[{"id": "x"}]"#).is_err());
    }
}
