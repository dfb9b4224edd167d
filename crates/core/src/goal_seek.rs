//! Goal seek: the value of one model input that makes a result hit a
//! target, e.g. the rent that earns a 12% IRR, the build cost per MW at
//! which the NPV is zero, or the $/GPU-hour of a GPU cloud for a 15% IRR.
//! One solver, generic over the model ([`Seekable`]): the colocation
//! project ([`ProjectInput`]) and the GPU cloud
//! ([`GpuCloudInput`](crate::gpu_cloud::GpuCloudInput)) implement it.

use std::fmt::Debug;

use rust_decimal::Decimal;

use crate::error::CoreError;
use crate::num::to_f64;
use crate::project::{project, Metric, ProjectInput, Variable};
use crate::solve::{even_grid, Goal, Inward, Root, SolveError, Stop, Width};
use crate::tolerance::{GOAL_SEEK_BRACKET_REL, GOAL_SEEK_MONEY_ABS, GOAL_SEEK_RATIO_ABS};
use crate::Result;

/// A model goal seek can solve: inputs it can vary and results it can
/// read, each with its search range and tolerance.
pub trait Seekable: Clone + Debug + PartialEq {
    /// An input that can be varied.
    type Variable: Copy + Debug + PartialEq;
    /// A result that can be targeted.
    type Metric: Copy + Debug + PartialEq;
    /// Why `variable` cannot be varied on this base, if it cannot.
    fn unsupported(&self, variable: Self::Variable) -> Option<&'static str>;
    /// Sets `variable` to `value`, checking its range.
    fn set(&mut self, variable: Self::Variable, value: Decimal) -> Result<()>;
    /// Runs the model and reads `metric`.
    fn metric(&self, metric: Self::Metric) -> Result<Decimal>;
    /// The metric's wire name, which errors name.
    fn metric_name(metric: Self::Metric) -> &'static str;
    /// The range searched when none is given.
    fn default_bracket(variable: Self::Variable) -> (Decimal, Decimal);
    /// The tolerance on the metric's target, absolute.
    fn tolerance_of(metric: Self::Metric) -> Decimal;
}

impl Seekable for ProjectInput {
    type Variable = Variable;
    type Metric = Metric;

    fn unsupported(&self, variable: Variable) -> Option<&'static str> {
        variable.unsupported_by(self)
    }

    fn set(&mut self, variable: Variable, value: Decimal) -> Result<()> {
        variable.set(self, value)
    }

    fn metric(&self, metric: Metric) -> Result<Decimal> {
        metric.of(&project(self)?)
    }

    fn metric_name(metric: Metric) -> &'static str {
        metric.name()
    }

    fn default_bracket(variable: Variable) -> (Decimal, Decimal) {
        default_bracket(variable)
    }

    fn tolerance_of(metric: Metric) -> Decimal {
        tolerance_of(metric)
    }
}

/// The most model evaluations inside the bracket.
pub const MAX_ITERATIONS: u32 = 200;

/// The validated input of [`goal_seek`]: the colocation project's by
/// default.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalSeekInput<M: Seekable = ProjectInput> {
    /// The model, with the variable's value to be replaced.
    pub base: M,
    /// The input to solve for.
    pub variable: M::Variable,
    /// The result to hit.
    pub metric: M::Metric,
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

/// The project's range searched when none is given, per variable: wide
/// enough for any plausible site.
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
/// | `mining_margin_per_month` | [0, 1,000,000,000] |
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
        Variable::MiningMarginPerMonth => (Decimal::ZERO, d(1_000_000_000, 0)),
    }
}

/// The tolerance on a project metric's target: [`GOAL_SEEK_MONEY_ABS`] for money,
/// [`GOAL_SEEK_RATIO_ABS`] for rates, ratios and years.
pub fn tolerance_of(metric: Metric) -> Decimal {
    if metric.is_money() {
        GOAL_SEEK_MONEY_ABS
    } else {
        GOAL_SEEK_RATIO_ABS
    }
}

/// Evaluations [`goal_seek`] spends finding where the model first answers,
/// moving inward from a bracket end where it does not: the edge to within
/// `2⁻⁵⁰` of the bracket's width.
pub const EDGE_TRIES: u32 = 50;

/// Intervals of the grid [`goal_seek`] scans for a crossing when the
/// bracket's ends do not straddle the target.
pub const SCAN_INTERVALS: u32 = 32;

/// Solves for the value of one input that makes a metric hit a target.
///
/// # Method
/// `g(x) = metric(model(base with variable = x)) − target` must change
/// sign inside the bracket. Where an end is invalid for the variable (a
/// cost of 0 below what is `already_spent`) or the metric does not exist
/// there (no IRR for flows that never turn negative), that end moves
/// inward by bisection ([`Inward::Edge`], [`EDGE_TRIES`] evaluations) to
/// where it does. Between the ends, Brent's method ([`crate::solve`]),
/// until `|g(x)| ≤` [`Seekable::tolerance_of`]`(metric)`. When `g` has the same sign
/// at both ends, a grid of [`SCAN_INTERVALS`] intervals is scanned for a
/// crossing, the lowest of which is solved; with none, the target is
/// [`CoreError::Unattainable`], reporting the lowest and highest metric
/// the scan saw and every end that moved, with why. If the bracket shrinks
/// to [`GOAL_SEEK_BRACKET_REL`] first, the metric jumps across the target
/// and the answer is [`CoreError::NoSolution`]. For metrics monotonic in
/// the variable (IRR or NPV in rent or cost) the root is unique.
pub fn goal_seek<M: Seekable>(input: &GoalSeekInput<M>) -> Result<GoalSeek> {
    if let Some(reason) = input.base.unsupported(input.variable) {
        return Err(CoreError::Inconsistent {
            field: "variable".into(),
            reason,
        });
    }
    let (lo, hi) = input
        .bracket
        .unwrap_or_else(|| M::default_bracket(input.variable));
    if lo >= hi {
        return Err(CoreError::Inconsistent {
            field: "bracket".into(),
            reason: "the low end must be below the high end",
        });
    }
    let bracket = (lo, hi);
    let tolerance = M::tolerance_of(input.metric);
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
        let mut model = input.base.clone();
        model.set(input.variable, x)?;
        model.metric(input.metric)
    };
    let no_solution = CoreError::NoSolution {
        quantity: M::metric_name(input.metric),
        reason: "the metric jumps across the target, or the solver ran out of iterations",
    };
    let failed = |error: SolveError<Decimal>| match error {
        SolveError::Undefined { error, .. } | SolveError::Overflow(error) => error,
        _ => no_solution.clone(),
    };
    let edge = Inward::Edge { tries: EDGE_TRIES };
    let ends = goal.ends((lo, edge), (hi, edge), eval).map_err(failed)?;
    let root = match goal.solve(ends.low, ends.high, eval) {
        Err(SolveError::NoSignChange { low, high }) => {
            let mut reach = (low.value.min(high.value), low.value.max(high.value));
            let grid = even_grid(low.x, high.x, SCAN_INTERVALS, "goal_seek")?;
            let roots = goal.roots(grid, |x| {
                let value = eval(x)?;
                reach = (reach.0.min(value), reach.1.max(value));
                Ok(value)
            });
            match roots {
                Ok(roots) => roots
                    .into_iter()
                    .find(|root| root.stop == Stop::Value)
                    .ok_or_else(|| no_solution.clone()),
                Err(SolveError::NoSignChange { .. }) => Err(CoreError::Unattainable {
                    quantity: M::metric_name(input.metric),
                    target: to_f64(input.target),
                    min: to_f64(reach.0),
                    max: to_f64(reach.1),
                    moved: ends.moved_ends(),
                }),
                Err(e) => Err(failed(e)),
            }
        }
        solved => solved.map_err(failed),
    }?;
    match root {
        Root {
            x,
            value,
            iterations,
            stop: Stop::Value,
        } => Ok(GoalSeek {
            value: x,
            achieved: value,
            bracket,
            tolerance,
            iterations,
        }),
        Root {
            stop: Stop::Bracket,
            ..
        } => Err(no_solution),
    }
}

#[cfg(test)]
mod tests {
    use approx::{abs_diff_eq, assert_abs_diff_eq, assert_relative_eq};
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    use super::*;
    use crate::num::{Fraction, Price, Usd};
    use crate::project::tests::sandersville;
    use crate::project::{Exit, Opex};
    use crate::tolerance::{Exact, GOAL_SEEK_VALUE_REL, MONEY_HAND_CALC_ABS};

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

    /// The README's goal-seek project: 250 MW at $10M/MW spent in year 0,
    /// $133.33 a kW-month from month 12, opex 20% of rent, 9% discount
    /// rate, sold after 20 years at a 7% cap rate on year 21's NOI.
    fn readme_project() -> ProjectInput {
        let mut p = sandersville();
        p.rate_per_kw_month = Price::new(dec!(133.33)).unwrap();
        p.opex = Opex::FractionOfRent(Fraction::new(dec!(0.2)).unwrap());
        p.discount_rate = dec!(0.09);
        p.exit = Some(Exit::CapRate(dec!(0.07)));
        p
    }

    #[test]
    fn the_cost_per_mw_for_a_twelve_percent_irr_is_found_past_the_undefined_zero_cost() {
        // At cost 0 the flows never turn negative and there is no IRR; the
        // solve answered 422 no_solution on its own default bracket.
        // Hand calculation: NOI = 250,000 kW × 133.33 × 12 × (1 − 0.2) =
        // 319,992,000 a year in years 1 to 20, plus the sale in year 20 at
        // 319,992,000 / 0.07 = 4,571,314,285.71; at 12% those are worth
        // 319,992,000 × (1 − 1.12^−20) / 0.12 + 4,571,314,285.71 / 1.12^20 =
        // 2,864,055,568.40 in year 0, so the cost is 2,864,055,568.40 / 250
        // = 11,456,222.27 per MW. bench/goal_seek_irr.py prints this and
        // numpy-financial 1.0.0's irr of
        // [−2,864,055,568.40, 319,992,000 × 19, 4,891,306,285.71] is
        // 0.11999999999999944.
        let out = goal_seek(&GoalSeekInput {
            base: readme_project(),
            variable: Variable::CostPerMw,
            metric: Metric::Irr,
            target: dec!(0.12),
            bracket: None,
        })
        .unwrap();
        assert_relative_eq!(
            Exact(out.value),
            Exact(dec!(11456222.2736)),
            max_relative = GOAL_SEEK_VALUE_REL
        );
        assert_abs_diff_eq!(
            Exact(out.achieved),
            Exact(dec!(0.12)),
            epsilon = GOAL_SEEK_RATIO_ABS
        );
    }

    #[test]
    fn an_end_where_the_variable_is_invalid_moves_inward_too() {
        // With $100M already spent, a cost of 0 is below it: `inconsistent`
        // at that end. The year-0 flow is then the remaining capex, so the
        // cost is the hand figure's plus the $100M spent over 250 MW: the
        // spent money is sunk, and the remaining capex must still be
        // 2,864,055,568.40 for a 12% IRR: 11,456,222.27 + 400,000.
        let mut base = readme_project();
        base.build.already_spent = Usd::new(dec!(100000000)).unwrap();
        let out = goal_seek(&GoalSeekInput {
            base,
            variable: Variable::CostPerMw,
            metric: Metric::Irr,
            target: dec!(0.12),
            bracket: None,
        })
        .unwrap();
        assert_relative_eq!(
            Exact(out.value),
            Exact(dec!(11856222.2736)),
            max_relative = GOAL_SEEK_VALUE_REL
        );
    }

    #[test]
    fn a_target_beyond_the_moved_end_is_unattainable_saying_which_end_moved_and_why() {
        // The IRR is solved up to 10,000% a period: at costs so low that it
        // would be higher there is none, so the low end moves up to where
        // it exists, and 20,000% lies beyond.
        let err = goal_seek(&GoalSeekInput {
            base: readme_project(),
            variable: Variable::CostPerMw,
            metric: Metric::Irr,
            target: dec!(200),
            bracket: None,
        })
        .unwrap_err();
        match &err {
            CoreError::Unattainable {
                quantity: "irr",
                max,
                moved,
                ..
            } => {
                assert!(*max <= 100.0, "{max}");
                assert_eq!(moved.len(), 1, "{moved:?}");
                assert_eq!((moved[0].end, moved[0].from), ("low", 0.0));
                assert!(moved[0].to > 0.0, "{:?}", moved[0]);
                assert!(matches!(
                    *moved[0].reason,
                    CoreError::NoSolution {
                        quantity: "irr",
                        ..
                    }
                ));
            }
            other => panic!("expected Unattainable, got {other:?}"),
        }
        assert!(
            err.to_string().contains("the low end moved from 0"),
            "{err}"
        );
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
