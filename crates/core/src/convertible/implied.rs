//! Implied volatility and implied credit spread of a convertible note: the
//! value of one market input that makes the lattice price equal a market price.

use super::lattice::{
    ConvertibleInput, Market, Model, Workspace, MAX_CREDIT_SPREAD, MAX_VOLATILITY,
};
use super::pricing::price_at;
use crate::error::{AtField, CoreError};
use crate::num::positive_f64;
use crate::solve::{Goal, Inward, SolveError, Width};
use crate::tolerance::{HAZARD_EDGE_ABS, HAZARD_EDGE_REL, IMPLIED_ARGUMENT_ABS, PRICE_PER_100_ABS};
use crate::Result;

/// The solver stops when the price is within this of the target:
/// [`PRICE_PER_100_ABS`], under the name the api reads.
pub use crate::tolerance::PRICE_PER_100_ABS as PRICE_TOLERANCE;
/// The most solver iterations.
pub const MAX_ITERATIONS: u32 = 100;
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
/// Brent's method ([`crate::solve`]: bisection, secant and inverse
/// quadratic interpolation) on `f(x) = V(x) − target` over the bracket
/// - volatility: `[0.001, 5]` (hazard rate: from just above `√h`),
/// - credit spread: `[0, 1]` (hazard rate: up to just below `σ²(1 − recovery)`),
///
/// stopping when `|f| ≤ 1e-6` per 100 or the bracket is narrower than 1e-9.
///
/// # Errors
/// [`CoreError::Unattainable`] with the prices at the bracket's ends when the
/// target lies outside them; [`CoreError::NoSolution`] if the solver fails
/// to converge in 100 iterations.
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
            let floor = (base.credit_spread / (1.0 - recovery)).sqrt() * (1.0 + HAZARD_EDGE_REL)
                + HAZARD_EDGE_ABS;
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
            let cap =
                base.volatility * base.volatility * (1.0 - recovery) * (1.0 - HAZARD_EDGE_REL);
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
    let mut price = |x: f64| price_at(input, with(x), &mut ws);
    let goal = Goal {
        target,
        value_tolerance: PRICE_PER_100_ABS,
        width: Width {
            absolute: IMPLIED_ARGUMENT_ABS,
            relative: 0.0,
        },
        max_iterations: MAX_ITERATIONS,
        quantity,
    };
    // Near σ² = h the hazard-rate tree needs more steps than the cap: pull
    // that end of the bracket back, a quarter of the bracket at a time,
    // until the tree builds.
    let back = Inward::Fraction {
        fraction: 0.25,
        tries: 40,
    };
    let (low, high) = match solve_for {
        SolveFor::Volatility => ((lo, back), (hi, Inward::Never)),
        SolveFor::CreditSpread => ((lo, Inward::Never), (hi, back)),
    };
    let solved = goal
        .ends(low, high, &mut price)
        .and_then(|(low, high)| goal.solve(low, high, &mut price));
    match solved {
        Ok(root) => Ok(Implied {
            solve_for,
            value: root.x,
            price_per_100: root.value,
            iterations: root.iterations as usize,
        }),
        Err(SolveError::NoSignChange { low, high }) => Err(CoreError::Unattainable {
            quantity: "market_price_per_100",
            target,
            min: low.value.min(high.value),
            max: low.value.max(high.value),
        }),
        Err(SolveError::Undefined { tries, error, .. }) => Err(if tries > 1 {
            CoreError::NoSolution {
                quantity,
                reason: "the lattice cannot be built anywhere in the search bracket",
            }
        } else {
            error
        }),
        Err(SolveError::Overflow(error)) => Err(error),
        Err(_) => Err(CoreError::NoSolution {
            quantity,
            reason: "the solver did not converge in 100 iterations",
        }),
    }
}

#[cfg(test)]
mod tests {
    use approx::{abs_diff_eq, assert_abs_diff_eq};
    use proptest::prelude::*;

    use super::*;
    use crate::convertible::lattice::tests::base_spec;
    use crate::convertible::pricing::fair_value_per_100;
    use crate::tolerance::{IMPLIED_SPREAD_ROUND_TRIP_ABS, IMPLIED_VOLATILITY_ROUND_TRIP_ABS};

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
            assert_abs_diff_eq!(solved.value, 0.07, epsilon = IMPLIED_SPREAD_ROUND_TRIP_ABS);
            assert_abs_diff_eq!(solved.price_per_100, target, epsilon = PRICE_PER_100_ABS);
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
            prop_assert!(abs_diff_eq!(solved.price_per_100, target, epsilon = PRICE_PER_100_ABS));
            prop_assert!(
                abs_diff_eq!(solved.value, vol, epsilon = IMPLIED_VOLATILITY_ROUND_TRIP_ABS),
                "{} vs {}", solved.value, vol
            );
        }
    }
}
