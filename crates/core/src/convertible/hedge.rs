//! The carry of a delta-hedged convertible position: long the notes,
//! financed in part, short `delta` shares, and the daily share moves at
//! which the position's gamma pays for its time decay and carry.
//!
//! # Formula
//! With `F` the face held, `P` the note's dirty price per 100, `Δ`, `Γ`,
//! `θ` its delta, gamma and theta per 100 (per USD 1 of share price, per
//! calendar day), `S` the share price and `h` the haircut:
//!
//! ```text
//! bond value         B = F × P / 100
//! shares short       N = F / 100 × Δ          short value  V = N × S
//! capital            K = h × B
//! per day (/365):    coupon    = F × c / 365
//!                    financing = r_f × (1 − h) × B / 365
//!                    rebate    = r_rebate × V / 365
//!                    borrow    = r_borrow × V / 365
//!                    dividends = q × V / 365
//! carry per day      = coupon − financing + rebate − borrow − dividends
//! carry per period   = carry per day × days − N × Σ discrete dividends
//!                      with ex-date in (valuation, valuation + days]
//! return on capital  = carry per period / K   (annualised × 365 / days)
//! ```
//!
//! The gamma breakevens: hedged at `Δ`, the position's P&L over a day in
//! which the share moves by `x` is, to second order,
//! `θ_pos + carry_per_day + ½ Γ_pos x²` with `θ_pos = F/100 × θ` and
//! `Γ_pos = F/100 × Γ`. When `θ_pos + carry_per_day < 0` (the position
//! loses standing still) it breaks even at `x = ±√(−2 (θ_pos +
//! carry_per_day) / Γ_pos)`: moves smaller than that lose the day's carry
//! and decay, larger ones earn it back. With `θ_pos + carry_per_day ≥ 0`
//! or `Γ_pos ≤ 0` there is no breakeven (`None`).

use crate::error::{AtField, CoreError, ValueError};
use crate::num::within_f64;
use crate::Result;

/// Longest holding period, days.
pub const MAX_HOLDING_DAYS: u32 = 3_650;

/// The position and its funding.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HedgeTerms {
    /// Face of notes held, USD.
    pub position_face: f64,
    /// Fee for borrowing the shares sold short, a year, on their value.
    pub stock_borrow_rate: f64,
    /// What the short sale's cash earns, a year.
    pub short_rebate_rate: f64,
    /// Interest on the financed part of the notes, a year.
    pub financing_rate: f64,
    /// The part of the notes' value funded with the holder's capital.
    pub haircut: f64,
    /// Days the position is held.
    pub holding_period_days: u32,
}

/// The note's value and sensitivities, and its market, per 100 of face.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NoteRisk {
    /// Dirty price per 100.
    pub price_per_100: f64,
    /// dV/dS per 100 per USD 1.
    pub delta_per_100: f64,
    /// d²V/dS² per 100 per USD².
    pub gamma_per_100: f64,
    /// Price change per 100 per calendar day.
    pub theta_per_100_per_day: f64,
    /// Share price, USD.
    pub stock_price: f64,
    /// Annual coupon rate of face.
    pub coupon_rate: f64,
    /// Continuous dividend yield.
    pub dividend_yield: f64,
    /// Discrete dividends per share with ex-date in the holding period, USD.
    pub dividends_in_period_per_share: f64,
}

/// The hedged position's carry, return and breakevens, USD.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Carry {
    /// `B`.
    pub bond_value: f64,
    /// `N`.
    pub shares_short: f64,
    /// `V`.
    pub short_value: f64,
    /// `K`.
    pub capital: f64,
    /// Coupon accrued a day.
    pub coupon_per_day: f64,
    /// Financing paid a day.
    pub financing_per_day: f64,
    /// Rebate earned a day.
    pub rebate_per_day: f64,
    /// Borrow fee paid a day.
    pub borrow_fee_per_day: f64,
    /// Dividends paid on the short a day (the yield only).
    pub dividends_per_day: f64,
    /// The sum, a day.
    pub carry_per_day: f64,
    /// Discrete dividends paid on the short over the period.
    pub discrete_dividends_in_period: f64,
    /// Carry over the holding period.
    pub carry_per_period: f64,
    /// `carry_per_period / K`; `None` without capital.
    pub return_on_capital: Option<f64>,
    /// Annualised: `× 365 / days`; `None` without capital.
    pub return_on_capital_annualised: Option<f64>,
    /// `F / 100 × θ`.
    pub theta_per_day: f64,
    /// `F / 100 × Γ`.
    pub gamma: f64,
    /// The share move up at which a day breaks even, USD.
    pub breakeven_move_up: Option<f64>,
    /// The move down, USD (negative).
    pub breakeven_move_down: Option<f64>,
}

impl HedgeTerms {
    /// Checks the terms: a positive face, rates in [−1, 1], the haircut in
    /// [0, 1], 1 to [`MAX_HOLDING_DAYS`] days. Errors name the field.
    pub fn check(&self) -> Result<()> {
        within_f64(self.position_face, f64::MIN_POSITIVE, 1e13).at("position_face")?;
        within_f64(self.stock_borrow_rate, -1.0, 1.0).at("stock_borrow_rate")?;
        within_f64(self.short_rebate_rate, -1.0, 1.0).at("short_rebate_rate")?;
        within_f64(self.financing_rate, -1.0, 1.0).at("financing_rate")?;
        within_f64(self.haircut, 0.0, 1.0).at("haircut")?;
        if self.holding_period_days == 0 || self.holding_period_days > MAX_HOLDING_DAYS {
            return Err(CoreError::invalid(
                "holding_period_days",
                ValueError::AboveMaximum {
                    bound: f64::from(MAX_HOLDING_DAYS),
                    value: f64::from(self.holding_period_days),
                },
            ));
        }
        Ok(())
    }
}

/// The carry of `terms` on a note of `risk` (module docs' formula).
pub fn carry(terms: &HedgeTerms, risk: &NoteRisk) -> Result<Carry> {
    terms.check()?;
    let notes = terms.position_face / 100.0;
    let bond_value = notes * risk.price_per_100;
    let shares_short = notes * risk.delta_per_100;
    let short_value = shares_short * risk.stock_price;
    let capital = terms.haircut * bond_value;
    let year = 365.0;
    let coupon_per_day = terms.position_face * risk.coupon_rate / year;
    let financing_per_day = terms.financing_rate * (1.0 - terms.haircut) * bond_value / year;
    let rebate_per_day = terms.short_rebate_rate * short_value / year;
    let borrow_fee_per_day = terms.stock_borrow_rate * short_value / year;
    let dividends_per_day = risk.dividend_yield * short_value / year;
    let carry_per_day = coupon_per_day - financing_per_day + rebate_per_day
        - borrow_fee_per_day
        - dividends_per_day;
    let days = f64::from(terms.holding_period_days);
    let discrete_dividends_in_period = shares_short * risk.dividends_in_period_per_share;
    let carry_per_period = carry_per_day * days - discrete_dividends_in_period;
    let (return_on_capital, return_on_capital_annualised) = if capital > 0.0 {
        let r = carry_per_period / capital;
        (Some(r), Some(r * year / days))
    } else {
        (None, None)
    };
    let theta_per_day = notes * risk.theta_per_100_per_day;
    let gamma = notes * risk.gamma_per_100;
    let standing = theta_per_day + carry_per_day;
    let breakeven = (standing < 0.0 && gamma > 0.0).then(|| (-2.0 * standing / gamma).sqrt());
    let carry = Carry {
        bond_value,
        shares_short,
        short_value,
        capital,
        coupon_per_day,
        financing_per_day,
        rebate_per_day,
        borrow_fee_per_day,
        dividends_per_day,
        carry_per_day,
        discrete_dividends_in_period,
        carry_per_period,
        return_on_capital,
        return_on_capital_annualised,
        theta_per_day,
        gamma,
        breakeven_move_up: breakeven,
        breakeven_move_down: breakeven.map(|x| -x),
    };
    Ok(carry)
}

#[cfg(test)]
mod tests {
    use approx::assert_abs_diff_eq;

    use super::*;

    #[test]
    fn carry_return_and_breakevens_match_a_hand_calculation() {
        // $10M face of a 2% note at 105 per 100, delta 3 per 100 per USD 1
        // (3 shares short per $100 of face), stock $20, 1% yield, one
        // $0.10 dividend in the period; financing 5% on 80% (haircut 20%),
        // rebate 4%, borrow 0.5%, 30 days.
        let terms = HedgeTerms {
            position_face: 10_000_000.0,
            stock_borrow_rate: 0.005,
            short_rebate_rate: 0.04,
            financing_rate: 0.05,
            haircut: 0.2,
            holding_period_days: 30,
        };
        let risk = NoteRisk {
            price_per_100: 105.0,
            delta_per_100: 3.0,
            gamma_per_100: 0.1,
            theta_per_100_per_day: -0.002,
            stock_price: 20.0,
            coupon_rate: 0.02,
            dividend_yield: 0.01,
            dividends_in_period_per_share: 0.10,
        };
        let c = carry(&terms, &risk).unwrap();
        // B = 100,000 × 105 = 10,500,000; N = 100,000 × 3 = 300,000 shares;
        // V = 6,000,000; K = 0.2 × 10.5M = 2,100,000.
        assert_abs_diff_eq!(c.bond_value, 10_500_000.0, epsilon = 1e-6);
        assert_abs_diff_eq!(c.shares_short, 300_000.0, epsilon = 1e-6);
        assert_abs_diff_eq!(c.short_value, 6_000_000.0, epsilon = 1e-6);
        assert_abs_diff_eq!(c.capital, 2_100_000.0, epsilon = 1e-6);
        // coupon 200,000/365 = 547.945205; financing 0.05 × 8.4M / 365 =
        // 1,150.684932; rebate 240,000/365 = 657.534247; borrow 30,000/365 =
        // 82.191781; dividends 60,000/365 = 164.383562.
        // carry = (200,000 − 420,000 + 240,000 − 30,000 − 60,000)/365
        //       = −70,000/365 = −191.780822 a day.
        assert_abs_diff_eq!(c.coupon_per_day, 547.945_205, epsilon = 1e-6);
        assert_abs_diff_eq!(c.financing_per_day, 1_150.684_932, epsilon = 1e-6);
        assert_abs_diff_eq!(c.carry_per_day, -191.780_822, epsilon = 1e-6);
        // Period: −191.780822 × 30 − 300,000 × 0.10 = −5,753.424658 − 30,000.
        assert_abs_diff_eq!(c.carry_per_period, -35_753.424_658, epsilon = 1e-5);
        assert_abs_diff_eq!(
            c.return_on_capital.unwrap(),
            -35_753.424_658 / 2_100_000.0,
            epsilon = 1e-12
        );
        // θ_pos = 100,000 × −0.002 = −200; Γ_pos = 10,000;
        // x = √(2 × 391.780822 / 10,000) = √0.0783561644 = 0.279922.
        assert_abs_diff_eq!(c.breakeven_move_up.unwrap(), 0.279_921_7, epsilon = 1e-6);
        assert_abs_diff_eq!(c.breakeven_move_down.unwrap(), -0.279_921_7, epsilon = 1e-6);
    }

    #[test]
    fn a_position_that_earns_standing_still_has_no_breakeven() {
        let terms = HedgeTerms {
            position_face: 1_000_000.0,
            stock_borrow_rate: 0.0,
            short_rebate_rate: 0.05,
            financing_rate: 0.0,
            haircut: 1.0,
            holding_period_days: 1,
        };
        let risk = NoteRisk {
            price_per_100: 100.0,
            delta_per_100: 3.0,
            gamma_per_100: 0.1,
            theta_per_100_per_day: 0.0,
            stock_price: 20.0,
            coupon_rate: 0.0,
            dividend_yield: 0.0,
            dividends_in_period_per_share: 0.0,
        };
        let c = carry(&terms, &risk).unwrap();
        assert!(c.carry_per_day > 0.0);
        assert_eq!(c.breakeven_move_up, None);
    }

    #[test]
    fn a_haircut_above_one_is_refused_by_name() {
        let terms = HedgeTerms {
            position_face: 1.0,
            stock_borrow_rate: 0.0,
            short_rebate_rate: 0.0,
            financing_rate: 0.0,
            haircut: 1.5,
            holding_period_days: 1,
        };
        let risk = NoteRisk {
            price_per_100: 100.0,
            delta_per_100: 0.0,
            gamma_per_100: 0.0,
            theta_per_100_per_day: 0.0,
            stock_price: 1.0,
            coupon_rate: 0.0,
            dividend_yield: 0.0,
            dividends_in_period_per_share: 0.0,
        };
        assert_eq!(carry(&terms, &risk).unwrap_err().field(), Some("haircut"));
    }
}
