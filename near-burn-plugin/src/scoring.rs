//! Scoring a model with NEAR on any burn device.

use crate::error::{PluginError, Result};
use crate::grid::ModelSpec;
use crate::probe::{ActivationRecorder, Probe};
use crate::tensor_init::Precision;
use burn::tensor::Tensor;
use near_core::{NearBreakdown, RepeatedScore, near_score};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

/// NEAR of one forward pass of `model` on `input`. `conv_seed` picks the convolution windows.
pub fn score_forward<M: Probe>(
    model: &M,
    input: M::Input,
    conv_seed: u64,
) -> Result<NearBreakdown> {
    let mut recorder = ActivationRecorder::new(conv_seed);
    model.probe_forward(input, &mut recorder);
    Ok(near_score(&recorder.finish()?)?)
}

/// The seed of repetition `r` derived from `base_seed` (SplitMix64), so repetitions are
/// independent and reproducible.
pub fn repetition_seed(base_seed: u64, r: usize) -> u64 {
    let mut z = base_seed.wrapping_add((r as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Mean and standard deviation of NEAR over `repetitions` fresh initialisations: `build(seed)`
/// returns a new model initialised from `seed`, scored on a clone of `input`.
pub fn score_repeated<M: Probe>(
    build: impl Fn(u64) -> M,
    input: &M::Input,
    repetitions: usize,
    base_seed: u64,
) -> Result<RepeatedScore>
where
    M::Input: Clone,
{
    let values = (0..repetitions)
        .map(|r| {
            let seed = repetition_seed(base_seed, r);
            Ok(score_forward(&build(seed), input.clone(), seed)?.total())
        })
        .collect::<Result<Vec<f64>>>()?;
    Ok(RepeatedScore::from_values(values)?)
}

/// How candidates are scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringSettings {
    /// Fresh initialisations per candidate (R); default 5.
    #[serde(default = "default_repetitions")]
    pub repetitions: usize,
    /// Base seed of the repetitions and of the probe-batch draw; default 0.
    #[serde(default)]
    pub seed: u64,
    /// Unlabelled samples in the probe batch; must reach the widest dense layer. Default 256.
    #[serde(default = "default_probe_samples")]
    pub probe_samples: usize,
    /// Precision of scoring; default f32.
    #[serde(default)]
    pub precision: Precision,
}

fn default_repetitions() -> usize {
    5
}

fn default_probe_samples() -> usize {
    256
}

impl Default for ScoringSettings {
    fn default() -> Self {
        Self {
            repetitions: default_repetitions(),
            seed: 0,
            probe_samples: default_probe_samples(),
            precision: Precision::F32,
        }
    }
}

/// Indices of a probe batch: `wanted` distinct samples out of `available`, drawn with `seed`.
pub fn probe_indices(available: usize, wanted: usize, seed: u64) -> Result<Vec<usize>> {
    if wanted == 0 || wanted > available {
        return Err(PluginError::Config(format!(
            "scoring.probe_samples = {wanted}, but the training data holds {available} samples; \
             choose 1..={available}"
        )));
    }
    let mut rng = StdRng::seed_from_u64(seed);
    Ok(rand::seq::index::sample(&mut rng, available, wanted).into_vec())
}

/// Scores a built-in model spec on a probe batch of images [samples, C, H, W] (flattened for
/// an MLP). Fails early, naming the layer width, when the probe batch is too small.
pub fn score_model_spec(
    spec: &ModelSpec,
    probe: &Tensor<4>,
    settings: &ScoringSettings,
) -> Result<RepeatedScore> {
    let [samples, channels, height, width] = probe.dims();
    let widest = spec.widest_dense_layer();
    if samples < widest {
        return Err(PluginError::Config(format!(
            "the probe batch holds {samples} samples but a layer has {widest} neurons; set \
             scoring.probe_samples to at least {widest}"
        )));
    }
    let device = probe.device();
    let (reps, seed, precision) = (settings.repetitions, settings.seed, settings.precision);
    match spec {
        ModelSpec::Mlp(s) => {
            let flat = probe.clone().reshape([samples, channels * height * width]);
            score_repeated(|seed| s.init(&device, precision, seed), &flat, reps, seed)
        }
        ModelSpec::Cnn(s) => {
            score_repeated(|seed| s.init(&device, precision, seed), probe, reps, seed)
        }
    }
}
