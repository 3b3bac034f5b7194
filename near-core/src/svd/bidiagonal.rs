//! Stage 3: singular values of an upper bidiagonal matrix by implicit-shift QR sweeps
//! (Golub and Van Loan, Matrix Computations, Algorithm 8.6.2), values only.

use super::givens;

/// Sweeps allowed per singular value before giving up (two or three are typical).
const SWEEPS_PER_VALUE: usize = 40;

/// Singular values (non-increasing) of the upper bidiagonal matrix with the given diagonal and
/// superdiagonal (`superdiagonal.len() + 1 == diagonal.len()`), or `None` when the iteration
/// does not converge or an entry is not finite.
pub(super) fn singular_values(mut d: Vec<f64>, mut e: Vec<f64>) -> Option<Vec<f64>> {
    let n = d.len();
    if d.iter().chain(&e).any(|v| !v.is_finite()) {
        return None;
    }
    let norm = (0..n).map(|i| d[i].abs() + e.get(i).map_or(0.0, |v| v.abs())).fold(0.0, f64::max);
    // Entries below this are noise at the accuracy of the earlier stages.
    let small = f64::EPSILON * norm;
    let negligible = |e: f64, d1: f64, d2: f64| {
        e.abs() <= small || e.abs() <= f64::EPSILON * (d1.abs() + d2.abs())
    };
    let mut end = n.saturating_sub(1); // last row of the block still iterated on
    let mut sweeps = 0;
    while end > 0 {
        if negligible(e[end - 1], d[end - 1], d[end]) {
            e[end - 1] = 0.0;
            end -= 1;
            continue;
        }
        let mut start = end - 1;
        while start > 0 && !negligible(e[start - 1], d[start - 1], d[start]) {
            start -= 1;
        }
        if start > 0 {
            e[start - 1] = 0.0;
        }
        sweeps += 1;
        if sweeps > SWEEPS_PER_VALUE * n {
            return None;
        }
        match (start..=end).find(|&k| d[k].abs() <= small) {
            Some(k) if k < end => zero_row(&mut d, &mut e, k, end),
            Some(_) => zero_last_column(&mut d, &mut e, start, end),
            None => golub_kahan_step(&mut d, &mut e, start, end),
        }
    }
    let mut values: Vec<f64> = d.iter().map(|v| v.abs()).collect();
    values.sort_by(|x, y| y.total_cmp(x));
    Some(values)
}

/// With `d[k]` negligible (k < end), rotations of row k against rows k+1 ..= end move its
/// superdiagonal entry off the end of the block: row k becomes zero and the block splits.
fn zero_row(d: &mut [f64], e: &mut [f64], k: usize, end: usize) {
    d[k] = 0.0;
    let mut f = std::mem::take(&mut e[k]);
    for j in k + 1..=end {
        let (c, s, r) = givens(d[j], f);
        d[j] = r;
        if j < end {
            f = -s * e[j];
            e[j] *= c;
        }
    }
}

/// With `d[end]` negligible, rotations of column `end` against columns end-1, end-2, ...
/// clear that column: the last value is zero and the block splits.
fn zero_last_column(d: &mut [f64], e: &mut [f64], start: usize, end: usize) {
    d[end] = 0.0;
    let mut f = std::mem::take(&mut e[end - 1]);
    for j in (start..end).rev() {
        let (c, s, r) = givens(d[j], f);
        d[j] = r;
        if j > start {
            f = -s * e[j - 1];
            e[j - 1] *= c;
        }
    }
}

/// One implicit QR sweep over rows start ..= end with the Wilkinson shift from the trailing
/// 2 x 2 block of B^T B.
fn golub_kahan_step(d: &mut [f64], e: &mut [f64], start: usize, end: usize) {
    let m = end - 1;
    let t11 = d[m] * d[m] + if m > start { e[m - 1] * e[m - 1] } else { 0.0 };
    let t12 = d[m] * e[m];
    let t22 = d[end] * d[end] + e[m] * e[m];
    let half_gap = (t11 - t22) / 2.0;
    let denominator = half_gap + half_gap.signum() * half_gap.hypot(t12);
    let shift = if denominator == 0.0 { t22 } else { t22 - t12 * t12 / denominator };
    let mut y = d[start] * d[start] - shift;
    let mut z = d[start] * e[start];
    for k in start..end {
        // Columns k, k+1: zero the bulge z in row k-1 (or introduce the shift when k = start).
        let (c, s, r) = givens(y, z);
        if k > start {
            e[k - 1] = r;
        }
        y = c * d[k] + s * e[k];
        e[k] = c * e[k] - s * d[k];
        z = s * d[k + 1];
        d[k + 1] *= c;
        // Rows k, k+1: zero the bulge z below the diagonal.
        let (c, s, r) = givens(y, z);
        d[k] = r;
        y = c * e[k] + s * d[k + 1];
        d[k + 1] = c * d[k + 1] - s * e[k];
        if k + 1 < end {
            z = s * e[k + 1];
            e[k + 1] *= c;
        }
    }
    e[end - 1] = y;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_by_two_has_its_closed_form_values() {
        // [[3, 4], [0, 5]]: B^T B = [[9, 12], [12, 41]], eigenvalues 45 and 5.
        let s = singular_values(vec![3.0, 5.0], vec![4.0]).unwrap();
        assert!((s[0] - 45f64.sqrt()).abs() < 1e-14 && (s[1] - 5f64.sqrt()).abs() < 1e-14, "{s:?}");
    }

    #[test]
    fn zero_on_the_diagonal_splits_the_matrix() {
        // Middle diagonal zero: the 3 x 3 [[1,1,0],[0,0,1],[0,0,1]] has singular values
        // sqrt(2), sqrt(2) and 0 (rows 2 and 3 span one direction, row 1 another).
        let s = singular_values(vec![1.0, 0.0, 1.0], vec![1.0, 1.0]).unwrap();
        assert!((s[0] - 2f64.sqrt()).abs() < 1e-14 && (s[1] - 2f64.sqrt()).abs() < 1e-14, "{s:?}");
        assert!(s[2].abs() < 1e-14, "{s:?}");
        // Last diagonal zero: [[2, 1], [0, 0]] has singular values sqrt(5) and 0.
        let s = singular_values(vec![2.0, 0.0], vec![1.0]).unwrap();
        assert!((s[0] - 5f64.sqrt()).abs() < 1e-14 && s[1].abs() < 1e-14, "{s:?}");
        // [[1, 1, 0], [0, 2, 1], [0, 0, 0]]: rows 1 and 2 have Gram matrix [[2, 2], [2, 5]],
        // eigenvalues 6 and 1.
        let s = singular_values(vec![1.0, 2.0, 0.0], vec![1.0, 1.0]).unwrap();
        assert!((s[0] - 6f64.sqrt()).abs() < 1e-14 && (s[1] - 1.0).abs() < 1e-14, "{s:?}");
        assert!(s[2].abs() < 1e-14, "{s:?}");
    }

    #[test]
    fn non_finite_entries_are_refused() {
        assert!(singular_values(vec![1.0, f64::NAN], vec![1.0]).is_none());
        assert!(singular_values(vec![1.0, 1.0], vec![f64::INFINITY]).is_none());
    }
}
