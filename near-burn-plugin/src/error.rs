//! The plugin's error type.

use thiserror::Error;

/// Everything the plugin reports as an error rather than a panic.
#[derive(Debug, Error)]
pub enum PluginError {
    /// A near-core computation failed (bad shapes, too few probe samples, ...).
    #[error(transparent)]
    Near(#[from] near_core::NearError),
    /// Reading a tensor back to the host failed.
    #[error("could not read a tensor from the device: {0}")]
    TensorRead(String),
    /// A configuration file or value is invalid; the message names the key and what was expected.
    #[error("{0}")]
    Config(String),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file involved.
        path: std::path::PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A CSV file could not be read or written.
    #[error("{path}: {source}")]
    Csv {
        /// The file involved.
        path: std::path::PathBuf,
        /// What went wrong.
        source: csv::Error,
    },
}

impl From<burn::tensor::TensorReadError> for PluginError {
    fn from(e: burn::tensor::TensorReadError) -> Self {
        Self::TensorRead(e.to_string())
    }
}

impl PluginError {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<std::path::PathBuf>, source: std::io::Error) -> Self {
        Self::Io { path: path.into(), source }
    }

    /// Wraps a CSV error with the path it concerns.
    pub fn csv(path: impl Into<std::path::PathBuf>, source: csv::Error) -> Self {
        Self::Csv { path: path.into(), source }
    }
}

/// Result alias of the plugin.
pub type Result<T> = std::result::Result<T, PluginError>;
