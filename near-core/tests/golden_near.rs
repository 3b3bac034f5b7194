//! The golden NEAR fixture of DESIGN §3.6, computed with a plain-Rust forward pass. This pins the
//! aggregation (layer counting, square sub-matrices, effective rank) independently of any framework.

use near_core::golden::{REFERENCE_NEAR, SAMPLES, WIDTHS, bias, input, weights};
use near_core::{LayerRecord, Matrix, near_score};

fn activation(name: &str) -> fn(f64) -> f64 {
    match name {
        "relu" => |x| x.max(0.0),
        "tanh" => f64::tanh,
        "silu" => |x| x / (1.0 + (-x).exp()),
        "tanhshrink" => |x| x - x.tanh(),
        other => panic!("fixture has no activation {other}"),
    }
}

/// y = x W^T + b for a batch `x` (rows x fan_in).
fn linear(x: &[f64], l: usize) -> Vec<f64> {
    let (fan_in, fan_out) = (WIDTHS[l], WIDTHS[l + 1]);
    let (w, b) = (weights(l), bias(l));
    let mut y = Vec::with_capacity(SAMPLES * fan_out);
    for s in 0..SAMPLES {
        let row = &x[s * fan_in..(s + 1) * fan_in];
        for o in 0..fan_out {
            let dot: f64 =
                row.iter().zip(&w[o * fan_in..(o + 1) * fan_in]).map(|(a, b)| a * b).sum();
            y.push(dot + b[o]);
        }
    }
    y
}

fn fixture_layers(name: &str) -> Vec<LayerRecord<f64>> {
    let f = activation(name);
    let mut x = input();
    let mut layers = Vec::new();
    for l in 0..3 {
        let z = linear(&x, l);
        let width = WIDTHS[l + 1];
        let pre = Matrix::new(SAMPLES, width, z.clone()).unwrap();
        if l == 2 {
            layers.push(LayerRecord::linear(pre));
        } else {
            x = z.iter().map(|&v| f(v)).collect();
            let post = Matrix::new(SAMPLES, width, x.clone()).unwrap();
            layers.push(LayerRecord::with_activation(pre, post).unwrap());
        }
    }
    layers
}

#[test]
fn reproduces_reference_near_scores() {
    for (name, reference) in REFERENCE_NEAR {
        let near = near_score(&fixture_layers(name)).unwrap().total();
        let rel = (near - reference).abs() / reference;
        assert!(rel < 1e-6, "{name}: got {near}, reference {reference} (rel. error {rel:e})");
    }
}

#[test]
fn f32_recording_stays_close_to_reference() {
    for (name, reference) in REFERENCE_NEAR {
        let layers: Vec<LayerRecord<f32>> = fixture_layers(name)
            .into_iter()
            .map(|l| {
                let cast = |m: &Matrix<f64>| {
                    Matrix::new(m.rows(), m.cols(), m.data().iter().map(|&v| v as f32).collect())
                        .unwrap()
                };
                LayerRecord { pre: cast(&l.pre), post: l.post.as_ref().map(cast) }
            })
            .collect();
        let near = near_score(&layers).unwrap().total();
        assert!((near - reference).abs() / reference < 1e-4, "{name}: {near} vs {reference}");
    }
}
