//! Training Lectern's linear models: L2-regularised logistic regression over named binary features.
//!
//! Classes are weighted to balance, training is full-batch gradient descent with Adam from zero weights, and the
//! rows are visited in order: the same data gives the same weights, so a weights file can be reproduced exactly.
//! The trained model is written as `annotate::model::LinearModel` reads it.

use std::collections::HashMap;

/// Rows of named binary features with their labels, indexed for training.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// Feature indices of each row.
    pub rows: Vec<Vec<usize>>,
    /// Each row's label.
    pub labels: Vec<bool>,
    /// Feature names, by index.
    pub names: Vec<String>,
}

impl Dataset {
    /// Index `examples`, keeping the features seen at least `min_count` times among the rows `counted` selects.
    pub fn new(examples: Vec<(Vec<String>, bool)>, min_count: usize, counted: &dyn Fn(usize) -> bool) -> Dataset {
        let mut count: HashMap<&str, usize> = HashMap::new();
        for (i, (features, _)) in examples.iter().enumerate() {
            if counted(i) {
                for f in features {
                    *count.entry(f.as_str()).or_default() += 1;
                }
            }
        }
        let mut names: Vec<String> = count
            .into_iter()
            .filter(|&(_, c)| c >= min_count)
            .map(|(n, _)| n.to_string())
            .collect();
        names.sort();
        let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
        let rows = examples
            .iter()
            .map(|(f, _)| f.iter().filter_map(|x| index.get(x.as_str()).copied()).collect());
        let rows = rows.collect();
        let labels = examples.iter().map(|(_, y)| *y).collect();
        Dataset { rows, labels, names }
    }
}

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Passes over the data.
    pub epochs: usize,
    /// L2 penalty on every weight but the bias.
    pub l2: f64,
    /// Adam's step size.
    pub learning_rate: f64,
}

/// Trained weights: one per feature, then the bias.
#[derive(Debug, Clone)]
pub struct Weights(pub Vec<f64>);

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

impl Weights {
    /// The log-odds of the positive class for a row.
    pub fn logit(&self, row: &[usize]) -> f64 {
        let n = self.0.len() - 1;
        self.0[n] + row.iter().map(|&j| self.0[j]).sum::<f64>()
    }

    /// The probability of the positive class for a row.
    pub fn predict(&self, row: &[usize]) -> f64 {
        sigmoid(self.logit(row))
    }

    /// The same model with every feature weight smaller than `min_abs` in size set to zero (the bias is kept): what
    /// [`Weights::to_tsv`] writes with the same `min_abs`, so that scores measured on it are the shipped model's.
    pub fn pruned(&self, min_abs: f64) -> Weights {
        let n = self.0.len() - 1;
        let w = self
            .0
            .iter()
            .enumerate()
            .map(|(j, &w)| if j == n || w.abs() >= min_abs { w } else { 0.0 });
        Weights(w.collect())
    }

    /// The same model with `offset` added to the bias.
    pub fn shifted(&self, offset: f64) -> Weights {
        let mut w = self.0.clone();
        if let Some(b) = w.last_mut() {
            *b += offset;
        }
        Weights(w)
    }

    /// The model as `annotate::model::LinearModel` reads it: a header, `bias`, then every feature whose weight is
    /// at least `min_abs` in size, largest first.
    pub fn to_tsv(&self, names: &[String], header: &str, min_abs: f64) -> (String, usize) {
        let n = names.len();
        let mut kept: Vec<(&str, f64)> = names
            .iter()
            .zip(&self.0)
            .filter(|(_, w)| w.abs() >= min_abs)
            .map(|(n, &w)| (n.as_str(), w))
            .collect();
        kept.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(b.0)));
        let mut out: String = header.lines().map(|l| format!("# {l}\n")).collect();
        out.push_str(&format!("bias\t{:.4}\n", self.0[n]));
        for (name, w) in &kept {
            out.push_str(&format!("{name}\t{w:.4}\n"));
        }
        (out, kept.len())
    }
}

/// The bias offset, from `-range` to `range` in steps of `step`, that gives the best F1 when logits shifted by it
/// are read as positive at 0 (probability 0.5), with that F1. Ties go to the offset nearest 0, so data that gives no
/// reason to move the threshold leaves it where it is.
pub fn best_offset(logits: &[(f64, bool)], range: f64, step: f64) -> (f64, f64) {
    let steps = (range / step).round().max(0.0) as i64;
    let f1 = |offset: f64| {
        let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
        for &(z, y) in logits {
            match (z + offset >= 0.0, y) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fn_ += 1,
                _ => {}
            }
        }
        if tp == 0 { 0.0 } else { 2.0 * tp as f64 / (2 * tp + fp + fn_) as f64 }
    };
    let mut best = (0.0, f1(0.0));
    for k in 1..=steps {
        for offset in [k as f64 * step, -(k as f64) * step] {
            let score = f1(offset);
            if score > best.1 {
                best = (offset, score);
            }
        }
    }
    best
}

/// Naive-Bayes log-count ratios of each feature over the rows `use_row` selects (Wang & Manning's NB-SVM): the log of
/// how much likelier the feature is among positives than among negatives, each count smoothed by `alpha`. Features
/// that `in_view` rejects get 0, which leaves them out of a model trained with these as scales.
pub fn nb_ratios(d: &Dataset, use_row: &dyn Fn(usize) -> bool, alpha: f64, in_view: &dyn Fn(&str) -> bool) -> Vec<f64> {
    let n = d.names.len();
    let (mut pos, mut neg) = (vec![alpha; n], vec![alpha; n]);
    for (i, row) in d.rows.iter().enumerate().filter(|&(i, _)| use_row(i)) {
        let counts = if d.labels[i] { &mut pos } else { &mut neg };
        for &j in row {
            counts[j] += 1.0;
        }
    }
    let view: Vec<bool> = d.names.iter().map(|name| in_view(name)).collect();
    let total = |c: &[f64]| {
        c.iter()
            .zip(&view)
            .filter(|&(_, &v)| v)
            .map(|(x, _)| x)
            .sum::<f64>()
            .max(f64::MIN_POSITIVE)
    };
    let (tp, tn) = (total(&pos), total(&neg));
    (0..n)
        .map(|j| if view[j] { (pos[j] / tp).ln() - (neg[j] / tn).ln() } else { 0.0 })
        .collect()
}

/// The average of models' log-odds, as one model (every model here is linear in the same features, so the average
/// is too). The models must have the same length.
pub fn average(models: &[Weights]) -> Weights {
    let len = models.first().map_or(0, |m| m.0.len());
    let k = models.len().max(1) as f64;
    Weights((0..len).map(|j| models.iter().map(|m| m.0[j]).sum::<f64>() / k).collect())
}

/// Train on the rows `use_row` selects.
pub fn train(d: &Dataset, settings: Settings, use_row: &dyn Fn(usize) -> bool) -> Weights {
    train_scaled(d, settings, use_row, &vec![1.0; d.names.len()])
}

/// Train on the rows `use_row` selects, with feature `j` worth `scale[j]` instead of 1 when present (0 leaves it
/// out). The returned weights are per present feature (each learned weight times its scale), so they score binary
/// rows as [`train`]'s do. With the L2 penalty on the learned weights, a large scale lets a feature's weight grow
/// more cheaply: NB-SVM's prior when the scales are [`nb_ratios`].
pub fn train_scaled(d: &Dataset, settings: Settings, use_row: &dyn Fn(usize) -> bool, scale: &[f64]) -> Weights {
    let n = d.names.len();
    let mut w = vec![0.0; n + 1];
    let (mut m, mut v) = (vec![0.0; n + 1], vec![0.0; n + 1]);
    let pos = (0..d.rows.len()).filter(|&i| use_row(i) && d.labels[i]).count() as f64;
    let neg = (0..d.rows.len()).filter(|&i| use_row(i) && !d.labels[i]).count() as f64;
    let total = (pos + neg).max(1.0);
    let (wp, wn) = (total / (2.0 * pos.max(1.0)), total / (2.0 * neg.max(1.0)));
    let (b1, b2) = (0.9f64, 0.999f64);
    for t in 1..=settings.epochs {
        let mut g = vec![0.0; n + 1];
        for (i, row) in d.rows.iter().enumerate().filter(|&(i, _)| use_row(i)) {
            let z = w[n] + row.iter().map(|&j| w[j] * scale[j]).sum::<f64>();
            let (y, weight) = if d.labels[i] { (1.0, wp) } else { (0.0, wn) };
            let err = (sigmoid(z) - y) * weight / total;
            for &j in row {
                g[j] += err * scale[j];
            }
            g[n] += err;
        }
        for (gj, wj) in g.iter_mut().zip(&w).take(n) {
            *gj += settings.l2 * wj;
        }
        let (c1, c2) = (1.0 - b1.powi(t as i32), 1.0 - b2.powi(t as i32));
        for j in 0..=n {
            m[j] = b1 * m[j] + (1.0 - b1) * g[j];
            v[j] = b2 * v[j] + (1.0 - b2) * g[j] * g[j];
            w[j] -= settings.learning_rate * (m[j] / c1) / ((v[j] / c2).sqrt() + 1e-8);
        }
    }
    for (wj, sj) in w.iter_mut().zip(scale) {
        *wj *= sj;
    }
    Weights(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(features: &[&str], y: bool) -> (Vec<String>, bool) {
        (features.iter().map(|s| s.to_string()).collect(), y)
    }

    #[test]
    fn learns_a_separable_feature_and_is_deterministic() {
        let examples = vec![
            ex(&["good", "x"], true),
            ex(&["good", "y"], true),
            ex(&["bad", "x"], false),
            ex(&["bad", "y"], false),
            ex(&["rare"], false),
        ];
        let d = Dataset::new(examples, 2, &|_| true);
        assert_eq!(d.names, vec!["bad", "good", "x", "y"], "'rare' is below the count");
        let s = Settings { epochs: 200, l2: 1e-4, learning_rate: 0.05 };
        let w = train(&d, s, &|_| true);
        assert!(w.predict(&d.rows[0]) > 0.9 && w.predict(&d.rows[2]) < 0.1);
        assert_eq!(w.0, train(&d, s, &|_| true).0);
        let (tsv, kept) = w.to_tsv(&d.names, "header", 0.5);
        assert!(tsv.starts_with("# header\nbias\t"));
        assert!(kept >= 2 && tsv.contains("good\t") && tsv.contains("bad\t"));
        let small = w.pruned(1e9);
        assert_eq!(small.0.last(), w.0.last(), "pruning keeps the bias");
        assert!(small.0[..4].iter().all(|&x| x == 0.0));
        assert!((w.shifted(1.5).logit(&[]) - w.logit(&[]) - 1.5).abs() < 1e-12);
    }

    #[test]
    fn nb_scaled_training_keeps_to_its_view_and_averages_stay_linear() {
        let examples = vec![
            ex(&["w=good", "c=x"], true),
            ex(&["w=good", "c=y"], true),
            ex(&["w=bad", "c=x"], false),
            ex(&["w=bad", "c=y"], false),
        ];
        let d = Dataset::new(examples, 1, &|_| true);
        let r = nb_ratios(&d, &|_| true, 1.0, &|name| name.starts_with("w="));
        let at = |name: &str| d.names.iter().position(|n| n == name).unwrap_or(usize::MAX);
        assert!(r[at("w=good")] > 0.0 && r[at("w=bad")] < 0.0);
        assert_eq!((r[at("c=x")], r[at("c=y")]), (0.0, 0.0), "outside the view");
        let s = Settings { epochs: 200, l2: 1e-3, learning_rate: 0.05 };
        let nb = train_scaled(&d, s, &|_| true, &r);
        assert_eq!(nb.0[at("c=x")], 0.0);
        assert!(nb.predict(&d.rows[0]) > 0.9 && nb.predict(&d.rows[2]) < 0.1);
        assert_eq!(train_scaled(&d, s, &|_| true, &[1.0; 4]).0, train(&d, s, &|_| true).0);
        let plain = train(&d, s, &|_| true);
        let both = average(&[plain.clone(), nb.clone()]);
        let mean = (plain.logit(&d.rows[1]) + nb.logit(&d.rows[1])) / 2.0;
        assert!((both.logit(&d.rows[1]) - mean).abs() < 1e-12);
    }

    #[test]
    fn the_best_offset_moves_the_threshold_only_when_it_helps() {
        // Positives at logits -0.5 and 1, negatives at -2 and -1: shifting up by 0.5 catches every positive.
        let logits = [(-0.5, true), (1.0, true), (-2.0, false), (-1.0, false)];
        let (offset, f1) = best_offset(&logits, 1.0, 0.25);
        assert!((0.5..1.0).contains(&offset), "{offset}");
        assert!((f1 - 1.0).abs() < 1e-12);
        let separated = [(1.0, true), (-1.0, false)];
        assert_eq!(best_offset(&separated, 1.0, 0.25), (0.0, 1.0));
        assert_eq!(best_offset(&[], 1.0, 0.25).0, 0.0);
    }
}
