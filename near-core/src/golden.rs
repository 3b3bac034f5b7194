//! The golden NEAR fixture of DESIGN §3.6: a deterministic input and MLP whose NEAR scores under
//! four activations were computed by the reference implementation. Any integration (burn or
//! otherwise) can build this network and check itself against [`REFERENCE_NEAR`].

/// Number of probe samples in the fixture input.
pub const SAMPLES: usize = 256;

/// Layer widths of the fixture MLP: input, two hidden layers, output.
pub const WIDTHS: [usize; 4] = [64, 48, 32, 10];

/// Reference NEAR scores (activation name, score); match to 1e-6 relative.
pub const REFERENCE_NEAR: [(&str, f64); 4] = [
    ("relu", 104.81683890183453),
    ("tanh", 117.18895740725293),
    ("silu", 109.61053661951128),
    ("tanhshrink", 74.56522995813363),
];

/// The fixture's pseudo-random function f(a, b) = frac(sin(12.9898 a + 78.233 b) * 43758.5453).
pub fn hash(a: f64, b: f64) -> f64 {
    let x = (12.9898 * a + 78.233 * b).sin() * 43758.5453;
    x - x.floor()
}

/// The probe input X (256 x 64, row-major): X[s][k] = f(s, k) - 0.5.
pub fn input() -> Vec<f64> {
    let cols = WIDTHS[0];
    (0..SAMPLES * cols).map(|k| hash((k / cols) as f64, (k % cols) as f64) - 0.5).collect()
}

/// Weights of layer `l` (0, 1 or 2) as `[out][in]` row-major:
/// W_l[o][i] = (f(1000 (l + 1) + o, i) - 0.5) * 2 / sqrt(fan_in).
pub fn weights(l: usize) -> Vec<f64> {
    let (fan_in, fan_out) = (WIDTHS[l], WIDTHS[l + 1]);
    let scale = 2.0 / (fan_in as f64).sqrt();
    (0..fan_out * fan_in)
        .map(|k| {
            let (o, i) = (k / fan_in, k % fan_in);
            (hash((1000 * (l + 1) + o) as f64, i as f64) - 0.5) * scale
        })
        .collect()
}

/// Bias of layer `l`: bias_l[o] = (f(7 + l, o) - 0.5) * 0.2.
pub fn bias(l: usize) -> Vec<f64> {
    (0..WIDTHS[l + 1]).map(|o| (hash((7 + l) as f64, o as f64) - 0.5) * 0.2).collect()
}
