//! Convertible fair value: `POST /v1/convertibles/price` and `/profile`;
//! the request fields `/implied` shares.
//!
//! # Conventions
//! Prices are per 100 of face and dirty (accrued included) unless the name
//! says `clean`; `…_per_note` figures are for one note of `face`. Time is
//! Actual/365 Fixed from the valuation date; rates, spread and dividend yield
//! are flat and continuously compounded decimal fractions; volatility is the
//! annual lognormal volatility (0.6 is 60%). The lattice is a CRR binomial
//! tree; coupon, call and put dates move to the nearest step.
//!
//! # Rounding in responses
//! - prices and values per 100 of face: [`PER_100_DECIMALS`] places;
//! - money per note (USD): to cents, [`num::cents`];
//! - greeks, both units: [`GREEK_DECIMALS`] places;
//! - fractions, premiums, volatility and spread: [`FRACTION_DECIMALS`] places.
//!
//! The core computes in `f64` (a lattice); rounding happens only here.

use infraval_core::convertible::desk::{self, Event, EventKind, Placement};
use infraval_core::convertible::engine::Engine;
use infraval_core::convertible::lattice::{
    CallPeriod, CashDividend, ConvertibleInput, ConvertibleSpec, Model, PutDate,
    DEFAULT_CALL_PUT_STEPS, DEFAULT_STEPS,
};
use infraval_core::convertible::monte_carlo::{self, ExactValuation};
use infraval_core::convertible::pricing::{Profile, Valuation};
use infraval_core::convertible::schedule::DayCount;
use infraval_core::error::{AtField, ValueError};
use infraval_core::num::{positive_f64, to_f64};
use infraval_core::CoreError;
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::contract::EngineUsed;
use crate::wire::{Date, Int, Num, Wire};
use crate::{bounds, num, Example, Examples};

/// Decimal places of values per 100 of face in responses.
pub const PER_100_DECIMALS: u32 = 6;
/// Decimal places of greeks in responses.
pub const GREEK_DECIMALS: u32 = 6;
/// Decimal places of fractions (premiums, volatility, spread) in responses.
pub const FRACTION_DECIMALS: u32 = 8;
/// Default face of one note, USD.
pub const DEFAULT_FACE: Decimal = Decimal::from_parts(1000, 0, 0, false, 0);

/// The credit model of the lattice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CreditModel {
    /// Tsiveriotis-Fernandes (1998): the cash part is discounted at
    /// `risk_free_rate + credit_spread`, the equity part at `risk_free_rate`.
    #[default]
    TsiveriotisFernandes,
    /// Jump to default (Hull): intensity `h = credit_spread / (1 −
    /// recovery_rate)`; on default the stock falls to 0 and the note pays
    /// `recovery_rate × face`. Needs `volatility² > h`.
    HazardRate,
}

impl From<CreditModel> for Model {
    fn from(m: CreditModel) -> Self {
        match m {
            CreditModel::TsiveriotisFernandes => Model::TsiveriotisFernandes,
            CreditModel::HazardRate => Model::HazardRate,
        }
    }
}

impl From<Model> for CreditModel {
    fn from(m: Model) -> Self {
        match m {
            Model::TsiveriotisFernandes => CreditModel::TsiveriotisFernandes,
            Model::HazardRate => CreditModel::HazardRate,
        }
    }
}

/// How coupons accrue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub enum CouponDayCount {
    /// Actual/365 Fixed.
    #[default]
    #[serde(rename = "act_365f")]
    Act365F,
    /// 30/360 (US bond basis).
    #[serde(rename = "30_360")]
    Thirty360,
}

/// A discrete cash dividend.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct DividendRequest {
    /// Ex-dividend date: after `valuation_date`, on or before `maturity_date`.
    #[schema(example = "2027-06-01")]
    pub ex_date: Date,
    /// Cash amount per share, USD.
    #[wire(bounds::DIVIDEND_AMOUNT)]
    pub amount: Num,
}

/// A period in which the issuer may call the note.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct CallRequest {
    /// First call date (inclusive), within the note's life.
    #[schema(example = "2028-12-15")]
    pub from_date: Date,
    /// Last call date (inclusive), on or after `from_date`, on or before maturity.
    #[schema(example = "2032-12-15")]
    pub to_date: Date,
    /// Call price per 100 of face, clean (the issuer pays accrued on top).
    #[wire(bounds::LATTICE_AMOUNT)]
    pub price: Num,
    /// Soft call: callable only while the share price is at least `trigger ×
    /// conversion price` (1.3 for the usual 130%). Omit for a hard call.
    #[wire(bounds::TRIGGER)]
    pub trigger: Option<Num>,
    /// The soft call's N-of-M test: callable on a day when the stock closed
    /// at or above the trigger on at least `trigger_days` of the
    /// `window_days` trading days (weekdays) before it (20 of 30 in the
    /// template), at most `window_days`. Give both or neither; without them
    /// the trigger is read once, on the day itself (on the lattice: at
    /// every step).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[wire(bounds::TEST_DAYS)]
    pub trigger_days: Option<Int>,
    /// The N-of-M test's window, trading days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[wire(bounds::TEST_DAYS)]
    pub window_days: Option<Int>,
}

/// A date on which the holder may put the note back to the issuer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct PutRequest {
    /// Put date, within the note's life.
    #[schema(example = "2028-12-15")]
    pub date: Date,
    /// Put price per 100 of face, clean (accrued is paid on top).
    #[wire(bounds::LATTICE_AMOUNT)]
    pub price: Num,
}

/// The fields shared by the three pricing requests, with those each adds.
macro_rules! note_request {
    ($(#[$meta:meta])* pub struct $name:ident { $($extra:tt)* }) => {
        #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
        #[serde(deny_unknown_fields)]
        $(#[$meta])*
        pub struct $name {
            /// Face of one note, USD. Default 1,000.
            #[wire(bounds::LATTICE_AMOUNT, default = DEFAULT_FACE)]
            pub face: Option<Num>,
            /// Issue date: coupons accrue from it. On or before `valuation_date`.
            #[schema(example = "2025-12-15")]
            pub issue_date: Date,
            /// Maturity date: after `valuation_date`, at most 60 years after `issue_date`.
            #[schema(example = "2032-12-15")]
            pub maturity_date: Date,
            /// Valuation date: time 0 of the lattice.
            #[schema(example = "2025-12-15")]
            pub valuation_date: Date,
            /// Annual coupon rate (0.04 is 4%). Default 0.
            #[wire(bounds::COUPON_RATE, default = Decimal::ZERO)]
            pub coupon_rate: Option<Num>,
            /// Coupons a year, 0 for a zero-coupon note. Default 2 when
            /// `coupon_rate` is above 0, else 0.
            #[wire(bounds::LATTICE_COUPON_FREQUENCY, default_with = |r: &Self| Some(Int::from($crate::convertible::pricing::default_coupon_frequency(r.coupon_rate))))]
            pub coupon_frequency: Option<Int>,
            /// Coupon accrual: `act_365f` (default) or `30_360`.
            #[wire(default = CouponDayCount::Act365F)]
            pub coupon_day_count: Option<CouponDayCount>,
            /// Shares per $1,000 of face; give this or `conversion_price`.
            #[wire(bounds::CONVERSION_RATE)]
            pub conversion_rate: Option<Num>,
            /// Conversion price, USD per share (`1,000 / conversion_rate`); give
            /// this or `conversion_rate`.
            #[wire(bounds::CONVERSION_PRICE)]
            pub conversion_price: Option<Num>,
            /// First date the holder may convert; default the valuation date.
            /// On or before maturity.
            #[schema(example = "2025-12-15")]
            #[wire(default_with = |r: &Self| Some(r.valuation_date))]
            pub conversion_start_date: Option<Date>,
            /// Risk-free rate, continuously compounded.
            #[wire(bounds::RISK_FREE_RATE)]
            pub risk_free_rate: Num,
            /// Continuous dividend yield of the share. Default 0.
            #[wire(bounds::DIVIDEND_YIELD, default = Decimal::ZERO)]
            pub dividend_yield: Option<Num>,
            /// Discrete cash dividends, escrowed: the lattice carries the
            /// share price less their present value.
            #[serde(default)]
            #[wire(bounds::SCHEDULE)]
            pub dividends: Vec<DividendRequest>,
            /// Issuer call periods.
            #[serde(default)]
            #[wire(bounds::SCHEDULE)]
            pub call_schedule: Vec<CallRequest>,
            /// Holder put dates.
            #[serde(default)]
            #[wire(bounds::SCHEDULE)]
            pub put_schedule: Vec<PutRequest>,
            /// Credit model: `tsiveriotis_fernandes` (default) or `hazard_rate`.
            #[wire(default = CreditModel::TsiveriotisFernandes)]
            pub model: Option<CreditModel>,
            /// Recovery on default, a fraction of face; `hazard_rate` only.
            /// Default 0.
            #[wire(bounds::RECOVERY_RATE, default_with = |r: &Self| (r.model == Some(CreditModel::HazardRate)).then_some(Num::ZERO))]
            pub recovery_rate: Option<Num>,
            /// Lattice steps. Default 1,000, or 2,000 for a note with a call
            /// or put schedule (either within 0.01 per 100 of the 20,000-step
            /// price on the reference cases).
            #[wire(bounds::STEPS, default_with = |r: &Self| Some($crate::convertible::pricing::default_steps(&r.call_schedule, &r.put_schedule)))]
            pub steps: Option<Int>,
            /// Contingent conversion (the template's quarterly 130% test);
            /// omit for a note convertible at any time.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[wire($crate::wire::NESTED)]
            pub contingent_conversion: Option<$crate::convertible::contract::ContingentConversionRequest>,
            /// The make-whole table, applied to conversions after a notice
            /// of redemption or on a fundamental change.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[wire($crate::wire::NESTED)]
            pub make_whole: Option<$crate::convertible::contract::MakeWholeRequest>,
            /// The fundamental change (a takeover) and its intensity.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[wire($crate::wire::NESTED)]
            pub fundamental_change: Option<$crate::convertible::contract::FundamentalChangeRequest>,
            /// `auto` (default), `lattice` or `monte_carlo`: see the engine
            /// values. `auto` is the lattice unless the note has terms only
            /// the exact engine prices.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[wire(default = $crate::convertible::contract::EngineRequest::Auto)]
            pub engine: Option<$crate::convertible::contract::EngineRequest>,
            /// Monte Carlo paths (when the exact engine prices: `monte_carlo`,
            /// or `auto` for a note the lattice does not price), rounded up
            /// to an even count. Default 32,768; paths × trading days to
            /// maturity at most 210,000,000.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[wire(bounds::PATHS, default_with = |r: &Self| $crate::convertible::pricing::monte_carlo(r.engine, r.lattice_cannot_price()).then(|| Int::from(infraval_core::convertible::monte_carlo::DEFAULT_PATHS as i64)))]
            pub paths: Option<Int>,
            /// Monte Carlo seed (when the exact engine prices, as for
            /// `paths`). Default 20320215; the same seed and paths give the
            /// same answer.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[wire(bounds::SEED, default_with = |r: &Self| $crate::convertible::pricing::monte_carlo(r.engine, r.lattice_cannot_price()).then(|| Int::from(infraval_core::convertible::monte_carlo::DEFAULT_SEED as i64)))]
            pub seed: Option<Int>,
            $($extra)*
        }

        impl $name {
            /// The core spec, with the three market inputs each request
            /// carries in its own way.
            fn spec(
                &self,
                stock_price: f64,
                volatility: f64,
                credit_spread: f64,
            ) -> Result<ConvertibleSpec, CoreError> {
                let model = self.model.unwrap_or_default();
                if model != CreditModel::HazardRate && self.recovery_rate.is_some() {
                    return Err(CoreError::Inconsistent {
                        field: "recovery_rate".into(),
                        reason: "applies to the hazard_rate model only",
                    });
                }
                Ok(ConvertibleSpec {
                    face: self.face.map_or(to_f64(DEFAULT_FACE), Num::to_f64),
                    issue_date: self.issue_date.get(),
                    maturity_date: self.maturity_date.get(),
                    valuation_date: self.valuation_date.get(),
                    coupon_rate: opt(self.coupon_rate),
                    coupon_frequency: self.coupon_frequency.map_or(
                        $crate::convertible::pricing::default_coupon_frequency(self.coupon_rate),
                        Int::to_u32,
                    ),
                    coupon_day_count: match self.coupon_day_count.unwrap_or_default() {
                        CouponDayCount::Act365F => DayCount::Act365F,
                        CouponDayCount::Thirty360 => DayCount::Thirty360,
                    },
                    conversion_rate_per_1000: conversion_rate(
                        self.conversion_rate,
                        self.conversion_price,
                    )?,
                    conversion_start_date: self.conversion_start_date.map(Date::get),
                    stock_price,
                    volatility,
                    risk_free_rate: self.risk_free_rate.to_f64(),
                    credit_spread,
                    dividend_yield: opt(self.dividend_yield),
                    dividends: self
                        .dividends
                        .iter()
                        .map(|d| CashDividend { ex_date: d.ex_date.get(), amount: d.amount.to_f64() })
                        .collect(),
                    call_schedule: self
                        .call_schedule
                        .iter()
                        .enumerate()
                        .map(|(i, c)| Ok(CallPeriod {
                            from_date: c.from_date.get(),
                            to_date: c.to_date.get(),
                            price_per_100: c.price.to_f64(),
                            trigger: c.trigger.map(Num::to_f64),
                            test: $crate::convertible::contract::trigger_test(
                                c.trigger_days,
                                c.window_days,
                                &format!("call_schedule[{i}]"),
                            )?,
                        }))
                        .collect::<Result<_, CoreError>>()?,
                    put_schedule: self
                        .put_schedule
                        .iter()
                        .map(|p| PutDate { date: p.date.get(), price_per_100: p.price.to_f64() })
                        .collect(),
                    model: model.into(),
                    recovery_rate: opt(self.recovery_rate),
                    steps: self.steps.map(|s| s.to_u32() as usize),
                    contract: infraval_core::convertible::contract::ContractTerms {
                        contingent_conversion: self
                            .contingent_conversion
                            .as_ref()
                            .map($crate::convertible::contract::ContingentConversionRequest::core)
                            .transpose()?,
                        make_whole: match &self.make_whole {
                            Some(table) => Some(table.core($crate::convertible::pricing::conversion_rate_decimal(
                                self.conversion_rate,
                                self.conversion_price,
                            )?)?),
                            None => None,
                        },
                        fundamental_change: self
                            .fundamental_change
                            .as_ref()
                            .map($crate::convertible::contract::FundamentalChangeRequest::core),
                    },
                })
            }

            /// Whether the note has terms only the exact engine prices, as
            /// the core's `engine::lattice_cannot_price` reads them after
            /// the defaults are filled (a fundamental change counts when
            /// its intensity is above 0).
            fn lattice_cannot_price(&self) -> bool {
                self.contingent_conversion.is_some()
                    || self.make_whole.is_some()
                    || self.fundamental_change.as_ref().is_some_and(|f| {
                        f.intensity_per_year.is_some_and(|i| i.get() > Decimal::ZERO)
                    })
            }

            /// The engine the request asks for, resolved for `input`.
            fn engine(&self, input: &ConvertibleInput) -> Result<infraval_core::convertible::engine::Engine, CoreError> {
                infraval_core::convertible::engine::Engine::resolve(
                    self.engine.unwrap_or_default().into(),
                    input,
                    infraval_core::convertible::monte_carlo::Settings {
                        paths: self.paths.map(|p| p.to_u32() as usize),
                        seed: self.seed.map(|s| s.get().unsigned_abs()),
                    },
                )
            }
        }
    };
}

/// Coupons a year when none are given: 2 (semiannual) for a note with a
/// coupon above 0, else 0.
pub(crate) fn default_coupon_frequency(coupon_rate: Option<Num>) -> u32 {
    if coupon_rate.is_some_and(|c| c.get() > Decimal::ZERO) {
        2
    } else {
        0
    }
}

/// Lattice steps when none are given: the core's default for a note with
/// or without a call or put schedule.
pub(crate) fn default_steps(calls: &[CallRequest], puts: &[PutRequest]) -> Int {
    let steps = if calls.is_empty() && puts.is_empty() {
        DEFAULT_STEPS
    } else {
        DEFAULT_CALL_PUT_STEPS
    };
    Int::new(i64::try_from(steps).unwrap_or(i64::MAX))
}

/// Whether the request is priced by the Monte Carlo engine: asked for by
/// name, or under `auto` (the default) for a note with terms the lattice
/// does not price (`lattice_cannot_price`, the wire side of the core's
/// `engine::lattice_cannot_price`). Its paths and seed then have defaults,
/// echoed in `assumptions`; `meta.model` names the engine `auto` chose.
pub(crate) fn monte_carlo(
    engine: Option<super::contract::EngineRequest>,
    lattice_cannot_price: bool,
) -> bool {
    use super::contract::EngineRequest;
    match engine.unwrap_or_default() {
        EngineRequest::MonteCarlo => true,
        EngineRequest::Auto => lattice_cannot_price,
        EngineRequest::Lattice => false,
    }
}

pub(crate) fn opt(value: Option<Num>) -> f64 {
    value.map_or(0.0, Num::to_f64)
}

/// The conversion rate in decimals, for the make-whole table's cap: the
/// given rate, or `1,000 / conversion_price` (the f64 check of
/// [`conversion_rate`] has already named a bad or missing field).
pub(crate) fn conversion_rate_decimal(
    rate: Option<Num>,
    price: Option<Num>,
) -> Result<Decimal, CoreError> {
    conversion_rate(rate, price)?;
    let overflow = CoreError::Overflow {
        quantity: "conversion_rate",
    };
    match (rate, price) {
        (Some(r), _) => Ok(r.get()),
        (None, Some(p)) => Decimal::ONE_THOUSAND.checked_div(p.get()).ok_or(overflow),
        (None, None) => Err(overflow),
    }
}

/// Shares per $1,000 from exactly one of `conversion_rate` and `conversion_price`.
pub(crate) fn conversion_rate(rate: Option<Num>, price: Option<Num>) -> Result<f64, CoreError> {
    let checked = |v: Num, field: &str| positive_f64(v.to_f64()).at(field);
    match (rate, price) {
        (Some(r), None) => checked(r, "conversion_rate"),
        (None, Some(p)) => Ok(1000.0 / checked(p, "conversion_price")?),
        (r, p) => Err(CoreError::exactly_one_of(
            &["conversion_rate", "conversion_price"],
            &[r.map(|_| "conversion_rate"), p.map(|_| "conversion_price")]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>(),
        )),
    }
}

note_request! {
    /// A convertible note and its market: everything needed to price it.
    pub struct PriceRequest {
        /// Share price today, USD; above the present value of the discrete
        /// dividends.
        #[wire(bounds::LATTICE_AMOUNT)]
        pub stock_price: Num,
        /// Annual lognormal volatility of the share (0.6 is 60%).
        #[wire(bounds::VOLATILITY)]
        pub volatility: Num,
        /// Issuer credit spread over `risk_free_rate`, continuously
        /// compounded.
        #[wire(bounds::CREDIT_SPREAD)]
        pub credit_spread: Num,
    }
}

/// The CleanSpark 0% notes due 2032 at issue (15 December 2025): $15.03 a
/// share, 52.1832 shares per $1,000, 60% volatility, 4% risk-free, a 5%
/// spread.
fn cleanspark_note() -> serde_json::Value {
    json!({
        "issue_date": "2025-12-15",
        "maturity_date": "2032-12-15",
        "valuation_date": "2025-12-15",
        "conversion_rate": 52.1832,
        "risk_free_rate": 0.04
    })
}

/// The same notes with a 2% semiannual coupon, a 1% dividend yield and
/// jump to default with 40% recovery, on 500 steps, from their conversion
/// price.
fn coupon_hazard_note() -> serde_json::Value {
    json!({
        "face": 1000,
        "issue_date": "2025-12-15",
        "maturity_date": "2032-12-15",
        "valuation_date": "2025-12-15",
        "conversion_price": 19.16325,
        "coupon_rate": 0.02,
        "coupon_frequency": 2,
        "dividend_yield": 0.01,
        "risk_free_rate": 0.04,
        "model": "hazard_rate",
        "recovery_rate": 0.4,
        "steps": 500
    })
}

pub(crate) fn extended(mut body: serde_json::Value, extra: serde_json::Value) -> serde_json::Value {
    if let (Some(body), serde_json::Value::Object(extra)) = (body.as_object_mut(), extra) {
        body.extend(extra);
    }
    body
}

/// CleanSpark's 0% notes due 15 February 2032 on the template's terms
/// (README, "Pricing CleanSpark's 2032 notes"): the call from 2029-02-20 at
/// 100 with the 130% test on 20 of 30 trading days, contingent conversion
/// until 2031-08-15, an illustrative make-whole table and a 5% takeover
/// intensity, priced by the exact engine on `paths` paths.
pub(crate) fn cleanspark_2032_template(paths: u32) -> serde_json::Value {
    json!({
        "issue_date": "2025-12-15",
        "maturity_date": "2032-02-15",
        "valuation_date": "2025-12-15",
        "conversion_rate": 52.1832,
        "risk_free_rate": 0.04,
        "call_schedule": [{"from_date": "2029-02-20", "to_date": "2032-02-15", "price": 100,
                           "trigger": 1.3, "trigger_days": 20, "window_days": 30}],
        "contingent_conversion": {"until_date": "2031-08-15", "trigger": 1.3, "trigger_days": 20,
                                  "window_days": 30, "measurement": "prior_calendar_quarter"},
        "make_whole": {
            "effective_dates": ["2025-12-15", "2028-12-15", "2032-02-15"],
            "stock_prices": [15.03, 19.16, 40],
            "additional_shares_per_1000": [[14.3504, 7.8, 0], [14.3504, 5.1, 0], [14.3504, 0, 0]],
            "max_conversion_rate": 66.5336
        },
        "fundamental_change": {"intensity_per_year": 0.05},
        "engine": "monte_carlo",
        "paths": paths,
        "seed": 20320215
    })
}

/// `cleanspark_note()` with more fields.
pub(crate) fn note_with(extra: serde_json::Value) -> serde_json::Value {
    extended(cleanspark_note(), extra)
}

/// `coupon_hazard_note()` with more fields.
pub(crate) fn coupon_hazard_note_with(extra: serde_json::Value) -> serde_json::Value {
    extended(coupon_hazard_note(), extra)
}

impl Examples for PriceRequest {
    fn examples() -> Vec<Example> {
        vec![
            Example {
                name: "cleanspark_2032",
                summary: "CleanSpark's 0% notes due 2032 at issue, Tsiveriotis-Fernandes",
                body: note_with(json!({
                    "face": 1000,
                    "coupon_rate": 0,
                    "stock_price": 15.03,
                    "volatility": 0.6,
                    "credit_spread": 0.05,
                    "model": "tsiveriotis_fernandes"
                })),
            },
            Example {
                name: "with_coupon_calls_and_dividends",
                summary: "The same notes with a 2% semiannual coupon, a dividend, a soft call from 2028, a put in 2030, 500 steps",
                body: json!({
                    "issue_date": "2025-12-15",
                    "maturity_date": "2032-12-15",
                    "valuation_date": "2025-12-15",
                    "conversion_price": 19.16325,
                    "stock_price": 15.03,
                    "volatility": 0.6,
                    "risk_free_rate": 0.04,
                    "credit_spread": 0.05,
                    "coupon_rate": 0.02,
                    "coupon_frequency": 2,
                    "coupon_day_count": "30_360",
                    "conversion_start_date": "2026-06-15",
                    "dividend_yield": 0.01,
                    "dividends": [{"ex_date": "2027-06-01", "amount": 0.25}],
                    "call_schedule": [{"from_date": "2028-12-15", "to_date": "2032-12-15", "price": 100, "trigger": 1.3}],
                    "put_schedule": [{"date": "2030-12-15", "price": 100}],
                    "steps": 500
                }),
            },
            Example {
                name: "cleanspark_2032_template",
                summary: "CleanSpark's 2032 notes on the template's terms (20-of-30 call, contingent conversion, illustrative make-whole, takeovers), exact engine at 1,024 paths",
                body: extended(
                    cleanspark_2032_template(1024),
                    json!({"stock_price": 15.03, "volatility": 0.65, "credit_spread": 0.05}),
                ),
            },
            Example {
                name: "hazard_rate",
                summary: "The same notes with jump to default and 40% recovery",
                body: note_with(json!({
                    "stock_price": 15.03,
                    "volatility": 0.6,
                    "credit_spread": 0.05,
                    "model": "hazard_rate",
                    "recovery_rate": 0.4
                })),
            },
        ]
    }
}

/// A validated price request: the note and the engine that prices it.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceInput {
    /// The note and market.
    pub input: ConvertibleInput,
    /// The engine, resolved from `engine`, `paths` and `seed`.
    pub engine: Engine,
}

impl TryFrom<PriceRequest> for PriceInput {
    type Error = CoreError;

    fn try_from(req: PriceRequest) -> Result<Self, CoreError> {
        let spec = req.spec(
            req.stock_price.to_f64(),
            req.volatility.to_f64(),
            req.credit_spread.to_f64(),
        )?;
        let input = ConvertibleInput::new(spec)?;
        let engine = req.engine(&input)?;
        Ok(PriceInput { input, engine })
    }
}

pub(crate) use note_request;

/// The model id of a convertible engine and credit model, as `meta` states
/// it.
pub(crate) fn model_id(input: &ConvertibleInput, engine: &Engine) -> &'static str {
    match (engine, input.spec().model) {
        (Engine::Lattice, Model::TsiveriotisFernandes) => "lattice.crr.tsiveriotis_fernandes",
        (Engine::Lattice, Model::HazardRate) => "lattice.crr.hazard_rate",
        (Engine::MonteCarlo(_), Model::TsiveriotisFernandes) => {
            "monte_carlo.daily.tsiveriotis_fernandes"
        }
        (Engine::MonteCarlo(_), Model::HazardRate) => "monte_carlo.daily.hazard_rate",
    }
}

/// The model of [`crate::operations::ConvertiblePrice`]: the engine that
/// runs and the credit model.
pub fn price_model(input: &PriceInput) -> &'static str {
    model_id(&input.input, &input.engine)
}

/// The model of [`crate::operations::ConvertibleProfile`].
pub fn profile_model(input: &ProfileInput) -> &'static str {
    model_id(&input.input, &input.engine)
}

note_request! {
    /// A note, its market, and the share prices to value it at.
    pub struct ProfileRequest {
        /// Share prices, USD; prices × steps^1.5 at most 45,000,000 (e.g.
        /// 500 at 2,000 steps or 15 at 20,000).
        #[wire(bounds::PROFILE_PRICES)]
        pub stock_prices: Vec<Num>,
        /// Annual lognormal volatility of the share.
        #[wire(bounds::VOLATILITY)]
        pub volatility: Num,
        /// Issuer credit spread, continuously compounded.
        #[wire(bounds::CREDIT_SPREAD)]
        pub credit_spread: Num,
    }
}

impl Examples for ProfileRequest {
    fn examples() -> Vec<Example> {
        vec![
            Example {
                name: "cleanspark_2032",
                summary: "CleanSpark's 2032 notes from $5 to $40 a share",
                body: note_with(json!({
                    "stock_prices": [5, 10, 15.03, 20, 30, 40],
                    "volatility": 0.6,
                    "credit_spread": 0.05
                })),
            },
            Example {
                name: "cleanspark_2032_template",
                summary: "CleanSpark's 2032 notes on the template's terms, exact engine at 1,024 paths a price",
                body: extended(
                    cleanspark_2032_template(1024),
                    json!({"stock_prices": [10, 22], "volatility": 0.65, "credit_spread": 0.05}),
                ),
            },
            Example {
                name: "hazard_rate_with_coupon",
                summary: "A 2% semiannual coupon under jump to default, 40% recovery, 500 steps",
                body: coupon_hazard_note_with(json!({
                    "stock_prices": [10, 15.03, 25],
                    "volatility": 0.6,
                    "credit_spread": 0.05
                })),
            },
        ]
    }
}

/// A validated profile request.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileInput {
    /// The note and market (stock price: the first of `stock_prices`).
    pub input: ConvertibleInput,
    /// The share prices, USD.
    pub stock_prices: Vec<f64>,
    /// The engine that prices each point.
    pub engine: Engine,
}

impl TryFrom<ProfileRequest> for ProfileInput {
    type Error = CoreError;

    fn try_from(req: ProfileRequest) -> Result<Self, CoreError> {
        let stock_prices: Vec<f64> = req.stock_prices.iter().map(|s| s.to_f64()).collect();
        let first = match stock_prices.first() {
            Some(&s) => positive_f64(s).at("stock_prices[0]")?,
            None => return Err(CoreError::invalid("stock_prices", ValueError::Empty)),
        };
        let spec = req.spec(first, req.volatility.to_f64(), req.credit_spread.to_f64())?;
        let input = ConvertibleInput::new(spec)?;
        let engine = req.engine(&input)?;
        Ok(ProfileInput {
            input,
            stock_prices,
            engine,
        })
    }
}

fn decimal(value: f64) -> Result<Decimal, CoreError> {
    Decimal::from_f64(value).ok_or(CoreError::Overflow {
        quantity: "convertible response",
    })
}

pub(crate) fn dec(value: f64, dp: u32) -> Result<Num, CoreError> {
    Ok(num::round(decimal(value)?, dp))
}

pub(crate) fn per_100(value: f64) -> Result<Num, CoreError> {
    dec(value, PER_100_DECIMALS)
}

pub(crate) fn per_note(value_per_100: f64, face: f64) -> Result<Num, CoreError> {
    let exact = num::round_decimal(decimal(value_per_100 * face / 100.0)?, 10);
    Ok(num::cents(exact))
}

pub(crate) fn greek(value: f64) -> Result<Num, CoreError> {
    dec(value, GREEK_DECIMALS)
}

/// How far the price may be from the converged one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConvergenceResponse {
    /// Steps of the comparison lattice (half of `steps`).
    pub half_steps: u32,
    /// The price at `half_steps`, per 100.
    pub price_at_half_steps_per_100: Num,
    /// `price(steps) − price(half_steps)`, per 100: for a lattice whose error
    /// falls like 1/N, about the size of the remaining error.
    pub change_from_half_steps_per_100: Num,
    /// Richardson estimate of the converged price, `2·price(N) − price(N/2)`, per 100.
    pub richardson_price_per_100: Num,
}

/// What falls on a date of the event table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKindResponse {
    /// A coupon payment.
    Coupon,
    /// The first day of a call period.
    CallStart,
    /// The last day of a call period.
    CallEnd,
    /// A put date.
    Put,
    /// The last trading day of a quarter, when the contingent-conversion test is read.
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

impl From<EventKind> for EventKindResponse {
    fn from(k: EventKind) -> Self {
        match k {
            EventKind::Coupon => EventKindResponse::Coupon,
            EventKind::CallStart => EventKindResponse::CallStart,
            EventKind::CallEnd => EventKindResponse::CallEnd,
            EventKind::Put => EventKindResponse::Put,
            EventKind::ContingentConversionTest => EventKindResponse::ContingentConversionTest,
            EventKind::ContingentConversionEnd => EventKindResponse::ContingentConversionEnd,
            EventKind::MakeWhole => EventKindResponse::MakeWhole,
            EventKind::ExDividend => EventKindResponse::ExDividend,
            EventKind::ConversionStart => EventKindResponse::ConversionStart,
            EventKind::Maturity => EventKindResponse::Maturity,
        }
    }
}

/// One date of the note as the engine that answered placed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventResponse {
    /// What falls on the date.
    pub kind: EventKindResponse,
    /// The contractual date.
    pub date: Date,
    /// The step it was placed on: a lattice step (0 is the valuation date,
    /// the nearest step), or a day of the daily grid (1 is the first
    /// trading day after valuation; a weekend date moves to the Monday).
    pub step: u32,
    /// Years from valuation of that step (Act/365F).
    pub step_years: Num,
}

impl EventResponse {
    fn new(e: &Event) -> Result<Self, CoreError> {
        Ok(EventResponse {
            kind: e.kind.into(),
            date: Date::new(e.date),
            step: u32::try_from(e.step).unwrap_or(u32::MAX),
            step_years: dec(e.step_years, FRACTION_DECIMALS)?,
        })
    }
}

/// A note's fair value and analytics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceResponse {
    /// The engine that gave `price_per_100`: `lattice` or `monte_carlo`.
    /// Greeks, `steps` and `convergence` always come from the lattice,
    /// which prices an N-of-M call test through its effective trigger and
    /// leaves out contingent conversion, make-whole shares and the
    /// fundamental change.
    pub engine: EngineUsed,
    /// The credit model used.
    pub model: CreditModel,
    /// Lattice steps used (the request's, or more where the hazard-rate tree
    /// needed refining to keep its probabilities in [0, 1], or fewer by up to
    /// a tenth to put call and put dates on or near a step).
    pub steps: u32,
    /// Fair value per 100 of face, dirty.
    pub price_per_100: Num,
    /// Fair value of one note, USD, dirty.
    pub price_per_note: Num,
    /// Clean price per 100 (dirty − accrued).
    pub clean_price_per_100: Num,
    /// Clean price of one note, USD.
    pub clean_price_per_note: Num,
    /// Accrued interest per 100 on the valuation date.
    pub accrued_per_100: Num,
    /// Accrued interest of one note, USD.
    pub accrued_per_note: Num,
    /// Bond floor per 100: remaining cash flows discounted at
    /// `risk_free_rate + credit_spread`.
    pub bond_floor_per_100: Num,
    /// Bond floor of one note, USD.
    pub bond_floor_per_note: Num,
    /// Parity per 100: conversion shares × stock price.
    pub conversion_value_per_100: Num,
    /// Parity of one note, USD.
    pub conversion_value_per_note: Num,
    /// Shares received on converting one note.
    pub conversion_shares_per_note: Num,
    /// `price / parity − 1`.
    pub premium_to_parity: Num,
    /// `price / bond floor − 1`.
    pub premium_to_bond_floor: Num,
    /// dV/dS per 100 of face per USD 1 of share price, from the lattice's
    /// three nodes on the valuation date.
    pub delta_per_100: Num,
    /// dV/dS of one note, USD per USD 1 of share price (shares-equivalent).
    pub delta_per_note: Num,
    /// Delta as a fraction of the conversion shares.
    pub delta_share_fraction: Num,
    /// d²V/dS² per 100 of face per USD² of share price, from the lattice.
    pub gamma_per_100: Num,
    /// d²V/dS² of one note.
    pub gamma_per_note: Num,
    /// Price change per 100 for one vol point (0.01), central bump.
    pub vega_per_100: Num,
    /// Price change of one note, USD, for one vol point.
    pub vega_per_note: Num,
    /// Price change per 100 per calendar day, from the lattice.
    pub theta_per_100_per_day: Num,
    /// Price change of one note per calendar day, USD.
    pub theta_per_note_per_day: Num,
    /// Price change per 100 per basis point of risk-free rate, central bump.
    pub rho_per_100_per_bp: Num,
    /// Price change of one note per basis point of risk-free rate, USD.
    pub rho_per_note_per_bp: Num,
    /// Price change per 100 per basis point of credit spread, central bump.
    pub cs01_per_100_per_bp: Num,
    /// Price change of one note per basis point of credit spread, USD.
    pub cs01_per_note_per_bp: Num,
    /// Convergence diagnostic.
    pub convergence: ConvergenceResponse,
    /// The lattice's price per 100, dirty (equal to `price_per_100` when
    /// the lattice answered).
    pub lattice_price_per_100: Num,
    /// The exact engine's standard error, per 100; `null` for the lattice.
    pub standard_error_per_100: Option<Num>,
    /// Monte Carlo paths used; `null` for the lattice.
    pub paths: Option<u32>,
    /// Monte Carlo seed used; `null` for the lattice.
    pub seed: Option<u64>,
    /// The probability under the pricing measure that the issuer calls the
    /// note; from the exact engine, `null` for the lattice.
    pub call_probability: Option<Num>,
    /// The probability that the note is converted (on a call, a
    /// fundamental change, voluntarily or at maturity); exact engine only.
    pub conversion_probability: Option<Num>,
    /// The probability that the holder puts the note (a put date or the
    /// fundamental-change put); exact engine only.
    pub put_probability: Option<Num>,
    /// Expected years to the first of conversion, call, put, default,
    /// fundamental change and maturity, under the pricing measure; exact
    /// engine only.
    pub expected_life_years: Option<Num>,
    /// Yield to maturity at the clean price, a nominal annual decimal
    /// fraction compounded at the coupon frequency (semi-annually for a
    /// zero); `null` when no yield in [−95%, 1,000%] reaches the price.
    pub yield_to_maturity: Option<Num>,
    /// Yield to the first put date at its price; `null` without a put.
    pub yield_to_put: Option<Num>,
    /// Yield to the first call date (the first `from_date` after valuation)
    /// at its price; `null` without a call.
    pub yield_to_call: Option<Num>,
    /// The least of the three yields.
    pub yield_to_worst: Option<Num>,
    /// Years for the coupon's advantage over the dividends on the
    /// conversion shares to pay back the premium over parity; 0 at or
    /// below parity, `null` when the advantage is not positive (a zero
    /// coupon).
    pub breakeven_years: Option<Num>,
    /// What the note is worth per 100 if a takeover were announced today at
    /// `stock_price`: the better of the put at par plus accrued and
    /// conversion with the make-whole shares; `null` without `make_whole`
    /// or `fundamental_change`.
    pub takeover_value_per_100: Option<Num>,
    /// Every coupon, call, put, contingent-conversion, make-whole, dividend
    /// and maturity date after valuation, as the engine that answered
    /// placed it.
    pub events: Vec<EventResponse>,
}

impl PriceResponse {
    /// Builds the response from the lattice valuation and, when it ran, the
    /// exact engine's, rounding as documented.
    pub fn new(
        input: &ConvertibleInput,
        v: &Valuation,
        exact: Option<&ExactValuation>,
    ) -> Result<Self, CoreError> {
        let face = input.spec().face;
        let note = face / 100.0;
        let g = &v.greeks;
        let lattice_price = v.price_per_100;
        let price = exact.map_or(lattice_price, |e| e.price_per_100);
        let clean = price - v.accrued_per_100;
        let v = &Valuation {
            price_per_100: price,
            clean_price_per_100: clean,
            premium_to_parity: price / v.conversion_value_per_100 - 1.0,
            premium_to_bond_floor: price / v.bond_floor_per_100 - 1.0,
            ..*v
        };
        let yields = desk::yields(input, clean)?;
        let fraction = |x: Option<f64>| x.map(|x| dec(x, FRACTION_DECIMALS)).transpose();
        let placement = match exact {
            Some(_) => Placement::DailyGrid,
            None => Placement::Lattice { steps: v.steps },
        };
        let spec = input.spec();
        let takeover = (spec.contract.make_whole.is_some()
            || spec.contract.fundamental_change.is_some())
        .then(|| {
            let s = spec.stock_price;
            let extra = spec.contract.make_whole.as_ref().map_or(0.0, |t| {
                t.additional_shares_per_1000_f64(spec.valuation_date, s) / 10.0
            });
            (100.0 + v.accrued_per_100).max((input.conversion_shares_per_100() + extra) * s)
        });
        Ok(PriceResponse {
            engine: match exact {
                Some(_) => EngineUsed::MonteCarlo,
                None => EngineUsed::Lattice,
            },
            lattice_price_per_100: per_100(lattice_price)?,
            standard_error_per_100: exact
                .map(|e| per_100(e.standard_error_per_100))
                .transpose()?,
            paths: exact.map(|e| u32::try_from(e.paths).unwrap_or(u32::MAX)),
            seed: exact.map(|e| e.seed),
            call_probability: fraction(exact.map(|e| e.call_probability))?,
            conversion_probability: fraction(exact.map(|e| e.conversion_probability))?,
            put_probability: fraction(exact.map(|e| e.put_probability))?,
            expected_life_years: fraction(exact.map(|e| e.expected_life_years))?,
            yield_to_maturity: fraction(yields.yield_to_maturity)?,
            yield_to_put: fraction(yields.yield_to_put)?,
            yield_to_call: fraction(yields.yield_to_call)?,
            yield_to_worst: fraction(yields.yield_to_worst)?,
            breakeven_years: fraction(desk::breakeven_years(input, price))?,
            takeover_value_per_100: takeover.map(per_100).transpose()?,
            events: desk::events(input, placement)
                .iter()
                .map(EventResponse::new)
                .collect::<Result<_, _>>()?,
            model: v.model.into(),
            steps: u32::try_from(v.steps).unwrap_or(u32::MAX),
            price_per_100: per_100(v.price_per_100)?,
            price_per_note: per_note(v.price_per_100, face)?,
            clean_price_per_100: per_100(v.clean_price_per_100)?,
            clean_price_per_note: per_note(v.clean_price_per_100, face)?,
            accrued_per_100: per_100(v.accrued_per_100)?,
            accrued_per_note: per_note(v.accrued_per_100, face)?,
            bond_floor_per_100: per_100(v.bond_floor_per_100)?,
            bond_floor_per_note: per_note(v.bond_floor_per_100, face)?,
            conversion_value_per_100: per_100(v.conversion_value_per_100)?,
            conversion_value_per_note: per_note(v.conversion_value_per_100, face)?,
            conversion_shares_per_note: dec(
                input.conversion_shares_per_100() * note,
                GREEK_DECIMALS,
            )?,
            premium_to_parity: dec(v.premium_to_parity, FRACTION_DECIMALS)?,
            premium_to_bond_floor: dec(v.premium_to_bond_floor, FRACTION_DECIMALS)?,
            delta_per_100: greek(g.delta_per_100)?,
            delta_per_note: greek(g.delta_per_100 * note)?,
            delta_share_fraction: dec(g.delta_share_fraction, FRACTION_DECIMALS)?,
            gamma_per_100: greek(g.gamma_per_100)?,
            gamma_per_note: greek(g.gamma_per_100 * note)?,
            vega_per_100: greek(g.vega_per_100)?,
            vega_per_note: greek(g.vega_per_100 * note)?,
            theta_per_100_per_day: greek(g.theta_per_100_per_day)?,
            theta_per_note_per_day: greek(g.theta_per_100_per_day * note)?,
            rho_per_100_per_bp: greek(g.rho_per_100_per_bp)?,
            rho_per_note_per_bp: greek(g.rho_per_100_per_bp * note)?,
            cs01_per_100_per_bp: greek(g.cs01_per_100_per_bp)?,
            cs01_per_note_per_bp: greek(g.cs01_per_100_per_bp * note)?,
            convergence: ConvergenceResponse {
                half_steps: u32::try_from(v.steps / 2).unwrap_or(u32::MAX),
                price_at_half_steps_per_100: per_100(v.convergence.price_at_half_steps_per_100)?,
                change_from_half_steps_per_100: per_100(
                    v.convergence.change_from_half_steps_per_100,
                )?,
                richardson_price_per_100: per_100(v.convergence.richardson_price_per_100)?,
            },
        })
    }
}

/// One share price of a profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfilePointResponse {
    /// Share price, USD.
    pub stock_price: Num,
    /// Fair value per 100, dirty.
    pub price_per_100: Num,
    /// Fair value of one note, USD.
    pub price_per_note: Num,
    /// Bond floor per 100.
    pub bond_floor_per_100: Num,
    /// Parity per 100.
    pub conversion_value_per_100: Num,
    /// dV/dS per 100 per USD 1 of share price, from the tree; `null` from
    /// the exact engine.
    pub delta_per_100: Option<Num>,
    /// dV/dS of one note; `null` from the exact engine.
    pub delta_per_note: Option<Num>,
    /// The exact engine's standard error, per 100; `null` from the lattice.
    pub standard_error_per_100: Option<Num>,
}

/// The price profile across share prices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileResponse {
    /// The engine that priced the points.
    pub engine: EngineUsed,
    /// The credit model used.
    pub model: CreditModel,
    /// Lattice steps used: the request's (or the default), moved to bring
    /// call and put dates onto steps, or more where the hazard-rate tree
    /// needed them, as `/price` reports them.
    pub steps: u32,
    /// One point per requested share price, in the request's order.
    pub points: Vec<ProfilePointResponse>,
}

impl ProfileResponse {
    /// Builds the response from the core profile.
    pub fn new(input: &ConvertibleInput, profile: &Profile) -> Result<Self, CoreError> {
        let face = input.spec().face;
        Ok(ProfileResponse {
            engine: EngineUsed::Lattice,
            model: input.spec().model.into(),
            steps: u32::try_from(profile.steps).unwrap_or(u32::MAX),
            points: profile
                .points
                .iter()
                .map(|p| {
                    Ok(ProfilePointResponse {
                        stock_price: dec(p.stock_price, 10)?,
                        price_per_100: per_100(p.price_per_100)?,
                        price_per_note: per_note(p.price_per_100, face)?,
                        bond_floor_per_100: per_100(p.bond_floor_per_100)?,
                        conversion_value_per_100: per_100(p.conversion_value_per_100)?,
                        delta_per_100: Some(greek(p.delta_per_100)?),
                        delta_per_note: Some(greek(p.delta_per_100 * face / 100.0)?),
                        standard_error_per_100: None,
                    })
                })
                .collect::<Result<_, CoreError>>()?,
        })
    }

    /// Builds the response from the exact engine's points.
    pub fn exact(
        input: &ConvertibleInput,
        stock_prices: &[f64],
        points: &[ExactValuation],
    ) -> Result<Self, CoreError> {
        let face = input.spec().face;
        let shares = input.conversion_shares_per_100();
        let floor = input.bond_floor_per_100();
        Ok(ProfileResponse {
            engine: EngineUsed::MonteCarlo,
            model: input.spec().model.into(),
            steps: u32::try_from(input.steps()).unwrap_or(u32::MAX),
            points: stock_prices
                .iter()
                .zip(points)
                .map(|(&s, p)| {
                    Ok(ProfilePointResponse {
                        stock_price: dec(s, 10)?,
                        price_per_100: per_100(p.price_per_100)?,
                        price_per_note: per_note(p.price_per_100, face)?,
                        bond_floor_per_100: per_100(floor)?,
                        conversion_value_per_100: per_100(shares * s)?,
                        delta_per_100: None,
                        delta_per_note: None,
                        standard_error_per_100: Some(per_100(p.standard_error_per_100)?),
                    })
                })
                .collect::<Result<_, CoreError>>()?,
        })
    }
}

/// Computes [`crate::operations::ConvertiblePrice`].
pub fn price(req: PriceInput) -> Result<PriceResponse, CoreError> {
    let valuation = infraval_core::convertible::pricing::price(&req.input)?;
    let exact = match req.engine {
        Engine::MonteCarlo(settings) => Some(monte_carlo::price(&req.input, settings)?),
        Engine::Lattice => None,
    };
    PriceResponse::new(&req.input, &valuation, exact.as_ref())
}

/// Computes [`crate::operations::ConvertibleProfile`].
pub fn profile(req: ProfileInput) -> Result<ProfileResponse, CoreError> {
    match req.engine {
        Engine::Lattice => {
            let points =
                infraval_core::convertible::pricing::profile(&req.input, &req.stock_prices)?;
            ProfileResponse::new(&req.input, &points)
        }
        Engine::MonteCarlo(settings) => {
            let points = monte_carlo::profile(&req.input, &req.stock_prices, settings)?;
            ProfileResponse::exact(&req.input, &req.stock_prices, &points)
        }
    }
}

/// Lattice node updates in a work unit: one 1,000-step tree.
const NODES_PER_UNIT: u64 = 1_000_000;

/// The work of one lattice of `steps` steps, rolled back `rollbacks` times.
pub(crate) fn lattice_units(steps: usize, rollbacks: usize) -> u64 {
    let steps = u64::try_from(steps).unwrap_or(u64::MAX);
    let rollbacks = u64::try_from(rollbacks).unwrap_or(u64::MAX);
    steps
        .saturating_mul(steps)
        .saturating_mul(rollbacks)
        .div_ceil(NODES_PER_UNIT)
}

/// Monte Carlo path-days in a work unit: about a 1,000-step tree's time.
const PATH_DAYS_PER_UNIT: u64 = 500_000;

/// The work of one exact run of `engine` on `input`: paths × trading days
/// / 500,000 (about 105 units for the CleanSpark note's default run); 0
/// for the lattice.
pub(crate) fn exact_units(input: &ConvertibleInput, engine: Engine) -> u64 {
    match engine {
        Engine::Lattice => 0,
        Engine::MonteCarlo(settings) => {
            let paths = settings.paths.unwrap_or(monte_carlo::DEFAULT_PATHS) as u64;
            paths
                .saturating_mul(monte_carlo::trading_days(input) as u64)
                .div_ceil(PATH_DAYS_PER_UNIT)
        }
    }
}

/// The work of a price: steps² / 10⁶ (a unit for the default 1,000 steps),
/// plus the exact engine's run.
pub fn price_work_units(req: &PriceInput) -> u64 {
    lattice_units(req.input.steps(), 1).saturating_add(exact_units(&req.input, req.engine))
}

/// The work of a profile: one rollback per share price, an eighth of a
/// price with greeks each.
/// With the exact engine, one run per share price.
pub fn profile_work_units(req: &ProfileInput) -> u64 {
    lattice_units(req.input.steps(), req.stock_prices.len())
        .div_ceil(8)
        .saturating_add(
            exact_units(&req.input, req.engine)
                .saturating_mul(u64::try_from(req.stock_prices.len()).unwrap_or(u64::MAX)),
        )
}
