//! Extended XYZ (the ASE convention): frames of `atom count`, `key=value` comment line with a
//! `Properties=` column layout, then one line per atom. Non-periodic structures only.

use super::structure::{Structure, parse_number};
/// Which keys hold the reference data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtxyzKeys {
    /// Comment-line key of the total energy (default `energy`).
    pub energy: String,
    /// `Properties` column of the forces (default `forces`). Frames without it have no forces.
    pub forces: String,
}

impl Default for ExtxyzKeys {
    fn default() -> Self {
        Self { energy: "energy".into(), forces: "forces".into() }
    }
}

/// Splits the comment line into `key=value` pairs; values may be double-quoted (with `\"`
/// escapes) and keys without `=` are flags with the value `T`.
fn comment_pairs(line: &str, number: usize) -> Result<Vec<(String, String)>, String> {
    let mut pairs = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(_) = chars.peek() else { return Ok(pairs) };
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != '=') {
            key.push(c);
        }
        if chars.next_if_eq(&'=').is_none() {
            pairs.push((key, "T".into()));
            continue;
        }
        let mut value = String::new();
        if chars.next_if_eq(&'"').is_some() {
            loop {
                match chars.next() {
                    Some('\\') => value.extend(chars.next()),
                    Some('"') => break,
                    Some(c) => value.push(c),
                    None => return Err(format!("line {number}: unterminated quote in {key}=")),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                value.push(c);
            }
        }
        pairs.push((key, value));
    }
}

/// A `Properties=` column: name, first column, number of columns.
struct Column {
    name: String,
    start: usize,
    count: usize,
}

fn columns(properties: &str, number: usize) -> Result<(Vec<Column>, usize), String> {
    let fields: Vec<&str> = properties.split(':').collect();
    if !fields.len().is_multiple_of(3) {
        return Err(format!(
            "line {number}: Properties={properties:?} is not a list of name:type:count triples"
        ));
    }
    let mut out = Vec::new();
    let mut start = 0;
    for triple in fields.chunks(3) {
        let count: usize = triple[2].parse().map_err(|_| {
            format!("line {number}: Properties column {} has count {:?}", triple[0], triple[2])
        })?;
        out.push(Column { name: triple[0].to_string(), start, count });
        start += count;
    }
    Ok((out, start))
}

fn find<'a>(columns: &'a [Column], name: &str, count: usize) -> Option<&'a Column> {
    columns.iter().find(|c| c.name == name && c.count == count)
}

/// Parses every frame of an extended XYZ text. Errors name the line and what was expected.
pub fn parse_extxyz(text: &str, keys: &ExtxyzKeys) -> Result<Vec<Structure>, String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut frames = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim().is_empty() {
            i += 1;
            continue;
        }
        let header = i + 1;
        let atoms: usize = lines[i].trim().parse().map_err(|_| {
            format!("line {header}: expected the atom count of a frame, got {:?}", lines[i].trim())
        })?;
        if atoms == 0 {
            return Err(format!("line {header}: a frame has no atoms"));
        }
        let comment =
            lines.get(i + 1).ok_or(format!("line {}: missing comment line", header + 1))?;
        let pairs = comment_pairs(comment, header + 1)?;
        let get = |k: &str| pairs.iter().find(|(key, _)| key.eq_ignore_ascii_case(k));
        if let Some((_, pbc)) = get("pbc")
            && pbc.split_whitespace().any(|p| p != "F" && p != "False" && p != "0")
        {
            return Err(format!(
                "line {}: periodic structures (pbc={pbc:?}) are not supported",
                header + 1
            ));
        }
        let energy = match get(&keys.energy) {
            Some((_, v)) => parse_number(v, header + 1, &format!("{}=", keys.energy))?,
            None => {
                return Err(format!("line {}: no energy key {:?}", header + 1, keys.energy));
            }
        };
        let properties =
            get("Properties").map(|(_, v)| v.as_str()).unwrap_or("species:S:1:pos:R:3");
        let (cols, width) = columns(properties, header + 1)?;
        let species_col = find(&cols, "species", 1)
            .ok_or(format!("line {}: Properties has no species:S:1 column", header + 1))?;
        let pos_col = find(&cols, "pos", 3)
            .ok_or(format!("line {}: Properties has no pos:R:3 column", header + 1))?;
        let forces_col = find(&cols, &keys.forces, 3);
        let mut s = Structure {
            species: Vec::with_capacity(atoms),
            positions: Vec::with_capacity(atoms),
            energy,
            forces: forces_col.map(|_| Vec::with_capacity(atoms)),
        };
        for a in 0..atoms {
            let number = header + 2 + a;
            let line = lines.get(i + 2 + a).ok_or(format!(
                "line {number}: the frame starting at line {header} ends after {a} of {atoms} atoms"
            ))?;
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.len() != width {
                return Err(format!(
                    "line {number}: expected {width} columns ({properties}), got {}",
                    fields.len()
                ));
            }
            let vector = |c: &Column, what: &str| -> Result<[f64; 3], String> {
                let mut v = [0.0; 3];
                for (k, x) in v.iter_mut().enumerate() {
                    *x = parse_number(fields[c.start + k], number, what)?;
                }
                Ok(v)
            };
            s.species.push(fields[species_col.start].to_string());
            s.positions.push(vector(pos_col, "position")?);
            if let (Some(c), Some(f)) = (forces_col, s.forces.as_mut()) {
                f.push(vector(c, "force")?);
            }
        }
        frames.push(s);
        i += 2 + atoms;
    }
    Ok(frames)
}
