//! # near-core
//!
//! The pure mathematics of NEAR (Network Expressivity by Activation Rank; Husistein, Reiher and
//! Eckhoff, ICLR 2025): effective rank, NEAR aggregation over the recorded layers of a network,
//! convolutional feature maps as matrices, layer-width estimation, rank statistics for validating
//! NEAR against trained losses, and pruning policies. No deep-learning framework types appear
//! here: inputs are plain row-major matrices of `f32` or `f64`.
//!
//! ```
//! use near_core::{LayerRecord, Matrix, near_score};
//! // One hidden layer of width 2 (with activation) and a linear output of width 1,
//! // recorded on 3 probe samples.
//! let z1 = Matrix::new(3, 2, vec![1.0, -0.5, 0.2, 0.8, -1.0, 0.3]).unwrap();
//! let h1 = Matrix::new(3, 2, vec![1.0, 0.0, 0.2, 0.8, 0.0, 0.3]).unwrap(); // ReLU
//! let z2 = Matrix::new(3, 1, vec![0.7, 0.1, 0.2]).unwrap();
//! let layers = vec![LayerRecord::with_activation(z1, h1).unwrap(), LayerRecord::linear(z2)];
//! let near = near_score(&layers).unwrap();
//! assert!(near.total() > 3.0 && near.total() <= 5.0);
//! ```

mod conv;
mod erank;
mod error;
pub mod golden;
mod matrix;
mod prune;
mod score;
mod stats;
mod svd;
mod width;

pub use conv::{FeatureMapShape, feature_map_matrix};
pub use erank::{effective_rank, effective_rank_from_singular_values, singular_values};
pub use error::{NearError, Result};
pub use matrix::{Element, Matrix, MatrixView};
pub use prune::{PruningPolicy, rank_by_score, select_survivors};
pub use score::{LayerRecord, LayerScore, NearBreakdown, RepeatedScore, near_score, score_layer};
pub use stats::{kendall_tau_b, regret, spearman_rho, top_k_hit};
pub use width::{
    DEFAULT_SLOPE_THRESHOLD, PowerLawFit, WidthEstimate, estimate_width, fit_power_law,
};
