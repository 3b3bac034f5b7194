//! `near sweep` and `near score`: screen -> prune -> train -> report, from one config.

use crate::classifier::train_classifier;
use crate::config::SweepConfig;
use crate::dataset::{Splits, load_splits};
use crate::potential::dataset::PotentialData;
use crate::potential::load::load_potential_data;
use crate::potential::scoring::score_potential;
use crate::potential::trainer::{potential_mlp_spec, train_potential};
use crate::report::{record_screening_time, write_report};
use anyhow::{Context, bail};
use burn::tensor::Device;
use near_burn_plugin::{
    PluginError, ResultsLog, ScreenedCandidate, score_model_spec, screen, shows_dashboard,
    train_survivors, write_candidates_csv,
};
use near_core::PruningPolicy;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Command-line choices that override or complement the config.
#[derive(Debug, Clone, Default)]
pub struct SweepOptions {
    /// Run directory instead of `output.run_dir`.
    pub run_dir: Option<PathBuf>,
    /// Pruning policy instead of `[pruning]`.
    pub policy: Option<PruningPolicy>,
    /// Train every candidate (validation of NEAR itself).
    pub train_all: bool,
    /// Continue in a run directory that already holds results.
    pub resume: bool,
    /// Show progress bars.
    pub show_progress: bool,
}

/// Where a finished sweep wrote its outputs, and how long the phases took.
#[derive(Debug, Clone)]
pub struct SweepOutcome {
    /// The run directory.
    pub run_dir: PathBuf,
    /// The screening, in rank order.
    pub screened: Vec<ScreenedCandidate>,
    /// Seconds spent scoring.
    pub screening_seconds: f64,
    /// Seconds spent training (this invocation).
    pub training_seconds: f64,
}

/// Creates the run directory, refusing to touch one with results unless resuming, and records
/// the config there.
fn prepare_run_dir(config_path: &Path, run_dir: &Path, resume: bool) -> anyhow::Result<()> {
    let has_results =
        run_dir.join("results.csv").exists() || run_dir.join("candidates.csv").exists();
    if has_results && !resume {
        bail!(
            "{} already holds results of a sweep; pass --resume to continue it, or --run-dir to start another",
            run_dir.display()
        );
    }
    std::fs::create_dir_all(run_dir).with_context(|| format!("creating {}", run_dir.display()))?;
    std::fs::copy(config_path, run_dir.join("config.toml"))
        .with_context(|| format!("copying {} into {}", config_path.display(), run_dir.display()))?;
    Ok(())
}

/// The data of a sweep: images for the classifier, or structures for a potential.
#[derive(Debug, Clone)]
pub enum Workload {
    /// Labelled images.
    Images(Splits),
    /// Featurised structures.
    Potential(PotentialData),
}

impl Workload {
    /// Loads the `[data]` section (and `[potential]` for structures).
    pub fn load(config: &SweepConfig) -> anyhow::Result<Self> {
        Ok(if config.data.source.is_potential() {
            Self::Potential(load_potential_data(&config.data, &config.potential_settings())?)
        } else {
            Self::Images(load_splits(&config.data)?)
        })
    }
}

/// Scores every candidate on a probe batch from the training split and applies `policy`.
fn screen_grid(
    config: &SweepConfig,
    workload: &Workload,
    policy: PruningPolicy,
    show: bool,
) -> anyhow::Result<Vec<ScreenedCandidate>> {
    let device = Device::flex();
    let scoring = &config.scoring;
    let candidates = config.grid.candidates()?;
    Ok(match workload {
        Workload::Images(splits) => {
            let probe = splits.train.probe_batch(scoring.probe_samples, scoring.seed, &device)?;
            let (shape, classes) = (splits.train.shape(), splits.train.classes());
            screen(&candidates, policy, show, |c| {
                let spec = c.model_spec(shape, classes);
                Ok((score_model_spec(&spec, &probe, scoring)?, spec.parameter_count()))
            })?
        }
        Workload::Potential(data) => {
            let probes = data
                .probe_batches(scoring.probe_samples, scoring.seed, &device)
                .map_err(anyhow::Error::msg)?;
            let elements = data.symmetry.elements();
            screen(&candidates, policy, show, |c| {
                let spec = potential_mlp_spec(c, data.features()).map_err(PluginError::Config)?;
                let score = score_potential(&spec, &probes, elements, scoring)?;
                Ok((score, spec.parameter_count() * elements.len()))
            })?
        }
    })
}

/// Runs the screening only (`near score`) or the whole sweep (`near sweep`, `train = true`).
pub fn run(
    config_path: &Path,
    config: &SweepConfig,
    options: &SweepOptions,
    train: bool,
) -> anyhow::Result<SweepOutcome> {
    let run_dir = options.run_dir.clone().unwrap_or_else(|| config.output.run_dir.clone());
    let workload = Workload::load(config)?;
    prepare_run_dir(config_path, &run_dir, options.resume)?;
    let configured = options.policy.unwrap_or(config.pruning);
    let policy = if options.train_all { PruningPolicy::KeepAll } else { configured };

    let start = Instant::now();
    let screened = screen_grid(config, &workload, policy, options.show_progress)?;
    let screening_seconds = start.elapsed().as_secs_f64();
    write_candidates_csv(&run_dir.join("candidates.csv"), &screened)?;
    record_screening_time(&run_dir, screening_seconds)?;

    let start = Instant::now();
    if train {
        let mut log = ResultsLog::open(&run_dir.join("results.csv"))?;
        let potential = config.potential_settings();
        let mut trainer = |c: &near_burn_plugin::Candidate| match &workload {
            Workload::Images(splits) => train_classifier(c, splits, &config.training, &run_dir),
            Workload::Potential(data) => {
                train_potential(c, data, &config.training, &potential, &run_dir)
            }
        };
        // burn-train's dashboard takes the terminal while a candidate trains.
        let show = options.show_progress && !shows_dashboard();
        train_survivors(&screened, &mut log, &mut trainer, show)?;
        write_report(&run_dir, configured, config.data.source.metric_name())?;
    }
    Ok(SweepOutcome {
        run_dir,
        screened,
        screening_seconds,
        training_seconds: start.elapsed().as_secs_f64(),
    })
}
