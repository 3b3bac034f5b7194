//! Errors of the trainers and the `near` program: each names the file and what was wrong.

use std::path::{Path, PathBuf};
use thiserror::Error;

/// A data or configuration problem.
#[derive(Debug, Error)]
pub enum DataError {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A config file is invalid; the message starts with `file:line:column`.
    #[error("{0}")]
    Config(String),
    /// A file's content is not what was expected.
    #[error("{}: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        message: String,
    },
}

impl DataError {
    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io { path: path.to_path_buf(), source }
    }

    /// Invalid content in `path`.
    pub fn invalid(path: &Path, message: impl Into<String>) -> Self {
        Self::Invalid { path: path.to_path_buf(), message: message.into() }
    }
}

/// Result alias of the trainers.
pub type Result<T> = std::result::Result<T, DataError>;
