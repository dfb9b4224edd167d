//! Fair value, greeks, convergence diagnostic and price profile of a
//! convertible note, on the lattice of [`super::lattice`].
//!
//! All money figures are per 100 of face; multiply by `face / 100` for one note.

use super::lattice::{ConvertibleInput, Lattice, Market, Model, Workspace, MAX_AMOUNT};
use super::schedule::DAYS_PER_YEAR;
use crate::error::{AtField, CoreError, ValueError};
use crate::num::positive_f64;
use crate::Result;

/// Volatility bump for vega: one vol point (0.01), central.
pub const VEGA_BUMP: f64 = 0.01;
/// Rate and spread bump for rho and CS01: one basis point (0.0001), central.
pub const BP_BUMP: f64 = 0.0001;
/// Under [`Model::TsiveriotisFernandes`], vega is bumped on a tree of the
/// price's steps divided by this (the half-step tree of the convergence
/// diagnostic, whose price it reuses).
///
/// Each greek is bumped at the steps its own accuracy needs, not the
/// price's: a rollback costs about `steps^1.5`, so a tree of half the steps
/// costs 0.35 of one at the price's, and a quarter 0.125. On the
/// soft-callable CleanSpark note (share price $8 to $26), against a
/// 20,000-step central bump, vega is within 0.21% at half the steps (0.13%
/// at the full steps) and rho and CS01 within 0.11% at a quarter (0.024%);
/// on the plain note at 1,000 steps, within 0.1% at both: see
/// `bench/RESULTS.md`. The hazard-rate tree's bumps are noisier (its
/// spacing follows `σ² − h`, which both the volatility and the spread
/// move): at half the steps vega was up to 1.1% off, against 0.34% at the
/// full steps, so under [`Model::HazardRate`] every bump stays on a tree of
/// the price's steps.
pub const VEGA_STEPS_DIVISOR: usize = 2;
/// Under [`Model::TsiveriotisFernandes`], rho and CS01 are bumped on a tree
/// of the price's steps divided by this (see [`VEGA_STEPS_DIVISOR`]).
pub const RATE_STEPS_DIVISOR: usize = 4;
/// A bumped tree has at least this many steps, or the price's steps when
/// they are fewer.
pub const MIN_BUMP_STEPS: usize = 250;

/// The most stock prices in one profile.
pub const MAX_PROFILE_POINTS: usize = 500;
/// The most `points × steps^1.5` in one profile (e.g. 500 points at 2,000
/// steps, 45 at 10,000, 15 at 20,000), which bounds its run time.
///
/// A rollback computes a band of ±6 standard deviations, about `6√i` nodes
/// at level `i`, so its cost grows like `steps^1.5`, not `steps`: the
/// earlier cap of 1,000,000 `points × steps` let 50 points at 20,000 steps
/// take a second on one core, 30 times the 500 points at 2,000 steps it
/// also allowed. This cap keeps the worst profile near half a second.
pub const MAX_PROFILE_WORK: f64 = 45_000_000.0;

/// Sensitivities of the price, per 100 of face.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Greeks {
    /// dV/dS per 100 of face per USD 1 of share price, from the three tree
    /// nodes on the valuation date (`C·u⁻²`, `C`, `C·u²`, with `C` today's
    /// price moved by up to half a spacing for a callable note): their chord
    /// slope, moved to today's price with the gamma.
    pub delta_per_100: f64,
    /// Delta as a fraction of the conversion shares: `delta_per_100 /
    /// shares_per_100`, in `[0, 1]` for a plain note.
    pub delta_share_fraction: f64,
    /// d²V/dS² per 100 of face per USD² of share price, from the same nodes.
    pub gamma_per_100: f64,
    /// Price change per vol point: `(V(σ + 0.01) − V(σ − 0.01)) / 2`
    /// (one-sided when σ − 0.01 is out of the model's range), on trees of
    /// half the price's steps under TF ([`VEGA_STEPS_DIVISOR`]).
    pub vega_per_100: f64,
    /// Price change per calendar day at an unchanged stock price, from the
    /// tree: `(V(2Δt, C) − V(0, C)) / (2Δt × 365)` at the centre node `C`.
    pub theta_per_100_per_day: f64,
    /// Price change per basis point of risk-free rate, central bump, on
    /// trees of a quarter of the price's steps under TF
    /// ([`RATE_STEPS_DIVISOR`]).
    pub rho_per_100_per_bp: f64,
    /// Price change per basis point of credit spread, central bump (one-sided
    /// at a spread below 1 bp), on trees of a quarter of the price's steps
    /// under TF ([`RATE_STEPS_DIVISOR`]). Negative: a wider spread
    /// lowers the price.
    pub cs01_per_100_per_bp: f64,
}

/// How far the price at the used step count may be from the converged one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Convergence {
    /// The price at half the steps, per 100.
    pub price_at_half_steps_per_100: f64,
    /// `V(N) − V(N/2)`, per 100: for a lattice whose error falls like 1/N,
    /// the error of `V(N)` is about this large.
    pub change_from_half_steps_per_100: f64,
    /// The Richardson estimate of the converged price, `2V(N) − V(N/2)`, per 100.
    pub richardson_price_per_100: f64,
}

/// The fair value of a note and its analytics.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Valuation {
    /// The model used.
    pub model: Model,
    /// The lattice steps used (the request's, or more when the hazard-rate
    /// tree needed refining to keep its probabilities in `[0, 1]`).
    pub steps: usize,
    /// Fair value per 100 of face, dirty.
    pub price_per_100: f64,
    /// Fair value per 100 of face, clean (dirty − accrued).
    pub clean_price_per_100: f64,
    /// Accrued interest on the valuation date per 100 of face.
    pub accrued_per_100: f64,
    /// The remaining cash flows discounted at `r + s`, per 100 of face.
    pub bond_floor_per_100: f64,
    /// Parity: conversion shares × share price, per 100 of face.
    pub conversion_value_per_100: f64,
    /// `price / parity − 1` (dirty price).
    pub premium_to_parity: f64,
    /// `price / bond floor − 1` (dirty price).
    pub premium_to_bond_floor: f64,
    /// Sensitivities.
    pub greeks: Greeks,
    /// Convergence diagnostic.
    pub convergence: Convergence,
}

/// The lattice price per 100 of face, dirty, with nothing else.
pub fn fair_value_per_100(input: &ConvertibleInput) -> Result<f64> {
    let stock = input.spec().stock_price;
    let lattice = Lattice::build(input, input.market(), input.steps(), stock)?;
    Ok(lattice.rollback(stock, &mut Workspace::default()).price())
}

pub(crate) fn price_at(input: &ConvertibleInput, m: Market, ws: &mut Workspace) -> Result<f64> {
    price_at_steps(input, m, input.steps(), ws)
}

fn price_at_steps(
    input: &ConvertibleInput,
    m: Market,
    steps: usize,
    ws: &mut Workspace,
) -> Result<f64> {
    let stock = input.spec().stock_price;
    let lattice = Lattice::build(input, m, steps, stock)?;
    Ok(lattice.rollback(stock, ws).price())
}

/// The steps of a bumped tree under `model`: the price's `steps` divided by
/// `divisor` for [`Model::TsiveriotisFernandes`], but at least
/// [`MIN_BUMP_STEPS`] (or `steps` when fewer); `steps` for
/// [`Model::HazardRate`].
fn bump_steps(model: Model, steps: usize, divisor: usize) -> usize {
    match model {
        Model::TsiveriotisFernandes => (steps / divisor).max(MIN_BUMP_STEPS.min(steps)),
        Model::HazardRate => steps,
    }
}

/// The price change for one bump on trees of `steps`: `(V(up) − V(down)) /
/// 2`, or `V(up) − V(0)` when there is no valid `down` market, with `V(0)`
/// taken from `base` when given (the unbumped price at those steps).
fn bump_change(
    input: &ConvertibleInput,
    ws: &mut Workspace,
    steps: usize,
    base: Option<f64>,
    up: Market,
    down: Option<Market>,
) -> Result<f64> {
    let up_price = price_at_steps(input, up, steps, ws)?;
    if let Some(down) = down {
        if let Ok(down_price) = price_at_steps(input, down, steps, ws) {
            return Ok((up_price - down_price) / 2.0);
        }
    }
    let base = match base {
        Some(base) => base,
        None => price_at_steps(input, input.market(), steps, ws)?,
    };
    Ok(up_price - base)
}

/// Fair value, greeks and convergence diagnostic of a convertible note.
///
/// # Formula
/// The price is the lattice value at the valuation date (see
/// [`super::lattice`] for the models and conventions);
/// ```text
/// clean = dirty − accrued
/// premium_to_parity     = dirty / (shares_per_100 × S) − 1
/// premium_to_bond_floor = dirty / bond_floor − 1
/// ```
/// Greeks are documented on [`Greeks`]; the diagnostic on [`Convergence`].
/// Cost under [`Model::TsiveriotisFernandes`]: one rollback at the price's
/// steps, three at half of them (the diagnostic and vega) and four at a
/// quarter (rho and CS01), about 2.6 rollbacks at the price's steps (7.4
/// when every bump was at the price's, as it still is under
/// [`Model::HazardRate`]).
///
/// # Example
/// ```
/// use infraval_core::convertible::lattice::*;
/// use infraval_core::convertible::pricing::price;
/// use infraval_core::convertible::schedule::DayCount;
/// use chrono::NaiveDate;
///
/// let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let input = ConvertibleInput::new(ConvertibleSpec {
///     face: 1000.0,
///     issue_date: date(2025, 12, 15),
///     maturity_date: date(2032, 12, 15),
///     valuation_date: date(2025, 12, 15),
///     coupon_rate: 0.0,
///     coupon_frequency: 0,
///     coupon_day_count: DayCount::Act365F,
///     conversion_rate_per_1000: 52.1832,
///     conversion_start_date: None,
///     stock_price: 15.03,
///     volatility: 0.6,
///     risk_free_rate: 0.04,
///     credit_spread: 0.05,
///     dividend_yield: 0.0,
///     dividends: vec![],
///     call_schedule: vec![],
///     put_schedule: vec![],
///     model: Model::TsiveriotisFernandes,
///     recovery_rate: 0.0,
///     steps: None,
///     contract: Default::default(),
/// })
/// .unwrap();
/// let v = price(&input).unwrap();
/// assert!(v.price_per_100 > v.conversion_value_per_100);
/// assert!(v.price_per_100 > v.bond_floor_per_100);
/// ```
pub fn price(input: &ConvertibleInput) -> Result<Valuation> {
    let spec = input.spec();
    let market = input.market();
    let lattice = Lattice::build(input, market, input.steps(), spec.stock_price)?;
    let steps = lattice.steps();
    let mut ws = Workspace::default();
    let tree = lattice.rollback(spec.stock_price, &mut ws);
    let price = tree.price();

    let half_steps = (steps / 2).max(1);
    let price_half = price_at_steps(input, market, half_steps, &mut ws)?;

    let min_vol = match spec.model {
        Model::TsiveriotisFernandes => f64::MIN_POSITIVE,
        Model::HazardRate => {
            (spec.credit_spread / (1.0 - spec.recovery_rate)).sqrt() + f64::EPSILON
        }
    };
    let vol = market.volatility;
    let vega_steps = bump_steps(spec.model, steps, VEGA_STEPS_DIVISOR);
    let vega = bump_change(
        input,
        &mut ws,
        vega_steps,
        if vega_steps == half_steps {
            Some(price_half)
        } else {
            (vega_steps == steps).then_some(price)
        },
        Market {
            volatility: vol + VEGA_BUMP,
            ..market
        },
        (vol - VEGA_BUMP >= min_vol).then_some(Market {
            volatility: vol - VEGA_BUMP,
            ..market
        }),
    )?;
    let rate_steps = bump_steps(spec.model, steps, RATE_STEPS_DIVISOR);
    let rate = market.risk_free_rate;
    let rho = bump_change(
        input,
        &mut ws,
        rate_steps,
        (rate_steps == steps).then_some(price),
        Market {
            risk_free_rate: rate + BP_BUMP,
            ..market
        },
        Some(Market {
            risk_free_rate: rate - BP_BUMP,
            ..market
        }),
    )?;
    let spread = market.credit_spread;
    let cs01 = bump_change(
        input,
        &mut ws,
        rate_steps,
        (rate_steps == steps).then_some(price),
        Market {
            credit_spread: spread + BP_BUMP,
            ..market
        },
        (spread >= BP_BUMP).then_some(Market {
            credit_spread: spread - BP_BUMP,
            ..market
        }),
    )?;

    let shares = input.conversion_shares_per_100();
    let delta = tree.delta();
    let accrued = input.accrued_per_100();
    let floor = input.bond_floor_per_100();
    let parity = shares * spec.stock_price;
    let valuation = Valuation {
        model: spec.model,
        steps,
        price_per_100: price,
        clean_price_per_100: price - accrued,
        accrued_per_100: accrued,
        bond_floor_per_100: floor,
        conversion_value_per_100: parity,
        premium_to_parity: price / parity - 1.0,
        premium_to_bond_floor: price / floor - 1.0,
        greeks: Greeks {
            delta_per_100: delta,
            delta_share_fraction: delta / shares,
            gamma_per_100: tree.gamma(),
            vega_per_100: vega,
            theta_per_100_per_day: tree.change_over_two_steps() / (2.0 * tree.dt * DAYS_PER_YEAR),
            rho_per_100_per_bp: rho,
            cs01_per_100_per_bp: cs01,
        },
        convergence: Convergence {
            price_at_half_steps_per_100: price_half,
            change_from_half_steps_per_100: price - price_half,
            richardson_price_per_100: 2.0 * price - price_half,
        },
    };
    finite_or_error(&valuation)?;
    Ok(valuation)
}

fn finite_or_error(v: &Valuation) -> Result<()> {
    let g = &v.greeks;
    let all = [
        v.price_per_100,
        v.clean_price_per_100,
        v.bond_floor_per_100,
        v.conversion_value_per_100,
        v.premium_to_parity,
        v.premium_to_bond_floor,
        g.delta_per_100,
        g.gamma_per_100,
        g.vega_per_100,
        g.theta_per_100_per_day,
        g.rho_per_100_per_bp,
        g.cs01_per_100_per_bp,
        v.convergence.price_at_half_steps_per_100,
    ];
    if all.iter().all(|x| x.is_finite()) {
        Ok(())
    } else {
        Err(CoreError::Overflow {
            quantity: "convertible price",
        })
    }
}

/// A price profile: the lattice steps used and one point per share price.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// The lattice steps used: the request's, moved to bring call and put
    /// dates onto steps, or more where the hazard-rate tree needed them.
    /// Every point's tree has the same steps.
    pub steps: usize,
    /// One point per share price, in the order given.
    pub points: Vec<ProfilePoint>,
}

/// The work of a profile, `points × steps^1.5`, compared with
/// [`MAX_PROFILE_WORK`].
fn profile_work(points: usize, steps: usize) -> f64 {
    let steps = steps as f64;
    points as f64 * steps * steps.sqrt()
}

/// Checks the `i`th share price of a profile: finite, positive, at most
/// [`MAX_AMOUNT`] and above the dividends' present value, naming
/// `stock_prices[i]`.
pub(crate) fn check_profile_price(input: &ConvertibleInput, i: usize, s: f64) -> Result<()> {
    let field = format!("stock_prices[{i}]");
    let s = positive_f64(s).at(field.as_str())?;
    if s > MAX_AMOUNT {
        return Err(CoreError::invalid(
            field,
            ValueError::AboveMaximum {
                bound: MAX_AMOUNT,
                value: s,
            },
        ));
    }
    input.check_stock_above_dividends(s, &field)
}

/// One point of a price profile.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProfilePoint {
    /// The share price, USD.
    pub stock_price: f64,
    /// Fair value per 100 of face, dirty.
    pub price_per_100: f64,
    /// The bond floor per 100 of face (the same at every share price).
    pub bond_floor_per_100: f64,
    /// Parity per 100 of face.
    pub conversion_value_per_100: f64,
    /// dV/dS per 100 of face per USD 1, from the tree.
    pub delta_per_100: f64,
}

/// The note's price, bond floor, parity and delta at each of `stock_prices`.
///
/// The lattice's per-step data (probabilities, discounting, coupon, call and
/// put schedules) is built once and rolled back for each price, reusing one
/// set of node buffers; each point costs one rollback.
///
/// # Errors
/// More than 500 prices, or `prices × steps^1.5` above 45,000,000
/// ([`MAX_PROFILE_WORK`]), or a price that
/// is not finite, not positive, above 1e9 or not above the dividends' present
/// value, names `stock_prices` (with the index).
pub fn profile(input: &ConvertibleInput, stock_prices: &[f64]) -> Result<Profile> {
    if stock_prices.len() > MAX_PROFILE_POINTS {
        return Err(CoreError::invalid(
            "stock_prices",
            ValueError::TooLong {
                len: stock_prices.len(),
                cap: MAX_PROFILE_POINTS,
            },
        ));
    }
    if stock_prices.is_empty() {
        return Err(CoreError::invalid("stock_prices", ValueError::Empty));
    }
    if profile_work(stock_prices.len(), input.steps()) > MAX_PROFILE_WORK {
        return Err(CoreError::Inconsistent {
            field: "stock_prices".into(),
            reason: "the number of prices times steps^1.5 must be at most 45,000,000 \
                     (e.g. 500 prices at 2,000 steps, 45 at 10,000, 15 at 20,000)",
        });
    }
    for (i, &s) in stock_prices.iter().enumerate() {
        check_profile_price(input, i, s)?;
    }
    // With a call, the tree is centred so that the call barrier lies on a
    // node layer for each stock price, so each point needs its own per-step
    // data; without one, the data is built once and shared.
    let has_call = !input.spec().call_schedule.is_empty();
    let shared = Lattice::build(input, input.market(), input.steps(), stock_prices[0])?;
    let floor = input.bond_floor_per_100();
    let shares = input.conversion_shares_per_100();
    let mut ws = Workspace::default();
    let points = stock_prices
        .iter()
        .map(|&s| {
            let tree = if has_call {
                Lattice::build(input, input.market(), input.steps(), s)?.rollback(s, &mut ws)
            } else {
                shared.rollback(s, &mut ws)
            };
            let point = ProfilePoint {
                stock_price: s,
                price_per_100: tree.price(),
                bond_floor_per_100: floor,
                conversion_value_per_100: shares * s,
                delta_per_100: tree.delta(),
            };
            if point.price_per_100.is_finite() && point.delta_per_100.is_finite() {
                Ok(point)
            } else {
                Err(CoreError::Overflow {
                    quantity: "convertible profile",
                })
            }
        })
        .collect::<Result<_>>()?;
    Ok(Profile {
        steps: shared.steps(),
        points,
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use proptest::prelude::*;

    use approx::{abs_diff_eq, assert_abs_diff_eq, assert_relative_eq};

    use super::*;
    use crate::convertible::lattice::tests::base_spec;
    use crate::convertible::lattice::{CallPeriod, CashDividend, ConvertibleSpec, PutDate};
    use crate::tolerance::{
        CONVERGED_PER_100_ABS, CS01_REPRICE_REL, DELTA_FINITE_DIFFERENCE_REL, F64_ROUNDING_ABS,
        OPTION_WORTHLESS_PER_100_ABS, THETA_FOUR_WEEKS_PER_100_ABS, THETA_ONE_DAY_PER_100_ABS,
        ZERO_SPREAD_PER_100_ABS,
    };

    /// Steps for the property tests, which run many prices in debug builds.
    const PROPTEST_STEPS: usize = 200;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn value(spec: ConvertibleSpec) -> f64 {
        fair_value_per_100(&ConvertibleInput::new(spec).unwrap()).unwrap()
    }

    #[test]
    fn with_no_credit_spread_the_two_models_agree() {
        // Reference file, case zero_spread: every model gives 121.12 ± 0.01.
        let mut spec = base_spec();
        spec.credit_spread = 0.0;
        let tf = value(spec.clone());
        spec.model = Model::HazardRate;
        let hazard = value(spec);
        assert_abs_diff_eq!(tf, hazard, epsilon = CONVERGED_PER_100_ABS);
        assert_abs_diff_eq!(tf, 121.12, epsilon = ZERO_SPREAD_PER_100_ABS);
    }

    #[test]
    fn the_base_case_reports_consistent_analytics() {
        let v = price(&ConvertibleInput::new(base_spec()).unwrap()).unwrap();
        let shares = 1000.0 / 19.16 / 10.0;
        assert_eq!(v.steps, 1000);
        assert_eq!(v.clean_price_per_100, v.price_per_100);
        assert_abs_diff_eq!(
            v.conversion_value_per_100,
            shares * 15.03,
            epsilon = F64_ROUNDING_ABS
        );
        assert!(v.greeks.delta_per_100 > 0.0 && v.greeks.delta_per_100 < shares);
        assert!(v.greeks.gamma_per_100 > 0.0);
        assert!(v.greeks.vega_per_100 > 0.0);
        assert!(v.greeks.cs01_per_100_per_bp < 0.0);
        assert_abs_diff_eq!(
            v.convergence.change_from_half_steps_per_100,
            0.0,
            epsilon = CONVERGED_PER_100_ABS
        );
        // The tree delta agrees with a finite difference of repriced notes.
        let bumped = |s: f64| {
            let mut spec = base_spec();
            spec.stock_price = s;
            value(spec)
        };
        let fd = (bumped(15.03 * 1.01) - bumped(15.03 * 0.99)) / (0.02 * 15.03);
        assert_relative_eq!(
            v.greeks.delta_per_100,
            fd,
            max_relative = DELTA_FINITE_DIFFERENCE_REL
        );
        // CS01 agrees with a 10 bp reprice.
        let mut wide = base_spec();
        wide.credit_spread += 0.001;
        let cs = (value(wide) - v.price_per_100) / 10.0;
        assert_relative_eq!(
            v.greeks.cs01_per_100_per_bp,
            cs,
            max_relative = CS01_REPRICE_REL
        );
    }

    #[test]
    fn theta_matches_a_one_day_later_valuation() {
        let v = price(&ConvertibleInput::new(base_spec()).unwrap()).unwrap();
        let mut later = base_spec();
        later.valuation_date = date(2025, 12, 16);
        let one_day = value(later) - v.price_per_100;
        assert_abs_diff_eq!(
            v.greeks.theta_per_100_per_day,
            one_day,
            epsilon = THETA_ONE_DAY_PER_100_ABS
        );
    }

    #[test]
    fn theta_of_callable_notes_matches_a_four_week_later_valuation() {
        // The callable tree is centred up to half a spacing off today's
        // price: theta must compare values at one stock price (it read 0.197
        // per day for the soft call when it mixed the two).
        let soft = CallPeriod {
            from_date: date(2028, 12, 15),
            to_date: date(2032, 12, 15),
            price_per_100: 100.0,
            trigger: Some(1.3),
            test: None,
        };
        let hard = CallPeriod {
            from_date: date(2026, 12, 15),
            trigger: None,
            test: None,
            ..soft
        };
        let put = PutDate {
            date: date(2029, 12, 15),
            price_per_100: 100.0,
        };
        let mut failures = Vec::new();
        for (name, calls, puts) in [
            ("hard call", vec![hard], vec![]),
            ("soft call", vec![soft], vec![]),
            ("soft call + put", vec![soft], vec![put]),
        ] {
            let mut spec = base_spec();
            spec.call_schedule = calls;
            spec.put_schedule = puts;
            let v = price(&ConvertibleInput::new(spec.clone()).unwrap()).unwrap();
            // Four weeks, so that the lattice's own noise (a few thousandths
            // per 100 either way) moves the difference per day little.
            spec.valuation_date = date(2026, 1, 12);
            spec.issue_date = spec.valuation_date;
            let per_day = (value(spec) - v.price_per_100) / 28.0;
            let theta = v.greeks.theta_per_100_per_day;
            if !abs_diff_eq!(theta, per_day, epsilon = THETA_FOUR_WEEKS_PER_100_ABS) {
                failures.push(format!(
                    "{name}: theta {theta:.5} vs {per_day:.5} a day over four weeks"
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn a_call_lowers_and_a_put_raises_the_price() {
        let plain = value(base_spec());
        let mut callable = base_spec();
        callable.call_schedule = vec![CallPeriod {
            from_date: date(2028, 12, 15),
            to_date: date(2032, 12, 15),
            price_per_100: 100.0,
            trigger: None,
            test: None,
        }];
        let hard = value(callable.clone());
        callable.call_schedule[0].trigger = Some(1.3);
        let soft = value(callable);
        let mut putable = base_spec();
        putable.put_schedule = vec![PutDate {
            date: date(2028, 12, 15),
            price_per_100: 100.0,
        }];
        let put = value(putable);
        assert!(
            hard < soft && soft < plain && plain < put,
            "{hard} {soft} {plain} {put}"
        );
    }

    #[test]
    fn a_cash_dividend_lowers_the_price_and_a_late_conversion_start_does_not_raise_it() {
        let plain = value(base_spec());
        let mut dividend = base_spec();
        dividend.dividends = vec![CashDividend {
            ex_date: date(2027, 6, 1),
            amount: 1.0,
        }];
        assert!(value(dividend) < plain);
        let mut late = base_spec();
        late.conversion_start_date = Some(date(2030, 12, 15));
        assert!(value(late) <= plain + 1e-9);
    }

    #[test]
    fn a_deep_out_of_the_money_note_is_worth_its_bond_floor() {
        let mut spec = base_spec();
        // S = 0.01 is ln(1916) / (0.6 × √7) ≈ 4.7 standard deviations below
        // the conversion price: the option is worth less than 1e-4 per 100.
        spec.stock_price = 0.01;
        let input = ConvertibleInput::new(spec).unwrap();
        let v = fair_value_per_100(&input).unwrap();
        assert_abs_diff_eq!(
            v,
            input.bond_floor_per_100(),
            epsilon = OPTION_WORTHLESS_PER_100_ABS
        );
    }

    #[test]
    fn the_profile_reuses_one_lattice_and_matches_single_prices() {
        let input = ConvertibleInput::new(base_spec()).unwrap();
        let stocks = [5.0, 10.0, 15.03, 25.0, 40.0];
        let points = profile(&input, &stocks).unwrap().points;
        for (point, &s) in points.iter().zip(&stocks) {
            let mut spec = base_spec();
            spec.stock_price = s;
            assert_abs_diff_eq!(point.price_per_100, value(spec), epsilon = F64_ROUNDING_ABS);
        }
        assert!(points
            .windows(2)
            .all(|w| w[1].price_per_100 > w[0].price_per_100));
        let too_many = vec![10.0; MAX_PROFILE_POINTS + 1];
        assert_eq!(
            profile(&input, &too_many).unwrap_err().field(),
            Some("stock_prices")
        );
        assert_eq!(
            profile(&input, &[10.0, -1.0]).unwrap_err().field(),
            Some("stock_prices[1]")
        );
    }

    #[test]
    fn the_profile_work_cap_allows_its_examples_and_refuses_one_more_point() {
        let at = |steps: usize| {
            let mut spec = base_spec();
            spec.steps = Some(steps);
            ConvertibleInput::new(spec).unwrap()
        };
        // 2,000^1.5 = 89,442.7, 10,000^1.5 = 1,000,000, 20,000^1.5 = 2,828,427.1:
        // 500, 45 and 15 points fit under 45,000,000; 46 and 16 do not.
        assert!(profile_work(500, 2_000) <= MAX_PROFILE_WORK);
        for (steps, fits) in [(10_000, 45), (20_000, 15)] {
            assert!(profile_work(fits, steps) <= MAX_PROFILE_WORK, "{steps}");
            assert!(profile_work(fits + 1, steps) > MAX_PROFILE_WORK, "{steps}");
        }
        let sixteen = vec![10.0; 16];
        assert_eq!(
            profile(&at(20_000), &sixteen).unwrap_err().field(),
            Some("stock_prices")
        );
        let forty_six = vec![10.0; 46];
        assert_eq!(
            profile(&at(10_000), &forty_six).unwrap_err().field(),
            Some("stock_prices")
        );
    }

    fn spec_from(s: f64, vol: f64, r: f64, spread: f64, coupon: f64) -> ConvertibleSpec {
        let mut spec = base_spec();
        spec.stock_price = s;
        spec.volatility = vol;
        spec.risk_free_rate = r;
        spec.credit_spread = spread;
        spec.coupon_rate = coupon;
        spec.coupon_frequency = if coupon > 0.0 { 2 } else { 0 };
        spec.steps = Some(PROPTEST_STEPS);
        spec
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        #[test]
        fn a_plain_note_is_worth_at_least_its_parity_and_its_bond_floor(
            s in 1.0f64..60.0, vol in 0.1f64..1.2, r in 0.0f64..0.08,
            spread in 0.0f64..0.2, coupon in 0.0f64..0.06, hazard in any::<bool>(),
        ) {
            let mut spec = spec_from(s, vol, r, spread, coupon);
            if hazard && vol * vol > spread {
                spec.model = Model::HazardRate;
            }
            let input = ConvertibleInput::new(spec).unwrap();
            let v = fair_value_per_100(&input).unwrap();
            let parity = input.conversion_shares_per_100() * s;
            prop_assert!(v >= parity - 1e-9, "{} < parity {}", v, parity);
            prop_assert!(v >= input.bond_floor_per_100() - CONVERGED_PER_100_ABS, "{} < floor {}", v, input.bond_floor_per_100());
        }

        #[test]
        fn the_price_rises_with_the_stock_and_the_volatility_and_falls_with_the_spread(
            s in 2.0f64..50.0, vol in 0.15f64..1.0, r in 0.0f64..0.08,
            spread in 0.0f64..0.15, coupon in 0.0f64..0.06, hazard in any::<bool>(),
        ) {
            // Vega is positive where the value is convex in S: the hazard-rate
            // tree, and the TF zero-coupon note. A TF coupon note deep in the
            // money can lose value with volatility (converged at 10,000 steps:
            // S = 43, σ 0.15 → 0.20, s = 7.3%, 3.7% coupon: 242.51 → 241.32),
            // so for TF the volatility check uses the zero-coupon note. The same
            // holds for the spread (S = 24.6, σ = 0.15, s 7.2% → 7.7%, 0.35%
            // coupon: 128.901 → 128.962 at 4,000 steps).
            let model = if hazard && vol * vol > spread + 0.01 { Model::HazardRate } else { Model::TsiveriotisFernandes };
            let coupon_for_vol = if model == Model::HazardRate { coupon } else { 0.0 };
            let at = |s: f64, vol: f64, spread: f64, coupon: f64| {
                let mut spec = spec_from(s, vol, r, spread, coupon);
                spec.model = model;
                value(spec)
            };
            let v = at(s, vol, spread, coupon);
            let higher_stock = at(s * 1.05, vol, spread, coupon);
            let wider = at(s, vol, spread + 0.005, coupon_for_vol);
            let v0 = at(s, vol, spread, coupon_for_vol);
            let higher_vol = at(s, vol + 0.05, spread, coupon_for_vol);
            prop_assert!(higher_stock >= v - CONVERGED_PER_100_ABS, "stock: {} < {}", higher_stock, v);
            prop_assert!(higher_vol >= v0 - CONVERGED_PER_100_ABS, "vol: {} < {}", higher_vol, v0);
            prop_assert!(wider <= v0 + CONVERGED_PER_100_ABS, "spread: {} > {}", wider, v0);
        }

        #[test]
        fn delta_lies_between_zero_and_the_conversion_shares(
            s in 1.0f64..60.0, vol in 0.1f64..1.2, r in 0.0f64..0.08,
            spread in 0.0f64..0.2, coupon in 0.0f64..0.06, hazard in any::<bool>(),
        ) {
            // As for vega: the bound holds where the value is convex in S. A TF
            // coupon note deep in the money is not (S = 51.4, σ = 0.21, s = 9.8%,
            // 3.7% coupon: delta 5.35 for 5.22 shares).
            let hazard = hazard && vol * vol > spread + 0.01;
            let mut spec = spec_from(s, vol, r, spread, if hazard { coupon } else { 0.0 });
            if hazard {
                spec.model = Model::HazardRate;
            }
            let input = ConvertibleInput::new(spec).unwrap();
            let stock = input.spec().stock_price;
            let lattice = Lattice::build(&input, input.market(), input.steps(), stock).unwrap();
            let delta = lattice.rollback(stock, &mut Workspace::default()).delta();
            let shares = input.conversion_shares_per_100();
            let slack = 1e-3 * shares;
            prop_assert!((-slack..=shares + slack).contains(&delta), "{} outside [0, {}]", delta, shares);
        }
    }
}
