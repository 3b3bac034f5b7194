//! Layer-width estimation from single-layer NEAR scores (DESIGN §3.4).
//!
//! For candidate widths N_i of one layer, the relative score r(N) = s(N) / N is fitted with
//! f(N) = a + b * N^c through the points (1, 1) and (N_i, r(N_i)) by Levenberg-Marquardt
//! (start a = 1, b = 2, c = -1, as in the reference). The slope of f relative to its slope at
//! N = 1 is N^(c - 1); the estimate is the width where that ratio falls to the threshold t:
//! N* = t^(1 / (c - 1)).

use crate::error::{NearError, Result};
use faer::Mat;
use faer::linalg::solvers::Solve;
use serde::{Deserialize, Serialize};

/// Reference default slope threshold.
pub const DEFAULT_SLOPE_THRESHOLD: f64 = 0.005;

const MAX_ITERATIONS: usize = 500;
const START: [f64; 3] = [1.0, 2.0, -1.0];

/// A fitted curve f(N) = a + b * N^c with its diagnostics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PowerLawFit {
    /// Offset a.
    pub a: f64,
    /// Scale b.
    pub b: f64,
    /// Exponent c (must be < 1 for a usable estimate).
    pub c: f64,
    /// The fitted points (N, r(N)), the anchor (1, 1) first.
    pub points: Vec<(f64, f64)>,
    /// Residuals r - f(N) at each point, in the order of `points`.
    pub residuals: Vec<f64>,
    /// Root mean square of the residuals.
    pub rmse: f64,
    /// Levenberg-Marquardt iterations used.
    pub iterations: usize,
}

impl PowerLawFit {
    /// f(N).
    pub fn eval(&self, n: f64) -> f64 {
        self.a + self.b * n.powf(self.c)
    }

    /// N* = t^(1 / (c - 1)): where the slope ratio N^(c - 1) falls to `threshold` (in (0, 1)).
    pub fn width_at_threshold(&self, threshold: f64) -> Result<f64> {
        if !(threshold > 0.0 && threshold < 1.0) {
            return Err(NearError::InvalidParameter(format!(
                "slope threshold must lie in (0, 1), got {threshold}"
            )));
        }
        Ok(threshold.powf(1.0 / (self.c - 1.0)))
    }
}

/// Result of estimating one layer's width.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WidthEstimate {
    /// The fitted curve.
    pub fit: PowerLawFit,
    /// Slope threshold t used.
    pub threshold: f64,
    /// Estimated width N* (not rounded).
    pub width: f64,
}

impl WidthEstimate {
    /// N* rounded to the nearest whole neuron, at least 1.
    pub fn rounded_width(&self) -> usize {
        self.width.round().max(1.0) as usize
    }
}

/// Estimates a layer's width from its single-layer scores `scores[i]` at `widths[i]`.
///
/// ```
/// use near_core::estimate_width;
/// let widths: Vec<usize> = (0..8).map(|i| 10 << i).collect();
/// let scores: Vec<f64> =
///     widths.iter().map(|&n| n as f64 * (0.05 + 0.95 * (n as f64).powf(-0.35))).collect();
/// let est = estimate_width(&widths, &scores, 0.005).unwrap();
/// assert!((est.width - 50.6368).abs() < 1e-3);
/// ```
pub fn estimate_width(widths: &[usize], scores: &[f64], threshold: f64) -> Result<WidthEstimate> {
    if widths.len() != scores.len() {
        return Err(NearError::ShapeMismatch(format!(
            "{} widths but {} scores",
            widths.len(),
            scores.len()
        )));
    }
    if let Some(&w) = widths.iter().find(|&&w| w == 0) {
        return Err(NearError::InvalidParameter(format!("candidate width {w} must be positive")));
    }
    let points: Vec<(f64, f64)> =
        widths.iter().zip(scores).map(|(&n, &s)| (n as f64, s / n as f64)).collect();
    let fit = fit_power_law(&points)?;
    let width = fit.width_at_threshold(threshold)?;
    Ok(WidthEstimate { fit, threshold, width })
}

/// Fits f(N) = a + b * N^c through (1, 1) and `points` (N, r(N)) by Levenberg-Marquardt.
///
/// Needs at least three distinct widths besides N = 1; fails when the data are not finite, the fit
/// does not converge, or the fitted exponent c is not below 1.
pub fn fit_power_law(points: &[(f64, f64)]) -> Result<PowerLawFit> {
    let mut all = vec![(1.0, 1.0)];
    all.extend_from_slice(points);
    if all.iter().any(|(n, r)| !n.is_finite() || !r.is_finite() || *n <= 0.0) {
        return Err(NearError::NonFinite(format!("fit points must be finite, N > 0: {points:?}")));
    }
    let mut distinct: Vec<f64> = all.iter().map(|p| p.0).collect();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    if distinct.len() < 3 {
        return Err(NearError::NoData(format!(
            "a 3-parameter fit needs at least 2 candidate widths other than 1, got {points:?}"
        )));
    }
    let (params, iterations) = levenberg_marquardt(&all)?;
    let [a, b, c] = params;
    if c.is_nan() || c >= 1.0 {
        return Err(NearError::FitFailed(format!(
            "fitted exponent c = {c} is not below 1, so the slope never decays"
        )));
    }
    let residuals: Vec<f64> = all.iter().map(|&(n, r)| r - (a + b * n.powf(c))).collect();
    let rmse = (residuals.iter().map(|e| e * e).sum::<f64>() / residuals.len() as f64).sqrt();
    Ok(PowerLawFit { a, b, c, points: all, residuals, rmse, iterations })
}

fn sum_of_squares(points: &[(f64, f64)], [a, b, c]: [f64; 3]) -> f64 {
    points.iter().map(|&(n, r)| (r - a - b * n.powf(c)).powi(2)).sum()
}

/// Minimises the squared residuals; returns the parameters and the iterations used.
fn levenberg_marquardt(points: &[(f64, f64)]) -> Result<([f64; 3], usize)> {
    let mut params = START;
    let mut cost = sum_of_squares(points, params);
    let mut damping = 1e-3;
    for iteration in 1..=MAX_ITERATIONS {
        // Normal equations J^T J and J^T e for the residuals e = r - f.
        let mut jtj = Mat::<f64>::zeros(3, 3);
        let mut jte = Mat::<f64>::zeros(3, 1);
        let [a, b, c] = params;
        for &(n, r) in points {
            let nc = n.powf(c);
            let grad = [1.0, nc, b * nc * n.ln()];
            let e = r - a - b * nc;
            for i in 0..3 {
                jte[(i, 0)] += grad[i] * e;
                for j in 0..3 {
                    jtj[(i, j)] += grad[i] * grad[j];
                }
            }
        }
        let mut improved = false;
        while damping < 1e16 {
            let mut lhs = jtj.clone();
            for i in 0..3 {
                lhs[(i, i)] += damping * jtj[(i, i)].max(1e-12);
            }
            let step = lhs.partial_piv_lu().solve(&jte);
            let trial =
                [params[0] + step[(0, 0)], params[1] + step[(1, 0)], params[2] + step[(2, 0)]];
            let trial_cost = sum_of_squares(points, trial);
            if trial_cost.is_finite() && trial_cost <= cost {
                let converged = cost - trial_cost <= 1e-15 * cost.max(1e-300)
                    || (0..3).all(|i| step[(i, 0)].abs() <= 1e-12 * (1.0 + trial[i].abs()));
                params = trial;
                cost = trial_cost;
                damping = (damping / 10.0).max(1e-12);
                improved = true;
                if converged {
                    return Ok((params, iteration));
                }
                break;
            }
            damping *= 10.0;
        }
        if !improved {
            // No step lowers the cost: we are at a minimum (to machine precision).
            return Ok((params, iteration));
        }
    }
    Err(NearError::FitFailed(format!(
        "no convergence after {MAX_ITERATIONS} iterations (a = {}, b = {}, c = {})",
        params[0], params[1], params[2]
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn golden_scores() -> (Vec<usize>, Vec<f64>) {
        let widths: Vec<usize> = (0..8).map(|i| 10 << i).collect();
        let scores =
            widths.iter().map(|&n| n as f64 * (0.05 + 0.95 * (n as f64).powf(-0.35))).collect();
        (widths, scores)
    }

    #[test]
    fn golden_fit_and_widths() {
        let (widths, scores) = golden_scores();
        let est = estimate_width(&widths, &scores, 0.005).unwrap();
        let f = &est.fit;
        assert!(
            (f.a - 0.05).abs() < 1e-8 && (f.b - 0.95).abs() < 1e-8 && (f.c + 0.35).abs() < 1e-8
        );
        assert!((est.width - 50.6368).abs() < 1e-4, "{}", est.width);
        assert_eq!(est.rounded_width(), 51);
        assert!((f.width_at_threshold(0.01).unwrap() - 30.3027).abs() < 1e-4);
        assert!(f.rmse < 1e-10);
        assert_eq!(f.residuals.len(), 9);
    }

    #[test]
    fn bad_input_is_rejected() {
        assert!(estimate_width(&[10, 20], &[1.0], 0.005).is_err());
        assert!(estimate_width(&[0, 20, 40], &[1.0, 2.0, 3.0], 0.005).is_err());
        assert!(estimate_width(&[10], &[5.0], 0.005).is_err());
        assert!(estimate_width(&[10, 20, 40], &[5.0, f64::NAN, 8.0], 0.005).is_err());
        let (widths, scores) = golden_scores();
        assert!(estimate_width(&widths, &scores, 1.5).is_err());
    }

    #[test]
    fn growing_relative_scores_do_not_give_an_estimate() {
        // r(N) growing like N^1.5 has c > 1: the slope never decays.
        let widths = [2usize, 4, 8, 16];
        let scores: Vec<f64> = widths.iter().map(|&n| (n as f64).powf(2.5)).collect();
        assert!(matches!(estimate_width(&widths, &scores, 0.005), Err(NearError::FitFailed(_))));
    }
}
