//! `seeds.csv`: one row per training run (candidate x seed), appended as each run finishes.

use std::io::Write;
use std::path::Path;

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
