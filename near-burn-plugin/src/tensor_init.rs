//! Building parameters from host values with a chosen precision.

use burn::module::Param;
use burn::tensor::{DType, Device, Tensor, TensorData};
use serde::{Deserialize, Serialize};

/// Floating-point precision of a model's parameters and of the probe batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// 32-bit floats (the default; what training uses).
    #[default]
    F32,
    /// 64-bit floats (for parity checks against reference values).
    F64,
}

impl Precision {
    /// The burn data type.
    pub fn dtype(self) -> DType {
        match self {
            Self::F32 => DType::F32,
            Self::F64 => DType::F64,
        }
    }
}

/// A tensor of the given shape from row-major host values, in `precision` on `device`.
pub fn tensor_from_values<const D: usize>(
    values: Vec<f64>,
    shape: [usize; D],
    device: &Device,
    precision: Precision,
) -> Tensor<D> {
    Tensor::from_data(TensorData::new(values, shape), (device, precision.dtype()))
}

/// A trainable parameter from row-major host values.
pub fn param_from_values<const D: usize>(
    values: Vec<f64>,
    shape: [usize; D],
    device: &Device,
    precision: Precision,
) -> Param<Tensor<D>> {
    Param::from_tensor(tensor_from_values(values, shape, device, precision))
}
