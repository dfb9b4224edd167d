//! The sum-of-the-parts waterfall.

use plotters::coord::combinators::BindKeyPoints;
use plotters::prelude::*;

use super::format::{count, decimal, money, per_share};
use super::layout::{self, render, text, Title, BLUE, GREEN, GREY, MARGIN, RED, WIDTH};
use super::{ChartError, Coord, Svg};
use crate::valuation::{FixedPoint, ScenarioResponse, SumOfPartsRequest, SumOfPartsResponse};

/// The legend's names, and the bars' colours.
pub(super) const ADDS: (&str, RGBColor) = ("Adds value", GREEN);
pub(super) const TAKES: (&str, RGBColor) = ("Takes value", RED);
pub(super) const TOTAL: (&str, RGBColor) = ("Value per share", BLUE);
/// The height of a bar's row, and of a panel's caption and axis, pixels.
const ROW: u32 = 30;
const PANEL_FRAME: u32 = 90;
/// Labels longer than this are cut, so that the plot keeps its width.
const LABEL_CHARS: usize = 44;

/// One bar: its label, where it starts and ends (USD per share), and its
/// colour.
struct Bar {
    label: String,
    from: f64,
    to: f64,
    colour: RGBColor,
}

/// The bridge of the scenario's lowest-value solution, then its value per
/// share.
fn bars(scenario: &ScenarioResponse) -> Vec<Bar> {
    let mut bars = Vec::new();
    let mut running = 0.0;
    if let Some(solution) = scenario.solutions.first() {
        for step in &solution.waterfall {
            let amount = step.per_share.coord();
            let colour = if step.amount.coord() >= 0.0 {
                ADDS.1
            } else {
                TAKES.1
            };
            bars.push(Bar {
                label: step.label.clone(),
                from: running,
                to: running + amount,
                colour,
            });
            running += amount;
        }
    }
    bars.push(Bar {
        label: TOTAL.0.to_owned(),
        from: 0.0,
        to: scenario.value_per_share.coord(),
        colour: TOTAL.1,
    });
    bars
}

fn cut(label: &str) -> String {
    if label.chars().count() > LABEL_CHARS {
        let kept: String = label.chars().take(LABEL_CHARS - 1).collect();
        format!("{kept}…")
    } else {
        label.to_owned()
    }
}

fn title(req: &SumOfPartsRequest, res: &SumOfPartsResponse) -> Title {
    let values: Vec<String> = res
        .scenarios
        .iter()
        .map(|s| format!("{} {}", s.name, per_share(s.value_per_share.coord())))
        .collect();
    let inputs = req.scenarios.first().map_or_else(String::new, |s| {
        let principal: f64 = s.convertibles.iter().map(|c| c.principal.coord()).sum();
        let mut parts = vec![format!("{} basic shares", count(s.basic_shares.coord()))];
        if let Some(m) = &s.mining {
            if let Some(h) = m.hashrate_ehs {
                parts.push(format!("mining {} EH/s", decimal(h.coord(), 1)));
            } else {
                parts.push("mining on EBITDA".to_owned());
            }
        }
        if !s.data_centers.is_empty() {
            parts.push(format!("{} data-center site(s)", s.data_centers.len()));
        }
        if let Some(t) = &s.bitcoin_treasury {
            parts.push(format!("{} BTC held", decimal(t.btc.coord(), 2)));
        }
        if !s.convertibles.is_empty() {
            parts.push(format!("{} of convertibles", money(principal)));
        }
        format!("{} ({})", parts.join(" · "), s.name)
    });
    Title {
        headline: format!("Sum of the parts per diluted share: {}", values.join(" · ")),
        inputs,
    }
}

/// One waterfall panel per scenario, on a shared axis.
pub(super) fn draw(req: &SumOfPartsRequest, res: &SumOfPartsResponse) -> Result<Svg, ChartError> {
    let panels: Vec<(&ScenarioResponse, Vec<Bar>)> =
        res.scenarios.iter().map(|s| (s, bars(s))).collect();
    let (lo, hi) = layout::extent(
        panels
            .iter()
            .flat_map(|(_, b)| b.iter().flat_map(|b| [b.from, b.to])),
    );
    let (lo, hi) = layout::with_zero(lo, hi);
    let heights: Vec<u32> = panels
        .iter()
        .map(|(_, b)| PANEL_FRAME + ROW * u32::try_from(b.len()).unwrap_or(u32::MAX / ROW))
        .collect();
    let height = 70 + heights.iter().sum::<u32>();

    render((WIDTH, height), &title(req, res), |area| {
        let mut rest = area.clone();
        for (i, ((scenario, bars), panel_height)) in panels.iter().zip(&heights).enumerate() {
            let (panel, below) = rest.split_vertically(*panel_height);
            rest = below;
            // Plotters labels only integer axes at chosen points, so a row
            // is 20 units high; row 0 is drawn at the top.
            let rows = 20 * i32::try_from(bars.len()).unwrap_or(i32::MAX / 20);
            let centre = |r: usize| rows - 20 * r as i32 - 10;
            let keys = (0..bars.len()).map(centre).collect();
            let solutions = match scenario.fixed_point {
                FixedPoint::Unique => String::new(),
                FixedPoint::Multiple => format!(
                    " (lowest of {} self-consistent solutions)",
                    scenario.solutions.len()
                ),
            };
            let mut chart = ChartBuilder::on(&panel)
                .margin(MARGIN)
                .margin_top(8)
                .caption(
                    format!(
                        "{}: {} per diluted share{solutions}",
                        scenario.name,
                        per_share(scenario.value_per_share.coord())
                    ),
                    text(18),
                )
                .x_label_area_size(36)
                .y_label_area_size(300)
                .build_cartesian_2d(lo..hi, (0..rows).with_key_points(keys))?;
            layout::plain(&mut chart.configure_mesh())
                .x_desc("USD per diluted share")
                .x_label_formatter(&|x| money(*x))
                .y_label_formatter(&|y| {
                    usize::try_from((rows - *y - 10) / 20)
                        .ok()
                        .and_then(|r| bars.get(r))
                        .map_or_else(String::new, |b| cut(&b.label))
                })
                .disable_y_mesh()
                .draw()?;
            for (r, bar) in bars.iter().enumerate() {
                let (top, bottom) = (centre(r) + 7, centre(r) - 7);
                let rect = Rectangle::new(
                    [(bar.from.min(bar.to), bottom), (bar.from.max(bar.to), top)],
                    bar.colour.filled(),
                );
                let signed = if bar.colour == TOTAL.1 {
                    per_share(bar.to)
                } else if bar.to >= bar.from {
                    format!("+{}", per_share(bar.to - bar.from))
                } else {
                    per_share(bar.to - bar.from)
                };
                let end = bar.from.max(bar.to) + (hi - lo) * 0.01;
                let label = Text::new(
                    signed,
                    (end, centre(r)),
                    layout::text(13).pos(plotters::style::text_anchor::Pos::new(
                        plotters::style::text_anchor::HPos::Left,
                        plotters::style::text_anchor::VPos::Center,
                    )),
                );
                chart.draw_series([rect])?;
                chart.draw_series([label])?;
            }
            chart.draw_series(LineSeries::new(
                [(0.0, 0), (0.0, rows)],
                GREY.stroke_width(1),
            ))?;
            if i == 0 {
                for (name, colour) in [ADDS, TAKES, TOTAL] {
                    chart
                        .draw_series(std::iter::empty::<Rectangle<(f64, i32)>>())?
                        .label(name)
                        .legend(layout::swatch(colour));
                }
                layout::legend(&mut chart, SeriesLabelPosition::UpperRight)?;
            }
        }
        Ok(())
    })
}
