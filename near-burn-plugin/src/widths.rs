//! Layer-width estimation for MLPs (DESIGN §3.4): for each hidden layer in turn, score candidate
//! widths with the earlier layers fixed at their estimates, fit the power law, fix the estimate.

use crate::error::{PluginError, Result};
use crate::mlp::MlpSpec;
use crate::probe::ActivationRecorder;
use crate::probe::Probe;
use crate::scoring::{ScoringSettings, repetition_seed};
use burn::tensor::Tensor;
use near_core::{WidthEstimate, estimate_width, score_layer};

/// The estimate for one hidden layer, with the single-layer scores it was fitted on.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerWidthEstimate {
    /// Hidden layer index (0 = first).
    pub layer: usize,
    /// Candidate widths tried.
    pub widths: Vec<usize>,
    /// Mean single-layer score at each width: the effective rank per matrix,
    /// (erank(Z) + erank(H)) / 2 (see `near_core::LayerScore::per_matrix`).
    pub scores: Vec<f64>,
    /// The fit and N*.
    pub estimate: WidthEstimate,
}

/// Estimates every hidden width of `base` (its `hidden` list gives the number of layers; the
/// values are replaced) from `candidate_widths`, on a probe batch [samples, features].
///
/// Layer l is scored in networks whose earlier hidden layers have their estimated widths and
/// whose later layers are left out (the layer feeds the output directly). Fails when the probe
/// batch is smaller than the widest candidate width, or a fit fails.
pub fn estimate_mlp_widths(
    base: &MlpSpec,
    candidate_widths: &[usize],
    probe: &Tensor<2>,
    settings: &ScoringSettings,
    threshold: f64,
) -> Result<Vec<LayerWidthEstimate>> {
    let samples = probe.dims()[0];
    let widest = candidate_widths.iter().copied().max().unwrap_or(0);
    if samples < widest {
        return Err(PluginError::Config(format!(
            "width estimation: the probe batch holds {samples} samples but the widest candidate \
             width is {widest}; set scoring.probe_samples to at least {widest}"
        )));
    }
    let device = probe.device();
    let mut fixed: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    for layer in 0..base.hidden.len() {
        let mut scores = Vec::with_capacity(candidate_widths.len());
        for &width in candidate_widths {
            let spec = MlpSpec { hidden: [fixed.as_slice(), &[width]].concat(), ..base.clone() };
            let mut total = 0.0;
            for r in 0..settings.repetitions {
                let seed = repetition_seed(settings.seed, r);
                let mut recorder = ActivationRecorder::new(seed);
                spec.init(&device, settings.precision, seed)
                    .probe_forward(probe.clone(), &mut recorder);
                let records = recorder.finish()?;
                total += score_layer(layer, &records[layer])?.per_matrix();
            }
            scores.push(total / settings.repetitions as f64);
        }
        let estimate = estimate_width(candidate_widths, &scores, threshold)?;
        fixed.push(estimate.rounded_width());
        out.push(LayerWidthEstimate { layer, widths: candidate_widths.to_vec(), scores, estimate });
    }
    Ok(out)
}
