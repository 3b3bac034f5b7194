//! Pruning policies: which screened candidates go on to training.

use crate::error::{NearError, Result};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// How many of the screened candidates survive. Higher NEAR is better.
///
/// In TOML: `policy = "top_k"`, `k = 4`; `policy = "top_fraction"`, `fraction = 0.25`;
/// `policy = "above_score"`, `threshold = 100.0`; `policy = "within_fraction_of_best"`,
/// `fraction = 0.1`; `policy = "keep_all"`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "policy", rename_all = "snake_case", deny_unknown_fields)]
pub enum PruningPolicy {
    /// Train everything (validation mode).
    KeepAll,
    /// Keep the `k` best scores.
    TopK {
        /// Number of survivors (>= 1).
        k: usize,
    },
    /// Keep the best `ceil(fraction * n)` scores.
    TopFraction {
        /// Fraction in (0, 1].
        fraction: f64,
    },
    /// Keep every candidate scoring at least `threshold`.
    AboveScore {
        /// Minimum NEAR score.
        threshold: f64,
    },
    /// Keep every candidate scoring at least `best - fraction * |best|`.
    WithinFractionOfBest {
        /// Fraction in [0, 1].
        fraction: f64,
    },
}

impl PruningPolicy {
    /// Checks the policy's parameter ranges.
    pub fn validate(&self) -> Result<()> {
        let ok = match *self {
            Self::KeepAll => true,
            Self::TopK { k } => k >= 1,
            Self::TopFraction { fraction } => fraction > 0.0 && fraction <= 1.0,
            Self::AboveScore { threshold } => threshold.is_finite(),
            Self::WithinFractionOfBest { fraction } => (0.0..=1.0).contains(&fraction),
        };
        if ok {
            Ok(())
        } else {
            Err(NearError::InvalidParameter(format!(
                "pruning policy {self:?}: k must be >= 1, a top fraction in (0, 1], a fraction of \
                 the best in [0, 1], a threshold finite"
            )))
        }
    }
}

/// Candidate indices from best to worst score. Ties keep index order; NaN scores come last.
pub fn rank_by_score(scores: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&i, &j| match (scores[i].is_nan(), scores[j].is_nan()) {
        (false, false) => scores[j].total_cmp(&scores[i]).then(i.cmp(&j)),
        (a, b) => a.cmp(&b).then(i.cmp(&j)),
    });
    order
}

/// Applies `policy` to `scores` and returns the survivors' indices, best first.
///
/// Never prunes everything: when the policy would keep nothing, the best candidate survives.
/// Fails on an invalid policy or an empty score list.
///
/// ```
/// use near_core::{PruningPolicy, select_survivors};
/// let kept = select_survivors(&[3.0, 9.0, 5.0, 1.0], PruningPolicy::TopK { k: 2 }).unwrap();
/// assert_eq!(kept, vec![1, 2]);
/// ```
pub fn select_survivors(scores: &[f64], policy: PruningPolicy) -> Result<Vec<usize>> {
    policy.validate()?;
    if scores.is_empty() {
        return Err(NearError::NoData("no candidates to prune".into()));
    }
    let order = rank_by_score(scores);
    let best = scores[order[0]];
    let keep = |min: f64| -> Vec<usize> {
        order
            .iter()
            .copied()
            .filter(|&i| scores[i].partial_cmp(&min) != Some(Ordering::Less) && !scores[i].is_nan())
            .collect()
    };
    let mut kept = match policy {
        PruningPolicy::KeepAll => order.clone(),
        PruningPolicy::TopK { k } => order.iter().copied().take(k).collect(),
        PruningPolicy::TopFraction { fraction } => {
            let k = (fraction * scores.len() as f64).ceil() as usize;
            order.iter().copied().take(k).collect()
        }
        PruningPolicy::AboveScore { threshold } => keep(threshold),
        PruningPolicy::WithinFractionOfBest { fraction } => keep(best - fraction * best.abs()),
    };
    if kept.is_empty() {
        kept.push(order[0]);
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCORES: [f64; 5] = [10.0, 50.0, 30.0, 50.0, 45.0];

    #[test]
    fn policies_select_the_expected_candidates() {
        let s = |p| select_survivors(&SCORES, p).unwrap();
        assert_eq!(s(PruningPolicy::KeepAll), vec![1, 3, 4, 2, 0]);
        assert_eq!(s(PruningPolicy::TopK { k: 1 }), vec![1]);
        assert_eq!(s(PruningPolicy::TopK { k: 9 }).len(), 5);
        assert_eq!(s(PruningPolicy::TopFraction { fraction: 0.5 }), vec![1, 3, 4]);
        assert_eq!(s(PruningPolicy::AboveScore { threshold: 30.0 }), vec![1, 3, 4, 2]);
        assert_eq!(s(PruningPolicy::WithinFractionOfBest { fraction: 0.1 }), vec![1, 3, 4]);
    }

    #[test]
    fn never_prunes_everything() {
        let kept = select_survivors(&SCORES, PruningPolicy::AboveScore { threshold: 1e9 }).unwrap();
        assert_eq!(kept, vec![1]);
    }

    #[test]
    fn nan_scores_rank_last() {
        assert_eq!(rank_by_score(&[f64::NAN, 1.0, 2.0]), vec![2, 1, 0]);
        let kept = select_survivors(&[f64::NAN, 1.0], PruningPolicy::AboveScore { threshold: 0.0 })
            .unwrap();
        assert_eq!(kept, vec![1]);
    }

    #[test]
    fn invalid_policies_and_empty_input_fail() {
        for p in [
            PruningPolicy::TopK { k: 0 },
            PruningPolicy::TopFraction { fraction: 0.0 },
            PruningPolicy::TopFraction { fraction: 1.5 },
            PruningPolicy::WithinFractionOfBest { fraction: -0.1 },
            PruningPolicy::AboveScore { threshold: f64::NAN },
        ] {
            assert!(select_survivors(&SCORES, p).is_err(), "{p:?}");
        }
        assert!(select_survivors(&[], PruningPolicy::KeepAll).is_err());
    }
}
