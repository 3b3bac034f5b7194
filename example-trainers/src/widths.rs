//! `near widths`: layer-width estimation for the MLP of a config's `[widths]` section.

use crate::config::SweepConfig;
use crate::dataset::load_splits;
use anyhow::{Context, anyhow};
use burn::tensor::Device;
use near_burn_plugin::{LayerWidthEstimate, MlpSpec, estimate_mlp_widths};
use plotters::prelude::*;
use std::fmt::Write;
use std::path::Path;

/// Estimates each hidden width, writes `widths.csv` and `width_fit.svg` into `run_dir`, and
/// returns the estimates.
pub fn run(config: &SweepConfig, run_dir: &Path) -> anyhow::Result<Vec<LayerWidthEstimate>> {
    let w = config.widths.as_ref().ok_or_else(|| anyhow!("the config has no [widths] section"))?;
    let splits = load_splits(&config.data)?;
    let device = Device::flex();
    let scoring = &config.scoring;
    let probe = splits.train.probe_batch(scoring.probe_samples, scoring.seed, &device)?;
    let [n, c, h, wd] = probe.dims();
    let base = MlpSpec {
        input: c * h * wd,
        hidden: vec![0; w.layers],
        output: splits.train.classes(),
        activation: w.activation,
        initializer: w.initializer,
        bias: true,
    };
    let estimates = estimate_mlp_widths(
        &base,
        &w.candidates,
        &probe.reshape([n, c * h * wd]),
        scoring,
        w.threshold,
    )?;
    std::fs::create_dir_all(run_dir).with_context(|| format!("creating {}", run_dir.display()))?;
    let mut csv = String::from("layer,width,single_layer_score,relative_score,fitted\n");
    for e in &estimates {
        for (&n, &s) in e.widths.iter().zip(&e.scores) {
            let _ = writeln!(
                csv,
                "{},{n},{s},{},{}",
                e.layer + 1,
                s / n as f64,
                e.estimate.fit.eval(n as f64)
            );
        }
    }
    std::fs::write(run_dir.join("widths.csv"), csv).context("writing widths.csv")?;
    plot(&run_dir.join("width_fit.svg"), &estimates)?;
    Ok(estimates)
}

fn plot(path: &Path, estimates: &[LayerWidthEstimate]) -> anyhow::Result<()> {
    let max_n = estimates.iter().flat_map(|e| e.widths.iter().copied()).max().unwrap_or(2) as f64;
    let root = SVGBackend::new(path, (720, 480)).into_drawing_area();
    let draw = || -> Result<(), Box<dyn std::error::Error>> {
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption("Relative single-layer NEAR s(N)/N and power-law fits", ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d((1.0..max_n * 1.2).log_scale(), 0.0..2.1)?;
        chart.configure_mesh().x_desc("layer width N").y_desc("s(N) / N").draw()?;
        for (k, e) in estimates.iter().enumerate() {
            let color = Palette99::pick(k).to_rgba();
            let points: Vec<(f64, f64)> = e.estimate.fit.points.clone();
            chart
                .draw_series(points.iter().map(|&p| Circle::new(p, 4, color.filled())))?
                .label(format!("layer {}: N* = {:.1}", e.layer + 1, e.estimate.width))
                .legend(move |(x, y)| Circle::new((x, y), 4, color.filled()));
            let curve = (0..=200).map(|i| {
                let n = (max_n * 1.2).powf(i as f64 / 200.0);
                (n, e.estimate.fit.eval(n))
            });
            chart.draw_series(LineSeries::new(curve, color))?;
        }
        chart.configure_series_labels().border_style(BLACK).background_style(WHITE).draw()?;
        root.present()?;
        Ok(())
    };
    draw().map_err(|e| anyhow!("drawing {}: {e}", path.display()))
}
