//! The dilution of a convertible issue across share prices.

use plotters::prelude::*;

use super::format::{count, money, percent};
use super::layout::{self, render, Title, BLUE, GREEN, GREY, HEIGHT, ORANGE, PURPLE, WIDTH};
use super::{ChartError, Coord, Svg};
use crate::convertible::dilution::{DilutionPointResponse, DilutionRequest, DilutionResponse};
use crate::convertible::terms::SettlementMethod;

/// The legend's names of the reference lines.
pub(super) const BASIC_SHARES: &str = "Basic shares";
pub(super) const CONVERSION_PRICE: &str = "Conversion price";
pub(super) const CAP_PRICE: &str = "Capped call cap";

/// What a settlement's line is called, and its colour.
pub(super) fn settlement(s: SettlementMethod) -> (&'static str, RGBColor) {
    match s {
        SettlementMethod::Physical => ("Physical settlement", BLUE),
        SettlementMethod::NetShare => ("Net share settlement", ORANGE),
        SettlementMethod::Cash => ("Cash settlement", GREEN),
    }
}

/// One line per settlement asked for: the request names one.
fn lines(res: &DilutionResponse) -> Vec<(SettlementMethod, &[DilutionPointResponse])> {
    vec![(res.settlement, res.points.as_slice())]
}

fn title(req: &DilutionRequest, res: &DilutionResponse) -> Title {
    let capped = req.capped_call.as_ref().map_or_else(String::new, |c| {
        format!(" · capped call to {}", money(c.cap_price.coord()))
    });
    let buyback = match &req.buyback {
        Some(b) => match (b.amount, b.price_per_share) {
            (Some(amount), Some(price)) => format!(
                " · buyback {} at {} ({} shares)",
                money(amount.coord()),
                money(price.coord()),
                count(res.shares_repurchased.coord())
            ),
            _ => format!(
                " · buyback of {} shares",
                count(res.shares_repurchased.coord())
            ),
        },
        None => String::new(),
    };
    let settlements: Vec<&str> = lines(res).iter().map(|(s, _)| settlement(*s).0).collect();
    Title {
        headline: format!(
            "Dilution by share price: {} notes converting at {}",
            money(res.terms.principal.coord()),
            money(res.terms.conversion_price.coord()),
        ),
        inputs: format!(
            "{} basic shares · {}{capped}{buyback}",
            count(res.basic_shares_outstanding.coord()),
            settlements.join(", ").to_lowercase(),
        ),
    }
}

/// Diluted shares above, dilution below, against the share price.
pub(super) fn draw(req: &DilutionRequest, res: &DilutionResponse) -> Result<Svg, ChartError> {
    let lines = lines(res);
    let series = |points: &[DilutionPointResponse],
                  value: fn(&DilutionPointResponse) -> f64|
     -> Vec<(f64, f64)> {
        points
            .iter()
            .map(|p| (p.share_price.coord(), value(p)))
            .collect()
    };
    let shares: Vec<_> = lines
        .iter()
        .map(|(s, p)| (*s, series(p, |p| p.diluted_shares_outstanding.coord())))
        .collect();
    let dilution: Vec<_> = lines
        .iter()
        .map(|(s, p)| (*s, series(p, |p| p.dilution_fraction.coord())))
        .collect();
    let basic = res.basic_shares_outstanding.coord();
    let conversion = res.terms.conversion_price.coord();
    let cap = req.capped_call.as_ref().map(|c| c.cap_price.coord());
    let (x_lo, x_hi) = layout::extent(
        shares
            .iter()
            .flat_map(|(_, s)| s.iter().map(|p| p.0))
            .chain([conversion])
            .chain(cap),
    );
    let (x_lo, x_hi) = layout::padded(x_lo, x_hi, 0.03);
    let x_range = x_lo.max(0.0)..x_hi;
    let markers: Vec<(String, f64, RGBColor)> = [
        (CONVERSION_PRICE, Some(conversion), GREY),
        (CAP_PRICE, cap, PURPLE),
    ]
    .into_iter()
    .filter_map(|(name, at, colour)| at.map(|x| (format!("{name} {}", money(x)), x, colour)))
    .collect();

    render((WIDTH, HEIGHT), &title(req, res), |area| {
        let (top, bottom) = layout::halves(area);
        let (lo, hi) = layout::extent(
            shares
                .iter()
                .flat_map(|(_, s)| s.iter().map(|p| p.1))
                .chain([basic]),
        );
        let (lo, hi) = layout::padded(lo, hi, 0.08);
        let mut upper = layout::upper(&top).build_cartesian_2d(x_range.clone(), lo..hi)?;
        layout::plain(&mut upper.configure_mesh())
            .y_desc("Diluted shares")
            .x_label_formatter(&|x| money(*x))
            .y_label_formatter(&|y| count(*y))
            .draw()?;
        let reference = GREY.stroke_width(1);
        upper
            .draw_series(DashedLineSeries::new(
                [(x_range.start, basic), (x_range.end, basic)],
                4,
                4,
                reference,
            ))?
            .label(format!("{BASIC_SHARES} {}", count(basic)))
            .legend(layout::stroke(reference));
        for (name, x, colour) in &markers {
            let style = colour.stroke_width(2);
            upper
                .draw_series(DashedLineSeries::new([(*x, lo), (*x, hi)], 8, 6, style))?
                .label(name.as_str())
                .legend(layout::stroke(style));
        }
        for (s, points) in &shares {
            let (name, colour) = settlement(*s);
            let style = colour.stroke_width(3);
            upper
                .draw_series(LineSeries::new(points.iter().copied(), style))?
                .label(name)
                .legend(layout::stroke(style));
            upper.draw_series(points.iter().map(|&p| Circle::new(p, 3, colour.filled())))?;
        }
        layout::legend(&mut upper, SeriesLabelPosition::UpperLeft)?;

        let (lo, hi) = layout::extent(dilution.iter().flat_map(|(_, s)| s.iter().map(|p| p.1)));
        let (lo, hi) = layout::with_zero(lo, hi);
        let mut lower = layout::lower(&bottom).build_cartesian_2d(x_range.clone(), lo..hi)?;
        layout::plain(&mut lower.configure_mesh())
            .x_desc("Share price (USD)")
            .y_desc("Dilution (of basic)")
            .x_label_formatter(&|x| money(*x))
            .y_label_formatter(&|y| percent(*y))
            .draw()?;
        lower.draw_series(LineSeries::new(
            [(x_range.start, 0.0), (x_range.end, 0.0)],
            reference,
        ))?;
        for (_, x, colour) in &markers {
            lower.draw_series(DashedLineSeries::new(
                [(*x, lo), (*x, hi)],
                8,
                6,
                colour.stroke_width(2),
            ))?;
        }
        for (s, points) in &dilution {
            let colour = settlement(*s).1;
            lower.draw_series(LineSeries::new(
                points.iter().copied(),
                colour.stroke_width(3),
            ))?;
            lower.draw_series(points.iter().map(|&p| Circle::new(p, 3, colour.filled())))?;
        }
        Ok(())
    })
}
