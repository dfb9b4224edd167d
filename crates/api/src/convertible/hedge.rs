//! The carry of a delta-hedged note: `POST /v1/convertibles/hedge`.

use infraval_core::convertible::engine::Engine;
use infraval_core::convertible::hedge::{self, Carry, HedgeTerms, NoteRisk};
use infraval_core::convertible::lattice::{
    CallPeriod, CashDividend, ConvertibleInput, ConvertibleSpec, PutDate,
};
use infraval_core::convertible::monte_carlo;
use infraval_core::convertible::schedule::DayCount;
use infraval_core::num::to_f64;
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::contract::EngineUsed;
use super::pricing::{
    cleanspark_2032_template, conversion_rate, coupon_hazard_note_with, dec, exact_units, extended,
    greek, lattice_units, note_request, note_with, opt, per_100, CallRequest, CouponDayCount,
    CreditModel, DividendRequest, PutRequest, DEFAULT_FACE, FRACTION_DECIMALS,
};
use crate::wire::{Date, Int, Num, Wire};
use crate::{bounds, num, Example, Examples};

note_request! {
    /// A note, its market, and a delta-hedged position in it: the face
    /// held, how it is financed, the short's terms and the holding period.
    pub struct HedgeRequest {
        /// Share price today, USD; above the present value of the discrete
        /// dividends.
        #[wire(bounds::LATTICE_AMOUNT)]
        pub stock_price: Num,
        /// Annual lognormal volatility of the share.
        #[wire(bounds::VOLATILITY)]
        pub volatility: Num,
        /// Issuer credit spread over `risk_free_rate`, continuously
        /// compounded.
        #[wire(bounds::CREDIT_SPREAD)]
        pub credit_spread: Num,
        /// Face of the notes held, USD.
        #[wire(bounds::POSITIVE_USD)]
        pub position_face: Num,
        /// Fee for borrowing the shares sold short, a year, on their
        /// market value (0.005 is 50 bp).
        #[wire(bounds::FUNDING_RATE)]
        pub stock_borrow_rate: Num,
        /// What the short sale's cash proceeds earn, a year.
        #[wire(bounds::FUNDING_RATE)]
        pub short_rebate_rate: Num,
        /// Interest on the financed part of the notes' value, a year.
        #[wire(bounds::FUNDING_RATE)]
        pub financing_rate: Num,
        /// The part of the notes' value funded with the holder's capital
        /// (the haircut or margin): 0 to 1.
        #[wire(bounds::FRACTION)]
        pub haircut: Num,
        /// Days the position is held, 1 to 3,650.
        #[wire(bounds::HOLDING_PERIOD_DAYS)]
        pub holding_period_days: Int,
    }
}

impl Examples for HedgeRequest {
    fn examples() -> Vec<Example> {
        vec![
            Example {
                name: "cleanspark_2032",
                summary: "$10M of CleanSpark's 0% 2032 notes at issue, hedged for 30 days: financed at 5% with a 20% haircut, rebate 3.5%, borrow 1%",
                body: note_with(position(0.6, json!(0.2), 30)),
            },
            Example {
                name: "coupon_and_dividends",
                summary: "The same notes with a 2% coupon, a 1% yield and a $0.25 dividend in the quarter held, on 500 steps",
                body: extended(
                    note_with(json!({
                        "coupon_rate": 0.02,
                        "dividend_yield": 0.01,
                        "dividends": [{"ex_date": "2026-02-01", "amount": 0.25}],
                        "steps": 500
                    })),
                    position(0.6, json!(0.2), 90),
                ),
            },
            Example {
                name: "hazard_rate_with_coupon",
                summary: "A 2% semiannual coupon under jump to default, 40% recovery, 500 steps, a week held with no haircut",
                body: coupon_hazard_note_with(position(0.6, json!(0), 7)),
            },
            Example {
                name: "cleanspark_2032_template",
                summary: "CleanSpark's 2032 notes on the template's terms, priced by the exact engine at 1,024 paths, hedged with lattice greeks",
                body: extended(
                    cleanspark_2032_template(1024),
                    position(0.65, json!(0.2), 30),
                ),
            },
        ]
    }
}

/// The market and the position of the examples: $10M face, financed at 5%,
/// a 3.5% rebate and a 1% borrow on the short.
fn position(
    volatility: f64,
    haircut: serde_json::Value,
    holding_period_days: u32,
) -> serde_json::Value {
    json!({
        "stock_price": 15.03,
        "volatility": volatility,
        "credit_spread": 0.05,
        "position_face": 10000000,
        "stock_borrow_rate": 0.01,
        "short_rebate_rate": 0.035,
        "financing_rate": 0.05,
        "haircut": haircut,
        "holding_period_days": holding_period_days
    })
}

/// A validated hedge request.
#[derive(Debug, Clone, PartialEq)]
pub struct HedgeInput {
    /// The note and market.
    pub input: ConvertibleInput,
    /// The engine that prices the note (greeks always from the lattice).
    pub engine: Engine,
    /// The position and its funding.
    pub terms: HedgeTerms,
}

/// The model of [`crate::operations::ConvertibleHedge`]: the engine that
/// prices the note, and the credit model.
pub fn hedge_model(input: &HedgeInput) -> &'static str {
    super::pricing::model_id(&input.input, &input.engine)
}

impl TryFrom<HedgeRequest> for HedgeInput {
    type Error = CoreError;

    fn try_from(req: HedgeRequest) -> Result<Self, CoreError> {
        let spec = req.spec(
            req.stock_price.to_f64(),
            req.volatility.to_f64(),
            req.credit_spread.to_f64(),
        )?;
        let input = ConvertibleInput::new(spec)?;
        let engine = req.engine(&input)?;
        let terms = HedgeTerms {
            position_face: req.position_face.to_f64(),
            stock_borrow_rate: req.stock_borrow_rate.to_f64(),
            short_rebate_rate: req.short_rebate_rate.to_f64(),
            financing_rate: req.financing_rate.to_f64(),
            haircut: req.haircut.to_f64(),
            holding_period_days: req.holding_period_days.to_u32(),
        };
        terms.check()?;
        Ok(HedgeInput {
            input,
            engine,
            terms,
        })
    }
}

/// A hedged position's carry, return on capital and gamma breakevens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HedgeResponse {
    /// The engine that gave `price_per_100` (greeks from the lattice).
    pub engine: EngineUsed,
    /// The note's dirty price per 100.
    pub price_per_100: Num,
    /// The note's delta per 100 per USD 1 of share price (lattice).
    pub delta_per_100: Num,
    /// The note's gamma per 100 per USD² (lattice).
    pub gamma_per_100: Num,
    /// The note's price change per 100 per calendar day (lattice).
    pub theta_per_100_per_day: Num,
    /// The notes' value, `position_face × price_per_100 / 100`, USD.
    pub bond_value: Num,
    /// Shares sold short, `position_face / 100 × delta_per_100`, to 4
    /// decimals.
    pub shares_short: Num,
    /// `shares_short × stock_price`, USD.
    pub short_value: Num,
    /// `haircut × bond_value`, USD.
    pub capital: Num,
    /// Coupon accrued a day, `position_face × coupon_rate / 365`, USD.
    pub coupon_per_day: Num,
    /// `financing_rate × (1 − haircut) × bond_value / 365`, USD.
    pub financing_per_day: Num,
    /// `short_rebate_rate × short_value / 365`, USD.
    pub rebate_per_day: Num,
    /// `stock_borrow_rate × short_value / 365`, USD.
    pub borrow_fee_per_day: Num,
    /// Dividends paid on the short from the yield, `dividend_yield ×
    /// short_value / 365`, USD.
    pub dividends_per_day: Num,
    /// `coupon − financing + rebate − borrow fee − dividends`, a day, USD.
    pub carry_per_day: Num,
    /// Discrete dividends with ex-date in the holding period paid on the
    /// short, `shares_short × Σ amount`, USD.
    pub discrete_dividends_in_period: Num,
    /// `carry_per_day × holding_period_days − discrete_dividends_in_period`,
    /// USD.
    pub carry_per_period: Num,
    /// `carry_per_period / capital`; `null` with no capital (haircut 0).
    pub return_on_capital: Option<Num>,
    /// `return_on_capital × 365 / holding_period_days`; `null` with no
    /// capital.
    pub return_on_capital_annualised: Option<Num>,
    /// The position's theta, `position_face / 100 × theta_per_100_per_day`,
    /// USD a day.
    pub theta_per_day: Num,
    /// The position's gamma, `position_face / 100 × gamma_per_100`, shares
    /// per USD 1 of share price.
    pub gamma: Num,
    /// The share move up over a day at which the hedged position breaks
    /// even, USD: `√(−2 (theta_per_day + carry_per_day) / gamma)`; `null`
    /// when the position earns standing still or has no gamma.
    pub breakeven_move_up: Option<Num>,
    /// The same move down, USD (negative).
    pub breakeven_move_down: Option<Num>,
    /// `breakeven_move_up / stock_price`, a fraction.
    pub breakeven_move_fraction: Option<Num>,
}

fn usd(value: f64) -> Result<Num, CoreError> {
    let exact = Decimal::try_from(value).map_err(|_| CoreError::Overflow {
        quantity: "hedge response",
    })?;
    Ok(num::cents(exact))
}

impl HedgeResponse {
    fn new(engine: EngineUsed, risk: &NoteRisk, c: &Carry) -> Result<Self, CoreError> {
        let fraction = |x: Option<f64>| x.map(|x| dec(x, FRACTION_DECIMALS)).transpose();
        Ok(HedgeResponse {
            engine,
            price_per_100: per_100(risk.price_per_100)?,
            delta_per_100: greek(risk.delta_per_100)?,
            gamma_per_100: greek(risk.gamma_per_100)?,
            theta_per_100_per_day: greek(risk.theta_per_100_per_day)?,
            bond_value: usd(c.bond_value)?,
            shares_short: dec(c.shares_short, 4)?,
            short_value: usd(c.short_value)?,
            capital: usd(c.capital)?,
            coupon_per_day: usd(c.coupon_per_day)?,
            financing_per_day: usd(c.financing_per_day)?,
            rebate_per_day: usd(c.rebate_per_day)?,
            borrow_fee_per_day: usd(c.borrow_fee_per_day)?,
            dividends_per_day: usd(c.dividends_per_day)?,
            carry_per_day: usd(c.carry_per_day)?,
            discrete_dividends_in_period: usd(c.discrete_dividends_in_period)?,
            carry_per_period: usd(c.carry_per_period)?,
            return_on_capital: fraction(c.return_on_capital)?,
            return_on_capital_annualised: fraction(c.return_on_capital_annualised)?,
            theta_per_day: usd(c.theta_per_day)?,
            gamma: dec(c.gamma, 4)?,
            breakeven_move_up: c.breakeven_move_up.map(|x| dec(x, 6)).transpose()?,
            breakeven_move_down: c.breakeven_move_down.map(|x| dec(x, 6)).transpose()?,
            breakeven_move_fraction: fraction(c.breakeven_move_up.map(|x| x / risk.stock_price))?,
        })
    }
}

/// Computes [`crate::operations::ConvertibleHedge`].
pub fn hedge(req: HedgeInput) -> Result<HedgeResponse, CoreError> {
    let v = infraval_core::convertible::pricing::price(&req.input)?;
    let (engine, price) = match req.engine {
        Engine::MonteCarlo(settings) => (
            EngineUsed::MonteCarlo,
            monte_carlo::price(&req.input, settings)?.price_per_100,
        ),
        Engine::Lattice => (EngineUsed::Lattice, v.price_per_100),
    };
    let spec = req.input.spec();
    let horizon =
        spec.valuation_date + chrono::Duration::days(i64::from(req.terms.holding_period_days));
    let risk = NoteRisk {
        price_per_100: price,
        delta_per_100: v.greeks.delta_per_100,
        gamma_per_100: v.greeks.gamma_per_100,
        theta_per_100_per_day: v.greeks.theta_per_100_per_day,
        stock_price: spec.stock_price,
        coupon_rate: spec.coupon_rate,
        dividend_yield: spec.dividend_yield,
        dividends_in_period_per_share: spec
            .dividends
            .iter()
            .filter(|d| d.ex_date > spec.valuation_date && d.ex_date <= horizon)
            .map(|d| d.amount)
            .sum(),
    };
    let carry = hedge::carry(&req.terms, &risk)?;
    HedgeResponse::new(engine, &risk, &carry)
}

/// The work of a hedge: a price's.
pub fn hedge_work_units(req: &HedgeInput) -> u64 {
    lattice_units(req.input.steps(), 1).saturating_add(exact_units(&req.input, req.engine))
}
