//! Scoring a model with NEAR on any burn device.

use crate::error::Result;
use crate::probe::{ActivationRecorder, Probe};
use near_core::{NearBreakdown, RepeatedScore, near_score};

/// NEAR of one forward pass of `model` on `input`. `conv_seed` picks the convolution windows.
pub fn score_forward<M: Probe>(model: &M, input: M::Input, conv_seed: u64) -> Result<NearBreakdown> {
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
