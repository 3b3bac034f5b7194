//! The one TOML file of a sweep: data, grid, scoring, pruning, training, outputs, widths.
//! Unknown keys are errors; relative data paths are resolved against the config file's folder,
//! or against `--data-dir` when given.

use crate::error::{DataError, Result};
use crate::potential::structure::Units;
use crate::potential::symmetry::DescriptorSettings;
use near_burn_plugin::{GridConfig, ScoringSettings, TrainingSettings, toml_error_line};
use near_core::PruningPolicy;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Where the data come from: labelled images (IDX, CSV) or molecular structures with energies
/// and forces (extended XYZ, n2p2).
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
    /// Extended XYZ structures (ASE convention), optionally gzip.
    Extxyz {
        /// The file.
        path: PathBuf,
        /// Comment-line key of the total energy; default `energy`.
        #[serde(default = "default_energy_key")]
        energy_key: String,
        /// `Properties` column of the forces; default `forces`.
        #[serde(default = "default_forces_key")]
        forces_key: String,
        /// Units of the file; default eV and Angstrom.
        #[serde(default)]
        units: Units,
    },
    /// n2p2 `input.data` structures, optionally gzip.
    N2p2 {
        /// The file.
        path: PathBuf,
        /// Units of the file; default eV and Angstrom.
        #[serde(default)]
        units: Units,
    },
}

fn default_energy_key() -> String {
    "energy".into()
}

fn default_forces_key() -> String {
    "forces".into()
}

impl DataSource {
    /// Whether the source holds structures for a potential (rather than images).
    pub fn is_potential(&self) -> bool {
        matches!(self, Self::Extxyz { .. } | Self::N2p2 { .. })
    }

    /// The name of the task's metric in reports.
    pub fn metric_name(&self) -> &'static str {
        if self.is_potential() { "test force RMSE (meV/Å)" } else { "test accuracy" }
    }
}

/// The `[potential]` section: loss weighting and descriptors of a potential sweep.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PotentialSettings {
    /// w_F in loss = MSE(energy per atom) + w_F * MSE(force components), both in eV units;
    /// default 1. 0 trains on energies only (and allows data without forces).
    #[serde(default = "default_force_weight")]
    pub force_weight: f64,
    /// Symmetry-function parameters.
    #[serde(default)]
    pub descriptors: DescriptorSettings,
}

fn default_force_weight() -> f64 {
    1.0
}

impl Default for PotentialSettings {
    fn default() -> Self {
        Self { force_weight: default_force_weight(), descriptors: DescriptorSettings::default() }
    }
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
    /// Potential settings (only with structure data; defaults apply when left out).
    pub potential: Option<PotentialSettings>,
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
            DataSource::Csv { path, .. }
            | DataSource::Extxyz { path, .. }
            | DataSource::N2p2 { path, .. } => resolve(path),
        }
        config.validate_workload().map_err(|e| DataError::invalid(path, e))?;
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

    /// The potential settings, defaults when the section is left out.
    pub fn potential_settings(&self) -> PotentialSettings {
        self.potential.clone().unwrap_or_default()
    }

    /// Checks that the sections fit the kind of data.
    fn validate_workload(&self) -> std::result::Result<(), String> {
        if !self.data.source.is_potential() {
            if self.potential.is_some() {
                return Err(
                    "[potential] applies to structure data (format = \"extxyz\" or \"n2p2\") only"
                        .into(),
                );
            }
            return Ok(());
        }
        if self.data.cap_per_class.is_some() {
            return Err("data.cap_per_class applies to image data only".into());
        }
        let settings = self.potential_settings();
        if !(settings.force_weight >= 0.0 && settings.force_weight.is_finite()) {
            return Err(format!(
                "potential.force_weight must be >= 0, got {}",
                settings.force_weight
            ));
        }
        settings.descriptors.validate()?;
        let mlp_only = self
            .grid
            .candidates()
            .map_err(|e| e.to_string())?
            .iter()
            .all(|c| matches!(c.architecture, near_burn_plugin::Architecture::Mlp { .. }));
        if !mlp_only {
            return Err("potentials take MLP architectures only (kind = \"mlp\")".into());
        }
        Ok(())
    }
}
