//! Stage 1: reduction of a dense matrix to upper band form by blocked Householder panels.
//!
//! Panel by panel (width `w`), a QR of the column panel zeroes it below the diagonal and an LQ
//! of the row panel beside it zeroes that beyond the `w`-th superdiagonal. The two block
//! reflectors reach the trailing matrix `C` together, in the spirit of LAPACK's `dlabrd`:
//!
//! ```text
//! Y = H1^-T V^T C                          (left reflector  I - V H1^-1 V^T)
//! top rows of (C - V Y) = L W-reflector     (LQ of the row panel: I - W H2^-1 W^T)
//! Z = (C_bot W - V_bot (Y W)) H2^-1
//! C_bot <- C_bot - [V_bot Z] [Y ; W^T]     (one product of inner size 2w)
//! ```
//!
//! so the trailing matrix is read three times and written once per panel instead of read four
//! times and written twice.

use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::matmul::matmul;
use faer::linalg::qr::no_pivoting::factor::{QrParams, qr_in_place, qr_in_place_scratch};
use faer::linalg::triangular_solve::solve_lower_triangular_in_place;
use faer::reborrow::*;
use faer::{Accum, Mat, MatMut, MatRef, Par};

/// Products with fewer multiply-adds than this stay on one thread.
const SPLIT_THRESHOLD: usize = 1 << 20;

/// Reduces `a` (m x n, m >= n) in place to upper band form: afterwards `a[(i, j)] == 0` unless
/// `i <= j <= i + width`. The singular values are unchanged (only orthogonal transformations).
pub(super) fn reduce_to_band(mut a: MatMut<'_, f64>, width: usize) {
    let (m, n) = (a.nrows(), a.ncols());
    assert!(m >= n && width > 0, "reduce_to_band needs a tall matrix and a positive width");
    let seq = Par::Seq;
    let params: QrParams = faer::auto!(f64);
    let mut mem = MemBuffer::new(qr_in_place_scratch::<f64>(m, width, width, seq, params.into()));
    let stack = MemStack::new(&mut mem);
    let mut h1 = Mat::<f64>::zeros(width, width);
    let mut h2 = Mat::<f64>::zeros(width, width);
    let mut yw = Mat::<f64>::zeros(width, width);
    let mut left = Mat::<f64>::zeros(m, 2 * width); // [V | Z]
    let mut right = Mat::<f64>::zeros(2 * width, n); // [Y ; W^T]
    let mut row_panel = Mat::<f64>::zeros(n, width); // transposed row panel, then its QR
    let mut k = 0;
    while k < n {
        let w = width.min(n - k);
        let rows = m - k;
        let cols = n - k - w;

        // QR of the column panel; its reflectors V go to `left` with the unit diagonal explicit.
        let mut h1 = h1.as_mut().get_mut(..w, ..w);
        let mut panel = a.rb_mut().get_mut(k.., k..k + w);
        qr_in_place(panel.rb_mut(), h1.rb_mut(), seq, stack, params.into());
        let mut v = left.as_mut().get_mut(..rows, ..w);
        for j in 0..w {
            for i in 0..rows {
                v[(i, j)] = reflector_entry(i, j, || std::mem::take(&mut panel[(i, j)]));
            }
        }
        if cols == 0 {
            break;
        }
        let s = w.min(cols);

        // Y = H1^-T V^T C.
        let mut y = right.as_mut().get_mut(..w, ..cols);
        matmul_split(y.rb_mut(), Accum::Replace, v.rb().transpose(), a.rb().get(k.., k + w..), 1.0);
        solve_lower_triangular_in_place(h1.rb().transpose(), y.rb_mut(), seq);

        // The row panel after the left reflector, transposed: C_top^T - Y^T V_top^T; its QR.
        let mut t = row_panel.as_mut().get_mut(..cols, ..w);
        t.copy_from(a.rb().get(k..k + w, k + w..).transpose());
        matmul(
            t.rb_mut(),
            Accum::Add,
            y.rb().transpose(),
            v.rb().get(..w, ..).transpose(),
            -1.0,
            seq,
        );
        let mut h2 = h2.as_mut().get_mut(..s, ..s);
        qr_in_place(t.rb_mut(), h2.rb_mut(), seq, stack, params.into());
        let mut top = a.rb_mut().get_mut(k..k + w, k + w..);
        let mut w_transposed = right.as_mut().get_mut(w..w + s, ..cols);
        for i in 0..w {
            for j in 0..cols {
                top[(i, j)] = if j <= i { t[(j, i)] } else { 0.0 };
            }
        }
        for i in 0..s {
            for j in 0..cols {
                w_transposed[(i, j)] = reflector_entry(j, i, || t[(j, i)]);
            }
        }
        if rows == w {
            break;
        }

        // Z = (C_bot W - V_bot (Y W)) H2^-1, then C_bot -= [V_bot Z] [Y ; W^T].
        let (y, w_transposed) = right.as_ref().get(..w + s, ..cols).split_at_row(w);
        let mut yw = yw.as_mut().get_mut(..w, ..s);
        matmul(yw.rb_mut(), Accum::Replace, y, w_transposed.transpose(), 1.0, seq);
        let (v_bottom, mut z) = left.as_mut().get_mut(w..rows, ..w + s).split_at_col_mut(w);
        let bottom = a.rb().get(k + w.., k + w..);
        matmul_split(z.rb_mut(), Accum::Replace, bottom, w_transposed.transpose(), 1.0);
        matmul(z.rb_mut(), Accum::Add, v_bottom.rb(), yw.rb(), -1.0, seq);
        solve_lower_triangular_in_place(h2.rb().transpose(), z.rb_mut().transpose_mut(), seq);
        matmul_split(
            a.rb_mut().get_mut(k + w.., k + w..),
            Accum::Add,
            left.as_ref().get(w..rows, ..w + s),
            right.as_ref().get(..w + s, ..cols),
            -1.0,
        );
        k += w;
    }
}

/// Entry (row, col) of a block of Householder vectors as faer's QR stores them: unit diagonal
/// implied, zeros above it, the vectors' other entries (`stored`) below it.
fn reflector_entry(row: usize, col: usize, stored: impl FnOnce() -> f64) -> f64 {
    match row.cmp(&col) {
        std::cmp::Ordering::Less => 0.0,
        std::cmp::Ordering::Equal => 1.0,
        std::cmp::Ordering::Greater => stored(),
    }
}

/// `dst = accum(dst) + alpha lhs rhs`, cut into two halves along the longer side of `dst` that
/// run on two rayon threads when the product is large. (faer's own threading ran slower than one
/// thread for products of inner size 8 to 32 on the development machine.)
fn matmul_split(
    dst: MatMut<'_, f64>,
    accum: Accum,
    lhs: MatRef<'_, f64>,
    rhs: MatRef<'_, f64>,
    alpha: f64,
) {
    let seq = Par::Seq;
    if dst.nrows() * dst.ncols() * lhs.ncols() < SPLIT_THRESHOLD {
        matmul(dst, accum, lhs, rhs, alpha, seq);
        return;
    }
    let ((dst_a, dst_b), (lhs_a, lhs_b), (rhs_a, rhs_b)) = if dst.ncols() >= dst.nrows() {
        let mid = dst.ncols() / 2;
        (dst.split_at_col_mut(mid), (lhs, lhs), rhs.split_at_col(mid))
    } else {
        let mid = dst.nrows() / 2;
        (dst.split_at_row_mut(mid), lhs.split_at_row(mid), (rhs, rhs))
    };
    rayon::join(
        || matmul(dst_a, accum, lhs_a, rhs_a, alpha, seq),
        || matmul(dst_b, accum, lhs_b, rhs_b, alpha, seq),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_an_upper_band_with_the_same_frobenius_norm() {
        for &(m, n, width) in &[(40, 40, 8), (50, 33, 8), (20, 20, 3), (9, 9, 16), (30, 29, 1)] {
            let a = Mat::<f64>::from_fn(m, n, |i, j| {
                ((i * 31 + j * 17) % 13) as f64 - 6.0 + (i == j) as u8 as f64
            });
            let mut b = a.clone();
            reduce_to_band(b.as_mut(), width);
            for i in 0..m {
                for j in 0..n {
                    if j < i || j > i + width {
                        assert!(
                            b[(i, j)].abs() < 1e-12,
                            "{m}x{n} w{width}: ({i},{j}) = {}",
                            b[(i, j)]
                        );
                    }
                }
            }
            assert!((a.norm_l2() - b.norm_l2()).abs() < 1e-10 * a.norm_l2());
        }
    }
}
