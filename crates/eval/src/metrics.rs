//! The scorers: precision/recall/F1 from counts, one-to-one span matching, and ROC AUC.
//!
//! Every number in the report comes out of this module, so it is tested on tiny hand-made cases: a scorer that is
//! wrong makes every number wrong.

use serde::Serialize;

/// True positives, false positives and false negatives of one binary decision or one span matching.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Predictions that are right.
    pub tp: usize,
    /// Predictions that are wrong.
    pub fp: usize,
    /// Gold items nothing predicted.
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl Counts {
    /// Counts of a matching: `matched` pairs out of `predicted` predictions and `gold` gold items.
    pub fn from_matching(matched: usize, predicted: usize, gold: usize) -> Counts {
        Counts { tp: matched, fp: predicted.saturating_sub(matched), fn_: gold.saturating_sub(matched) }
    }

    /// Record one binary decision.
    pub fn add(&mut self, predicted: bool, gold: bool) {
        match (predicted, gold) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => {}
        }
    }

    /// Add another set of counts to these.
    pub fn merge(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }

    /// `tp / (tp + fp)`; `None` when nothing was predicted.
    pub fn precision(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fp)
    }

    /// `tp / (tp + fn)`; `None` when there is no gold item.
    pub fn recall(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// `2tp / (2tp + fp + fn)`, the harmonic mean of precision and recall. It is 0 when either side is empty and
    /// the other is not, and `None` only when there is nothing at all (no prediction, no gold item).
    pub fn f1(&self) -> Option<f64> {
        ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }
}

/// `num / den`, or `None` when `den` is 0.
pub fn ratio(num: usize, den: usize) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

/// A maximum one-to-one matching between predictions and gold items: each gold item is counted at most once, and
/// so is each prediction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matching {
    /// For each prediction, the gold item it is paired with.
    pub pred_to_gold: Vec<Option<usize>>,
    /// For each gold item, the prediction it is paired with.
    pub gold_to_pred: Vec<Option<usize>>,
}

impl Matching {
    /// Number of matched pairs.
    pub fn matched(&self) -> usize {
        self.pred_to_gold.iter().filter(|m| m.is_some()).count()
    }

    /// True positives, false positives and false negatives.
    pub fn counts(&self) -> Counts {
        Counts::from_matching(self.matched(), self.pred_to_gold.len(), self.gold_to_pred.len())
    }
}

/// Pair `n_pred` predictions with `n_gold` gold items, one to one, where `compatible(p, g)` says which pairs may
/// match, maximising the number of pairs (Kuhn's augmenting paths; the inputs are one document or one sentence, so
/// the quadratic cost is negligible).
///
/// A greedy pairing can lose pairs: if prediction 0 fits gold items 0 and 1 and prediction 1 fits only gold 0,
/// greedy takes (0, 0) and leaves prediction 1 unmatched; this finds (0, 1) and (1, 0).
pub fn match_one_to_one(n_pred: usize, n_gold: usize, compatible: impl Fn(usize, usize) -> bool) -> Matching {
    let edges: Vec<Vec<usize>> = (0..n_pred)
        .map(|p| (0..n_gold).filter(|&g| compatible(p, g)).collect())
        .collect();
    let mut gold_to_pred: Vec<Option<usize>> = vec![None; n_gold];
    for p in 0..n_pred {
        let mut seen = vec![false; n_gold];
        augment(p, &edges, &mut seen, &mut gold_to_pred);
    }
    let mut pred_to_gold = vec![None; n_pred];
    for (g, p) in gold_to_pred.iter().enumerate() {
        if let Some(p) = p {
            pred_to_gold[*p] = Some(g);
        }
    }
    Matching { pred_to_gold, gold_to_pred }
}

/// Try to pair prediction `p`, re-pairing earlier predictions along an augmenting path if needed.
fn augment(p: usize, edges: &[Vec<usize>], seen: &mut [bool], gold_to_pred: &mut [Option<usize>]) -> bool {
    for &g in &edges[p] {
        if seen[g] {
            continue;
        }
        seen[g] = true;
        let free = match gold_to_pred[g] {
            None => true,
            Some(other) => augment(other, edges, seen, gold_to_pred),
        };
        if free {
            gold_to_pred[g] = Some(p);
            return true;
        }
    }
    false
}

/// Area under the ROC curve by the rank statistic (Mann–Whitney U): the probability that a random positive scores
/// higher than a random negative, ties counting one half. `None` when there is no positive or no negative.
///
/// Tied scores get the mean of the ranks they span, so a constant scorer gets exactly 0.5.
pub fn roc_auc(scored: &[(f32, bool)]) -> Option<f64> {
    let positives = scored.iter().filter(|(_, y)| *y).count();
    let negatives = scored.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    let mut order: Vec<&(f32, bool)> = scored.iter().collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut rank_sum_pos = 0.0_f64;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j < order.len() && order[j].0.total_cmp(&order[i].0).is_eq() {
            j += 1;
        }
        // Ranks i+1 ..= j (1-based) are tied: each gets their mean.
        let mean_rank = (i + 1 + j) as f64 / 2.0;
        let pos_here = order[i..j].iter().filter(|(_, y)| *y).count();
        rank_sum_pos += mean_rank * pos_here as f64;
        i = j;
    }
    let (p, n) = (positives as f64, negatives as f64);
    Some((rank_sum_pos - p * (p + 1.0) / 2.0) / (p * n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn prf_from_counts() {
        let c = Counts { tp: 3, fp: 1, fn_: 2 };
        assert!(close(c.precision(), 0.75));
        assert!(close(c.recall(), 0.6));
        assert!(close(c.f1(), 6.0 / 9.0));
    }

    #[test]
    fn zero_denominators() {
        let none = Counts::default();
        assert_eq!((none.precision(), none.recall(), none.f1()), (None, None, None));
        // Nothing predicted, two gold items: precision undefined, recall and F1 zero.
        let silent = Counts { tp: 0, fp: 0, fn_: 2 };
        assert_eq!(silent.precision(), None);
        assert!(close(silent.recall(), 0.0));
        assert!(close(silent.f1(), 0.0));
        // Predictions where there is no gold item: recall undefined, precision and F1 zero.
        let noisy = Counts { tp: 0, fp: 3, fn_: 0 };
        assert_eq!(noisy.recall(), None);
        assert!(close(noisy.precision(), 0.0));
        assert!(close(noisy.f1(), 0.0));
    }

    #[test]
    fn binary_decisions() {
        let mut c = Counts::default();
        for (p, g) in [(true, true), (true, false), (false, true), (false, false), (true, true)] {
            c.add(p, g);
        }
        assert_eq!(c, Counts { tp: 2, fp: 1, fn_: 1 });
        c.merge(Counts { tp: 1, fp: 0, fn_: 4 });
        assert_eq!(c, Counts { tp: 3, fp: 1, fn_: 5 });
    }

    #[test]
    fn each_gold_counted_once() {
        // Two predictions both fit the one gold item: one pair, one false positive.
        let m = match_one_to_one(2, 1, |_, _| true);
        assert_eq!(m.counts(), Counts { tp: 1, fp: 1, fn_: 0 });
        // One prediction fits both gold items: one pair, one miss.
        let m = match_one_to_one(1, 2, |_, _| true);
        assert_eq!(m.counts(), Counts { tp: 1, fp: 0, fn_: 1 });
    }

    #[test]
    fn matching_is_maximum_not_greedy() {
        // Prediction 0 fits gold 0 and 1; prediction 1 fits only gold 0.
        let m = match_one_to_one(2, 2, |p, g| p == 0 || g == 0);
        assert_eq!(m.matched(), 2);
        assert_eq!(m.pred_to_gold, vec![Some(1), Some(0)]);
        assert_eq!(m.gold_to_pred, vec![Some(1), Some(0)]);
    }

    #[test]
    fn nothing_compatible() {
        let m = match_one_to_one(3, 2, |_, _| false);
        assert_eq!(m.counts(), Counts { tp: 0, fp: 3, fn_: 2 });
    }

    #[test]
    fn auc_perfect_reversed_and_tied() {
        let perfect = [(0.9, true), (0.8, true), (0.2, false), (0.1, false)];
        assert!(close(roc_auc(&perfect), 1.0));
        let reversed = [(0.1, true), (0.2, true), (0.8, false), (0.9, false)];
        assert!(close(roc_auc(&reversed), 0.0));
        let all_tied = [(0.5, true), (0.5, false), (0.5, true), (0.5, false), (0.5, false)];
        assert!(close(roc_auc(&all_tied), 0.5));
    }

    #[test]
    fn auc_partial_ties() {
        // Pairs (pos, neg): (0.8, 0.3) win, (0.8, 0.8) tie, (0.3, 0.3) tie, (0.3, 0.8) loss -> (1 + 0.5 + 0.5) / 4.
        let s = [(0.8, true), (0.3, true), (0.3, false), (0.8, false)];
        assert!(close(roc_auc(&s), 0.5));
        // (0.9 > 0.3) win, (0.9 > 0.1) win, (0.3 = 0.3) tie, (0.3 > 0.1) win -> 3.5 / 4.
        let s = [(0.9, true), (0.3, true), (0.3, false), (0.1, false)];
        assert!(close(roc_auc(&s), 0.875));
    }

    #[test]
    fn auc_undefined_without_both_classes() {
        assert_eq!(roc_auc(&[(0.3, true), (0.9, true)]), None);
        assert_eq!(roc_auc(&[(0.3, false)]), None);
        assert_eq!(roc_auc(&[]), None);
    }
}
