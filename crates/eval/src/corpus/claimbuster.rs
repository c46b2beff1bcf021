//! ClaimBuster (`claimbuster/train.json`): debate sentences labelled check-worthy (1) or not (0).

use std::path::Path;

use serde::Deserialize;

use super::{LoadError, ParseError};

/// One labelled sentence.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Item {
    /// ClaimBuster's sentence id.
    pub sentence_id: u64,
    /// 1 = check-worthy factual claim, 0 = not.
    pub label: u8,
    /// The sentence.
    pub text: String,
}

impl Item {
    /// True for label 1.
    pub fn checkworthy(&self) -> bool {
        self.label == 1
    }
}

/// Parse the JSON list.
pub fn parse(json: &str) -> Result<Vec<Item>, ParseError> {
    serde_json::from_str(json).map_err(|e| ParseError(e.to_string()))
}

/// Read and parse `train.json`.
pub fn load(path: &Path) -> Result<Vec<Item>, LoadError> {
    parse(&super::read(path)?).map_err(|e| LoadError::parse(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_items() {
        let items = parse(
            r#"[{"sentence_id": 3, "label": 1, "text": "Rents rose 9%."},
                             {"sentence_id": 4, "label": 0, "text": "Thank you."}]"#,
        )
        .expect("valid");
        assert_eq!(items.len(), 2);
        assert!(items[0].checkworthy());
        assert!(!items[1].checkworthy());
        assert!(parse(r#"[{"sentence_id": 3, "text": "no label"}]"#).is_err());
    }
}
