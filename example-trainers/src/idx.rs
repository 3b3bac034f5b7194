//! IDX files (MNIST, EMNIST, Fashion-MNIST): gzip or raw, magic numbers and sizes checked.

use crate::error::{DataError, Result};
use flate2::read::GzDecoder;
use std::io::Read;
use std::path::Path;

/// Magic number of an unsigned-byte image file with three dimensions.
pub const IMAGES_MAGIC: u32 = 2051;
/// Magic number of an unsigned-byte label file with one dimension.
pub const LABELS_MAGIC: u32 = 2049;

/// Images of one IDX file: `count` images of `rows` x `cols` bytes, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct IdxImages {
    /// Number of images.
    pub count: usize,
    /// Rows of one image.
    pub rows: usize,
    /// Columns of one image.
    pub cols: usize,
    /// `count * rows * cols` pixel bytes.
    pub pixels: Vec<u8>,
}

impl IdxImages {
    /// Transposes every image in place: EMNIST stores `image[r][c]` column-major.
    pub fn transpose(&mut self) {
        let (r, c) = (self.rows, self.cols);
        for image in self.pixels.chunks_mut(r * c) {
            let copy = image.to_vec();
            for i in 0..r {
                for j in 0..c {
                    image[j * r + i] = copy[i * c + j];
                }
            }
        }
        std::mem::swap(&mut self.rows, &mut self.cols);
    }
}

/// Reads a whole file, gunzipping it when it starts with the gzip magic bytes.
pub fn read_maybe_gzip(path: &Path) -> Result<Vec<u8>> {
    let raw = std::fs::read(path).map_err(|e| DataError::io(path, e))?;
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        GzDecoder::new(raw.as_slice())
            .read_to_end(&mut out)
            .map_err(|e| DataError::invalid(path, format!("corrupt gzip stream: {e}")))?;
        Ok(out)
    } else {
        Ok(raw)
    }
}

/// Parses the header (magic and dimensions) and returns them with the payload.
fn parse_header<'a>(
    path: &Path,
    bytes: &'a [u8],
    magic: u32,
    dims: usize,
) -> Result<(Vec<usize>, &'a [u8])> {
    let header_len = 4 + 4 * dims;
    if bytes.len() < header_len {
        return Err(DataError::invalid(
            path,
            format!(
                "file has {} bytes, shorter than the {header_len}-byte IDX header",
                bytes.len()
            ),
        ));
    }
    let word = |i: usize| {
        u32::from_be_bytes([bytes[4 * i], bytes[4 * i + 1], bytes[4 * i + 2], bytes[4 * i + 3]])
    };
    if word(0) != magic {
        return Err(DataError::invalid(
            path,
            format!("wrong magic number {} (expected {magic})", word(0)),
        ));
    }
    let dims: Vec<usize> = (1..=dims).map(|i| word(i) as usize).collect();
    Ok((dims, &bytes[header_len..]))
}

fn check_payload(path: &Path, payload: &[u8], count: usize, item_bytes: usize) -> Result<()> {
    let expected = count * item_bytes;
    if payload.len() < expected {
        return Err(DataError::invalid(
            path,
            format!("truncated after {} of {count} items", payload.len() / item_bytes.max(1)),
        ));
    }
    if payload.len() > expected {
        return Err(DataError::invalid(
            path,
            format!(
                "{} bytes after the {count} items the header announces",
                payload.len() - expected
            ),
        ));
    }
    Ok(())
}

/// Reads an IDX image file (magic 2051).
pub fn read_images(path: &Path) -> Result<IdxImages> {
    let bytes = read_maybe_gzip(path)?;
    let (dims, payload) = parse_header(path, &bytes, IMAGES_MAGIC, 3)?;
    let (count, rows, cols) = (dims[0], dims[1], dims[2]);
    check_payload(path, payload, count, rows * cols)?;
    Ok(IdxImages { count, rows, cols, pixels: payload.to_vec() })
}

/// Reads an IDX label file (magic 2049).
pub fn read_labels(path: &Path) -> Result<Vec<u8>> {
    let bytes = read_maybe_gzip(path)?;
    let (dims, payload) = parse_header(path, &bytes, LABELS_MAGIC, 1)?;
    check_payload(path, payload, dims[0], 1)?;
    Ok(payload.to_vec())
}

/// Reads an EMNIST mapping file (`label ascii_code` per line) into label -> character.
pub fn read_mapping(path: &Path) -> Result<Vec<char>> {
    let text = std::fs::read_to_string(path).map_err(|e| DataError::io(path, e))?;
    let mut mapping = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let parsed = match fields.as_slice() {
            [label, code] => {
                label.parse::<usize>().ok().zip(code.parse::<u32>().ok().and_then(char::from_u32))
            }
            _ => None,
        };
        let (label, ch) = parsed.ok_or_else(|| {
            DataError::invalid(
                path,
                format!("line {}: expected `label ascii_code`, got {line:?}", n + 1),
            )
        })?;
        if label != mapping.len() {
            return Err(DataError::invalid(
                path,
                format!("line {}: label {label} out of order (expected {})", n + 1, mapping.len()),
            ));
        }
        mapping.push(ch);
    }
    Ok(mapping)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::GzEncoder;
    use std::io::Write;

    fn images_file(count: u32, rows: u32, cols: u32, payload: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        for w in [IMAGES_MAGIC, count, rows, cols] {
            v.extend_from_slice(&w.to_be_bytes());
        }
        v.extend_from_slice(payload);
        v
    }

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn tempdir(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("near-idx-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn reads_raw_and_gzip_and_transposes() {
        let dir = tempdir("ok");
        let bytes = images_file(2, 2, 3, &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        let raw = write(&dir, "img", &bytes);
        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        gz.write_all(&bytes).unwrap();
        let zipped = write(&dir, "img.gz", &gz.finish().unwrap());
        let mut a = read_images(&raw).unwrap();
        assert_eq!(a, read_images(&zipped).unwrap());
        a.transpose();
        assert_eq!((a.rows, a.cols), (3, 2));
        assert_eq!(&a.pixels[..6], &[1, 4, 2, 5, 3, 6]);
    }

    #[test]
    fn bad_files_name_the_problem() {
        let dir = tempdir("bad");
        let truncated = write(&dir, "t", &images_file(3, 2, 2, &[0; 9]));
        let e = read_images(&truncated).unwrap_err().to_string();
        assert!(e.contains("truncated after 2 of 3 items") && e.contains("/t"), "{e}");
        let mut wrong = images_file(1, 1, 1, &[0]);
        wrong[3] = 0x01;
        let e = read_images(&write(&dir, "w", &wrong)).unwrap_err().to_string();
        assert!(e.contains("wrong magic number 2049 (expected 2051)"), "{e}");
        let e =
            read_labels(&write(&dir, "l", &images_file(1, 1, 1, &[0]))).unwrap_err().to_string();
        assert!(e.contains("wrong magic number 2051 (expected 2049)"), "{e}");
        let e = read_images(&dir.join("missing")).unwrap_err().to_string();
        assert!(e.contains("missing"), "{e}");
        let e = read_mapping(&write(&dir, "m", b"0 48\n1 x\n")).unwrap_err().to_string();
        assert!(e.contains("line 2"), "{e}");
    }
}
