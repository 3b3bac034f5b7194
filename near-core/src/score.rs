//! NEAR aggregation over the recorded layers of one forward pass (DESIGN §3.2), and the mean and
//! standard deviation over repetitions.

use crate::erank::effective_rank;
use crate::error::{NearError, Result};
use crate::matrix::{Element, Matrix};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use statrs::statistics::Statistics;

/// What one layer recorded during a probe forward pass: its pre-activation matrix Z (samples x
/// neurons) and, where the layer has an activation, the post-activation matrix H of the same shape.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerRecord<T> {
    /// Pre-activation Z_l, one row per probe sample, one column per neuron.
    pub pre: Matrix<T>,
    /// Post-activation H_l = f(Z_l); `None` for a linear layer (e.g. the output layer).
    pub post: Option<Matrix<T>>,
}

impl<T: Element> LayerRecord<T> {
    /// A layer with an activation. Fails unless `pre` and `post` have the same shape.
    pub fn with_activation(pre: Matrix<T>, post: Matrix<T>) -> Result<Self> {
        if (pre.rows(), pre.cols()) != (post.rows(), post.cols()) {
            return Err(NearError::ShapeMismatch(format!(
                "pre-activation is {} x {} but post-activation is {} x {}",
                pre.rows(),
                pre.cols(),
                post.rows(),
                post.cols()
            )));
        }
        Ok(Self { pre, post: Some(post) })
    }

    /// A linear layer without activation (only Z_l is scored).
    pub fn linear(pre: Matrix<T>) -> Self {
        Self { pre, post: None }
    }

    /// The layer width n_l (number of neurons, or channels for a convolution).
    pub fn width(&self) -> usize {
        self.pre.cols()
    }
}

/// The effective ranks of one layer's square matrices.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LayerScore {
    /// Width n_l of the layer (and the number of samples used).
    pub width: usize,
    /// erank(Z_l).
    pub pre: f64,
    /// erank(H_l), when the layer has an activation.
    pub post: Option<f64>,
}

impl LayerScore {
    /// erank(Z_l) + erank(H_l): the layer's contribution to NEAR.
    pub fn total(&self) -> f64 {
        self.pre + self.post.unwrap_or(0.0)
    }

    /// Mean effective rank per recorded matrix, (erank(Z_l) + erank(H_l)) / 2 (erank(Z_l) for a
    /// linear layer): at most the width N, and 1 at N = 1, so s(N) / N matches the (1, 1) anchor
    /// of the width fit. This is the single-layer score width estimation uses.
    pub fn per_matrix(&self) -> f64 {
        self.post.map_or(self.pre, |post| (self.pre + post) / 2.0)
    }
}

/// The NEAR score of one forward pass, with its per-layer parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearBreakdown {
    /// Per-layer effective ranks, in recording order.
    pub layers: Vec<LayerScore>,
}

impl NearBreakdown {
    /// NEAR = sum over layers of erank(Z_l) + erank(H_l).
    pub fn total(&self) -> f64 {
        self.layers.iter().map(LayerScore::total).sum()
    }
}

/// Scores one layer: the effective ranks of its square n_l x n_l matrices (first n_l samples).
/// `index` is only used in the error message.
pub fn score_layer<T: Element>(index: usize, layer: &LayerRecord<T>) -> Result<LayerScore> {
    let width = layer.width();
    let available = layer.pre.rows();
    if available < width {
        return Err(NearError::InsufficientSamples { layer: index, needed: width, available });
    }
    let pre = effective_rank(layer.pre.view().top_rows(width)?)?;
    let post = match &layer.post {
        Some(h) => Some(effective_rank(h.view().top_rows(width)?)?),
        None => None,
    };
    Ok(LayerScore { width, pre, post })
}

/// NEAR of one forward pass: every layer's square matrices scored and summed (DESIGN §3.2).
/// Layers are scored in parallel (rayon).
///
/// Fails with [`NearError::InsufficientSamples`] when the probe batch has fewer samples than the
/// widest layer, and with [`NearError::NoData`] when no layer was recorded.
pub fn near_score<T: Element>(layers: &[LayerRecord<T>]) -> Result<NearBreakdown> {
    if layers.is_empty() {
        return Err(NearError::NoData("no layers were recorded".into()));
    }
    let layers =
        layers.par_iter().enumerate().map(|(i, l)| score_layer(i, l)).collect::<Result<_>>()?;
    Ok(NearBreakdown { layers })
}

/// Summary of a score over R repetitions (fresh initialisations of the same candidate).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RepeatedScore {
    /// Mean over repetitions.
    pub mean: f64,
    /// Sample standard deviation (n - 1 denominator); 0 for a single repetition.
    pub std: f64,
    /// The individual scores, in repetition order.
    pub values: Vec<f64>,
}

impl RepeatedScore {
    /// Summarises the scores of R >= 1 repetitions. Fails on no values or non-finite values.
    pub fn from_values(values: Vec<f64>) -> Result<Self> {
        if values.is_empty() {
            return Err(NearError::NoData("no repetitions were scored".into()));
        }
        if values.iter().any(|v| !v.is_finite()) {
            return Err(NearError::NonFinite(format!("repetition scores {values:?}")));
        }
        let mean = values.iter().mean();
        let std = if values.len() > 1 { values.iter().std_dev() } else { 0.0 };
        Ok(Self { mean, std, values })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eye(rows: usize, cols: usize) -> Matrix<f64> {
        Matrix::from_fn(rows, cols, |i, j| if i == j { 1.0 } else { 0.0 }).unwrap()
    }

    #[test]
    fn sums_pre_and_post_over_square_prefixes() {
        // 5 samples, widths 3 and 2: only the first 3 (resp. 2) rows count, which are identity.
        let layers = vec![
            LayerRecord::with_activation(eye(5, 3), eye(5, 3)).unwrap(),
            LayerRecord::linear(eye(5, 2)),
        ];
        let b = near_score(&layers).unwrap();
        assert!((b.total() - 8.0).abs() < 1e-10, "{}", b.total());
        assert!((b.layers[0].per_matrix() - 3.0).abs() < 1e-10);
        assert!((b.layers[1].per_matrix() - 2.0).abs() < 1e-10);
        assert_eq!(b.layers[1].post, None);
    }

    #[test]
    fn too_few_samples_is_a_clear_error() {
        let layers = vec![LayerRecord::linear(eye(2, 4))];
        let err = near_score(&layers).unwrap_err();
        assert_eq!(err, NearError::InsufficientSamples { layer: 0, needed: 4, available: 2 });
        assert!(err.to_string().contains("at least 4 samples"));
    }

    #[test]
    fn mismatched_pre_post_and_empty_input_are_errors() {
        assert!(LayerRecord::with_activation(eye(3, 3), eye(3, 2)).is_err());
        assert!(near_score::<f64>(&[]).is_err());
    }

    #[test]
    fn repetition_summary() {
        let s = RepeatedScore::from_values(vec![1.0, 2.0, 3.0]).unwrap();
        assert_eq!(s.mean, 2.0);
        assert!((s.std - 1.0).abs() < 1e-12);
        assert_eq!(RepeatedScore::from_values(vec![4.0]).unwrap().std, 0.0);
        assert!(RepeatedScore::from_values(vec![]).is_err());
        assert!(RepeatedScore::from_values(vec![f64::NAN]).is_err());
    }
}
