//! The machine-learning potential: readers (extended XYZ, n2p2), symmetry-function descriptors,
//! per-element networks trained on energies and forces, and NEAR for potentials.

pub mod dataset;
pub mod extxyz;
pub mod load;
pub mod model;
pub mod n2p2;
pub mod plots;
pub mod scoring;
pub mod structure;
pub mod symmetry;
pub mod trainer;
