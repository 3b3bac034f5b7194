//! Convolutional feature maps as NEAR matrices (DESIGN §3.3).

use crate::error::{NearError, Result};
use crate::matrix::{Element, Matrix};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Shape of a convolution output in burn's layout [batch, channels, height, width].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureMapShape {
    /// Batch size B.
    pub batch: usize,
    /// Channels C (the "neurons" of a convolution).
    pub channels: usize,
    /// Height H.
    pub height: usize,
    /// Width W.
    pub width: usize,
}

impl FeatureMapShape {
    /// Number of values B * C * H * W.
    pub fn len(&self) -> usize {
        self.batch * self.channels * self.height * self.width
    }

    /// True when any dimension is zero.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Turns a [B, C, H, W] feature map (row-major `data`) into the C x C matrix that NEAR scores:
/// permute to [B, W, H, C], flatten the first three axes (row index `(b*W + w)*H + h`), and take
/// C contiguous rows starting at a row that is a multiple of W, chosen uniformly with `seed`.
///
/// Fails when the map has fewer than C rows (B*W*H < C) or `data` does not match `shape`.
pub fn feature_map_matrix<T: Element>(
    data: &[T],
    shape: FeatureMapShape,
    seed: u64,
) -> Result<Matrix<T>> {
    let FeatureMapShape { batch, channels, height, width } = shape;
    if shape.is_empty() {
        return Err(NearError::EmptyMatrix { rows: batch * width * height, cols: channels });
    }
    if data.len() != shape.len() {
        return Err(NearError::ShapeMismatch(format!(
            "feature map {batch}x{channels}x{height}x{width} needs {} values, got {}",
            shape.len(),
            data.len()
        )));
    }
    let total_rows = batch * width * height;
    if total_rows < channels {
        return Err(NearError::InsufficientSamples {
            layer: 0,
            needed: channels.div_ceil(width * height),
            available: batch,
        });
    }
    let last_block = (total_rows - channels) / width;
    let start = width * StdRng::seed_from_u64(seed).random_range(0..=last_block);
    Matrix::from_fn(channels, channels, |r, c| {
        let row = start + r;
        let (bw, h) = (row / height, row % height);
        let (b, w) = (bw / width, bw % width);
        data[((b * channels + c) * height + h) * width + w]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(b: usize, c: usize, h: usize, w: usize) -> f64 {
        (b * 1000 + c * 100 + h * 10 + w) as f64
    }

    #[test]
    fn rows_follow_the_permuted_layout() {
        let shape = FeatureMapShape { batch: 2, channels: 3, height: 2, width: 2 };
        let mut data = vec![0.0; shape.len()];
        for b in 0..2 {
            for c in 0..3 {
                for h in 0..2 {
                    for w in 0..2 {
                        data[((b * 3 + c) * 2 + h) * 2 + w] = encode(b, c, h, w);
                    }
                }
            }
        }
        for seed in 0..20 {
            let m = feature_map_matrix(&data, shape, seed).unwrap();
            let first = m.data()[0] as usize;
            // Column 0 holds channel 0; the start row is a multiple of W = 2.
            let (b, h, w) = (first / 1000, (first / 10) % 10, first % 10);
            let row = (b * 2 + w) * 2 + h;
            assert_eq!(row % 2, 0);
            for r in 0..3 {
                let row = row + r;
                let (bw, h) = (row / 2, row % 2);
                let (b, w) = (bw / 2, bw % 2);
                for c in 0..3 {
                    assert_eq!(m.data()[r * 3 + c], encode(b, c, h, w));
                }
            }
        }
    }

    #[test]
    fn too_small_maps_and_bad_buffers_are_errors() {
        let shape = FeatureMapShape { batch: 1, channels: 8, height: 2, width: 2 };
        assert!(matches!(
            feature_map_matrix(&[0.0f32; 32], shape, 0),
            Err(NearError::InsufficientSamples { .. })
        ));
        let shape = FeatureMapShape { batch: 1, channels: 2, height: 2, width: 2 };
        assert!(feature_map_matrix(&[0.0f32; 7], shape, 0).is_err());
    }
}
