//! Behler atom-centred symmetry functions with a cosine cutoff, resolved by neighbour element,
//! and their analytic derivatives with respect to every atom position.
//!
//! For atom i with neighbours j, k inside the cutoff r_c, f_c(r) = (cos(pi r / r_c) + 1) / 2:
//! - radial G2 (one per neighbour element and shift r_s):
//!   G2_i = sum_j exp(-eta (r_ij - r_s)^2) f_c(r_ij);
//! - angular G4 (one per unordered neighbour-element pair and (eta, zeta, lambda)):
//!   G4_i = 2^(1-zeta) sum_{j<k} (1 + lambda cos theta_ijk)^zeta
//!   exp(-eta (r_ij^2 + r_ik^2 + r_jk^2)) f_c(r_ij) f_c(r_ik) f_c(r_jk),
//!   each unordered pair {j, k} counted once (as n2p2 does).

use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

/// How the default parameter set is generated; every field has a default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DescriptorSettings {
    /// Cutoff radius r_c (Angstrom); default 6.
    #[serde(default = "default_cutoff")]
    pub cutoff: f64,
    /// Radial functions per neighbour element; default 8. Their shifts r_s are spaced evenly
    /// from `radial_start` to r_c - spacing, with eta = 1 / (2 spacing^2), so neighbouring
    /// Gaussians overlap at one standard deviation.
    #[serde(default = "default_radial")]
    pub radial: usize,
    /// First radial shift (Angstrom); default 0.8.
    #[serde(default = "default_radial_start")]
    pub radial_start: f64,
    /// Angular widths eta (1/Angstrom^2); default [0.005, 0.05].
    #[serde(default = "default_angular_eta")]
    pub angular_eta: Vec<f64>,
    /// Angular exponents zeta; default [1, 4]. Each is used with lambda = -1 and +1.
    #[serde(default = "default_zeta")]
    pub zeta: Vec<f64>,
}

fn default_cutoff() -> f64 {
    6.0
}
fn default_radial() -> usize {
    8
}
fn default_radial_start() -> f64 {
    0.8
}
fn default_angular_eta() -> Vec<f64> {
    vec![0.005, 0.05]
}
fn default_zeta() -> Vec<f64> {
    vec![1.0, 4.0]
}

impl Default for DescriptorSettings {
    fn default() -> Self {
        Self {
            cutoff: default_cutoff(),
            radial: default_radial(),
            radial_start: default_radial_start(),
            angular_eta: default_angular_eta(),
            zeta: default_zeta(),
        }
    }
}

impl DescriptorSettings {
    /// Checks the values; the message names the key.
    pub fn validate(&self) -> Result<(), String> {
        if !(self.cutoff > 0.0 && self.cutoff.is_finite()) {
            return Err(format!(
                "potential.descriptors.cutoff must be positive, got {}",
                self.cutoff
            ));
        }
        if self.radial == 0 {
            return Err("potential.descriptors.radial must be at least 1".into());
        }
        if !(0.0..self.cutoff).contains(&self.radial_start) {
            return Err(format!(
                "potential.descriptors.radial_start must lie in [0, cutoff), got {}",
                self.radial_start
            ));
        }
        if self.angular_eta.iter().any(|e| e.is_nan() || *e < 0.0)
            || self.zeta.iter().any(|z| z.is_nan() || *z < 1.0)
        {
            return Err("potential.descriptors: angular_eta must be >= 0 and zeta >= 1".into());
        }
        Ok(())
    }
}

/// One radial function.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Radial {
    eta: f64,
    shift: f64,
}

/// One angular function.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Angular {
    eta: f64,
    zeta: f64,
    lambda: f64,
}

/// A complete symmetry-function set for a list of elements.
#[derive(Debug, Clone, PartialEq)]
pub struct SymmetryFunctions {
    elements: Vec<String>,
    cutoff: f64,
    radial: Vec<Radial>,
    angular: Vec<Angular>,
}

/// Descriptors of one structure: values [atoms, features] and their derivatives with respect
/// to the positions, [atoms, features, atoms, 3], row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Descriptors {
    /// Atoms in the structure.
    pub atoms: usize,
    /// Features per atom.
    pub features: usize,
    /// G[i][f].
    pub values: Vec<f64>,
    /// dG[i][f] / dR[j][d].
    pub gradients: Vec<f64>,
}

impl Descriptors {
    fn new(atoms: usize, features: usize) -> Self {
        Self {
            atoms,
            features,
            values: vec![0.0; atoms * features],
            gradients: vec![0.0; atoms * features * atoms * 3],
        }
    }

    fn add_gradient(&mut self, atom: usize, feature: usize, wrt: usize, g: [f64; 3]) {
        let at = ((atom * self.features + feature) * self.atoms + wrt) * 3;
        for (slot, value) in self.gradients[at..at + 3].iter_mut().zip(g) {
            *slot += value;
        }
    }
}

fn sub(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

fn scaled(a: [f64; 3], s: f64) -> [f64; 3] {
    [a[0] * s, a[1] * s, a[2] * s]
}

fn add(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
}

impl SymmetryFunctions {
    /// The default set for `elements` (sorted and deduplicated here) from `settings`.
    pub fn new(elements: &[String], settings: &DescriptorSettings) -> Self {
        let mut elements = elements.to_vec();
        elements.sort();
        elements.dedup();
        let n = settings.radial;
        let spacing = (settings.cutoff - settings.radial_start) / n as f64;
        let radial = (0..n)
            .map(|k| Radial {
                eta: 1.0 / (2.0 * spacing * spacing),
                shift: settings.radial_start + k as f64 * spacing,
            })
            .collect();
        let mut angular = Vec::new();
        for &eta in &settings.angular_eta {
            for &zeta in &settings.zeta {
                for lambda in [-1.0, 1.0] {
                    angular.push(Angular { eta, zeta, lambda });
                }
            }
        }
        Self { elements, cutoff: settings.cutoff, radial, angular }
    }

    /// The elements, sorted: networks and reference energies follow this order.
    pub fn elements(&self) -> &[String] {
        &self.elements
    }

    /// Index of `symbol` in [`Self::elements`].
    pub fn element_index(&self, symbol: &str) -> Option<usize> {
        self.elements.iter().position(|e| e == symbol)
    }

    /// Element indices of `symbols`; every symbol must be one of [`Self::elements`].
    pub fn species_indices(&self, symbols: &[String]) -> Vec<usize> {
        symbols
            .iter()
            .map(|x| {
                self.element_index(x)
                    .unwrap_or_else(|| panic!("element {x} is not in {:?}", self.elements))
            })
            .collect()
    }

    fn pair_count(&self) -> usize {
        self.elements.len() * (self.elements.len() + 1) / 2
    }

    /// Index of the unordered element pair {a, b}.
    fn pair_index(&self, a: usize, b: usize) -> usize {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let n = self.elements.len();
        lo * n - lo * lo.saturating_sub(1) / 2 + (hi - lo)
    }

    /// Features per atom: radial per element, then angular per element pair.
    pub fn feature_count(&self) -> usize {
        self.elements.len() * self.radial.len() + self.pair_count() * self.angular.len()
    }

    fn cutoff_function(&self, r: f64) -> (f64, f64) {
        let x = PI * r / self.cutoff;
        (0.5 * (x.cos() + 1.0), -0.5 * PI / self.cutoff * x.sin())
    }

    /// Descriptors and their position derivatives for atoms of element indices `species` at
    /// `positions` (Angstrom).
    pub fn compute(&self, species: &[usize], positions: &[[f64; 3]]) -> Descriptors {
        let atoms = positions.len();
        let mut out = Descriptors::new(atoms, self.feature_count());
        let angular_offset = self.elements.len() * self.radial.len();
        for i in 0..atoms {
            for j in (0..atoms).filter(|&j| j != i) {
                let a = sub(positions[j], positions[i]);
                let ra = dot(a, a).sqrt();
                if ra >= self.cutoff {
                    continue;
                }
                self.add_radial(&mut out, i, j, species[j], a, ra);
                for k in (j + 1..atoms).filter(|&k| k != i) {
                    let b = sub(positions[k], positions[i]);
                    let c = sub(positions[k], positions[j]);
                    let (rb, rc) = (dot(b, b).sqrt(), dot(c, c).sqrt());
                    if rb >= self.cutoff || rc >= self.cutoff {
                        continue;
                    }
                    let offset = angular_offset
                        + self.pair_index(species[j], species[k]) * self.angular.len();
                    self.add_angular(&mut out, [i, j, k], offset, [a, b, c], [ra, rb, rc]);
                }
            }
        }
        out
    }

    fn add_radial(
        &self,
        out: &mut Descriptors,
        i: usize,
        j: usize,
        element: usize,
        a: [f64; 3],
        r: f64,
    ) {
        let (fc, dfc) = self.cutoff_function(r);
        for (p, f) in self.radial.iter().zip(element * self.radial.len()..) {
            let g = (-p.eta * (r - p.shift).powi(2)).exp();
            out.values[i * out.features + f] += g * fc;
            let d_dr = g * (dfc - 2.0 * p.eta * (r - p.shift) * fc);
            let along = scaled(a, d_dr / r);
            out.add_gradient(i, f, j, along);
            out.add_gradient(i, f, i, scaled(along, -1.0));
        }
    }

    /// One angular triple: atoms [i, j, k], vectors a = R_j - R_i, b = R_k - R_i, c = R_k - R_j
    /// and their lengths.
    fn add_angular(
        &self,
        out: &mut Descriptors,
        [i, j, k]: [usize; 3],
        offset: usize,
        [a, b, c]: [[f64; 3]; 3],
        [ra, rb, rc]: [f64; 3],
    ) {
        let cos = (dot(a, b) / (ra * rb)).clamp(-1.0, 1.0);
        let dcos_da = add(scaled(b, 1.0 / (ra * rb)), scaled(a, -cos / (ra * ra)));
        let dcos_db = add(scaled(a, 1.0 / (ra * rb)), scaled(b, -cos / (rb * rb)));
        let cut = [ra, rb, rc].map(|r| self.cutoff_function(r));
        for (p, f) in self.angular.iter().zip(offset..) {
            // radial factor R(r) = exp(-eta r^2) fc(r) and its derivative, for a, b, c
            let radial = [ra, rb, rc].map(|r| (-p.eta * r * r).exp());
            let rf: [f64; 3] = std::array::from_fn(|n| radial[n] * cut[n].0);
            let drf: [f64; 3] = std::array::from_fn(|n| {
                radial[n] * (cut[n].1 - 2.0 * p.eta * [ra, rb, rc][n] * cut[n].0)
            });
            let base = (1.0 + p.lambda * cos).max(0.0);
            let norm = 2f64.powf(1.0 - p.zeta);
            let angle = base.powf(p.zeta);
            let dangle = p.zeta * p.lambda * base.powf(p.zeta - 1.0);
            let product = rf[0] * rf[1] * rf[2];
            out.values[i * out.features + f] += norm * angle * product;
            let d_a = add(
                scaled(dcos_da, norm * dangle * product),
                scaled(a, norm * angle * drf[0] * rf[1] * rf[2] / ra),
            );
            let d_b = add(
                scaled(dcos_db, norm * dangle * product),
                scaled(b, norm * angle * rf[0] * drf[1] * rf[2] / rb),
            );
            let d_c = scaled(c, norm * angle * rf[0] * rf[1] * drf[2] / rc);
            out.add_gradient(i, f, i, scaled(add(d_a, d_b), -1.0));
            out.add_gradient(i, f, j, sub(d_a, d_c));
            out.add_gradient(i, f, k, add(d_b, d_c));
        }
    }
}
