//! The built-in MLP candidate family.

use crate::activation::Activation;
use crate::init::{Initializer, sample_bias};
use crate::probe::{LayerSink, Probe};
use crate::tensor_init::{Precision, param_from_values};
use burn::module::Module;
use burn::nn::Linear;
use burn::tensor::{Device, Tensor};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

/// Shape and choices of an MLP: `input -> hidden[0] -> ... -> output`, the activation after every
/// hidden layer, a linear output layer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MlpSpec {
    /// Input features.
    pub input: usize,
    /// Hidden layer widths.
    pub hidden: Vec<usize>,
    /// Output width (e.g. number of classes).
    pub output: usize,
    /// Activation after each hidden layer.
    pub activation: Activation,
    /// Weight initialiser.
    pub initializer: Initializer,
    /// Whether layers have a bias.
    pub bias: bool,
}

impl MlpSpec {
    /// All layer widths, input first.
    pub fn widths(&self) -> Vec<usize> {
        std::iter::once(self.input)
            .chain(self.hidden.iter().copied())
            .chain(std::iter::once(self.output))
            .collect()
    }

    /// The widest recorded layer (hidden or output): how many probe samples NEAR needs
    /// (DESIGN §3.2).
    pub fn widest_layer(&self) -> usize {
        self.hidden.iter().copied().chain([self.output]).max().unwrap_or(self.output)
    }

    /// Number of trainable parameters.
    pub fn parameter_count(&self) -> usize {
        self.widths().windows(2).map(|w| w[0] * w[1] + if self.bias { w[1] } else { 0 }).sum()
    }

    /// A freshly initialised MLP; the same `seed` always gives the same weights.
    pub fn init(&self, device: &Device, precision: Precision, seed: u64) -> Mlp {
        let mut rng = StdRng::seed_from_u64(seed);
        let layers = self
            .widths()
            .windows(2)
            .map(|w| {
                let (fan_in, fan_out) = (w[0], w[1]);
                let weight =
                    self.initializer.sample_weights(fan_in, fan_out, fan_in, fan_out, &mut rng);
                let bias = self.bias.then(|| {
                    param_from_values(
                        sample_bias(fan_out, fan_in, &mut rng),
                        [fan_out],
                        device,
                        precision,
                    )
                });
                Linear {
                    weight: param_from_values(weight, [fan_in, fan_out], device, precision),
                    bias,
                }
            })
            .collect();
        Mlp { layers, activation: self.activation }
    }
}

/// A multi-layer perceptron built from an [`MlpSpec`].
#[derive(Module, Debug)]
pub struct Mlp {
    /// Hidden layers followed by the output layer.
    pub layers: Vec<Linear>,
    /// Activation after every hidden layer.
    #[module(skip)]
    pub activation: Activation,
}

impl Mlp {
    /// Builds an MLP from given layers (e.g. with explicitly set weights). `layers` must hold at
    /// least the output layer.
    pub fn from_layers(layers: Vec<Linear>, activation: Activation) -> Self {
        Self { layers, activation }
    }

    /// The plain forward pass: logits of shape [batch, output].
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        self.probe_forward(x, &mut crate::probe::NoRecording)
    }

    /// The forward pass of a network with one output, and the gradient of that output with
    /// respect to the input, [batch, 1] and [batch, input], by an explicit backward pass in tensor
    /// ops (dy/dz_l = dy/dh_l * f'(z_l), dy/dh_{l-1} = dy/dz_l W_l^T). Because the gradient is
    /// built from ordinary tensor ops, a loss on it can be differentiated with first-order
    /// autodiff: this is how a potential trains on forces.
    pub fn forward_with_input_gradient(&self, mut x: Tensor<2>) -> (Tensor<2>, Tensor<2>) {
        let (output, hidden) = self.layers.split_last().expect("an MLP has an output layer");
        let mut pre_activations = Vec::with_capacity(hidden.len());
        for layer in hidden {
            let z = layer.forward(x);
            x = self.activation.apply(z.clone());
            pre_activations.push(z);
        }
        let y = output.forward(x);
        let [batch, _] = y.dims();
        let weight_t = output.weight.val().transpose();
        let [_, width] = weight_t.dims();
        let mut gradient = weight_t.expand([batch, width]);
        for (layer, z) in hidden.iter().zip(pre_activations).rev() {
            gradient =
                (gradient * self.activation.derivative(z)).matmul(layer.weight.val().transpose());
        }
        (y, gradient)
    }
}

impl Probe for Mlp {
    type Input = Tensor<2>;
    type Output = Tensor<2>;

    fn probe_forward(&self, mut x: Tensor<2>, sink: &mut impl LayerSink) -> Tensor<2> {
        let (output, hidden) = self.layers.split_last().expect("an MLP has an output layer");
        for layer in hidden {
            let z = layer.forward(x);
            let h = self.activation.apply(z.clone());
            sink.record_dense(&z, Some(&h));
            x = h;
        }
        let y = output.forward(x);
        sink.record_dense(&y, None);
        y
    }
}
