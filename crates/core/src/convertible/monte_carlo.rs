//! The exact engine: Monte Carlo over daily paths, which prices the
//! template's N-of-M call test and the quarterly contingent-conversion test
//! as the indenture words them.
//!
//! # Paths
//! The stock is read on every trading day (a weekday, see
//! [`super::trading_days`]) from the valuation date to maturity. As on the
//! lattice, the escrowed stock `S* = S − PV(discrete dividends)` is
//! lognormal with volatility σ under TF, and under the hazard-rate model
//! `√(σ² − h)` before default with drift `r − q + h` (so the total
//! variance stays σ²); default is not drawn but weighted: a path carries
//! the survival probability `e^{−(h + λ)t}` of neither default nor a
//! fundamental change (intensity `λ`) by `t`, and the default and
//! fundamental-change legs are added day by day. Paths come in antithetic
//! pairs, drawn from a seeded xoshiro256++ stream, so a run is reproducible.
//!
//! # Decisions (stated rules)
//! Each day, in this order:
//! 1. **Fundamental change** (intensity λ, between the day before and
//!    today): the holder takes the better of the put at par plus accrued
//!    (cash) and conversion with the make-whole shares at today's price.
//! 2. **Maturity**: the better of `100 + final coupon` and conversion.
//! 3. **Call**: on a day in a call period when the test passes (an N-of-M
//!    test reads the `window_days` trading days *before* the notice day; a
//!    single-observation trigger reads today; a hard call always passes),
//!    the issuer calls if the note is worth more than the call price plus
//!    accrued. Its worth is taken as the larger of the conversion value
//!    and the European note's closed-form value (a lower bound of the
//!    holder's value): a call that forces conversion is always made. The
//!    holder then takes the better of the call price plus accrued (cash)
//!    and conversion with the make-whole shares. There is no notice
//!    period: both happen at today's close.
//! 4. **Put**: the holder puts if the put price plus accrued is above
//!    the same lower bound of the note's worth.
//! 5. **Voluntary conversion**, on a day where dividends make it worth
//!    weighing (the last trading day before an ex-dividend date; every
//!    fifth trading day under a dividend yield) and conversion is open
//!    (contingent conversion: in a quarter the test opened, or after the
//!    free-conversion date): the holder converts where parity beats the
//!    least-squares estimate of holding (Longstaff-Schwartz on 1, `E`, `E²`,
//!    `E` the European note's closed-form value, fitted backwards on pilot
//!    paths from their own stream, the regression's target steadied by the
//!    European control's change to the stop). Without dividends converting
//!    early is never worth more than holding, so no day is weighed.
//! 6. A coupon paid today goes to the holder (cash).
//!
//! The paths start the day after valuation; where conversion is free
//! today and parity is above the paths' price, the price is parity.
//!
//! The rules in 3 and 4 compare with a closed form, and 5 follows a fitted
//! policy: the call rule is exact for the template's call (a 130% trigger
//! forces conversion), and elsewhere the price is that of stated,
//! feasible decisions, a lower bound of the optimal holder's value (within
//! 0.07 per 100 of the lattice's node-by-node early conversion on four
//! dividend payers, `tests/convertible_exact.rs`).
//!
//! # Credit
//! TF: conversion is discounted at `r`, every cash amount at `r + s`.
//! Hazard rate: both at `r`, weighted by survival, with `recovery × 100`
//! paid on default.
//!
//! # Variance reduction and error
//! Antithetic pairs, and two control variates read at the day each path
//! stops, whose means are known by optional stopping: the discounted
//! escrowed stock `e^{−(r − q + h)t} S*_t` (a martingale) and the
//! conditional expectation of the European note's discounted payoff (a
//! martingale, in closed form). Their coefficients are fitted by least
//! squares over the pairs; the standard error is that of the adjusted pair
//! means.

use chrono::{Datelike, NaiveDate};
use rand_distr::{Distribution, StandardNormal};
use rand_xoshiro::rand_core::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

use super::lattice::{ConvertibleInput, Market, Model};
use super::make_whole::MakeWholeTable;
use super::pricing::check_profile_price;
use super::trading_days;
use crate::error::{CoreError, ValueError};
use crate::Result;

/// Paths in a default run: 16,384 antithetic pairs. The CleanSpark-like
/// note at σ 65% then has a standard error of about 0.03 per 100
/// (`bench/RESULTS.md`).
pub const DEFAULT_PATHS: usize = 32_768;
/// The fewest paths a request may ask for.
pub const MIN_PATHS: usize = 1_024;
/// The most paths a request may ask for.
pub const MAX_PATHS: usize = 1_048_576;
/// The most `paths × trading days` in one run (e.g. 130,000 paths over the
/// CleanSpark note's 1,610 days; the default run is 53 million), which
/// bounds its run time to a few seconds on one core.
pub const MAX_PATH_DAYS: f64 = 2.1e8;
/// The seed of a run that names none.
pub const DEFAULT_SEED: u64 = 20_320_215;

/// How many paths, from which seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Settings {
    /// Paths, in `[MIN_PATHS, MAX_PATHS]`, rounded up to an even count;
    /// default [`DEFAULT_PATHS`].
    pub paths: Option<usize>,
    /// The seed; default [`DEFAULT_SEED`].
    pub seed: Option<u64>,
}

/// The exact engine's answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExactValuation {
    /// Fair value per 100 of face, dirty.
    pub price_per_100: f64,
    /// The standard error of the price, per 100.
    pub standard_error_per_100: f64,
    /// Paths simulated (antithetic pairs × 2).
    pub paths: usize,
    /// The seed used.
    pub seed: u64,
    /// Days on the monitoring grid.
    pub trading_days: usize,
    /// The probability, under the pricing measure, that the issuer calls
    /// the note before maturity.
    pub call_probability: f64,
    /// The probability that the note is converted (on a call, a fundamental
    /// change, voluntarily, or at maturity).
    pub conversion_probability: f64,
    /// The probability that the holder puts the note (a put date or the
    /// fundamental-change put).
    pub put_probability: f64,
    /// The expected time to the first of conversion, call, put, default,
    /// fundamental change and maturity, years.
    pub expected_life_years: f64,
}

/// Everything about one day of the grid that no path changes.
#[derive(Debug, Clone, Copy)]
struct Day {
    date: NaiveDate,
    /// Years from valuation.
    t: f64,
    /// The log-stock step from the day before: mean and standard deviation.
    drift: f64,
    vol: f64,
    /// PV today of the dividends after today, per share.
    dividends_pv: f64,
    /// Time-0 discount × survival to today, for conversion and for cash.
    equity_df: f64,
    cash_df: f64,
    /// Survival to today (no default, no fundamental change).
    survival: f64,
    /// The fundamental change between yesterday and today: its probability,
    /// and that times the time-0 discount, for conversion and for cash.
    fc_probability: f64,
    fc_equity: f64,
    fc_cash: f64,
    /// The default leg up to and including today, time-0, per 100.
    default_leg: f64,
    coupon: f64,
    accrued: f64,
    /// Call price plus accrued; infinite where there is no call.
    call_dirty: f64,
    /// Single observation: `ln(trigger level − dividends_pv)`, the log
    /// escrowed stock the trigger needs today (−∞ for a hard call). With an
    /// N-of-M test: NaN.
    log_call_level: f64,
    /// N and the window's bit mask of the test read today, if any.
    call_test: Option<(u32, u64)>,
    /// The log escrowed stock at which today's close counts for a call test
    /// (`S ≥ L ⟺ ln S* ≥ ln(L − PV(dividends))`; +∞: nothing to record).
    log_call_observe: f64,
    /// Put price plus accrued; negative infinity where there is no put.
    put_dirty: f64,
    /// Conversion is open today (from `conversion_start_date`).
    conversion_open: bool,
    /// Conversion needs no contingent test today.
    conversion_free: bool,
    /// The same for the contingent-conversion test, and whether today
    /// closes a calendar quarter (the test is read then).
    log_coco_observe: f64,
    quarter_end: bool,
    /// Coupons after today, PV today at the cash rate, per 100.
    coupons_after_pv: f64,
    /// A decision needs today's stock price whatever the call test says
    /// (a fundamental change, a put, maturity).
    needs_stock: bool,
    /// The holder may convert voluntarily today, if conversion is open
    /// (see [`early_conversion_days`]).
    early: bool,
}

/// `ln(level − dividends_pv)`: the log escrowed stock at which the stock
/// reaches `level` (−∞ when the dividends alone reach it).
fn log_escrowed(level: f64, dividends_pv: f64) -> f64 {
    if level > dividends_pv {
        (level - dividends_pv).ln()
    } else {
        f64::NEG_INFINITY
    }
}

/// What one path did.
#[derive(Debug, Clone, Copy, Default)]
struct PathOutcome {
    value: f64,
    stock_control: f64,
    european_control: f64,
    called: f64,
    converted: f64,
    put: f64,
    life: f64,
}

/// The European note: the closed forms used as a control and as a lower
/// bound of the note's worth.
#[derive(Debug, Clone, Copy)]
struct European {
    shares: f64,
    /// Strike: `redemption / shares`.
    strike: f64,
    redemption: f64,
    maturity: f64,
    growth: f64,
    sigma: f64,
    q: f64,
    /// Time-t discount rates of the cash leg and of survival-weighted
    /// amounts; the control's time-0 discount rates.
    cash_rate: f64,
    control_equity_rate: f64,
    control_cash_rate: f64,
    /// Hazard: `recovery × 100 × h / (r + h)`; the rate `r + h`.
    recovery_leg: f64,
    recovery_rate: f64,
}

fn normal_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

impl European {
    /// `(N(d1), N(−d2))` for escrowed stock `s` at time `t`.
    fn weights(&self, s: f64, t: f64) -> (f64, f64) {
        let left = self.maturity - t;
        if left <= 0.0 {
            return if s >= self.strike {
                (1.0, 0.0)
            } else {
                (0.0, 1.0)
            };
        }
        let sd = self.sigma * left.sqrt();
        let d1 =
            ((s / self.strike).ln() + (self.growth + 0.5 * self.sigma * self.sigma) * left) / sd;
        (normal_cdf(d1), normal_cdf(-(d1 - sd)))
    }

    /// The note held to maturity, today's money at `t`, per 100: the
    /// conversion leg, the redemption leg, the coupons still to come and
    /// (hazard) the recovery leg.
    fn value(&self, s: f64, t: f64, coupons_after_pv: f64) -> f64 {
        let left = (self.maturity - t).max(0.0);
        let (n1, n2) = self.weights(s, t);
        self.shares * s * (-self.q * left).exp() * n1
            + self.redemption * (-self.cash_rate * left).exp() * n2
            + coupons_after_pv
            + self.recovery_leg * (1.0 - (-self.recovery_rate * left).exp())
    }

    /// The martingale `E_t[X]`, `X` the European payoff discounted to time
    /// 0 at the control's rates.
    fn control(&self, s: f64, t: f64) -> f64 {
        let left = (self.maturity - t).max(0.0);
        let (n1, n2) = self.weights(s, t);
        (-self.control_equity_rate * self.maturity).exp()
            * self.shares
            * s
            * (self.growth * left).exp()
            * n1
            + (-self.control_cash_rate * self.maturity).exp() * self.redemption * n2
    }
}

/// The day's grid, the closed forms and the constants of one run.
struct Plan {
    days: Vec<Day>,
    european: European,
    shares: f64,
    stock_star0: f64,
    growth: f64,
    make_whole: Option<MakeWholeTable>,
    fc_on: bool,
    coco: Option<(u32, u64)>,
    redemption: f64,
    hazard_plus_fc: f64,
    /// Per day, the least-squares coefficients of the holder's continuation
    /// value on [`Plan::early`]'s regressors where voluntary conversion is
    /// weighed; `None` elsewhere and before [`Plan::fit_policy`].
    policy: Vec<Option<[f64; BASIS]>>,
}

fn window_mask(window: u32) -> u64 {
    if window >= 64 {
        u64::MAX
    } else {
        (1u64 << window) - 1
    }
}

fn quarter(d: NaiveDate) -> (i32, u32) {
    (d.year(), (d.month() - 1) / 3)
}

impl Plan {
    fn new(input: &ConvertibleInput, market: Market) -> Result<Self> {
        let spec = input.spec();
        let dates = trading_days::grid(spec.valuation_date, spec.maturity_date);
        let n = dates.len();
        let r = market.risk_free_rate;
        let q = spec.dividend_yield;
        let s = market.credit_spread;
        let (h, sigma) = market.diffusion(spec.model, spec.recovery_rate)?;
        // TF discounts cash at r + s; the hazard-rate model weights by survival.
        let spread_tf = match spec.model {
            Model::TsiveriotisFernandes => s,
            Model::HazardRate => 0.0,
        };
        let lambda = spec.contract.fundamental_change_intensity();
        let out = h + lambda;
        let growth = r - q + h;
        let shares = input.conversion_shares_per_100();
        let conversion_price = input.conversion_price();

        let mut coupon = vec![0.0; n];
        for p in input.coupon_periods() {
            if p.payment_date > spec.valuation_date {
                if let Some(k) = trading_days::place(&dates, p.payment_date) {
                    coupon[k] += p.amount_per_100;
                }
            }
        }
        let redemption = 100.0 + coupon[n - 1];
        let times: Vec<f64> = dates.iter().map(|d| input.time_of(*d)).collect();
        let maturity = times[n - 1];
        let cash_rate = r + spread_tf + h;
        let mut coupons_after_pv = vec![0.0; n];
        for k in (0..n.saturating_sub(1)).rev() {
            let dt = times[k + 1] - times[k];
            let next_coupon = if k + 1 < n - 1 { coupon[k + 1] } else { 0.0 };
            coupons_after_pv[k] = (coupons_after_pv[k + 1] + next_coupon) * (-cash_rate * dt).exp();
        }

        // Calls: per day the cheapest live period, as on the lattice.
        let mut call_dirty = vec![f64::INFINITY; n];
        let mut call_level = vec![0.0; n];
        let mut call_test: Vec<Option<(u32, u64)>> = vec![None; n];
        for c in &spec.call_schedule {
            let (Some(first), last) = (
                trading_days::place(&dates, c.from_date),
                trading_days::place(&dates, c.to_date),
            ) else {
                continue;
            };
            // A to_date on a weekend covers the Friday before it.
            let last = match last {
                Some(k) if dates[k] == c.to_date => k,
                Some(k) => k.saturating_sub(1),
                None => n - 1,
            };
            let level = c.trigger.map_or(0.0, |t| t * conversion_price);
            for k in first..=last.min(n - 1) {
                let accrued = if coupon[k] > 0.0 {
                    coupon[k]
                } else {
                    input.accrued_at(times[k])
                };
                let dirty = c.price_per_100 + accrued;
                if dirty < call_dirty[k] {
                    call_dirty[k] = dirty;
                    match c.test.filter(|t| !t.is_single_observation()) {
                        Some(t) => {
                            call_level[k] = level;
                            call_test[k] = Some((t.trigger_days, window_mask(t.window_days)));
                        }
                        None => {
                            call_level[k] = level;
                            call_test[k] = None;
                        }
                    }
                }
            }
        }
        // Each day's close is compared with the trigger of the next day a
        // test is read, so that the window holds that test's days.
        let mut call_observe = vec![f64::INFINITY; n];
        let mut next_level = f64::INFINITY;
        for k in (0..n).rev() {
            call_observe[k] = next_level;
            if call_test[k].is_some() {
                next_level = call_level[k];
            }
        }

        let mut put_dirty = vec![f64::NEG_INFINITY; n];
        for p in &spec.put_schedule {
            if p.date <= spec.valuation_date {
                continue;
            }
            if let Some(k) = trading_days::place(&dates, p.date) {
                let accrued = if coupon[k] > 0.0 {
                    coupon[k]
                } else {
                    input.accrued_at(times[k])
                };
                put_dirty[k] = put_dirty[k].max(p.price_per_100 + accrued);
            }
        }

        let ex_dates: Vec<NaiveDate> = spec.dividends.iter().map(|d| d.ex_date).collect();
        let early = early_conversion_days(&dates, &ex_dates, q > 0.0);
        let coco = spec.contract.contingent_conversion;
        let start = spec.conversion_start_date;
        let mut days = Vec::with_capacity(n);
        let mut survival_before = 1.0;
        let mut default_leg = 0.0;
        let mut before = 0.0;
        let recovery_100 = match spec.model {
            Model::HazardRate => spec.recovery_rate * 100.0,
            Model::TsiveriotisFernandes => 0.0,
        };
        for k in 0..n {
            let t = times[k];
            let dt = t - before;
            before = t;
            let survival = (-out * t).exp();
            let lost = survival_before - survival;
            survival_before = survival;
            let (fc_probability, default_probability) = if out > 0.0 {
                (lambda / out * lost, h / out * lost)
            } else {
                (0.0, 0.0)
            };
            default_leg += default_probability * (-r * t).exp() * recovery_100;
            let dividends_pv: f64 = spec
                .dividends
                .iter()
                .map(|d| (d.amount, input.time_of(d.ex_date)))
                .filter(|&(_, te)| te > t)
                .map(|(amount, te)| amount * (-r * (te - t)).exp())
                .sum();
            let date = dates[k];
            let quarter_end = k + 1 < n && quarter(dates[k + 1]) != quarter(date);
            days.push(Day {
                date,
                t,
                drift: (growth - 0.5 * sigma * sigma) * dt,
                vol: sigma * dt.sqrt(),
                dividends_pv,
                equity_df: (-r * t).exp() * survival,
                cash_df: (-(r + spread_tf) * t).exp() * survival,
                survival,
                fc_probability,
                fc_equity: fc_probability * (-r * t).exp(),
                fc_cash: fc_probability * (-(r + spread_tf) * t).exp(),
                default_leg,
                coupon: coupon[k],
                accrued: if coupon[k] > 0.0 {
                    coupon[k]
                } else {
                    input.accrued_at(t)
                },
                call_dirty: call_dirty[k],
                log_call_level: if call_test[k].is_some() {
                    f64::NAN
                } else {
                    log_escrowed(call_level[k], dividends_pv)
                },
                call_test: call_test[k],
                log_call_observe: log_escrowed(call_observe[k], dividends_pv),
                put_dirty: put_dirty[k],
                conversion_open: start.is_none_or(|s| date >= s),
                conversion_free: coco.is_none_or(|c| date >= c.until_date),
                log_coco_observe: coco.map_or(f64::INFINITY, |c| {
                    log_escrowed(c.trigger * conversion_price, dividends_pv)
                }),
                quarter_end,
                coupons_after_pv: coupons_after_pv[k],
                needs_stock: lambda > 0.0 || put_dirty[k].is_finite() || k == n - 1,
                early: early[k],
            });
        }
        let stock_star0 = spec.stock_price - input.dividends_pv();
        Ok(Plan {
            european: European {
                shares,
                strike: redemption / shares,
                redemption,
                maturity,
                growth,
                sigma,
                q,
                cash_rate,
                control_equity_rate: r + h + lambda,
                control_cash_rate: r + spread_tf + h + lambda,
                recovery_leg: if h > 0.0 {
                    recovery_100 * h / (r + h)
                } else {
                    0.0
                },
                recovery_rate: r + h,
            },
            days,
            shares,
            stock_star0,
            growth,
            make_whole: spec.contract.make_whole.clone(),
            fc_on: lambda > 0.0,
            coco: coco.map(|c| (c.test.trigger_days, window_mask(c.test.window_days))),
            redemption,
            hazard_plus_fc: out,
            policy: vec![None; n],
        })
    }

    /// Conversion value per 100 with the make-whole shares of `date`.
    fn make_whole_value(&self, date: NaiveDate, s: f64) -> f64 {
        let extra = self
            .make_whole
            .as_ref()
            .map_or(0.0, |t| t.additional_shares_per_1000_f64(date, s) / 10.0);
        (self.shares + extra) * s
    }

    /// The decisions of day `k` at log escrowed stock `x`, given whether the
    /// call test passes and contingent conversion is open: `(time-0 value,
    /// converted, called, put)` when the path stops today. Adds the
    /// fundamental-change leg of the day to `fc_value` and its
    /// probabilities to `out`.
    #[allow(clippy::too_many_arguments)]
    fn decide(
        &self,
        k: usize,
        day: &Day,
        x: f64,
        test: bool,
        coco_open: bool,
        out: &mut PathOutcome,
        fc_value: &mut f64,
    ) -> Option<(f64, bool, bool, bool)> {
        let star = x.exp();
        let s = star + day.dividends_pv;
        let conversion = self.shares * s;
        if self.fc_on {
            let put = 100.0 + day.accrued;
            let converted = self.make_whole_value(day.date, s);
            if converted >= put {
                *fc_value += day.fc_equity * converted;
                out.converted += day.fc_probability;
            } else {
                *fc_value += day.fc_cash * put;
                out.put += day.fc_probability;
            }
        }
        if k == self.days.len() - 1 {
            return Some(if conversion >= self.redemption {
                (day.equity_df * conversion, true, false, false)
            } else {
                (day.cash_df * self.redemption, false, false, false)
            });
        }
        let may_convert = day.conversion_open && (day.conversion_free || coco_open);
        let worth = || {
            let held = self.european.value(star, day.t, day.coupons_after_pv);
            if may_convert {
                held.max(conversion)
            } else {
                held
            }
        };
        if test && (conversion >= day.call_dirty || worth() > day.call_dirty) {
            let converted = self.make_whole_value(day.date, s);
            return Some(if converted >= day.call_dirty {
                (day.equity_df * converted, true, true, false)
            } else {
                (day.cash_df * day.call_dirty, false, true, false)
            });
        }
        if day.put_dirty.is_finite() && day.put_dirty > worth() {
            return Some((day.cash_df * day.put_dirty, false, false, true));
        }
        None
    }

    /// Where the holder weighs voluntary conversion on `day` at log
    /// escrowed stock `x`: `(time-0 value of converting, regressors of
    /// holding)`: the European note's value `E` per 100, over 100, whose
    /// [`basis`] are the regressors. `None` where parity is
    /// below [`EARLY_PARITY_FLOOR`] of the European note's value: too far
    /// from converting to weigh it.
    fn early(&self, day: &Day, x: f64) -> Option<(f64, f64)> {
        let star = x.exp();
        let parity = self.shares * (star + day.dividends_pv);
        let held = self.european.value(star, day.t, day.coupons_after_pv);
        (parity >= EARLY_PARITY_FLOOR * held).then_some((day.equity_df * parity, held / 100.0))
    }

    /// One path, its normals `z` taken with sign `sign`. With `visits`, the
    /// path follows no conversion policy and records each day the holder
    /// could convert voluntarily (the least-squares pilot).
    fn path(&self, z: &[f64], sign: f64, mut visits: Option<&mut Vec<Visit>>) -> PathOutcome {
        let mut x = self.stock_star0.ln();
        let mut call_mask = 0u64;
        let mut coco_mask = 0u64;
        let mut coco_open = false;
        let mut out = PathOutcome::default();
        let mut fc_value = 0.0;
        let mut coupons = 0.0;
        for (k, day) in self.days.iter().enumerate() {
            x += day.drift + sign * day.vol * z[k];
            let test = day.call_dirty.is_finite()
                && match day.call_test {
                    Some((needed, mask)) => (call_mask & mask).count_ones() >= needed,
                    None => x >= day.log_call_level,
                };
            let mut stop = None;
            if test || day.needs_stock {
                stop = self.decide(k, day, x, test, coco_open, &mut out, &mut fc_value);
            }
            if stop.is_none()
                && day.early
                && day.conversion_open
                && (day.conversion_free || coco_open)
            {
                let before = fc_value + coupons + day.default_leg;
                match visits.as_deref_mut() {
                    Some(v) => {
                        if let Some((converted, european)) = self.early(day, x) {
                            v.push(Visit {
                                day: k as u32,
                                path: 0,
                                converted,
                                european,
                                offset: before - self.european.control(x.exp(), day.t),
                            });
                        }
                    }
                    None => {
                        if let (Some(beta), Some((converted, european))) =
                            (&self.policy[k], self.early(day, x))
                        {
                            if converted > fitted(beta, european) {
                                stop = Some((converted, true, false, false));
                            }
                        }
                    }
                }
            }
            if let Some((value, converted, called, put)) = stop {
                let star = x.exp();
                out.value = value + fc_value + coupons + day.default_leg;
                out.stock_control = (-self.growth * day.t).exp() * star - self.stock_star0;
                out.european_control = self.european.control(star, day.t);
                let w = day.survival;
                out.converted += if converted { w } else { 0.0 };
                out.called = if called { w } else { 0.0 };
                out.put += if put { w } else { 0.0 };
                out.life = if self.hazard_plus_fc > 0.0 {
                    (1.0 - w) / self.hazard_plus_fc
                } else {
                    day.t
                };
                return out;
            }
            coupons += day.cash_df * day.coupon;
            call_mask = (call_mask << 1) | u64::from(x >= day.log_call_observe);
            if let Some((needed, mask)) = self.coco {
                coco_mask = (coco_mask << 1) | u64::from(x >= day.log_coco_observe);
                if day.quarter_end {
                    coco_open = (coco_mask & mask).count_ones() >= needed;
                }
            }
        }
        out
    }

    /// Least squares (Longstaff and Schwartz): on a pilot set of paths
    /// from its own stream, walks the voluntary-conversion days backwards,
    /// regresses what holding is worth on [`Plan::early`]'s regressors, and
    /// converts where converting is worth more. The coefficients become the
    /// policy the priced paths follow, so the price is that of a stated,
    /// feasible policy (a lower bound of the optimal holder's value, biased
    /// by the fit, not by foresight). Nothing is done when no day allows it.
    ///
    /// # Memory
    /// One 32-byte record per pilot path and weighed day where parity is
    /// near conversion: at most [`MAX_PILOT_PATHS`] × the weighed days × 32
    /// bytes (82 MB for a six-year note under a dividend yield if every path
    /// stayed near conversion), freed before pricing.
    fn fit_policy(&mut self, pilot_paths: usize, seed: u64) {
        if !self.days.iter().any(|d| d.early) {
            return;
        }
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed ^ PILOT_STREAM);
        let mut z = vec![0.0; self.days.len()];
        let mut visits = Vec::new();
        let mut values = Vec::with_capacity(pilot_paths);
        for _ in 0..pilot_paths / 2 {
            for zk in z.iter_mut() {
                *zk = StandardNormal.sample(&mut rng);
            }
            for sign in [1.0, -1.0] {
                let first = visits.len();
                let o = self.path(&z, sign, Some(&mut visits));
                for v in &mut visits[first..] {
                    v.path = values.len() as u32;
                }
                values.push((o.value, o.european_control));
            }
        }
        visits.sort_by_key(|v| std::cmp::Reverse(v.day));
        for group in visits.chunk_by(|a, b| a.day == b.day) {
            let k = group[0].day as usize;
            let mut normal = [[0.0; BASIS]; BASIS];
            let mut rhs = [0.0; BASIS];
            if group.len() < MIN_REGRESSION_PATHS {
                continue;
            }
            for v in group {
                let b = basis(v.european);
                let held = v.held(values[v.path as usize]);
                for i in 0..BASIS {
                    rhs[i] += b[i] * held;
                    for j in 0..BASIS {
                        normal[i][j] += b[i] * b[j];
                    }
                }
            }
            let Some(beta) = solve_normal(normal, rhs) else {
                continue;
            };
            for v in group {
                if v.converted > fitted(&beta, v.european) {
                    values[v.path as usize] = (v.converted + v.offset, 0.0);
                }
            }
            self.policy[k] = Some(beta);
        }
    }
}

/// The regressors of the least-squares continuation value.
const BASIS: usize = 3;
/// Parity below this fraction of the European note's value is not weighed
/// for voluntary conversion (nor regressed on).
const EARLY_PARITY_FLOOR: f64 = 0.95;
/// The fewest pilot paths on a day for its regression; fewer, and the
/// holder does not convert voluntarily that day.
const MIN_REGRESSION_PATHS: usize = 64;
/// Mixed into the seed for the pilot's stream, so that the policy is
/// fitted on paths the price does not reuse.
const PILOT_STREAM: u64 = 0x9E37_79B9_7F4A_7C15;

/// A day on a pilot path where the holder could convert voluntarily.
#[derive(Debug, Clone, Copy)]
struct Visit {
    day: u32,
    path: u32,
    /// The time-0 value of converting today.
    converted: f64,
    /// The European note's value today, per 100, over 100.
    european: f64,
    /// The time-0 value the path collected before today's decision
    /// (fundamental change, coupons, default) less the European control's
    /// martingale today.
    offset: f64,
}

impl Visit {
    /// What holding on was worth on the path, time-0, given its `(value,
    /// European control where it stopped)` (the control taken as 0 where a
    /// later conversion folded it into the value): the value after today,
    /// less the control's change from today to the stop. That change has
    /// mean zero given today (optional stopping), so the regression's
    /// target keeps its conditional mean and loses most of its noise.
    fn held(&self, (value, control): (f64, f64)) -> f64 {
        value - control - self.offset
    }
}

/// The regressors of holding: 1, `E`, `E²`.
fn basis(european: f64) -> [f64; BASIS] {
    [1.0, european, european * european]
}

/// The fitted value of holding.
fn fitted(beta: &[f64; BASIS], european: f64) -> f64 {
    beta.iter().zip(basis(european)).map(|(c, b)| c * b).sum()
}

/// Solves the normal equations `a β = b` by Gaussian elimination with
/// partial pivoting; `None` when they are singular.
fn solve_normal(mut a: [[f64; BASIS]; BASIS], mut b: [f64; BASIS]) -> Option<[f64; BASIS]> {
    let scale = (0..BASIS).map(|i| a[i][i].abs()).fold(0.0, f64::max);
    for col in 0..BASIS {
        let pivot = (col..BASIS).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() <= 1e-12 * scale {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let top = a[col];
        for row in col + 1..BASIS {
            let f = a[row][col] / top[col];
            for (x, t) in a[row][col..].iter_mut().zip(&top[col..]) {
                *x -= f * t;
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = [0.0; BASIS];
    for row in (0..BASIS).rev() {
        let tail: f64 = (row + 1..BASIS).map(|c| a[row][c] * x[c]).sum();
        x[row] = (b[row] - tail) / a[row][row];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

/// The days the holder weighs voluntary conversion: the last trading day
/// before each ex-dividend date (converting then collects the dividend),
/// and with a continuous dividend yield every fifth trading day (weekly,
/// from the first). Never maturity. Without dividends none: converting early is
/// then never worth more than holding.
fn early_conversion_days(dates: &[NaiveDate], ex_dates: &[NaiveDate], yield_: bool) -> Vec<bool> {
    let n = dates.len();
    let mut early = vec![false; n];
    for k in 0..n.saturating_sub(1) {
        early[k] =
            (yield_ && k % 5 == 0) || ex_dates.iter().any(|&e| dates[k] < e && e <= dates[k + 1]);
    }
    early
}

/// Sums over antithetic pairs, for the control-variate regression.
#[derive(Debug, Default)]
struct Moments {
    n: f64,
    sum: [f64; 3],
    /// Upper triangle of `Σ y_i y_j` for `y = (value, stock, european)`.
    cross: [[f64; 3]; 3],
    called: f64,
    converted: f64,
    put: f64,
    life: f64,
}

impl Moments {
    fn add(&mut self, a: &PathOutcome, b: &PathOutcome) {
        let y = [
            0.5 * (a.value + b.value),
            0.5 * (a.stock_control + b.stock_control),
            0.5 * (a.european_control + b.european_control),
        ];
        self.n += 1.0;
        for i in 0..3 {
            self.sum[i] += y[i];
            for j in i..3 {
                self.cross[i][j] += y[i] * y[j];
            }
        }
        self.called += a.called + b.called;
        self.converted += a.converted + b.converted;
        self.put += a.put + b.put;
        self.life += a.life + b.life;
    }

    /// The control-variate price and its standard error, given the
    /// European control's mean.
    fn estimate(&self, european_mean: f64) -> (f64, f64) {
        let n = self.n;
        let mean = self.sum.map(|s| s / n);
        let cov = |i: usize, j: usize| {
            let (i, j) = if i <= j { (i, j) } else { (j, i) };
            self.cross[i][j] / n - mean[i] * mean[j]
        };
        let (saa, sab, sbb) = (cov(1, 1), cov(1, 2), cov(2, 2));
        let (sva, svb) = (cov(0, 1), cov(0, 2));
        let det = saa * sbb - sab * sab;
        let (ba, bb) = if det > 1e-12 * (saa * sbb).max(f64::MIN_POSITIVE) {
            ((sva * sbb - svb * sab) / det, (svb * saa - sva * sab) / det)
        } else if saa > 0.0 {
            (sva / saa, 0.0)
        } else {
            (0.0, 0.0)
        };
        let price = mean[0] - ba * mean[1] - bb * (mean[2] - european_mean);
        let residual = (cov(0, 0) - ba * sva - bb * svb).max(0.0) * n / (n - 3.0).max(1.0);
        (price, (residual / n).sqrt())
    }
}

/// The paths of a run, checked against the caps, naming `paths`.
pub(crate) fn paths_of(settings: Settings, days: usize) -> Result<usize> {
    let paths = settings.paths.unwrap_or(DEFAULT_PATHS);
    if paths < MIN_PATHS {
        return Err(CoreError::invalid(
            "paths",
            ValueError::BelowMinimum {
                bound: MIN_PATHS as f64,
                value: paths as f64,
            },
        ));
    }
    if paths > MAX_PATHS {
        return Err(CoreError::invalid(
            "paths",
            ValueError::AboveMaximum {
                bound: MAX_PATHS as f64,
                value: paths as f64,
            },
        ));
    }
    let paths = paths + paths % 2;
    if paths as f64 * days as f64 > MAX_PATH_DAYS {
        return Err(CoreError::Inconsistent {
            field: "paths".into(),
            reason: "paths × trading days to maturity must be at most 210,000,000 \
                     (e.g. 130,000 paths over 6 years)",
        });
    }
    Ok(paths)
}

/// The most pilot paths, which bounds the pilot's memory.
const MAX_PILOT_PATHS: usize = 8_192;

/// The pilot paths on which the conversion policy is fitted: a quarter of
/// the priced paths, from 1,024 to [`MAX_PILOT_PATHS`], even.
fn pilot_paths(paths: usize) -> usize {
    let pilot = (paths / 4).clamp(MIN_PATHS, MAX_PILOT_PATHS);
    pilot + pilot % 2
}

/// The days on the monitoring grid of a note: its work, for a cost estimate.
pub fn trading_days(input: &ConvertibleInput) -> usize {
    let spec = input.spec();
    trading_days::grid(spec.valuation_date, spec.maturity_date).len()
}

/// The note's fair value on daily paths, with its standard error and the
/// probabilities of call, conversion and put: see the module docs.
///
/// # Errors
/// `paths` outside `[MIN_PATHS, MAX_PATHS]` or `paths × trading days`
/// above [`MAX_PATH_DAYS`]; under the hazard-rate model, `volatility²` not
/// above the hazard rate.
pub fn price(input: &ConvertibleInput, settings: Settings) -> Result<ExactValuation> {
    price_in(input, input.market(), settings)
}

/// The most share prices in a profile priced by the exact engine.
pub const MAX_PROFILE_POINTS: usize = 20;

/// [`price`] at each of `stock_prices` (checked as the lattice's profile
/// checks them, at most [`MAX_PROFILE_POINTS`]), each run from the same
/// seed.
pub fn profile(
    input: &ConvertibleInput,
    stock_prices: &[f64],
    settings: Settings,
) -> Result<Vec<ExactValuation>> {
    if stock_prices.len() > MAX_PROFILE_POINTS {
        return Err(CoreError::invalid(
            "stock_prices",
            ValueError::TooLong {
                len: stock_prices.len(),
                cap: MAX_PROFILE_POINTS,
            },
        ));
    }
    stock_prices
        .iter()
        .enumerate()
        .map(|(i, &s)| {
            check_profile_price(input, i, s)?;
            let mut spec = input.spec().clone();
            spec.stock_price = s;
            price(&ConvertibleInput::new(spec)?, settings)
        })
        .collect()
}

/// [`price`] in market `market` (the solvers' bumped volatility or spread).
pub(crate) fn price_in(
    input: &ConvertibleInput,
    market: Market,
    settings: Settings,
) -> Result<ExactValuation> {
    let mut plan = Plan::new(input, market)?;
    let n_days = plan.days.len();
    let paths = paths_of(settings, n_days)?;
    let seed = settings.seed.unwrap_or(DEFAULT_SEED);
    plan.fit_policy(pilot_paths(paths), seed);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut z = vec![0.0; n_days];
    let mut moments = Moments::default();
    for _ in 0..paths / 2 {
        for zk in z.iter_mut() {
            *zk = StandardNormal.sample(&mut rng);
        }
        let a = plan.path(&z, 1.0, None);
        let b = plan.path(&z, -1.0, None);
        moments.add(&a, &b);
    }
    let european_mean = plan.european.control(plan.stock_star0, 0.0);
    let (price, se) = moments.estimate(european_mean);
    let n = paths as f64;
    let spec = input.spec();
    let parity = plan.shares * spec.stock_price;
    let free_today = spec
        .conversion_start_date
        .is_none_or(|d| d <= spec.valuation_date)
        && spec
            .contract
            .contingent_conversion
            .is_none_or(|c| c.until_date <= spec.valuation_date);
    if free_today && parity > price {
        // The paths start the day after valuation; converting today is the
        // holder's choice too.
        return Ok(ExactValuation {
            price_per_100: parity,
            standard_error_per_100: 0.0,
            paths,
            seed,
            trading_days: n_days,
            call_probability: 0.0,
            conversion_probability: 1.0,
            put_probability: 0.0,
            expected_life_years: 0.0,
        });
    }
    let valuation = ExactValuation {
        price_per_100: price,
        standard_error_per_100: se,
        paths,
        seed,
        trading_days: n_days,
        call_probability: moments.called / n,
        conversion_probability: moments.converted / n,
        put_probability: moments.put / n,
        expected_life_years: moments.life / n,
    };
    if [price, se, valuation.expected_life_years]
        .iter()
        .all(|v| v.is_finite())
    {
        Ok(valuation)
    } else {
        Err(CoreError::Overflow {
            quantity: "convertible price",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    use crate::tolerance::F64_ROUNDING_ABS;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn the_normal_equations_give_back_an_exact_quadratic() {
        // y = 2 − 3e + 0.5e² at e = 0, 1, 2, 4: by hand y = 2, −0.5, −2, −2.
        let mut a = [[0.0; BASIS]; BASIS];
        let mut b = [0.0; BASIS];
        for (e, y) in [(0.0, 2.0), (1.0, -0.5), (2.0, -2.0), (4.0, -2.0)] {
            let x = basis(e);
            for i in 0..BASIS {
                b[i] += x[i] * y;
                for j in 0..BASIS {
                    a[i][j] += x[i] * x[j];
                }
            }
        }
        let beta = solve_normal(a, b).expect("regular");
        for (got, want) in beta.iter().zip([2.0, -3.0, 0.5]) {
            assert_abs_diff_eq!(*got, want, epsilon = 1e3 * F64_ROUNDING_ABS);
        }
    }

    #[test]
    fn singular_normal_equations_fit_nothing() {
        // One point only: every row of the normal equations is a multiple of
        // the first.
        let x = basis(2.0);
        let a = x.map(|xi| x.map(|xj| xi * xj));
        assert_eq!(solve_normal(a, x.map(|xi| xi * 3.0)), None);
    }

    #[test]
    fn early_conversion_is_weighed_the_day_before_an_ex_date_and_weekly_under_a_yield() {
        // Wednesday 2026-01-07 to Wednesday 2026-01-21: the grid is 8 .. 21
        // January's weekdays, indices 0 (Thu 8th) .. 9 (Wed 21st).
        let dates = trading_days::grid(date(2026, 1, 7), date(2026, 1, 21));
        assert_eq!(dates.len(), 10);
        // An ex-date on Saturday 17th: the last trading day before it is
        // Friday 16th, index 6; one on Monday 12th: Friday 9th, index 1.
        let early = early_conversion_days(&dates, &[date(2026, 1, 17), date(2026, 1, 12)], false);
        let days: Vec<usize> = (0..10).filter(|&k| early[k]).collect();
        assert_eq!(days, [1, 6]);
        // Under a yield, indices 0 and 5; never maturity.
        let early = early_conversion_days(&dates, &[], true);
        let days: Vec<usize> = (0..10).filter(|&k| early[k]).collect();
        assert_eq!(days, [0, 5]);
    }
}
