//! Linear models kept as readable data: `feature <TAB> weight` lines, a `bias` line, `#` comments.
//!
//! Lectern's learned parts (check-worthiness, extra attribution cues) are logistic models over named binary
//! features, so anyone can open the weights file and see what pushes a decision up or down.

use std::collections::HashMap;

/// A logistic model: bias plus one weight per named feature; absent features weigh nothing.
#[derive(Debug, Clone, Default)]
pub struct LinearModel {
    /// The intercept.
    pub bias: f32,
    /// Weight of each feature.
    pub weights: HashMap<String, f32>,
    /// Lines that did not parse (a test requires none in the shipped files).
    pub problems: Vec<String>,
}

impl LinearModel {
    /// Parse `feature <TAB> weight` lines; `bias` is the intercept.
    pub fn parse(source: &str) -> LinearModel {
        let mut model = LinearModel::default();
        for (n, line) in source.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let parsed = line
                .split_once('\t')
                .and_then(|(name, w)| Some((name, w.trim().parse::<f32>().ok()?)));
            match parsed {
                Some(("bias", w)) => model.bias = w,
                Some((name, w)) => {
                    model.weights.insert(name.to_string(), w);
                }
                None => model.problems.push(format!("line {}: expected `feature<TAB>weight`", n + 1)),
            }
        }
        model
    }

    /// The probability the model gives to a feature set: the logistic of bias plus the present features' weights.
    pub fn score(&self, features: &[String]) -> f32 {
        let z = self.bias + features.iter().filter_map(|f| self.weights.get(f)).sum::<f32>();
        1.0 / (1.0 + (-z).exp())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_follow_the_weights() {
        let m = LinearModel::parse("# c\nbias\t-1\nhas:number\t3\n");
        assert!(m.problems.is_empty());
        let with = m.score(&["has:number".to_string()]);
        let without = m.score(&[]);
        assert!(with > 0.85 && without < 0.3, "{with} {without}");
        assert!((LinearModel::default().score(&["x".to_string()]) - 0.5).abs() < 1e-6);
    }

    #[test]
    fn bad_lines_are_reported() {
        let m = LinearModel::parse("bias\tx\nfeature only\nok\t1\n");
        assert_eq!(m.problems.len(), 2);
        assert_eq!(m.weights.len(), 1);
    }
}
