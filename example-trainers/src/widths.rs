//! `near widths`: layer-width estimation for the MLP of a config's `[widths]` section.

use crate::config::SweepConfig;
use crate::sweep::Workload;
use anyhow::{Context, anyhow};
use burn::tensor::{Device, Tensor};
use near_burn_plugin::{LayerWidthEstimate, MlpSpec, estimate_mlp_widths};
use plotters::prelude::*;
use std::fmt::Write;
use std::path::Path;

/// The width estimates of one network: the classifier's MLP, or one element's network of a
/// potential.
#[derive(Debug, Clone)]
pub struct NetworkWidths {
    /// `mlp` for the classifier, the element symbol for a potential.
    pub network: String,
    /// One estimate per hidden layer.
    pub layers: Vec<LayerWidthEstimate>,
}

/// Estimates each hidden width, writes `widths.csv` and `width_fit.svg` into `run_dir`, and
/// returns the estimates. For a potential, every element's network is estimated on the
/// standardised descriptors of that element's atoms.
pub fn run(config: &SweepConfig, run_dir: &Path) -> anyhow::Result<Vec<NetworkWidths>> {
    let w = config.widths.as_ref().ok_or_else(|| anyhow!("the config has no [widths] section"))?;
    let device = Device::flex();
    let scoring = &config.scoring;
    let base = |input: usize, output: usize| MlpSpec {
        input,
        hidden: vec![0; w.layers],
        output,
        activation: w.activation,
        initializer: w.initializer,
        bias: true,
    };
    let estimate = |spec: &MlpSpec, probe: &Tensor<2>| {
        estimate_mlp_widths(spec, &w.candidates, probe, scoring, w.threshold)
    };
    let networks = match Workload::load(config)? {
        Workload::Images(splits) => {
            let probe = splits.train.probe_batch(scoring.probe_samples, scoring.seed, &device)?;
            let [n, c, h, wd] = probe.dims();
            let spec = base(c * h * wd, splits.train.classes());
            let layers = estimate(&spec, &probe.reshape([n, c * h * wd]))?;
            vec![NetworkWidths { network: "mlp".into(), layers }]
        }
        Workload::Potential(data) => {
            let probes = data
                .probe_batches(scoring.probe_samples, scoring.seed, &device)
                .map_err(anyhow::Error::msg)?;
            let spec = base(data.features(), 1);
            data.symmetry
                .elements()
                .iter()
                .zip(&probes)
                .map(|(element, probe)| {
                    let layers = estimate(&spec, probe)
                        .with_context(|| format!("network of element {element}"))?;
                    Ok(NetworkWidths { network: element.clone(), layers })
                })
                .collect::<anyhow::Result<_>>()?
        }
    };
    std::fs::create_dir_all(run_dir).with_context(|| format!("creating {}", run_dir.display()))?;
    let mut csv = String::from("network,layer,width,single_layer_score,relative_score,fitted\n");
    for net in &networks {
        for e in &net.layers {
            for (&n, &s) in e.widths.iter().zip(&e.scores) {
                let _ = writeln!(
                    csv,
                    "{},{},{n},{s},{},{}",
                    net.network,
                    e.layer + 1,
                    s / n as f64,
                    e.estimate.fit.eval(n as f64)
                );
            }
        }
    }
    std::fs::write(run_dir.join("widths.csv"), csv).context("writing widths.csv")?;
    plot(&run_dir.join("width_fit.svg"), &networks)?;
    Ok(networks)
}

fn plot(path: &Path, networks: &[NetworkWidths]) -> anyhow::Result<()> {
    let estimates: Vec<(&str, &LayerWidthEstimate)> =
        networks.iter().flat_map(|n| n.layers.iter().map(|l| (n.network.as_str(), l))).collect();
    let max_n =
        estimates.iter().flat_map(|(_, e)| e.widths.iter().copied()).max().unwrap_or(2) as f64;
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
        for (k, (network, e)) in estimates.iter().enumerate() {
            let color = Palette99::pick(k).to_rgba();
            let points: Vec<(f64, f64)> = e.estimate.fit.points.clone();
            chart
                .draw_series(points.iter().map(|&p| Circle::new(p, 4, color.filled())))?
                .label(format!("{network} layer {}: N* = {:.1}", e.layer + 1, e.estimate.width))
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
