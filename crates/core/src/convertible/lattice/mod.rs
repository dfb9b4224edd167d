//! Fair value of a convertible note on a credit-risky binomial lattice.
//!
//! The module is split along the lattice's seams: `spec` holds the terms
//! and market ([`ConvertibleSpec`]), their limits and their validation into
//! [`ConvertibleInput`]; `build` the step count, the centring and the
//! per-step data; `rollback` the backward induction and the holder's and
//! issuer's decisions at a node; `kernels` the node updates (the hot loops)
//! and the closed-form last step.
//!
//! # Conventions
//! - Prices are per 100 of face and *dirty* (accrued included); clean = dirty − accrued.
//! - Time is Actual/365 Fixed from the valuation date; rates, spread and dividend
//!   yield are flat and continuously compounded; volatility is the annual
//!   lognormal volatility.
//! - The tree is Cox-Ross-Rubinstein: `u = e^{σ√Δt}`, `d = 1/u`, `Δt = T/N`.
//!   Coupon, call, put and conversion-start dates move to the nearest step;
//!   with calls or puts, N is first lowered (by at most a tenth) so that the
//!   dates that start or end an exercise right fall on or near a step
//!   ([`align_steps`]).
//! - At maturity the holder receives `max(100 + final coupon, conversion value)`;
//!   before, the holder may convert at any step from the conversion start date.
//! - Calls are per 100, clean: the issuer pays the call price plus accrued, and
//!   the holder may convert instead. A soft call is live only while
//!   `S ≥ trigger × conversion price`. Puts are per 100, clean, on their date.
//! - A coupon due on a call or put date is paid to every holder, whatever
//!   the call or put decided (a holder forced to convert included), as
//!   indentures pay the interest due on a redemption date that is an
//!   interest payment date; the call and the put are decided on the value
//!   ex that coupon, with nothing accrued, as QuantLib does.
//! - Discrete cash dividends use the escrowed-dividend model: the tree carries
//!   `S* = S − PV(dividends)`, discounted at the risk-free rate, and a node's
//!   stock price is `S*_node + PV(dividends still to go)`.
//!
//! # Models
//! - [`Model::TsiveriotisFernandes`] (1998): the value splits into an equity part,
//!   discounted at `r`, and a cash part, discounted at `r + s`. Conversion moves
//!   everything to the equity part; a redemption, a put or a call paid in cash
//!   moves everything to the cash part. Inside a call window, whose
//!   continuation was capped a step later, a call paid in cash scales the two
//!   parts instead, which has the same limit as Δt → 0 (see
//!   `Lattice::called_for_cash`); at a window's last step, a single call date
//!   included, the nodes near its boundaries are decided across their cells.
//! - [`Model::HazardRate`]: Hull's jump-to-default tree. The issuer defaults with
//!   intensity `h = s / (1 − recovery)`; the stock then falls to 0 and the note
//!   pays `recovery × 100`. The diffusion uses `u = e^{√((σ² − h)Δt)}` so that the
//!   total variance stays σ², which needs `σ² > h`.
//!
//! # Calls on the lattice
//! A live call forces conversion from the barrier `B = max(call price /
//! shares, trigger × conversion price)` up, where the note is worth the
//! conversion value: a barrier, which a binomial tree sees only at its node
//! layers. With `B` between layers the tree acts as if `B` sat on the next
//! layer up, an error of up to a spacing `σ√Δt` that falls like `1/√N` and
//! swings with N (Boyle & Lau 1994): the soft-called CleanSpark note read
//! 100.83 at 1,000 steps, 100.74 at 2,000 and 100.50 at 20,000. So:
//! - the tree is centred up to half a spacing from today's price so that
//!   today's `B` lies exactly on a layer, and the price, delta and gamma are
//!   read at today's price off the quadratic through the three
//!   valuation-date nodes;
//! - at each call step a `B` within
//!   [`SNAP_SPACINGS_ABS`](crate::tolerance::SNAP_SPACINGS_ABS) spacing
//!   above a layer (always, without dividends or coupons, which move `B`
//!   against the nodes) is put on it: nodes from that layer up are forced
//!   and paid the conversion value at `B` itself; TF moves such a node
//!   wholly to the equity part;
//! - at the first step of a call window a node on the layer takes the mean
//!   of the forced and unforced outcomes, as half its cell lies below `B`.
//!
//! The price then converges like `1/N` (the CleanSpark soft call: 100.513
//! at 1,000 steps, 100.509 at 20,000). A call window's start still leaves
//! a `1/N` error whose sign follows the parity of its step (±0.014 per 100
//! at 1,000 steps on a hard call from 2026), and so does a put date, hence
//! [`DEFAULT_CALL_PUT_STEPS`].
//!
//! Discrete dividends and coupons move the barrier against the nodes (the
//! tree carries `S − PV(dividends)`; a dirty call price grows with accrued
//! interest), so at many steps it lies between layers, where the exact
//! comparison and the cell-share split of the called value still apply and
//! the error falls only like `1/√N`: on the CleanSpark note with 0.05 paid quarterly the hard call
//! reads 90.414 per 100 at the default steps against 90.278 at 20,000, with
//! a 3% semi-annual coupon 100.430 against 100.416 (soft calls: within 0.03
//! and 0.004).
//!
//! # Greeks
//! The tree starts two steps before the valuation date ("extended tree"), so the
//! valuation date carries three nodes, `C·u⁻²`, `C` and `C·u²`, where the
//! centre `C` is today's price `S` (moved by up to half a spacing with a
//! call): delta and gamma come from those, read at `S`, theta from the node
//! `C` two steps later against `C` today. Vega, rho and CS01 are central
//! bumps, documented on [`Greeks`](super::pricing::Greeks).

mod build;
mod kernels;
mod rollback;
mod spec;

pub use build::{align_steps, BAND_STD_DEVS};
pub(crate) use build::{Lattice, Refine};
pub(crate) use rollback::Workspace;
pub(crate) use spec::{date_within, Market};
pub use spec::{
    CallPeriod, CashDividend, ConvertibleInput, ConvertibleSpec, Model, PutDate,
    DEFAULT_CALL_PUT_STEPS, DEFAULT_STEPS, MAX_AMOUNT, MAX_CREDIT_SPREAD, MAX_RATE,
    MAX_SCHEDULE_ITEMS, MAX_STEPS, MAX_TRIGGER, MAX_VOLATILITY, MIN_RISK_FREE_RATE, MIN_STEPS,
};

#[cfg(test)]
pub(crate) mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::convertible::schedule::DayCount;

    /// The reference file's base case: CleanSpark-style 0% 2032 notes.
    pub(crate) fn base_spec() -> ConvertibleSpec {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        ConvertibleSpec {
            face: 1000.0,
            issue_date: d(2025, 12, 15),
            maturity_date: d(2032, 12, 15),
            valuation_date: d(2025, 12, 15),
            coupon_rate: 0.0,
            coupon_frequency: 0,
            coupon_day_count: DayCount::Act365F,
            conversion_rate_per_1000: 1000.0 / 19.16,
            conversion_start_date: None,
            stock_price: 15.03,
            volatility: 0.6,
            risk_free_rate: 0.04,
            credit_spread: 0.05,
            dividend_yield: 0.0,
            dividends: vec![],
            call_schedule: vec![],
            put_schedule: vec![],
            model: Model::TsiveriotisFernandes,
            recovery_rate: 0.0,
            steps: None,
            contract: Default::default(),
        }
    }

    pub(crate) fn input(spec: ConvertibleSpec) -> ConvertibleInput {
        ConvertibleInput::new(spec).unwrap()
    }

    pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }
}
