//! CleanSpark's 0% notes due 2032 (seed-figures.md: 52.1832 shares per
//! $1,000, reference price $15.03), shared by the lattice bench, the
//! timing example and the convergence test, so that all use the same note.

use chrono::NaiveDate;
use infraval_core::convertible::lattice::{ConvertibleSpec, Model};
use infraval_core::convertible::schedule::DayCount;

/// A date that is known to be valid.
pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// The base case: 60% volatility, 4% rate, 5% spread, no coupon, no call;
/// `steps` `None` leaves the step count to the pricer's default.
pub fn cleanspark_spec(model: Model, steps: Option<usize>) -> ConvertibleSpec {
    ConvertibleSpec {
        face: 1000.0,
        issue_date: date(2025, 12, 15),
        maturity_date: date(2032, 12, 15),
        valuation_date: date(2025, 12, 15),
        coupon_rate: 0.0,
        coupon_frequency: 0,
        coupon_day_count: DayCount::Act365F,
        conversion_rate_per_1000: 52.1832,
        conversion_start_date: None,
        stock_price: 15.03,
        volatility: 0.6,
        risk_free_rate: 0.04,
        credit_spread: 0.05,
        dividend_yield: 0.0,
        dividends: vec![],
        call_schedule: vec![],
        put_schedule: vec![],
        model,
        recovery_rate: 0.0,
        steps,
        contract: Default::default(),
    }
}
