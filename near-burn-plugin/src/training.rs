//! Running a candidate through burn-train, and evaluating a classifier on a split.

use crate::classification::ClassificationBatch;
use crate::renderer::SilentRenderer;
use burn::data::dataloader::DataLoader;
use burn::optim::AdamConfig;
use burn::train::metric::store::{Aggregate, Direction, Split};
use burn::train::metric::{Adaptor, LossInput, LossMetric};
use burn::train::{
    ClassificationOutput, InferenceStep, Learner, LearnerModel, MetricEarlyStoppingStrategy,
    StoppingCondition, SupervisedTraining, TrainStep,
};
use serde::{Deserialize, Serialize};
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
    /// Mini-batch size; default 64.
    #[serde(default = "default_batch_size")]
    pub batch_size: usize,
    /// Stop after this many epochs without a lower validation loss; none by default.
    #[serde(default)]
    pub patience: Option<usize>,
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
            batch_size: default_batch_size(),
            patience: None,
        }
    }
}

/// Trains `model` with burn-train's `SupervisedTraining` (Adam, constant learning rate, loss
/// metrics, optional early stopping on validation loss), logging under `dir`. Returns the trained
/// model (in inference mode) and the number of epochs run.
pub fn fit_supervised<M: LearnerModel>(
    model: M,
    train: Arc<dyn DataLoader<<M as TrainStep>::Input>>,
    valid: Arc<dyn DataLoader<<M as InferenceStep>::Input>>,
    settings: &TrainingSettings,
    dir: &Path,
) -> Result<(M, usize), String>
where
    <M as TrainStep>::Output: Adaptor<LossInput>,
    <M as InferenceStep>::Output: Adaptor<LossInput>,
{
    let mut training = SupervisedTraining::new(dir, train, valid)
        .num_epochs(settings.epochs)
        .renderer(Box::new(SilentRenderer))
        .with_application_logger(None)
        .metric_train_numeric(LossMetric::new())
        .metric_valid_numeric(LossMetric::new());
    if let Some(n_epochs) = settings.patience {
        training = training.early_stopping(MetricEarlyStoppingStrategy::new(
            &LossMetric::new(),
            Aggregate::Mean,
            Direction::Lowest,
            Split::Valid,
            StoppingCondition::NoImprovementSince { n_epochs },
        ));
    }
    let optim = AdamConfig::new().init();
    let result = training.launch(Learner::new(model, optim, settings.learning_rate));
    if let Some(e) = result.error {
        return Err(format!("training failed: {e}"));
    }
    Ok((result.model, epochs_logged(dir)))
}

/// Epochs recorded by burn-train's file logger under `dir/train/epoch-N`.
fn epochs_logged(dir: &Path) -> usize {
    std::fs::read_dir(dir.join("train"))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.file_name().to_str()?.strip_prefix("epoch-")?.parse().ok())
                .max()
                .unwrap_or(0)
        })
        .unwrap_or(0)
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
