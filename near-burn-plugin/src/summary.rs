//! Validation statistics of a sweep: did NEAR tell the truth? (DESIGN §3.5)

use crate::results::ResultRow;
use crate::screen::ScreenedCandidate;
use near_core::{PruningPolicy, kendall_tau_b, select_survivors, spearman_rho};
use std::collections::HashMap;
use std::fmt::Write;

/// What a sweep's NEAR ranking got right and what pruning saved.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepSummary {
    /// Candidates screened.
    pub candidates: usize,
    /// Candidates trained (any status).
    pub trained: usize,
    /// Trained candidates with status `ok`.
    pub succeeded: usize,
    /// Kendall tau-b of NEAR mean vs test loss over the `ok` runs. NEAR predicts well when this
    /// is negative (higher NEAR, lower loss). `None` with fewer than two usable runs.
    pub kendall_tau: Option<f64>,
    /// Spearman rho of NEAR mean vs test loss (same sign convention).
    pub spearman_rho: Option<f64>,
    /// Id of the trained candidate with the lowest test loss.
    pub best_candidate: Option<String>,
    /// Whether every candidate of the grid was trained (then hit and regret are known).
    pub full_grid_trained: bool,
    /// With the full grid trained: would the pruning policy have kept the best candidate?
    pub best_survives_policy: Option<bool>,
    /// With the full grid trained: best test loss among the policy's survivors minus the best
    /// test loss of the grid.
    pub regret: Option<f64>,
    /// Wall time spent training, seconds.
    pub training_seconds: f64,
    /// Training time avoided by pruning, estimated as (candidates not trained) x (mean training
    /// time of the trained ones), seconds.
    pub avoided_seconds_estimate: f64,
}

/// Summarises a sweep from its screening (`screened`, any order) and the trained rows.
/// `policy` is the pruning policy to evaluate when the whole grid was trained.
pub fn summarize(
    screened: &[ScreenedCandidate],
    rows: &[ResultRow],
    policy: PruningPolicy,
) -> SweepSummary {
    let scores: Vec<(String, f64)> =
        screened.iter().map(|s| (s.candidate.id(), s.near.mean)).collect();
    summarize_scores(&scores, rows, policy)
}

/// [`summarize`] from (candidate id, NEAR mean) pairs, e.g. as read back from `candidates.csv`.
pub fn summarize_scores(
    screened: &[(String, f64)],
    rows: &[ResultRow],
    policy: PruningPolicy,
) -> SweepSummary {
    let ok: Vec<&ResultRow> = rows.iter().filter(|r| r.is_ok()).collect();
    let near: Vec<f64> = ok.iter().map(|r| r.near_mean).collect();
    let loss: Vec<f64> = ok.iter().map(|r| r.test_loss).collect();
    let best_candidate =
        ok.iter().min_by(|a, b| a.test_loss.total_cmp(&b.test_loss)).map(|r| r.id.clone());
    let trained_ids: HashMap<&str, &ResultRow> = rows.iter().map(|r| (r.id.as_str(), r)).collect();
    let full_grid_trained = screened.iter().all(|(id, _)| trained_ids.contains_key(id.as_str()));
    let (best_survives_policy, regret) = if full_grid_trained && !ok.is_empty() {
        let means: Vec<f64> = screened.iter().map(|(_, mean)| *mean).collect();
        let losses: Vec<f64> = screened
            .iter()
            .map(|(id, _)| {
                let row = trained_ids[id.as_str()];
                if row.is_ok() { row.test_loss } else { f64::NAN }
            })
            .collect();
        match select_survivors(&means, policy) {
            Ok(kept) => {
                let best = screened.iter().position(|(id, _)| Some(id) == best_candidate.as_ref());
                (best.map(|b| kept.contains(&b)), near_core::regret(&losses, &kept).ok())
            }
            Err(_) => (None, None),
        }
    } else {
        (None, None)
    };
    let training_seconds: f64 = rows.iter().map(|r| r.wall_seconds).sum();
    let untrained = screened.len().saturating_sub(rows.len());
    let mean_time = if rows.is_empty() { 0.0 } else { training_seconds / rows.len() as f64 };
    SweepSummary {
        candidates: screened.len(),
        trained: rows.len(),
        succeeded: ok.len(),
        kendall_tau: kendall_tau_b(&near, &loss).ok(),
        spearman_rho: spearman_rho(&near, &loss).ok(),
        best_candidate,
        full_grid_trained,
        best_survives_policy,
        regret,
        training_seconds,
        avoided_seconds_estimate: untrained as f64 * mean_time,
    }
}

fn fmt_opt(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".into(), |v| format!("{v:.4}"))
}

impl SweepSummary {
    /// A short markdown section with the figures and their plain meaning.
    pub fn to_markdown(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "| figure | value |\n| --- | --- |");
        let _ = writeln!(s, "| candidates screened | {} |", self.candidates);
        let _ = writeln!(s, "| trained (ok) | {} ({}) |", self.trained, self.succeeded);
        let _ = writeln!(s, "| Kendall tau-b, NEAR vs test loss | {} |", fmt_opt(self.kendall_tau));
        let _ = writeln!(s, "| Spearman rho, NEAR vs test loss | {} |", fmt_opt(self.spearman_rho));
        let _ = writeln!(
            s,
            "| best trained candidate | {} |",
            self.best_candidate.as_deref().unwrap_or("n/a")
        );
        let hit = self
            .best_survives_policy
            .map_or("n/a (grid not fully trained)", |h| if h { "yes" } else { "no" });
        let _ = writeln!(s, "| pruning policy keeps the best | {hit} |");
        let _ = writeln!(s, "| regret of the policy (test loss) | {} |", fmt_opt(self.regret));
        let _ = writeln!(s, "| training wall time | {:.1} s |", self.training_seconds);
        let _ = writeln!(
            s,
            "| training time avoided (estimate) | {:.1} s |",
            self.avoided_seconds_estimate
        );
        let verdict = match self.kendall_tau {
            Some(t) if t < 0.0 => {
                "NEAR agreed with training: higher NEAR went with lower test loss (negative tau)."
            }
            Some(_) => {
                "NEAR disagreed with training: higher NEAR did not go with lower test loss (tau >= 0)."
            }
            None => "Too few successful runs to correlate NEAR with test loss.",
        };
        let _ = writeln!(s, "\n{verdict}");
        s
    }
}
