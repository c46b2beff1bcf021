//! The learned tagger: a small pretrained encoder (all-MiniLM-L6-v2) fine-tuned on PolNeAR's training articles to
//! tag attribution sources, cues and contents, with a check-worthiness head on the same encoder.
//!
//! - [`Model::load`] reads the weights file (`models/tagger.safetensors`), checks its SHA-256 against the one
//!   recorded beside it (`models/tagger.sha256`) and fails with a typed [`ModelError`] when it is missing, damaged or
//!   of another format: never a silent fall-back to the rules.
//! - `features`: the document's sentences packed into windows of WordPiece pieces (`wordpiece`), each piece typed
//!   by what the rules found there;
//! - `encoder`: the transformer and its two heads, run with candle on the CPU;
//! - `decode`: constrained BIO decoding into spans, each with the model's confidence.
//!
//! How the tagger's spans are combined with the rules' attributions is `crate::combine`. The training command is
//! `tools/tagger/train.sh`; `docs/annotator.md` says what data, what licence, and how long.

pub mod decode;
mod encoder;
pub mod features;
pub mod wordpiece;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use sha2::{Digest, Sha256};

pub use decode::{Role, Tagged};
use encoder::{Config, Encoder};
use wordpiece::WordPiece;

use crate::document::Sentence;
use crate::span::Span;

/// The SHA-256 of the shipped weights file, as `tools/tagger/train.sh` recorded it when it exported them.
pub const WEIGHTS_SHA256: &str = include_str!("../../models/tagger.sha256");

/// The format this code reads, recorded in the weights file's metadata.
const FORMAT: &str = "lectern-tagger-1";

/// Spans of one role joined across a gap of at most this many characters with no letter or digit in it ([`decode::merge`]).
pub const MERGE_GAP: usize = 2;

/// Why the weights could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// No file at the path.
    #[error("the tagger's weights file {path} is missing (it ships in crates/annotate/models/; see docs/annotator.md)")]
    Missing {
        /// Where it was looked for.
        path: PathBuf,
    },
    /// The file exists but could not be read.
    #[error("cannot read the tagger's weights file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file's bytes are not the ones recorded: damaged, truncated or replaced.
    #[error("the tagger's weights file {path} is damaged: its SHA-256 is {found}, expected {expected}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// The recorded hash.
        expected: String,
        /// The hash of what was read.
        found: String,
    },
    /// The hash fits but the contents cannot be used (another format, a missing tensor or setting).
    #[error("the tagger's weights file {path} cannot be used: {what}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        what: String,
    },
}

/// What the tagger found in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Tagging {
    /// Source, cue and content spans, in text order.
    pub spans: Vec<Tagged>,
    /// Each sentence's check-worthiness in `[0, 1]`: the head on the mean of the sentence's pieces as encoded in
    /// their window (one pass serves both heads).
    pub checkworthy: Vec<f32>,
}

/// The tagger, loaded and checked: tokenizer, encoder and heads.
pub struct Model {
    tokenizer: WordPiece,
    encoder: Encoder,
    rules_as_input: bool,
    checkworthy_shift: f32,
    checkworthy_window_shift: f32,
    sha256: String,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("config", &self.encoder.config())
            .field("vocabulary", &self.tokenizer.len())
            .field("rules_as_input", &self.rules_as_input)
            .field("sha256", &self.sha256)
            .finish()
    }
}

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

impl Model {
    /// Where the shipped weights are: `$LECTERN_TAGGER` if set, else `crates/annotate/models/tagger.safetensors` in
    /// the source tree this crate was built from.
    pub fn default_path() -> PathBuf {
        match std::env::var_os("LECTERN_TAGGER") {
            Some(p) => PathBuf::from(p),
            None => Path::new(env!("CARGO_MANIFEST_DIR")).join("models").join("tagger.safetensors"),
        }
    }

    /// Load the shipped weights from [`Model::default_path`], checked against [`WEIGHTS_SHA256`].
    pub fn load_default() -> Result<Model, ModelError> {
        Model::load(&Model::default_path(), WEIGHTS_SHA256.trim())
    }

    /// Load weights from `path`, which must hash to `expected_sha256` (hex).
    pub fn load(path: &Path, expected_sha256: &str) -> Result<Model, ModelError> {
        let bytes = std::fs::read(path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                ModelError::Missing { path: path.to_path_buf() }
            } else {
                ModelError::Io { path: path.to_path_buf(), source }
            }
        })?;
        let found = sha256_hex(&bytes);
        if !found.eq_ignore_ascii_case(expected_sha256.trim()) {
            return Err(ModelError::Corrupt {
                path: path.to_path_buf(),
                expected: expected_sha256.trim().to_string(),
                found,
            });
        }
        let format = |what: String| ModelError::Format { path: path.to_path_buf(), what };
        Model::from_bytes(&bytes, found).map_err(format)
    }

    fn from_bytes(bytes: &[u8], sha256: String) -> Result<Model, String> {
        let (_, header) = safetensors::SafeTensors::read_metadata(bytes).map_err(|e| e.to_string())?;
        let meta = header.metadata().clone().unwrap_or_default();
        let get = |key: &str| meta.get(key).cloned().ok_or_else(|| format!("no `{key}` in its metadata"));
        let number = |key: &str| -> Result<usize, String> {
            get(key)?.parse::<usize>().map_err(|_| format!("`{key}` is not a number"))
        };
        if get("format")? != FORMAT {
            return Err(format!("format {:?}, expected {FORMAT:?}", get("format")?));
        }
        let labels: Vec<String> = get("labels")?.split(' ').map(str::to_string).collect();
        let expected: Vec<String> = decode::Label::ALL.iter().map(|l| l.name()).collect();
        if labels != expected {
            return Err(format!("labels {labels:?}, expected {expected:?}"));
        }
        let config = Config {
            layers: number("layers")?,
            hidden: number("hidden")?,
            heads: number("heads")?,
            intermediate: number("intermediate")?,
            types: number("types")?,
            layer_norm_eps: get("layer_norm_eps")?.parse().map_err(|_| "`layer_norm_eps` is not a number")?,
            labels: labels.len(),
        };
        if config.heads == 0 || !config.hidden.is_multiple_of(config.heads) || config.types < 4 {
            return Err(format!("an impossible shape: {config:?}"));
        }
        if number("max_pieces")? != features::MAX_PIECES {
            return Err(format!(
                "trained on windows of {} pieces, this code makes {}",
                number("max_pieces")?,
                features::MAX_PIECES
            ));
        }
        let tokenizer = WordPiece::new(&get("vocab")?).ok_or("the vocabulary lacks [CLS], [SEP] or [UNK]")?;
        let checkworthy_shift: f32 = get("checkworthy_shift")?
            .parse()
            .map_err(|_| "`checkworthy_shift` is not a number")?;
        let rules_as_input = get("rules_as_input")? == "true";
        // The bias for sentences read in their windows, when it was tuned (tune_checkworthy_window).
        let checkworthy_window_shift: f32 = match meta.get("checkworthy_window_shift") {
            Some(v) => v.parse().map_err(|_| "`checkworthy_window_shift` is not a number")?,
            None => checkworthy_shift,
        };
        let device = Device::Cpu;
        let tensors = candle_core::safetensors::load_buffer(bytes, &device).map_err(|e| e.to_string())?;
        let tensors: HashMap<String, Tensor> = tensors
            .into_iter()
            .map(|(k, t)| t.to_dtype(DType::F32).map(|t| (k, t)))
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?;
        let positions = tensors
            .get("encoder.embeddings.position_embeddings.weight")
            .and_then(|t| t.dim(0).ok())
            .ok_or("no position embeddings")?;
        if positions < features::MAX_PIECES + 2 {
            return Err(format!("{positions} positions cannot hold a window"));
        }
        let vb = VarBuilder::from_tensors(tensors, DType::F32, &device);
        let encoder = Encoder::new(&vb, config, positions).map_err(|e| e.to_string())?;
        let model = Model { tokenizer, encoder, rules_as_input, checkworthy_shift, checkworthy_window_shift, sha256 };
        // One pass on a probe, so that a shape the loader missed fails here and not on a reader's text.
        let probe = "The mayor said the bridge is safe.";
        model
            .tag_windows(probe, &[Sentence::new(Span::new(0, probe.len()), 0)], &mut |_| {})
            .map_err(|e| e.to_string())?;
        Ok(model)
    }

    /// The SHA-256 of the loaded file.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The check-worthiness bias (log-odds) added for sentences read in their windows.
    pub fn checkworthy_window_shift(&self) -> f32 {
        self.checkworthy_window_shift
    }

    /// Whether the model reads the rules' spans as token types (the rules run first in the accurate pipeline).
    pub fn reads_rules(&self) -> bool {
        self.rules_as_input
    }

    /// The spans the tagger finds in a document, in text order, and each sentence's check-worthiness, given its
    /// sentences with the rules' attributions. An encoder failure (not expected once [`Model::load`] succeeded)
    /// leaves a window without spans and its sentences scoring 0.
    pub fn tag(&self, text: &str, sentences: &[Sentence]) -> Tagging {
        self.tag_with_progress(text, sentences, &mut |_| {})
    }

    /// [`Model::tag`], calling `progress` with the byte offset the tagger has read up to after each window.
    pub fn tag_with_progress(&self, text: &str, sentences: &[Sentence], progress: &mut dyn FnMut(usize)) -> Tagging {
        self.tag_windows(text, sentences, progress)
            .unwrap_or_else(|_| Tagging { spans: Vec::new(), checkworthy: vec![0.0; sentences.len()] })
    }

    fn tag_windows(
        &self,
        text: &str,
        sentences: &[Sentence],
        progress: &mut dyn FnMut(usize),
    ) -> candle_core::Result<Tagging> {
        let mut spans = Vec::new();
        // Per sentence: the sum of its pieces' hidden states (and of its windows' [CLS] and [SEP]), and their count.
        let mut pooled: Vec<Option<(Tensor, usize)>> = vec![None; sentences.len()];
        let mut first_sentence = 0;
        for w in features::windows(text, sentences, &self.tokenizer, self.rules_as_input) {
            let ids: Vec<u32> = std::iter::once(self.tokenizer.cls)
                .chain(w.pieces.iter().map(|p| p.id))
                .chain(std::iter::once(self.tokenizer.sep))
                .collect();
            let types: Vec<u32> = std::iter::once(0)
                .chain(w.types.iter().copied())
                .chain(std::iter::once(0))
                .collect();
            let hidden = self.encoder.hidden(&ids, &types)?;
            let log_probs = self.encoder.tag_log_probs(&hidden)?;
            let inner = log_probs.get(1..log_probs.len().saturating_sub(1)).unwrap_or_default();
            let path = decode::viterbi(inner);
            let piece_spans: Vec<Span> = w.pieces.iter().map(|p| p.span).collect();
            spans.extend(decode::spans(&path, &piece_spans, inner));
            // The pieces of each sentence in this window are consecutive rows.
            let n = ids.len();
            let ends = hidden.narrow(0, 0, 1)?.add(&hidden.narrow(0, n - 1, 1)?)?;
            let mut k = 0;
            while k < w.pieces.len() {
                let start = w.pieces[k].span.start;
                let i = first_sentence + sentences[first_sentence..].partition_point(|s| s.span.end <= start);
                let Some(s) = sentences.get(i) else { break };
                first_sentence = i;
                let len = w.pieces[k..].iter().take_while(|p| p.span.start < s.span.end).count().max(1);
                let sum = hidden.narrow(0, k + 1, len)?.sum_keepdim(0)?.add(&ends)?;
                pooled[i] = Some(match pooled[i].take() {
                    Some((acc, count)) => (acc.add(&sum)?, count + len + 2),
                    None => (sum, len + 2),
                });
                k += len;
            }
            if let Some(last) = w.pieces.last() {
                progress(last.span.end);
            }
        }
        spans.sort_by_key(|t| (t.span.start, t.span.end));
        let mut checkworthy = Vec::with_capacity(sentences.len());
        for p in pooled {
            checkworthy.push(match p {
                Some((sum, count)) => {
                    let mean = (sum / count as f64)?;
                    let z = self.encoder.checkworthy_from_pooled(&mean)?;
                    1.0 / (1.0 + (-(z + self.checkworthy_window_shift)).exp())
                }
                None => 0.0,
            });
        }
        Ok(Tagging { spans: decode::merge(text, spans, MERGE_GAP), checkworthy })
    }

    /// How much `text[span]` reads like a factual claim worth checking, in `[0, 1]`: the check-worthiness head on
    /// the mean of its encoded pieces. A span with no pieces scores 0.
    pub fn checkworthy(&self, text: &str, span: Span) -> f32 {
        let pieces = self.tokenizer.pieces(text, span);
        if pieces.is_empty() {
            return 0.0;
        }
        let ids: Vec<u32> = std::iter::once(self.tokenizer.cls)
            .chain(pieces.iter().take(features::MAX_PIECES).map(|p| p.id))
            .chain(std::iter::once(self.tokenizer.sep))
            .collect();
        let types = vec![0; ids.len()];
        let z = self
            .encoder
            .hidden(&ids, &types)
            .and_then(|h| self.encoder.checkworthy_logit(&h));
        z.map_or(0.0, |z| 1.0 / (1.0 + (-(z + self.checkworthy_shift)).exp()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped model, loaded once for every test of this module.
    fn model() -> &'static Model {
        static M: std::sync::OnceLock<Model> = std::sync::OnceLock::new();
        M.get_or_init(|| match Model::load_default() {
            Ok(m) => m,
            Err(e) => panic!("the shipped tagger must load: {e}"),
        })
    }

    /// Byte offset of character `c` of `text`.
    fn byte_of(text: &str, c: usize) -> usize {
        text.char_indices().nth(c).map_or(text.len(), |(b, _)| b)
    }

    #[test]
    fn tokenizer_and_encoder_match_pytorch() {
        let fixture: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/data/tagger-parity.json")).expect("fixture is JSON");
        let cases = fixture["cases"].as_array().expect("cases");
        assert!(cases.len() >= 10);
        let m = model();
        let numbers = |v: &serde_json::Value| -> Vec<f64> {
            v.as_array()
                .into_iter()
                .flatten()
                .filter_map(serde_json::Value::as_f64)
                .collect()
        };
        let (mut labels_same, mut labels_all, mut worst) = (0, 0, 0.0f64);
        for case in cases {
            let text = case["text"].as_str().expect("text");
            let pieces = m.tokenizer.pieces(text, Span::new(0, text.len()));
            let ids: Vec<u32> = pieces.iter().map(|p| p.id).collect();
            let want_ids: Vec<u32> = numbers(&case["ids"]).iter().map(|&x| x as u32).collect();
            assert_eq!(ids, want_ids, "pieces of {text:?}");
            let offsets: Vec<(usize, usize)> = pieces.iter().map(|p| (p.span.start, p.span.end)).collect();
            let want_offsets: Vec<(usize, usize)> = case["offsets"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|o| {
                    let o = numbers(o);
                    (byte_of(text, o[0] as usize), byte_of(text, o[1] as usize))
                })
                .collect();
            assert_eq!(offsets, want_offsets, "offsets of {text:?}");
            let types: Vec<u32> = numbers(&case["types"]).iter().map(|&x| x as u32).collect();
            let all_ids: Vec<u32> = std::iter::once(m.tokenizer.cls).chain(ids).chain([m.tokenizer.sep]).collect();
            let all_types: Vec<u32> = std::iter::once(0).chain(types).chain([0]).collect();
            let hidden = m.encoder.hidden(&all_ids, &all_types).expect("encoder runs");
            let lp = m.encoder.tag_log_probs(&hidden).expect("head runs");
            let want_labels = numbers(&case["labels"]);
            let want_lp = numbers(&case["log_probs"]);
            for (t, (&label, &want)) in want_labels.iter().zip(&want_lp).enumerate() {
                let row = &lp[t + 1];
                let got = (0..row.len()).fold(0, |b, k| if row[k] > row[b] { k } else { b });
                labels_all += 1;
                labels_same += usize::from(got == label as usize);
                worst = worst.max((f64::from(row[label as usize]) - want).abs());
            }
            if let Some(z) = case["checkworthy_logit"].as_f64() {
                let got = m.encoder.checkworthy_logit(&hidden).expect("head runs");
                assert!((f64::from(got) - z).abs() < 2e-3, "check-worthiness of {text:?}: {got} vs {z}");
            }
        }
        assert_eq!(labels_same, labels_all, "most likely labels differ from PyTorch's");
        assert!(worst < 2e-3, "log-probabilities differ from PyTorch's by up to {worst}");
    }

    #[test]
    fn the_shipped_weights_have_the_recorded_hash() {
        assert_eq!(model().sha256(), WEIGHTS_SHA256.trim());
        assert_eq!(WEIGHTS_SHA256.trim().len(), 64);
    }

    #[test]
    fn missing_damaged_and_foreign_files_are_typed_errors() {
        let dir = std::env::temp_dir().join(format!("lectern-tagger-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let missing = dir.join("absent.safetensors");
        assert!(matches!(Model::load(&missing, WEIGHTS_SHA256), Err(ModelError::Missing { .. })));
        let damaged = dir.join("damaged.safetensors");
        std::fs::write(&damaged, b"not the weights").expect("write");
        let err = Model::load(&damaged, WEIGHTS_SHA256).err();
        assert!(matches!(err, Some(ModelError::Corrupt { .. })), "{err:?}");
        assert!(err.is_some_and(|e| e.to_string().contains("damaged")));
        // Right hash, wrong contents: a file that is not safetensors at all.
        let foreign = dir.join("foreign.safetensors");
        std::fs::write(&foreign, b"\x08\x00\x00\x00\x00\x00\x00\x00{\"a\":1}").expect("write");
        let hash = sha256_hex(&std::fs::read(&foreign).expect("read"));
        assert!(matches!(Model::load(&foreign, &hash), Err(ModelError::Format { .. })));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
