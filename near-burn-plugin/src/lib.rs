//! # near-burn-plugin
//!
//! NEAR pre-screening for burn models: make a model scoreable with the [`Probe`] trait, score
//! candidates on any burn device, build candidate grids from TOML, prune, and hand the survivors to
//! burn-train while logging NEAR next to the trained losses.

mod activation;
mod catalogue;
mod classification;
mod cnn;
mod data;
mod error;
mod grid;
mod handoff;
mod init;
mod mlp;
mod probe;
mod renderer;
mod results;
mod scoring;
mod screen;
mod summary;
mod tensor_init;
mod training;
mod widths;

pub use activation::{Activation, ELU_ALPHA, LEAKY_RELU_SLOPE, STANH_SCALE};
pub use catalogue::{Catalogue, UnknownName};
pub use classification::{ClassificationBatch, classification_output};
pub use cnn::{Cnn, CnnSpec};
pub use data::ClassificationData;
pub use error::{PluginError, Result};
pub use grid::{
    Architecture, Candidate, Exclusion, GridConfig, InputShape, ModelSpec, toml_error_line,
};
pub use handoff::{CandidateTrainer, TrainedOutcome, train_survivors};
pub use init::{Initializer, sample_bias};
pub use mlp::{Mlp, MlpSpec};
pub use probe::{ActivationRecorder, LayerSink, NoRecording, Probe};
pub use renderer::QuietRenderer;
pub use results::{ResultRow, ResultsLog};
pub use scoring::{
    ScoringSettings, probe_indices, repetition_seed, score_forward, score_model_spec,
    score_repeated,
};
pub use screen::{ScreenedCandidate, progress_bar, screen, write_candidates_csv};
pub use summary::{SweepSummary, summarize, summarize_scores};
pub use tensor_init::{Precision, param_from_values, tensor_from_values};
pub use training::{
    EpochLosses, FitOutcome, TrainingSettings, evaluate_classifier, fit_supervised, learning_curve,
    shows_dashboard,
};
pub use widths::{LayerWidthEstimate, estimate_mlp_widths};
