//! Linear models kept as readable data: `feature <TAB> weight` lines, a `bias` line, `#` comments.
//!
//! Lectern's learned parts (check-worthiness, extra attribution cues) are logistic models over named binary
//! features, so anyone can open the weights file and see what pushes a decision up or down.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a: a fast hash for the short feature names looked up hundreds of times per sentence. The table's keys are
/// the model's own features, fixed at build time, so a simple hash is enough.
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A hasher for keys that are hashes already ([`chars_key`]): it keeps the `u64` it is given.
#[derive(Debug, Clone, Copy, Default)]
pub struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A 64-bit key for a short run of characters, so that character n-gram features are looked up without building
/// their names. Two different runs sharing a key is possible in principle and vanishingly unlikely (one in 2^64 per
/// lookup and entry).
pub fn chars_key(chars: &[char]) -> u64 {
    let mut h: u64 = 0x9e37_79b9_7f4a_7c15;
    for &c in chars {
        h = (h.rotate_left(21) ^ u64::from(c)).wrapping_mul(0xff51_afd7_ed55_8ccd);
    }
    h ^ (h >> 29)
}

/// One feature handed to [`LinearModel::score_with`]: a name, or the characters of a character n-gram whose name
/// is the model's character prefix ([`LinearModel::with_char_prefix`]) followed by them.
#[derive(Debug, Clone, Copy)]
pub enum Feature<'a> {
    /// A feature by its full name.
    Name(&'a str),
    /// A character n-gram, by its characters.
    Chars(&'a [char]),
}

/// A logistic model: bias plus one weight per named feature; absent features weigh nothing.
#[derive(Debug, Clone, Default)]
pub struct LinearModel {
    /// The intercept.
    pub bias: f32,
    /// Each feature's position in [`LinearModel::weights`].
    pub index: HashMap<String, usize, BuildHasherDefault<Fnv>>,
    /// The position of each character n-gram feature, by the [`chars_key`] of its characters.
    pub char_index: HashMap<u64, usize, BuildHasherDefault<Prehashed>>,
    /// The features' weights, in file order.
    pub weights: Vec<f32>,
    /// Lines that did not parse (a test requires none in the shipped files).
    pub problems: Vec<String>,
}

impl LinearModel {
    /// Parse `feature <TAB> weight` lines; `bias` is the intercept. A feature listed twice keeps its last weight.
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
                Some((name, w)) => match model.index.get(name) {
                    Some(&i) => model.weights[i] = w,
                    None => {
                        model.index.insert(name.to_string(), model.weights.len());
                        model.weights.push(w);
                    }
                },
                None => model.problems.push(format!("line {}: expected `feature<TAB>weight`", n + 1)),
            }
        }
        model
    }

    /// Also index the features named `prefix` followed by characters, by those characters, for
    /// [`Feature::Chars`].
    pub fn with_char_prefix(mut self, prefix: &str) -> LinearModel {
        for (name, &i) in &self.index {
            if let Some(rest) = name.strip_prefix(prefix) {
                let chars: Vec<char> = rest.chars().collect();
                self.char_index.insert(chars_key(&chars), i);
            }
        }
        self
    }

    /// The weight of one feature, if the model has it.
    pub fn weight(&self, feature: &str) -> Option<f32> {
        self.index.get(feature).map(|&i| self.weights[i])
    }

    /// The probability the model gives to a feature set: the logistic of bias plus the present features' weights,
    /// each feature counted once however often it is listed.
    pub fn score(&self, features: &[String]) -> f32 {
        self.score_with(|emit| features.iter().for_each(|f| emit(Feature::Name(f))))
    }

    /// [`LinearModel::score`] of the features that `each` hands to its callback, without collecting them: each is
    /// looked up as it comes and counted once however often it comes.
    pub fn score_with(&self, each: impl FnOnce(&mut dyn FnMut(Feature<'_>))) -> f32 {
        let mut present: Vec<usize> = Vec::new();
        each(&mut |f: Feature<'_>| {
            let found = match f {
                Feature::Name(name) => self.index.get(name),
                Feature::Chars(chars) => self.char_index.get(&chars_key(chars)),
            };
            if let Some(&i) = found {
                present.push(i);
            }
        });
        present.sort_unstable();
        present.dedup();
        let z = self.bias + present.iter().map(|&i| self.weights[i]).sum::<f32>();
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
        assert_eq!(m.weight("has:number"), Some(3.0));
        assert_eq!(m.weight("absent"), None);
        let twice = m.score(&["has:number".to_string(), "has:number".to_string()]);
        let with = m.score(&["has:number".to_string()]);
        let without = m.score(&[]);
        assert!(with > 0.85 && without < 0.3, "{with} {without}");
        assert_eq!(twice, with, "a feature counts once");
        assert!((LinearModel::default().score(&["x".to_string()]) - 0.5).abs() < 1e-6);
    }

    #[test]
    fn character_ngrams_score_as_their_names_do() {
        let m = LinearModel::parse("bias\t0\nc=ab\t1\nc=é \t2\nw=ab\t4\n").with_char_prefix("c=");
        assert_eq!(m.char_index.len(), 2);
        let (ab, e) = (['a', 'b'], ['é', ' ']);
        let by_chars = m.score_with(|emit| {
            emit(Feature::Chars(&ab));
            emit(Feature::Chars(&e));
            emit(Feature::Chars(&['x']));
        });
        let by_name = m.score(&["c=ab".to_string(), "c=é ".to_string(), "c=x".to_string()]);
        assert_eq!(by_chars, by_name);
        assert!((by_chars - 1.0 / (1.0 + (-3.0f32).exp())).abs() < 1e-6);
        assert_ne!(chars_key(&['a', 'b']), chars_key(&['b', 'a']));
    }

    #[test]
    fn bad_lines_are_reported() {
        let m = LinearModel::parse("bias\tx\nfeature only\nok\t1\n");
        assert_eq!(m.problems.len(), 2);
        assert_eq!(m.weights.len(), 1);
    }
}
