//! The cash flows of a data-center project.

use plotters::prelude::*;

use super::format::{money, per_kw_month, per_mw, percent};
use super::layout::{self, render, Title, BLUE, GREEN, GREY, HEIGHT, MARGIN, RED, WIDTH};
use super::{ChartError, Coord, Svg};
use crate::project::{ProjectRequest, ProjectResponse};

/// The legend's names of the series.
pub(super) const CASH_IN: &str = "Year's cash flow, positive";
pub(super) const CASH_OUT: &str = "Year's cash flow, negative";
pub(super) const CUMULATIVE: &str = "Cumulative cash flow";
/// The bars' colours, by sign.
pub(super) const IN_COLOUR: RGBColor = GREEN;
pub(super) const OUT_COLOUR: RGBColor = RED;

/// The site's key inputs: `250 MW · $10M/MW · $133/kW-mo · exit cap 7%`.
pub(super) fn site_inputs(req: &ProjectRequest) -> String {
    let exit = match (req.exit_cap_rate, req.exit_multiple) {
        (Some(cap), _) => format!("exit cap {}", percent(cap.coord())),
        (None, Some(multiple)) => format!(
            "exit at {}x NOI",
            super::format::decimal(multiple.coord(), 2)
        ),
        (None, None) => "no exit".to_owned(),
    };
    format!(
        "{} MW · {} · {} · {}-year horizon · {exit}",
        super::format::decimal(req.it_capacity_mw.coord(), 2),
        per_mw(req.cost_per_mw.coord()),
        match (&req.rate_per_kw_month, &req.leases) {
            (Some(rate), _) => per_kw_month(rate.coord()),
            (None, Some(leases)) => format!("{} leases", leases.len()),
            (None, None) => "no rent".to_owned(),
        },
        req.horizon_years,
    )
}

/// Each year's cash flow as a bar, and the cumulative cash flow as a line.
pub(super) fn draw(req: &ProjectRequest, res: &ProjectResponse) -> Result<Svg, ChartError> {
    let years: Vec<(i32, f64, f64)> = res
        .years
        .iter()
        .map(|y| {
            (
                layout::slot(y.year),
                y.cash_flow.coord(),
                y.cumulative.coord(),
            )
        })
        .collect();
    let (first, last) = (
        res.years.first().map_or(0, |y| y.year),
        res.years.last().map_or(0, |y| y.year),
    );
    let (lo, hi) = layout::extent(years.iter().flat_map(|y| [y.1, y.2]));
    let (y_lo, y_hi) = layout::with_zero(lo, hi);
    let title = Title {
        headline: format!(
            "Project cash flows: NPV {} at {}, IRR {}",
            money(res.npv.coord()),
            percent(req.discount_rate.coord()),
            percent(res.irr.coord()),
        ),
        inputs: format!(
            "{} · total cost {}",
            site_inputs(req),
            money(res.total_cost.coord())
        ),
    };

    render((WIDTH, HEIGHT), &title, |area| {
        let mut chart = ChartBuilder::on(area)
            .margin(MARGIN)
            .x_label_area_size(50)
            .y_label_area_size(80)
            .build_cartesian_2d(layout::slots(first, last, 21), y_lo..y_hi)?;
        layout::plain(&mut chart.configure_mesh())
            .x_desc("Year from the start of construction")
            .y_desc("Cash flow (USD)")
            .x_label_formatter(&|x| (x / layout::SLOT).to_string())
            .y_label_formatter(&|y| money(*y))
            .disable_x_mesh()
            .draw()?;
        let flows: Vec<(i32, f64)> = years.iter().map(|y| (y.0, y.1)).collect();
        layout::signed_bars(
            &mut chart,
            &flows,
            [(CASH_IN, IN_COLOUR), (CASH_OUT, OUT_COLOUR)],
        )?;
        let line = BLUE.stroke_width(3);
        chart
            .draw_series(LineSeries::new(years.iter().map(|y| (y.0, y.2)), line))?
            .label(CUMULATIVE)
            .legend(layout::stroke(line));
        chart.draw_series(
            years
                .iter()
                .map(|y| Circle::new((y.0, y.2), 3, BLUE.filled())),
        )?;
        let axis = chart.x_range();
        chart.draw_series(LineSeries::new(
            [(axis.start, 0.0), (axis.end, 0.0)],
            GREY.stroke_width(1),
        ))?;
        layout::legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        Ok(())
    })
}
