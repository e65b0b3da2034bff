//! SVG plots for `pickhardt simulate --plot` and `pickhardt pay --plot` (plotters, SVG backend).
//!
//! The plotting functions take small plain-data rows, not library types, so that the commands
//! decide what to show and this module only decides how.

use anyhow::Context;
use plotters::prelude::*;
use std::path::Path;

/// One aggregated simulation row: a strategy at one amount.
#[derive(Debug, Clone)]
pub struct StrategyPoint {
    /// Strategy name (`mcf`, `cheapest`, `probable`).
    pub strategy: String,
    /// Payment amount in sat.
    pub amount_sat: u64,
    /// Share of payments that succeeded, 0..=1.
    pub success_rate: f64,
    /// Median fee of the successful payments in ppm of the amount (None when none succeeded).
    pub median_fee_ppm: Option<f64>,
}

/// How a planned part ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartOutcome {
    /// Delivered and settled.
    Settled,
    /// Failed at some hop.
    Failed,
    /// Reached the receiver but released because the payment as a whole failed.
    Released,
}

/// One attempt (part) of a payment, for the flow-split plot.
#[derive(Debug, Clone)]
pub struct PlannedPart {
    /// Round number, 1-based.
    pub round: u32,
    /// Amount delivered by this part, in sat.
    pub amount_sat: f64,
    /// Planned success probability, 0..=1.
    pub probability: f64,
    /// What happened to it.
    pub outcome: PartOutcome,
}

const WIDTH: u32 = 1100;
const HEIGHT: u32 = 480;

fn strategy_color(i: usize) -> RGBColor {
    const PALETTE: [RGBColor; 6] = [
        RGBColor(31, 119, 180),
        RGBColor(255, 127, 14),
        RGBColor(44, 160, 44),
        RGBColor(214, 39, 40),
        RGBColor(148, 103, 189),
        RGBColor(140, 86, 75),
    ];
    PALETTE[i % PALETTE.len()]
}

fn plot_err<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow::anyhow!("drawing the plot failed: {e:?}")
}

/// Draws success rate and median fee (ppm) against amount, one line per strategy, two panels.
pub fn simulate_svg(points: &[StrategyPoint], title: &str, path: &Path) -> anyhow::Result<()> {
    anyhow::ensure!(!points.is_empty(), "nothing to plot: no simulation rows");
    let mut strategies: Vec<&str> = Vec::new();
    for p in points {
        if !strategies.contains(&p.strategy.as_str()) {
            strategies.push(&p.strategy);
        }
    }
    let amin = points
        .iter()
        .map(|p| p.amount_sat)
        .min()
        .unwrap_or(1)
        .max(1) as f64;
    let amax = points
        .iter()
        .map(|p| p.amount_sat)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    // A log x axis needs a non-empty range: widen a single amount by a factor of 2 each way.
    let (xlo, xhi) = if amax > amin {
        (amin / 1.5, amax * 1.5)
    } else {
        (amin / 2.0, amin * 2.0)
    };
    let fee_max = points
        .iter()
        .filter_map(|p| p.median_fee_ppm)
        .fold(1.0f64, f64::max)
        * 1.15;

    let root = SVGBackend::new(path, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE).map_err(plot_err)?;
    let root = root.titled(title, ("sans-serif", 22)).map_err(plot_err)?;
    let panels = root.split_evenly((1, 2));

    let draw_panel = |area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
                      caption: &str,
                      ylabel: &str,
                      ymax: f64,
                      value: &dyn Fn(&StrategyPoint) -> Option<f64>|
     -> anyhow::Result<()> {
        let mut chart = ChartBuilder::on(area)
            .caption(caption, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d((xlo..xhi).log_scale(), 0.0..ymax)
            .map_err(plot_err)?;
        chart
            .configure_mesh()
            .x_desc("amount (sat, log scale)")
            .y_desc(ylabel)
            .x_label_formatter(&|x| format_sat(*x))
            .label_style(("sans-serif", 13))
            .axis_desc_style(("sans-serif", 15))
            .draw()
            .map_err(plot_err)?;
        for (i, s) in strategies.iter().enumerate() {
            let color = strategy_color(i);
            let mut series: Vec<(f64, f64)> = points
                .iter()
                .filter(|p| p.strategy == *s)
                .filter_map(|p| value(p).map(|v| (p.amount_sat.max(1) as f64, v)))
                .collect();
            series.sort_by(|a, b| a.0.total_cmp(&b.0));
            chart
                .draw_series(LineSeries::new(series.clone(), color.stroke_width(3)))
                .map_err(plot_err)?
                .label(*s)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(3))
                });
            chart
                .draw_series(
                    series
                        .into_iter()
                        .map(|(x, y)| Circle::new((x, y), 5, color.filled())),
                )
                .map_err(plot_err)?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font(("sans-serif", 14))
            .draw()
            .map_err(plot_err)?;
        Ok(())
    };
    draw_panel(
        &panels[0],
        "success rate",
        "payments delivered (%)",
        105.0,
        &|p| Some(p.success_rate * 100.0),
    )?;
    draw_panel(
        &panels[1],
        "median fee of delivered payments",
        "fee (ppm of amount)",
        fee_max,
        &|p| p.median_fee_ppm,
    )?;
    root.present()
        .map_err(plot_err)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Draws the planned flow split: one horizontal bar per round, one segment per part (width =
/// amount), coloured by outcome and labelled with its planned probability.
pub fn pay_svg(parts: &[PlannedPart], title: &str, path: &Path) -> anyhow::Result<()> {
    anyhow::ensure!(
        !parts.is_empty(),
        "nothing to plot: the payment planned no parts"
    );
    let rounds = parts.iter().map(|p| p.round).max().unwrap_or(1);
    let widest = (1..=rounds)
        .map(|r| {
            parts
                .iter()
                .filter(|p| p.round == r)
                .map(|p| p.amount_sat)
                .sum::<f64>()
        })
        .fold(1.0f64, f64::max);
    let height = (160 + 70 * rounds).min(2000);
    let root = SVGBackend::new(path, (WIDTH, height)).into_drawing_area();
    root.fill(&WHITE).map_err(plot_err)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 20))
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(80)
        .build_cartesian_2d(0.0..widest * 1.02, (0.5f64..rounds as f64 + 0.5).step(1.0))
        .map_err(plot_err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_desc("amount sent in the round (sat); label = planned success probability")
        .y_desc("round")
        .y_label_formatter(&|y| format!("{}", y.round() as i64))
        .x_label_formatter(&|x| format_sat(*x))
        .label_style(("sans-serif", 13))
        .axis_desc_style(("sans-serif", 15))
        .draw()
        .map_err(plot_err)?;
    let color = |o: PartOutcome| match o {
        PartOutcome::Settled => RGBColor(44, 160, 44),
        PartOutcome::Failed => RGBColor(214, 39, 40),
        PartOutcome::Released => RGBColor(150, 150, 150),
    };
    for r in 1..=rounds {
        let mut x = 0.0;
        let y = r as f64;
        for p in parts.iter().filter(|p| p.round == r) {
            let rect = [(x, y - 0.3), (x + p.amount_sat, y + 0.3)];
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    rect,
                    color(p.outcome).filled(),
                )))
                .map_err(plot_err)?;
            chart
                .draw_series(std::iter::once(Rectangle::new(rect, WHITE.stroke_width(2))))
                .map_err(plot_err)?;
            // Label only segments wide enough to hold the text (about 5% of the axis).
            if p.amount_sat > widest * 0.05 {
                let label = format!("{:.0}%", p.probability * 100.0);
                chart
                    .draw_series(std::iter::once(Text::new(
                        label,
                        (x + widest * 0.005, y + 0.08),
                        ("sans-serif", 13).into_font().color(&WHITE),
                    )))
                    .map_err(plot_err)?;
            }
            x += p.amount_sat;
        }
    }
    for (name, outcome) in [
        ("settled", PartOutcome::Settled),
        ("failed", PartOutcome::Failed),
        ("released", PartOutcome::Released),
    ] {
        let c = color(outcome);
        chart
            .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
            .map_err(plot_err)?
            .label(name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 16, y + 6)], c.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font(("sans-serif", 14))
        .draw()
        .map_err(plot_err)?;
    root.present()
        .map_err(plot_err)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// `1500` → `1.5k`, `2000000` → `2M`.
fn format_sat(x: f64) -> String {
    let (v, suffix) = if x >= 1e6 {
        (x / 1e6, "M")
    } else if x >= 1e3 {
        (x / 1e3, "k")
    } else {
        (x, "")
    };
    let s = format!("{v:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s);
    format!("{s}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_amounts() {
        assert_eq!(format_sat(1500.0), "1.5k");
        assert_eq!(format_sat(2_000_000.0), "2M");
        assert_eq!(format_sat(12.0), "12");
    }

    #[test]
    fn writes_both_plots() {
        let dir = std::env::temp_dir().join(format!("pp-plot-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let pts: Vec<StrategyPoint> = ["mcf", "cheapest"]
            .iter()
            .flat_map(|s| {
                [10_000u64, 100_000].map(|a| StrategyPoint {
                    strategy: s.to_string(),
                    amount_sat: a,
                    success_rate: 0.9,
                    median_fee_ppm: Some(120.0),
                })
            })
            .collect();
        let sim = dir.join("sim.svg");
        simulate_svg(&pts, "test", &sim).expect("simulate plot");
        let svg = std::fs::read_to_string(&sim).expect("svg written");
        assert!(svg.contains("<svg") && svg.contains("cheapest"));
        let parts = vec![
            PlannedPart {
                round: 1,
                amount_sat: 60.0,
                probability: 0.5,
                outcome: PartOutcome::Failed,
            },
            PlannedPart {
                round: 1,
                amount_sat: 40.0,
                probability: 0.9,
                outcome: PartOutcome::Settled,
            },
            PlannedPart {
                round: 2,
                amount_sat: 60.0,
                probability: 0.8,
                outcome: PartOutcome::Settled,
            },
        ];
        let pay = dir.join("pay.svg");
        pay_svg(&parts, "test pay", &pay).expect("pay plot");
        assert!(std::fs::read_to_string(&pay).expect("svg").contains("90%"));
        assert!(simulate_svg(&[], "empty", &dir.join("e.svg")).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
