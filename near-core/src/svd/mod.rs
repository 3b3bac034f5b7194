//! Singular values of a dense matrix by a two-stage reduction, the route of PLASMA's and MAGMA's
//! SVD:
//!
//! 1. [`band`]: blocked Householder QR and LQ panels reduce the matrix to upper band form. Nearly
//!    all of the O(n^3) work is matrix-matrix products, which ran at about 25 GFLOP/s on one core
//!    of the development machine, against about 10 for the matrix-vector work of faer's direct
//!    (one-stage) bidiagonalisation.
//! 2. [`chase`]: Givens rotations take the band to bidiagonal form in O(n^2 b) work.
//! 3. [`bidiagonal`]: implicit-shift QR sweeps (Golub-Kahan) find the singular values of the
//!    bidiagonal matrix.
//!
//! Every step is an orthogonal transformation, so the result is backward stable like any SVD:
//! each singular value carries an absolute error of a small multiple of `eps * ||A||`.

mod band;
mod bidiagonal;
mod chase;

use faer::Mat;

/// Width of the band after the first stage. Wider bands make the first stage's products more
/// efficient and the second stage proportionally slower; 8 was fastest for 1024 x 1024 in
/// criterion runs on the development machine (202-230 ms, against 215-253 ms for 6, 227-234 ms
/// for 12 and 248-271 ms for 16).
const BAND_WIDTH: usize = 8;

/// Singular values of `a` in non-increasing order, or `None` when an entry is not finite or the
/// final QR iteration does not converge (then the caller falls back to another routine).
pub(crate) fn singular_values(a: &Mat<f64>) -> Option<Vec<f64>> {
    with_unit_scale(a, |scaled| {
        let mut work =
            if scaled.nrows() >= scaled.ncols() { scaled } else { scaled.transpose().to_owned() };
        band::reduce_to_band(work.as_mut(), BAND_WIDTH);
        let banded = chase::BandMatrix::from_upper_band(work.as_ref(), BAND_WIDTH);
        let (diagonal, superdiagonal) = banded.into_bidiagonal();
        bidiagonal::singular_values(diagonal, superdiagonal)
    })
}

/// Runs a singular-value routine on `a` scaled by a power of two (exact) to a largest entry in
/// [1, 2), so that squares inside it neither overflow nor underflow, and scales the values back.
/// `None` when an entry is not finite; all zeros for a zero matrix.
pub(crate) fn with_unit_scale(
    a: &Mat<f64>,
    routine: impl FnOnce(Mat<f64>) -> Option<Vec<f64>>,
) -> Option<Vec<f64>> {
    let largest = a.norm_max();
    if !largest.is_finite() {
        return None;
    }
    if largest == 0.0 {
        return Some(vec![0.0; a.nrows().min(a.ncols())]);
    }
    let scale = 2f64.powi(largest.log2().floor() as i32);
    let scaled = Mat::from_fn(a.nrows(), a.ncols(), |i, j| a[(i, j)] / scale);
    Some(routine(scaled)?.into_iter().map(|v| v * scale).collect())
}

/// A Givens rotation `[c s; -s c]` taking `(f, g)` to `(r, 0)`; returns `(c, s, r)`.
#[inline(always)]
fn givens(f: f64, g: f64) -> (f64, f64, f64) {
    if g == 0.0 {
        return (1.0, 0.0, f);
    }
    let mut r = (f * f + g * g).sqrt();
    if !(r > 1e-150 && r < 1e150) {
        // Squares that under- or overflow: take the careful route.
        r = f.hypot(g);
    }
    let inverse = 1.0 / r;
    (f * inverse, g * inverse, r)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// faer's one-stage SVD as the reference.
    fn reference(a: &Mat<f64>) -> Vec<f64> {
        let mut s: Vec<f64> = a.singular_values().unwrap();
        s.sort_by(|x, y| y.total_cmp(x));
        s
    }

    fn pseudo_random(rows: usize, cols: usize, seed: u64) -> Mat<f64> {
        let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        Mat::from_fn(rows, cols, |_, _| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        })
    }

    fn assert_matches_reference(a: &Mat<f64>) {
        let expected = reference(a);
        let actual = singular_values(a).expect("converged");
        assert_eq!(actual.len(), expected.len());
        let scale = expected.first().copied().unwrap_or(0.0).max(f64::MIN_POSITIVE);
        for (k, (x, y)) in actual.iter().zip(&expected).enumerate() {
            assert!(
                (x - y).abs() <= 1e-12 * scale,
                "{} x {}: singular value {k}: {x} vs {y}",
                a.nrows(),
                a.ncols()
            );
        }
    }

    #[test]
    fn matches_faer_on_random_matrices_of_many_shapes() {
        let shapes = [
            (1, 1),
            (1, 5),
            (5, 1),
            (2, 2),
            (3, 2),
            (7, 5),
            (5, 7),
            (8, 8),
            (9, 9),
            (16, 16),
            (17, 16),
            (33, 40),
            (64, 64),
            (100, 37),
            (37, 100),
            (129, 129),
            // Large enough for the band reduction to split its products over two threads.
            (400, 380),
        ];
        for (seed, &(m, n)) in shapes.iter().enumerate() {
            assert_matches_reference(&pseudo_random(m, n, seed as u64));
        }
    }

    #[test]
    fn matches_faer_on_rank_deficient_and_structured_matrices() {
        // Rank 3 out of 50: 47 zero singular values must come out as (almost) zero.
        let u = pseudo_random(50, 3, 1);
        let v = pseudo_random(3, 60, 2);
        assert_matches_reference(&(&u * &v));
        // Zero rows and columns, a duplicated column, a diagonal with a zero.
        let mut a = pseudo_random(30, 30, 3);
        for k in 0..30 {
            a[(4, k)] = 0.0;
            a[(k, 11)] = 0.0;
            a[(k, 20)] = a[(k, 21)];
        }
        assert_matches_reference(&a);
        let diagonal = Mat::from_fn(12, 12, |i, j| if i == j && i != 5 { i as f64 } else { 0.0 });
        assert_matches_reference(&diagonal);
        assert_matches_reference(&Mat::<f64>::zeros(9, 4));
        assert_matches_reference(&Mat::<f64>::identity(20, 20));
    }

    #[test]
    fn widely_spread_singular_values_keep_absolute_accuracy() {
        // Singular values from 1 down to 1e-15, mixed by two orthogonal factors.
        let n = 40;
        let q1 = pseudo_random(n, n, 7).qr().compute_Q();
        let q2 = pseudo_random(n, n, 8).qr().compute_Q();
        let d =
            Mat::from_fn(
                n,
                n,
                |i, j| if i == j { 10f64.powf(-(i as f64) * 15.0 / 39.0) } else { 0.0 },
            );
        assert_matches_reference(&(&q1 * &d * &q2));
    }

    #[test]
    fn givens_zeroes_the_second_entry() {
        for &(f, g) in &[(3.0, 4.0), (-1.0, 2.0), (1e-200, 3e-200), (2e200, -1e200), (5.0, 0.0)] {
            let (c, s, r) = givens(f, g);
            assert!((c * c + s * s - 1.0).abs() < 1e-15);
            assert!((c * f + s * g - r).abs() <= 1e-15 * r.abs());
            assert!((c * g - s * f).abs() <= 1e-15 * r.abs());
        }
    }
}
