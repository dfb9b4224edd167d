//! The price profile of a convertible note.

use plotters::prelude::*;

use super::format::{basis_points, grouped, money, percent};
use super::layout::{self, render, Title, BLUE, GREEN, GREY, HEIGHT, MARGIN, ORANGE, WIDTH};
use super::{ChartError, Coord, Svg};
use crate::convertible::pricing::{
    CreditModel, ProfilePointResponse, ProfileRequest, ProfileResponse,
};

/// The legend's names of the series.
pub(super) const FAIR_VALUE: &str = "Fair value";
pub(super) const BOND_FLOOR: &str = "Bond floor";
pub(super) const PARITY: &str = "Parity (conversion value)";

/// The conversion price, USD per share, from the request's rate or price.
fn conversion_price(req: &ProfileRequest) -> Option<f64> {
    match (req.conversion_price, req.conversion_rate) {
        (Some(price), _) => Some(price.coord()),
        (None, Some(rate)) if rate.coord() > 0.0 => Some(1000.0 / rate.coord()),
        _ => None,
    }
}

fn title(req: &ProfileRequest, res: &ProfileResponse, conversion: Option<f64>) -> Title {
    let model = match res.model {
        CreditModel::TsiveriotisFernandes => "Tsiveriotis-Fernandes",
        CreditModel::HazardRate => "hazard rate",
    };
    let conversion = conversion.map_or_else(String::new, |c| format!("conversion {}, ", money(c)));
    Title {
        headline: format!(
            "Convertible value by share price: {conversion}vol {}, spread {}",
            percent(req.volatility.coord()),
            basis_points(req.credit_spread.coord()),
        ),
        inputs: format!(
            "Risk-free {} · coupon {} · matures {} · valued {} · {model}, {} steps · per 100 of face",
            percent(req.risk_free_rate.coord()),
            percent(req.coupon_rate.map_or(0.0, |c| c.coord())),
            req.maturity_date,
            req.valuation_date,
            grouped(u64::from(res.steps)),
        ),
    }
}

/// Fair value, bond floor and parity against the share price.
pub(super) fn draw(req: &ProfileRequest, res: &ProfileResponse) -> Result<Svg, ChartError> {
    let mut points: Vec<&ProfilePointResponse> = res.points.iter().collect();
    points.sort_by_key(|p| p.stock_price);
    let conversion = conversion_price(req);
    let series = |value: fn(&ProfilePointResponse) -> f64| -> Vec<(f64, f64)> {
        points
            .iter()
            .map(|p| (p.stock_price.coord(), value(p)))
            .collect()
    };
    let fair = series(|p| p.price_per_100.coord());
    let floor = series(|p| p.bond_floor_per_100.coord());
    let parity = series(|p| p.conversion_value_per_100.coord());
    let (x_lo, x_hi) = layout::extent(fair.iter().map(|p| p.0).chain(conversion));
    let (x_lo, x_hi) = layout::padded(x_lo.min(0.0), x_hi, 0.04);
    let (_, y_hi) = layout::extent(fair.iter().chain(&floor).chain(&parity).map(|p| p.1));
    let (_, y_hi) = layout::with_zero(0.0, y_hi);

    render((WIDTH, HEIGHT), &title(req, res, conversion), |area| {
        let mut chart = ChartBuilder::on(area)
            .margin(MARGIN)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(x_lo.max(0.0)..x_hi, 0.0..y_hi)?;
        layout::plain(&mut chart.configure_mesh())
            .x_desc("Share price (USD)")
            .y_desc("Value per 100 of face")
            .x_label_formatter(&|x| money(*x))
            .y_label_formatter(&|y| super::format::decimal(*y, 1))
            .draw()?;
        for (name, values, colour) in [
            (BOND_FLOOR, &floor, GREEN),
            (PARITY, &parity, ORANGE),
            (FAIR_VALUE, &fair, BLUE),
        ] {
            let style = colour.stroke_width(3);
            chart
                .draw_series(LineSeries::new(values.iter().copied(), style))?
                .label(name)
                .legend(layout::stroke(style));
        }
        chart.draw_series(fair.iter().map(|&p| Circle::new(p, 4, BLUE.filled())))?;
        if let Some(c) = conversion {
            let style = GREY.stroke_width(2);
            chart
                .draw_series(DashedLineSeries::new([(c, 0.0), (c, y_hi)], 8, 6, style))?
                .label(format!("Conversion price {}", money(c)))
                .legend(layout::stroke(style));
        }
        layout::legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        Ok(())
    })
}
