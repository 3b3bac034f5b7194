//! NEAR for potentials. Each element's network is scored on the standardised descriptors of
//! that element's atoms (a probe batch per element from the training split); a candidate's
//! score is the sum over elements, i.e. the NEAR of the whole model, since every element's
//! network contributes to every structure's energy. (Averaging instead would only rescale all
//! candidates alike; the sum keeps the per-layer definition of DESIGN §3.2 intact.)

use super::model::PotentialModel;
use burn::tensor::Tensor;
use near_burn_plugin::{MlpSpec, PluginError, Result, ScoringSettings, score_repeated};
use near_core::RepeatedScore;

/// Mean and standard deviation of the summed NEAR over `settings.repetitions` fresh models,
/// on `probes` (one [atoms, features] batch per element). Fails, naming the element, when an
/// element has fewer probe atoms than the widest layer.
pub fn score_potential(
    spec: &MlpSpec,
    probes: &[Tensor<2>],
    element_names: &[String],
    settings: &ScoringSettings,
) -> Result<RepeatedScore> {
    let widest = spec.widest_layer();
    for (probe, name) in probes.iter().zip(element_names) {
        let atoms = probe.dims()[0];
        if atoms < widest {
            return Err(PluginError::Config(format!(
                "the probe batch holds {atoms} {name} atoms but a layer has {widest} neurons; \
                 raise scoring.probe_samples (and make sure the training split has {widest} {name} atoms)"
            )));
        }
    }
    let device = probes.first().map(|p| p.device()).unwrap_or_default();
    score_repeated(
        |seed| PotentialModel::init(spec, probes.len(), 0.0, &device, settings.precision, seed),
        &probes.to_vec(),
        settings.repetitions,
        settings.seed,
    )
}
