//! The image-classification trainer: the plugin's MLP or CNN trained with burn-train, once per
//! training seed, evaluated on the validation and test splits with the best epoch's weights.

use crate::dataset::Splits;
use crate::seed_log::{append_seed_row, fresh_seed_dir, mean_over_seeds};
use burn::tensor::Device;
use burn::train::{ClassificationOutput, InferenceStep, LearnerModel, TrainStep};
use near_burn_plugin::{
    Candidate, ClassificationBatch, FitOutcome, ModelSpec, Precision, TrainedOutcome,
    TrainingSettings, evaluate_classifier, fit_supervised,
};
use std::path::Path;

const EVAL_BATCH: usize = 512;

/// One training run's figures.
#[derive(Debug, Clone, Copy)]
struct SeedRun {
    valid_loss: f64,
    test_loss: f64,
    test_accuracy: f64,
    epochs: usize,
}

fn fit_and_evaluate<M, const D: usize>(
    model: M,
    splits: &Splits,
    settings: &TrainingSettings,
    seed: u64,
    dir: &Path,
) -> Result<SeedRun, String>
where
    M: LearnerModel
        + TrainStep<Input = ClassificationBatch<D>, Output = ClassificationOutput>
        + InferenceStep<Input = ClassificationBatch<D>, Output = ClassificationOutput>,
{
    let train = splits.train.loader::<D>(settings.batch_size, Some(seed));
    let valid = splits.valid.loader::<D>(EVAL_BATCH, None);
    let FitOutcome { model, epochs, .. } =
        fit_supervised(model, train, valid.clone(), settings, dir)?;
    let (valid_loss, _) = evaluate_classifier(&model, &valid)?;
    let (test_loss, test_accuracy) =
        evaluate_classifier(&model, &splits.test.loader::<D>(EVAL_BATCH, None))?;
    Ok(SeedRun { valid_loss, test_loss, test_accuracy, epochs })
}

/// Appends one seed's figures to `run_dir/seeds.csv`.
fn log_seed(run_dir: &Path, id: &str, seed: u64, run: &SeedRun) -> Result<(), String> {
    append_seed_row(
        run_dir,
        "id,seed,valid_loss,test_loss,test_accuracy,epochs",
        &format!(
            "{id},{seed},{},{},{},{}",
            run.valid_loss, run.test_loss, run.test_accuracy, run.epochs
        ),
    )
}

/// Trains `candidate` once per seed of `training` and returns the means over seeds (validation
/// and test cross-entropy, test accuracy as the metric, epochs). Each seed's figures also go to
/// `run_dir/seeds.csv`; burn-train's logs to `run_dir/train/<id>/seed-<s>`.
pub fn train_classifier(
    candidate: &Candidate,
    splits: &Splits,
    training: &TrainingSettings,
    run_dir: &Path,
) -> Result<TrainedOutcome, String> {
    let device = Device::flex().autodiff();
    let spec = candidate.model_spec(splits.train.shape(), splits.train.classes());
    let mut runs = Vec::new();
    for &seed in &training.seeds {
        let dir = fresh_seed_dir(run_dir, &candidate.id(), seed);
        let run = match &spec {
            ModelSpec::Mlp(s) => fit_and_evaluate::<_, 2>(
                s.init(&device, Precision::F32, seed),
                splits,
                training,
                seed,
                &dir,
            )?,
            ModelSpec::Cnn(s) => fit_and_evaluate::<_, 4>(
                s.init(&device, Precision::F32, seed),
                splits,
                training,
                seed,
                &dir,
            )?,
        };
        log_seed(run_dir, &candidate.id(), seed, &run)?;
        runs.push(TrainedOutcome {
            valid_loss: run.valid_loss,
            test_loss: run.test_loss,
            metric: Some(run.test_accuracy),
            epochs: run.epochs,
        });
    }
    Ok(mean_over_seeds(&runs))
}
