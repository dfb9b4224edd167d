//! The volatility or spread that reproduces a market price:
//! `POST /v1/convertibles/implied`.

use infraval_core::convertible::engine::Engine;
use infraval_core::convertible::implied::{self, Implied, SearchRange, SolveFor};
use infraval_core::convertible::lattice::{
    CallPeriod, CashDividend, ConvertibleInput, ConvertibleSpec, PutDate,
};
use infraval_core::convertible::schedule::DayCount;
use infraval_core::error::AtField;
use infraval_core::num::{positive_f64, to_f64};
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::contract::EngineUsed;
use super::pricing::{
    cleanspark_2032_template, conversion_rate, coupon_hazard_note_with, dec, exact_units, extended,
    lattice_units, note_request, note_with, opt, per_100, per_note, CallRequest, CouponDayCount,
    CreditModel, DividendRequest, PutRequest, DEFAULT_FACE, FRACTION_DECIMALS,
};
use crate::wire::{Bounds, Date, Int, Num, Wire};
use crate::{bounds, Example, Examples};

/// The market input to solve for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SolveForRequest {
    /// The share's volatility.
    #[default]
    Volatility,
    /// The issuer's credit spread.
    CreditSpread,
}

note_request! {
    /// A note, its market without the solved input, and the price to reproduce.
    pub struct ImpliedRequest {
        /// Share price today, USD.
        #[wire(bounds::LATTICE_AMOUNT)]
        pub stock_price: Num,
        /// Volatility; required when solving for `credit_spread`. When
        /// solving for `volatility`, optional: the starting value, and of
        /// several volatilities that reproduce the price the one nearest it
        /// is answered (without it, the lowest).
        #[wire(bounds::VOLATILITY)]
        pub volatility: Option<Num>,
        /// Credit spread; required when solving for `volatility`. When
        /// solving for `credit_spread`, optional: the starting value, and of
        /// several spreads that reproduce the price (the hazard-rate price
        /// need not fall as the spread widens) the one nearest it is
        /// answered (without it, the lowest).
        #[wire(bounds::CREDIT_SPREAD)]
        pub credit_spread: Option<Num>,
        /// What to solve for: `volatility` or `credit_spread`.
        pub solve_for: SolveForRequest,
        /// The market price to reproduce, per 100 of face, dirty.
        #[wire(bounds::PRICE_PER_100)]
        pub market_price_per_100: Num,
    }
}

impl Examples for ImpliedRequest {
    fn examples() -> Vec<Example> {
        vec![
            Example {
                name: "volatility_at_par",
                summary: "The volatility at which CleanSpark's 2032 notes are worth par",
                body: note_with(json!({
                    "stock_price": 15.03,
                    "credit_spread": 0.05,
                    "solve_for": "volatility",
                    "market_price_per_100": 100
                })),
            },
            Example {
                name: "spread_at_par",
                summary: "The credit spread at which they are worth par at 60% volatility",
                body: note_with(json!({
                    "stock_price": 15.03,
                    "volatility": 0.6,
                    "solve_for": "credit_spread",
                    "market_price_per_100": 100
                })),
            },
            Example {
                name: "cleanspark_2032_template_volatility",
                summary: "The volatility at which CleanSpark's 2032 notes on the template's terms are worth 105 two years before maturity, exact engine at 1,024 paths",
                body: extended(
                    cleanspark_2032_template(1024),
                    json!({
                        "valuation_date": "2030-02-15",
                        "stock_price": 15.03,
                        "credit_spread": 0.05,
                        "solve_for": "volatility",
                        "market_price_per_100": 105
                    }),
                ),
            },
            Example {
                name: "spread_under_hazard_rate",
                summary: "The hazard-rate spread of a 2% coupon note worth 115 per 100, 40% recovery, 500 steps",
                body: coupon_hazard_note_with(json!({
                    "stock_price": 15.03,
                    "volatility": 0.6,
                    "solve_for": "credit_spread",
                    "market_price_per_100": 115
                })),
            },
        ]
    }
}

/// A validated implied request.
#[derive(Debug, Clone, PartialEq)]
pub struct ImpliedInput {
    /// The note and market (the solved field holds a placeholder).
    pub input: ConvertibleInput,
    /// What to solve for.
    pub solve_for: SolveFor,
    /// The target price per 100, dirty.
    pub market_price_per_100: f64,
    /// The engine whose price is matched.
    pub engine: Engine,
    /// The starting value of the solved input, if given.
    pub start: Option<f64>,
    /// Where the solved input is searched: its wire range
    /// ([`bounds::VOLATILITY`] or [`bounds::CREDIT_SPREAD`]), so that no
    /// answer lies where `/price` would refuse it.
    pub range: SearchRange,
}

/// A closed wire range as the solver's search range.
fn search_range(bounds: Bounds) -> SearchRange {
    let end = |end: Option<crate::wire::End>| end.map_or(f64::NAN, |e| to_f64(e.value));
    SearchRange {
        low: end(bounds.min),
        high: end(bounds.max),
    }
}

/// Placeholder for the solved volatility; the solver ignores it.
const PLACEHOLDER_VOLATILITY: f64 = 0.3;

impl TryFrom<ImpliedRequest> for ImpliedInput {
    type Error = CoreError;

    fn try_from(req: ImpliedRequest) -> Result<Self, CoreError> {
        let needed = |value: Option<Num>, field: &'static str| {
            value
                .map(Num::to_f64)
                .ok_or(CoreError::missing_dependency("solve_for", field))
        };
        // The solved field, if given, is where the search starts; the spec
        // carries it (or a placeholder), which validates its range.
        let (volatility, spread, solve_for, start, range) = match req.solve_for {
            SolveForRequest::Volatility => {
                let start = req.volatility.map(Num::to_f64);
                (
                    start.unwrap_or(PLACEHOLDER_VOLATILITY),
                    needed(req.credit_spread, "credit_spread")?,
                    SolveFor::Volatility,
                    start,
                    search_range(bounds::VOLATILITY),
                )
            }
            SolveForRequest::CreditSpread => {
                let start = req.credit_spread.map(Num::to_f64);
                (
                    needed(req.volatility, "volatility")?,
                    start.unwrap_or(0.0),
                    SolveFor::CreditSpread,
                    start,
                    search_range(bounds::CREDIT_SPREAD),
                )
            }
        };
        let spec = req.spec(req.stock_price.to_f64(), volatility, spread)?;
        let market_price_per_100 =
            positive_f64(req.market_price_per_100.to_f64()).at("market_price_per_100")?;
        let input = ConvertibleInput::new(spec)?;
        let engine = req.engine(&input)?;
        Ok(ImpliedInput {
            input,
            solve_for,
            market_price_per_100,
            engine,
            start,
            range,
        })
    }
}

/// The solved input and the price it reproduces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImpliedResponse {
    /// What was solved for.
    pub solve_for: SolveForRequest,
    /// The implied volatility (when solving for it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volatility: Option<Num>,
    /// The implied credit spread (when solving for it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_spread: Option<Num>,
    /// The engine whose price was matched: `lattice` or `monte_carlo` (from
    /// the same seed at every trial value).
    pub engine: EngineUsed,
    /// The engine's price at the solved value, per 100, dirty.
    pub price_per_100: Num,
    /// The same for one note, USD.
    pub price_per_note: Num,
    /// The solver's price tolerance, per 100 (absolute).
    pub tolerance_per_100: Num,
    /// Every volatility (or spread) found that reproduces the price,
    /// ascending, to 8 decimals: the lattice's price is scanned across the
    /// whole search range, and more than one value answers where it is not
    /// monotone in the input (the hazard-rate price in the spread); the
    /// exact engine solves within 0.2 of each lattice root. The answer
    /// above is the one nearest the request's starting value, or the
    /// lowest.
    pub roots: Vec<Num>,
    /// Prices computed: the lattice's scan (17) and Brent's for each root,
    /// and with the exact engine its runs.
    pub iterations: u32,
    /// The credit model used.
    pub model: CreditModel,
}

impl ImpliedResponse {
    /// Builds the response from the solver's result.
    pub fn new(
        input: &ConvertibleInput,
        solved: &Implied,
        engine: Engine,
    ) -> Result<Self, CoreError> {
        let value = Some(dec(solved.value, FRACTION_DECIMALS)?);
        let (solve_for, volatility, credit_spread) = match solved.solve_for {
            SolveFor::Volatility => (SolveForRequest::Volatility, value, None),
            SolveFor::CreditSpread => (SolveForRequest::CreditSpread, None, value),
        };
        Ok(ImpliedResponse {
            engine: match engine {
                Engine::Lattice => EngineUsed::Lattice,
                Engine::MonteCarlo(_) => EngineUsed::MonteCarlo,
            },
            solve_for,
            volatility,
            credit_spread,
            price_per_100: per_100(solved.price_per_100)?,
            price_per_note: per_note(solved.price_per_100, input.spec().face)?,
            tolerance_per_100: dec(implied::PRICE_TOLERANCE, 10)?,
            roots: solved
                .roots
                .iter()
                .map(|&x| dec(x, FRACTION_DECIMALS))
                .collect::<Result<_, _>>()?,
            iterations: u32::try_from(solved.iterations).unwrap_or(u32::MAX),
            model: input.spec().model.into(),
        })
    }
}

/// The model of [`crate::operations::ConvertibleImplied`]: the engine
/// whose price is matched, and the credit model.
pub fn implied_model(input: &ImpliedInput) -> &'static str {
    super::pricing::model_id(&input.input, &input.engine)
}

/// Computes [`crate::operations::ConvertibleImplied`].
pub fn implied(req: ImpliedInput) -> Result<ImpliedResponse, CoreError> {
    let solved = implied::implied_by(
        &req.input,
        req.solve_for,
        req.market_price_per_100,
        req.start,
        req.range,
        req.engine,
    )?;
    ImpliedResponse::new(&req.input, &solved, req.engine)
}

/// The work of an implied solve: as three prices at the same steps (the
/// scan's 17 plain rollbacks and Brent's half dozen or so a root, where a
/// price with greeks takes about 8); with the exact engine, a dozen runs
/// more.
pub fn implied_work_units(req: &ImpliedInput) -> u64 {
    lattice_units(req.input.steps(), 3)
        .saturating_add(exact_units(&req.input, req.engine).saturating_mul(12))
}
