//! Plain row-major matrices: the only data type near-core needs from a deep-learning framework.

use crate::error::{NearError, Result};

/// A scalar that activations can be recorded in. Singular values are always computed in f64.
pub trait Element: Copy + Send + Sync + 'static {
    /// Widen to f64.
    fn to_f64(self) -> f64;
}

impl Element for f32 {
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
}

impl Element for f64 {
    fn to_f64(self) -> f64 {
        self
    }
}

/// An owned row-major matrix: one row per input sample, one column per neuron.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix<T> {
    rows: usize,
    cols: usize,
    data: Vec<T>,
}

impl<T: Element> Matrix<T> {
    /// Wraps `data` (row-major, `rows * cols` values). Fails on an empty shape or a buffer of the
    /// wrong length.
    pub fn new(rows: usize, cols: usize, data: Vec<T>) -> Result<Self> {
        check_shape(rows, cols, data.len())?;
        Ok(Self { rows, cols, data })
    }

    /// Builds a matrix from a function of (row, column).
    pub fn from_fn(rows: usize, cols: usize, f: impl Fn(usize, usize) -> T) -> Result<Self> {
        let data = (0..rows * cols).map(|k| f(k / cols.max(1), k % cols.max(1))).collect();
        Self::new(rows, cols, data)
    }

    /// Number of rows (samples).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns (neurons).
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// The row-major values.
    pub fn data(&self) -> &[T] {
        &self.data
    }

    /// A borrowed view of the whole matrix.
    pub fn view(&self) -> MatrixView<'_, T> {
        MatrixView { rows: self.rows, cols: self.cols, data: &self.data }
    }
}

/// A borrowed row-major matrix.
#[derive(Debug, Clone, Copy)]
pub struct MatrixView<'a, T> {
    rows: usize,
    cols: usize,
    data: &'a [T],
}

impl<'a, T: Element> MatrixView<'a, T> {
    /// Views `data` (row-major, `rows * cols` values) without copying.
    pub fn new(rows: usize, cols: usize, data: &'a [T]) -> Result<Self> {
        check_shape(rows, cols, data.len())?;
        Ok(Self { rows, cols, data })
    }

    /// Number of rows (samples).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns (neurons).
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// The row-major values.
    pub fn data(&self) -> &'a [T] {
        self.data
    }

    /// Value at (row, col). Panics when out of bounds, like slice indexing.
    pub fn get(&self, row: usize, col: usize) -> T {
        self.data[row * self.cols + col]
    }

    /// The first `n` rows (samples), without copying.
    pub fn top_rows(&self, n: usize) -> Result<Self> {
        if n > self.rows {
            return Err(NearError::ShapeMismatch(format!(
                "asked for the first {n} rows of a matrix with {} rows",
                self.rows
            )));
        }
        Self::new(n, self.cols, &self.data[..n * self.cols])
    }
}

fn check_shape(rows: usize, cols: usize, len: usize) -> Result<()> {
    if rows == 0 || cols == 0 {
        return Err(NearError::EmptyMatrix { rows, cols });
    }
    match rows.checked_mul(cols) {
        Some(expected) if expected == len => Ok(()),
        _ => Err(NearError::ShapeMismatch(format!(
            "a {rows} x {cols} matrix needs {} values, got {len}",
            rows.saturating_mul(cols)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_empty_and_mismatched_shapes() {
        assert!(matches!(Matrix::<f64>::new(0, 3, vec![]), Err(NearError::EmptyMatrix { .. })));
        assert!(matches!(Matrix::new(2, 2, vec![1.0f32; 3]), Err(NearError::ShapeMismatch(_))));
    }

    #[test]
    fn top_rows_is_a_prefix() {
        let m = Matrix::from_fn(3, 2, |r, c| (r * 2 + c) as f64).unwrap();
        let top = m.view().top_rows(2).unwrap();
        assert_eq!(top.data(), &[0.0, 1.0, 2.0, 3.0]);
        assert!(m.view().top_rows(4).is_err());
    }
}
