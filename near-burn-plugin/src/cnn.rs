//! The built-in small-CNN candidate family: convolution blocks, global average pooling, and a
//! linear head.

use crate::activation::Activation;
use crate::init::{Initializer, sample_bias};
use crate::probe::{LayerSink, NoRecording, Probe};
use crate::tensor_init::{Precision, param_from_values};
use burn::module::Module;
use burn::nn::conv::Conv2d;
use burn::nn::{Linear, PaddingConfig2d};
use burn::tensor::{Device, Tensor};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

/// Shape and choices of a small CNN: for each entry of `channels` a `kernel_size` x `kernel_size`
/// convolution (stride 1, "same" padding) followed by the activation; then global average pooling
/// over height and width and a linear layer to `classes` outputs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CnnSpec {
    /// Input image channels.
    pub input_channels: usize,
    /// Output channels of each convolution block.
    pub channels: Vec<usize>,
    /// Odd kernel size (padding keeps height and width).
    pub kernel_size: usize,
    /// Number of outputs of the linear head.
    pub classes: usize,
    /// Activation after each convolution.
    pub activation: Activation,
    /// Weight initialiser (fans include the kernel area).
    pub initializer: Initializer,
}

impl CnnSpec {
    fn channel_pairs(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        std::iter::once(self.input_channels)
            .chain(self.channels.iter().copied())
            .zip(self.channels.iter().copied())
    }

    fn head_input(&self) -> usize {
        self.channels.last().copied().unwrap_or(self.input_channels)
    }

    /// Number of trainable parameters.
    pub fn parameter_count(&self) -> usize {
        let k2 = self.kernel_size * self.kernel_size;
        let convs: usize = self.channel_pairs().map(|(i, o)| i * o * k2 + o).sum();
        convs + self.head_input() * self.classes + self.classes
    }

    /// A freshly initialised CNN; the same `seed` always gives the same weights.
    pub fn init(&self, device: &Device, precision: Precision, seed: u64) -> Cnn {
        let mut rng = StdRng::seed_from_u64(seed);
        let k = self.kernel_size;
        let convs = self
            .channel_pairs()
            .map(|(cin, cout)| {
                let (fan_in, fan_out) = (cin * k * k, cout * k * k);
                let weight =
                    self.initializer.sample_weights(cout, cin * k * k, fan_in, fan_out, &mut rng);
                let bias = sample_bias(cout, fan_in, &mut rng);
                Conv2d {
                    weight: param_from_values(weight, [cout, cin, k, k], device, precision),
                    bias: Some(param_from_values(bias, [cout], device, precision)),
                    stride: [1, 1],
                    kernel_size: [k, k],
                    dilation: [1, 1],
                    groups: 1,
                    padding: PaddingConfig2d::Same,
                }
            })
            .collect();
        let (fan_in, fan_out) = (self.head_input(), self.classes);
        let weight = self.initializer.sample_weights(fan_in, fan_out, fan_in, fan_out, &mut rng);
        let bias = sample_bias(fan_out, fan_in, &mut rng);
        let head = Linear {
            weight: param_from_values(weight, [fan_in, fan_out], device, precision),
            bias: Some(param_from_values(bias, [fan_out], device, precision)),
        };
        Cnn { convs, head, activation: self.activation }
    }
}

/// A small CNN built from a [`CnnSpec`].
#[derive(Module, Debug)]
pub struct Cnn {
    /// Convolution blocks.
    pub convs: Vec<Conv2d>,
    /// Linear head after global average pooling.
    pub head: Linear,
    /// Activation after every convolution.
    #[module(skip)]
    pub activation: Activation,
}

impl Cnn {
    /// The plain forward pass: logits of shape [batch, classes] for images [batch, C, H, W].
    pub fn forward(&self, x: Tensor<4>) -> Tensor<2> {
        self.probe_forward(x, &mut NoRecording)
    }
}

impl Probe for Cnn {
    type Input = Tensor<4>;
    type Output = Tensor<2>;

    fn probe_forward(&self, mut x: Tensor<4>, sink: &mut impl LayerSink) -> Tensor<2> {
        for conv in &self.convs {
            let z = conv.forward(x);
            let h = self.activation.apply(z.clone());
            sink.record_conv(&z, Some(&h));
            x = h;
        }
        let [batch, channels, _, _] = x.dims();
        let pooled = x.mean_dim(3).mean_dim(2).reshape([batch, channels]);
        let y = self.head.forward(pooled);
        sink.record_dense(&y, None);
        y
    }
}
