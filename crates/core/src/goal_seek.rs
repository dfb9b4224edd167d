//! Goal seek: the value of one project input that makes a result hit a
//! target, e.g. the rent that earns a 12% IRR, or the build cost per MW
//! at which the NPV is zero.

use rust_decimal::Decimal;

use crate::error::CoreError;
use crate::num::to_f64;
use crate::project::{project, Metric, ProjectInput, Variable};
use crate::solve::{Goal, Inward, Root, SolveError, Stop, Width};
use crate::tolerance::{GOAL_SEEK_BRACKET_REL, GOAL_SEEK_MONEY_ABS, GOAL_SEEK_RATIO_ABS};
use crate::Result;

/// The most model evaluations inside the bracket.
pub const MAX_ITERATIONS: u32 = 200;

/// The validated input of [`goal_seek`].
#[derive(Debug, Clone, PartialEq)]
pub struct GoalSeekInput {
    /// The project, with the variable's value to be replaced.
    pub base: ProjectInput,
    /// The input to solve for.
    pub variable: Variable,
    /// The result to hit.
    pub metric: Metric,
    /// Its target value.
    pub target: Decimal,
    /// The range searched, `low < high`; `None` takes [`default_bracket`].
    pub bracket: Option<(Decimal, Decimal)>,
}

/// The answer of [`goal_seek`].
#[derive(Debug, Clone, PartialEq)]
pub struct GoalSeek {
    /// The variable's value found.
    pub value: Decimal,
    /// The metric at that value.
    pub achieved: Decimal,
    /// The bracket searched.
    pub bracket: (Decimal, Decimal),
    /// The tolerance on the metric, absolute.
    pub tolerance: Decimal,
    /// Model evaluations inside the bracket.
    pub iterations: u32,
}

/// The range searched when none is given, per variable: wide enough for
/// any plausible site.
///
/// | variable | bracket |
/// | --- | --- |
/// | `rate_per_kw_month` | [0.01, 10,000] |
/// | `cost_per_mw` | [0, 1,000,000,000] |
/// | `stabilized_occupancy`, `opex_fraction` | [0, 1] |
/// | `rent_escalator` | [-0.5, 0.5] |
/// | `discount_rate` | [0, 1] |
/// | `exit_cap_rate` | [0.001, 1] |
/// | `exit_multiple` | [0.1, 100] |
/// | `opex_per_kw_month` | [0, 10,000] |
/// | `power_price_per_mwh` | [0, 10,000] |
pub fn default_bracket(variable: Variable) -> (Decimal, Decimal) {
    let d = Decimal::new;
    match variable {
        Variable::RatePerKwMonth => (d(1, 2), d(10_000, 0)),
        Variable::CostPerMw => (Decimal::ZERO, d(1_000_000_000, 0)),
        Variable::StabilizedOccupancy | Variable::OpexFraction => (Decimal::ZERO, Decimal::ONE),
        Variable::RentEscalator => (d(-5, 1), d(5, 1)),
        Variable::DiscountRate => (Decimal::ZERO, Decimal::ONE),
        Variable::ExitCapRate => (d(1, 3), Decimal::ONE),
        Variable::ExitMultiple => (d(1, 1), d(100, 0)),
        Variable::OpexPerKwMonth | Variable::PowerPricePerMwh => (Decimal::ZERO, d(10_000, 0)),
    }
}

/// The tolerance on a metric's target: [`GOAL_SEEK_MONEY_ABS`] for money,
/// [`GOAL_SEEK_RATIO_ABS`] for rates, ratios and years.
pub fn tolerance_of(metric: Metric) -> Decimal {
    if metric.is_money() {
        GOAL_SEEK_MONEY_ABS
    } else {
        GOAL_SEEK_RATIO_ABS
    }
}

/// Solves for the value of one input that makes a metric hit a target.
///
/// # Method
/// `g(x) = metric(project(base with variable = x)) − target` must change
/// sign between the bracket's ends; otherwise the target is
/// [`CoreError::Unattainable`], reporting the metric at both ends. Inside
/// the bracket, Brent's method ([`crate::solve`]), until `|g(x)| ≤`
/// [`tolerance_of`]`(metric)`. If the bracket shrinks to
/// [`GOAL_SEEK_BRACKET_REL`] first, the metric jumps across the
/// target and the answer is [`CoreError::NoSolution`].
/// For metrics monotonic in the variable (IRR or NPV in rent or cost)
/// the root is unique.
pub fn goal_seek(input: &GoalSeekInput) -> Result<GoalSeek> {
    if let Some(reason) = input.variable.unsupported_by(&input.base) {
        return Err(CoreError::Inconsistent {
            field: "variable".into(),
            reason,
        });
    }
    let (lo, hi) = input
        .bracket
        .unwrap_or_else(|| default_bracket(input.variable));
    if lo >= hi {
        return Err(CoreError::Inconsistent {
            field: "bracket".into(),
            reason: "the low end must be below the high end",
        });
    }
    let bracket = (lo, hi);
    let tolerance = tolerance_of(input.metric);
    let goal = Goal {
        target: input.target,
        value_tolerance: tolerance,
        width: Width {
            absolute: 0.0,
            relative: GOAL_SEEK_BRACKET_REL,
        },
        max_iterations: MAX_ITERATIONS,
        quantity: "goal_seek",
    };
    let eval = |x: Decimal| -> Result<Decimal> {
        let mut p = input.base.clone();
        input.variable.set(&mut p, x)?;
        input.metric.of(&project(&p)?)
    };
    let no_solution = CoreError::NoSolution {
        quantity: input.metric.name(),
        reason: "the metric jumps across the target, or the solver ran out of iterations",
    };
    let (low, high) = goal
        .ends((lo, Inward::Never), (hi, Inward::Never), eval)
        .map_err(|e| solve_error(e, input, &no_solution))?;
    match goal.solve(low, high, eval) {
        Ok(Root {
            x,
            value,
            iterations,
            stop: Stop::Value,
        }) => Ok(GoalSeek {
            value: x,
            achieved: value,
            bracket,
            tolerance,
            iterations,
        }),
        Ok(Root {
            stop: Stop::Bracket,
            ..
        }) => Err(no_solution),
        Err(e) => Err(solve_error(e, input, &no_solution)),
    }
}

/// The goal seek's error for a solver's failure.
fn solve_error(
    error: SolveError<Decimal>,
    input: &GoalSeekInput,
    no_solution: &CoreError,
) -> CoreError {
    match error {
        SolveError::NoSignChange { low, high } => CoreError::Unattainable {
            quantity: input.metric.name(),
            target: to_f64(input.target),
            min: to_f64(low.value.min(high.value)),
            max: to_f64(low.value.max(high.value)),
        },
        SolveError::Undefined { error, .. } | SolveError::Overflow(error) => error,
        _ => no_solution.clone(),
    }
}

#[cfg(test)]
mod tests {
    use approx::{abs_diff_eq, assert_abs_diff_eq};
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    use super::*;
    use crate::project::tests::sandersville;
    use crate::tolerance::{Exact, MONEY_HAND_CALC_ABS};

    fn seek(variable: Variable, metric: Metric, target: Decimal) -> Result<GoalSeek> {
        goal_seek(&GoalSeekInput {
            base: sandersville(),
            variable,
            metric,
            target,
            bracket: None,
        })
    }

    #[test]
    fn the_rate_for_a_sixteen_percent_yield_is_133_33() {
        // Yield = rate × 250,000 × 12 / 2.5B ⇒ 0.16 ⇒ rate = 133.333…
        let out = seek(Variable::RatePerKwMonth, Metric::YieldOnCost, dec!(0.16)).unwrap();
        assert_eq!(out.value.round_dp(4), dec!(133.3333));
        assert_abs_diff_eq!(
            Exact(out.achieved),
            Exact(dec!(0.16)),
            epsilon = GOAL_SEEK_RATIO_ABS
        );
    }

    #[test]
    fn the_break_even_cost_per_mw_matches_the_hand_calculation() {
        // At the reference rent the NPV at 8% of flows from year 1 is
        // 5,000M (see project tests); NPV = 0 when the year-0 build cost is
        // 5,000M, i.e. $20M per MW.
        let out = seek(Variable::CostPerMw, Metric::Npv, Decimal::ZERO).unwrap();
        assert_abs_diff_eq!(
            Exact(out.value),
            Exact(dec!(20000000)),
            epsilon = MONEY_HAND_CALC_ABS
        );
        assert_abs_diff_eq!(
            Exact(out.achieved),
            Exact(Decimal::ZERO),
            epsilon = GOAL_SEEK_MONEY_ABS
        );
    }

    #[test]
    fn an_unreachable_target_reports_the_attainable_range() {
        // Yield on cost at most 10,000 × 3,000,000 / 2.5B = 12 within the bracket.
        let err = seek(Variable::RatePerKwMonth, Metric::YieldOnCost, dec!(50)).unwrap_err();
        assert!(matches!(
            err,
            CoreError::Unattainable {
                quantity: "yield_on_cost",
                ..
            }
        ));
    }

    #[test]
    fn a_variable_the_base_does_not_have_is_refused() {
        let err = seek(Variable::ExitMultiple, Metric::Irr, dec!(0.1)).unwrap_err();
        assert_eq!(err.field(), Some("variable"));
    }

    #[test]
    fn an_inverted_bracket_is_refused() {
        let err = goal_seek(&GoalSeekInput {
            base: sandersville(),
            variable: Variable::RatePerKwMonth,
            metric: Metric::Irr,
            target: dec!(0.1),
            bracket: Some((dec!(200), dec!(100))),
        })
        .unwrap_err();
        assert_eq!(err.field(), Some("bracket"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        #[test]
        fn goal_seek_hits_its_irr_target(target_bp in 300i64..3000) {
            let target = Decimal::new(target_bp, 4);
            let out = goal_seek(&GoalSeekInput {
                base: sandersville(),
                variable: Variable::RatePerKwMonth,
                metric: Metric::Irr,
                target,
                bracket: Some((dec!(10), dec!(1000))),
            }).unwrap();
            prop_assert!(abs_diff_eq!(Exact(out.achieved), Exact(target), epsilon = GOAL_SEEK_RATIO_ABS));
            // And the model agrees when run again at the value found.
            let mut p = sandersville();
            Variable::RatePerKwMonth.set(&mut p, out.value).unwrap();
            let irr = project(&p).unwrap().irr.unwrap();
            prop_assert!(abs_diff_eq!(Exact(irr), Exact(target), epsilon = GOAL_SEEK_RATIO_ABS));
        }
    }
}
