//! A labelled in-memory data set for the built-in classifiers: splits, probe batches, loaders.

use crate::classification::ClassificationBatch;
use crate::error::{PluginError, Result};
use crate::grid::InputShape;
use crate::scoring::probe_indices;
use burn::data::dataloader::batcher::Batcher;
use burn::data::dataloader::{DataLoader, DataLoaderBuilder};
use burn::data::dataset::InMemDataset;
use burn::tensor::{Device, Int, Tensor, TensorData};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use std::sync::Arc;

/// Samples (row-major values of `shape` each) with class labels `0..classes`.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassificationData {
    shape: InputShape,
    classes: usize,
    values: Vec<f32>,
    labels: Vec<usize>,
}

/// One sample as the data loader sees it.
#[derive(Debug, Clone)]
pub struct LabelledSample {
    values: Vec<f32>,
    label: usize,
}

impl ClassificationData {
    /// Wraps samples; fails when the value count does not match `labels.len()` samples of
    /// `shape`, or a label is not below `classes`.
    pub fn new(
        shape: InputShape,
        classes: usize,
        values: Vec<f32>,
        labels: Vec<usize>,
    ) -> Result<Self> {
        if values.len() != labels.len() * shape.features() {
            return Err(PluginError::Config(format!(
                "{} values do not make {} samples of {} features",
                values.len(),
                labels.len(),
                shape.features()
            )));
        }
        if let Some(bad) = labels.iter().find(|&&l| l >= classes) {
            return Err(PluginError::Config(format!(
                "label {bad} is not below the {classes} classes"
            )));
        }
        Ok(Self { shape, classes, values, labels })
    }

    /// Shape of one sample.
    pub fn shape(&self) -> InputShape {
        self.shape
    }

    /// Number of classes.
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True when there are no samples.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    fn sample(&self, i: usize) -> LabelledSample {
        let f = self.shape.features();
        LabelledSample { values: self.values[i * f..(i + 1) * f].to_vec(), label: self.labels[i] }
    }

    fn subset(&self, indices: &[usize]) -> Self {
        let f = self.shape.features();
        let values =
            indices.iter().flat_map(|&i| self.values[i * f..(i + 1) * f].iter().copied()).collect();
        let labels = indices.iter().map(|&i| self.labels[i]).collect();
        Self { shape: self.shape, classes: self.classes, values, labels }
    }

    /// The sample indices of each class (in class order), each list shuffled with one generator
    /// seeded by `seed`.
    fn shuffled_classes(&self, seed: u64) -> Vec<Vec<usize>> {
        let mut members = vec![Vec::new(); self.classes];
        for (i, &label) in self.labels.iter().enumerate() {
            members[label].push(i);
        }
        let mut rng = StdRng::seed_from_u64(seed);
        for class in &mut members {
            class.shuffle(&mut rng);
        }
        members
    }

    /// At most `cap` samples of each class, chosen with `seed` (the rest are dropped), keeping
    /// the original order.
    pub fn cap_per_class(&self, cap: usize, seed: u64) -> Self {
        let mut keep = Vec::new();
        for members in self.shuffled_classes(seed) {
            keep.extend(members.into_iter().take(cap));
        }
        keep.sort_unstable();
        self.subset(&keep)
    }

    /// Number of samples of each class.
    pub fn class_counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.classes];
        for &l in &self.labels {
            counts[l] += 1;
        }
        counts
    }

    /// Deterministic stratified split into (train, validation, test): within each class the
    /// samples are shuffled with `seed`, and the given fractions go to validation and test.
    pub fn split(
        &self,
        valid_fraction: f64,
        test_fraction: f64,
        seed: u64,
    ) -> Result<(Self, Self, Self)> {
        if !(valid_fraction >= 0.0 && test_fraction >= 0.0 && valid_fraction + test_fraction < 1.0)
        {
            return Err(PluginError::Config(format!(
                "split fractions must be >= 0 with valid + test < 1, got {valid_fraction} and {test_fraction}"
            )));
        }
        let (mut train, mut valid, mut test) = (Vec::new(), Vec::new(), Vec::new());
        for members in self.shuffled_classes(seed) {
            let n_test = (members.len() as f64 * test_fraction).round() as usize;
            let n_valid = (members.len() as f64 * valid_fraction).round() as usize;
            test.extend_from_slice(&members[..n_test]);
            valid.extend_from_slice(&members[n_test..n_test + n_valid]);
            train.extend_from_slice(&members[n_test + n_valid..]);
        }
        Ok((self.subset(&train), self.subset(&valid), self.subset(&test)))
    }

    /// A probe batch of `samples` images [samples, C, H, W] drawn without replacement with
    /// `seed`; labels are not used.
    pub fn probe_batch(&self, samples: usize, seed: u64, device: &Device) -> Result<Tensor<4>> {
        let idx = probe_indices(self.len(), samples, seed)?;
        let InputShape { channels, height, width } = self.shape;
        let values = self.subset(&idx).values;
        Ok(Tensor::from_data(TensorData::new(values, [samples, channels, height, width]), device))
    }

    /// A data loader of rank-`D` batches (2: flattened for an MLP, 4: images for a CNN),
    /// shuffled with `seed` each epoch when `shuffle` is set.
    pub fn loader<const D: usize>(
        &self,
        batch_size: usize,
        shuffle: Option<u64>,
    ) -> Arc<dyn DataLoader<ClassificationBatch<D>>> {
        let dataset = InMemDataset::new((0..self.len()).map(|i| self.sample(i)).collect());
        let builder =
            DataLoaderBuilder::new(ImageBatcher { shape: self.shape }).batch_size(batch_size);
        match shuffle {
            Some(seed) => builder.shuffle(seed).build(dataset),
            None => builder.build(dataset),
        }
    }
}

/// Stacks [`LabelledSample`]s into a [`ClassificationBatch`].
#[derive(Debug, Clone)]
struct ImageBatcher {
    shape: InputShape,
}

impl<const D: usize> Batcher<LabelledSample, ClassificationBatch<D>> for ImageBatcher {
    fn batch(&self, items: Vec<LabelledSample>, device: &Device) -> ClassificationBatch<D> {
        let n = items.len();
        let InputShape { channels, height, width } = self.shape;
        let shape: Vec<usize> = if D == 2 {
            vec![n, channels * height * width]
        } else {
            vec![n, channels, height, width]
        };
        let labels: Vec<i64> = items.iter().map(|s| s.label as i64).collect();
        let values: Vec<f32> = items.into_iter().flat_map(|s| s.values).collect();
        ClassificationBatch {
            inputs: Tensor::from_data(TensorData::new(values, shape), device),
            targets: Tensor::<1, Int>::from_data(TensorData::new(labels, [n]), device),
        }
    }
}
