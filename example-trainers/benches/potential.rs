//! Criterion benchmarks of the potential: symmetry functions with derivatives for one ethanol
//! structure, and one training step (energies, forces by the explicit backward pass, and the
//! autodiff backward of the loss) on a batch of 32 structures with 32x32 networks.
//!
//! Data: `NEAR_BENCH_EXTXYZ` (an extended XYZ file), default the repository's
//! `data/ethanol/ethanol-gfn2.extxyz`.

use burn::tensor::Device;
use burn::train::TrainStep;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use example_trainers::potential::dataset::PotentialData;
use example_trainers::potential::extxyz::{ExtxyzKeys, parse_extxyz};
use example_trainers::potential::model::PotentialModel;
use example_trainers::potential::symmetry::{DescriptorSettings, SymmetryFunctions};
use near_burn_plugin::{Activation, Initializer, MlpSpec, Precision};
use std::hint::black_box;

fn bench_potential(c: &mut Criterion) {
    let path = std::env::var("NEAR_BENCH_EXTXYZ").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../data/ethanol/ethanol-gfn2.extxyz").into()
    });
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let structures = parse_extxyz(&text, &ExtxyzKeys::default()).unwrap();
    let settings = DescriptorSettings::default();

    let mut group = c.benchmark_group("potential");
    group.sample_size(20);
    let first = &structures[0];
    let symmetry = SymmetryFunctions::new(&first.species, &settings);
    let species = symmetry.species_indices(&first.species);
    group.throughput(Throughput::Elements(1));
    group.bench_function("descriptors_per_structure", |b| {
        b.iter(|| symmetry.compute(black_box(&species), black_box(&first.positions)))
    });

    let data = PotentialData::new(&structures, &settings, 0.1, 0.1, 0).unwrap();
    let device = Device::flex().autodiff();
    let spec = MlpSpec {
        input: data.features(),
        hidden: vec![32, 32],
        output: 1,
        activation: Activation::Stanh,
        initializer: Initializer::Stanh,
        bias: true,
    };
    let model = PotentialModel::init(&spec, 3, 1.0, &device, Precision::F32, 1);
    let batch = data.batch(&data.train[..32], &device);
    group.throughput(Throughput::Elements(32));
    group.bench_function("train_step_batch_32_structures", |b| {
        b.iter(|| TrainStep::step(&model, black_box(batch.clone())).item.loss)
    });
    group.finish();
}

criterion_group!(benches, bench_potential);
criterion_main!(benches);
