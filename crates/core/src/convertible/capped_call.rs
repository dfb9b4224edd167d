//! Fair value of a capped call: a European call spread on the issuer's
//! stock, bought long at `lower_strike` and sold at `cap_price`, as issuers
//! buy alongside their notes to offset dilution.
//!
//! # Formula
//! Black-Scholes-Merton with a continuous dividend yield `q`, the discrete
//! cash dividends escrowed (the stock less their present value at `r` is
//! the lognormal part, as in Hull's *Options, Futures, and Other
//! Derivatives*, "European options on dividend-paying stocks"):
//!
//! ```text
//! S* = S − Σ D_i e^{−r t_i}                 (ex-dates on or before expiry)
//! C(K) = S* e^{−qT} N(d1) − K e^{−rT} N(d2)
//! d1 = (ln(S*/K) + (r − q + σ²/2) T) / (σ√T),   d2 = d1 − σ√T
//! value_per_share = C(lower_strike) − C(cap_price)
//! ```
//!
//! Delta and gamma are per USD 1 of the share price (the escrowed stock
//! moves one for one with it), vega per vol point (0.01), theta per
//! calendar day (the value one day closer to expiry, the stock unchanged,
//! the escrow held), all per share. Time is Act/365F from the valuation
//! date. Costs are `value_per_share × shares`, in `Decimal` with checked
//! arithmetic.

use chrono::NaiveDate;
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;

use super::lattice::CashDividend;
use super::schedule::years_between;
use crate::error::{AtField, CoreError, ValueError};
use crate::num::{positive_f64, within_f64};
use crate::Result;

/// Most discrete dividends a capped call takes.
pub const MAX_DIVIDENDS: usize = 1_000;
/// Longest life of a capped call, years (the notes' longest is 60).
pub const MAX_YEARS: f64 = 60.0;

/// The market a capped call is valued in.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionMarket {
    /// Share price today, USD.
    pub stock_price: f64,
    /// Annual lognormal volatility, a decimal fraction.
    pub volatility: f64,
    /// Risk-free rate, continuously compounded.
    pub risk_free_rate: f64,
    /// Continuous dividend yield.
    pub dividend_yield: f64,
    /// Discrete cash dividends, escrowed.
    pub dividends: Vec<CashDividend>,
    /// Time 0.
    pub valuation_date: NaiveDate,
    /// The options' expiry.
    pub expiry_date: NaiveDate,
}

/// A call spread's strikes, USD per share.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CallSpread {
    /// The long call's strike (usually the conversion price).
    pub lower_strike: f64,
    /// The short call's strike, the cap, above `lower_strike`.
    pub cap_price: f64,
}

/// A European call's value and sensitivities, per share.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CallValue {
    /// Value, USD.
    pub value: f64,
    /// dC/dS.
    pub delta: f64,
    /// d²C/dS², per USD².
    pub gamma: f64,
    /// dC/dσ for one vol point (0.01), USD.
    pub vega: f64,
}

/// A capped call's value per share, its two legs and its greeks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CappedCallValue {
    /// `lower_call − cap_call`, USD per share.
    pub value_per_share: f64,
    /// The long call at `lower_strike`, USD per share.
    pub lower_call_per_share: f64,
    /// The short call at `cap_price`, USD per share.
    pub cap_call_per_share: f64,
    /// Delta per share.
    pub delta_per_share: f64,
    /// Gamma per share, per USD².
    pub gamma_per_share: f64,
    /// Vega per share per vol point, USD.
    pub vega_per_share: f64,
    /// Value change per share over one calendar day, USD.
    pub theta_per_share_per_day: f64,
    /// Years to expiry, Act/365F.
    pub years_to_expiry: f64,
    /// Present value of the discrete dividends to expiry, USD per share.
    pub dividends_pv: f64,
    /// `stock_price − dividends_pv`, USD.
    pub escrowed_stock_price: f64,
}

/// What the capped call costs on a number of shares.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CappedCallCost {
    /// Shares the calls are written on.
    pub shares: Decimal,
    /// `value_per_share × shares`, USD.
    pub total_cost: Decimal,
    /// Per $1,000 of principal: `value_per_share × conversion_rate`, USD;
    /// `None` without the notes' terms.
    pub cost_per_1000: Option<Decimal>,
    /// `total_cost / principal`; `None` without the notes' terms.
    pub cost_fraction_of_principal: Option<Decimal>,
}

fn normal_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x * std::f64::consts::FRAC_1_SQRT_2)
}

fn normal_pdf(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// The Black-Scholes-Merton call on a stock `s` (already escrowed) with
/// yield `q`, strike `k`, `t` years to expiry, per share.
///
/// # Formula
/// `C = s e^{−qt} N(d1) − k e^{−rt} N(d2)`; `Δ = e^{−qt} N(d1)`;
/// `Γ = e^{−qt} n(d1) / (s σ √t)`; vega `= s e^{−qt} n(d1) √t / 100`.
pub fn black_scholes_call(s: f64, k: f64, t: f64, r: f64, q: f64, sigma: f64) -> CallValue {
    let df_q = (-q * t).exp();
    let df_r = (-r * t).exp();
    let sd = sigma * t.sqrt();
    if t <= 0.0 || sd <= 0.0 {
        let forward_intrinsic = (s * df_q - k * df_r).max(0.0);
        return CallValue {
            value: forward_intrinsic,
            delta: if forward_intrinsic > 0.0 { df_q } else { 0.0 },
            gamma: 0.0,
            vega: 0.0,
        };
    }
    let d1 = ((s / k).ln() + (r - q + 0.5 * sigma * sigma) * t) / sd;
    let d2 = d1 - sd;
    CallValue {
        value: s * df_q * normal_cdf(d1) - k * df_r * normal_cdf(d2),
        delta: df_q * normal_cdf(d1),
        gamma: df_q * normal_pdf(d1) / (s * sd),
        vega: s * df_q * normal_pdf(d1) * t.sqrt() / 100.0,
    }
}

impl OptionMarket {
    /// Checks the market: a positive stock price and volatility, the
    /// expiry after valuation (at most [`MAX_YEARS`] on), each dividend's
    /// ex-date after valuation and on or before expiry, and the stock
    /// above the dividends' present value. Errors name the field.
    pub fn check(&self) -> Result<()> {
        positive_f64(self.stock_price).at("stock_price")?;
        positive_f64(self.volatility).at("volatility")?;
        within_f64(self.risk_free_rate, -1.0, 1.0).at("risk_free_rate")?;
        within_f64(self.dividend_yield, 0.0, 1.0).at("dividend_yield")?;
        if self.expiry_date <= self.valuation_date {
            return Err(CoreError::DateOrder {
                field: "expiry_date".into(),
                date: self.expiry_date,
                relation: "after",
                other_field: "valuation_date",
                other: self.valuation_date,
            });
        }
        within_f64(self.years(), 0.0, MAX_YEARS).at("expiry_date")?;
        if self.dividends.len() > MAX_DIVIDENDS {
            return Err(CoreError::invalid(
                "dividends",
                ValueError::TooLong {
                    len: self.dividends.len(),
                    cap: MAX_DIVIDENDS,
                },
            ));
        }
        for (i, d) in self.dividends.iter().enumerate() {
            let field = format!("dividends[{i}].ex_date");
            if d.ex_date <= self.valuation_date {
                return Err(CoreError::DateOrder {
                    field,
                    date: d.ex_date,
                    relation: "after",
                    other_field: "valuation_date",
                    other: self.valuation_date,
                });
            }
            if d.ex_date > self.expiry_date {
                return Err(CoreError::DateOrder {
                    field,
                    date: d.ex_date,
                    relation: "on or before",
                    other_field: "expiry_date",
                    other: self.expiry_date,
                });
            }
            within_f64(d.amount, 0.0, 1e9).at(format!("dividends[{i}].amount"))?;
        }
        if self.stock_price <= self.dividends_pv() {
            return Err(CoreError::Inconsistent {
                field: "stock_price".into(),
                reason: "must exceed the present value of the discrete dividends",
            });
        }
        Ok(())
    }

    /// Years to expiry, Act/365F.
    pub fn years(&self) -> f64 {
        years_between(self.valuation_date, self.expiry_date)
    }

    /// Present value of the discrete dividends at the risk-free rate.
    pub fn dividends_pv(&self) -> f64 {
        self.dividends
            .iter()
            .map(|d| {
                d.amount
                    * (-self.risk_free_rate * years_between(self.valuation_date, d.ex_date)).exp()
            })
            .sum()
    }
}

impl CallSpread {
    /// Checks the strikes: both positive, the cap above the lower strike.
    pub fn check(&self) -> Result<()> {
        positive_f64(self.lower_strike).at("lower_strike")?;
        positive_f64(self.cap_price).at("cap_price")?;
        if self.cap_price <= self.lower_strike {
            return Err(CoreError::Inconsistent {
                field: "cap_price".into(),
                reason: "must be greater than the lower strike",
            });
        }
        Ok(())
    }
}

/// The capped call's value per share and greeks (module docs' formula).
pub fn value(market: &OptionMarket, spread: CallSpread) -> Result<CappedCallValue> {
    market.check()?;
    spread.check()?;
    let t = market.years();
    let dividends_pv = market.dividends_pv();
    let escrowed = market.stock_price - dividends_pv;
    let (r, q, sigma) = (
        market.risk_free_rate,
        market.dividend_yield,
        market.volatility,
    );
    let at = |t: f64| {
        let lower = black_scholes_call(escrowed, spread.lower_strike, t, r, q, sigma);
        let cap = black_scholes_call(escrowed, spread.cap_price, t, r, q, sigma);
        (lower, cap)
    };
    let (lower, cap) = at(t);
    let (lower_later, cap_later) = at((t - 1.0 / 365.0).max(0.0));
    let value_per_share = lower.value - cap.value;
    Ok(CappedCallValue {
        value_per_share,
        lower_call_per_share: lower.value,
        cap_call_per_share: cap.value,
        delta_per_share: lower.delta - cap.delta,
        gamma_per_share: lower.gamma - cap.gamma,
        vega_per_share: lower.vega - cap.vega,
        theta_per_share_per_day: (lower_later.value - cap_later.value) - value_per_share,
        years_to_expiry: t,
        dividends_pv,
        escrowed_stock_price: escrowed,
    })
}

/// The notes a capped call is bought against: their principal and
/// conversion rate (shares per $1,000).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NotesCovered {
    /// Principal, USD.
    pub principal: Decimal,
    /// Shares per $1,000 of principal.
    pub conversion_rate: Decimal,
}

/// What the capped call costs: on `shares`, or on the shares underlying
/// `notes` (`principal / 1,000 × conversion_rate`).
///
/// # Formula
/// `total_cost = value_per_share × shares`; per $1,000 of principal
/// `value_per_share × conversion_rate`; `total_cost / principal`.
pub fn cost(
    value_per_share: f64,
    shares: Decimal,
    notes: Option<NotesCovered>,
) -> Result<CappedCallCost> {
    let overflow = || CoreError::Overflow {
        quantity: "capped call cost",
    };
    let value = Decimal::from_f64(value_per_share).ok_or_else(overflow)?;
    let total_cost = value.checked_mul(shares).ok_or_else(overflow)?;
    let (cost_per_1000, cost_fraction_of_principal) = match notes {
        Some(n) => (
            Some(value.checked_mul(n.conversion_rate).ok_or_else(overflow)?),
            Some(total_cost.checked_div(n.principal).ok_or_else(overflow)?),
        ),
        None => (None, None),
    };
    Ok(CappedCallCost {
        shares,
        total_cost,
        cost_per_1000,
        cost_fraction_of_principal,
    })
}

#[cfg(test)]
mod tests {
    use approx::assert_abs_diff_eq;
    use rust_decimal_macros::dec;

    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// The closed form written out again, for the tests: `N` from the
    /// Abramowitz-Stegun 26.2.17 polynomial (|error| < 7.5e-8), not from
    /// the `erfc` the code uses.
    fn n(x: f64) -> f64 {
        let t = 1.0 / (1.0 + 0.231_641_9 * x.abs());
        let poly = t
            * (0.319_381_530
                + t * (-0.356_563_782
                    + t * (1.781_477_937 + t * (-1.821_255_978 + t * 1.330_274_429))));
        let tail = (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt() * poly;
        if x >= 0.0 {
            1.0 - tail
        } else {
            tail
        }
    }

    /// The test's `N` is off by up to 7.5e-8, times `S + K` on each of two
    /// legs (about 65 here): 5e-6 per share. Absolute, USD per share.
    const AS_ABS: f64 = 1e-5;

    fn bs(s: f64, k: f64, t: f64, r: f64, q: f64, v: f64) -> f64 {
        let d1 = ((s / k).ln() + (r - q + v * v / 2.0) * t) / (v * t.sqrt());
        let d2 = d1 - v * t.sqrt();
        s * (-q * t).exp() * n(d1) - k * (-r * t).exp() * n(d2)
    }

    #[test]
    fn a_call_matches_hulls_worked_example() {
        // Hull, Options, Futures, and Other Derivatives, the Black-Scholes
        // example: S 42, K 40, r 10%, σ 20%, six months: c = 4.76.
        let c = black_scholes_call(42.0, 40.0, 0.5, 0.1, 0.0, 0.2);
        assert_abs_diff_eq!(c.value, 4.76, epsilon = 0.005);
    }

    #[test]
    fn escrowed_dividends_match_hulls_dividend_example() {
        // Hull's example of a European call with two dividends of 0.50 at
        // two and five months: S 40, K 40, r 9%, σ 30%, six months. PV of
        // dividends 0.5e^{-0.09×2/12} + 0.5e^{-0.09×5/12} = 0.9741, so
        // S* = 39.0259 and c = 3.67.
        let pv = 0.5 * (-0.09_f64 * 2.0 / 12.0).exp() + 0.5 * (-0.09_f64 * 5.0 / 12.0).exp();
        assert_abs_diff_eq!(pv, 0.9741, epsilon = 1e-4);
        let c = black_scholes_call(40.0 - pv, 40.0, 0.5, 0.09, 0.0, 0.3);
        assert_abs_diff_eq!(c.value, 3.67, epsilon = 0.005);
    }

    fn cleanspark_2030() -> (OptionMarket, CallSpread) {
        // The 2030 notes' capped call: reference $12.33, lower strike the
        // conversion price $14.80 (1,000 / 67.5858), cap $24.66, expiring
        // with the notes on 2030-06-15.
        (
            OptionMarket {
                stock_price: 12.33,
                volatility: 0.65,
                risk_free_rate: 0.04,
                dividend_yield: 0.0,
                dividends: vec![],
                valuation_date: date(2024, 12, 17),
                expiry_date: date(2030, 6, 15),
            },
            CallSpread {
                lower_strike: 14.80,
                cap_price: 24.66,
            },
        )
    }

    #[test]
    fn the_capped_call_is_the_difference_of_two_closed_form_calls() {
        let (m, s) = cleanspark_2030();
        let t = 2006.0 / 365.0; // 2024-12-17 to 2030-06-15
        assert_abs_diff_eq!(m.years(), t, epsilon = 1e-12);
        let v = value(&m, s).unwrap();
        let expected = bs(12.33, 14.80, t, 0.04, 0.0, 0.65) - bs(12.33, 24.66, t, 0.04, 0.0, 0.65);
        assert_abs_diff_eq!(v.value_per_share, expected, epsilon = AS_ABS);
        // With a 2% yield too.
        let m = OptionMarket {
            dividend_yield: 0.02,
            ..m
        };
        let v = value(&m, s).unwrap();
        let expected =
            bs(12.33, 14.80, t, 0.04, 0.02, 0.65) - bs(12.33, 24.66, t, 0.04, 0.02, 0.65);
        assert_abs_diff_eq!(v.value_per_share, expected, epsilon = AS_ABS);
    }

    #[test]
    fn discrete_dividends_come_off_the_stock_at_their_present_value() {
        // Hand case: one $1 dividend a year (365 days) out at r 4%:
        // PV = e^{-0.04} = 0.960789; S* = 12.33 − 0.960789 = 11.369211.
        let (m, s) = cleanspark_2030();
        let m = OptionMarket {
            dividends: vec![CashDividend {
                ex_date: date(2025, 12, 17),
                amount: 1.0,
            }],
            ..m
        };
        let v = value(&m, s).unwrap();
        assert_abs_diff_eq!(v.dividends_pv, 0.960_789_4, epsilon = 1e-7);
        assert_abs_diff_eq!(v.escrowed_stock_price, 11.369_210_6, epsilon = 1e-7);
        let t = 2006.0 / 365.0;
        let expected = bs(11.369_210_6, 14.80, t, 0.04, 0.0, 0.65)
            - bs(11.369_210_6, 24.66, t, 0.04, 0.0, 0.65);
        assert_abs_diff_eq!(v.value_per_share, expected, epsilon = AS_ABS);
    }

    #[test]
    fn greeks_agree_with_bumped_closed_forms() {
        let (m, s) = cleanspark_2030();
        let v = value(&m, s).unwrap();
        let t = m.years();
        let spread =
            |s0: f64, vol: f64| bs(s0, 14.80, t, 0.04, 0.0, vol) - bs(s0, 24.66, t, 0.04, 0.0, vol);
        let h = 0.01;
        let delta = (spread(12.33 + h, 0.65) - spread(12.33 - h, 0.65)) / (2.0 * h);
        let gamma = (spread(12.33 + h, 0.65) - 2.0 * spread(12.33, 0.65) + spread(12.33 - h, 0.65))
            / (h * h);
        let vega = (spread(12.33, 0.655) - spread(12.33, 0.645)) / 1.0;
        assert_abs_diff_eq!(v.delta_per_share, delta, epsilon = 1e-5);
        assert_abs_diff_eq!(v.gamma_per_share, gamma, epsilon = 1e-3);
        assert_abs_diff_eq!(v.vega_per_share, vega, epsilon = 1e-5);
        let later = bs(12.33, 14.80, t - 1.0 / 365.0, 0.04, 0.0, 0.65)
            - bs(12.33, 24.66, t - 1.0 / 365.0, 0.04, 0.0, 0.65);
        assert_abs_diff_eq!(
            v.theta_per_share_per_day,
            later - spread(12.33, 0.65),
            epsilon = AS_ABS
        );
    }

    #[test]
    fn the_cost_scales_by_shares_and_the_conversion_rate() {
        // $650M at 67.5858 per $1,000: 43,930,770 shares.
        let shares = dec!(650_000_000) / dec!(1000) * dec!(67.5858);
        assert_eq!(shares, dec!(43930770));
        let c = cost(
            2.0,
            shares,
            Some(NotesCovered {
                principal: dec!(650_000_000),
                conversion_rate: dec!(67.5858),
            }),
        )
        .unwrap();
        assert_eq!(c.total_cost, dec!(87861540));
        assert_eq!(c.cost_per_1000, Some(dec!(135.1716)));
        assert_eq!(c.cost_fraction_of_principal, Some(dec!(0.1351716)));
    }

    #[test]
    fn a_cap_at_or_below_the_lower_strike_is_refused_by_name() {
        let (m, _) = cleanspark_2030();
        let err = value(
            &m,
            CallSpread {
                lower_strike: 20.0,
                cap_price: 20.0,
            },
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("cap_price"));
    }

    #[test]
    fn a_dividend_after_expiry_is_refused_by_name() {
        let (m, s) = cleanspark_2030();
        let m = OptionMarket {
            dividends: vec![CashDividend {
                ex_date: date(2031, 1, 1),
                amount: 0.1,
            }],
            ..m
        };
        assert_eq!(
            value(&m, s).unwrap_err().field(),
            Some("dividends[0].ex_date")
        );
    }
}
