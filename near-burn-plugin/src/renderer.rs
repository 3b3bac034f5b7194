//! A quiet burn-train renderer for runs without burn-train's dashboard (stdout or stderr not a
//! terminal): at most one line per epoch on stderr. With stderr on a terminal the sweep shows
//! its own progress bar per candidate and this renderer stays silent; in logs and pipes it prints
//! `LABEL: epoch N/M, train loss X, valid loss Y` once per epoch.

use burn::train::logger::{EvaluationProgressLogger, TrainingProgressLogger};
use burn::train::metric::MetricDefinition;
use burn::train::renderer::{
    EvaluationName, MetricState, MetricsRenderer, MetricsRendererEvaluation,
    MetricsRendererTraining,
};

/// Renders one line per epoch, or nothing. burn-train's file logger still writes every metric
/// under the run directory either way.
#[derive(Debug, Default, Clone)]
pub struct QuietRenderer {
    label: String,
    print_epochs: bool,
    total_epochs: usize,
    train_loss: Option<f64>,
    valid_loss: Option<f64>,
}

impl QuietRenderer {
    /// A renderer printing epoch lines prefixed with `label` when `print_epochs` is set.
    pub fn new(label: impl Into<String>, print_epochs: bool) -> Self {
        Self { label: label.into(), print_epochs, ..Self::default() }
    }
}

fn numeric(state: &MetricState) -> Option<f64> {
    match state {
        MetricState::Numeric(_, Some(entry)) => Some(entry.current()),
        _ => None,
    }
}

impl MetricsRendererTraining for QuietRenderer {
    fn update_train(&mut self, state: MetricState) {
        self.train_loss = numeric(&state).or(self.train_loss);
    }
    fn update_valid(&mut self, state: MetricState) {
        self.valid_loss = numeric(&state).or(self.valid_loss);
    }
}

impl MetricsRendererEvaluation for QuietRenderer {
    fn update_test(&mut self, _: EvaluationName, _: MetricState) {}
}

impl TrainingProgressLogger for QuietRenderer {
    fn start(&mut self, total_epochs: usize, _: usize, _: Option<usize>, _: Option<&str>) {
        self.total_epochs = total_epochs;
    }
    fn update_epoch(&mut self, epoch: usize) {
        if self.print_epochs {
            let fmt = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{v:.4}"));
            eprintln!(
                "{}: epoch {epoch}/{}, train loss {}, valid loss {}",
                self.label,
                self.total_epochs,
                fmt(self.train_loss),
                fmt(self.valid_loss)
            );
        }
    }
    fn start_split(&mut self, _: &str, _: usize) {}
    fn update_split(&mut self, _: usize) {}
    fn end_split(&mut self) {}
    fn end(&mut self) {}
    fn log_event_training(&mut self, _: String) {}
}

impl EvaluationProgressLogger for QuietRenderer {
    fn start_global_progress(&mut self, _: usize) {}
    fn start_test(&mut self, _: &str, _: usize) {}
    fn update_test_progress(&mut self, _: usize) {}
    fn end_test(&mut self) {}
    fn end_global_progress(&mut self) {}
    fn log_event_evaluation(&mut self, _: String) {}
}

impl MetricsRenderer for QuietRenderer {
    fn manual_close(&mut self) {}
    fn register_metric(&mut self, _: MetricDefinition) {}
}
