//! Stage 2: an upper band matrix to upper bidiagonal form by Givens rotations.
//!
//! The outermost superdiagonal is removed one entry at a time (a rotation of two neighbouring
//! columns); the entry this creates below the diagonal is removed by a rotation of two rows,
//! which creates one just outside the band further down, and so on to the bottom ("chasing the
//! bulge"). Then the next superdiagonal, until only one is left: O(n^2 b) work in all.

use super::givens;
use faer::MatRef;
use std::collections::VecDeque;

/// Steps by which each chase trails the one started before it. Step s of the chase from row r
/// touches only entries in rows >= r + s d - 1 and columns >= r + (s + 1) d - 1; step t of the
/// chase from row r + 1 only entries in rows or columns <= r + 1 + (t + 2) d, and within those
/// either the rows or the columns are <= r + 1 + (t + 1) d. With a lag of 2 (d >= 2), every step
/// the first chase takes after step t of the second (s >= t + 3) misses what that step touched,
/// so the interleaved order gives the same matrix as running the chases one after another.
const CHASE_LAG: usize = 2;

/// A square matrix whose entries outside the diagonals -1 ..= width + 1 are zero, stored by
/// column: entry (i, j) at `(j + 1 - i) + stride * j`, so that both the column rotations
/// (consecutive rows of one column) and the row rotations (two rows, a few columns) touch
/// neighbouring memory.
pub(super) struct BandMatrix {
    n: usize,
    width: usize,
    stride: usize,
    data: Vec<f64>,
}

impl BandMatrix {
    /// Copies the leading n x n block of `a` (n = its column count), which must be upper banded
    /// with the given width.
    pub(super) fn from_upper_band(a: MatRef<'_, f64>, width: usize) -> Self {
        let n = a.ncols();
        let stride = width + 3;
        let mut band = BandMatrix { n, width, stride, data: vec![0.0; stride * n] };
        for j in 0..n {
            for i in j.saturating_sub(width)..=j {
                let index = band.index(i, j);
                band.data[index] = a[(i, j)];
            }
        }
        band
    }

    #[inline(always)]
    fn index(&self, row: usize, col: usize) -> usize {
        (col + 1 - row) + self.stride * col
    }

    /// Reduces the band to bidiagonal form; returns its diagonal and superdiagonal.
    pub(super) fn into_bidiagonal(mut self) -> (Vec<f64>, Vec<f64>) {
        let n = self.n;
        for d in (2..=self.width.min(n.saturating_sub(1))).rev() {
            self.remove_superdiagonal(d);
        }
        let diagonal = (0..n).map(|i| self.data[self.index(i, i)]).collect();
        let superdiagonal = (1..n).map(|j| self.data[self.index(j - 1, j)]).collect();
        (diagonal, superdiagonal)
    }

    /// Zeroes superdiagonal `d` (the outermost) with one chase per row. The chases run
    /// interleaved, each [`CHASE_LAG`] steps behind the one started before it: the entries they
    /// touch are then disjoint, so the result is that of running them one after another, while
    /// the processor overlaps their rotations (each a chain of dependent square root and
    /// division).
    fn remove_superdiagonal(&mut self, d: usize) {
        let rows = self.n - d;
        let mut active = VecDeque::new();
        let mut next_row = 0;
        let mut round = 0;
        while next_row < rows || !active.is_empty() {
            if next_row < rows && round % CHASE_LAG == 0 {
                active.push_back(Chase { top: next_row, col: next_row + d });
                next_row += 1;
            }
            active.retain_mut(|chase| self.advance(chase, d));
            round += 1;
        }
    }

    /// One step of a chase: zeroes (top, col) by rotating columns col-1 and col, then the bulge
    /// (col, col-1) this creates by rotating rows col-1 and col, which creates the next bulge at
    /// (col-1, col+d). Returns whether the chase goes on.
    fn advance(&mut self, chase: &mut Chase, d: usize) -> bool {
        let Chase { top, col } = *chase;
        let (c, s, norm) =
            givens(self.data[self.index(top, col - 1)], self.data[self.index(top, col)]);
        let (first, second) = (self.index(top, col - 1), self.index(top, col));
        self.data[first] = norm;
        self.data[second] = 0.0;
        // Rows top+1 ..= col of the two columns, stored consecutively (from row col upwards).
        let (lower, upper) = self.data.split_at_mut(self.stride * col);
        let left = &mut lower[self.stride * (col - 1)..first];
        let right = &mut upper[1..second - self.stride * col];
        for (x, y) in left.iter_mut().zip(right.iter_mut()) {
            let (p, q) = (*x, *y);
            *x = c * p + s * q;
            *y = c * q - s * p;
        }
        let (c, s, norm) =
            givens(self.data[self.index(col - 1, col - 1)], self.data[self.index(col, col - 1)]);
        let (diagonal, bulge) = (self.index(col - 1, col - 1), self.index(col, col - 1));
        self.data[diagonal] = norm;
        self.data[bulge] = 0.0;
        let last = (col + d).min(self.n - 1);
        for j in col..=last {
            let upper_row = self.index(col - 1, j);
            let (p, q) = (self.data[upper_row], self.data[upper_row - 1]);
            self.data[upper_row] = c * p + s * q;
            self.data[upper_row - 1] = c * q - s * p;
        }
        if col + d >= self.n {
            return false;
        }
        *chase = Chase { top: col - 1, col: col + d };
        true
    }
}

/// A bulge chase in progress: its next step zeroes entry (top, col).
#[derive(Clone, Copy)]
struct Chase {
    top: usize,
    col: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use faer::Mat;

    #[test]
    fn band_becomes_bidiagonal_with_the_same_norm_and_singular_values() {
        for &(n, width) in &[(1, 8), (2, 8), (9, 8), (30, 8), (25, 3), (12, 1)] {
            let a = Mat::<f64>::from_fn(n, n, |i, j| {
                if j >= i && j <= i + width { 1.0 + ((i * 7 + j * 3) % 5) as f64 } else { 0.0 }
            });
            let band = BandMatrix::from_upper_band(a.as_ref(), width);
            let (d, e) = band.into_bidiagonal();
            assert_eq!((d.len(), e.len()), (n, n.saturating_sub(1)));
            let norm: f64 = d.iter().chain(&e).map(|v| v * v).sum::<f64>().sqrt();
            assert!((norm - a.norm_l2()).abs() < 1e-12 * a.norm_l2(), "n {n} width {width}");
            // Same singular values as the band (faer on both, dense).
            let bidiagonal = Mat::<f64>::from_fn(n, n, |i, j| {
                if i == j {
                    d[i]
                } else if j == i + 1 {
                    e[i]
                } else {
                    0.0
                }
            });
            let (expected, actual) =
                (a.singular_values().unwrap(), bidiagonal.singular_values().unwrap());
            for (x, y) in actual.iter().zip(&expected) {
                assert!((x - y).abs() < 1e-12 * expected[0], "n {n} width {width}: {x} vs {y}");
            }
        }
    }
}
