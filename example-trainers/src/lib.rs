//! # example-trainers
//!
//! The `near` program and what it runs: IDX and CSV image data, a classifier trainer on top of
//! near-burn-plugin, sweeps from one TOML file, reports and plots.

pub mod classifier;
pub mod config;
pub mod dataset;
pub mod error;
pub mod idx;
pub mod potential;
pub mod report;
pub mod seed_log;
pub mod sweep;
pub mod widths;
