//! Implied volatility and implied credit spread of a convertible note: the
//! value of one market input that makes the lattice price equal a market price.

use super::lattice::{
    ConvertibleInput, Market, Model, Workspace, MAX_CREDIT_SPREAD, MAX_VOLATILITY,
};
use super::pricing::price_at;
use crate::error::{AtField, CoreError};
use crate::num::positive_f64;
use crate::Result;

/// The solver stops when the price is within this of the target, per 100 (absolute).
pub const PRICE_TOLERANCE: f64 = 1e-6;
/// The solver stops when the bracket is narrower than this, in the solved
/// variable's units (absolute: 1e-9 of volatility or of spread).
pub const ARGUMENT_TOLERANCE: f64 = 1e-9;
/// The most solver iterations.
pub const MAX_ITERATIONS: usize = 100;
/// The lowest volatility searched.
pub const MIN_IMPLIED_VOLATILITY: f64 = 1e-3;

/// The market input to solve for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SolveFor {
    /// Annual lognormal volatility of the share.
    Volatility,
    /// Credit spread over the risk-free rate, continuously compounded.
    CreditSpread,
}

/// The solved input and what it reproduces.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Implied {
    /// What was solved for.
    pub solve_for: SolveFor,
    /// The solved value (a volatility or a spread, as a decimal fraction).
    pub value: f64,
    /// The lattice price at the solved value, per 100, dirty.
    pub price_per_100: f64,
    /// Solver iterations used.
    pub iterations: usize,
}

/// Solves for the volatility or the credit spread that reproduces
/// `market_price_per_100` (dirty), with every other input as given (the
/// input's own value of the solved field is ignored).
///
/// # Formula
/// Brent's method (bisection, secant and inverse quadratic interpolation) on
/// `f(x) = V(x) − target` over the bracket
/// - volatility: `[0.001, 5]` (hazard rate: from just above `√h`),
/// - credit spread: `[0, 1]` (hazard rate: up to just below `σ²(1 − recovery)`),
///
/// stopping when `|f| ≤ 1e-6` per 100 or the bracket is narrower than 1e-9.
///
/// # Errors
/// [`CoreError::Unattainable`] with the prices at the bracket's ends when the
/// target lies outside them; [`CoreError::NoSolution`] if Brent fails to
/// converge in 100 iterations.
pub fn implied(
    input: &ConvertibleInput,
    solve_for: SolveFor,
    market_price_per_100: f64,
) -> Result<Implied> {
    let target = positive_f64(market_price_per_100).at("market_price_per_100")?;
    let spec = input.spec();
    let base = input.market();
    let recovery = spec.recovery_rate;
    let (lo, hi, quantity) = match (solve_for, spec.model) {
        (SolveFor::Volatility, Model::TsiveriotisFernandes) => {
            (MIN_IMPLIED_VOLATILITY, MAX_VOLATILITY, "volatility")
        }
        (SolveFor::Volatility, Model::HazardRate) => {
            let floor = (base.credit_spread / (1.0 - recovery)).sqrt() * (1.0 + 1e-6) + 1e-6;
            (
                floor.max(MIN_IMPLIED_VOLATILITY),
                MAX_VOLATILITY,
                "volatility",
            )
        }
        (SolveFor::CreditSpread, Model::TsiveriotisFernandes) => {
            (0.0, MAX_CREDIT_SPREAD, "credit_spread")
        }
        (SolveFor::CreditSpread, Model::HazardRate) => {
            let cap = base.volatility * base.volatility * (1.0 - recovery) * (1.0 - 1e-6);
            (0.0, cap.min(MAX_CREDIT_SPREAD), "credit_spread")
        }
    };
    if lo >= hi {
        return Err(CoreError::NoSolution {
            quantity,
            reason: "the hazard_rate model leaves no room to search: volatility² must exceed \
                     credit_spread / (1 − recovery_rate)",
        });
    }
    let with = |x: f64| match solve_for {
        SolveFor::Volatility => Market {
            volatility: x,
            ..base
        },
        SolveFor::CreditSpread => Market {
            credit_spread: x,
            ..base
        },
    };
    let mut ws = Workspace::default();
    let mut f = |x: f64| -> Result<f64> { Ok(price_at(input, with(x), &mut ws)? - target) };
    // Near σ² = h the hazard-rate tree needs more steps than the cap: pull
    // that end of the bracket back until the tree builds.
    let (mut lo, mut hi) = (lo, hi);
    let mut ends = None;
    for _ in 0..40 {
        match (f(lo), f(hi)) {
            (Ok(f_lo), Ok(f_hi)) => {
                ends = Some((f_lo, f_hi));
                break;
            }
            (Err(_), _) if solve_for == SolveFor::Volatility => lo += 0.25 * (hi - lo),
            (_, Err(_)) if solve_for == SolveFor::CreditSpread => hi -= 0.25 * (hi - lo),
            (Err(e), _) | (_, Err(e)) => return Err(e),
        }
    }
    let Some((f_lo, f_hi)) = ends else {
        return Err(CoreError::NoSolution {
            quantity,
            reason: "the lattice cannot be built anywhere in the search bracket",
        });
    };
    let (x, iterations, fx) = brent(&mut f, (lo, f_lo), (hi, f_hi), target, quantity)?;
    let price = fx + target;
    Ok(Implied {
        solve_for,
        value: x,
        price_per_100: price,
        iterations,
    })
}

/// Brent's root finder on `[a, b]`, given `f` at both ends; `f` returns
/// `V(x) − target`. Returns the root, the iterations and `f` there.
fn brent(
    f: &mut impl FnMut(f64) -> Result<f64>,
    (a, fa): (f64, f64),
    (b, fb): (f64, f64),
    target: f64,
    quantity: &'static str,
) -> Result<(f64, usize, f64)> {
    let (mut a, mut b, mut fa, mut fb) = (a, b, fa, fb);
    if fa.abs() <= PRICE_TOLERANCE {
        return Ok((a, 0, fa));
    }
    if fb.abs() <= PRICE_TOLERANCE {
        return Ok((b, 0, fb));
    }
    if fa.signum() == fb.signum() {
        let (pa, pb) = (fa + target, fb + target);
        return Err(CoreError::Unattainable {
            quantity: "market_price_per_100",
            target,
            min: pa.min(pb),
            max: pa.max(pb),
        });
    }
    let (mut c, mut fc) = (a, fa);
    let (mut d, mut e) = (b - a, b - a);
    for iteration in 1..=MAX_ITERATIONS {
        if fb.signum() == fc.signum() {
            c = a;
            fc = fa;
            d = b - a;
            e = d;
        }
        if fc.abs() < fb.abs() {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        let tol = 2.0 * f64::EPSILON * b.abs() + 0.5 * ARGUMENT_TOLERANCE;
        let m = 0.5 * (c - b);
        if m.abs() <= tol || fb.abs() <= PRICE_TOLERANCE {
            return Ok((b, iteration, fb));
        }
        if e.abs() >= tol && fa.abs() > fb.abs() {
            let s = fb / fa;
            let (mut p, mut q);
            if a == c {
                p = 2.0 * m * s;
                q = 1.0 - s;
            } else {
                let qa = fa / fc;
                let r = fb / fc;
                p = s * (2.0 * m * qa * (qa - r) - (b - a) * (r - 1.0));
                q = (qa - 1.0) * (r - 1.0) * (s - 1.0);
            }
            if p > 0.0 {
                q = -q;
            } else {
                p = -p;
            }
            if 2.0 * p < (3.0 * m * q - (tol * q).abs()).min((e * q).abs()) {
                e = d;
                d = p / q;
            } else {
                d = m;
                e = m;
            }
        } else {
            d = m;
            e = m;
        }
        a = b;
        fa = fb;
        b += if d.abs() > tol { d } else { tol.copysign(m) };
        fb = f(b)?;
    }
    Err(CoreError::NoSolution {
        quantity,
        reason: "Brent's method did not converge in 100 iterations",
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::convertible::lattice::tests::base_spec;
    use crate::convertible::pricing::fair_value_per_100;

    fn input_with(vol: f64, spread: f64, model: Model) -> ConvertibleInput {
        let mut spec = base_spec();
        spec.volatility = vol;
        spec.credit_spread = spread;
        spec.model = model;
        spec.steps = Some(200);
        ConvertibleInput::new(spec).unwrap()
    }

    #[test]
    fn the_implied_spread_reproduces_the_price_it_came_from() {
        for model in [Model::TsiveriotisFernandes, Model::HazardRate] {
            let target = fair_value_per_100(&input_with(0.6, 0.07, model)).unwrap();
            let solved = implied(
                &input_with(0.6, 0.01, model),
                SolveFor::CreditSpread,
                target,
            )
            .unwrap();
            assert!(
                (solved.value - 0.07).abs() < 1e-5,
                "{model:?}: {}",
                solved.value
            );
            assert!((solved.price_per_100 - target).abs() <= PRICE_TOLERANCE);
        }
    }

    #[test]
    fn a_price_beyond_reach_is_unattainable_with_the_bounds() {
        let err = implied(
            &input_with(0.6, 0.05, Model::TsiveriotisFernandes),
            SolveFor::Volatility,
            500.0,
        )
        .unwrap_err();
        match err {
            CoreError::Unattainable {
                min, max, target, ..
            } => {
                assert_eq!(target, 500.0);
                // At σ → 0 the note is about its bond floor or parity; at σ = 5 far more.
                assert!(min > 78.0 && min < 90.0, "{min}");
                assert!(max > min && max < 500.0, "{max}");
            }
            other => panic!("expected Unattainable, got {other:?}"),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(12))]

        #[test]
        fn implied_volatility_round_trips(vol in 0.15f64..1.5, spread in 0.0f64..0.1) {
            let target = fair_value_per_100(&input_with(vol, spread, Model::TsiveriotisFernandes)).unwrap();
            // At a low volatility and a wide spread TF converts at once: the
            // price is parity for a range of volatilities, so no unique root.
            let parity = 1000.0 / 19.16 / 10.0 * 15.03;
            prop_assume!(target > parity + 0.5);
            let solved = implied(&input_with(0.3, spread, Model::TsiveriotisFernandes), SolveFor::Volatility, target).unwrap();
            prop_assert!((solved.price_per_100 - target).abs() <= PRICE_TOLERANCE);
            prop_assert!((solved.value - vol).abs() < 1e-4, "{} vs {}", solved.value, vol);
        }
    }
}
