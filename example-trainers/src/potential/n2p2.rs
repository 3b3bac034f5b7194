//! n2p2's `input.data`: `begin`, `comment`, `atom x y z element charge n fx fy fz` lines,
//! `energy E`, `charge Q`, `end`. Non-periodic structures only (`lattice` is refused).

use super::structure::{Structure, parse_number};

/// Parses every structure of an n2p2 `input.data` text. Errors name the line and what was
/// expected.
pub fn parse_n2p2(text: &str) -> Result<Vec<Structure>, String> {
    let mut frames = Vec::new();
    let mut current: Option<(usize, Structure, Option<f64>)> = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let fields: Vec<&str> = line.split_whitespace().collect();
        let Some(&keyword) = fields.first() else { continue };
        match (keyword, current.as_mut()) {
            ("begin", None) => {
                let empty = Structure {
                    species: Vec::new(),
                    positions: Vec::new(),
                    energy: 0.0,
                    forces: Some(Vec::new()),
                };
                current = Some((number, empty, None));
            }
            ("begin", Some((start, ..))) => {
                return Err(format!("line {number}: begin inside the structure of line {start}"));
            }
            ("end", Some(_)) => {
                let (start, mut s, energy) = current.take().expect("inside a structure");
                s.energy = energy.ok_or(format!(
                    "line {number}: the structure of line {start} has no energy line"
                ))?;
                if s.is_empty() {
                    return Err(format!(
                        "line {number}: the structure of line {start} has no atoms"
                    ));
                }
                frames.push(s);
            }
            ("comment", Some(_)) | ("charge", Some(_)) => {}
            ("lattice", Some(_)) => {
                return Err(format!(
                    "line {number}: periodic structures (lattice) are not supported"
                ));
            }
            ("energy", Some((_, _, energy))) => {
                let value =
                    fields.get(1).ok_or(format!("line {number}: energy without a value"))?;
                *energy = Some(parse_number(value, number, "energy")?);
            }
            ("atom", Some((_, s, _))) => {
                if fields.len() != 10 {
                    return Err(format!(
                        "line {number}: expected `atom x y z element charge n fx fy fz` (10 fields), got {}",
                        fields.len()
                    ));
                }
                let v = |k: usize, what: &str| -> Result<[f64; 3], String> {
                    Ok([
                        parse_number(fields[k], number, what)?,
                        parse_number(fields[k + 1], number, what)?,
                        parse_number(fields[k + 2], number, what)?,
                    ])
                };
                s.positions.push(v(1, "position")?);
                s.species.push(fields[4].to_string());
                s.forces.as_mut().expect("n2p2 structures carry forces").push(v(7, "force")?);
            }
            (other, None) => {
                return Err(format!("line {number}: expected `begin`, got {other:?}"));
            }
            (other, Some(_)) => {
                return Err(format!(
                    "line {number}: unknown keyword {other:?} (expected atom, energy, charge, comment, lattice or end)"
                ));
            }
        }
    }
    if let Some((start, ..)) = current {
        return Err(format!("the structure of line {start} has no `end` (file truncated?)"));
    }
    Ok(frames)
}
