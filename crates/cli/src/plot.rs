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
    /// Share of payments that were feasible at all (true max-flow ≥ amount), 0..=1: the ceiling
    /// any strategy can reach.
    pub feasible_rate: f64,
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
    /// Planned, not sent (`pay --plan-only`).
    Planned,
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

fn plot_err<E: std::fmt::Display>(e: E) -> anyhow::Error {
    anyhow::anyhow!("drawing the plot failed: {e}")
}

/// Writes a drawn SVG to `path`; an I/O error reads as a sentence naming the file.
fn write_svg(path: &Path, svg: &str) -> anyhow::Result<()> {
    std::fs::write(path, svg)
        .with_context(|| format!("cannot write the plot to {}", path.display()))
}

/// Marker shapes per strategy, so that overlapping lines stay distinguishable.
#[derive(Clone, Copy)]
enum Marker {
    Circle,
    Triangle,
    Square,
}

fn marker_of(i: usize) -> Marker {
    [Marker::Circle, Marker::Triangle, Marker::Square][i % 3]
}

/// Draws success rate and median fee (ppm) against amount, one line per strategy, two panels.
///
/// The success panel also shows, dashed, the share of payments that were feasible at all (the
/// ceiling of any strategy). The fee panel has a log scale (fees span three orders of magnitude
/// between strategies); a median fee of 0 ppm is drawn on the panel's floor.
pub fn simulate_svg(points: &[StrategyPoint], title: &str, path: &Path) -> anyhow::Result<()> {
    let mut svg = String::new();
    draw_simulate(points, title, &mut svg)?;
    write_svg(path, &svg)
}

fn draw_simulate(points: &[StrategyPoint], title: &str, svg: &mut String) -> anyhow::Result<()> {
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
    let fees: Vec<f64> = points.iter().filter_map(|p| p.median_fee_ppm).collect();
    let fee_hi = fees.iter().copied().fold(1.0f64, f64::max) * 2.0;
    let fee_lo = fees
        .iter()
        .copied()
        .filter(|f| *f > 0.0)
        .fold(fee_hi, f64::min)
        .min(1.0)
        / 2.0;

    let root = SVGBackend::with_string(svg, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE).map_err(plot_err)?;
    let root = root.titled(title, ("sans-serif", 20)).map_err(plot_err)?;
    let panels = root.split_evenly((1, 2));

    // Left panel: success rate, linear y.
    let mut chart = ChartBuilder::on(&panels[0])
        .caption("payments delivered", ("sans-serif", 17))
        .margin(12)
        .x_label_area_size(45)
        .y_label_area_size(55)
        .build_cartesian_2d((xlo..xhi).log_scale(), 0.0..105.0)
        .map_err(plot_err)?;
    chart
        .configure_mesh()
        .x_desc("amount (sat, log scale)")
        .y_desc("share of payments (%)")
        .x_label_formatter(&|x| format_sat(*x))
        .y_label_formatter(&|y| format!("{y:.0}"))
        .label_style(("sans-serif", 13))
        .axis_desc_style(("sans-serif", 15))
        .light_line_style(WHITE)
        .draw()
        .map_err(plot_err)?;
    draw_strategies(&mut chart, points, &strategies, |p| {
        Some(p.success_rate * 100.0)
    })?;
    // The feasibility ceiling goes on top, dashed, so a strategy that reaches it stays visible.
    let first = strategies.first().copied().unwrap_or_default();
    let mut feasible: Vec<(f64, f64)> = points
        .iter()
        .filter(|p| p.strategy == first)
        .map(|p| (p.amount_sat.max(1) as f64, p.feasible_rate * 100.0))
        .collect();
    feasible.sort_by(|a, b| a.0.total_cmp(&b.0));
    let grey = BLACK;
    chart
        .draw_series(DashedLineSeries::new(feasible, 8, 5, grey.stroke_width(2)))
        .map_err(plot_err)?
        .label("feasible (true max-flow ≥ amount)")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], grey.stroke_width(2)));
    draw_legend(&mut chart, SeriesLabelPosition::LowerLeft, 0.85, 13)?;

    // Right panel: median fee, log y.
    let mut chart = ChartBuilder::on(&panels[1])
        .caption("median fee of delivered payments", ("sans-serif", 17))
        .margin(12)
        .x_label_area_size(45)
        .y_label_area_size(55)
        .build_cartesian_2d((xlo..xhi).log_scale(), (fee_lo..fee_hi).log_scale())
        .map_err(plot_err)?;
    chart
        .configure_mesh()
        .x_desc("amount (sat, log scale)")
        .y_desc("fee (ppm of amount, log scale)")
        .x_label_formatter(&|x| format_sat(*x))
        .y_label_formatter(&|y| format_sat(*y))
        .label_style(("sans-serif", 13))
        .axis_desc_style(("sans-serif", 15))
        .light_line_style(WHITE)
        .draw()
        .map_err(plot_err)?;
    draw_strategies(&mut chart, points, &strategies, |p| {
        p.median_fee_ppm.map(|f| f.max(fee_lo))
    })?;
    draw_legend(&mut chart, SeriesLabelPosition::LowerLeft, 0.85, 13)?;
    present(&root)
}

/// One line with markers per strategy (colour and marker shape per strategy).
fn draw_strategies<'a, DB, X, Y>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    points: &[StrategyPoint],
    strategies: &[&str],
    value: impl Fn(&StrategyPoint) -> Option<f64>,
) -> anyhow::Result<()>
where
    DB: DrawingBackend + 'a,
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    for (i, s) in strategies.iter().enumerate() {
        let color = strategy_color(i);
        let mut series: Vec<(f64, f64)> = points
            .iter()
            .filter(|p| p.strategy == *s)
            .filter_map(|p| value(p).map(|v| (p.amount_sat.max(1) as f64, v)))
            .collect();
        series.sort_by(|a, b| a.0.total_cmp(&b.0));
        let marker = marker_of(i);
        chart
            .draw_series(LineSeries::new(series.clone(), color.stroke_width(2)))
            .map_err(plot_err)?
            .label(*s)
            .legend(move |(x, y)| {
                EmptyElement::at((x, y))
                    + PathElement::new(vec![(0, 0), (20, 0)], color.stroke_width(2))
                    + marker_element((10, 0), marker, color)
            });
        chart
            .draw_series(
                series
                    .into_iter()
                    .map(|(x, y)| EmptyElement::at((x, y)) + marker_element((0, 0), marker, color)),
            )
            .map_err(plot_err)?;
    }
    Ok(())
}

/// A marker of the given shape centred at a pixel offset, as a dynamic element.
fn marker_element<DB: DrawingBackend>(
    at: (i32, i32),
    marker: Marker,
    color: RGBColor,
) -> DynElement<'static, DB, (i32, i32)> {
    let (x, y) = at;
    match marker {
        Marker::Circle => Circle::new((x, y), 5, color.filled()).into_dyn(),
        Marker::Triangle => Polygon::new(
            vec![(x, y - 6), (x - 6, y + 5), (x + 6, y + 5)],
            color.filled(),
        )
        .into_dyn(),
        Marker::Square => {
            Rectangle::new([(x - 5, y - 5), (x + 5, y + 5)], color.filled()).into_dyn()
        }
    }
}

/// Draws the planned flow split: one horizontal bar per round, one segment per part (width =
/// amount), coloured by outcome and labelled with its planned probability.
pub fn pay_svg(parts: &[PlannedPart], title: &str, path: &Path) -> anyhow::Result<()> {
    let mut svg = String::new();
    draw_pay(parts, title, &mut svg)?;
    write_svg(path, &svg)
}

fn draw_pay(parts: &[PlannedPart], title: &str, svg: &mut String) -> anyhow::Result<()> {
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
    let root = SVGBackend::with_string(svg, (WIDTH, height)).into_drawing_area();
    root.fill(&WHITE).map_err(plot_err)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 20))
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(80)
        // Round r sits at y = rounds + 1 - r (round 1 on top); the y axis runs 0..=rounds+1 in
        // steps of 1 so that ticks fall on the bars. The extra 25% on the right holds the legend.
        .build_cartesian_2d(0.0..widest * 1.25, (0.0f64..rounds as f64 + 1.0).step(1.0))
        .map_err(plot_err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_desc("amount sent in the round (sat); label = planned success probability")
        .y_desc("round")
        .y_label_formatter(&|y| {
            let v = y.round() as i64;
            if v >= 1 && v <= rounds as i64 {
                format!("{}", rounds as i64 + 1 - v)
            } else {
                String::new()
            }
        })
        .x_label_formatter(&|x| format_sat(*x))
        .label_style(("sans-serif", 13))
        .axis_desc_style(("sans-serif", 15))
        .draw()
        .map_err(plot_err)?;
    let color = |o: PartOutcome| match o {
        PartOutcome::Settled => RGBColor(44, 160, 44),
        PartOutcome::Failed => RGBColor(214, 39, 40),
        PartOutcome::Released => RGBColor(150, 150, 150),
        PartOutcome::Planned => RGBColor(31, 119, 180),
    };
    for r in 1..=rounds {
        let mut x = 0.0;
        let y = (rounds + 1 - r) as f64;
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
    // A plan has only planned parts; a payment's parts ended one of three ways.
    let legend: &[(&str, PartOutcome)] = if parts.iter().all(|p| p.outcome == PartOutcome::Planned)
    {
        &[("planned (not sent)", PartOutcome::Planned)]
    } else {
        &[
            ("settled", PartOutcome::Settled),
            ("failed", PartOutcome::Failed),
            ("released", PartOutcome::Released),
        ]
    };
    for &(name, outcome) in legend {
        let c = color(outcome);
        chart
            .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
            .map_err(plot_err)?
            .label(name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 16, y + 6)], c.filled()));
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight, 0.9, 14)?;
    present(&root)
}

/// The legend box of every chart: a framed, mostly opaque box at `position`.
fn draw_legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
    opacity: f64,
    font_size: u32,
) -> anyhow::Result<()> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(opacity))
        .border_style(BLACK)
        .label_font(("sans-serif", font_size))
        .draw()
        .map_err(plot_err)
}

/// Finishes the drawing (into its string).
fn present<DB: DrawingBackend, CT: CoordTranslate>(
    root: &DrawingArea<DB, CT>,
) -> anyhow::Result<()> {
    root.present().map_err(plot_err)
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

/// Draws the success-versus-fee frontier of `pickhardt tune`: one panel per amount, x = median
/// fee over the payments every setting delivered (ppm, log scale), y = share of the feasible
/// payments delivered. The swept frugalities are one line labelled with their values; the
/// baselines and the legacy row are single markers.
pub fn frontier_svg(
    rows: &[crate::cmd_tune::TuneRow],
    title: &str,
    path: &Path,
) -> anyhow::Result<()> {
    let mut svg = String::new();
    draw_frontier(rows, title, &mut svg)?;
    write_svg(path, &svg)
}

fn draw_frontier(
    rows: &[crate::cmd_tune::TuneRow],
    title: &str,
    svg: &mut String,
) -> anyhow::Result<()> {
    anyhow::ensure!(!rows.is_empty(), "nothing to plot: no tune rows");
    let mut amounts: Vec<u64> = rows.iter().map(|r| r.amount_sat).collect();
    amounts.dedup();
    let root = SVGBackend::with_string(svg, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE).map_err(plot_err)?;
    let root = root.titled(title, ("sans-serif", 18)).map_err(plot_err)?;
    let panels = root.split_evenly((1, amounts.len()));
    for (panel, &amount) in panels.iter().zip(&amounts) {
        let at: Vec<&crate::cmd_tune::TuneRow> =
            rows.iter().filter(|r| r.amount_sat == amount).collect();
        let share = |r: &crate::cmd_tune::TuneRow| {
            100.0 * r.delivered_feasible as f64 / r.feasible.max(1) as f64
        };
        let fees: Vec<f64> = at
            .iter()
            .filter_map(|r| r.median_fee_ppm)
            .map(|f| f.max(0.1))
            .collect();
        let hi = fees.iter().copied().fold(1.0f64, f64::max) * 2.0;
        let lo = fees.iter().copied().fold(hi, f64::min) / 2.0;
        let ylo = at.iter().map(|r| share(r)).fold(100.0f64, f64::min);
        let ylo = (ylo - 5.0).clamp(0.0, 95.0);
        let mut chart = ChartBuilder::on(panel)
            .caption(
                format!("{} sat", format_sat(amount as f64)),
                ("sans-serif", 16),
            )
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(55)
            .build_cartesian_2d((lo..hi).log_scale(), ylo..101.0)
            .map_err(plot_err)?;
        chart
            .configure_mesh()
            .x_desc("median fee on common payments (ppm, log)")
            .y_desc("feasible payments delivered (%)")
            .x_label_formatter(&|x| format_sat(*x))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style(("sans-serif", 12))
            .axis_desc_style(("sans-serif", 13))
            .light_line_style(WHITE)
            .draw()
            .map_err(plot_err)?;
        let swept: Vec<(f64, f64, String)> = at
            .iter()
            .filter(|r| r.frugality.is_some())
            .filter_map(|r| {
                r.median_fee_ppm.map(|f| {
                    (
                        f.max(0.1),
                        share(r),
                        format!("{}", r.frugality.unwrap_or(0.0)),
                    )
                })
            })
            .collect();
        let color = strategy_color(0);
        chart
            .draw_series(LineSeries::new(
                swept.iter().map(|(x, y, _)| (*x, *y)),
                color.stroke_width(2),
            ))
            .map_err(plot_err)?
            .label("mcf, frugality swept")
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
        chart
            .draw_series(swept.iter().map(|(x, y, label)| {
                EmptyElement::at((*x, *y))
                    + Circle::new((0, 0), 4, color.filled())
                    + Text::new(label.clone(), (6, -14), ("sans-serif", 12))
            }))
            .map_err(plot_err)?;
        for (i, r) in at.iter().filter(|r| r.frugality.is_none()).enumerate() {
            let Some(f) = r.median_fee_ppm else { continue };
            let (c, m) = (strategy_color(i + 1), marker_of(i + 1));
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at((f.max(0.1), share(r))) + marker_element((0, 0), m, c),
                ))
                .map_err(plot_err)?
                .label(r.setting.clone())
                .legend(move |(x, y)| EmptyElement::at((x, y)) + marker_element((10, 0), m, c));
        }
        draw_legend(&mut chart, SeriesLabelPosition::LowerRight, 0.85, 12)?;
    }
    present(&root)
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
                    feasible_rate: 0.95,
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
