//! Loading the `[data]` section into capped, split classification data.

use crate::config::{DataConfig, DataSource};
use crate::error::{DataError, Result};
use crate::idx::{read_images, read_labels, read_maybe_gzip};
use near_burn_plugin::{ClassificationData, InputShape};
use std::path::Path;

/// Train, validation and test splits of one labelled file.
#[derive(Debug, Clone)]
pub struct Splits {
    /// Training split (the probe batch is drawn from it).
    pub train: ClassificationData,
    /// Validation split (early stopping).
    pub valid: ClassificationData,
    /// Test split (reported losses).
    pub test: ClassificationData,
}

/// A text file, gzip or plain.
pub(crate) fn read_text(path: &Path) -> Result<String> {
    String::from_utf8(read_maybe_gzip(path)?)
        .map_err(|e| DataError::invalid(path, format!("not UTF-8 text: {e}")))
}

fn load_csv(
    path: &Path,
    height: usize,
    width: usize,
    max_pixel: f32,
) -> Result<ClassificationData> {
    let text = read_text(path)?;
    let features = height * width;
    let (mut values, mut labels) = (Vec::new(), Vec::new());
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split(',').collect();
        if fields.len() != features + 1 {
            return Err(DataError::invalid(
                path,
                format!(
                    "line {}: expected {} comma-separated values ({height}x{width} pixels, then the label), got {}",
                    n + 1,
                    features + 1,
                    fields.len()
                ),
            ));
        }
        for f in &fields[..features] {
            let v: f32 = f.trim().parse().map_err(|_| {
                DataError::invalid(path, format!("line {}: pixel {f:?} is not a number", n + 1))
            })?;
            values.push(v / max_pixel);
        }
        let label = fields[features].trim();
        labels.push(label.parse::<usize>().map_err(|_| {
            DataError::invalid(
                path,
                format!("line {}: label {label:?} is not a non-negative integer", n + 1),
            )
        })?);
    }
    to_data(path, InputShape { channels: 1, height, width }, values, labels)
}

fn load_idx(images: &Path, labels: &Path, transposed: bool) -> Result<ClassificationData> {
    let mut imgs = read_images(images)?;
    let lbls = read_labels(labels)?;
    if imgs.count != lbls.len() {
        return Err(DataError::invalid(
            labels,
            format!("{} labels but {} holds {} images", lbls.len(), images.display(), imgs.count),
        ));
    }
    if transposed {
        imgs.transpose();
    }
    let values = imgs.pixels.iter().map(|&p| f32::from(p) / 255.0).collect();
    let shape = InputShape { channels: 1, height: imgs.rows, width: imgs.cols };
    to_data(labels, shape, values, lbls.into_iter().map(usize::from).collect())
}

fn to_data(
    path: &Path,
    shape: InputShape,
    values: Vec<f32>,
    labels: Vec<usize>,
) -> Result<ClassificationData> {
    if labels.is_empty() {
        return Err(DataError::invalid(path, "no samples"));
    }
    let classes = labels.iter().max().map_or(0, |m| m + 1);
    ClassificationData::new(shape, classes, values, labels)
        .map_err(|e| DataError::invalid(path, e.to_string()))
}

/// Reads the data, applies the per-class cap, and splits it (stratified, deterministic).
pub fn load_splits(config: &DataConfig) -> Result<Splits> {
    let (data, path) = match &config.source {
        DataSource::Idx { images, labels, transposed } => {
            (load_idx(images, labels, *transposed)?, labels)
        }
        DataSource::Csv { path, height, width, max_pixel } => {
            (load_csv(path, *height, *width, *max_pixel)?, path)
        }
        DataSource::Extxyz { path, .. } | DataSource::N2p2 { path, .. } => {
            return Err(DataError::invalid(path, "holds structures for a potential, not images"));
        }
    };
    let data = match config.cap_per_class {
        Some(cap) => data.cap_per_class(cap, config.split_seed),
        None => data,
    };
    let (train, valid, test) = data
        .split(config.valid_fraction, config.test_fraction, config.split_seed)
        .map_err(|e| DataError::invalid(path, e.to_string()))?;
    Ok(Splits { train, valid, test })
}
