//! Parity plots (reference vs predicted) of a trained potential.

use plotters::prelude::*;
use std::path::Path;

/// A scatter of (reference, predicted) pairs with the y = x line; `title` names the quantity,
/// `unit` its unit.
pub fn parity_plot(
    path: &Path,
    title: &str,
    unit: &str,
    points: &[(f64, f64)],
) -> Result<(), String> {
    let (lo, hi) = points
        .iter()
        .flat_map(|&(a, b)| [a, b])
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| (lo.min(x), hi.max(x)));
    let (lo, hi) =
        if lo.is_finite() && hi > lo { (lo, hi) } else { (lo.min(0.0) - 1.0, hi.max(0.0) + 1.0) };
    let pad = (hi - lo) * 0.05;
    let range = (lo - pad)..(hi + pad);
    let root = SVGBackend::new(path, (560, 560)).into_drawing_area();
    let draw = || -> Result<(), Box<dyn std::error::Error>> {
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(range.clone(), range.clone())?;
        chart
            .configure_mesh()
            .x_desc(format!("reference ({unit})"))
            .y_desc(format!("predicted ({unit})"))
            .draw()?;
        chart.draw_series(LineSeries::new(
            [(range.start, range.start), (range.end, range.end)],
            BLACK,
        ))?;
        chart.draw_series(points.iter().map(|&p| Circle::new(p, 2, BLUE.mix(0.5).filled())))?;
        root.present()?;
        Ok(())
    };
    draw().map_err(|e| format!("drawing {}: {e}", path.display()))
}
