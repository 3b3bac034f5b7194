//! The weight-initialiser catalogue (DESIGN §4).
//!
//! Weights are sampled on the CPU from a seeded [`StdRng`], not from the backend's global random
//! generator, so a candidate's initial weights depend only on its seed: the same on every backend,
//! in every order, on any number of threads. Biases follow PyTorch's `Linear` default for every
//! scheme: U(-1/sqrt(fan_in), 1/sqrt(fan_in)).

use crate::catalogue::Catalogue;
use faer::Mat;
use rand::Rng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, StandardNormal, Uniform};
use serde::{Deserialize, Serialize};

/// A weight-initialisation scheme. `fan_in` and `fan_out` are the input and output sizes of a
/// dense layer (times kernel area for a convolution).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Initializer {
    /// U(-b, b), b = sqrt(6 / fan_in): variance 2 / fan_in (He et al., ReLU gain).
    KaimingUniform,
    /// N(0, 2 / fan_in).
    KaimingNormal,
    /// U(-b, b), b = sqrt(6 / (fan_in + fan_out)) (Glorot & Bengio).
    XavierUniform,
    /// N(0, 2 / (fan_in + fan_out)).
    XavierNormal,
    /// N(0, 1 / fan_in).
    LecunNormal,
    /// U(0, 1): PyTorch's `uniform_` default, the "uniform" of the NEAR paper's experiments.
    Uniform,
    /// U(-1/sqrt(fan_in), 1/sqrt(fan_in)): the plain symmetric uniform of PyTorch's `Linear`.
    UniformSymmetric,
    /// N(0, 1): PyTorch's `normal_` default.
    Normal,
    /// A (semi-)orthogonal weight matrix (Saxe et al.), gain 1: QR of a Gaussian matrix, with the
    /// signs of R's diagonal folded into Q.
    Orthogonal,
    /// Tailored to sTanh: U(-b, b), b = sqrt(3 / fan_in), i.e. variance 1 / fan_in. Since
    /// E[sTanh(z)^2] = 1.59223^2 E[tanh(z)^2] ~= 1.000 for z ~ N(0, 1), a layer fed by sTanh outputs
    /// keeps unit pre-activation variance: Var(z') = fan_in * (1 / fan_in) * 1.
    Stanh,
}

impl Catalogue for Initializer {
    const KIND: &'static str = "initialiser";
    const ALL: &'static [(Self, &'static str)] = &[
        (Self::KaimingUniform, "kaiming_uniform"),
        (Self::KaimingNormal, "kaiming_normal"),
        (Self::XavierUniform, "xavier_uniform"),
        (Self::XavierNormal, "xavier_normal"),
        (Self::LecunNormal, "lecun_normal"),
        (Self::Uniform, "uniform"),
        (Self::UniformSymmetric, "uniform_symmetric"),
        (Self::Normal, "normal"),
        (Self::Orthogonal, "orthogonal"),
        (Self::Stanh, "stanh"),
    ];
}

/// The distribution one weight is drawn from (all but orthogonal are i.i.d.).
enum WeightLaw {
    Uniform(f64, f64),
    Normal(f64),
    Orthogonal,
}

impl Initializer {
    fn law(self, fan_in: usize, fan_out: usize) -> WeightLaw {
        let (fi, fo) = (fan_in as f64, fan_out as f64);
        let symmetric = |b: f64| WeightLaw::Uniform(-b, b);
        match self {
            Self::KaimingUniform => symmetric((6.0 / fi).sqrt()),
            Self::KaimingNormal => WeightLaw::Normal((2.0 / fi).sqrt()),
            Self::XavierUniform => symmetric((6.0 / (fi + fo)).sqrt()),
            Self::XavierNormal => WeightLaw::Normal((2.0 / (fi + fo)).sqrt()),
            Self::LecunNormal => WeightLaw::Normal((1.0 / fi).sqrt()),
            Self::Uniform => WeightLaw::Uniform(0.0, 1.0),
            Self::UniformSymmetric => symmetric(1.0 / fi.sqrt()),
            Self::Normal => WeightLaw::Normal(1.0),
            Self::Orthogonal => WeightLaw::Orthogonal,
            Self::Stanh => symmetric((3.0 / fi).sqrt()),
        }
    }

    /// Samples a weight matrix of `rows` x `cols` (row-major) for a layer with the given fans.
    /// For a dense layer stored as [fan_in, fan_out], pass `rows = fan_in`, `cols = fan_out`.
    pub fn sample_weights(
        self,
        rows: usize,
        cols: usize,
        fan_in: usize,
        fan_out: usize,
        rng: &mut StdRng,
    ) -> Vec<f64> {
        match self.law(fan_in, fan_out) {
            WeightLaw::Uniform(lo, hi) => {
                let u = Uniform::new(lo, hi).expect("bounds are finite and ordered");
                (0..rows * cols).map(|_| u.sample(rng)).collect()
            }
            WeightLaw::Normal(std) => {
                (0..rows * cols).map(|_| std * rng.sample::<f64, _>(StandardNormal)).collect()
            }
            WeightLaw::Orthogonal => orthogonal(rows, cols, rng),
        }
    }
}

/// Bias of a layer: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), as PyTorch's `Linear` and `Conv2d`.
pub fn sample_bias(len: usize, fan_in: usize, rng: &mut StdRng) -> Vec<f64> {
    let b = 1.0 / (fan_in as f64).sqrt();
    let u = Uniform::new_inclusive(-b, b).expect("bound is finite");
    (0..len).map(|_| u.sample(rng)).collect()
}

/// A rows x cols matrix with orthonormal columns (rows >= cols) or rows (rows < cols).
fn orthogonal(rows: usize, cols: usize, rng: &mut StdRng) -> Vec<f64> {
    let (tall, short) = (rows.max(cols), rows.min(cols));
    let gaussian = Mat::<f64>::from_fn(tall, short, |_, _| rng.sample(StandardNormal));
    let qr = gaussian.qr();
    let (q, r) = (qr.compute_thin_Q(), qr.thin_R());
    let sign = |j: usize| if r[(j, j)] < 0.0 { -1.0 } else { 1.0 };
    (0..rows * cols)
        .map(|k| {
            let (i, j) = (k / cols, k % cols);
            if rows >= cols { q[(i, j)] * sign(j) } else { q[(j, i)] * sign(i) }
        })
        .collect()
}

crate::catalogue::string_conversions!(Initializer);
