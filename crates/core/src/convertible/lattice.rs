//! Fair value of a convertible note on a credit-risky binomial lattice.
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
//! - Discrete cash dividends use the escrowed-dividend model: the tree carries
//!   `S* = S − PV(dividends)`, discounted at the risk-free rate, and a node's
//!   stock price is `S*_node + PV(dividends still to go)`.
//!
//! # Models
//! - [`Model::TsiveriotisFernandes`] (1998): the value splits into an equity part,
//!   discounted at `r`, and a cash part, discounted at `r + s`. Conversion moves
//!   everything to the equity part; a redemption, a put or a call paid in cash
//!   moves everything to the cash part.
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
//! - at each call step a `B` within [`SNAP_TOLERANCE`] spacing above a
//!   layer (always, without dividends or coupons, which move `B` against the
//!   nodes) is put on it: nodes from that layer up are forced and paid the conversion
//!   value at `B` itself; TF moves such a node wholly to the equity part;
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

use chrono::NaiveDate;

use super::schedule::{self, CouponPeriod, DayCount};
use crate::error::{AtField, CoreError, ValueError};
use crate::num::{finite_f64, positive_f64};
use crate::Result;

/// Half-width of the computed band of nodes, in standard deviations of the
/// log stock price: beyond it a node is reached with probability < 1e-15.
pub const BAND_STD_DEVS: f64 = 8.0;
/// The most lattice steps a request may ask for (and the most that automatic
/// refinement may use).
pub const MAX_STEPS: usize = 20_000;
/// The fewest lattice steps a request may ask for.
pub const MIN_STEPS: usize = 10;
/// The step count used when the request gives none and the note has no
/// call or put schedule.
///
/// Chosen so that the price is within 0.01 per 100 of the 20,000-step value
/// for the reference cases (see the `convertible_convergence` tests and the
/// benchmark).
pub const DEFAULT_STEPS: usize = 1_000;
/// The step count used when the request gives none and the note has a call
/// or put schedule.
///
/// The start of a call window and a put date each leave an error that falls
/// like `1/N` and flips sign with the parity of their step: ±0.014 per 100
/// at 1,000 steps on the CleanSpark note hard-called from 2026, up to 0.009
/// at 2,000 (see the module's *Calls on the lattice*), more at higher
/// volatility (0.014 at 80%); with a put on
/// 2029-12-15 alone it reads 110.597 to 110.619 for 996 to 1,005 steps
/// (110.605 converged). 2,000 steps keep every callable and puttable case
/// of the `convertible_convergence` tests within 0.01 per 100 of 20,000
/// steps, at 0.8 to 1.6 ms for the tree on one core (1,000 steps: 0.3 to
/// 0.55 ms).
pub const DEFAULT_CALL_PUT_STEPS: usize = 2_000;
/// The highest volatility accepted (500%).
pub const MAX_VOLATILITY: f64 = 5.0;
/// The largest credit spread accepted (10,000 bp).
pub const MAX_CREDIT_SPREAD: f64 = 1.0;
/// The risk-free rate must lie in `[MIN_RISK_FREE_RATE, MAX_RATE]`.
pub const MIN_RISK_FREE_RATE: f64 = -0.5;
/// The largest risk-free rate, dividend yield and coupon rate accepted.
pub const MAX_RATE: f64 = 1.0;
/// The longest life of a note, in years from the valuation date.
pub const MAX_LIFE_YEARS: f64 = 60.0;
/// The most items in each of the call schedule, the put schedule and the
/// dividend list.
pub const MAX_SCHEDULE_ITEMS: usize = 1_000;
/// The largest face, stock price, price per 100 or conversion rate accepted.
pub const MAX_AMOUNT: f64 = 1e9;
/// The largest soft-call trigger, as a multiple of the conversion price.
pub const MAX_TRIGGER: f64 = 100.0;

/// The credit model of the lattice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Model {
    /// Tsiveriotis-Fernandes: cash part discounted at `r + s`, equity part at `r`.
    #[default]
    TsiveriotisFernandes,
    /// Jump to default with intensity `s / (1 − recovery)`.
    HazardRate,
}

/// A discrete cash dividend.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CashDividend {
    /// Ex-dividend date, after the valuation date and on or before maturity.
    pub ex_date: NaiveDate,
    /// Amount per share, USD, ≥ 0.
    pub amount: f64,
}

/// A period in which the issuer may call the note.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CallPeriod {
    /// First call date (inclusive), within the note's life.
    pub from_date: NaiveDate,
    /// Last call date (inclusive), on or after `from_date`, on or before maturity.
    pub to_date: NaiveDate,
    /// Call price per 100 of face, clean (accrued is paid on top). > 0.
    pub price_per_100: f64,
    /// Soft call: callable only while `S ≥ trigger × conversion price`
    /// (e.g. 1.3). `None` for a hard call.
    pub trigger: Option<f64>,
}

/// A date on which the holder may put the note back to the issuer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PutDate {
    /// Put date, within the note's life.
    pub date: NaiveDate,
    /// Put price per 100 of face, clean (accrued is paid on top). > 0.
    pub price_per_100: f64,
}

/// Everything needed to price a note, before validation. Field names match the
/// wire names, so validation errors name the request's fields.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvertibleSpec {
    /// Face of one note, USD (> 0, usually 1,000).
    pub face: f64,
    /// Issue date: coupons accrue from it. On or before the valuation date.
    pub issue_date: NaiveDate,
    /// Maturity date, after the valuation date, at most 60 years later.
    pub maturity_date: NaiveDate,
    /// Valuation date: time 0 of the lattice.
    pub valuation_date: NaiveDate,
    /// Annual coupon rate, a fraction in `[0, 1]` (0.04 is 4%).
    pub coupon_rate: f64,
    /// Coupons per year: 0 (zero coupon), 1, 2, 4 or 12.
    pub coupon_frequency: u32,
    /// How coupons accrue.
    pub coupon_day_count: DayCount,
    /// Shares received per 1,000 of face on conversion (> 0).
    pub conversion_rate_per_1000: f64,
    /// First date on which the holder may convert; `None` means the valuation date.
    pub conversion_start_date: Option<NaiveDate>,
    /// Share price today, USD (> 0).
    pub stock_price: f64,
    /// Annual lognormal volatility of the share, in `(0, 5]`.
    pub volatility: f64,
    /// Risk-free rate, continuously compounded, in `[−0.5, 1]`.
    pub risk_free_rate: f64,
    /// Issuer credit spread over the risk-free rate, continuously compounded, in `[0, 1]`.
    pub credit_spread: f64,
    /// Continuous dividend yield of the share, in `[0, 1]`.
    pub dividend_yield: f64,
    /// Discrete cash dividends (at most 1,000).
    pub dividends: Vec<CashDividend>,
    /// Issuer call periods (at most 1,000).
    pub call_schedule: Vec<CallPeriod>,
    /// Holder put dates (at most 1,000).
    pub put_schedule: Vec<PutDate>,
    /// The credit model.
    pub model: Model,
    /// Recovery on default as a fraction of face, in `[0, 1)`; used by
    /// [`Model::HazardRate`] only.
    pub recovery_rate: f64,
    /// Lattice steps, in `[10, 20,000]`; `None` means [`DEFAULT_STEPS`], or
    /// [`DEFAULT_CALL_PUT_STEPS`] with a call or put schedule.
    pub steps: Option<usize>,
}

/// A validated [`ConvertibleSpec`] with its coupon schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvertibleInput {
    spec: ConvertibleSpec,
    periods: Vec<CouponPeriod>,
    steps: usize,
}

/// The market data that greeks and solvers move, kept apart from the terms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Market {
    pub(crate) volatility: f64,
    pub(crate) risk_free_rate: f64,
    pub(crate) credit_spread: f64,
}

fn check_range(value: f64, min: f64, max: f64, field: &str) -> Result<f64> {
    let v = finite_f64(value).at(field)?;
    if v < min {
        return Err(CoreError::invalid(
            field,
            ValueError::BelowMinimum { bound: min, value },
        ));
    }
    if v > max {
        return Err(CoreError::invalid(
            field,
            ValueError::AboveMaximum { bound: max, value },
        ));
    }
    Ok(v)
}

fn check_positive(value: f64, max: f64, field: &str) -> Result<f64> {
    let v = positive_f64(value).at(field)?;
    if v > max {
        return Err(CoreError::invalid(
            field,
            ValueError::AboveMaximum { bound: max, value },
        ));
    }
    Ok(v)
}

fn date_within(
    date: NaiveDate,
    field: String,
    first: (NaiveDate, &'static str),
    last: (NaiveDate, &'static str),
) -> Result<()> {
    if date < first.0 {
        return Err(CoreError::DateOrder {
            field,
            date,
            relation: "on or after",
            other_field: first.1,
            other: first.0,
        });
    }
    if date > last.0 {
        return Err(CoreError::DateOrder {
            field,
            date,
            relation: "on or before",
            other_field: last.1,
            other: last.0,
        });
    }
    Ok(())
}

impl ConvertibleInput {
    /// Validates a spec, naming the field at fault.
    ///
    /// Checks every number is finite and in its documented range, the dates are
    /// in order (issue ≤ valuation < maturity ≤ valuation + 60 years; calls, puts
    /// and conversion start within the note's life; dividends after valuation
    /// and on or before maturity), the lists are within their caps, the steps
    /// within `[10, 20,000]`, and the dividends' present value below the
    /// stock price.
    pub fn new(spec: ConvertibleSpec) -> Result<Self> {
        check_positive(spec.face, MAX_AMOUNT, "face")?;
        if spec.maturity_date <= spec.valuation_date {
            return Err(CoreError::DateOrder {
                field: "maturity_date".into(),
                date: spec.maturity_date,
                relation: "after",
                other_field: "valuation_date",
                other: spec.valuation_date,
            });
        }
        if schedule::years_between(spec.valuation_date, spec.maturity_date) > MAX_LIFE_YEARS {
            return Err(CoreError::Inconsistent {
                field: "maturity_date".into(),
                reason: "must be at most 60 years after valuation_date",
            });
        }
        if spec.issue_date > spec.valuation_date {
            return Err(CoreError::DateOrder {
                field: "issue_date".into(),
                date: spec.issue_date,
                relation: "on or before",
                other_field: "valuation_date",
                other: spec.valuation_date,
            });
        }
        let life = (
            (spec.issue_date, "issue_date"),
            (spec.maturity_date, "maturity_date"),
        );
        check_range(spec.coupon_rate, 0.0, MAX_RATE, "coupon_rate")?;
        if ![0, 1, 2, 4, 12].contains(&spec.coupon_frequency) {
            return Err(CoreError::Inconsistent {
                field: "coupon_frequency".into(),
                reason: "must be 0, 1, 2, 4 or 12",
            });
        }
        if spec.coupon_frequency == 0 && spec.coupon_rate > 0.0 {
            return Err(CoreError::Inconsistent {
                field: "coupon_frequency".into(),
                reason: "must be 1, 2, 4 or 12 when coupon_rate is above 0",
            });
        }
        check_positive(
            spec.conversion_rate_per_1000,
            MAX_AMOUNT,
            "conversion_rate_per_1000",
        )?;
        if let Some(start) = spec.conversion_start_date {
            date_within(start, "conversion_start_date".into(), life.0, life.1)?;
        }
        check_positive(spec.stock_price, MAX_AMOUNT, "stock_price")?;
        let vol = positive_f64(spec.volatility).at("volatility")?;
        if vol > MAX_VOLATILITY {
            return Err(CoreError::invalid(
                "volatility",
                ValueError::AboveMaximum {
                    bound: MAX_VOLATILITY,
                    value: vol,
                },
            ));
        }
        check_range(
            spec.risk_free_rate,
            MIN_RISK_FREE_RATE,
            MAX_RATE,
            "risk_free_rate",
        )?;
        check_range(spec.credit_spread, 0.0, MAX_CREDIT_SPREAD, "credit_spread")?;
        check_range(spec.dividend_yield, 0.0, MAX_RATE, "dividend_yield")?;
        let recovery = finite_f64(spec.recovery_rate).at("recovery_rate")?;
        if recovery < 0.0 {
            return Err(CoreError::invalid(
                "recovery_rate",
                ValueError::BelowMinimum {
                    bound: 0.0,
                    value: recovery,
                },
            ));
        }
        if recovery >= 1.0 {
            return Err(CoreError::invalid(
                "recovery_rate",
                ValueError::NotBelow {
                    bound: 1.0,
                    value: recovery,
                },
            ));
        }
        for (list, len) in [
            ("dividends", spec.dividends.len()),
            ("call_schedule", spec.call_schedule.len()),
            ("put_schedule", spec.put_schedule.len()),
        ] {
            if len > MAX_SCHEDULE_ITEMS {
                return Err(CoreError::invalid(
                    list,
                    ValueError::TooLong {
                        len,
                        cap: MAX_SCHEDULE_ITEMS,
                    },
                ));
            }
        }
        for (i, d) in spec.dividends.iter().enumerate() {
            if d.ex_date <= spec.valuation_date {
                return Err(CoreError::DateOrder {
                    field: format!("dividends[{i}].ex_date"),
                    date: d.ex_date,
                    relation: "after",
                    other_field: "valuation_date",
                    other: spec.valuation_date,
                });
            }
            date_within(d.ex_date, format!("dividends[{i}].ex_date"), life.0, life.1)?;
            check_range(d.amount, 0.0, MAX_AMOUNT, &format!("dividends[{i}].amount"))?;
        }
        for (i, c) in spec.call_schedule.iter().enumerate() {
            date_within(
                c.from_date,
                format!("call_schedule[{i}].from_date"),
                life.0,
                life.1,
            )?;
            date_within(
                c.to_date,
                format!("call_schedule[{i}].to_date"),
                life.0,
                life.1,
            )?;
            if c.to_date < c.from_date {
                return Err(CoreError::DateOrder {
                    field: format!("call_schedule[{i}].to_date"),
                    date: c.to_date,
                    relation: "on or after",
                    other_field: "from_date",
                    other: c.from_date,
                });
            }
            check_positive(
                c.price_per_100,
                MAX_AMOUNT,
                &format!("call_schedule[{i}].price"),
            )?;
            if let Some(t) = c.trigger {
                check_positive(t, MAX_TRIGGER, &format!("call_schedule[{i}].trigger"))?;
            }
        }
        for (i, p) in spec.put_schedule.iter().enumerate() {
            date_within(p.date, format!("put_schedule[{i}].date"), life.0, life.1)?;
            check_positive(
                p.price_per_100,
                MAX_AMOUNT,
                &format!("put_schedule[{i}].price"),
            )?;
        }
        let default = if spec.call_schedule.is_empty() && spec.put_schedule.is_empty() {
            DEFAULT_STEPS
        } else {
            DEFAULT_CALL_PUT_STEPS
        };
        let steps = spec.steps.unwrap_or(default);
        if steps > MAX_STEPS {
            return Err(CoreError::invalid(
                "steps",
                ValueError::AboveMaximum {
                    bound: MAX_STEPS as f64,
                    value: steps as f64,
                },
            ));
        }
        if steps < MIN_STEPS {
            return Err(CoreError::invalid(
                "steps",
                ValueError::BelowMinimum {
                    bound: MIN_STEPS as f64,
                    value: steps as f64,
                },
            ));
        }
        let periods = schedule::coupon_periods(
            spec.issue_date,
            spec.maturity_date,
            spec.coupon_rate,
            spec.coupon_frequency,
            spec.coupon_day_count,
        );
        let input = ConvertibleInput {
            spec,
            periods,
            steps,
        };
        input.check_stock_above_dividends(input.spec.stock_price, "stock_price")?;
        Ok(input)
    }

    /// The validated spec.
    pub fn spec(&self) -> &ConvertibleSpec {
        &self.spec
    }

    /// The lattice steps requested (or the default).
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// The same note and market with another step count, validated.
    pub fn with_steps(&self, steps: usize) -> Result<Self> {
        let mut spec = self.spec.clone();
        spec.steps = Some(steps);
        ConvertibleInput::new(spec)
    }

    /// Shares received on converting 100 of face.
    pub fn conversion_shares_per_100(&self) -> f64 {
        self.spec.conversion_rate_per_1000 / 10.0
    }

    /// The conversion price, USD per share: `1000 / conversion_rate_per_1000`.
    pub fn conversion_price(&self) -> f64 {
        1000.0 / self.spec.conversion_rate_per_1000
    }

    /// Years from valuation to maturity, Act/365F.
    pub fn years_to_maturity(&self) -> f64 {
        schedule::years_between(self.spec.valuation_date, self.spec.maturity_date)
    }

    /// The coupon periods of the note.
    pub fn coupon_periods(&self) -> &[CouponPeriod] {
        &self.periods
    }

    /// Interest accrued on the valuation date, per 100 of face.
    pub fn accrued_per_100(&self) -> f64 {
        schedule::accrued_per_100(
            &self.periods,
            self.spec.valuation_date,
            self.spec.coupon_rate,
            self.spec.coupon_day_count,
        )
    }

    /// The bond floor per 100: remaining flows discounted at `r + s`.
    pub fn bond_floor_per_100(&self) -> f64 {
        schedule::bond_floor_per_100(
            &self.periods,
            self.spec.valuation_date,
            self.spec.maturity_date,
            self.spec.risk_free_rate + self.spec.credit_spread,
        )
    }

    /// Present value of the discrete dividends, per share, at the risk-free rate.
    pub fn dividends_pv(&self) -> f64 {
        self.dividends_pv_after(0.0, self.spec.risk_free_rate)
    }

    /// PV at time `t` (years) of the dividends with ex-date after `t`.
    fn dividends_pv_after(&self, t: f64, rate: f64) -> f64 {
        self.spec
            .dividends
            .iter()
            .map(|d| (d.amount, self.time_of(d.ex_date)))
            .filter(|&(_, te)| te > t)
            .map(|(amount, te)| amount * (-rate * (te - t)).exp())
            .sum()
    }

    pub(crate) fn check_stock_above_dividends(&self, stock_price: f64, field: &str) -> Result<()> {
        if stock_price <= self.dividends_pv() {
            return Err(CoreError::Inconsistent {
                field: field.into(),
                reason: "must exceed the present value of the discrete dividends",
            });
        }
        Ok(())
    }

    /// The lowest stock price at which a live call forces conversion: the
    /// larger of `call price / shares` and a soft call's trigger level, over
    /// the call periods not yet over.
    fn call_barrier(&self) -> Option<f64> {
        let shares = self.conversion_shares_per_100();
        self.spec
            .call_schedule
            .iter()
            .filter(|c| c.to_date >= self.spec.valuation_date)
            .map(|c| {
                let forced = c.price_per_100 / shares;
                c.trigger
                    .map_or(forced, |t| forced.max(t * self.conversion_price()))
            })
            .min_by(f64::total_cmp)
    }

    /// The times (years) strictly inside the note's remaining life at which
    /// an exercise right starts, ends or falls: call window starts and ends,
    /// put dates and the conversion start.
    fn exercise_times(&self) -> Vec<f64> {
        let spec = &self.spec;
        let calls = spec
            .call_schedule
            .iter()
            .flat_map(|c| [c.from_date, c.to_date]);
        let puts = spec.put_schedule.iter().map(|p| p.date);
        let life = self.years_to_maturity();
        calls
            .chain(puts)
            .chain(spec.conversion_start_date)
            .map(|d| self.time_of(d))
            .filter(|&t| t > 0.0 && t < life)
            .collect()
    }

    fn time_of(&self, date: NaiveDate) -> f64 {
        schedule::years_between(self.spec.valuation_date, date)
    }

    pub(crate) fn market(&self) -> Market {
        Market {
            volatility: self.spec.volatility,
            risk_free_rate: self.spec.risk_free_rate,
            credit_spread: self.spec.credit_spread,
        }
    }

    /// Interest accrued at `t` years after valuation, per 100, counting a
    /// coupon as still owed on its own payment date (the lattice values a
    /// coupon date cum-coupon).
    fn accrued_at(&self, t: f64) -> f64 {
        for p in &self.periods {
            let start = self.time_of(p.accrual_start);
            let end = self.time_of(p.payment_date);
            if start < t && t <= end && end > start {
                return p.amount_per_100 * (t - start) / (end - start);
            }
        }
        0.0
    }
}

/// The lattice's per-step data: everything that does not depend on the stock
/// price, built once and rolled back for any number of stock prices.
#[derive(Debug, Clone)]
pub(crate) struct Lattice {
    model: Model,
    steps: usize,
    dt: f64,
    /// `u` per step (`e^{σ'√Δt}`).
    up: f64,
    /// Weights of the up and down children, discount included.
    /// TF: equity part (`e^{−rΔt}p`, `e^{−rΔt}(1−p)`); hazard: whole note.
    w_up: f64,
    w_down: f64,
    /// TF: the cash part's weights (`e^{−(r+s)Δt}p`, `e^{−(r+s)Δt}(1−p)`).
    wc_up: f64,
    wc_down: f64,
    /// Hazard: discounted recovery received on default within a step, per 100.
    default_leg: f64,
    shares: f64,
    redemption: f64,
    conversion_start_step: usize,
    coupon: Vec<f64>,
    call_dirty: Vec<f64>,
    call_trigger_stock: Vec<f64>,
    /// Per step, the stock price (cum dividend) from which a live call
    /// forces conversion, moved onto a node layer; NaN where the barrier
    /// was not moved (then `conversion value ≥ call` decides).
    call_forced_stock: Vec<f64>,
    /// The value of a note forced to convert on that layer: the conversion
    /// value at the true barrier, `max(call, shares × trigger)`.
    call_forced_value: Vec<f64>,
    /// At the first step of a call window, the stock price (cum dividend)
    /// half a spacing above the barrier's layer: a node from the layer up to
    /// it is on the layer. NaN at other steps.
    call_opening_top: Vec<f64>,
    /// Whether a node just below the barrier at that step is out of the call
    /// (a soft call's trigger is the barrier) rather than capped.
    call_opening_uncalled: Vec<bool>,
    /// The tree's centre over today's ex-dividend price, `u^shift` with
    /// `|shift| ≤ 1/2`: 1 without a call.
    centre_factor: f64,
    put_dirty: Vec<f64>,
    dividends_pv: Vec<f64>,
    /// True where a step needs the general node update (coupon, call, put, or
    /// no conversion yet).
    special: Vec<bool>,
    /// True where a special step's only event is a call (no coupon, no put,
    /// conversion open): the converted region still propagates through it
    /// (see [`Lattice::first_converted`]), so only the nodes below it are
    /// computed, and those below a soft call's trigger take the fast step.
    call_only: Vec<bool>,
    /// PV at time 0 of the discrete dividends.
    dividends_pv0: f64,
    /// Half-width of the computed band of level `i`, in positions (`u` steps)
    /// around the centre: nodes further out are reached with a probability
    /// below 1e-15 and are not computed.
    band: Vec<usize>,
    /// Whether the last step is done in closed form (see [`Lattice::smooth_last_step`]).
    smooth: bool,
    /// One-step quantities for the closed-form last step.
    sigma_sqrt_dt: f64,
    drift: f64,
    risky_discount: f64,
    dividend_discount: f64,
}

/// Values read off the first nodes of a rollback.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rollback {
    /// Value at the nodes `C·u⁻²`, `C` and `C·u²` on the valuation date, per
    /// 100, where the centre `C` is today's price moved by at most half a
    /// spacing (see [`Lattice::build`]).
    pub(crate) values: [f64; 3],
    /// Stock prices of those three nodes.
    pub(crate) stocks: [f64; 3],
    /// Today's stock price, at which the price and delta are read.
    pub(crate) stock: f64,
    /// Value at `S` two steps after valuation, per 100.
    pub(crate) value_after_two_steps: f64,
    /// The length of a step, years.
    pub(crate) dt: f64,
}

impl Rollback {
    /// The value at today's price: the quadratic through the three nodes,
    /// which is the centre node's value when the tree is not moved.
    pub(crate) fn price(&self) -> f64 {
        let [v0, v1, _] = self.values;
        let [s0, s1, _] = self.stocks;
        let down = (v1 - v0) / (s1 - s0);
        v0 + (self.stock - s0) * (down + 0.5 * self.gamma() * (self.stock - s1))
    }

    /// The change in value over two steps at the centre node's stock price:
    /// the centre node two steps on minus the centre node today, both at
    /// `C` (not `V(C) − price(S)`, which would add delta × (C − S) to theta
    /// when the tree is centred off today's price).
    pub(crate) fn change_over_two_steps(&self) -> f64 {
        self.value_after_two_steps - self.values[1]
    }

    /// The chord delta of the three nodes, moved to today's price with the
    /// gamma.
    pub(crate) fn delta(&self) -> f64 {
        let chord = (self.values[2] - self.values[0]) / (self.stocks[2] - self.stocks[0]);
        chord + self.gamma() * (self.stock - self.stocks[1])
    }

    pub(crate) fn gamma(&self) -> f64 {
        let up = (self.values[2] - self.values[1]) / (self.stocks[2] - self.stocks[1]);
        let down = (self.values[1] - self.values[0]) / (self.stocks[1] - self.stocks[0]);
        (up - down) / (0.5 * (self.stocks[2] - self.stocks[0]))
    }
}

/// Reusable node buffers, so that repeated rollbacks never allocate.
#[derive(Debug, Default)]
pub(crate) struct Workspace {
    a: Vec<f64>,
    b: Vec<f64>,
    ca: Vec<f64>,
    cb: Vec<f64>,
    spot_even: Vec<f64>,
    spot_odd: Vec<f64>,
}

fn step_of(t: f64, dt: f64, steps: usize) -> usize {
    let s = (t / dt).round();
    if s <= 0.0 {
        0
    } else if s >= steps as f64 {
        steps
    } else {
        s as usize
    }
}

/// The up-move factor and the risk-neutral up and down probabilities of one
/// step (their sum is the survival probability; 1 for TF).
fn probabilities(
    model: Model,
    m: Market,
    q: f64,
    recovery: f64,
    dt: f64,
) -> Result<(f64, f64, f64)> {
    let growth = ((m.risk_free_rate - q) * dt).exp();
    match model {
        Model::TsiveriotisFernandes => {
            let u = (m.volatility * dt.sqrt()).exp();
            let d = 1.0 / u;
            let p = (growth - d) / (u - d);
            Ok((u, p, 1.0 - p))
        }
        Model::HazardRate => {
            let h = m.credit_spread / (1.0 - recovery);
            let var = m.volatility * m.volatility - h;
            if var <= 0.0 {
                return Err(CoreError::Inconsistent {
                    field: "volatility".into(),
                    reason: "the hazard_rate model needs volatility² above the hazard rate \
                             credit_spread / (1 − recovery_rate); use tsiveriotis_fernandes",
                });
            }
            let u = (var * dt).sqrt().exp();
            let d = 1.0 / u;
            let survival = (-h * dt).exp();
            Ok((
                u,
                (growth - d * survival) / (u - d),
                (u * survival - growth) / (u - d),
            ))
        }
    }
}

/// How far (in node spacings) a call barrier may lie above a layer of nodes
/// for the lattice to move it onto that layer (see the module's *Calls on
/// the lattice*).
pub const SNAP_TOLERANCE: f64 = 0.05;

/// Where a barrier at `x` node spacings from the tree's centre lies, in
/// spacings above the layer at or below it: in `[0, 1)`, with a barrier a
/// rounding error below a layer counted as on it.
fn above_layer(x: f64) -> f64 {
    let k = (x + 1e-6).floor();
    (x - k).max(0.0)
}

/// How far (in steps) the dates that start or end an exercise right may lie
/// from a step for [`align_steps`] to accept a step count at once.
pub const ALIGN_TOLERANCE: f64 = 0.05;

/// A step count near `steps` that puts each of `times` (years from
/// valuation, in `(0, years)`) on or near a step.
///
/// The lattice exercises a call or put at the step nearest its date, up to
/// Δt/2 away. Where the date starts a call window or is a put date, the
/// price moves with that date (by about 0.02 per 100 per step at 1,000
/// steps on the soft-called CleanSpark note), so the rounding makes the
/// price saw-tooth with N by as much as the 0.01 per 100 aimed at.
///
/// # Formula
/// With `g(N') = max_k |N'·t_k/T − round(N'·t_k/T)|`, searching
/// `N' = N, N−1, N−2, …` down to `N − N/10` (and 10): the first `N'` with
/// `g ≤ 0.05`, else the one with the least `g`; `N` itself when `times` is
/// empty. Never more steps than asked for, so that the step cap and the
/// profile's work cap hold as stated.
pub fn align_steps(steps: usize, times: &[f64], years: f64) -> usize {
    if times.is_empty() {
        return steps;
    }
    let gap = |n: usize| {
        times
            .iter()
            .map(|t| {
                let x = t / years * n as f64;
                (x - x.round()).abs()
            })
            .fold(0.0, f64::max)
    };
    let mut best = (gap(steps), steps);
    for d in 0..=steps / 10 {
        let n = steps - d;
        if n < MIN_STEPS {
            break;
        }
        let g = gap(n);
        if g <= ALIGN_TOLERANCE {
            return n;
        }
        if g < best.0 {
            best = (g, n);
        }
    }
    best.1
}

fn valid_probability(p: f64) -> bool {
    (0.0..=1.0).contains(&p)
}

impl Lattice {
    /// Builds the per-step data for `input`'s terms under market `m`.
    ///
    /// When the requested step count leaves a probability outside `[0, 1]`
    /// (large `|r − q + h|` against a small σ), the steps are refined up to
    /// [`MAX_STEPS`]; beyond that the input is refused, naming `steps`.
    ///
    /// With a call schedule, the step count is moved (by at most a quarter)
    /// so that the call's barrier for a stock price today of `stock` lies on
    /// a layer of nodes: see [`align_steps`].
    pub(crate) fn build(
        input: &ConvertibleInput,
        m: Market,
        steps: usize,
        stock: f64,
    ) -> Result<Self> {
        let spec = &input.spec;
        let t_mat = input.years_to_maturity();
        let q = spec.dividend_yield;
        let mut steps = align_steps(steps, &input.exercise_times(), t_mat);
        let (up, p_up, p_down) = loop {
            let dt = t_mat / steps as f64;
            let (u, pu, pd) = probabilities(spec.model, m, q, spec.recovery_rate, dt)?;
            if valid_probability(pu) && valid_probability(pd) && valid_probability(pu + pd) {
                break (u, pu, pd);
            }
            if steps >= MAX_STEPS {
                return Err(CoreError::Inconsistent {
                    field: "steps".into(),
                    reason: "even 20,000 steps leave a tree probability outside [0, 1]: \
                             the drift is too large for the volatility",
                });
            }
            steps = (steps * 2).min(MAX_STEPS);
        };
        let dt = t_mat / steps as f64;
        let r = m.risk_free_rate;
        let disc = (-r * dt).exp();
        let (w_up, w_down, wc_up, wc_down, default_leg) = match spec.model {
            Model::TsiveriotisFernandes => {
                let dc = (-(r + m.credit_spread) * dt).exp();
                (disc * p_up, disc * p_down, dc * p_up, dc * p_down, 0.0)
            }
            Model::HazardRate => {
                let default = 1.0 - p_up - p_down;
                (
                    disc * p_up,
                    disc * p_down,
                    0.0,
                    0.0,
                    disc * default * spec.recovery_rate * 100.0,
                )
            }
        };

        let n1 = steps + 1;
        let mut coupon = vec![0.0; n1];
        for p in &input.periods {
            if p.payment_date > spec.valuation_date {
                coupon[step_of(input.time_of(p.payment_date), dt, steps)] += p.amount_per_100;
            }
        }
        let mut call_dirty = vec![f64::INFINITY; n1];
        let mut call_trigger_stock = vec![0.0; n1];
        let conversion_price = input.conversion_price();
        for c in &spec.call_schedule {
            if c.to_date < spec.valuation_date {
                continue;
            }
            let first = step_of(input.time_of(c.from_date).max(0.0), dt, steps);
            let last = step_of(input.time_of(c.to_date), dt, steps);
            let trigger = c.trigger.map_or(0.0, |t| t * conversion_price);
            for i in first..=last {
                let accrued = if coupon[i] > 0.0 {
                    coupon[i]
                } else {
                    input.accrued_at(i as f64 * dt)
                };
                let dirty = c.price_per_100 + accrued;
                // Of overlapping periods, the issuer uses the cheapest live one;
                // keeping the lowest price and its trigger is a close, simple rule.
                if dirty < call_dirty[i] {
                    call_dirty[i] = dirty;
                    call_trigger_stock[i] = trigger;
                }
            }
        }
        let mut put_dirty = vec![f64::NEG_INFINITY; n1];
        for p in &spec.put_schedule {
            if p.date < spec.valuation_date {
                continue;
            }
            let i = step_of(input.time_of(p.date), dt, steps);
            let accrued = if coupon[i] > 0.0 {
                coupon[i]
            } else {
                input.accrued_at(i as f64 * dt)
            };
            put_dirty[i] = put_dirty[i].max(p.price_per_100 + accrued);
        }
        // PV at step i of the dividends after t_i, in O(steps + dividends):
        // D_i = D_{i+1}·e^{−rΔt} + Σ_{t_i < t_ex ≤ t_{i+1}} amount·e^{−r(t_ex − t_i)}.
        let mut dividends_pv = vec![0.0; n1];
        for d in &spec.dividends {
            let t_ex = input.time_of(d.ex_date);
            let i = ((t_ex / dt).ceil() as usize)
                .saturating_sub(1)
                .min(steps - 1);
            let i = if i as f64 * dt >= t_ex {
                i.saturating_sub(1)
            } else {
                i
            };
            dividends_pv[i] += d.amount * (-r * (t_ex - i as f64 * dt)).exp();
        }
        for i in (0..steps).rev() {
            dividends_pv[i] += dividends_pv[i + 1] * disc;
        }
        // A live call forces conversion from the barrier `B = max(call / shares,
        // trigger)` up, and there the note is worth the conversion value. The
        // tree sees the barrier only at its node layers: one a hair below B is
        // not forced, so the barrier acts as if it sat on the next layer up,
        // up to a whole spacing too high (the soft-called CleanSpark note read
        // 100.83 at 1,000 steps against 100.51 converged). So a barrier within
        // SNAP_TOLERANCE spacings above a layer is moved down onto it, a
        // node on that layer counts as forced, and it is paid the conversion
        // value at B itself, `max(call, shares × trigger)`, not at the node.
        let shares = input.conversion_shares_per_100();
        let mut call_forced_stock = vec![f64::NAN; n1];
        let mut call_forced_value = call_dirty.clone();
        let mut call_opening_top = vec![f64::NAN; n1];
        let mut call_opening_uncalled = vec![false; n1];
        let log_u = up.ln();
        // For that move to be small, the tree is centred not on today's
        // (ex-dividend) price but up to half a spacing from it, so that
        // today's barrier lies exactly on a layer; the price is read at
        // today's price off the three valuation-date nodes (see
        // [`Rollback::price`]). Moving N instead (Boyle & Lau) cannot reach
        // a barrier within a few spacings of today's price.
        let escrowed = stock - dividends_pv[0];
        let centre_shift = input
            .call_barrier()
            .map(|barrier| ((barrier - dividends_pv[0]) / escrowed).ln() / log_u)
            .filter(|x| x.is_finite() && x.abs() <= (n1 + 2) as f64)
            .map_or(0.0, |x| {
                let f = above_layer(x);
                if f <= 0.5 {
                    f
                } else {
                    f - 1.0
                }
            });
        let centre_factor = (centre_shift * log_u).exp();
        let escrowed = escrowed * centre_factor;
        for i in 0..n1 {
            let call = call_dirty[i];
            if !call.is_finite() {
                continue;
            }
            let trigger = call_trigger_stock[i];
            let barrier = (call / shares).max(trigger);
            let x = ((barrier - dividends_pv[i]) / escrowed).ln() / log_u;
            if x.is_finite() && above_layer(x) <= SNAP_TOLERANCE {
                let layer = (x - above_layer(x)).round();
                // Nodes are powers of u built by repeated multiplication,
                // within 2e-12 relative: the margin keeps the layer's nodes in.
                let level = escrowed * (layer * log_u).exp() * (1.0 - 1e-9) + dividends_pv[i];
                call_forced_stock[i] = level;
                call_forced_value[i] = call.max(shares * trigger);
                if trigger > level {
                    call_trigger_stock[i] = level;
                }
                // At the first step of a call window no path has been
                // monitored before, so a node on the barrier stands for a
                // cell only half above it: it takes the mean of the forced
                // and the unforced outcome. Forcing it wholly shifts the
                // window's first cut by half a spacing, and the price then
                // flips by ±0.014 per 100 at 1,000 steps on the hard-called
                // CleanSpark note as the parity of that step changes with N.
                if i == 0 || !call_dirty[i - 1].is_finite() {
                    call_opening_top[i] =
                        escrowed * ((layer + 0.5) * log_u).exp() + dividends_pv[i];
                    call_opening_uncalled[i] = trigger > level;
                }
            }
        }
        let conversion_start_step = spec
            .conversion_start_date
            .map_or(0, |d| step_of(input.time_of(d).max(0.0), dt, steps));
        let special: Vec<bool> = (0..n1)
            .map(|i| {
                coupon[i] != 0.0
                    || call_dirty[i].is_finite()
                    || put_dirty[i].is_finite()
                    || i < conversion_start_step
            })
            .collect();
        let call_only: Vec<bool> = (0..n1)
            .map(|i| {
                call_dirty[i].is_finite()
                    && coupon[i] == 0.0
                    && !put_dirty[i].is_finite()
                    && i >= conversion_start_step
            })
            .collect();
        let redemption = 100.0 + coupon[steps];
        let log_u = up.ln();
        let sigma_tree = log_u / dt.sqrt();
        let h = match spec.model {
            Model::TsiveriotisFernandes => 0.0,
            Model::HazardRate => m.credit_spread / (1.0 - spec.recovery_rate),
        };
        let drift = r - q + h - 0.5 * sigma_tree * sigma_tree;
        let band = (0..n1)
            .map(|i| {
                let t = i as f64 * dt;
                let reach = BAND_STD_DEVS * sigma_tree * t.sqrt() + drift.abs() * t;
                let k = (reach / log_u).ceil() + 2.0;
                if k.is_finite() && k < (i + 2) as f64 {
                    k as usize
                } else {
                    i + 2
                }
            })
            .collect();
        // The closed-form last step needs a plain terminal payoff. A call on
        // the maturity date at no less than the redemption amount is never
        // exercised there, and a call-only step just before maturity is
        // decided on the closed-form values; so a call window running to
        // maturity, the usual case, keeps the smooth last step (without it
        // the soft-called CleanSpark note swings by ±0.03 per 100 with N).
        let smooth = spec.model == Model::TsiveriotisFernandes
            && call_dirty[steps] >= redemption
            && !put_dirty[steps].is_finite()
            && steps >= 1
            && (!special[steps - 1] || call_only[steps - 1])
            && conversion_start_step < steps;
        Ok(Lattice {
            model: spec.model,
            steps,
            dt,
            up,
            w_up,
            w_down,
            wc_up,
            wc_down,
            default_leg,
            shares: input.conversion_shares_per_100(),
            redemption,
            conversion_start_step,
            coupon,
            call_dirty,
            call_trigger_stock,
            call_forced_stock,
            call_forced_value,
            call_opening_top,
            call_opening_uncalled,
            centre_factor,
            put_dirty,
            dividends_pv0: dividends_pv[0],
            dividends_pv,
            special,
            call_only,
            band,
            smooth,
            sigma_sqrt_dt: sigma_tree * dt.sqrt(),
            drift: r - q,
            risky_discount: (-(r + m.credit_spread) * dt).exp(),
            dividend_discount: (-q * dt).exp(),
        })
    }

    /// The step count actually used (after any refinement).
    pub(crate) fn steps(&self) -> usize {
        self.steps
    }

    /// The computed node indices `lo..=hi` of level `i`.
    fn band_of(&self, i: usize) -> (usize, usize) {
        let k = self.band[i];
        // Position of node j is 2j − i − 2; keep |position| ≤ k.
        let lo = (i + 2).saturating_sub(k).div_ceil(2);
        let hi = ((i + 2 + k) / 2).min(i + 2);
        (lo, hi)
    }

    /// Rolls the note back from maturity for a stock price `stock` today.
    ///
    /// Level `i` (time `iΔt`) has `i + 3` nodes at `S*·u^{2j−i−2}`,
    /// `j = 0..=i+2`; the two extra nodes at level 0 give delta and gamma.
    /// Only the band of nodes within [`BAND_STD_DEVS`] standard deviations
    /// (plus the drift) of today's price is computed; a node at the band's
    /// edge takes its missing child's value from its neighbour.
    pub(crate) fn rollback(&self, stock: f64, ws: &mut Workspace) -> Rollback {
        let n = self.steps;
        let width = n + 3;
        let escrowed = (stock - self.dividends_pv0) * self.centre_factor;
        // Positions −(n+2)..=(n+2); even ones (relative to −(n+2)) and odd ones
        // in separate tables so that each level reads a contiguous slice.
        let half = n + 2;
        // Powers of u by repeated multiplication out from the centre: the
        // relative rounding error grows by about 1e-16 a node, 2e-12 at most.
        ws.spot_even.resize(half + 1, 0.0);
        ws.spot_odd.resize(half, 0.0);
        let mut put = |k: usize, s: f64| {
            if k % 2 == 0 {
                ws.spot_even[k / 2] = s;
            } else {
                ws.spot_odd[k / 2] = s;
            }
        };
        let (mut above, mut below) = (escrowed, escrowed);
        let down = self.up.recip();
        put(half, escrowed);
        for d in 1..=half {
            above *= self.up;
            below *= down;
            put(half + d, above);
            put(half - d, below);
        }
        ws.a.resize(width, 0.0);
        ws.b.resize(width, 0.0);
        ws.ca.resize(width, 0.0);
        ws.cb.resize(width, 0.0);

        let Workspace {
            a,
            b,
            ca,
            cb,
            spot_even,
            spot_odd,
        } = ws;
        let (mut cur, mut next) = (a, b);
        let (mut cur_c, mut next_c) = (ca, cb);
        let tf = self.model == Model::TsiveriotisFernandes;

        // The last level rolled explicitly: maturity, or one step before it
        // when that step is done in closed form.
        let top = if self.smooth { n - 1 } else { n };
        {
            let (lo, hi) = self.band_of(top);
            let spots = level_spots(spot_even, spot_odd, n, top);
            let div = self.dividends_pv[top];
            let conv_on = top >= self.conversion_start_step;
            for j in lo..=hi {
                let s = spots[j] + div;
                let conv = if conv_on {
                    self.conversion_value(spots[j], div)
                } else {
                    f64::NEG_INFINITY
                };
                let (e, c) = if self.smooth {
                    self.last_step_closed_form(spots[j])
                } else {
                    (0.0, self.redemption)
                };
                // A call just before maturity splits its called value as at
                // any other call step.
                let called = self.smooth
                    && e + c > self.call_dirty[top]
                    && s >= self.call_trigger_stock[top];
                let convert_share =
                    (tf && called).then(|| self.convert_share(top, spots, div, j, (lo, hi)));
                let (e, c) = self.decide(top, s, conv, e, c, 0.0, convert_share);
                if tf {
                    cur[j] = e;
                    cur_c[j] = c;
                } else {
                    cur[j] = e + c;
                }
            }
        }

        let mut value_after_two_steps = f64::NAN;
        let mut child_band = self.band_of(top);
        // Nodes at or above `converted_from` hold exactly their conversion
        // value (and no cash part); see `Lattice::track_conversion`.
        let mut converted_from = {
            let (lo, hi) = child_band;
            self.first_converted(top, lo, hi + 1, false, spot_even, spot_odd, cur, cur_c)
        };
        for i in (0..top).rev() {
            let (lo, hi) = self.band_of(i);
            // Children lo..=hi+1 are read; pad those outside the child band,
            // and give those in the converted region their value.
            let (clo, chi) = child_band;
            let limit = hi + 1;
            for j in lo..clo {
                cur[j] = cur[clo];
                cur_c[j] = cur_c[clo];
            }
            if converted_from > chi + 1 {
                for j in (chi + 1)..=limit {
                    cur[j] = cur[chi];
                    cur_c[j] = cur_c[chi];
                }
            }
            let child_spots = level_spots(spot_even, spot_odd, n, i + 1);
            let child_div = self.dividends_pv[i + 1];
            // A step whose every node must be computed: the converted region
            // does not propagate through a coupon, a put or a closed
            // conversion window.
            let full = self.special[i] && !self.call_only[i];
            let materialise_from = if full {
                converted_from.max(lo)
            } else {
                converted_from
            };
            let materialise_to = if full {
                limit
            } else {
                converted_from.min(limit)
            };
            for j in materialise_from..=materialise_to.min(limit) {
                cur[j] = self.conversion_value(child_spots[j], child_div);
                cur_c[j] = 0.0;
            }
            let spots = level_spots(spot_even, spot_odd, n, i);
            let div = self.dividends_pv[i];
            // Only the nodes below the converted region are computed.
            let end = if full {
                hi
            } else {
                hi.min(converted_from.saturating_sub(1))
            };
            let computed = !full && converted_from > lo;
            // The nodes `lo..general_from` take the fast step: all of them at
            // a plain step, and at a call-only step those below a soft call's
            // trigger, which see no call, so that the fast step gives them
            // exactly what `decide` would.
            let general_from = if !computed {
                lo
            } else if !self.special[i] {
                end + 1
            } else {
                let trigger = self.call_trigger_stock[i];
                lo + spots[lo..=end].partition_point(|&x| x + div < trigger)
            };
            if general_from > lo {
                let top = general_from - 1;
                if tf {
                    tf_step(
                        self.w_up,
                        self.w_down,
                        self.wc_up,
                        self.wc_down,
                        self.shares,
                        self.shares * div,
                        &spots[lo..=top],
                        &cur[lo..=top + 1],
                        &cur_c[lo..=top + 1],
                        &mut next[lo..=top],
                        &mut next_c[lo..=top],
                    );
                } else {
                    hazard_step(
                        self.w_up,
                        self.w_down,
                        self.default_leg,
                        self.shares,
                        self.shares * div,
                        &spots[lo..=top],
                        &cur[lo..=top + 1],
                        &mut next[lo..=top],
                    );
                }
            }
            if !tf && self.call_only[i] && computed {
                self.hazard_call_step(i, general_from..=end, spots, div, cur, next);
            } else if tf && self.call_only[i] && computed {
                self.tf_call_step(
                    i,
                    (lo, hi),
                    general_from..=end,
                    spots,
                    div,
                    cur,
                    cur_c,
                    next,
                    next_c,
                );
            } else if self.special[i] && (full || computed) {
                let conv_on = i >= self.conversion_start_step;
                let cpn = self.coupon[i];
                // First the continuation of every node, then the decisions,
                // which at a put date look at the neighbours.
                for j in general_from..=end {
                    if tf {
                        next[j] = self.w_up * cur[j + 1] + self.w_down * cur[j];
                        next_c[j] = self.wc_up * cur_c[j + 1] + self.wc_down * cur_c[j] + cpn;
                    } else {
                        next[j] =
                            self.w_up * cur[j + 1] + self.w_down * cur[j] + self.default_leg + cpn;
                        next_c[j] = 0.0;
                    }
                }
                let put = self.put_dirty[i];
                let call = self.call_dirty[i];
                let gap = |v: &[f64], c: &[f64], j: usize| put - (v[j] + c[j]);
                let mut below = if put.is_finite() {
                    gap(next, next_c, lo)
                } else {
                    0.0
                };
                for j in general_from..=end {
                    let s = spots[j] + div;
                    let conv = if conv_on {
                        self.conversion_value(spots[j], div)
                    } else {
                        f64::NEG_INFINITY
                    };
                    let put_share = if put.is_finite() && tf {
                        let here = gap(next, next_c, j);
                        let above = if j < hi {
                            gap(next, next_c, j + 1)
                        } else {
                            here
                        };
                        let share = put_cell_share(below, here, above);
                        below = here;
                        share
                    } else {
                        0.0
                    };
                    // Only a called node (the test `decide` makes) uses the
                    // share, and most nodes are not called: skip it for them.
                    let called = next[j] + next_c[j] > call && s >= self.call_trigger_stock[i];
                    let convert_share = (tf && conv_on && called)
                        .then(|| self.convert_share(i, spots, div, j, (lo, hi)));
                    let (e, c) =
                        self.decide(i, s, conv, next[j], next_c[j], put_share, convert_share);
                    next[j] = e;
                    next_c[j] = c;
                }
                if !tf {
                    for j in general_from..=end {
                        next[j] += next_c[j];
                    }
                }
            }
            std::mem::swap(&mut cur, &mut next);
            std::mem::swap(&mut cur_c, &mut next_c);
            child_band = (lo, hi);
            let established = !full && converted_from <= limit;
            let scan_from = if established { converted_from } else { limit };
            converted_from = self.first_converted(
                i,
                lo,
                scan_from,
                established,
                spot_even,
                spot_odd,
                cur,
                cur_c,
            );
            if i <= 2 {
                // The results read nodes 0..=2 of levels 0 and 2: give the
                // implicitly converted ones their value.
                for j in converted_from.max(lo)..=hi {
                    cur[j] = self.conversion_value(spots[j], div);
                    cur_c[j] = 0.0;
                }
            }
            if i == 2 {
                value_after_two_steps = node_value(tf, cur, cur_c, 2);
            }
        }
        let spots0 = level_spots(spot_even, spot_odd, n, 0);
        let div0 = self.dividends_pv[0];
        if top < 2 {
            value_after_two_steps = node_value(tf, cur, cur_c, 1);
        }
        Rollback {
            values: [
                node_value(tf, cur, cur_c, 0),
                node_value(tf, cur, cur_c, 1),
                node_value(tf, cur, cur_c, 2),
            ],
            stocks: [spots0[0] + div0, spots0[1] + div0, spots0[2] + div0],
            stock,
            value_after_two_steps,
            dt: self.dt,
        }
    }

    /// The conversion value per 100 at a node with ex-dividend stock `spot`
    /// and dividends still to go worth `div`. Every path computes it with
    /// this one expression, so that "holds exactly its conversion value" is
    /// an exact comparison.
    #[inline]
    fn conversion_value(&self, spot: f64, div: f64) -> f64 {
        self.shares * spot + self.shares * div
    }

    /// The lowest index of level `i` from which every node holds exactly its
    /// conversion value with no cash part, scanning down from `from` (whose
    /// own region is `established`, or else `from` is the band's top);
    /// `usize::MAX` when there is no such region or it is not tracked.
    ///
    /// Once both children of a node are converted, its continuation is
    /// `shares × S × e^{−qΔt}` plus discounted dividends, never above its
    /// conversion value, so it converts too: the converted region propagates
    /// down the tree and need not be computed. That holds for TF and for the
    /// hazard-rate tree with zero recovery; with recovery the default leg
    /// can keep a node alive, and the region is not tracked.
    #[allow(clippy::too_many_arguments)]
    fn first_converted(
        &self,
        i: usize,
        lo: usize,
        from: usize,
        established: bool,
        even: &[f64],
        odd: &[f64],
        value: &[f64],
        cash: &[f64],
    ) -> usize {
        if self.default_leg != 0.0 || i < self.conversion_start_step {
            return usize::MAX;
        }
        let spots = level_spots(even, odd, self.steps, i);
        let div = self.dividends_pv[i];
        let tf = self.model == Model::TsiveriotisFernandes;
        let mut t = from;
        while t > lo {
            let j = t - 1;
            let converted =
                value[j] == self.conversion_value(spots[j], div) && (!tf || cash[j] == 0.0);
            if !converted {
                break;
            }
            t = j;
        }
        if t == from && !established {
            usize::MAX
        } else {
            t
        }
    }

    /// The TF continuation one step before maturity in closed form, for an
    /// ex-dividend stock price `s`: it replaces the binomial last step, whose
    /// all-or-nothing split of the note between cash and shares makes the
    /// plain tree oscillate with the step count.
    ///
    /// # Formula
    /// With `K = redemption / shares` and a lognormal step of length Δt:
    /// ```text
    /// d1 = (ln(s/K) + (r − q + σ²/2)Δt) / (σ√Δt),  d2 = d1 − σ√Δt
    /// equity = shares × s × e^{−qΔt} × N(d1)
    /// cash   = redemption × e^{−(r+s)Δt} × N(−d2)
    /// ```
    fn last_step_closed_form(&self, s: f64) -> (f64, f64) {
        let strike = self.redemption / self.shares;
        let v = self.sigma_sqrt_dt;
        let d1 = ((s / strike).ln() + self.drift * self.dt) / v + 0.5 * v;
        let d2 = d1 - v;
        (
            self.shares * s * self.dividend_discount * norm_cdf(d1),
            self.redemption * self.risky_discount * norm_cdf(-d2),
        )
    }

    /// The holder's and issuer's decisions at a node of step `i` with stock
    /// `s`, conversion value `conv` and continuation split into an equity
    /// part `e` and a cash part `c`. Returns the new `(equity, cash)` split.
    #[inline]
    ///
    /// - Call (live, and the continuation above the dirty call price): the
    ///   holder converts if the shares are worth at least the call price;
    ///   otherwise the value is capped at the call price, *scaled* over both
    ///   parts rather than moved wholly to cash. Moving it to cash makes the
    ///   cash part jump by the whole call price at the nodes just below the
    ///   conversion price, an error that does not shrink with the step count
    ///   (the base callable case swings between 94.8 and 98.4 per 100 as N
    ///   varies); with a constant call price the region where a call is paid
    ///   in cash vanishes as Δt → 0, so the scaled cap has the same limit.
    /// - Put: the value rises to the put price. The cash part takes the put
    ///   price over the share `put_share` of the node's cell in which the put
    ///   is exercised (see [`put_cell_share`]), not all-or-nothing, so that the
    ///   cash part's jump at the put boundary does not make the price
    ///   oscillate with the step count.
    /// - Conversion: when the shares are worth more, everything is equity.
    ///
    /// With `convert_share` (TF at a call date), a called node's cash part is
    /// the scaled one times the share of its cell *below* the forced-
    /// conversion level, rather than all or nothing, for the same reason as
    /// at a put.
    #[allow(clippy::too_many_arguments)]
    fn decide(
        &self,
        i: usize,
        s: f64,
        conv: f64,
        e: f64,
        c: f64,
        put_share: f64,
        convert_share: Option<f64>,
    ) -> (f64, f64) {
        let (mut e, mut c) = (e, c);
        let call = self.call_dirty[i];
        let hold = e + c;
        if hold > call && s >= self.call_trigger_stock[i] {
            let k = call / hold;
            let called = match convert_share {
                Some(w) => {
                    let v = self.forced_value(i, s, conv).unwrap_or(conv.max(call));
                    let cash = (1.0 - w) * c * k;
                    (v - cash, cash)
                }
                None => match self.forced_value(i, s, conv) {
                    Some(v) => (v, 0.0),
                    None => (e * k, c * k),
                },
            };
            (e, c) = self.opening_mean(i, s, (e, c), k, called);
        }
        let put = self.put_dirty[i];
        if put.is_finite() {
            let v = (e + c).max(put);
            let cash = put_share * put + (1.0 - put_share) * c;
            let cash = if e + c < put && put_share == 0.0 {
                put
            } else {
                cash
            };
            (e, c) = (v - cash, cash);
        }
        if conv > e + c {
            (e, c) = (conv, 0.0);
        }
        (e, c)
    }
}

impl Lattice {
    /// The nodes `range` of a TF call-only step `i` (no coupon, no put,
    /// conversion open) whose level spans `band`: the general update of
    /// [`Lattice::rollback`] and [`Lattice::decide`] fused into one pass,
    /// with the same arithmetic in the same order, so the same result.
    #[allow(clippy::too_many_arguments)]
    fn tf_call_step(
        &self,
        i: usize,
        band: (usize, usize),
        range: std::ops::RangeInclusive<usize>,
        spots: &[f64],
        div: f64,
        equity: &[f64],
        cash: &[f64],
        out_equity: &mut [f64],
        out_cash: &mut [f64],
    ) {
        let call = self.call_dirty[i];
        let trigger = self.call_trigger_stock[i];
        for j in range {
            let e = self.w_up * equity[j + 1] + self.w_down * equity[j];
            let c = self.wc_up * cash[j + 1] + self.wc_down * cash[j];
            let s = spots[j] + div;
            let conv = self.conversion_value(spots[j], div);
            let hold = e + c;
            let (e, c) = if hold > call && s >= trigger {
                let w = self.convert_share(i, spots, div, j, band);
                let cash = (1.0 - w) * c * (call / hold);
                let v = self.forced_value(i, s, conv).unwrap_or(conv.max(call));
                self.opening_mean(i, s, (e, c), call / hold, (v - cash, cash))
            } else {
                (e, c)
            };
            (out_equity[j], out_cash[j]) = if conv > e + c { (conv, 0.0) } else { (e, c) };
        }
    }

    /// The nodes `range` of a hazard-rate call-only step `i`: the general
    /// update and [`Lattice::decide`] fused, with the same arithmetic in the
    /// same order. The called value is capped at the call price, or is the
    /// conversion value when that is at least the call price.
    fn hazard_call_step(
        &self,
        i: usize,
        range: std::ops::RangeInclusive<usize>,
        spots: &[f64],
        div: f64,
        value: &[f64],
        out: &mut [f64],
    ) {
        let call = self.call_dirty[i];
        let trigger = self.call_trigger_stock[i];
        for j in range {
            let hold = self.w_up * value[j + 1] + self.w_down * value[j] + self.default_leg;
            let s = spots[j] + div;
            let conv = self.conversion_value(spots[j], div);
            let v = if hold > call && s >= trigger {
                let k = call / hold;
                let v = self.forced_value(i, s, conv).unwrap_or(hold * k);
                self.opening_mean(i, s, (hold, 0.0), k, (v, 0.0)).0
            } else {
                hold
            };
            out[j] = if conv > v { conv } else { v };
        }
    }

    /// The value of a called node of step `i` (stock `s`, conversion value
    /// `conv`) if the call forces conversion there, else `None`: from the
    /// barrier's layer up when it was moved onto one, else where the shares
    /// are worth at least the call price.
    #[inline]
    fn forced_value(&self, i: usize, s: f64, conv: f64) -> Option<f64> {
        let level = self.call_forced_stock[i];
        if level.is_nan() {
            (conv >= self.call_dirty[i]).then_some(conv)
        } else {
            (s >= level).then(|| conv.max(self.call_forced_value[i]))
        }
    }

    /// The outcome `called` of a called node of step `i` with stock `s` and
    /// continuation `(e, c)` (cap factor `k = call / hold`), or at the first
    /// step of a call window for a node on the barrier's layer, its mean
    /// with the outcome just below the barrier: the continuation itself
    /// under a soft call's trigger, else the continuation capped.
    #[inline]
    fn opening_mean(
        &self,
        i: usize,
        s: f64,
        (e, c): (f64, f64),
        k: f64,
        called: (f64, f64),
    ) -> (f64, f64) {
        let top = self.call_opening_top[i];
        if !(s < top && s >= self.call_forced_stock[i]) {
            return called;
        }
        let (e0, c0) = if self.call_opening_uncalled[i] {
            (e, c)
        } else {
            (e * k, c * k)
        };
        (0.5 * (e0 + called.0), 0.5 * (c0 + called.1))
    }

    /// The share of node `j`'s cell (of call step `i`, band `band`) in which
    /// the call forces conversion, for the TF split of a called node: 0 or 1
    /// when the barrier was moved onto a node layer, which is then exact;
    /// else interpolated from the forced-conversion gap at the node and its
    /// neighbours (see [`put_cell_share`]).
    fn convert_share(
        &self,
        i: usize,
        spots: &[f64],
        div: f64,
        j: usize,
        band: (usize, usize),
    ) -> f64 {
        let (lo, hi) = band;
        let f = self.call_forced_stock[i];
        if !f.is_nan() {
            return if spots[j] + div >= f { 1.0 } else { 0.0 };
        }
        let g = |k: usize| self.forced_gap(i, spots[k] + div);
        let here = g(j);
        let below = if j > lo { g(j - 1) } else { here };
        let above = if j < hi { g(j + 1) } else { here };
        put_cell_share(below, here, above)
    }

    /// How far a node with stock `s` at call step `i` is into the region
    /// where a call forces conversion (positive inside): the lesser of
    /// `conversion value − call price` and, for a soft call,
    /// `shares × (s − trigger level)`.
    fn forced_gap(&self, i: usize, s: f64) -> f64 {
        let conv_gap = self.shares * s - self.call_dirty[i];
        let trigger_gap = self.shares * (s - self.call_trigger_stock[i]);
        conv_gap.min(trigger_gap)
    }
}

/// The share of a node's cell (half-way to each neighbour, in log price) in
/// which a put is exercised, from `put − continuation` at the node below,
/// the node and the node above, interpolated linearly.
fn put_cell_share(below: f64, here: f64, above: f64) -> f64 {
    fn positive_share(a: f64, b: f64) -> f64 {
        match (a > 0.0, b > 0.0) {
            (true, true) => 1.0,
            (false, false) => 0.0,
            (true, false) => a / (a - b),
            (false, true) => b / (b - a),
        }
    }
    0.5 * (positive_share(0.5 * (below + here), here) + positive_share(here, 0.5 * (here + above)))
}

/// The standard normal distribution function.
///
/// # Formula
/// `N(x) = erfc(−x/√2) / 2`, with `erfc` from the Chebyshev fit of Numerical
/// Recipes (`erfcc`), fractional error below 1.2e-7 everywhere.
pub(crate) fn norm_cdf(x: f64) -> f64 {
    0.5 * erfc(-x * std::f64::consts::FRAC_1_SQRT_2)
}

fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

fn node_value(tf: bool, v: &[f64], c: &[f64], j: usize) -> f64 {
    if tf {
        v[j] + c[j]
    } else {
        v[j]
    }
}

/// The contiguous slice of stock prices (ex-dividend, `S*`) of level `i`.
fn level_spots<'a>(even: &'a [f64], odd: &'a [f64], n: usize, i: usize) -> &'a [f64] {
    let offset = (n - i) / 2;
    if (n - i) % 2 == 0 {
        &even[offset..]
    } else {
        &odd[offset..]
    }
}

/// One TF step with no coupon, call or put: the hot loop. Written over
/// equal-length slices with a branch-free select so that it vectorises.
#[allow(clippy::too_many_arguments)]
#[inline]
fn tf_step(
    w_up: f64,
    w_down: f64,
    wc_up: f64,
    wc_down: f64,
    shares: f64,
    conv_div: f64,
    spots: &[f64],
    equity: &[f64],
    cash: &[f64],
    out_equity: &mut [f64],
    out_cash: &mut [f64],
) {
    let m = out_equity.len();
    let (e_dn, e_up) = (&equity[..m], &equity[1..m + 1]);
    let (c_dn, c_up) = (&cash[..m], &cash[1..m + 1]);
    let spots = &spots[..m];
    let out_cash = &mut out_cash[..m];
    for j in 0..m {
        let e = w_up * e_up[j] + w_down * e_dn[j];
        let c = wc_up * c_up[j] + wc_down * c_dn[j];
        let conv = shares * spots[j] + conv_div;
        let convert = conv > e + c;
        out_equity[j] = if convert { conv } else { e };
        out_cash[j] = if convert { 0.0 } else { c };
    }
}

/// One hazard-rate step with no coupon, call or put.
#[allow(clippy::too_many_arguments)]
#[inline]
fn hazard_step(
    w_up: f64,
    w_down: f64,
    default_leg: f64,
    shares: f64,
    conv_div: f64,
    spots: &[f64],
    value: &[f64],
    out: &mut [f64],
) {
    let m = out.len();
    let (v_dn, v_up) = (&value[..m], &value[1..m + 1]);
    let spots = &spots[..m];
    for j in 0..m {
        let hold = w_up * v_up[j] + w_down * v_dn[j] + default_leg;
        let conv = shares * spots[j] + conv_div;
        out[j] = if conv > hold { conv } else { hold };
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

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
        }
    }

    fn input(spec: ConvertibleSpec) -> ConvertibleInput {
        ConvertibleInput::new(spec).unwrap()
    }

    fn field_of(spec: ConvertibleSpec) -> String {
        ConvertibleInput::new(spec)
            .unwrap_err()
            .field()
            .unwrap_or_default()
            .to_string()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn bad_inputs_are_refused_naming_the_field() {
        type Change = Box<dyn Fn(&mut ConvertibleSpec)>;
        let cases: Vec<(&str, Change)> = vec![
            (
                "maturity_date",
                Box::new(|s| s.maturity_date = s.valuation_date),
            ),
            ("volatility", Box::new(|s| s.volatility = 0.0)),
            ("volatility", Box::new(|s| s.volatility = 5.01)),
            ("volatility", Box::new(|s| s.volatility = f64::NAN)),
            ("credit_spread", Box::new(|s| s.credit_spread = -0.001)),
            ("recovery_rate", Box::new(|s| s.recovery_rate = 1.0)),
            ("recovery_rate", Box::new(|s| s.recovery_rate = -0.1)),
            ("stock_price", Box::new(|s| s.stock_price = f64::INFINITY)),
            ("steps", Box::new(|s| s.steps = Some(MAX_STEPS + 1))),
            ("steps", Box::new(|s| s.steps = Some(2))),
            ("coupon_frequency", Box::new(|s| s.coupon_frequency = 3)),
            (
                "conversion_start_date",
                Box::new(|s| s.conversion_start_date = Some(date(2033, 1, 1))),
            ),
            (
                "call_schedule[0].to_date",
                Box::new(|s| {
                    s.call_schedule = vec![CallPeriod {
                        from_date: date(2028, 12, 15),
                        to_date: date(2033, 1, 1),
                        price_per_100: 100.0,
                        trigger: None,
                    }]
                }),
            ),
            (
                "put_schedule[0].date",
                Box::new(|s| {
                    s.put_schedule = vec![PutDate {
                        date: date(2024, 1, 1),
                        price_per_100: 100.0,
                    }]
                }),
            ),
            (
                "dividends[0].ex_date",
                Box::new(|s| {
                    s.dividends = vec![CashDividend {
                        ex_date: s.valuation_date,
                        amount: 0.1,
                    }]
                }),
            ),
            (
                "stock_price",
                Box::new(|s| {
                    s.dividends = vec![CashDividend {
                        ex_date: date(2026, 6, 1),
                        amount: 20.0,
                    }]
                }),
            ),
        ];
        for (field, change) in cases {
            let mut spec = base_spec();
            change(&mut spec);
            assert_eq!(field_of(spec), field);
        }
    }

    #[test]
    fn the_hazard_rate_model_refuses_a_volatility_below_the_root_of_the_hazard_rate() {
        // h = 0.05 / (1 − 0.5) = 0.1 > σ² = 0.09.
        let mut spec = base_spec();
        spec.model = Model::HazardRate;
        spec.volatility = 0.3;
        spec.recovery_rate = 0.5;
        let input = input(spec);
        let err = Lattice::build(&input, input.market(), 1000, 15.03).unwrap_err();
        assert_eq!(err.field(), Some("volatility"));
    }

    #[test]
    fn steps_are_refined_until_the_probabilities_are_in_the_unit_interval() {
        // r = 1, σ = 0.05, T ≈ 7: p ≤ 1 needs r√Δt ≤ σ, i.e. N ≥ 7 × 400 = 2,802.
        let mut spec = base_spec();
        spec.risk_free_rate = 1.0;
        spec.volatility = 0.05;
        spec.credit_spread = 0.0;
        let input = input(spec.clone());
        let lattice = Lattice::build(&input, input.market(), 1000, 15.03).unwrap();
        assert_eq!(lattice.steps(), 4000);
        // σ = 0.005 would need 280,000 steps: refused, naming `steps`.
        spec.volatility = 0.005;
        let input = self::input(spec);
        let err = Lattice::build(&input, input.market(), 1000, 15.03).unwrap_err();
        assert_eq!(err.field(), Some("steps"));
    }

    #[test]
    fn aligned_steps_put_the_exercise_dates_on_or_near_steps() {
        // A 2,557-day life; a call window from day 1,096, a put on day 1,461.
        let years = 2557.0 / 365.0;
        let gap = |times: &[f64], n: usize| {
            times
                .iter()
                .map(|t| (t / years * n as f64 - (t / years * n as f64).round()).abs())
                .fold(0.0, f64::max)
        };
        // 1,096 / 2,557 is within 0.0002 of 3/7, so N·t/T comes near an
        // integer only every 7 steps, by 0.0504 at best within 900..=1000.
        let one = [1096.0 / 365.0];
        assert!(gap(&one, 1000) > 0.3);
        let n = align_steps(1000, &one, years);
        assert!(gap(&one, n) < 0.051, "{n}: {}", gap(&one, n));
        let one = [365.0 / 365.0];
        let n = align_steps(1000, &one, years);
        assert!(gap(&one, n) <= ALIGN_TOLERANCE, "{n}: {}", gap(&one, n));
        assert!((900..=1000).contains(&n), "{n}");
        // Both dates on a step needs N a multiple of 2,557: the nearest best.
        let two = [1096.0 / 365.0, 1461.0 / 365.0];
        let n = align_steps(1000, &two, years);
        assert!(gap(&two, n) <= gap(&two, 1000), "{n}: {}", gap(&two, n));
        assert!((900..=1000).contains(&n), "{n}");
        assert_eq!(align_steps(1000, &[], years), 1000);
    }

    #[test]
    fn the_tree_is_centred_so_that_a_soft_call_trigger_lies_on_a_node_layer() {
        let mut spec = base_spec();
        spec.call_schedule = vec![CallPeriod {
            from_date: date(2028, 12, 15),
            to_date: date(2032, 12, 15),
            price_per_100: 100.0,
            trigger: Some(1.3),
        }];
        let input = input(spec);
        let lattice = Lattice::build(&input, input.market(), 1000, 15.03).unwrap();
        let trigger = 1.3 * 19.16;
        // The centre moves by at most half a spacing: u^{±1/2}.
        let half = lattice.up.sqrt();
        assert!(lattice.centre_factor <= half && lattice.centre_factor >= 1.0 / half);
        let i = lattice.steps() / 2;
        let level = lattice.call_forced_stock[i];
        assert!((level / trigger - 1.0).abs() < 1e-8, "{level} vs {trigger}");
        let layer = (level / (15.03 * lattice.centre_factor)).ln() / lattice.up.ln();
        assert!((layer - layer.round()).abs() < 1e-6, "{layer}");
        // Paid the conversion value at the trigger: 100/19.16 × 1.3 × 19.16 = 130.
        assert!((lattice.call_forced_value[i] - 130.0).abs() < 1e-9);
        // A call window running to maturity keeps the closed-form last step.
        assert!(lattice.smooth);
    }

    #[test]
    fn a_note_without_a_call_is_centred_on_todays_price() {
        let input = input(base_spec());
        let lattice = Lattice::build(&input, input.market(), 1000, 15.03).unwrap();
        assert_eq!(lattice.centre_factor, 1.0);
        let tree = lattice.rollback(15.03, &mut Workspace::default());
        assert_eq!(tree.stocks[1], 15.03);
        assert_eq!(tree.price(), tree.values[1]);
    }

    #[test]
    fn the_put_share_of_a_cell_follows_the_sign_of_the_gap() {
        assert_eq!(put_cell_share(1.0, 1.0, 1.0), 1.0);
        assert_eq!(put_cell_share(-1.0, -1.0, -1.0), 0.0);
        // Gap falling through 0 exactly at the node: half the cell is put.
        assert!((put_cell_share(1.0, 0.0, -1.0) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn the_normal_distribution_matches_its_table() {
        // Abramowitz & Stegun table 26.1: N(1.96) = 0.9750021, N(−1) = 0.1586553.
        assert!((norm_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((norm_cdf(1.96) - 0.975_002_1).abs() < 1e-7);
        assert!((norm_cdf(-1.0) - 0.158_655_3).abs() < 1e-7);
    }

    #[test]
    fn the_lattice_discounts_each_dividend_from_its_own_ex_date() {
        // Two dividends of 0.5: PV = 0.5·e^{−0.04·t1} + 0.5·e^{−0.04·t2},
        // t1 = 168/365 (2026-06-01), t2 = 533/365 (2027-06-01).
        let mut spec = base_spec();
        spec.dividends = vec![
            CashDividend {
                ex_date: date(2026, 6, 1),
                amount: 0.5,
            },
            CashDividend {
                ex_date: date(2027, 6, 1),
                amount: 0.5,
            },
        ];
        let want = 0.5 * (-0.04f64 * 168.0 / 365.0).exp() + 0.5 * (-0.04f64 * 533.0 / 365.0).exp();
        let input = input(spec);
        assert!((input.dividends_pv() - want).abs() < 1e-12);
        let lattice = Lattice::build(&input, input.market(), 1000, 15.03).unwrap();
        assert!((lattice.dividends_pv0 - want).abs() < 1e-12);
        // After the second ex-date nothing is left to pay.
        assert_eq!(*lattice.dividends_pv.last().unwrap(), 0.0);
    }
}
