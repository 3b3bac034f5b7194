//! `report.md` and the NEAR-vs-test-loss plot, rebuilt from a run directory's CSV files alone.

use anyhow::Context;
use near_burn_plugin::{ResultRow, ResultsLog, SweepSummary, summarize_scores};
use near_core::PruningPolicy;
use plotters::prelude::*;
use serde::Deserialize;
use std::fmt::Write;
use std::path::Path;

/// A row of `candidates.csv`.
#[derive(Debug, Clone, Deserialize)]
pub struct CandidateRow {
    /// Candidate id.
    pub id: String,
    /// Activation name.
    pub activation: String,
    /// Initialiser name.
    pub initializer: String,
    /// Architecture label.
    pub architecture: String,
    /// Trainable parameters.
    pub parameters: usize,
    /// NEAR mean.
    pub near_mean: f64,
    /// NEAR standard deviation.
    pub near_std: f64,
    /// Rank by NEAR (1 = highest).
    pub rank: usize,
    /// Survived pruning.
    pub kept: bool,
}

/// Reads `candidates.csv`.
pub fn read_candidates(path: &Path) -> anyhow::Result<Vec<CandidateRow>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
    reader
        .deserialize()
        .collect::<Result<Vec<CandidateRow>, _>>()
        .with_context(|| format!("parsing {}", path.display()))
}

const SCREENING_TIME_FILE: &str = "screening_seconds.txt";

/// Records how long screening took, for the report's time shares.
pub fn record_screening_time(run_dir: &Path, seconds: f64) -> anyhow::Result<()> {
    let path = run_dir.join(SCREENING_TIME_FILE);
    std::fs::write(&path, format!("{seconds}\n"))
        .with_context(|| format!("writing {}", path.display()))
}

/// Writes `report.md` and `near_vs_test_loss.svg` from the CSVs in `run_dir`; `policy` is the
/// pruning policy the sweep was configured with, `metric` names the results' metric column.
pub fn write_report(
    run_dir: &Path,
    policy: PruningPolicy,
    metric: &str,
) -> anyhow::Result<SweepSummary> {
    let candidates = read_candidates(&run_dir.join("candidates.csv"))?;
    let log = ResultsLog::open(&run_dir.join("results.csv"))?;
    let rows: Vec<ResultRow> = log.rows().cloned().collect();
    let scores: Vec<(String, f64)> =
        candidates.iter().map(|c| (c.id.clone(), c.near_mean)).collect();
    let summary = summarize_scores(&scores, &rows, policy);
    let screening: Option<f64> = std::fs::read_to_string(run_dir.join(SCREENING_TIME_FILE))
        .ok()
        .and_then(|t| t.trim().parse().ok());
    let plot = "near_vs_test_loss.svg";
    plot_near_vs_loss(&run_dir.join(plot), &rows, &summary)?;

    let mut md = String::new();
    let _ = writeln!(
        md,
        "# NEAR sweep report\n\nRun directory: `{}`. Pruning policy: `{policy:?}`.\n",
        run_dir.display()
    );
    md.push_str(&summary.to_markdown());
    if let Some(s) = screening {
        let total = s + summary.training_seconds;
        let _ = writeln!(
            md,
            "\nNEAR screening took {s:.1} s, {:.1}% of the sweep's {total:.1} s.",
            100.0 * s / total.max(1e-9)
        );
    }
    let _ = writeln!(md, "\n## Trained candidates (best test loss first)\n");
    let _ = writeln!(
        md,
        "| id | NEAR | valid loss | test loss | {metric} | epochs | wall s | status |\n| --- | --- | --- | --- | --- | --- | --- | --- |"
    );
    let mut sorted = rows.clone();
    sorted.sort_by(|a, b| a.test_loss.total_cmp(&b.test_loss));
    for r in &sorted {
        let metric = r.metric.map_or("".into(), |m| format!("{m:.4}"));
        let _ = writeln!(
            md,
            "| {} | {:.2} | {:.4} | {:.4} | {metric} | {} | {:.1} | {} |",
            r.id, r.near_mean, r.valid_loss, r.test_loss, r.epochs, r.wall_seconds, r.status
        );
    }
    let _ = writeln!(md, "\n## Screening (all candidates, by NEAR)\n");
    let _ = writeln!(
        md,
        "| rank | id | parameters | NEAR mean | NEAR std | kept |\n| --- | --- | --- | --- | --- | --- |"
    );
    for c in &candidates {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {:.2} | {:.2} | {} |",
            c.rank,
            c.id,
            c.parameters,
            c.near_mean,
            c.near_std,
            if c.kept { "yes" } else { "no" }
        );
    }
    let _ = writeln!(md, "\n![NEAR vs test loss]({plot})");
    let path = run_dir.join("report.md");
    std::fs::write(&path, md).with_context(|| format!("writing {}", path.display()))?;
    Ok(summary)
}

fn plot_near_vs_loss(
    path: &Path,
    rows: &[ResultRow],
    summary: &SweepSummary,
) -> anyhow::Result<()> {
    let points: Vec<(f64, f64)> =
        rows.iter().filter(|r| r.is_ok()).map(|r| (r.near_mean, r.test_loss)).collect();
    let range = |v: Vec<f64>| {
        let (lo, hi) =
            v.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
        if lo.is_finite() {
            let pad = ((hi - lo) * 0.08).max(1e-6);
            (lo - pad)..(hi + pad)
        } else {
            0.0..1.0
        }
    };
    let xs = range(points.iter().map(|p| p.0).collect());
    let ys = range(points.iter().map(|p| p.1).collect());
    let root = SVGBackend::new(path, (720, 480)).into_drawing_area();
    let draw = || -> Result<(), Box<dyn std::error::Error>> {
        root.fill(&WHITE)?;
        let tau = summary.kendall_tau.map_or("n/a".into(), |t| format!("{t:.3}"));
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("NEAR vs test loss (Kendall tau-b = {tau})"), ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(xs, ys)?;
        chart
            .configure_mesh()
            .x_desc("NEAR score (mean over repetitions)")
            .y_desc("test loss")
            .draw()?;
        chart.draw_series(points.iter().map(|&p| Circle::new(p, 4, BLUE.filled())))?;
        root.present()?;
        Ok(())
    };
    draw().map_err(|e| anyhow::anyhow!("drawing {}: {e}", path.display()))
}
