//! The potential trainer: per-element networks trained with burn-train on energies and forces,
//! once per training seed, evaluated with the best epoch's weights (energy RMSE in meV/atom,
//! force RMSE in meV/Angstrom), with a learning curve and parity plots per run.

use super::dataset::{FeaturizedStructure, PotentialData};
use super::model::PotentialModel;
use super::plots::parity_plot;
use crate::config::PotentialSettings;
use crate::seed_log::{append_seed_row, fresh_seed_dir, mean_over_seeds};
use burn::tensor::Device;
use near_burn_plugin::{
    Architecture, Candidate, FitOutcome, MlpSpec, Precision, TrainedOutcome, TrainingSettings,
    fit_supervised, learning_curve,
};
use std::fmt::Write;
use std::path::Path;

const EVAL_BATCH: usize = 256;

/// The per-element network of a candidate: descriptors in, one atomic energy out.
pub fn potential_mlp_spec(candidate: &Candidate, features: usize) -> Result<MlpSpec, String> {
    match &candidate.architecture {
        Architecture::Mlp { hidden, bias } => Ok(MlpSpec {
            input: features,
            hidden: hidden.clone(),
            output: 1,
            activation: candidate.activation,
            initializer: candidate.initializer,
            bias: *bias,
        }),
        Architecture::Cnn { .. } => Err("potentials take MLP architectures only".into()),
    }
}

/// Errors of a potential on one split.
#[derive(Debug, Clone, PartialEq)]
pub struct PotentialEvaluation {
    /// The training loss on the whole split: MSE(energy per atom) + w_F MSE(force components).
    pub loss: f64,
    /// Energy RMSE per atom (meV/atom).
    pub energy_rmse_mev_per_atom: f64,
    /// Force-component RMSE (meV/Angstrom).
    pub force_rmse_mev_per_angstrom: f64,
    /// (reference, predicted) energy per atom relative to the reference energies (meV/atom).
    pub energy_pairs: Vec<(f64, f64)>,
    /// (reference, predicted) force components (eV/Angstrom).
    pub force_pairs: Vec<(f64, f64)>,
}

fn values(t: burn::tensor::Tensor<1>) -> Result<Vec<f64>, String> {
    t.try_into_vec_as::<f64>().map_err(|e| format!("reading a tensor: {e:?}"))
}

/// Evaluates `model` on `structures`.
pub fn evaluate_potential(
    model: &PotentialModel,
    data: &PotentialData,
    structures: &[FeaturizedStructure],
    device: &Device,
) -> Result<PotentialEvaluation, String> {
    let (mut energy_pairs, mut force_pairs) = (Vec::new(), Vec::new());
    for chunk in structures.chunks(EVAL_BATCH) {
        let batch = data.batch(chunk, device);
        let prediction = model.predict(&batch);
        let n = chunk.len();
        let predicted = values(prediction.energy_per_atom.reshape([n]))?;
        let reference = values(batch.energy_per_atom.reshape([n]))?;
        energy_pairs.extend(reference.iter().zip(&predicted).map(|(r, p)| (r * 1e3, p * 1e3)));
        force_pairs.extend(values(batch.forces)?.into_iter().zip(values(prediction.forces)?));
    }
    if energy_pairs.is_empty() {
        return Err("the split is empty".into());
    }
    let mse = |pairs: &[(f64, f64)]| {
        pairs.iter().map(|(r, p)| (r - p).powi(2)).sum::<f64>() / pairs.len().max(1) as f64
    };
    let (energy_mse, force_mse) = (mse(&energy_pairs) * 1e-6, mse(&force_pairs));
    Ok(PotentialEvaluation {
        loss: energy_mse + model.force_weight * force_mse,
        energy_rmse_mev_per_atom: energy_mse.sqrt() * 1e3,
        force_rmse_mev_per_angstrom: force_mse.sqrt() * 1e3,
        energy_pairs,
        force_pairs,
    })
}

/// One training run's figures.
#[derive(Debug, Clone, Copy)]
struct SeedRun {
    valid_loss: f64,
    test_loss: f64,
    energy_rmse: f64,
    force_rmse: f64,
    epochs: usize,
}

/// Writes `learning_curve.csv` and the test parity plots into a run's folder.
fn write_run_outputs(dir: &Path, test: &PotentialEvaluation) -> Result<(), String> {
    let mut csv = String::from("epoch,train_loss,valid_loss\n");
    for e in learning_curve(dir)? {
        let _ = writeln!(csv, "{},{},{}", e.epoch, e.train, e.valid);
    }
    let path = dir.join("learning_curve.csv");
    std::fs::write(&path, csv).map_err(|e| format!("{}: {e}", path.display()))?;
    parity_plot(
        &dir.join("parity_energy.svg"),
        &format!("Test energies per atom (RMSE {:.2} meV/atom)", test.energy_rmse_mev_per_atom),
        "meV/atom, relative to the reference energies",
        &test.energy_pairs,
    )?;
    parity_plot(
        &dir.join("parity_forces.svg"),
        &format!("Test force components (RMSE {:.1} meV/Å)", test.force_rmse_mev_per_angstrom),
        "eV/Å",
        &test.force_pairs,
    )
}

/// Trains `candidate` once per seed of `training` and returns the means over seeds: validation
/// and test loss, and the test force RMSE (meV/Angstrom) as the metric. Each seed's figures
/// also go to `run_dir/seeds.csv`; burn-train's logs, `learning_curve.csv` and the parity plots
/// to `run_dir/train/<id>/seed-<s>`.
pub fn train_potential(
    candidate: &Candidate,
    data: &PotentialData,
    training: &TrainingSettings,
    settings: &PotentialSettings,
    run_dir: &Path,
) -> Result<TrainedOutcome, String> {
    let device = Device::flex().autodiff();
    let spec = potential_mlp_spec(candidate, data.features())?;
    let elements = data.symmetry.elements().len();
    let mut runs = Vec::new();
    for &seed in &training.seeds {
        let dir = fresh_seed_dir(run_dir, &candidate.id(), seed);
        let model = PotentialModel::init(
            &spec,
            elements,
            settings.force_weight,
            &device,
            Precision::F32,
            seed,
        );
        let train = data.loader(&data.train, training.batch_size, Some(seed));
        let valid = data.loader(&data.valid, EVAL_BATCH, None);
        let FitOutcome { model, epochs, .. } = fit_supervised(model, train, valid, training, &dir)?;
        let eval_device = Device::flex();
        let valid = evaluate_potential(&model, data, &data.valid, &eval_device)?;
        let test = evaluate_potential(&model, data, &data.test, &eval_device)?;
        write_run_outputs(&dir, &test)?;
        let run = SeedRun {
            valid_loss: valid.loss,
            test_loss: test.loss,
            energy_rmse: test.energy_rmse_mev_per_atom,
            force_rmse: test.force_rmse_mev_per_angstrom,
            epochs,
        };
        append_seed_row(
            run_dir,
            "id,seed,valid_loss,test_loss,test_energy_rmse_mev_per_atom,test_force_rmse_mev_per_angstrom,epochs",
            &format!(
                "{},{seed},{},{},{},{},{}",
                candidate.id(),
                run.valid_loss,
                run.test_loss,
                run.energy_rmse,
                run.force_rmse,
                run.epochs
            ),
        )?;
        runs.push(TrainedOutcome {
            valid_loss: run.valid_loss,
            test_loss: run.test_loss,
            metric: Some(run.force_rmse),
            epochs: run.epochs,
        });
    }
    Ok(mean_over_seeds(&runs))
}
