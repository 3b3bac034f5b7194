//! Criterion benchmarks: effective rank of Gaussian matrices, and NEAR aggregation of the
//! recorded matrices of a 784-200-200-47 MLP on a 200-sample probe batch.

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

criterion_group!(benches, bench_erank, bench_mlp_aggregation);
criterion_main!(benches);
