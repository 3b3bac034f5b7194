//! Validation statistics: does NEAR rank candidates like their trained losses do? (DESIGN §3.5)

use crate::error::{NearError, Result};
use crate::prune::rank_by_score;
use statrs::statistics::{Data, OrderStatistics, RankTieBreaker, Statistics};

fn check_pair(x: &[f64], y: &[f64]) -> Result<()> {
    if x.len() != y.len() {
        return Err(NearError::ShapeMismatch(format!("{} values vs {} values", x.len(), y.len())));
    }
    if x.len() < 2 {
        return Err(NearError::NoData(format!(
            "a correlation needs 2 or more pairs, got {}",
            x.len()
        )));
    }
    if x.iter().chain(y).any(|v| !v.is_finite()) {
        return Err(NearError::NonFinite("correlation input contains NaN or infinity".into()));
    }
    Ok(())
}

/// Pairs of equal neighbours in a sorted slice: sum over runs of t(t - 1) / 2.
fn tied_pairs<T: PartialEq>(sorted: &[T]) -> u64 {
    sorted.chunk_by(|a, b| a == b).map(|g| (g.len() as u64) * (g.len() as u64 - 1) / 2).sum()
}

/// Sorts `v` by merge sort and returns the number of inversions (pairs i < j with v[i] > v[j]).
fn count_inversions(v: &mut [f64]) -> u64 {
    let n = v.len();
    if n < 2 {
        return 0;
    }
    let mid = n / 2;
    let mut swaps = count_inversions(&mut v[..mid]) + count_inversions(&mut v[mid..]);
    let mut merged = Vec::with_capacity(n);
    let (mut i, mut j) = (0, mid);
    while i < mid && j < n {
        if v[j] < v[i] {
            swaps += (mid - i) as u64;
            merged.push(v[j]);
            j += 1;
        } else {
            merged.push(v[i]);
            i += 1;
        }
    }
    merged.extend_from_slice(&v[i..mid]);
    merged.extend_from_slice(&v[j..]);
    v.copy_from_slice(&merged);
    swaps
}

/// Kendall's tau-b with tie correction, in O(n log n) (Knight 1966).
///
/// Fails on unequal lengths, fewer than 2 pairs, non-finite values, or when either input is
/// constant (tau-b is undefined then).
pub fn kendall_tau_b(x: &[f64], y: &[f64]) -> Result<f64> {
    check_pair(x, y)?;
    let n = x.len() as u64;
    let mut pairs: Vec<(f64, f64)> = x.iter().copied().zip(y.iter().copied()).collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let n0 = n * (n - 1) / 2;
    let xs: Vec<f64> = pairs.iter().map(|p| p.0).collect();
    let n1 = tied_pairs(&xs);
    let n3 = tied_pairs(&pairs);
    let mut ys: Vec<f64> = pairs.iter().map(|p| p.1).collect();
    let swaps = count_inversions(&mut ys);
    let n2 = tied_pairs(&ys);
    if n1 == n0 || n2 == n0 {
        return Err(NearError::InvalidParameter(
            "Kendall tau-b is undefined when one input is constant".into(),
        ));
    }
    let numerator = n0 as f64 - n1 as f64 - n2 as f64 + n3 as f64 - 2.0 * swaps as f64;
    Ok(numerator / (((n0 - n1) as f64) * ((n0 - n2) as f64)).sqrt())
}

/// Spearman's rho: the Pearson correlation of the ranks, ties given their average rank.
///
/// Fails like [`kendall_tau_b`].
pub fn spearman_rho(x: &[f64], y: &[f64]) -> Result<f64> {
    check_pair(x, y)?;
    let rx = Data::new(x.to_vec()).ranks(RankTieBreaker::Average);
    let ry = Data::new(y.to_vec()).ranks(RankTieBreaker::Average);
    let (sx, sy) = (rx.iter().std_dev(), ry.iter().std_dev());
    if sx == 0.0 || sy == 0.0 {
        return Err(NearError::InvalidParameter(
            "Spearman rho is undefined when one input is constant".into(),
        ));
    }
    Ok(rx.iter().covariance(ry.iter()) / (sx * sy))
}

fn argmin_loss(losses: &[f64]) -> Result<usize> {
    losses
        .iter()
        .enumerate()
        .filter(|(_, l)| l.is_finite())
        .min_by(|a, b| a.1.total_cmp(b.1))
        .map(|(i, _)| i)
        .ok_or_else(|| NearError::NoData("no candidate has a finite loss".into()))
}

/// Whether the candidate with the lowest finite loss is among the `k` highest NEAR scores
/// (ties in score broken by index, as in pruning).
pub fn top_k_hit(scores: &[f64], losses: &[f64], k: usize) -> Result<bool> {
    if scores.len() != losses.len() {
        return Err(NearError::ShapeMismatch(format!(
            "{} scores vs {} losses",
            scores.len(),
            losses.len()
        )));
    }
    let best = argmin_loss(losses)?;
    Ok(rank_by_score(scores).iter().take(k).any(|&i| i == best))
}

/// Regret of a pruned sweep: best loss among `survivors` minus the best loss of the full grid
/// (`losses` holds every candidate's loss; non-finite losses count as failed runs).
pub fn regret(losses: &[f64], survivors: &[usize]) -> Result<f64> {
    if let Some(&bad) = survivors.iter().find(|&&i| i >= losses.len()) {
        return Err(NearError::InvalidParameter(format!(
            "survivor index {bad} out of range for {} candidates",
            losses.len()
        )));
    }
    let best = losses[argmin_loss(losses)?];
    let survived: Vec<f64> = survivors.iter().map(|&i| losses[i]).collect();
    let best_survivor = survived[argmin_loss(&survived)?];
    Ok(best_survivor - best)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: [f64; 9] = [1., 2., 2., 3., 4., 5., 5., 5., 6.];
    const B: [f64; 9] = [2., 1., 3., 3., 5., 4., 6., 6., 7.];

    #[test]
    fn golden_tau_and_rho() {
        assert!((kendall_tau_b(&A, &B).unwrap() - 0.8185577344976237).abs() < 1e-12);
        assert!((spearman_rho(&A, &B).unwrap() - 0.9142388742738977).abs() < 1e-12);
    }

    #[test]
    fn undefined_and_bad_input_are_errors() {
        assert!(kendall_tau_b(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]).is_err());
        assert!(spearman_rho(&[1.0, 2.0, 3.0], &[4.0, 4.0, 4.0]).is_err());
        assert!(kendall_tau_b(&[1.0], &[1.0]).is_err());
        assert!(kendall_tau_b(&[1.0, 2.0], &[1.0]).is_err());
        assert!(spearman_rho(&[1.0, f64::NAN], &[1.0, 2.0]).is_err());
    }

    #[test]
    fn top_k_hit_and_regret() {
        let scores = [10.0, 30.0, 20.0, 5.0];
        let losses = [0.5, 0.4, 0.1, f64::NAN];
        // Best loss is candidate 2, the second-highest score.
        assert!(!top_k_hit(&scores, &losses, 1).unwrap());
        assert!(top_k_hit(&scores, &losses, 2).unwrap());
        assert!((regret(&losses, &[1]).unwrap() - 0.3).abs() < 1e-12);
        assert_eq!(regret(&losses, &[2, 0]).unwrap(), 0.0);
        assert!(regret(&losses, &[3]).is_err());
        assert!(regret(&losses, &[9]).is_err());
    }
}
