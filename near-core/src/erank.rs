//! Effective rank (Roy & Vetterli 2007), DESIGN §3.1.

use crate::error::{NearError, Result};
use crate::matrix::{Element, MatrixView};
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::svd::{self, ComputeSvdVectors, SvdParams};
use faer::{Mat, diag::Diag};

/// Singular values of `matrix`, computed in f64, in non-increasing order.
///
/// A two-stage reduction (dense to band to bidiagonal, module `svd`) computes them; it is faster
/// than faer's one-stage SVD on large matrices (README, Performance) and agrees with it to 1e-12
/// of the largest value. Should its final QR iteration not converge, faer's SVD takes over
/// (`faer_singular_values`). Any NaN or infinite entry is [`NearError::SvdFailed`].
pub fn singular_values<T: Element>(matrix: MatrixView<'_, T>) -> Result<Vec<f64>> {
    let a = Mat::<f64>::from_fn(matrix.rows(), matrix.cols(), |i, j| matrix.get(i, j).to_f64());
    crate::svd::singular_values(&a).or_else(|| faer_singular_values(&a)).ok_or(NearError::SvdFailed)
}

/// faer's one-stage SVD, the fallback, run on the matrix scaled to a largest entry near 1 (which
/// does not change the effective rank). Unscaled, faer silently returned singular values giving
/// an effective rank of 15.5 instead of 12.9 on entries of order 1e-300, and did not converge on
/// exactly rank-one matrices (e.g. the pre-activations of a layer fed by saturated activations,
/// where every row is the same); scaled, it gets both right.
fn faer_singular_values(a: &Mat<f64>) -> Option<Vec<f64>> {
    crate::svd::with_unit_scale(a, |scaled| values_only_svd(&scaled))
}

/// faer's SVD without singular vectors. The divide-and-conquer recursion only pays off when
/// vectors are wanted, so it is switched off.
fn values_only_svd(a: &Mat<f64>) -> Option<Vec<f64>> {
    let (m, n) = (a.nrows(), a.ncols());
    let mut params: SvdParams = faer::auto!(f64);
    params.recursion_threshold = usize::MAX;
    let par = faer::get_global_parallelism();
    let no = ComputeSvdVectors::No;
    let mut mem = MemBuffer::new(svd::svd_scratch::<f64>(m, n, no, no, par, params.into()));
    let mut s = Diag::<f64>::zeros(m.min(n));
    svd::svd(a.as_ref(), s.as_mut(), None, None, par, MemStack::new(&mut mem), params.into())
        .ok()?;
    let mut values: Vec<f64> = s.column_vector().iter().copied().collect();
    values.sort_by(|x, y| y.total_cmp(x));
    Some(values)
}

/// Effective rank of a list of singular values: `exp(-sum p_k ln p_k)` with `p_k = s_k / sum(s)`.
///
/// Returns 0 when the values sum to zero or any value is not finite (never NaN).
pub fn effective_rank_from_singular_values(singular_values: &[f64]) -> f64 {
    if singular_values.iter().any(|s| !s.is_finite()) {
        return 0.0;
    }
    let total: f64 = singular_values.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    let entropy: f64 =
        singular_values.iter().map(|&s| s / total).filter(|&p| p > 0.0).map(|p| -p * p.ln()).sum();
    entropy.exp()
}

/// Effective rank of a matrix (DESIGN §3.1). A zero matrix or one with any NaN/infinite entry
/// gives 0. Empty or mis-shaped input cannot reach here: [`MatrixView::new`] rejects it.
///
/// ```
/// use near_core::{Matrix, effective_rank};
/// let a = Matrix::new(3, 3, vec![3.0, 1.0, 0.0, 1.0, 2.0, 1.0, 0.0, 1.0, 1.0]).unwrap();
/// let r = effective_rank(a.view()).unwrap();
/// assert!((r - 2.2263520917513624).abs() < 1e-12);
/// ```
pub fn effective_rank<T: Element>(matrix: MatrixView<'_, T>) -> Result<f64> {
    let data = matrix.data();
    if data.iter().any(|v| !v.to_f64().is_finite()) {
        return Ok(0.0);
    }
    // Identical rows (common when activations saturate) make a rank-one matrix, on which the SVD
    // iterates for long: its one singular value gives erank 1 (0 for a zero matrix) exactly.
    let first_row = &data[..matrix.cols()];
    if data
        .chunks(matrix.cols())
        .all(|row| row.iter().zip(first_row).all(|(a, b)| a.to_f64() == b.to_f64()))
    {
        return Ok(if first_row.iter().any(|v| v.to_f64() != 0.0) { 1.0 } else { 0.0 });
    }
    Ok(effective_rank_from_singular_values(&singular_values(matrix)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::Matrix;

    #[test]
    fn identity_has_full_effective_rank() {
        for n in [1, 2, 7, 33] {
            let eye = Matrix::from_fn(n, n, |i, j| if i == j { 1.0f64 } else { 0.0 }).unwrap();
            let r = effective_rank(eye.view()).unwrap();
            assert!((r - n as f64).abs() < 1e-10, "erank(I_{n}) = {r}");
        }
    }

    #[test]
    fn golden_three_by_three() {
        let a = Matrix::new(3, 3, vec![3.0f64, 1.0, 0.0, 1.0, 2.0, 1.0, 0.0, 1.0, 1.0]).unwrap();
        let r = effective_rank(a.view()).unwrap();
        assert!((r - 2.2263520917513624).abs() < 1e-12, "{r}");
        let a32 = Matrix::new(3, 3, vec![3.0f32, 1.0, 0.0, 1.0, 2.0, 1.0, 0.0, 1.0, 1.0]).unwrap();
        assert!((effective_rank(a32.view()).unwrap() - 2.2263520917513624).abs() < 1e-6);
    }

    #[test]
    fn zero_and_non_finite_give_zero() {
        let zero = Matrix::new(2, 3, vec![0.0f64; 6]).unwrap();
        assert_eq!(effective_rank(zero.view()).unwrap(), 0.0);
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let m = Matrix::new(2, 2, vec![1.0, bad, 0.0, 1.0]).unwrap();
            assert_eq!(effective_rank(m.view()).unwrap(), 0.0);
        }
    }

    /// Every row the same, values rounded to f32 (found in a saturated tanh network): faer's
    /// SVD alone reports no convergence on this 200 x 200 matrix.
    fn identical_rows() -> (Matrix<f32>, f64) {
        let h = |j: usize| {
            let x = ((j as f64) * 12.9898).sin() * 43758.5453;
            x - x.floor()
        };
        let m = Matrix::from_fn(200, 200, |_, j| (100.0 + 5.0 * h(j)) as f32).unwrap();
        let largest: f64 =
            (0..200).map(|j| f64::from((100.0 + 5.0 * h(j)) as f32).powi(2)).sum::<f64>().sqrt()
                * 200f64.sqrt();
        (m, largest)
    }

    #[test]
    fn identical_rows_give_one_nonzero_singular_value() {
        let (m, expected) = identical_rows();
        let s = singular_values(m.view()).unwrap();
        assert!((s[0] - expected).abs() < 1e-9 * expected, "{} vs {expected}", s[0]);
        assert!(s[1] < 1e-9 * s[0]);
        assert!((effective_rank_from_singular_values(&s) - 1.0).abs() < 1e-6);
        assert_eq!(effective_rank(m.view()).unwrap(), 1.0);
    }

    #[test]
    fn faer_fallback_converges_on_identical_rows_and_keeps_tiny_matrices_accurate() {
        let (m, expected) = identical_rows();
        let a = Mat::<f64>::from_fn(200, 200, |i, j| f64::from(m.view().get(i, j)));
        let s = faer_singular_values(&a).expect("converges");
        assert!((s[0] - expected).abs() < 1e-9 * expected && s[1] < 1e-9 * s[0]);
        let base = Mat::<f64>::from_fn(30, 30, |i, j| ((i * 7 + j * 11) % 17) as f64 - 8.0);
        let reference = effective_rank_from_singular_values(&faer_singular_values(&base).unwrap());
        let tiny = Mat::<f64>::from_fn(30, 30, |i, j| base[(i, j)] * 1e-300);
        let r = effective_rank_from_singular_values(&faer_singular_values(&tiny).unwrap());
        assert!((r - reference).abs() < 1e-9 * reference, "{r} vs {reference}");
    }

    #[test]
    fn singular_values_of_non_finite_input_is_an_error_not_a_panic() {
        for bad in [f64::NAN, f64::INFINITY] {
            let m =
                Matrix::from_fn(20, 20, |i, j| if (i, j) == (3, 7) { bad } else { (i + j) as f64 })
                    .unwrap();
            assert!(matches!(singular_values(m.view()), Err(NearError::SvdFailed)));
        }
    }

    #[test]
    fn extreme_magnitudes_keep_the_effective_rank() {
        // Squares of 1e300 overflow and of 1e-300 underflow; the effective rank is scale-free.
        let base = Matrix::from_fn(30, 30, |i, j| ((i * 7 + j * 11) % 17) as f64 - 8.0).unwrap();
        let reference = effective_rank(base.view()).unwrap();
        for scale in [1e300, 1e-300] {
            let scaled = Matrix::from_fn(30, 30, |i, j| base.view().get(i, j) * scale).unwrap();
            let r = effective_rank(scaled.view()).unwrap();
            assert!((r - reference).abs() < 1e-9 * reference, "scale {scale}: {r} vs {reference}");
        }
    }

    #[test]
    fn rank_one_matrix_has_effective_rank_one() {
        let m = Matrix::from_fn(5, 4, |i, j| ((i + 1) * (j + 2)) as f32).unwrap();
        assert!((effective_rank(m.view()).unwrap() - 1.0).abs() < 1e-5);
    }
}
