//! Running a candidate through burn-train, and evaluating a classifier on a split.

use crate::classification::ClassificationBatch;
use crate::renderer::QuietRenderer;
use burn::data::dataloader::DataLoader;
use burn::optim::AdamConfig;
use burn::optim::lr_scheduler::cosine::CosineAnnealingLrSchedulerConfig;
use burn::optim::lr_scheduler::module_lr_scheduler::ModuleLrScheduler;
use burn::store::ModuleRecord;
use burn::train::checkpoint::{Checkpointer, FileCheckpointer};
use burn::train::metric::store::{Aggregate, Direction, Split};
use burn::train::metric::{Adaptor, LossInput, LossMetric};
use burn::train::{
    ClassificationOutput, InferenceStep, Learner, LearnerModel, MetricEarlyStoppingStrategy,
    StoppingCondition, SupervisedTraining, TrainStep,
};
use serde::{Deserialize, Serialize};
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;

/// Optimiser and stopping settings for one training run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingSettings {
    /// Maximum epochs; default 10.
    #[serde(default = "default_epochs")]
    pub epochs: usize,
    /// Adam learning rate; default 1e-3.
    #[serde(default = "default_learning_rate")]
    pub learning_rate: f64,
    /// When set, the learning rate follows a cosine from `learning_rate` down to this value over
    /// all `epochs` (per step); constant otherwise.
    #[serde(default)]
    pub final_learning_rate: Option<f64>,
    /// Mini-batch size; default 64.
    #[serde(default = "default_batch_size")]
    pub batch_size: usize,
    /// Stop after this many epochs without a lower validation loss; none by default.
    #[serde(default)]
    pub patience: Option<usize>,
    /// Seeds of the training runs a trainer makes per candidate (one run each; the sweep reports
    /// their mean). `fit_supervised` itself runs once. Default `[1]`.
    #[serde(default = "default_seeds")]
    pub seeds: Vec<u64>,
}

fn default_seeds() -> Vec<u64> {
    vec![1]
}

fn default_epochs() -> usize {
    10
}

fn default_learning_rate() -> f64 {
    1e-3
}

fn default_batch_size() -> usize {
    64
}

impl Default for TrainingSettings {
    fn default() -> Self {
        Self {
            epochs: default_epochs(),
            learning_rate: default_learning_rate(),
            final_learning_rate: None,
            batch_size: default_batch_size(),
            patience: None,
            seeds: default_seeds(),
        }
    }
}

/// Whether [`fit_supervised`] shows burn-train's terminal dashboard: when stdout and stderr are
/// both terminals. Callers then hide their own progress bars during training.
pub fn shows_dashboard() -> bool {
    std::io::stdout().is_terminal() && std::io::stderr().is_terminal()
}

/// Trains `model` with burn-train's `SupervisedTraining` (Adam, constant learning rate, loss
/// metrics, optional early stopping on validation loss), logging and checkpointing under `dir`.
/// On a terminal ([`shows_dashboard`]) burn-train's dashboard shows the run; when stderr is not
/// a terminal, one line per epoch goes there ([`QuietRenderer`]).
/// Returns the weights of the epoch with the lowest validation loss (in inference mode), that
/// epoch, and the number of epochs run.
pub fn fit_supervised<M: LearnerModel>(
    model: M,
    train: Arc<dyn DataLoader<<M as TrainStep>::Input>>,
    valid: Arc<dyn DataLoader<<M as InferenceStep>::Input>>,
    settings: &TrainingSettings,
    dir: &Path,
) -> Result<FitOutcome<M>, String>
where
    <M as TrainStep>::Output: Adaptor<LossInput>,
    <M as InferenceStep>::Output: Adaptor<LossInput>,
{
    let mut training = SupervisedTraining::new(dir, train.clone(), valid)
        .num_epochs(settings.epochs)
        .with_application_logger(None)
        .with_default_checkpointers()
        .metric_train_numeric(LossMetric::new())
        .metric_valid_numeric(LossMetric::new());
    if !shows_dashboard() {
        training = training.renderer(Box::new(QuietRenderer::new(
            dir.display().to_string(),
            !std::io::stderr().is_terminal(),
        )));
    }
    if let Some(n_epochs) = settings.patience {
        training = training.early_stopping(MetricEarlyStoppingStrategy::new(
            &LossMetric::new(),
            Aggregate::Mean,
            Direction::Lowest,
            Split::Valid,
            StoppingCondition::NoImprovementSince { n_epochs },
        ));
    }
    let steps = train.num_items().div_ceil(settings.batch_size.max(1)) * settings.epochs;
    let schedule = learning_rate_schedule(settings, steps)?;
    let optim = AdamConfig::new().init();
    let result = training.launch(Learner::new(model, optim, schedule));
    if let Some(e) = result.error {
        return Err(format!("training failed: {e}"));
    }
    let losses = valid_losses(dir)?;
    let (best_epoch, _) = losses
        .iter()
        .copied()
        .filter(|(_, loss)| loss.is_finite())
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .ok_or("no epoch ended with a finite validation loss (diverged)")?;
    let record: ModuleRecord = FileCheckpointer::new(dir.join("checkpoint"), "model")
        .restore(best_epoch)
        .map_err(|e| format!("loading the checkpoint of epoch {best_epoch}: {e}"))?;
    Ok(FitOutcome { model: result.model.load_record(record), best_epoch, epochs: losses.len() })
}

/// Constant, or cosine annealing over `steps` when `final_learning_rate` is set.
fn learning_rate_schedule(
    settings: &TrainingSettings,
    steps: usize,
) -> Result<ModuleLrScheduler, String> {
    match settings.final_learning_rate {
        None => Ok(settings.learning_rate.into()),
        Some(last) => CosineAnnealingLrSchedulerConfig::new(settings.learning_rate, steps.max(1))
            .with_min_lr(last)
            .init()
            .map_err(|e| {
                format!(
                    "training.final_learning_rate = {last} with learning_rate = {}: {e}",
                    settings.learning_rate
                )
            }),
    }
}

/// A trained model with the epoch its weights come from.
#[derive(Debug)]
pub struct FitOutcome<M> {
    /// The weights of `best_epoch`, in inference mode.
    pub model: M,
    /// Epoch (1-based) with the lowest validation loss.
    pub best_epoch: usize,
    /// Epochs run (fewer than asked when early stopping fired).
    pub epochs: usize,
}

/// (epoch, loss) of one split (`"train"` or `"valid"`) from burn-train's file logger: the
/// `final` line of `dir/<split>/epoch-N/Loss.log`, in epoch order.
fn epoch_losses(dir: &Path, split: &str) -> Result<Vec<(usize, f64)>, String> {
    let folder = dir.join(split);
    let entries = std::fs::read_dir(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let mut losses = Vec::new();
    for entry in entries.filter_map(|e| e.ok()) {
        let Some(epoch) =
            entry.file_name().to_str().and_then(|n| n.strip_prefix("epoch-")?.parse().ok())
        else {
            continue;
        };
        let log = entry.path().join("Loss.log");
        let text = std::fs::read_to_string(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let final_value = text
            .lines()
            .rev()
            .find_map(|l| l.strip_suffix(",final")?.parse::<f64>().ok())
            .ok_or_else(|| format!("{}: no final {split} loss", log.display()))?;
        losses.push((epoch, final_value));
    }
    losses.sort_by_key(|&(epoch, _)| epoch);
    Ok(losses)
}

fn valid_losses(dir: &Path) -> Result<Vec<(usize, f64)>, String> {
    epoch_losses(dir, "valid")
}

/// One epoch of a learning curve: mean training and validation loss.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpochLosses {
    /// Epoch (1-based).
    pub epoch: usize,
    /// Mean training loss of the epoch.
    pub train: f64,
    /// Validation loss after the epoch.
    pub valid: f64,
}

/// The learning curve of a [`fit_supervised`] run in `dir`, from burn-train's logs.
pub fn learning_curve(dir: &Path) -> Result<Vec<EpochLosses>, String> {
    let valid = valid_losses(dir)?;
    let train = epoch_losses(dir, "train")?;
    Ok(train
        .iter()
        .zip(&valid)
        .map(|(&(epoch, train), &(_, valid))| EpochLosses { epoch, train, valid })
        .collect())
}

/// Mean cross-entropy loss and accuracy of `model` over every batch of `loader`.
pub fn evaluate_classifier<M, const D: usize>(
    model: &M,
    loader: &Arc<dyn DataLoader<ClassificationBatch<D>>>,
) -> Result<(f64, f64), String>
where
    M: InferenceStep<Input = ClassificationBatch<D>, Output = ClassificationOutput>,
{
    let (mut loss_sum, mut correct, mut count) = (0.0, 0usize, 0usize);
    for batch in loader.iter() {
        let batch = batch.map_err(|e| format!("reading a batch failed: {e}"))?;
        let n = batch.targets.dims()[0];
        let out = model.step(batch);
        let loss: f64 = out.loss.into_scalar::<f64>();
        let predicted = out.output.argmax(1).reshape([n]);
        let hits: Vec<i64> = predicted
            .equal(out.targets)
            .int()
            .try_into_vec_as::<i64>()
            .map_err(|e| format!("reading predictions failed: {e}"))?;
        loss_sum += loss * n as f64;
        correct += hits.iter().filter(|&&h| h == 1).count();
        count += n;
    }
    if count == 0 {
        return Err("the split is empty".into());
    }
    Ok((loss_sum / count as f64, correct as f64 / count as f64))
}
