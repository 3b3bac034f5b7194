//! The hand-off of survivors to training: run each through the caller's trainer, log every
//! outcome as it finishes, skip what already finished, and keep going past failures.

use crate::error::Result;
use crate::grid::Candidate;
use crate::results::{ResultRow, ResultsLog};
use crate::screen::{ScreenedCandidate, progress_bar};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

/// What a finished training run reports.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainedOutcome {
    /// Validation loss of the returned model.
    pub valid_loss: f64,
    /// Test loss of the returned model.
    pub test_loss: f64,
    /// The task's metric on the test split, if any (e.g. accuracy).
    pub metric: Option<f64>,
    /// Epochs trained.
    pub epochs: usize,
}

/// Trains one candidate. Implemented for any
/// `FnMut(&Candidate) -> Result<TrainedOutcome, String>`; typically the closure builds the model
/// from the candidate's spec, runs burn-train's `SupervisedTraining`, and evaluates the test split.
pub trait CandidateTrainer {
    /// Trains `candidate`; an `Err` is recorded as `failed: <message>`.
    fn train(&mut self, candidate: &Candidate) -> std::result::Result<TrainedOutcome, String>;
}

impl<F> CandidateTrainer for F
where
    F: FnMut(&Candidate) -> std::result::Result<TrainedOutcome, String>,
{
    fn train(&mut self, candidate: &Candidate) -> std::result::Result<TrainedOutcome, String> {
        self(candidate)
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

/// Trains every kept candidate of `screened` (in rank order) that `log` does not hold yet,
/// appending each outcome to the log as soon as it finishes. A run whose test loss is not finite
/// is logged as `diverged`; an error or panic as `failed: reason`; the sweep carries on.
/// Returns the log's rows of all kept candidates, in rank order.
pub fn train_survivors(
    screened: &[ScreenedCandidate],
    log: &mut ResultsLog,
    trainer: &mut impl CandidateTrainer,
    show_progress: bool,
) -> Result<Vec<ResultRow>> {
    let kept: Vec<&ScreenedCandidate> = screened.iter().filter(|s| s.kept).collect();
    let bar = progress_bar(kept.len(), "training", show_progress);
    for s in &kept {
        let id = s.candidate.id();
        bar.set_message(id.clone());
        if log.get(&id).is_none() {
            let start = Instant::now();
            let outcome = catch_unwind(AssertUnwindSafe(|| trainer.train(&s.candidate)))
                .unwrap_or_else(|p| Err(format!("panicked: {}", panic_message(p.as_ref()))));
            let wall_seconds = start.elapsed().as_secs_f64();
            let row = match outcome {
                Ok(o) => ResultRow {
                    id,
                    near_mean: s.near.mean,
                    valid_loss: o.valid_loss,
                    test_loss: o.test_loss,
                    metric: o.metric,
                    epochs: o.epochs,
                    wall_seconds,
                    status: if o.test_loss.is_finite() { "ok" } else { "diverged" }.into(),
                },
                Err(reason) => ResultRow {
                    id,
                    near_mean: s.near.mean,
                    valid_loss: f64::NAN,
                    test_loss: f64::NAN,
                    metric: None,
                    epochs: 0,
                    wall_seconds,
                    status: format!("failed: {}", reason.replace(['\n', '\r'], " ")),
                },
            };
            log.append(row)?;
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(kept.iter().filter_map(|s| log.get(&s.candidate.id()).cloned()).collect())
}
