//! The monthly projection of a mining fleet.

use plotters::prelude::*;

use super::format::{count, decimal, money, per_mwh, percent};
use super::layout::{self, render, Title, BLUE, GREEN, GREY, HEIGHT, ORANGE, RED, WIDTH};
use super::{ChartError, Coord, Svg};
use crate::mining::projection::{ProjectionRequest, ProjectionResponse};

/// The legend's names of the series.
pub(super) const BTC_MINED: &str = "BTC mined in the month";
pub(super) const HALVING: &str = "Halving";
pub(super) const REVENUE: &str = "Revenue";
pub(super) const MARGIN_IN: &str = "Margin";
pub(super) const MARGIN_OUT: &str = "Negative margin";
/// The bars' colours.
pub(super) const BTC_COLOUR: RGBColor = ORANGE;
pub(super) const MARGIN_IN_COLOUR: RGBColor = GREEN;
pub(super) const MARGIN_OUT_COLOUR: RGBColor = RED;

fn title(req: &ProjectionRequest, res: &ProjectionResponse) -> Title {
    let first = res.months.first();
    let margin = res.total_margin.map_or_else(
        || "no margin without power".to_owned(),
        |m| format!("margin {}", money(m.coord())),
    );
    let growth = |rate: Option<crate::wire::Num>| {
        rate.map_or_else(String::new, |g| {
            format!(
                " {}{}/mo",
                if g.coord() >= 0.0 { "+" } else { "" },
                percent(g.coord())
            )
        })
    };
    let power = match (req.efficiency_j_per_th, req.power_price_per_mwh) {
        (Some(e), Some(p)) => format!(
            " · {} J/TH at {}",
            decimal(e.coord(), 2),
            per_mwh(p.coord())
        ),
        _ => String::new(),
    };
    Title {
        headline: format!(
            "Mining projection: {} BTC over {} months, {margin}",
            decimal(res.total_btc.coord(), 0),
            res.months.len(),
        ),
        inputs: format!(
            "Fleet {} EH/s · network {} EH/s{} · BTC {}{}{power} · from {}",
            // The first month's fleet: a single fleet's or the cohorts' sum.
            first.map_or_else(String::new, |m| decimal(m.fleet_hashrate_ehs.coord(), 2)),
            first.map_or_else(String::new, |m| decimal(m.network_hashrate_ehs.coord(), 1)),
            growth(req.network_growth_per_month),
            first.map_or_else(String::new, |m| money(m.btc_price.coord())),
            growth(req.btc_price_growth_per_month),
            req.start_date,
        ),
    }
}

/// At most this many month labels: `2025-12` needs about 60 pixels.
const MONTH_LABELS: usize = 12;

/// BTC mined per month above; revenue and margin below.
pub(super) fn draw(req: &ProjectionRequest, res: &ProjectionResponse) -> Result<Svg, ChartError> {
    let at = layout::slot;
    let (first, last) = (
        res.months.first().map_or(1, |m| m.month),
        res.months.last().map_or(1, |m| m.month),
    );
    let month_label = |x: &i32| {
        res.months
            .iter()
            .find(|m| at(m.month) == *x)
            .map_or_else(String::new, |m| {
                m.start_date.get().format("%Y-%m").to_string()
            })
    };
    let btc: Vec<(i32, f64)> = res
        .months
        .iter()
        .map(|m| (at(m.month), m.btc_mined.coord()))
        .collect();
    let revenue: Vec<(i32, f64)> = res
        .months
        .iter()
        .map(|m| (at(m.month), m.revenue.coord()))
        .collect();
    let margin: Vec<(i32, f64)> = res
        .months
        .iter()
        .filter_map(|m| m.margin.map(|v| (at(m.month), v.coord())))
        .collect();
    let halvings: Vec<i32> = res
        .months
        .iter()
        .filter(|m| m.halving_in_month)
        .map(|m| at(m.month))
        .collect();

    render((WIDTH, HEIGHT), &title(req, res), |area| {
        let (top, bottom) = layout::halves(area);
        let (_, btc_hi) = layout::extent(btc.iter().map(|p| p.1));
        // Headroom for the legend above the bars.
        let btc_hi = layout::with_zero(0.0, btc_hi).1 * 1.2;
        let mut upper = layout::upper(&top)
            .build_cartesian_2d(layout::slots(first, last, MONTH_LABELS), 0.0..btc_hi)?;
        layout::plain(&mut upper.configure_mesh())
            .y_desc("BTC per month")
            .x_label_formatter(&month_label)
            .y_label_formatter(&|y| count(*y))
            .disable_x_mesh()
            .draw()?;
        upper
            .draw_series(
                btc.iter()
                    .map(|&(x, y)| layout::bar(x, y, BTC_COLOUR.filled())),
            )?
            .label(BTC_MINED)
            .legend(layout::swatch(BTC_COLOUR));
        if !halvings.is_empty() {
            let style = GREY.stroke_width(2);
            for &h in &halvings {
                upper.draw_series(DashedLineSeries::new([(h, 0.0), (h, btc_hi)], 6, 4, style))?;
            }
            upper
                .draw_series(std::iter::empty::<PathElement<(i32, f64)>>())?
                .label(HALVING)
                .legend(layout::stroke(style));
        }
        layout::legend(&mut upper, SeriesLabelPosition::UpperRight)?;

        let (lo, hi) = layout::extent(revenue.iter().chain(&margin).map(|p| p.1));
        let (lo, hi) = layout::with_zero(lo, hi);
        // Headroom for the legend above the revenue line.
        let mut lower = layout::lower(&bottom).build_cartesian_2d(
            layout::slots(first, last, MONTH_LABELS),
            lo..hi + (hi - lo) * 0.35,
        )?;
        layout::plain(&mut lower.configure_mesh())
            .x_desc("Month")
            .y_desc("USD per month")
            .x_label_formatter(&month_label)
            .y_label_formatter(&|y| money(*y))
            .disable_x_mesh()
            .draw()?;
        layout::signed_bars(
            &mut lower,
            &margin,
            [
                (MARGIN_IN, MARGIN_IN_COLOUR),
                (MARGIN_OUT, MARGIN_OUT_COLOUR),
            ],
        )?;
        let line = BLUE.stroke_width(3);
        lower
            .draw_series(LineSeries::new(revenue.iter().copied(), line))?
            .label(REVENUE)
            .legend(layout::stroke(line));
        layout::legend(&mut lower, SeriesLabelPosition::UpperRight)?;
        Ok(())
    })
}
