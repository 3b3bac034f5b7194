//! The sweep log `results.csv`: one row per trained candidate, appended and flushed as each
//! finishes, so a killed sweep resumes without retraining what finished.

use crate::error::{PluginError, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::OpenOptions;
use std::path::{Path, PathBuf};

/// How a training run ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultRow {
    /// Candidate id.
    pub id: String,
    /// NEAR mean of the candidate.
    pub near_mean: f64,
    /// Final validation loss (NaN when the run failed).
    pub valid_loss: f64,
    /// Test loss of the trained model (NaN when the run failed).
    pub test_loss: f64,
    /// The task's metric on the test split (accuracy, RMSE, ...), empty when none.
    pub metric: Option<f64>,
    /// Epochs trained.
    pub epochs: usize,
    /// Wall time of training and evaluation, seconds.
    pub wall_seconds: f64,
    /// `ok`, `diverged`, or `failed: reason`.
    pub status: String,
}

impl ResultRow {
    /// True when the run finished with a finite test loss.
    pub fn is_ok(&self) -> bool {
        self.status == "ok"
    }
}

/// An append-only `results.csv`.
#[derive(Debug)]
pub struct ResultsLog {
    path: PathBuf,
    rows: BTreeMap<String, ResultRow>,
}

impl ResultsLog {
    /// Opens `path`, reading the rows already there (none if the file does not exist). A
    /// malformed file is an error naming the file and line; nothing is overwritten.
    pub fn open(path: &Path) -> Result<Self> {
        let mut rows = BTreeMap::new();
        if path.exists() {
            let mut reader = csv::Reader::from_path(path).map_err(|e| PluginError::csv(path, e))?;
            for row in reader.deserialize::<ResultRow>() {
                let row = row.map_err(|e| PluginError::csv(path, e))?;
                rows.insert(row.id.clone(), row);
            }
        }
        Ok(Self { path: path.to_path_buf(), rows })
    }

    /// The row of candidate `id`, if it already finished.
    pub fn get(&self, id: &str) -> Option<&ResultRow> {
        self.rows.get(id)
    }

    /// All rows, by id.
    pub fn rows(&self) -> impl Iterator<Item = &ResultRow> {
        self.rows.values()
    }

    /// Appends a row to the file and flushes it before returning.
    pub fn append(&mut self, row: ResultRow) -> Result<()> {
        let new_file =
            !self.path.exists() || std::fs::metadata(&self.path).is_ok_and(|m| m.len() == 0);
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(|e| PluginError::io(&self.path, e))?;
        let mut w = csv::WriterBuilder::new().has_headers(new_file).from_writer(file);
        w.serialize(&row).map_err(|e| PluginError::csv(&self.path, e))?;
        w.flush().map_err(|e| PluginError::io(&self.path, e))?;
        self.rows.insert(row.id.clone(), row);
        Ok(())
    }
}
