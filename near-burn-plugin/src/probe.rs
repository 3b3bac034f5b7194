//! The probe trait: how a burn model exposes its pre- and post-activations to NEAR.
//!
//! burn has no forward hooks, so a scoreable model writes its forward pass once, generic over a
//! [`LayerSink`], and calls the sink after each weight layer. Training uses [`NoRecording`], whose
//! methods are empty and inline away; scoring uses [`ActivationRecorder`], which copies the
//! matrices to the host in f64.

use crate::error::{PluginError, Result};
use burn::tensor::Tensor;
use near_core::{FeatureMapShape, LayerRecord, Matrix, feature_map_matrix};

/// Receives each weight layer's pre-activation Z and, when the layer has one, its activation's
/// output H, in forward order.
pub trait LayerSink {
    /// A dense layer: tensors of shape [samples, neurons].
    fn record_dense(&mut self, pre: &Tensor<2>, post: Option<&Tensor<2>>);
    /// A convolution: tensors of shape [batch, channels, height, width].
    fn record_conv(&mut self, pre: &Tensor<4>, post: Option<&Tensor<4>>);
}

/// A model whose forward pass can report its layers to a [`LayerSink`].
///
/// ```
/// use burn::module::Module;
/// use burn::nn::{Linear, LinearConfig};
/// use burn::tensor::{Device, Tensor, activation::relu};
/// use near_burn_plugin::{LayerSink, NoRecording, Probe, score_forward};
///
/// #[derive(Module, Debug)]
/// struct TwoLayer { hidden: Linear, out: Linear }
///
/// impl Probe for TwoLayer {
///     type Input = Tensor<2>;
///     type Output = Tensor<2>;
///     fn probe_forward(&self, x: Tensor<2>, sink: &mut impl LayerSink) -> Tensor<2> {
///         let z = self.hidden.forward(x);
///         let h = relu(z.clone());
///         sink.record_dense(&z, Some(&h));
///         let y = self.out.forward(h);
///         sink.record_dense(&y, None);
///         y
///     }
/// }
///
/// let device = Device::flex();
/// let model = TwoLayer {
///     hidden: LinearConfig::new(8, 16).init(&device),
///     out: LinearConfig::new(16, 4).init(&device),
/// };
/// let probe_batch = Tensor::<2>::random([32, 8], burn::tensor::Distribution::Default, &device);
/// // Training code calls the same forward with the no-op sink:
/// let _logits = model.probe_forward(probe_batch.clone(), &mut NoRecording);
/// let near = score_forward(&model, probe_batch, 0).unwrap();
/// assert_eq!(near.layers.len(), 2);
/// assert!(near.total() > 1.0 && near.total() <= 16.0 * 2.0 + 4.0);
/// ```
pub trait Probe {
    /// What the forward pass takes (e.g. `Tensor<2>` or `Tensor<4>`).
    type Input;
    /// What the forward pass returns.
    type Output;
    /// The forward pass, reporting every weight layer to `sink`.
    fn probe_forward(&self, input: Self::Input, sink: &mut impl LayerSink) -> Self::Output;
}

/// The sink used in training: records nothing, costs nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoRecording;

impl LayerSink for NoRecording {
    #[inline(always)]
    fn record_dense(&mut self, _: &Tensor<2>, _: Option<&Tensor<2>>) {}
    #[inline(always)]
    fn record_conv(&mut self, _: &Tensor<4>, _: Option<&Tensor<4>>) {}
}

/// The sink used in scoring: copies each layer's matrices to the host as f64.
///
/// Dense layers keep all their rows (near-core takes the square prefix). Convolution outputs
/// become C x C matrices by DESIGN §3.3, with the random window drawn from `conv_seed` plus the
/// layer index; Z and H of one layer use the same window.
#[derive(Debug)]
pub struct ActivationRecorder {
    conv_seed: u64,
    layers: Vec<LayerRecord<f64>>,
    error: Option<PluginError>,
}

impl ActivationRecorder {
    /// A recorder whose convolution windows derive from `conv_seed`.
    pub fn new(conv_seed: u64) -> Self {
        Self { conv_seed, layers: Vec::new(), error: None }
    }

    /// The recorded layers, or the first error met while recording.
    pub fn finish(self) -> Result<Vec<LayerRecord<f64>>> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.layers),
        }
    }

    fn push(&mut self, record: impl FnOnce(u64) -> Result<LayerRecord<f64>>) {
        if self.error.is_some() {
            return;
        }
        let seed = self.conv_seed.wrapping_add(self.layers.len() as u64);
        match record(seed) {
            Ok(layer) => self.layers.push(layer),
            Err(e) => self.error = Some(e),
        }
    }
}

fn host_matrix(t: &Tensor<2>) -> Result<Matrix<f64>> {
    let [rows, cols] = t.dims();
    Ok(Matrix::new(rows, cols, t.clone().try_into_vec_as::<f64>()?)?)
}

fn host_feature_map(t: &Tensor<4>, seed: u64) -> Result<Matrix<f64>> {
    let [batch, channels, height, width] = t.dims();
    let shape = FeatureMapShape { batch, channels, height, width };
    Ok(feature_map_matrix(&t.clone().try_into_vec_as::<f64>()?, shape, seed)?)
}

impl LayerSink for ActivationRecorder {
    fn record_dense(&mut self, pre: &Tensor<2>, post: Option<&Tensor<2>>) {
        self.push(|_| {
            let z = host_matrix(pre)?;
            Ok(match post {
                Some(h) => LayerRecord::with_activation(z, host_matrix(h)?)?,
                None => LayerRecord::linear(z),
            })
        });
    }

    fn record_conv(&mut self, pre: &Tensor<4>, post: Option<&Tensor<4>>) {
        self.push(|seed| {
            let z = host_feature_map(pre, seed)?;
            Ok(match post {
                Some(h) => LayerRecord::with_activation(z, host_feature_map(h, seed)?)?,
                None => LayerRecord::linear(z),
            })
        });
    }
}
