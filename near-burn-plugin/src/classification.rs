//! burn-train steps for the built-in families as classifiers (cross-entropy on logits).

use crate::cnn::Cnn;
use crate::mlp::Mlp;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::tensor::{Int, Tensor};
use burn::train::{ClassificationOutput, InferenceStep, TrainOutput, TrainStep};

/// A labelled batch: inputs of rank `D` (2 for an MLP, 4 for a CNN) and class indices.
#[derive(Debug, Clone)]
pub struct ClassificationBatch<const D: usize> {
    /// Inputs, batch first.
    pub inputs: Tensor<D>,
    /// Class index of each sample.
    pub targets: Tensor<1, Int>,
}

/// Cross-entropy loss of `logits` against `targets`, packaged for burn-train's metrics.
pub fn classification_output(logits: Tensor<2>, targets: Tensor<1, Int>) -> ClassificationOutput {
    let loss = CrossEntropyLossConfig::new()
        .init(&logits.device())
        .forward(logits.clone(), targets.clone());
    ClassificationOutput { loss, output: logits, targets }
}

macro_rules! classification_steps {
    ($model:ty, $rank:literal) => {
        impl TrainStep for $model {
            type Input = ClassificationBatch<$rank>;
            type Output = ClassificationOutput;

            fn step(&self, batch: Self::Input) -> TrainOutput<ClassificationOutput> {
                let item = classification_output(self.forward(batch.inputs), batch.targets);
                TrainOutput::new(self, item.loss.backward(), item)
            }
        }

        impl InferenceStep for $model {
            type Input = ClassificationBatch<$rank>;
            type Output = ClassificationOutput;

            fn step(&self, batch: Self::Input) -> ClassificationOutput {
                classification_output(self.forward(batch.inputs), batch.targets)
            }
        }
    };
}

classification_steps!(Mlp, 2);
classification_steps!(Cnn, 4);
