//! The one error type of near-core.

use thiserror::Error;

/// Everything that can go wrong in near-core. Every public fallible function returns this type;
/// nothing in the crate panics on bad input.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum NearError {
    /// A matrix with zero rows or zero columns.
    #[error("matrix is empty ({rows} x {cols}): NEAR needs at least one sample and one neuron")]
    EmptyMatrix {
        /// Number of rows given.
        rows: usize,
        /// Number of columns given.
        cols: usize,
    },
    /// The data buffer does not hold rows x cols values, or two related matrices disagree.
    #[error("shape mismatch: {0}")]
    ShapeMismatch(String),
    /// The probe batch has fewer samples than a layer has neurons, so the square matrix of
    /// DESIGN §3.2 cannot be formed.
    #[error(
        "layer {layer} has {needed} neurons but the probe batch holds only {available} samples: \
         use a probe batch of at least {needed} samples"
    )]
    InsufficientSamples {
        /// Index of the offending layer (0-based, in recording order).
        layer: usize,
        /// Samples needed (the layer width).
        needed: usize,
        /// Samples recorded.
        available: usize,
    },
    /// A function was given no values where it needs some (no layers, no repetitions, ...).
    #[error("no data: {0}")]
    NoData(String),
    /// An input that must be finite was NaN or infinite.
    #[error("non-finite value: {0}")]
    NonFinite(String),
    /// A parameter outside its allowed range.
    #[error("invalid parameter: {0}")]
    InvalidParameter(String),
    /// The singular value decomposition did not converge.
    #[error("singular value decomposition did not converge")]
    SvdFailed,
    /// The width-estimation fit did not converge or gave an unusable curve.
    #[error("power-law fit failed: {0}")]
    FitFailed(String),
}

/// Result alias used throughout near-core.
pub type Result<T> = std::result::Result<T, NearError>;
