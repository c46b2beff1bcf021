//! The encoder: a BERT-style transformer (MiniLM-L6: 6 layers, 384 wide, 12 heads) run with candle on the CPU, and
//! the two heads trained on top of it (BIO tags per piece, check-worthiness per sentence).
//!
//! One sequence at a time, so there is no padding and no attention mask: `[CLS] pieces [SEP]`, with each piece's
//! token type being what the rules found there (0 nothing, 1 source, 2 cue, 3 content; see `features.rs`). The
//! computation is the one `transformers`' `BertModel` does in training: embeddings (word + position + type, layer
//! norm), then per layer self-attention and a GELU feed-forward block, each with a residual and a post layer norm.

use candle_core::{D, DType, Device, Module, Tensor};
use candle_nn::{Embedding, LayerNorm, Linear, VarBuilder};

/// The shape of the network, from the weights file's metadata.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    /// Transformer layers.
    pub layers: usize,
    /// Width of every hidden state.
    pub hidden: usize,
    /// Attention heads per layer.
    pub heads: usize,
    /// Width of the feed-forward block.
    pub intermediate: usize,
    /// Token types (rows of the type embedding).
    pub types: usize,
    /// Epsilon of every layer norm.
    pub layer_norm_eps: f64,
    /// Number of BIO labels the tagging head gives.
    pub labels: usize,
}

struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attention_out: Linear,
    attention_norm: LayerNorm,
    up: Linear,
    down: Linear,
    out_norm: LayerNorm,
}

/// The encoder and its heads, in f32.
pub struct Encoder {
    config: Config,
    words: Embedding,
    positions: Embedding,
    types: Embedding,
    norm: LayerNorm,
    layers: Vec<Layer>,
    tag: Linear,
    checkworthy: Linear,
    device: Device,
}

fn linear(vb: &VarBuilder<'_>, name: &str, inputs: usize, outputs: usize) -> candle_core::Result<Linear> {
    let vb = vb.pp(name);
    Ok(Linear::new(vb.get((outputs, inputs), "weight")?, Some(vb.get(outputs, "bias")?)))
}

fn layer_norm(vb: &VarBuilder<'_>, name: &str, width: usize, eps: f64) -> candle_core::Result<LayerNorm> {
    let vb = vb.pp(name);
    Ok(LayerNorm::new(vb.get(width, "weight")?, vb.get(width, "bias")?, eps))
}

impl Encoder {
    /// Build from the tensors of the weights file (names as `transformers` writes them, under `encoder.`, plus the
    /// heads `tag` and `cw`), checking every shape against `config`.
    pub fn new(vb: &VarBuilder<'_>, config: Config, positions: usize) -> candle_core::Result<Encoder> {
        let h = config.hidden;
        let emb = vb.pp("encoder.embeddings");
        let words = emb.pp("word_embeddings").get_unchecked("weight")?;
        let vocab = words.dim(0)?;
        let words = Embedding::new(emb.pp("word_embeddings").get((vocab, h), "weight")?, h);
        let positions = Embedding::new(emb.pp("position_embeddings").get((positions, h), "weight")?, h);
        let types = Embedding::new(emb.pp("token_type_embeddings").get((config.types, h), "weight")?, h);
        let norm = layer_norm(&emb, "LayerNorm", h, config.layer_norm_eps)?;
        let mut layers = Vec::with_capacity(config.layers);
        for i in 0..config.layers {
            let vb = vb.pp(format!("encoder.encoder.layer.{i}"));
            let att = vb.pp("attention");
            layers.push(Layer {
                query: linear(&att.pp("self"), "query", h, h)?,
                key: linear(&att.pp("self"), "key", h, h)?,
                value: linear(&att.pp("self"), "value", h, h)?,
                attention_out: linear(&att.pp("output"), "dense", h, h)?,
                attention_norm: layer_norm(&att.pp("output"), "LayerNorm", h, config.layer_norm_eps)?,
                up: linear(&vb.pp("intermediate"), "dense", h, config.intermediate)?,
                down: linear(&vb.pp("output"), "dense", config.intermediate, h)?,
                out_norm: layer_norm(&vb.pp("output"), "LayerNorm", h, config.layer_norm_eps)?,
            });
        }
        let tag = linear(vb, "tag", h, config.labels)?;
        let checkworthy = linear(vb, "cw", h, 1)?;
        Ok(Encoder { config, words, positions, types, norm, layers, tag, checkworthy, device: vb.device().clone() })
    }

    /// Hidden states `(n, hidden)` of one sequence of piece ids with their token types (same length, at most the
    /// number of positions).
    pub fn hidden(&self, ids: &[u32], types: &[u32]) -> candle_core::Result<Tensor> {
        let n = ids.len();
        let ids = Tensor::from_slice(ids, n, &self.device)?;
        let types = Tensor::from_slice(types, n, &self.device)?;
        let positions = Tensor::arange(0u32, n as u32, &self.device)?;
        let x = (self.words.forward(&ids)? + self.positions.forward(&positions)?)?;
        let mut x = self.norm.forward(&(x + self.types.forward(&types)?)?)?;
        let heads = self.config.heads;
        let d = self.config.hidden / heads;
        let scale = 1.0 / (d as f64).sqrt();
        for layer in &self.layers {
            // (n, hidden) -> (heads, n, d)
            let split = |t: Tensor| t.reshape((n, heads, d))?.transpose(0, 1)?.contiguous();
            let q = split(layer.query.forward(&x)?)?;
            let k = split(layer.key.forward(&x)?)?;
            let v = split(layer.value.forward(&x)?)?;
            let scores = (q.matmul(&k.t()?)? * scale)?;
            let weights = candle_nn::ops::softmax_last_dim(&scores)?;
            let context = weights.matmul(&v)?.transpose(0, 1)?.reshape((n, self.config.hidden))?;
            let attended = layer.attention_norm.forward(&(layer.attention_out.forward(&context)? + &x)?)?;
            let up = layer.up.forward(&attended)?.gelu_erf()?;
            x = layer.out_norm.forward(&(layer.down.forward(&up)? + attended)?)?;
        }
        Ok(x)
    }

    /// Log-probabilities `(n, labels)` of the BIO labels of every position of `hidden`.
    pub fn tag_log_probs(&self, hidden: &Tensor) -> candle_core::Result<Vec<Vec<f32>>> {
        let logits = self.tag.forward(hidden)?;
        candle_nn::ops::log_softmax(&logits, D::Minus1)?.to_dtype(DType::F32)?.to_vec2()
    }

    /// The check-worthiness log-odds of a sentence from its hidden states (the mean of every position, `[CLS]` and
    /// `[SEP]` included, as in training).
    pub fn checkworthy_logit(&self, hidden: &Tensor) -> candle_core::Result<f32> {
        self.checkworthy_from_pooled(&hidden.mean_keepdim(0)?)
    }

    /// The check-worthiness log-odds of a pooled `(1, hidden)` state.
    pub fn checkworthy_from_pooled(&self, pooled: &Tensor) -> candle_core::Result<f32> {
        let z = self.checkworthy.forward(pooled)?;
        z.flatten_all()?
            .to_vec1::<f32>()?
            .first()
            .copied()
            .ok_or(candle_core::Error::Msg("empty head".into()))
    }

    /// The network's shape.
    pub fn config(&self) -> Config {
        self.config
    }
}
