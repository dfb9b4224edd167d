//! CleanSpark's 0% notes due 2032 (seed-figures.md: 52.1832 shares per
//! $1,000, reference price $15.03), shared by the lattice bench, the
//! timing example and the convergence test, so that all use the same note.

use chrono::NaiveDate;
use infraval_core::convertible::contract::TriggerTest;
use infraval_core::convertible::lattice::{CallPeriod, ConvertibleSpec, Model};
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

/// Issue 15's CleanSpark-like note: the 2032 notes' terms (maturity
/// 2032-02-15, callable at 100 from 2029-02-20 with a 130% trigger read by
/// `test`) at volatility `vol`, share price `spot` and spread `spread`, r 4%,
/// default steps.
#[allow(dead_code)]
pub fn cleanspark_2032_spec(
    model: Model,
    vol: f64,
    spot: f64,
    spread: f64,
    test: Option<TriggerTest>,
) -> ConvertibleSpec {
    let mut spec = cleanspark_spec(model, None);
    spec.maturity_date = date(2032, 2, 15);
    spec.volatility = vol;
    spec.stock_price = spot;
    spec.credit_spread = spread;
    spec.call_schedule = vec![CallPeriod {
        from_date: date(2029, 2, 20),
        to_date: date(2032, 2, 15),
        price_per_100: 100.0,
        trigger: Some(1.3),
        test,
    }];
    spec
}
