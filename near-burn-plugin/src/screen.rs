//! Screening: score every candidate, rank, prune, and write `candidates.csv`.

use crate::error::{PluginError, Result};
use crate::grid::Candidate;
use indicatif::{ProgressBar, ProgressStyle};
use near_core::{PruningPolicy, RepeatedScore, select_survivors};
use std::path::Path;

/// A scored candidate and the pruning decision.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenedCandidate {
    /// The candidate.
    pub candidate: Candidate,
    /// Trainable parameters.
    pub parameters: usize,
    /// NEAR over the repetitions.
    pub near: RepeatedScore,
    /// 1-based rank by NEAR mean (1 = highest).
    pub rank: usize,
    /// Whether the candidate survives pruning.
    pub kept: bool,
}

/// A progress bar for `len` steps on stderr, hidden when `show` is false or stderr is not a
/// terminal.
pub fn progress_bar(len: usize, message: &'static str, show: bool) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64).with_message(message);
    bar.set_style(
        ProgressStyle::with_template(
            "{msg} [{bar:30}] {pos}/{len} {wide_msg} ({elapsed}, eta {eta})",
        )
        .expect("template is valid")
        .progress_chars("=> "),
    );
    bar
}

/// Scores every candidate with `score` (which returns NEAR and the parameter count), ranks them
/// by NEAR mean and applies `policy`. Returned in rank order. A scoring error aborts screening
/// and names the candidate.
pub fn screen(
    candidates: &[Candidate],
    policy: PruningPolicy,
    show_progress: bool,
    mut score: impl FnMut(&Candidate) -> Result<(RepeatedScore, usize)>,
) -> Result<Vec<ScreenedCandidate>> {
    policy.validate()?;
    let bar = progress_bar(candidates.len(), "scoring", show_progress);
    let mut scored = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        bar.set_message(candidate.id());
        let (near, parameters) = score(candidate).map_err(|e| {
            PluginError::Config(format!("scoring candidate {} failed: {e}", candidate.id()))
        })?;
        scored.push((candidate.clone(), near, parameters));
        bar.inc(1);
    }
    bar.finish_and_clear();
    let means: Vec<f64> = scored.iter().map(|(_, near, _)| near.mean).collect();
    let survivors = select_survivors(&means, policy)?;
    let order = near_core::rank_by_score(&means);
    Ok(order
        .iter()
        .enumerate()
        .map(|(rank, &i)| {
            let (candidate, near, parameters) = scored[i].clone();
            ScreenedCandidate {
                candidate,
                parameters,
                near,
                rank: rank + 1,
                kept: survivors.contains(&i),
            }
        })
        .collect())
}

/// Writes `candidates.csv` (DESIGN §7): id, activation, initializer, architecture, parameters,
/// near_mean, near_std, rank, kept.
pub fn write_candidates_csv(path: &Path, rows: &[ScreenedCandidate]) -> Result<()> {
    let mut w = csv::Writer::from_path(path).map_err(|e| PluginError::csv(path, e))?;
    let header = [
        "id",
        "activation",
        "initializer",
        "architecture",
        "parameters",
        "near_mean",
        "near_std",
        "rank",
        "kept",
    ];
    w.write_record(header).map_err(|e| PluginError::csv(path, e))?;
    for r in rows {
        let c = &r.candidate;
        w.write_record([
            c.id(),
            c.activation.to_string(),
            c.initializer.to_string(),
            c.architecture.label(),
            r.parameters.to_string(),
            r.near.mean.to_string(),
            r.near.std.to_string(),
            r.rank.to_string(),
            r.kept.to_string(),
        ])
        .map_err(|e| PluginError::csv(path, e))?;
    }
    w.flush().map_err(|e| PluginError::io(path, e))
}
