//! The one TOML file of a sweep: data, grid, scoring, pruning, training, outputs, widths.
//! Unknown keys are errors; relative data paths are resolved against the config file's folder,
//! or against `--data-dir` when given.

use crate::error::{DataError, Result};
use near_burn_plugin::{GridConfig, ScoringSettings, TrainingSettings, toml_error_line};
use near_core::PruningPolicy;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Where the labelled images come from.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "format", rename_all = "snake_case", deny_unknown_fields)]
pub enum DataSource {
    /// An IDX image file and its label file (gzip or raw).
    Idx {
        /// Image file.
        images: PathBuf,
        /// Label file.
        labels: PathBuf,
        /// Transpose every image (EMNIST stores images column-major).
        #[serde(default)]
        transposed: bool,
    },
    /// A CSV (optionally gzip) of pixel values then the label, one image per line.
    Csv {
        /// The file.
        path: PathBuf,
        /// Image height.
        height: usize,
        /// Image width.
        width: usize,
        /// Largest pixel value (values are divided by it); default 255.
        #[serde(default = "default_max_pixel")]
        max_pixel: f32,
    },
}

fn default_max_pixel() -> f32 {
    255.0
}

/// The `[data]` section.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataConfig {
    /// The source file(s).
    pub source: DataSource,
    /// Keep at most this many images per class (balances unequal classes).
    pub cap_per_class: Option<usize>,
    /// Fraction of each class held out for validation; default 0.1.
    #[serde(default = "default_valid_fraction")]
    pub valid_fraction: f64,
    /// Fraction of each class held out for testing; default 0.2.
    #[serde(default = "default_test_fraction")]
    pub test_fraction: f64,
    /// Seed of the stratified split and the capping; default 0.
    #[serde(default)]
    pub split_seed: u64,
}

fn default_valid_fraction() -> f64 {
    0.1
}

fn default_test_fraction() -> f64 {
    0.2
}

/// The `[widths]` section, for `near widths`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WidthsConfig {
    /// Widths tried for every hidden layer.
    pub candidates: Vec<usize>,
    /// Number of hidden layers to estimate.
    pub layers: usize,
    /// Activation of the network.
    pub activation: near_burn_plugin::Activation,
    /// Initialiser of the network.
    pub initializer: near_burn_plugin::Initializer,
    /// Slope threshold t; default 0.005.
    #[serde(default = "default_threshold")]
    pub threshold: f64,
}

fn default_threshold() -> f64 {
    near_core::DEFAULT_SLOPE_THRESHOLD
}

/// The `[output]` section.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputConfig {
    /// Run directory (relative to the current directory).
    pub run_dir: PathBuf,
}

/// A whole sweep config.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepConfig {
    /// Data.
    pub data: DataConfig,
    /// Candidate grid.
    pub grid: GridConfig,
    /// Scoring settings.
    #[serde(default)]
    pub scoring: ScoringSettings,
    /// Pruning policy; default: keep the top 25%.
    #[serde(default = "default_pruning")]
    pub pruning: PruningPolicy,
    /// Training settings (per run, and the training seeds).
    #[serde(default)]
    pub training: TrainingSettings,
    /// Outputs.
    pub output: OutputConfig,
    /// Width estimation (optional).
    pub widths: Option<WidthsConfig>,
}

fn default_pruning() -> PruningPolicy {
    PruningPolicy::TopFraction { fraction: 0.25 }
}

impl SweepConfig {
    /// Reads and checks a config file; relative data paths resolve against `data_dir`, or the
    /// config file's folder. Everything is validated before any work starts.
    pub fn load(path: &Path, data_dir: Option<&Path>) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| DataError::io(path, e))?;
        let mut config: Self = toml::from_str(&text).map_err(|e| {
            DataError::Config(toml_error_line(&text, &path.display().to_string(), &e))
        })?;
        let base = data_dir
            .map(Path::to_path_buf)
            .unwrap_or_else(|| path.parent().map(Path::to_path_buf).unwrap_or_default());
        let resolve = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        match &mut config.data.source {
            DataSource::Idx { images, labels, .. } => {
                resolve(images);
                resolve(labels);
            }
            DataSource::Csv { path, .. } => resolve(path),
        }
        config.grid.candidates().map_err(|e| DataError::invalid(path, e.to_string()))?;
        config.pruning.validate().map_err(|e| DataError::invalid(path, e.to_string()))?;
        if config.training.seeds.is_empty() {
            return Err(DataError::invalid(
                path,
                "training.seeds is empty; list at least one seed",
            ));
        }
        Ok(config)
    }
}
