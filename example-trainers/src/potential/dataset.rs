//! Structures -> standardised descriptors, reference energies and training batches.
//!
//! Every atom's descriptors are standardised per element and feature with the mean and
//! standard deviation of the training split's atoms of that element (a constant feature keeps
//! scale 1); their position derivatives are divided by the same scale. Reference energies per
//! element are the minimum-norm least-squares fit of the training energies on the element
//! counts; the networks learn what is left.

use super::structure::Structure;
use super::symmetry::{DescriptorSettings, Descriptors, SymmetryFunctions};
use burn::data::dataloader::batcher::Batcher;
use burn::data::dataloader::{DataLoader, DataLoaderBuilder};
use burn::data::dataset::InMemDataset;
use burn::tensor::{Device, Int, Tensor, TensorData};
use faer::Mat;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use std::sync::Arc;

/// One structure ready for training: standardised descriptors, scaled derivatives, targets.
#[derive(Debug, Clone)]
pub struct FeaturizedStructure {
    /// Element index of each atom.
    pub elements: Vec<usize>,
    /// Standardised descriptors [atoms, features].
    pub values: Vec<f32>,
    /// Their derivatives [atoms, features, atoms, 3] (1/Angstrom).
    pub gradients: Vec<f32>,
    /// (energy - reference energies) / atoms (eV).
    pub energy_per_atom: f32,
    /// Reference forces [atoms, 3] (eV/Angstrom); zeros for energy-only data.
    pub forces: Vec<f32>,
}

impl FeaturizedStructure {
    /// Number of atoms.
    pub fn atoms(&self) -> usize {
        self.elements.len()
    }
}

/// Per-element, per-feature standardisation fitted on the training split.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureScaling {
    /// mean[element][feature].
    pub mean: Vec<Vec<f64>>,
    /// scale[element][feature] (standard deviation, or 1 for a constant feature).
    pub scale: Vec<Vec<f64>>,
}

/// Featurised train / validation / test splits of a potential data set.
#[derive(Debug, Clone)]
pub struct PotentialData {
    /// The symmetry functions (and the element order).
    pub symmetry: SymmetryFunctions,
    /// Reference energy per element (eV).
    pub reference_energies: Vec<f64>,
    /// The standardisation.
    pub scaling: FeatureScaling,
    /// Training split.
    pub train: Vec<FeaturizedStructure>,
    /// Validation split.
    pub valid: Vec<FeaturizedStructure>,
    /// Test split.
    pub test: Vec<FeaturizedStructure>,
}

/// Minimum-norm least-squares reference energies from element counts.
fn fit_reference_energies(structures: &[&Structure], symmetry: &SymmetryFunctions) -> Vec<f64> {
    let n = symmetry.elements().len();
    let counts = Mat::from_fn(structures.len(), n, |s, e| {
        let symbol = &symmetry.elements()[e];
        structures[s].species.iter().filter(|x| *x == symbol).count() as f64
    });
    let energies = Mat::from_fn(structures.len(), 1, |s, _| structures[s].energy);
    let pinv = counts.thin_svd().expect("SVD of an element-count matrix").pseudoinverse();
    let solution = pinv * energies;
    (0..n).map(|e| solution[(e, 0)]).collect()
}

fn fit_scaling(
    descriptors: &[(&[usize], &[f64])],
    elements: usize,
    features: usize,
) -> FeatureScaling {
    let mut sum = vec![vec![0.0; features]; elements];
    let mut sum_sq = vec![vec![0.0; features]; elements];
    let mut count = vec![0usize; elements];
    for (species, values) in descriptors {
        for (a, &e) in species.iter().enumerate() {
            count[e] += 1;
            for f in 0..features {
                let v = values[a * features + f];
                sum[e][f] += v;
                sum_sq[e][f] += v * v;
            }
        }
    }
    let mut mean = sum;
    let mut scale = sum_sq;
    for e in 0..elements {
        let n = count[e].max(1) as f64;
        for f in 0..features {
            mean[e][f] /= n;
            let variance = (scale[e][f] / n - mean[e][f] * mean[e][f]).max(0.0);
            scale[e][f] = if variance.sqrt() > 1e-8 { variance.sqrt() } else { 1.0 };
        }
    }
    FeatureScaling { mean, scale }
}

/// Split sizes (train, valid, test) of `n` structures; every split gets at least one.
pub fn split_sizes(
    n: usize,
    valid_fraction: f64,
    test_fraction: f64,
) -> Result<[usize; 3], String> {
    let valid = ((n as f64 * valid_fraction).round() as usize).max(1);
    let test = ((n as f64 * test_fraction).round() as usize).max(1);
    if n < valid + test + 1 {
        return Err(format!(
            "{n} structures are too few for a training, a validation and a test split"
        ));
    }
    Ok([n - valid - test, valid, test])
}

impl PotentialData {
    /// Computes descriptors for `structures`, splits them with `split_seed` into train,
    /// validation and test, and fits the standardisation and reference energies on train.
    pub fn new(
        structures: &[Structure],
        settings: &DescriptorSettings,
        valid_fraction: f64,
        test_fraction: f64,
        split_seed: u64,
    ) -> Result<Self, String> {
        let symbols: Vec<String> = structures.iter().flat_map(|s| s.species.clone()).collect();
        let symmetry = SymmetryFunctions::new(&symbols, settings);
        let [train_n, valid_n, _] = split_sizes(structures.len(), valid_fraction, test_fraction)?;
        let mut order: Vec<usize> = (0..structures.len()).collect();
        order.shuffle(&mut StdRng::seed_from_u64(split_seed));

        let features = symmetry.feature_count();
        let computed: Vec<(Vec<usize>, Descriptors)> = structures
            .iter()
            .map(|s| {
                let species = symmetry.species_indices(&s.species);
                let descriptors = symmetry.compute(&species, &s.positions);
                (species, descriptors)
            })
            .collect();
        let train_idx = &order[..train_n];
        let train_values: Vec<(&[usize], &[f64])> = train_idx
            .iter()
            .map(|&i| (computed[i].0.as_slice(), computed[i].1.values.as_slice()))
            .collect();
        let scaling = fit_scaling(&train_values, symmetry.elements().len(), features);
        let train_structures: Vec<&Structure> = train_idx.iter().map(|&i| &structures[i]).collect();
        let reference_energies = fit_reference_energies(&train_structures, &symmetry);
        let mut data = Self {
            symmetry,
            reference_energies,
            scaling,
            train: Vec::new(),
            valid: Vec::new(),
            test: Vec::new(),
        };
        let split = |range: &[usize]| {
            range
                .iter()
                .map(|&i| data.standardize(&structures[i], &computed[i].0, &computed[i].1))
                .collect()
        };
        let (train, valid, test) = (
            split(&order[..train_n]),
            split(&order[train_n..train_n + valid_n]),
            split(&order[train_n + valid_n..]),
        );
        (data.train, data.valid, data.test) = (train, valid, test);
        Ok(data)
    }

    /// Descriptors, scaled derivatives and targets of one structure, with this data set's
    /// standardisation and reference energies. Every element must be one of the data set's.
    pub fn featurize(&self, s: &Structure) -> FeaturizedStructure {
        let species = self.symmetry.species_indices(&s.species);
        let d = self.symmetry.compute(&species, &s.positions);
        self.standardize(s, &species, &d)
    }

    /// Standardises the descriptors `d` of `s` (atoms of element indices `species`) and attaches
    /// the targets.
    fn standardize(
        &self,
        s: &Structure,
        species: &[usize],
        d: &Descriptors,
    ) -> FeaturizedStructure {
        let features = self.features();
        let atoms = s.len();
        let mut values = vec![0f32; atoms * features];
        let mut gradients = vec![0f32; d.gradients.len()];
        for (a, &e) in species.iter().enumerate() {
            for f in 0..features {
                let (mu, sigma) = (self.scaling.mean[e][f], self.scaling.scale[e][f]);
                values[a * features + f] = ((d.values[a * features + f] - mu) / sigma) as f32;
                let at = (a * features + f) * atoms * 3;
                for (g, &raw) in gradients[at..at + atoms * 3].iter_mut().zip(&d.gradients[at..]) {
                    *g = (raw / sigma) as f32;
                }
            }
        }
        let reference: f64 = species.iter().map(|&e| self.reference_energies[e]).sum();
        FeaturizedStructure {
            elements: species.to_vec(),
            values,
            gradients,
            energy_per_atom: ((s.energy - reference) / atoms as f64) as f32,
            forces: s
                .forces
                .as_ref()
                .map(|f| f.iter().flatten().map(|&x| x as f32).collect())
                .unwrap_or_else(|| vec![0.0; atoms * 3]),
        }
    }

    /// Features per atom (the input width of every element's network).
    pub fn features(&self) -> usize {
        self.symmetry.feature_count()
    }

    /// Standardised descriptors of up to `samples` training atoms of each element, drawn with
    /// `seed`: one [atoms, features] tensor per element, for NEAR.
    pub fn probe_batches(
        &self,
        samples: usize,
        seed: u64,
        device: &Device,
    ) -> Result<Vec<Tensor<2>>, String> {
        let features = self.features();
        (0..self.symmetry.elements().len())
            .map(|e| {
                let rows: Vec<&[f32]> = self
                    .train
                    .iter()
                    .flat_map(|s| {
                        s.elements
                            .iter()
                            .enumerate()
                            .filter(move |(_, x)| **x == e)
                            .map(move |(a, _)| &s.values[a * features..(a + 1) * features])
                    })
                    .collect();
                let wanted = samples.min(rows.len());
                let idx = near_burn_plugin::probe_indices(rows.len(), wanted, seed)
                    .map_err(|e| e.to_string())?;
                let values: Vec<f32> = idx.iter().flat_map(|&i| rows[i].iter().copied()).collect();
                Ok(Tensor::from_data(TensorData::new(values, [wanted, features]), device))
            })
            .collect()
    }

    /// One batch of `structures`.
    pub fn batch(&self, structures: &[FeaturizedStructure], device: &Device) -> PotentialBatch {
        self.batcher().batch(structures.to_vec(), device)
    }

    fn batcher(&self) -> PotentialBatcher {
        PotentialBatcher { elements: self.symmetry.elements().len(), features: self.features() }
    }

    /// A loader of training batches of `batch_size` structures, shuffled with `shuffle`.
    pub fn loader(
        &self,
        split: &[FeaturizedStructure],
        batch_size: usize,
        shuffle: Option<u64>,
    ) -> Arc<dyn DataLoader<PotentialBatch>> {
        let builder = DataLoaderBuilder::new(self.batcher()).batch_size(batch_size);
        let dataset = InMemDataset::new(split.to_vec());
        match shuffle {
            Some(seed) => builder.shuffle(seed).build(dataset),
            None => builder.build(dataset),
        }
    }
}

/// The atoms of one element in a batch.
#[derive(Debug, Clone)]
pub struct ElementBatch {
    /// Element index.
    pub element: usize,
    /// Standardised descriptors [n, features].
    pub values: Tensor<2>,
    /// Derivatives [n, features, 3 * max_atoms], zero-padded for smaller structures.
    pub gradients: Tensor<3>,
    /// Where each of the n * 3 * max_atoms derivative columns adds into the batch's force
    /// vector (padding goes to a spare last slot).
    pub force_index: Tensor<1, Int>,
    /// Structure (in the batch) of each atom, [n].
    pub structure_index: Tensor<1, Int>,
}

/// A batch of structures.
#[derive(Debug, Clone)]
pub struct PotentialBatch {
    /// Atoms grouped by element (elements absent from the batch are left out).
    pub elements: Vec<ElementBatch>,
    /// Atoms per structure, [structures, 1].
    pub atoms: Tensor<2>,
    /// Reference energy per atom, [structures, 1].
    pub energy_per_atom: Tensor<2>,
    /// Reference force components, [3 * total atoms].
    pub forces: Tensor<1>,
}

/// The rows of one element's atoms while a batch is assembled (see [`ElementBatch`]).
#[derive(Debug, Clone, Default)]
struct ElementRows {
    values: Vec<f32>,
    gradients: Vec<f32>,
    force_index: Vec<i64>,
    structure_index: Vec<i64>,
}

/// Groups structures' atoms by element into a [`PotentialBatch`].
#[derive(Debug, Clone)]
struct PotentialBatcher {
    elements: usize,
    features: usize,
}

impl Batcher<FeaturizedStructure, PotentialBatch> for PotentialBatcher {
    fn batch(&self, items: Vec<FeaturizedStructure>, device: &Device) -> PotentialBatch {
        let features = self.features;
        let max_atoms = items.iter().map(|s| s.atoms()).max().unwrap_or(0);
        let width = 3 * max_atoms;
        let total_atoms: usize = items.iter().map(|s| s.atoms()).sum();
        let spare = (3 * total_atoms) as i64;
        let mut groups = vec![ElementRows::default(); self.elements];
        let mut offset = 0;
        for (s, item) in items.iter().enumerate() {
            let atoms = item.atoms();
            for (a, &e) in item.elements.iter().enumerate() {
                let ElementRows { values, gradients, force_index, structure_index } =
                    &mut groups[e];
                values.extend_from_slice(&item.values[a * features..(a + 1) * features]);
                for f in 0..features {
                    let at = (a * features + f) * atoms * 3;
                    gradients.extend_from_slice(&item.gradients[at..at + atoms * 3]);
                    gradients.extend(std::iter::repeat_n(0.0, width - atoms * 3));
                }
                force_index.extend(
                    (0..width).map(|k| if k < atoms * 3 { (offset * 3 + k) as i64 } else { spare }),
                );
                structure_index.push(s as i64);
            }
            offset += atoms;
        }
        let elements = groups
            .into_iter()
            .enumerate()
            .filter(|(_, g)| !g.structure_index.is_empty())
            .map(|(element, ElementRows { values, gradients, force_index, structure_index })| {
                let n = structure_index.len();
                ElementBatch {
                    element,
                    values: Tensor::from_data(TensorData::new(values, [n, features]), device),
                    gradients: Tensor::from_data(
                        TensorData::new(gradients, [n, features, width]),
                        device,
                    ),
                    force_index: Tensor::from_data(
                        TensorData::new(force_index, [n * width]),
                        device,
                    ),
                    structure_index: Tensor::from_data(
                        TensorData::new(structure_index, [n]),
                        device,
                    ),
                }
            })
            .collect();
        let s = items.len();
        let column = |f: &dyn Fn(&FeaturizedStructure) -> f32| {
            Tensor::from_data(
                TensorData::new(items.iter().map(f).collect::<Vec<f32>>(), [s, 1]),
                device,
            )
        };
        PotentialBatch {
            elements,
            atoms: column(&|i| i.atoms() as f32),
            energy_per_atom: column(&|i| i.energy_per_atom),
            forces: Tensor::from_data(
                TensorData::new(
                    items.iter().flat_map(|i| i.forces.iter().copied()).collect::<Vec<f32>>(),
                    [3 * total_atoms],
                ),
                device,
            ),
        }
    }
}
