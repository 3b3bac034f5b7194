//! Loading the `[data]` section of a potential sweep into featurised splits.

use super::dataset::PotentialData;
use super::extxyz::{ExtxyzKeys, parse_extxyz};
use super::n2p2::parse_n2p2;
use super::structure::Structure;
use crate::config::{DataConfig, DataSource, PotentialSettings};
use crate::dataset::read_text;
use crate::error::{DataError, Result};
use std::path::Path;

/// Reads the structures of `source` (converted to eV and Angstrom).
pub fn read_structures(source: &DataSource) -> Result<(Vec<Structure>, &Path)> {
    let (path, parsed, units) = match source {
        DataSource::Extxyz { path, energy_key, forces_key, units } => {
            let keys = ExtxyzKeys { energy: energy_key.clone(), forces: forces_key.clone() };
            (path, parse_extxyz(&read_text(path)?, &keys), units)
        }
        DataSource::N2p2 { path, units } => (path, parse_n2p2(&read_text(path)?), units),
        DataSource::Idx { .. } | DataSource::Csv { .. } => {
            unreachable!("image sources are loaded by crate::dataset")
        }
    };
    let structures = parsed.map_err(|e| DataError::invalid(path, e))?;
    if structures.is_empty() {
        return Err(DataError::invalid(path, "no structures in the file"));
    }
    Ok((structures.into_iter().map(|s| units.to_internal(s)).collect(), path))
}

/// Reads, checks, featurises and splits the structures of a potential sweep.
pub fn load_potential_data(
    data: &DataConfig,
    settings: &PotentialSettings,
) -> Result<PotentialData> {
    let (structures, path) = read_structures(&data.source)?;
    if settings.force_weight > 0.0
        && let Some(frame) = structures.iter().position(|s| s.forces.is_none())
    {
        return Err(DataError::invalid(
            path,
            format!(
                "structure {} has no forces, but potential.force_weight = {}; set it to 0 to \
                 train on energies only",
                frame + 1,
                settings.force_weight
            ),
        ));
    }
    PotentialData::new(
        &structures,
        &settings.descriptors,
        data.valid_fraction,
        data.test_fraction,
        data.split_seed,
    )
    .map_err(|e| DataError::invalid(path, e))
}
