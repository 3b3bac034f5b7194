//! Criterion benchmarks of scoring on Flex (f32): NEAR of one 784-200-200-47 MLP with R = 5 on a
//! 200-sample probe batch, and screening a 48-candidate grid of such MLPs.

use burn::tensor::Device;
use criterion::{Criterion, criterion_group, criterion_main};
use near_burn_plugin::{
    GridConfig, InputShape, Precision, ScoringSettings, score_model_spec, screen,
    tensor_from_values,
};
use near_core::PruningPolicy;
use std::hint::black_box;

const GRID: &str = r#"
activations = ["relu", "silu", "tanh", "tanhshrink"]
initializers = ["xavier_uniform", "kaiming_uniform", "uniform", "orthogonal"]
architectures = [
    { kind = "mlp", hidden = [200, 200] },
    { kind = "mlp", hidden = [200, 100] },
    { kind = "mlp", hidden = [100, 100] },
]
"#;

fn bench_scoring(c: &mut Criterion) {
    let device = Device::flex();
    let settings = ScoringSettings { repetitions: 5, probe_samples: 200, ..Default::default() };
    let shape = InputShape { channels: 1, height: 28, width: 28 };
    let pixels: Vec<f64> = (0..200 * 784).map(|k| near_core::golden::hash(k as f64, 1.0)).collect();
    let probe = tensor_from_values(pixels, [200, 1, 28, 28], &device, Precision::F32);
    let candidates = GridConfig::from_toml(GRID, "bench grid").unwrap().candidates().unwrap();
    assert_eq!(candidates.len(), 48);

    let mut group = c.benchmark_group("scoring");
    group.sample_size(10);
    let spec = candidates[0].model_spec(shape, 47);
    group.bench_function("mlp_784_200_200_47_r5_200_samples", |b| {
        b.iter(|| score_model_spec(black_box(&spec), &probe, &settings).unwrap().mean)
    });
    group.bench_function("grid_48_candidates", |b| {
        b.iter(|| {
            screen(&candidates, PruningPolicy::TopFraction { fraction: 0.25 }, false, |c| {
                let spec = c.model_spec(shape, 47);
                Ok((score_model_spec(&spec, &probe, &settings)?, spec.parameter_count()))
            })
            .unwrap()
            .len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_scoring);
criterion_main!(benches);
