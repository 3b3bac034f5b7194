//! Each activation against its formula; each initialiser's sample moments against its definition.

use burn::tensor::{Device, Tensor, TensorData};
use near_burn_plugin::{Activation, Catalogue, Initializer, sample_bias};
use rand::SeedableRng;
use rand::rngs::StdRng;

fn erf(x: f64) -> f64 {
    // Abramowitz-Stegun 7.1.26 is too coarse for 1e-5; integrate exp(-t^2) by Simpson instead.
    let n = 2000;
    let h = x / n as f64;
    let f = |t: f64| (-t * t).exp();
    let s: f64 = (1..n).map(|i| f(i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 }).sum();
    2.0 / std::f64::consts::PI.sqrt() * h / 3.0 * (f(0.0) + s + f(x))
}

fn reference(a: Activation, x: f64) -> f64 {
    let sigmoid = 1.0 / (1.0 + (-x).exp());
    match a {
        Activation::Relu => x.max(0.0),
        Activation::Silu => x * sigmoid,
        Activation::Tanh => x.tanh(),
        Activation::Tanhshrink => x - x.tanh(),
        Activation::Gelu => 0.5 * x * (1.0 + erf(x / 2f64.sqrt())),
        Activation::Sigmoid => sigmoid,
        Activation::Softplus => (1.0 + x.exp()).ln(),
        Activation::LeakyRelu => {
            if x > 0.0 {
                x
            } else {
                0.01 * x
            }
        }
        Activation::Elu => {
            if x > 0.0 {
                x
            } else {
                x.exp() - 1.0
            }
        }
        Activation::Identity => x,
        Activation::Stanh => 1.59223 * x.tanh(),
    }
}

#[test]
fn every_activation_matches_its_formula() {
    let device = Device::flex();
    let xs: Vec<f64> = (-30..=30).map(|i| i as f64 * 0.2).collect();
    for &(activation, name) in Activation::ALL {
        let t = Tensor::<1>::from_data(TensorData::new(xs.clone(), [xs.len()]), &device);
        let ys = activation.apply(t).try_into_vec_as::<f64>().unwrap();
        for (x, y) in xs.iter().zip(ys) {
            let want = reference(activation, *x);
            assert!((y - want).abs() < 1e-5 * (1.0 + want.abs()), "{name}({x}) = {y}, want {want}");
        }
    }
}

#[test]
fn names_round_trip_and_unknown_names_list_the_known_ones() {
    for &(a, name) in Activation::ALL {
        assert_eq!(name.parse::<Activation>().unwrap(), a);
        assert_eq!(a.to_string(), name);
    }
    for &(i, name) in Initializer::ALL {
        assert_eq!(name.parse::<Initializer>().unwrap(), i);
    }
    let err = "swish".parse::<Activation>().unwrap_err().to_string();
    assert!(err.contains("unknown activation \"swish\"") && err.contains("silu, tanh"), "{err}");
    let err = "he".parse::<Initializer>().unwrap_err().to_string();
    assert!(err.contains("kaiming_uniform") && err.contains("stanh"), "{err}");
}

fn moments(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    (mean, v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0))
}

#[test]
fn initialiser_moments_match_their_definitions() {
    let (fan_in, fan_out) = (300usize, 200usize);
    let (fi, fo) = (fan_in as f64, fan_out as f64);
    let cases = [
        (Initializer::KaimingUniform, 0.0, 2.0 / fi),
        (Initializer::KaimingNormal, 0.0, 2.0 / fi),
        (Initializer::XavierUniform, 0.0, 2.0 / (fi + fo)),
        (Initializer::XavierNormal, 0.0, 2.0 / (fi + fo)),
        (Initializer::LecunNormal, 0.0, 1.0 / fi),
        (Initializer::Uniform, 0.5, 1.0 / 12.0),
        (Initializer::UniformSymmetric, 0.0, 1.0 / (3.0 * fi)),
        (Initializer::Normal, 0.0, 1.0),
        (Initializer::Stanh, 0.0, 1.0 / fi),
    ];
    let mut rng = StdRng::seed_from_u64(3);
    for (init, mean, var) in cases {
        let w = init.sample_weights(fan_in, fan_out, fan_in, fan_out, &mut rng);
        let (m, v) = moments(&w);
        // 60,000 draws: the sample mean is within ~4 standard errors, the variance within 3%.
        assert!((m - mean).abs() < 4.0 * (var / w.len() as f64).sqrt(), "{init}: mean {m}");
        assert!((v / var - 1.0).abs() < 0.03, "{init}: variance {v}, want {var}");
    }
    let b = sample_bias(10_000, fan_in, &mut rng);
    let (m, v) = moments(&b);
    assert!(m.abs() < 0.01 && (v / (1.0 / (3.0 * fi)) - 1.0).abs() < 0.05);
}

#[test]
fn orthogonal_weights_have_orthonormal_columns_or_rows() {
    let mut rng = StdRng::seed_from_u64(4);
    for (rows, cols) in [(40, 25), (25, 40)] {
        let w = Initializer::Orthogonal.sample_weights(rows, cols, rows, cols, &mut rng);
        let (outer, inner) = if rows >= cols { (cols, rows) } else { (rows, cols) };
        for a in 0..outer {
            for b in 0..outer {
                let dot: f64 = (0..inner)
                    .map(|k| {
                        let at =
                            |j: usize| if rows >= cols { w[k * cols + j] } else { w[j * cols + k] };
                        at(a) * at(b)
                    })
                    .sum();
                let want = if a == b { 1.0 } else { 0.0 };
                assert!((dot - want).abs() < 1e-10, "{rows}x{cols}: <{a},{b}> = {dot}");
            }
        }
    }
}

#[test]
fn stanh_keeps_unit_pre_activation_variance() {
    // Documented property of the sTanh-tailored scheme: z' = W sTanh(z) has unit variance
    // when z ~ N(0, 1).
    let mut rng = StdRng::seed_from_u64(5);
    let fan_in = 400;
    let z = Initializer::Normal.sample_weights(1, fan_in * 200, 1, 1, &mut rng);
    let h: Vec<f64> = z.iter().map(|v| 1.59223 * v.tanh()).collect();
    let w = Initializer::Stanh.sample_weights(fan_in, 1, fan_in, 1, &mut rng);
    let zs: Vec<f64> =
        h.chunks(fan_in).map(|row| row.iter().zip(&w).map(|(a, b)| a * b).sum()).collect();
    let (_, var) = moments(&zs);
    assert!((var - 1.0).abs() < 0.25, "variance {var}");
}
