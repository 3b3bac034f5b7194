//! Molecular structures with reference energies and forces, and the units they are read in.

use serde::Deserialize;

/// One structure: atoms, their positions, the total energy and (optionally) the forces, in eV
/// and Angstrom once read.
#[derive(Debug, Clone, PartialEq)]
pub struct Structure {
    /// Element symbol of each atom.
    pub species: Vec<String>,
    /// Cartesian positions (Angstrom).
    pub positions: Vec<[f64; 3]>,
    /// Total energy (eV).
    pub energy: f64,
    /// Forces -dE/dR (eV/Angstrom), when the data has them.
    pub forces: Option<Vec<[f64; 3]>>,
}

impl Structure {
    /// Number of atoms.
    pub fn len(&self) -> usize {
        self.species.len()
    }

    /// Whether the structure has no atoms.
    pub fn is_empty(&self) -> bool {
        self.species.is_empty()
    }
}

/// Energy unit of a data file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
pub enum EnergyUnit {
    /// Electronvolt (the default, and the unit used inside).
    #[default]
    #[serde(rename = "eV")]
    ElectronVolt,
    /// Millielectronvolt.
    #[serde(rename = "meV")]
    MilliElectronVolt,
    /// Hartree.
    #[serde(rename = "Hartree")]
    Hartree,
    /// Kilocalorie per mole.
    #[serde(rename = "kcal/mol")]
    KcalPerMol,
    /// Kilojoule per mole.
    #[serde(rename = "kJ/mol")]
    KjPerMol,
}

impl EnergyUnit {
    /// Electronvolts per unit.
    pub fn in_ev(self) -> f64 {
        match self {
            Self::ElectronVolt => 1.0,
            Self::MilliElectronVolt => 1e-3,
            Self::Hartree => 27.211386245988,
            Self::KcalPerMol => 0.0433641043,
            Self::KjPerMol => 0.0103642688,
        }
    }
}

/// Length unit of a data file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
pub enum LengthUnit {
    /// Angstrom (the default, and the unit used inside).
    #[default]
    Angstrom,
    /// Bohr radius.
    Bohr,
}

impl LengthUnit {
    /// Angstrom per unit.
    pub fn in_angstrom(self) -> f64 {
        match self {
            Self::Angstrom => 1.0,
            Self::Bohr => 0.529177210903,
        }
    }
}

/// The units of a data file; values are converted to eV and Angstrom when read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Units {
    /// Energy unit (forces are in energy unit per length unit); default eV.
    #[serde(default)]
    pub energy: EnergyUnit,
    /// Length unit; default Angstrom.
    #[serde(default)]
    pub length: LengthUnit,
}

impl Units {
    /// Converts a structure read in these units to eV and Angstrom.
    pub fn to_internal(self, mut s: Structure) -> Structure {
        let (e, l) = (self.energy.in_ev(), self.length.in_angstrom());
        s.energy *= e;
        for p in &mut s.positions {
            p.iter_mut().for_each(|x| *x *= l);
        }
        for f in s.forces.iter_mut().flatten() {
            f.iter_mut().for_each(|x| *x *= e / l);
        }
        s
    }
}

/// Parses `token` as a finite number, or says which line and field it was.
pub(crate) fn parse_number(token: &str, line: usize, what: &str) -> Result<f64, String> {
    token
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("line {line}: {what} {token:?} is not a finite number"))
}
