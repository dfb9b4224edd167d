//! The heatmap of a sensitivity grid.

use plotters::coord::combinators::BindKeyPoints;
use plotters::prelude::*;

use super::format::{decimal, money, per_kw_month, per_mw, per_mwh, percent};
use super::layout::{self, centred, render, text, Title, GREY, HEIGHT, INK, MARGIN, WIDTH};
use super::{ChartError, Coord, Svg};
use crate::project::{MetricName, VariableName};
use crate::sensitivity::{SensitivityRequest, SensitivityResponse};

/// The colour of a cell without a value.
pub(super) const NO_VALUE: RGBColor = RGBColor(220, 220, 220);
/// The colour scale's width, pixels.
const SCALE_WIDTH: u32 = 130;
/// Cells smaller than this, pixels, are not labelled.
const LABELLED_CELL: (f64, f64) = (44.0, 16.0);
/// At most this many tick labels on an axis.
const MAX_TICKS: usize = 16;
/// Viridis, sampled at five stops: perceptually even, and readable in grey.
const VIRIDIS: [(u8, u8, u8); 5] = [
    (68, 1, 84),
    (59, 82, 139),
    (33, 145, 140),
    (94, 201, 98),
    (253, 231, 37),
];

/// The colour of `t` in [0, 1] on the scale.
pub(super) fn colour(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (VIRIDIS.len() - 1) as f64;
    let i = (x.floor() as usize).min(VIRIDIS.len() - 2);
    let f = x - i as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Dark text on light cells, light text on dark ones.
fn ink_on(background: RGBColor) -> RGBColor {
    let RGBColor(r, g, b) = background;
    let luminance = 0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b);
    if luminance > 140.0 {
        INK
    } else {
        WHITE
    }
}

/// A fraction as a percentage to exactly one decimal, so that the cells
/// of a grid line up: `12.0%`.
fn percent_1dp(fraction: f64) -> String {
    format!("{:.1}%", fraction * 100.0)
}

/// What the metric is called on the chart, and how its values read.
fn metric(m: MetricName) -> (&'static str, fn(f64) -> String) {
    match m {
        MetricName::Npv => ("NPV (USD)", money),
        MetricName::Irr => ("IRR", percent_1dp),
        MetricName::PaybackYears => ("Payback (years)", |v| decimal(v, 1)),
        MetricName::YieldOnCost => ("Yield on cost", percent_1dp),
        MetricName::DevelopmentSpread => ("Development spread", percent_1dp),
        MetricName::StabilizedNoi => ("Stabilized NOI (USD a year)", money),
        MetricName::Arr => ("ARR (USD a year)", money),
        MetricName::ExitValue => ("Exit value (USD)", money),
        MetricName::EquityMultiple => ("Equity multiple (x)", |v| format!("{}x", decimal(v, 2))),
        MetricName::LeveredIrr => ("Levered IRR", percent_1dp),
        MetricName::LeveredNpv => ("Levered NPV (USD)", money),
        MetricName::MinDscr => ("Minimum DSCR (x)", |v| format!("{}x", decimal(v, 2))),
        MetricName::AvgDscr => ("Average DSCR (x)", |v| format!("{}x", decimal(v, 2))),
        MetricName::LeveredEquityMultiple => ("Levered equity multiple (x)", |v| {
            format!("{}x", decimal(v, 2))
        }),
        MetricName::PeakEquity => ("Peak equity (USD)", money),
    }
}

/// What the input is called on an axis, with its unit, and how its values
/// read.
fn variable(v: VariableName) -> (&'static str, fn(f64) -> String) {
    match v {
        VariableName::RatePerKwMonth => ("Rent (USD per kW-month)", per_kw_month),
        VariableName::CostPerMw => ("Build cost (USD per MW)", per_mw),
        VariableName::StabilizedOccupancy => ("Stabilized occupancy", percent),
        VariableName::RentEscalator => ("Rent escalator (a year)", percent),
        VariableName::DiscountRate => ("Discount rate", percent),
        VariableName::ExitCapRate => ("Exit cap rate", percent),
        VariableName::ExitMultiple => ("Exit multiple (x NOI)", |v| format!("{}x", decimal(v, 2))),
        VariableName::OpexFraction => ("Opex (share of rent)", percent),
        VariableName::OpexPerKwMonth => ("Opex (USD per kW-month)", per_kw_month),
        VariableName::PowerPricePerMwh => ("Power price (USD per MWh)", per_mwh),
        VariableName::MiningMarginPerMonth => ("Mining margin given up (USD a month)", money),
    }
}

/// Every `n / MAX_TICKS`-th index, so that labels do not overlap.
fn ticks(n: usize) -> Vec<usize> {
    let every = n.div_ceil(MAX_TICKS).max(1);
    (0..n).step_by(every).collect()
}

/// A heatmap of the first grid, with its colour scale.
pub(super) fn draw(req: &SensitivityRequest, res: &SensitivityResponse) -> Result<Svg, ChartError> {
    let grid = res.grids.first();
    let (metric_name, metric_format) =
        grid.map_or(("", money as fn(f64) -> String), |g| metric(g.output));
    let (row_name, row_format) = variable(res.rows.variable);
    let (column_name, column_format) = variable(res.columns.variable);
    let rows: Vec<f64> = res.rows.values.iter().map(Coord::coord).collect();
    let columns: Vec<f64> = res.columns.values.iter().map(Coord::coord).collect();
    let (n_rows, n_columns) = (rows.len(), columns.len());
    let cell = |r: usize, c: usize| -> Option<f64> {
        grid?.cells.get(r)?.get(c)?.value.as_ref().map(Coord::coord)
    };
    let error =
        |r: usize, c: usize| -> Option<&str> { grid?.cells.get(r)?.get(c)?.error.as_deref() };
    let (lo, hi) = layout::extent(
        (0..n_rows)
            .flat_map(|r| (0..n_columns).map(move |c| (r, c)))
            .filter_map(|(r, c)| cell(r, c)),
    );
    let scale = |v: f64| if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
    let title = Title {
        headline: format!(
            "{} by {} and {}",
            metric_name.split(" (").next().unwrap_or(metric_name),
            row_name
                .split(" (")
                .next()
                .unwrap_or(row_name)
                .to_lowercase(),
            column_name
                .split(" (")
                .next()
                .unwrap_or(column_name)
                .to_lowercase(),
        ),
        inputs: format!(
            "{} · discount {} · {} cells",
            super::project::site_inputs(&req.project),
            percent(req.project.discount_rate.coord()),
            super::format::grouped((n_rows * n_columns) as u64),
        ),
    };
    // Plotters labels only integer axes at chosen points, so a cell is 2
    // units wide and its centre an odd number. Row 0 is drawn at the top,
    // as in the response's `cells[row]`.
    let (x_max, y_max) = (2 * n_columns as i32, 2 * n_rows as i32);
    let y_of = |r: usize| y_max - 2 * r as i32;

    render((WIDTH, HEIGHT), &title, |area| {
        let (plot, legend) = area.split_horizontally(WIDTH - SCALE_WIDTH);
        let x_keys = ticks(n_columns)
            .into_iter()
            .map(|c| 2 * c as i32 + 1)
            .collect();
        let y_keys = ticks(n_rows).into_iter().map(|r| y_of(r) - 1).collect();
        let mut chart = ChartBuilder::on(&plot)
            .margin(MARGIN)
            .x_label_area_size(50)
            .y_label_area_size(110)
            .build_cartesian_2d(
                (0..x_max).with_key_points(x_keys),
                (0..y_max).with_key_points(y_keys),
            )?;
        let label = |values: &[f64], format: fn(f64) -> String, i: i32| {
            usize::try_from(i)
                .ok()
                .and_then(|i| values.get(i))
                .map_or_else(String::new, |&v| format(v))
        };
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(column_name)
            .y_desc(row_name)
            .x_label_formatter(&|x| label(&columns, column_format, (*x - 1) / 2))
            .y_label_formatter(&|y| label(&rows, row_format, (y_max - *y - 1) / 2))
            .axis_desc_style(text(16))
            .label_style(text(14))
            .draw()?;
        let (width, height) = chart.plotting_area().dim_in_pixel();
        let labelled = f64::from(width) / (n_columns.max(1) as f64) >= LABELLED_CELL.0
            && f64::from(height) / (n_rows.max(1) as f64) >= LABELLED_CELL.1;
        for r in 0..n_rows {
            for c in 0..n_columns {
                let (x, y) = (2 * c as i32, y_of(r));
                let value = cell(r, c);
                let fill = value.map_or(NO_VALUE, |v| colour(scale(v)));
                chart.draw_series([Rectangle::new([(x, y - 2), (x + 2, y)], fill.filled())])?;
                if labelled {
                    let words = value.map_or_else(
                        || error(r, c).unwrap_or("no value").to_owned(),
                        metric_format,
                    );
                    chart.draw_series([Text::new(
                        words,
                        (x + 1, y - 1),
                        centred(text(14)).color(&ink_on(fill)),
                    )])?;
                }
            }
        }
        draw_scale(&legend, metric_name, metric_format, (lo, hi))
    })
}

/// The colour scale: a bar from the lowest value to the highest.
fn draw_scale(
    area: &layout::Area<'_>,
    name: &str,
    format: fn(f64) -> String,
    (lo, hi): (f64, f64),
) -> Result<(), ChartError> {
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        layout::padded(lo, hi, 0.0)
    };
    let mut chart = ChartBuilder::on(area)
        .margin_top(MARGIN + 24)
        .margin_bottom(MARGIN + 50)
        .margin_right(8)
        .y_label_area_size(0)
        .right_y_label_area_size(80)
        .caption(name.split(" (").next().unwrap_or(name), text(14))
        .build_cartesian_2d(0.0..1.0, lo..hi)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .y_labels(6)
        .y_label_formatter(&|v| format(*v))
        .label_style(text(13))
        .draw()?;
    const STEPS: usize = 64;
    let band = (hi - lo) / STEPS as f64;
    chart.draw_series((0..STEPS).map(|i| {
        let from = lo + band * i as f64;
        Rectangle::new(
            [(0.0, from), (1.0, from + band)],
            colour((i as f64 + 0.5) / STEPS as f64).filled(),
        )
    }))?;
    chart.draw_series([Rectangle::new([(0.0, lo), (1.0, hi)], GREY.stroke_width(1))])?;
    Ok(())
}
