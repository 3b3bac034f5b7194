//! The activation catalogue (DESIGN §4), selectable by lower-case name from TOML.

use crate::catalogue::Catalogue;
use burn::tensor::Tensor;
use burn::tensor::activation as act;
use serde::{Deserialize, Serialize};

/// Scale of sTanh(x) = 1.59223 * tanh(x), the scaled tanh of lifelong machine-learning potentials.
pub const STANH_SCALE: f64 = 1.59223;
/// Negative slope of [`Activation::LeakyRelu`] (PyTorch's default).
pub const LEAKY_RELU_SLOPE: f64 = 0.01;
/// Alpha of [`Activation::Elu`] (PyTorch's default).
pub const ELU_ALPHA: f64 = 1.0;

/// An element-wise activation function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Activation {
    /// max(0, x)
    Relu,
    /// x * sigmoid(x)
    Silu,
    /// tanh(x)
    Tanh,
    /// x - tanh(x)
    Tanhshrink,
    /// x * Phi(x) (exact, erf-based)
    Gelu,
    /// 1 / (1 + e^-x)
    Sigmoid,
    /// ln(1 + e^x)
    Softplus,
    /// x for x > 0, else 0.01 x
    LeakyRelu,
    /// x for x > 0, else e^x - 1
    Elu,
    /// x
    Identity,
    /// 1.59223 * tanh(x)
    Stanh,
}

impl Catalogue for Activation {
    const KIND: &'static str = "activation";
    const ALL: &'static [(Self, &'static str)] = &[
        (Self::Relu, "relu"),
        (Self::Silu, "silu"),
        (Self::Tanh, "tanh"),
        (Self::Tanhshrink, "tanhshrink"),
        (Self::Gelu, "gelu"),
        (Self::Sigmoid, "sigmoid"),
        (Self::Softplus, "softplus"),
        (Self::LeakyRelu, "leaky_relu"),
        (Self::Elu, "elu"),
        (Self::Identity, "identity"),
        (Self::Stanh, "stanh"),
    ];
}

impl Activation {
    /// Applies the activation element-wise.
    pub fn apply<const D: usize>(self, x: Tensor<D>) -> Tensor<D> {
        match self {
            Self::Relu => act::relu(x),
            Self::Silu => act::silu(x),
            Self::Tanh => act::tanh(x),
            Self::Tanhshrink => act::tanhshrink(x),
            Self::Gelu => act::gelu(x),
            Self::Sigmoid => act::sigmoid(x),
            Self::Softplus => act::softplus(x, 1.0),
            Self::LeakyRelu => act::leaky_relu(x, LEAKY_RELU_SLOPE),
            Self::Elu => act::elu(x, ELU_ALPHA),
            Self::Identity => x,
            Self::Stanh => act::tanh(x).mul_scalar(STANH_SCALE),
        }
    }

    /// The derivative f'(z), element-wise, written in tensor ops so that first-order autodiff
    /// can differentiate through it (forces of a potential need dE/dx inside the loss; burn has
    /// no higher-order autodiff). ReLU and LeakyReLU take the right-hand derivative at 0.
    pub fn derivative<const D: usize>(self, z: Tensor<D>) -> Tensor<D> {
        let positive = |z: &Tensor<D>| z.clone().greater_elem(0.0).float().cast(z.dtype());
        match self {
            Self::Relu => positive(&z),
            Self::Silu => {
                let s = act::sigmoid(z.clone());
                let one_minus_s = s.clone().neg().add_scalar(1.0);
                s * (z * one_minus_s).add_scalar(1.0)
            }
            Self::Tanh => act::tanh(z).powi_scalar(2).neg().add_scalar(1.0),
            Self::Tanhshrink => act::tanh(z).powi_scalar(2),
            Self::Gelu => {
                let cdf = z.clone().div_scalar(std::f64::consts::SQRT_2).erf().add_scalar(1.0);
                let pdf = z.clone().powi_scalar(2).mul_scalar(-0.5).exp();
                cdf.mul_scalar(0.5) + z * pdf.mul_scalar(1.0 / (2.0 * std::f64::consts::PI).sqrt())
            }
            Self::Sigmoid => {
                let s = act::sigmoid(z);
                s.clone() * s.neg().add_scalar(1.0)
            }
            Self::Softplus => act::sigmoid(z),
            Self::LeakyRelu => {
                positive(&z).mul_scalar(1.0 - LEAKY_RELU_SLOPE).add_scalar(LEAKY_RELU_SLOPE)
            }
            Self::Elu => {
                let mask = positive(&z);
                let negative_part = z.clamp_max(0.0).exp().mul_scalar(ELU_ALPHA);
                mask.clone() + mask.neg().add_scalar(1.0) * negative_part
            }
            Self::Identity => z.ones_like(),
            Self::Stanh => {
                act::tanh(z).powi_scalar(2).neg().add_scalar(1.0).mul_scalar(STANH_SCALE)
            }
        }
    }
}

crate::catalogue::string_conversions!(Activation);
