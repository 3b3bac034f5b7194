//! # near-burn-plugin
//!
//! NEAR pre-screening for burn models: make a model scoreable with the [`Probe`] trait, score
//! candidates on any burn device, build candidate grids from TOML, prune, and hand the survivors to
//! burn-train while logging NEAR next to the trained losses.

mod activation;
mod catalogue;
mod classification;
mod cnn;
mod error;
mod init;
mod mlp;
mod probe;
mod scoring;
mod tensor_init;

pub use activation::{Activation, ELU_ALPHA, LEAKY_RELU_SLOPE, STANH_SCALE};
pub use catalogue::{Catalogue, UnknownName};
pub use classification::{ClassificationBatch, classification_output};
pub use cnn::{Cnn, CnnSpec};
pub use error::{PluginError, Result};
pub use init::{Initializer, sample_bias};
pub use mlp::{Mlp, MlpSpec};
pub use probe::{ActivationRecorder, LayerSink, NoRecording, Probe};
pub use scoring::{repetition_seed, score_forward, score_repeated};
pub use tensor_init::{Precision, param_from_values, tensor_from_values};
