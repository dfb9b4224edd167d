//! The figures a desk reads beside the price: yields to the first put, the
//! first call and maturity, the yield to worst, the breakeven, and the
//! event table of the dates each engine placed.

use chrono::NaiveDate;
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;

use super::lattice::ConvertibleInput;
use super::schedule::years_between;
use super::trading_days;
use super::yield_::{self, Frequency, YieldInput};
use crate::error::CoreError;
use crate::num::{self, Fraction};
use crate::Result;

/// Yields of the note at a clean price, nominal annual decimal fractions
/// compounded at the coupon frequency (semi-annually for a zero-coupon
/// note), each `None` when there is no such date or no yield reaches the
/// price.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Yields {
    /// To maturity at 100.
    pub yield_to_maturity: Option<f64>,
    /// To the first put date after valuation, at its price.
    pub yield_to_put: Option<f64>,
    /// To the first call date after valuation, at its price.
    pub yield_to_call: Option<f64>,
    /// The least of the three.
    pub yield_to_worst: Option<f64>,
}

/// The yields of `input`'s note bought at `clean_price_per_100` on the
/// valuation date, by [`yield_::yield_to_date`].
///
/// The first call date is the first `from_date` after valuation, or the
/// day after valuation for a call period already running.
pub fn yields(input: &ConvertibleInput, clean_price_per_100: f64) -> Result<Yields> {
    let spec = input.spec();
    let price = match Decimal::from_f64(clean_price_per_100) {
        Some(p) if p > Decimal::ZERO => p,
        _ => {
            return Ok(Yields {
                yield_to_maturity: None,
                yield_to_put: None,
                yield_to_call: None,
                yield_to_worst: None,
            })
        }
    };
    let overflow = || CoreError::Overflow { quantity: "yields" };
    let frequency = Frequency::from_per_year(match spec.coupon_frequency {
        0 => 2,
        f => f,
    })?;
    let yield_input = YieldInput {
        price_per_100: yield_::price_per_100(price.min(yield_::MAX_PRICE_PER_100))
            .map_err(|_| overflow())?,
        coupon_rate: Fraction::new(Decimal::from_f64(spec.coupon_rate).ok_or_else(overflow)?)
            .map_err(|_| overflow())?,
        frequency,
        settlement_date: spec.valuation_date,
        maturity_date: spec.maturity_date,
    };
    let to = |date: NaiveDate, price_per_100: f64| -> Option<f64> {
        let redemption = Decimal::from_f64(price_per_100)?;
        yield_::yield_to_date(&yield_input, date, redemption)
            .ok()
            .map(num::to_f64)
    };
    let day_after = spec
        .valuation_date
        .succ_opt()
        .unwrap_or(spec.valuation_date);
    let first_put = spec
        .put_schedule
        .iter()
        .filter(|p| p.date > spec.valuation_date)
        .min_by_key(|p| p.date);
    let first_call = spec
        .call_schedule
        .iter()
        .filter(|c| c.to_date > spec.valuation_date)
        .map(|c| (c.from_date.max(day_after), c.price_per_100))
        .min_by(|a, b| a.0.cmp(&b.0));
    let ytm = to(spec.maturity_date, 100.0);
    let ytp = first_put.and_then(|p| to(p.date, p.price_per_100));
    let ytc = first_call.and_then(|(d, p)| to(d, p));
    let worst = [ytm, ytp, ytc].into_iter().flatten().reduce(f64::min);
    Ok(Yields {
        yield_to_maturity: ytm,
        yield_to_put: ytp,
        yield_to_call: ytc,
        yield_to_worst: worst,
    })
}

/// Years for the coupon's advantage over the dividends to pay back the
/// premium over parity, per 100 of face; `Some(0)` at or below parity,
/// `None` when the advantage is not positive.
///
/// # Formula
/// ```text
/// premium   = price − shares × S
/// advantage = coupon_rate × 100 − shares × (q × S + Σ discrete dividends in the next 365 days)
/// breakeven = premium / advantage
/// ```
pub fn breakeven_years(input: &ConvertibleInput, price_per_100: f64) -> Option<f64> {
    let spec = input.spec();
    let shares = input.conversion_shares_per_100();
    let s = spec.stock_price;
    let premium = price_per_100 - shares * s;
    if premium <= 0.0 {
        return Some(0.0);
    }
    let year_end = spec.valuation_date + chrono::Days::new(365);
    let discrete: f64 = spec
        .dividends
        .iter()
        .filter(|d| d.ex_date > spec.valuation_date && d.ex_date <= year_end)
        .map(|d| d.amount)
        .sum();
    let advantage = spec.coupon_rate * 100.0 - shares * (spec.dividend_yield * s + discrete);
    (advantage > 0.0).then(|| premium / advantage)
}

/// What falls on a date of the event table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// A coupon payment.
    Coupon,
    /// The first day of a call period.
    CallStart,
    /// The last day of a call period.
    CallEnd,
    /// A put date.
    Put,
    /// The last trading day of a calendar quarter, when the contingent-
    /// conversion test is read.
    ContingentConversionTest,
    /// The free-conversion date.
    ContingentConversionEnd,
    /// An effective date of the make-whole table.
    MakeWhole,
    /// An ex-dividend date.
    ExDividend,
    /// The first conversion date.
    ConversionStart,
    /// The maturity date.
    Maturity,
}

/// One date as an engine placed it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Event {
    /// What falls on it.
    pub kind: EventKind,
    /// The contractual date.
    pub date: NaiveDate,
    /// The step the engine placed it on: a lattice step (0 is the valuation
    /// date), or a day of the monitoring grid (1 is the first trading day
    /// after valuation).
    pub step: usize,
    /// The years from valuation of that step.
    pub step_years: f64,
}

/// Where an engine puts dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// A lattice of `steps` equal steps: the nearest step.
    Lattice {
        /// The steps the lattice used.
        steps: usize,
    },
    /// The daily grid: the first trading day on or after the date.
    DailyGrid,
}

/// The note's dates after valuation, as `placement` puts them, in date order.
pub fn events(input: &ConvertibleInput, placement: Placement) -> Vec<Event> {
    let spec = input.spec();
    let mut dated: Vec<(EventKind, NaiveDate)> = Vec::new();
    dated.extend(
        input
            .coupon_periods()
            .iter()
            .map(|p| (EventKind::Coupon, p.payment_date)),
    );
    for c in &spec.call_schedule {
        dated.push((EventKind::CallStart, c.from_date));
        dated.push((EventKind::CallEnd, c.to_date));
    }
    dated.extend(spec.put_schedule.iter().map(|p| (EventKind::Put, p.date)));
    dated.extend(
        spec.dividends
            .iter()
            .map(|d| (EventKind::ExDividend, d.ex_date)),
    );
    dated.extend(
        spec.conversion_start_date
            .map(|d| (EventKind::ConversionStart, d)),
    );
    let grid = trading_days::grid(spec.valuation_date, spec.maturity_date);
    if let Some(c) = spec.contract.contingent_conversion {
        dated.push((EventKind::ContingentConversionEnd, c.until_date));
        for (k, day) in grid.iter().enumerate() {
            let quarter = |d: &NaiveDate| {
                (
                    chrono::Datelike::year(d),
                    (chrono::Datelike::month(d) - 1) / 3,
                )
            };
            let ends_quarter = grid
                .get(k + 1)
                .is_some_and(|next| quarter(next) != quarter(day));
            if ends_quarter && *day < c.until_date {
                dated.push((EventKind::ContingentConversionTest, *day));
            }
        }
    }
    if let Some(t) = &spec.contract.make_whole {
        dated.extend(
            t.effective_dates()
                .iter()
                .map(|d| (EventKind::MakeWhole, *d)),
        );
    }
    dated.push((EventKind::Maturity, spec.maturity_date));
    let life = input.years_to_maturity();
    let mut out: Vec<Event> = dated
        .into_iter()
        .filter(|(_, d)| *d > spec.valuation_date && *d <= spec.maturity_date)
        .map(|(kind, date)| {
            let (step, step_years) = match placement {
                Placement::Lattice { steps } => {
                    let dt = life / steps as f64;
                    let step = ((years_between(spec.valuation_date, date) / dt).round() as usize)
                        .min(steps);
                    (step, step as f64 * dt)
                }
                Placement::DailyGrid => {
                    let k = trading_days::place(&grid, date).unwrap_or(grid.len() - 1);
                    (k + 1, years_between(spec.valuation_date, grid[k]))
                }
            };
            Event {
                kind,
                date,
                step,
                step_years,
            }
        })
        .collect();
    out.sort_by_key(|e| (e.date, e.step));
    out
}
