//! A capped call's fair value and cost: `POST /v1/convertibles/capped-call`.

use infraval_core::convertible::capped_call::{
    self, CallSpread, CappedCallCost, CappedCallValue, NotesCovered, OptionMarket,
};
use infraval_core::convertible::dilution::ShareCount;
use infraval_core::convertible::lattice::CashDividend;
use infraval_core::error::AtField;
use infraval_core::CoreError;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::pricing::{dec, DividendRequest, FRACTION_DECIMALS, GREEK_DECIMALS};
use super::terms::terms;
use super::{cents, shares};
use crate::wire::{Date, Num, Wire};
use crate::{bounds, Example, Examples};

/// A capped call (a call spread from `lower_strike` to `cap_price`) on the
/// issuer's stock, its market, and the shares it is written on: `shares`,
/// or the notes' `principal` with one of `conversion_rate`,
/// `conversion_price`, or `reference_price` with `conversion_premium`
/// (as in `/terms`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct CappedCallPriceRequest {
    /// Share price today, USD; above the present value of the discrete
    /// dividends.
    #[wire(bounds::LATTICE_AMOUNT)]
    pub stock_price: Num,
    /// Annual lognormal volatility of the share (0.65 is 65%).
    #[wire(bounds::VOLATILITY)]
    pub volatility: Num,
    /// Risk-free rate, continuously compounded.
    #[wire(bounds::RISK_FREE_RATE)]
    pub risk_free_rate: Num,
    /// Continuous dividend yield of the share. Default 0.
    #[wire(bounds::DIVIDEND_YIELD, default = rust_decimal::Decimal::ZERO)]
    pub dividend_yield: Option<Num>,
    /// Discrete cash dividends, escrowed: the stock less their present
    /// value at `risk_free_rate` is lognormal. Ex-dates after
    /// `valuation_date`, on or before `expiry_date`.
    #[serde(default)]
    #[wire(bounds::SCHEDULE)]
    pub dividends: Vec<DividendRequest>,
    /// The long call's strike, USD per share. Default with the notes'
    /// terms: their parity price `1,000 / conversion_rate`. Required with
    /// `shares`.
    #[wire(bounds::SHARE_PRICE, default_with = CappedCallPriceRequest::parity_price)]
    pub lower_strike: Option<Num>,
    /// The cap (the short call's strike), USD per share, above
    /// `lower_strike`.
    #[wire(bounds::SHARE_PRICE)]
    pub cap_price: Num,
    /// Time 0, ISO 8601.
    #[schema(example = "2024-12-17")]
    pub valuation_date: Date,
    /// The options' expiry, usually the notes' maturity; after
    /// `valuation_date`, at most 60 years on.
    #[schema(example = "2030-06-15")]
    pub expiry_date: Date,
    /// Shares the calls are written on; give this or the notes' terms.
    #[wire(bounds::SHARES)]
    pub shares: Option<Num>,
    /// Principal of the notes covered, USD; as in `/terms`.
    #[wire(bounds::PRINCIPAL)]
    pub principal: Option<Num>,
    /// Shares per $1,000 of principal; as in `/terms`.
    #[wire(bounds::CONVERSION_RATE)]
    pub conversion_rate: Option<Num>,
    /// Conversion price, USD per share; as in `/terms`.
    #[wire(bounds::CONVERSION_PRICE)]
    pub conversion_price: Option<Num>,
    /// Reference share price, USD; needs `conversion_premium`.
    #[wire(bounds::REFERENCE_PRICE)]
    pub reference_price: Option<Num>,
    /// Conversion premium; needs `reference_price`.
    #[wire(bounds::CONVERSION_PREMIUM)]
    pub conversion_premium: Option<Num>,
}

/// CleanSpark's capped calls on its $650M 0% notes due 15 June 2030,
/// priced 12 December 2024 (closing 17 December): reference price $12.33,
/// 67.5858 shares per $1,000 (conversion price $14.80), cap $24.66 (100%
/// over the reference). It paid $90.4M for them.
fn cleanspark_2030() -> serde_json::Value {
    json!({
        "stock_price": 12.33,
        "volatility": 0.65,
        "risk_free_rate": 0.04,
        "cap_price": 24.66,
        "valuation_date": "2024-12-17",
        "expiry_date": "2030-06-15",
        "principal": 650000000,
        "conversion_rate": 67.5858
    })
}

impl Examples for CappedCallPriceRequest {
    fn examples() -> Vec<Example> {
        vec![
            Example {
                name: "cleanspark_2030",
                summary: "CleanSpark's capped calls on its $650M 2030 notes ($14.80 to $24.66), at 65% volatility",
                body: cleanspark_2030(),
            },
            Example {
                name: "on_shares_with_dividends",
                summary: "The same spread on the 43,930,770 underlying shares with a 1% yield and a $0.10 dividend",
                body: json!({
                    "stock_price": 12.33,
                    "volatility": 0.65,
                    "risk_free_rate": 0.04,
                    "dividend_yield": 0.01,
                    "dividends": [{"ex_date": "2026-06-01", "amount": 0.10}],
                    "lower_strike": 14.80,
                    "cap_price": 24.66,
                    "valuation_date": "2024-12-17",
                    "expiry_date": "2030-06-15",
                    "shares": 43930770
                }),
            },
            Example {
                name: "cleanspark_2032_illustrative",
                summary: "An illustrative capped call on CleanSpark's $1.15B 2032 notes, $19.16 to $30.06 (the filings show none)",
                body: json!({
                    "stock_price": 15.03,
                    "volatility": 0.65,
                    "risk_free_rate": 0.04,
                    "cap_price": 30.06,
                    "valuation_date": "2025-12-15",
                    "expiry_date": "2032-02-15",
                    "principal": 1150000000,
                    "reference_price": 15.03,
                    "conversion_premium": 0.275
                }),
            },
            Example {
                name: "by_conversion_price",
                summary: "The 2030 notes' capped call with the conversion price given instead of the rate",
                body: json!({
                    "stock_price": 12.33,
                    "volatility": 0.65,
                    "risk_free_rate": 0.04,
                    "cap_price": 24.66,
                    "valuation_date": "2024-12-17",
                    "expiry_date": "2030-06-15",
                    "principal": 650000000,
                    "conversion_price": 14.80
                }),
            },
        ]
    }
}

/// A validated capped-call request.
#[derive(Debug, Clone, PartialEq)]
pub struct CappedCallPriceInput {
    /// The market.
    pub market: OptionMarket,
    /// The strikes.
    pub spread: CallSpread,
    /// The shares the calls are written on.
    pub shares: rust_decimal::Decimal,
    /// The notes, when given.
    pub notes: Option<NotesCovered>,
}

impl CappedCallPriceRequest {
    /// The default `lower_strike`: the notes' parity price, when the calls
    /// are written on notes (`principal` without `shares`) whose terms the
    /// conversion accepts; `None` otherwise (the conversion then names the
    /// problem).
    fn parity_price(&self) -> Option<Num> {
        let principal = self.principal.filter(|_| self.shares.is_none())?;
        let terms = terms(
            principal,
            self.conversion_rate,
            self.conversion_price,
            self.reference_price,
            self.conversion_premium,
        )
        .ok()?;
        Some(Num::new(terms.parity_price()))
    }
}

impl TryFrom<CappedCallPriceRequest> for CappedCallPriceInput {
    type Error = CoreError;

    fn try_from(req: CappedCallPriceRequest) -> Result<Self, CoreError> {
        let notes_given = [
            req.conversion_rate,
            req.conversion_price,
            req.reference_price,
            req.conversion_premium,
        ]
        .iter()
        .any(Option::is_some);
        let (shares, notes, parity) = match (req.shares, req.principal) {
            (Some(s), None) => {
                if notes_given {
                    return Err(CoreError::Inconsistent {
                        field: "shares".into(),
                        reason:
                            "give shares or the notes' terms (principal and conversion), not both",
                    });
                }
                (ShareCount::new(s.get()).at("shares")?.get(), None, None)
            }
            (None, Some(p)) => {
                let t = terms(
                    p,
                    req.conversion_rate,
                    req.conversion_price,
                    req.reference_price,
                    req.conversion_premium,
                )?;
                (
                    t.shares_underlying(),
                    Some(NotesCovered {
                        principal: t.principal(),
                        conversion_rate: t.conversion_rate(),
                    }),
                    Some(t.parity_price()),
                )
            }
            (s, p) => {
                return Err(CoreError::exactly_one_of(
                    &["shares", "principal"],
                    &[s.map(|_| "shares"), p.map(|_| "principal")]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>(),
                ))
            }
        };
        let lower_strike = match (req.lower_strike, parity) {
            (Some(k), _) => k.to_f64(),
            (None, Some(p)) => infraval_core::num::to_f64(p),
            (None, None) => {
                return Err(CoreError::Inconsistent {
                    field: "lower_strike".into(),
                    reason: "is required with shares (it defaults to the notes' parity price)",
                })
            }
        };
        let market = OptionMarket {
            stock_price: req.stock_price.to_f64(),
            volatility: req.volatility.to_f64(),
            risk_free_rate: req.risk_free_rate.to_f64(),
            dividend_yield: req.dividend_yield.map_or(0.0, Num::to_f64),
            dividends: req
                .dividends
                .iter()
                .map(|d| CashDividend {
                    ex_date: d.ex_date.get(),
                    amount: d.amount.to_f64(),
                })
                .collect(),
            valuation_date: req.valuation_date.get(),
            expiry_date: req.expiry_date.get(),
        };
        let spread = CallSpread {
            lower_strike,
            cap_price: req.cap_price.to_f64(),
        };
        market.check()?;
        spread.check()?;
        Ok(CappedCallPriceInput {
            market,
            spread,
            shares,
            notes,
        })
    }
}

/// A capped call's value per share, its cost and greeks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CappedCallPriceResponse {
    /// Fair value per share, `call(lower_strike) − call(cap_price)`, USD,
    /// to 6 decimals.
    pub value_per_share: Num,
    /// The long call at `lower_strike`, USD per share.
    pub lower_call_value_per_share: Num,
    /// The short call at `cap_price`, USD per share.
    pub cap_call_value_per_share: Num,
    /// The lower strike used, USD per share (the parity price by default).
    pub lower_strike: Num,
    /// Shares the calls are written on, to 4 decimals.
    pub shares: Num,
    /// Cost per $1,000 note, `value_per_share × conversion_rate`, USD to
    /// cents; `null` without the notes' terms.
    pub cost_per_note: Option<Num>,
    /// `value_per_share × shares`, USD to cents.
    pub total_cost: Num,
    /// `total_cost / principal`, to 10 decimals; `null` without the notes'
    /// terms.
    pub cost_fraction_of_principal: Option<Num>,
    /// dV/dS per share.
    pub delta_per_share: Num,
    /// d²V/dS² per share, per USD².
    pub gamma_per_share: Num,
    /// Value change per share for one vol point (0.01), USD.
    pub vega_per_share: Num,
    /// Value change per share over one calendar day, USD.
    pub theta_per_share_per_day: Num,
    /// Delta of the whole position, shares: `delta_per_share × shares`,
    /// what the dealers hedge with.
    pub delta_shares: Num,
    /// Years to expiry, Act/365F.
    pub years_to_expiry: Num,
    /// Present value of the discrete dividends to expiry, USD per share.
    pub dividends_pv: Num,
    /// `stock_price − dividends_pv`, USD.
    pub escrowed_stock_price: Num,
}

impl CappedCallPriceResponse {
    fn new(
        input: &CappedCallPriceInput,
        v: &CappedCallValue,
        c: &CappedCallCost,
    ) -> Result<Self, CoreError> {
        let per_share = |x: f64| dec(x, 6);
        let shares_f = infraval_core::num::to_f64(c.shares);
        Ok(CappedCallPriceResponse {
            value_per_share: per_share(v.value_per_share)?,
            lower_call_value_per_share: per_share(v.lower_call_per_share)?,
            cap_call_value_per_share: per_share(v.cap_call_per_share)?,
            lower_strike: dec(input.spread.lower_strike, 6)?,
            shares: shares(c.shares),
            cost_per_note: c.cost_per_1000.map(cents),
            total_cost: cents(c.total_cost),
            cost_fraction_of_principal: c
                .cost_fraction_of_principal
                .map(|f| crate::num::round(f, 10)),
            delta_per_share: dec(v.delta_per_share, GREEK_DECIMALS)?,
            gamma_per_share: dec(v.gamma_per_share, GREEK_DECIMALS)?,
            vega_per_share: dec(v.vega_per_share, GREEK_DECIMALS)?,
            theta_per_share_per_day: dec(v.theta_per_share_per_day, GREEK_DECIMALS)?,
            delta_shares: dec(v.delta_per_share * shares_f, 4)?,
            years_to_expiry: dec(v.years_to_expiry, FRACTION_DECIMALS)?,
            dividends_pv: dec(v.dividends_pv, 6)?,
            escrowed_stock_price: dec(v.escrowed_stock_price, 6)?,
        })
    }
}

/// Computes [`crate::operations::ConvertibleCappedCall`].
pub fn capped_call(input: CappedCallPriceInput) -> Result<CappedCallPriceResponse, CoreError> {
    let v = capped_call::value(&input.market, input.spread)?;
    let c = capped_call::cost(v.value_per_share, input.shares, input.notes)?;
    CappedCallPriceResponse::new(&input, &v, &c)
}
