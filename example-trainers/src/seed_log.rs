//! Bookkeeping of the training runs a trainer makes per candidate (one per seed): their folders,
//! `seeds.csv` (one row per run, appended as each run finishes), and the mean over seeds.

use near_burn_plugin::TrainedOutcome;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The folder of one training run, `run_dir/train/<id>/seed-<seed>`, removed first: a killed
/// sweep may have left one behind, and the run starts afresh.
pub fn fresh_seed_dir(run_dir: &Path, id: &str, seed: u64) -> PathBuf {
    let dir = run_dir.join("train").join(id).join(format!("seed-{seed}"));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Appends `row` to `run_dir/seeds.csv`, writing `header` first when the file is new.
pub fn append_seed_row(run_dir: &Path, header: &str, row: &str) -> Result<(), String> {
    let path = run_dir.join("seeds.csv");
    let new = !path.exists();
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let header = if new { format!("{header}\n") } else { String::new() };
    writeln!(file, "{header}{row}").map_err(|e| format!("{}: {e}", path.display()))
}

/// The mean of the seeds' losses and metrics, and the most epochs any seed ran.
pub fn mean_over_seeds(runs: &[TrainedOutcome]) -> TrainedOutcome {
    let n = runs.len().max(1) as f64;
    let mean = |f: fn(&TrainedOutcome) -> f64| runs.iter().map(f).sum::<f64>() / n;
    TrainedOutcome {
        valid_loss: mean(|r| r.valid_loss),
        test_loss: mean(|r| r.test_loss),
        metric: runs.iter().map(|r| r.metric).sum::<Option<f64>>().map(|total| total / n),
        epochs: runs.iter().map(|r| r.epochs).max().unwrap_or(0),
    }
}
