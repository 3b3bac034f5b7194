//! Criterion benchmarks: effective rank of Gaussian matrices, faer's own SVD on the largest of
//! them as the baseline, and NEAR aggregation of the recorded matrices of a 784-200-200-47 MLP
//! on a 200-sample probe batch.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use near_core::{LayerRecord, Matrix, effective_rank, near_score};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, StandardNormal};
use std::hint::black_box;

fn gaussian(rows: usize, cols: usize, rng: &mut StdRng) -> Matrix<f32> {
    let data = (0..rows * cols).map(|_| StandardNormal.sample(rng)).collect();
    Matrix::new(rows, cols, data).unwrap()
}

fn bench_erank(c: &mut Criterion) {
    let mut group = c.benchmark_group("erank_gaussian");
    group.sample_size(10);
    let mut rng = StdRng::seed_from_u64(1);
    for n in [64, 256, 1024] {
        let m = gaussian(n, n, &mut rng);
        group.bench_with_input(BenchmarkId::from_parameter(n), &m, |b, m| {
            b.iter(|| effective_rank(black_box(m.view())).unwrap())
        });
    }
    group.finish();
}

/// faer's one-stage SVD (values only) of the same kind of 1024 x 1024 matrix: the baseline for
/// near-core's two-stage reduction, measured in the same run.
fn bench_faer_baseline(c: &mut Criterion) {
    let mut group = c.benchmark_group("faer_singular_values_gaussian");
    group.sample_size(10);
    let mut rng = StdRng::seed_from_u64(1);
    let n = 1024;
    let m = gaussian(n, n, &mut rng);
    let a = faer::Mat::<f64>::from_fn(n, n, |i, j| f64::from(m.data()[i * n + j]));
    group.bench_with_input(BenchmarkId::from_parameter(n), &a, |b, a| {
        b.iter(|| black_box(a).singular_values().unwrap())
    });
    group.finish();
}

fn bench_mlp_aggregation(c: &mut Criterion) {
    let mut rng = StdRng::seed_from_u64(2);
    let samples = 200;
    let relu = |m: &Matrix<f32>| {
        Matrix::new(m.rows(), m.cols(), m.data().iter().map(|v| v.max(0.0)).collect()).unwrap()
    };
    let mut layers: Vec<LayerRecord<f32>> = [200, 200]
        .iter()
        .map(|&w| {
            let z = gaussian(samples, w, &mut rng);
            let h = relu(&z);
            LayerRecord::with_activation(z, h).unwrap()
        })
        .collect();
    layers.push(LayerRecord::linear(gaussian(samples, 47, &mut rng)));
    c.bench_function("near_mlp_784_200_200_47", |b| {
        b.iter(|| near_score(black_box(&layers)).unwrap().total())
    });
}

criterion_group!(benches, bench_erank, bench_faer_baseline, bench_mlp_aggregation);
criterion_main!(benches);
