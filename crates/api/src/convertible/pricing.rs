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

use chrono::NaiveDate;
use infraval_core::convertible::lattice::{
    CallPeriod, CashDividend, ConvertibleInput, ConvertibleSpec, Model, PutDate, MAX_AMOUNT,
};
use infraval_core::convertible::pricing::{ProfilePoint, Valuation};
use infraval_core::convertible::schedule::DayCount;
use infraval_core::error::{AtField, ValueError};
use infraval_core::num::{positive_f64, to_f64};
use infraval_core::CoreError;
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::num;

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DividendRequest {
    /// Ex-dividend date: after `valuation_date`, on or before `maturity_date`.
    #[schema(example = "2027-06-01")]
    pub ex_date: NaiveDate,
    /// Cash amount per share, USD. Range: ≥ 0, ≤ 10⁹.
    #[serde(with = "num::decimal")]
    #[schema(example = 0.25, minimum = 0)]
    pub amount: Decimal,
}

/// A period in which the issuer may call the note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallRequest {
    /// First call date (inclusive), within the note's life.
    #[schema(example = "2028-12-15")]
    pub from_date: NaiveDate,
    /// Last call date (inclusive), on or after `from_date`, on or before maturity.
    #[schema(example = "2032-12-15")]
    pub to_date: NaiveDate,
    /// Call price per 100 of face, clean (the issuer pays accrued on top).
    /// Range: > 0, ≤ 10⁹.
    #[serde(with = "num::decimal")]
    #[schema(example = 100)]
    pub price: Decimal,
    /// Soft call: callable only while the share price is at least `trigger ×
    /// conversion price` (1.3 for the usual 130%). Omit for a hard call.
    /// Range: > 0, ≤ 100.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 1.3)]
    pub trigger: Option<Decimal>,
}

/// A date on which the holder may put the note back to the issuer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutRequest {
    /// Put date, within the note's life.
    #[schema(example = "2028-12-15")]
    pub date: NaiveDate,
    /// Put price per 100 of face, clean (accrued is paid on top). Range: > 0, ≤ 10⁹.
    #[serde(with = "num::decimal")]
    #[schema(example = 100)]
    pub price: Decimal,
}

/// The fields shared by the three pricing requests, with those each adds.
macro_rules! note_request {
    ($(#[$meta:meta])* pub struct $name:ident { $($extra:tt)* }) => {
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
        #[serde(deny_unknown_fields)]
        $(#[$meta])*
        pub struct $name {
            /// Face of one note, USD. Default 1,000. Range: > 0, ≤ 10⁹.
            #[serde(default, with = "num::opt_decimal", skip_serializing_if = "Option::is_none")]
            #[schema(example = 1000)]
            pub face: Option<Decimal>,
            /// Issue date: coupons accrue from it. On or before `valuation_date`.
            #[schema(example = "2025-12-15")]
            pub issue_date: NaiveDate,
            /// Maturity date: after `valuation_date`, at most 60 years after `issue_date`.
            #[schema(example = "2032-12-15")]
            pub maturity_date: NaiveDate,
            /// Valuation date: time 0 of the lattice.
            #[schema(example = "2025-12-15")]
            pub valuation_date: NaiveDate,
            /// Annual coupon rate, a decimal fraction (0.04 is 4%). Default 0. Range: [0, 1].
            #[serde(default, with = "num::opt_decimal", skip_serializing_if = "Option::is_none")]
            #[schema(example = 0)]
            pub coupon_rate: Option<Decimal>,
            /// Coupons a year: 0 (zero coupon), 1, 2, 4 or 12. Default 2 when
            /// `coupon_rate` is above 0, else 0.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[schema(example = 0)]
            pub coupon_frequency: Option<u32>,
            /// Coupon accrual: `act_365f` (default) or `30_360`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub coupon_day_count: Option<CouponDayCount>,
            /// Shares per $1,000 of face; give this or `conversion_price`.
            /// Range: > 0, ≤ 10⁹.
            #[serde(default, with = "num::opt_decimal", skip_serializing_if = "Option::is_none")]
            #[schema(example = 52.1832)]
            pub conversion_rate: Option<Decimal>,
            /// Conversion price, USD per share (`1,000 / conversion_rate`); give
            /// this or `conversion_rate`. Range: > 0, ≤ 10⁹.
            #[serde(default, with = "num::opt_decimal", skip_serializing_if = "Option::is_none")]
            #[schema(example = 19.16325)]
            pub conversion_price: Option<Decimal>,
            /// First date the holder may convert; default the valuation date.
            /// On or before maturity.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[schema(example = "2025-12-15")]
            pub conversion_start_date: Option<NaiveDate>,
            /// Risk-free rate, continuously compounded. Range: [−0.5, 1].
            #[serde(with = "num::decimal")]
            #[schema(example = 0.04, minimum = -0.5, maximum = 1)]
            pub risk_free_rate: Decimal,
            /// Continuous dividend yield of the share. Default 0. Range: [0, 1].
            #[serde(default, with = "num::opt_decimal", skip_serializing_if = "Option::is_none")]
            #[schema(example = 0, minimum = 0, maximum = 1)]
            pub dividend_yield: Option<Decimal>,
            /// Discrete cash dividends (at most 1,000), escrowed: the lattice
            /// carries the share price less their present value.
            #[serde(default)]
            pub dividends: Vec<DividendRequest>,
            /// Issuer call periods (at most 1,000).
            #[serde(default)]
            pub call_schedule: Vec<CallRequest>,
            /// Holder put dates (at most 1,000).
            #[serde(default)]
            pub put_schedule: Vec<PutRequest>,
            /// Credit model: `tsiveriotis_fernandes` (default) or `hazard_rate`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub model: Option<CreditModel>,
            /// Recovery on default, a fraction of face; `hazard_rate` only.
            /// Default 0. Range: [0, 1).
            #[serde(default, with = "num::opt_decimal", skip_serializing_if = "Option::is_none")]
            #[schema(example = 0, minimum = 0, maximum = 1)]
            pub recovery_rate: Option<Decimal>,
            /// Lattice steps. Default 1,000, or 2,000 for a note with a call
            /// or put schedule (either within 0.01 per 100 of the 20,000-step
            /// price on the reference cases). Range: 10 to 20,000.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[schema(example = 1000, minimum = 10, maximum = 20000)]
            pub steps: Option<u32>,
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
                Ok(ConvertibleSpec {
                    face: to_f64(self.face.unwrap_or(DEFAULT_FACE)),
                    issue_date: self.issue_date,
                    maturity_date: self.maturity_date,
                    valuation_date: self.valuation_date,
                    coupon_rate: opt(self.coupon_rate),
                    coupon_frequency: self.coupon_frequency.unwrap_or(
                        if self.coupon_rate.is_some_and(|c| c > Decimal::ZERO) { 2 } else { 0 },
                    ),
                    coupon_day_count: match self.coupon_day_count.unwrap_or_default() {
                        CouponDayCount::Act365F => DayCount::Act365F,
                        CouponDayCount::Thirty360 => DayCount::Thirty360,
                    },
                    conversion_rate_per_1000: conversion_rate(
                        self.conversion_rate,
                        self.conversion_price,
                    )?,
                    conversion_start_date: self.conversion_start_date,
                    stock_price,
                    volatility,
                    risk_free_rate: to_f64(self.risk_free_rate),
                    credit_spread,
                    dividend_yield: opt(self.dividend_yield),
                    dividends: self
                        .dividends
                        .iter()
                        .map(|d| CashDividend { ex_date: d.ex_date, amount: to_f64(d.amount) })
                        .collect(),
                    call_schedule: self
                        .call_schedule
                        .iter()
                        .map(|c| CallPeriod {
                            from_date: c.from_date,
                            to_date: c.to_date,
                            price_per_100: to_f64(c.price),
                            trigger: c.trigger.map(to_f64),
                        })
                        .collect(),
                    put_schedule: self
                        .put_schedule
                        .iter()
                        .map(|p| PutDate { date: p.date, price_per_100: to_f64(p.price) })
                        .collect(),
                    model: self.model.unwrap_or_default().into(),
                    recovery_rate: opt(self.recovery_rate),
                    steps: self.steps.map(|s| s as usize),
                })
            }
        }
    };
}

pub(crate) fn opt(value: Option<Decimal>) -> f64 {
    value.map_or(0.0, to_f64)
}

/// Shares per $1,000 from exactly one of `conversion_rate` and `conversion_price`.
pub(crate) fn conversion_rate(
    rate: Option<Decimal>,
    price: Option<Decimal>,
) -> Result<f64, CoreError> {
    let checked = |v: Decimal, field: &str| -> Result<f64, CoreError> {
        let v = positive_f64(to_f64(v)).at(field)?;
        if v > MAX_AMOUNT {
            return Err(CoreError::invalid(
                field,
                ValueError::AboveMaximum {
                    bound: MAX_AMOUNT,
                    value: v,
                },
            ));
        }
        Ok(v)
    };
    match (rate, price) {
        (Some(r), None) => checked(r, "conversion_rate"),
        (None, Some(p)) => Ok(1000.0 / checked(p, "conversion_price")?),
        (r, p) => Err(CoreError::ExactlyOneOf {
            expected: vec!["conversion_rate", "conversion_price"],
            given: [r.map(|_| "conversion_rate"), p.map(|_| "conversion_price")]
                .into_iter()
                .flatten()
                .collect(),
        }),
    }
}

note_request! {
    /// A convertible note and its market: everything needed to price it.
    #[schema(example = json!({
        "face": 1000,
        "issue_date": "2025-12-15",
        "maturity_date": "2032-12-15",
        "valuation_date": "2025-12-15",
        "coupon_rate": 0,
        "conversion_rate": 52.1832,
        "stock_price": 15.03,
        "volatility": 0.6,
        "risk_free_rate": 0.04,
        "credit_spread": 0.05,
        "model": "tsiveriotis_fernandes"
    }))]
    pub struct PriceRequest {
        /// Share price today, USD. Range: > 0, ≤ 10⁹, above the present
        /// value of the discrete dividends.
        #[serde(with = "num::decimal")]
        #[schema(example = 15.03)]
        pub stock_price: Decimal,
        /// Annual lognormal volatility of the share (0.6 is 60%). Range: (0, 5].
        #[serde(with = "num::decimal")]
        #[schema(example = 0.6, minimum = 0, maximum = 5)]
        pub volatility: Decimal,
        /// Issuer credit spread over `risk_free_rate`, continuously
        /// compounded. Range: [0, 1].
        #[serde(with = "num::decimal")]
        #[schema(example = 0.05, minimum = 0, maximum = 1)]
        pub credit_spread: Decimal,
    }
}

impl TryFrom<PriceRequest> for ConvertibleInput {
    type Error = CoreError;

    fn try_from(req: PriceRequest) -> Result<Self, CoreError> {
        let spec = req.spec(
            to_f64(req.stock_price),
            to_f64(req.volatility),
            to_f64(req.credit_spread),
        )?;
        ConvertibleInput::new(spec)
    }
}

pub(crate) use note_request;

note_request! {
    /// A note, its market, and the share prices to value it at.
    #[schema(example = json!({
        "issue_date": "2025-12-15",
        "maturity_date": "2032-12-15",
        "valuation_date": "2025-12-15",
        "conversion_rate": 52.1832,
        "stock_prices": [5, 10, 15.03, 20, 30, 40],
        "volatility": 0.6,
        "risk_free_rate": 0.04,
        "credit_spread": 0.05
    }))]
    pub struct ProfileRequest {
        /// Share prices, USD (1 to 500 of them; prices × steps^1.5 at most
        /// 45,000,000, e.g. 500 at 2,000 steps or 15 at 20,000). Each > 0, ≤ 10⁹.
        #[serde(with = "num::decimal_vec")]
        #[schema(example = json!([5, 10, 15.03, 20, 30, 40]))]
        pub stock_prices: Vec<Decimal>,
        /// Annual lognormal volatility of the share. Range: (0, 5].
        #[serde(with = "num::decimal")]
        #[schema(example = 0.6, minimum = 0, maximum = 5)]
        pub volatility: Decimal,
        /// Issuer credit spread, continuously compounded. Range: [0, 1].
        #[serde(with = "num::decimal")]
        #[schema(example = 0.05, minimum = 0, maximum = 1)]
        pub credit_spread: Decimal,
    }
}

/// A validated profile request.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileInput {
    /// The note and market (stock price: the first of `stock_prices`).
    pub input: ConvertibleInput,
    /// The share prices, USD.
    pub stock_prices: Vec<f64>,
}

impl TryFrom<ProfileRequest> for ProfileInput {
    type Error = CoreError;

    fn try_from(req: ProfileRequest) -> Result<Self, CoreError> {
        let stock_prices: Vec<f64> = req.stock_prices.iter().copied().map(to_f64).collect();
        let first = match stock_prices.first() {
            Some(&s) => positive_f64(s).at("stock_prices[0]")?,
            None => return Err(CoreError::invalid("stock_prices", ValueError::Empty)),
        };
        let spec = req.spec(first, to_f64(req.volatility), to_f64(req.credit_spread))?;
        Ok(ProfileInput {
            input: ConvertibleInput::new(spec)?,
            stock_prices,
        })
    }
}

pub(crate) fn dec(value: f64, dp: u32) -> Result<Decimal, CoreError> {
    Decimal::from_f64(value)
        .map(|d| num::round(d, dp).normalize())
        .ok_or(CoreError::Overflow {
            quantity: "convertible response",
        })
}

pub(crate) fn per_100(value: f64) -> Result<Decimal, CoreError> {
    dec(value, PER_100_DECIMALS)
}

pub(crate) fn per_note(value_per_100: f64, face: f64) -> Result<Decimal, CoreError> {
    Ok(num::cents(dec(value_per_100 * face / 100.0, 10)?).normalize())
}

pub(crate) fn greek(value: f64) -> Result<Decimal, CoreError> {
    dec(value, GREEK_DECIMALS)
}

/// How far the price may be from the converged one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConvergenceResponse {
    /// Steps of the comparison lattice (half of `steps`).
    #[schema(example = 500)]
    pub half_steps: u32,
    /// The price at `half_steps`, per 100.
    #[serde(with = "num::decimal")]
    #[schema(example = 103.7181)]
    pub price_at_half_steps_per_100: Decimal,
    /// `price(steps) − price(half_steps)`, per 100: for a lattice whose error
    /// falls like 1/N, about the size of the remaining error.
    #[serde(with = "num::decimal")]
    #[schema(example = 0.0007)]
    pub change_from_half_steps_per_100: Decimal,
    /// Richardson estimate of the converged price, `2·price(N) − price(N/2)`, per 100.
    #[serde(with = "num::decimal")]
    #[schema(example = 103.7195)]
    pub richardson_price_per_100: Decimal,
}

/// A note's fair value and analytics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceResponse {
    /// The credit model used.
    pub model: CreditModel,
    /// Lattice steps used (the request's, or more where the hazard-rate tree
    /// needed refining to keep its probabilities in [0, 1], or fewer by up to
    /// a tenth to put call and put dates on or near a step).
    #[schema(example = 1000)]
    pub steps: u32,
    /// Fair value per 100 of face, dirty.
    #[serde(with = "num::decimal")]
    #[schema(example = 103.718817)]
    pub price_per_100: Decimal,
    /// Fair value of one note, USD, dirty.
    #[serde(with = "num::decimal")]
    #[schema(example = 1037.19)]
    pub price_per_note: Decimal,
    /// Clean price per 100 (dirty − accrued).
    #[serde(with = "num::decimal")]
    #[schema(example = 103.718817)]
    pub clean_price_per_100: Decimal,
    /// Clean price of one note, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 1037.19)]
    pub clean_price_per_note: Decimal,
    /// Accrued interest per 100 on the valuation date.
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub accrued_per_100: Decimal,
    /// Accrued interest of one note, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub accrued_per_note: Decimal,
    /// Bond floor per 100: remaining cash flows discounted at
    /// `risk_free_rate + credit_spread`.
    #[serde(with = "num::decimal")]
    #[schema(example = 53.232922)]
    pub bond_floor_per_100: Decimal,
    /// Bond floor of one note, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 532.33)]
    pub bond_floor_per_note: Decimal,
    /// Parity per 100: conversion shares × stock price.
    #[serde(with = "num::decimal")]
    #[schema(example = 78.43235)]
    pub conversion_value_per_100: Decimal,
    /// Parity of one note, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 784.32)]
    pub conversion_value_per_note: Decimal,
    /// Shares received on converting one note.
    #[serde(with = "num::decimal")]
    #[schema(example = 52.1832)]
    pub conversion_shares_per_note: Decimal,
    /// `price / parity − 1`.
    #[serde(with = "num::decimal")]
    #[schema(example = 0.3223)]
    pub premium_to_parity: Decimal,
    /// `price / bond floor − 1`.
    #[serde(with = "num::decimal")]
    #[schema(example = 0.9484)]
    pub premium_to_bond_floor: Decimal,
    /// dV/dS per 100 of face per USD 1 of share price, from the lattice's
    /// three nodes on the valuation date.
    #[serde(with = "num::decimal")]
    #[schema(example = 4.02)]
    pub delta_per_100: Decimal,
    /// dV/dS of one note, USD per USD 1 of share price (shares-equivalent).
    #[serde(with = "num::decimal")]
    #[schema(example = 40.2)]
    pub delta_per_note: Decimal,
    /// Delta as a fraction of the conversion shares.
    #[serde(with = "num::decimal")]
    #[schema(example = 0.77)]
    pub delta_share_fraction: Decimal,
    /// d²V/dS² per 100 of face per USD² of share price, from the lattice.
    #[serde(with = "num::decimal")]
    #[schema(example = 0.07)]
    pub gamma_per_100: Decimal,
    /// d²V/dS² of one note.
    #[serde(with = "num::decimal")]
    #[schema(example = 0.7)]
    pub gamma_per_note: Decimal,
    /// Price change per 100 for one vol point (0.01), central bump.
    #[serde(with = "num::decimal")]
    #[schema(example = 0.33)]
    pub vega_per_100: Decimal,
    /// Price change of one note, USD, for one vol point.
    #[serde(with = "num::decimal")]
    #[schema(example = 3.3)]
    pub vega_per_note: Decimal,
    /// Price change per 100 per calendar day, from the lattice.
    #[serde(with = "num::decimal")]
    #[schema(example = 0.006)]
    pub theta_per_100_per_day: Decimal,
    /// Price change of one note per calendar day, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 0.06)]
    pub theta_per_note_per_day: Decimal,
    /// Price change per 100 per basis point of risk-free rate, central bump.
    #[serde(with = "num::decimal")]
    #[schema(example = -0.01)]
    pub rho_per_100_per_bp: Decimal,
    /// Price change of one note per basis point of risk-free rate, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = -0.1)]
    pub rho_per_note_per_bp: Decimal,
    /// Price change per 100 per basis point of credit spread, central bump.
    #[serde(with = "num::decimal")]
    #[schema(example = -0.02)]
    pub cs01_per_100_per_bp: Decimal,
    /// Price change of one note per basis point of credit spread, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = -0.2)]
    pub cs01_per_note_per_bp: Decimal,
    /// Convergence diagnostic.
    pub convergence: ConvergenceResponse,
}

impl PriceResponse {
    /// Builds the response from the core valuation, rounding as documented.
    pub fn new(input: &ConvertibleInput, v: &Valuation) -> Result<Self, CoreError> {
        let face = input.spec().face;
        let note = face / 100.0;
        let g = &v.greeks;
        Ok(PriceResponse {
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
    #[serde(with = "num::decimal")]
    #[schema(example = 15.03)]
    pub stock_price: Decimal,
    /// Fair value per 100, dirty.
    #[serde(with = "num::decimal")]
    #[schema(example = 103.7188)]
    pub price_per_100: Decimal,
    /// Fair value of one note, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 1037.19)]
    pub price_per_note: Decimal,
    /// Bond floor per 100.
    #[serde(with = "num::decimal")]
    #[schema(example = 53.232922)]
    pub bond_floor_per_100: Decimal,
    /// Parity per 100.
    #[serde(with = "num::decimal")]
    #[schema(example = 78.43235)]
    pub conversion_value_per_100: Decimal,
    /// dV/dS per 100 per USD 1 of share price.
    #[serde(with = "num::decimal")]
    #[schema(example = 4.02)]
    pub delta_per_100: Decimal,
    /// dV/dS of one note.
    #[serde(with = "num::decimal")]
    #[schema(example = 40.2)]
    pub delta_per_note: Decimal,
}

/// The price profile across share prices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileResponse {
    /// The credit model used.
    pub model: CreditModel,
    /// Lattice steps requested.
    #[schema(example = 1000)]
    pub steps: u32,
    /// One point per requested share price, in the request's order.
    pub points: Vec<ProfilePointResponse>,
}

impl ProfileResponse {
    /// Builds the response from the core profile.
    pub fn new(input: &ConvertibleInput, points: &[ProfilePoint]) -> Result<Self, CoreError> {
        let face = input.spec().face;
        Ok(ProfileResponse {
            model: input.spec().model.into(),
            steps: u32::try_from(input.steps()).unwrap_or(u32::MAX),
            points: points
                .iter()
                .map(|p| {
                    Ok(ProfilePointResponse {
                        stock_price: dec(p.stock_price, 10)?,
                        price_per_100: per_100(p.price_per_100)?,
                        price_per_note: per_note(p.price_per_100, face)?,
                        bond_floor_per_100: per_100(p.bond_floor_per_100)?,
                        conversion_value_per_100: per_100(p.conversion_value_per_100)?,
                        delta_per_100: greek(p.delta_per_100)?,
                        delta_per_note: greek(p.delta_per_100 * face / 100.0)?,
                    })
                })
                .collect::<Result<_, CoreError>>()?,
        })
    }
}

/// Computes [`crate::operations::ConvertiblePrice`].
pub fn price(input: ConvertibleInput) -> Result<PriceResponse, CoreError> {
    let valuation = infraval_core::convertible::pricing::price(&input)?;
    PriceResponse::new(&input, &valuation)
}

/// Computes [`crate::operations::ConvertibleProfile`].
pub fn profile(req: ProfileInput) -> Result<ProfileResponse, CoreError> {
    let points = infraval_core::convertible::pricing::profile(&req.input, &req.stock_prices)?;
    ProfileResponse::new(&req.input, &points)
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

/// The work of a price: steps² / 10⁶ (a unit for the default 1,000 steps).
pub fn price_work_units(input: &ConvertibleInput) -> u64 {
    lattice_units(input.steps(), 1)
}

/// The work of a profile: one rollback per share price, an eighth of a
/// price with greeks each.
pub fn profile_work_units(req: &ProfileInput) -> u64 {
    lattice_units(req.input.steps(), req.stock_prices.len()).div_ceil(8)
}
