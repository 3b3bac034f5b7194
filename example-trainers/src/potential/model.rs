//! The Behler-Parrinello model: one MLP per element, energy = sum of atomic energies, forces by
//! the explicit backward pass (DESIGN §5) contracted with the descriptor derivatives.

use super::dataset::PotentialBatch;
use burn::module::Module;
use burn::tensor::{Device, IndexingUpdateOp, Tensor};
use burn::train::{InferenceStep, RegressionOutput, TrainOutput, TrainStep};
use near_burn_plugin::{LayerSink, Mlp, MlpSpec, Precision, Probe, repetition_seed};

/// Per-element networks and the weight of the force term in the loss.
#[derive(Module, Debug)]
pub struct PotentialModel {
    /// One network per element, in the element order of the symmetry functions.
    pub networks: Vec<Mlp>,
    /// w_F in loss = MSE(energy per atom) + w_F * MSE(force components).
    #[module(skip)]
    pub force_weight: f64,
}

/// What the model predicts for a batch.
#[derive(Debug, Clone)]
pub struct Prediction {
    /// Energy per atom (without the reference energies), [structures, 1] (eV).
    pub energy_per_atom: Tensor<2>,
    /// Force components, [3 * total atoms] (eV/Angstrom).
    pub forces: Tensor<1>,
}

impl PotentialModel {
    /// A fresh model: network e is `spec` (input = descriptor count, output = 1) initialised
    /// from a seed derived from `seed` and e.
    pub fn init(
        spec: &MlpSpec,
        elements: usize,
        force_weight: f64,
        device: &Device,
        precision: Precision,
        seed: u64,
    ) -> Self {
        let networks =
            (0..elements).map(|e| spec.init(device, precision, repetition_seed(seed, e))).collect();
        Self { networks, force_weight }
    }

    /// Energies and forces of every structure in `batch`.
    pub fn predict(&self, batch: &PotentialBatch) -> Prediction {
        let device = batch.atoms.device();
        let structures = batch.atoms.dims()[0];
        let components = batch.forces.dims()[0];
        let mut energy = Tensor::<1>::zeros([structures], &device);
        let mut gradient = Tensor::<1>::zeros([components + 1], &device);
        for group in &batch.elements {
            let n = group.values.dims()[0];
            let (atomic, de_dg) =
                self.networks[group.element].forward_with_input_gradient(group.values.clone());
            energy = energy.select_assign(
                0,
                group.structure_index.clone(),
                atomic.reshape([n]),
                IndexingUpdateOp::Add,
            );
            let width = group.gradients.dims()[2];
            let de_dr = de_dg.unsqueeze_dim::<3>(1).matmul(group.gradients.clone());
            gradient = gradient.select_assign(
                0,
                group.force_index.clone(),
                de_dr.reshape([n * width]),
                IndexingUpdateOp::Add,
            );
        }
        Prediction {
            energy_per_atom: energy.reshape([structures, 1]) / batch.atoms.clone(),
            forces: gradient.narrow(0, 0, components).neg(),
        }
    }

    /// The loss of a prediction, packaged for burn-train (energy per atom as output).
    fn regression_output(&self, batch: PotentialBatch) -> RegressionOutput {
        let prediction = self.predict(&batch);
        let energy_error = (prediction.energy_per_atom.clone() - batch.energy_per_atom.clone())
            .powi_scalar(2)
            .mean();
        let force_error = (prediction.forces - batch.forces).powi_scalar(2).mean();
        let loss = energy_error + force_error.mul_scalar(self.force_weight);
        RegressionOutput {
            loss,
            output: prediction.energy_per_atom,
            targets: batch.energy_per_atom,
        }
    }
}

impl TrainStep for PotentialModel {
    type Input = PotentialBatch;
    type Output = RegressionOutput;

    fn step(&self, batch: PotentialBatch) -> TrainOutput<RegressionOutput> {
        let item = self.regression_output(batch);
        TrainOutput::new(self, item.loss.backward(), item)
    }
}

impl InferenceStep for PotentialModel {
    type Input = PotentialBatch;
    type Output = RegressionOutput;

    fn step(&self, batch: PotentialBatch) -> RegressionOutput {
        self.regression_output(batch)
    }
}

/// NEAR of a potential: every element's network on its own element's descriptors; the layers of
/// all networks are recorded in turn, so the score is the sum over elements.
impl Probe for PotentialModel {
    type Input = Vec<Tensor<2>>;
    type Output = Vec<Tensor<2>>;

    fn probe_forward(&self, inputs: Vec<Tensor<2>>, sink: &mut impl LayerSink) -> Vec<Tensor<2>> {
        self.networks.iter().zip(inputs).map(|(net, x)| net.probe_forward(x, sink)).collect()
    }
}
