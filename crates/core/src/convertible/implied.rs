//! Implied volatility and implied credit spread of a convertible note: the
//! value of one market input that makes the lattice price equal a market price.

use super::engine::Engine;
use super::lattice::{
    ConvertibleInput, Lattice, Market, Model, Refine, Workspace, MAX_CREDIT_SPREAD, MAX_VOLATILITY,
};
use super::monte_carlo;
use super::pricing::price_at;
use crate::error::{AtField, CoreError};
use crate::num::positive_f64;
use crate::solve::{even_grid, Goal, Inward, Root, SolveError, Width};
use crate::tolerance::{HAZARD_EDGE_ABS, HAZARD_EDGE_REL, IMPLIED_ARGUMENT_ABS, PRICE_PER_100_ABS};
use crate::Result;

/// The solver stops when the price is within this of the target:
/// [`PRICE_PER_100_ABS`], under the name the api reads.
pub use crate::tolerance::PRICE_PER_100_ABS as PRICE_TOLERANCE;
/// The most solver iterations for each root.
pub const MAX_ITERATIONS: u32 = 100;
/// The range the solved input may take, from the caller: the api passes
/// the wire bounds of `volatility` or `credit_spread`, so that `/implied`
/// never answers a value that `/price` would refuse.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SearchRange {
    /// The lowest value searched, a decimal fraction (> 0 for a volatility,
    /// ≥ 0 for a spread).
    pub low: f64,
    /// The highest value searched, a decimal fraction, above `low` (at
    /// most 5 for a volatility, 1 for a spread: the lattice's own limits).
    pub high: f64,
}
/// Intervals of the grid scanned for every price crossing: 17 lattice
/// prices, then a dozen or so more per root.
pub const SCAN_INTERVALS: u32 = 16;
/// Evaluations spent finding where the tree exists, moving inward from a
/// bracket end where it does not: the edge to within `2⁻³⁰` of the bracket
/// (5e-9 in volatility). Each builds the tree's per-step data only.
pub const EDGE_TRIES: u32 = 30;

/// The market input to solve for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SolveFor {
    /// Annual lognormal volatility of the share.
    Volatility,
    /// Credit spread over the risk-free rate, continuously compounded.
    CreditSpread,
}

/// The solved input and what it reproduces.
#[derive(Debug, Clone, PartialEq)]
pub struct Implied {
    /// What was solved for.
    pub solve_for: SolveFor,
    /// The solved value (a volatility or a spread, as a decimal fraction):
    /// of [`Implied::roots`], the one nearest the starting value, or the
    /// lowest without one.
    pub value: f64,
    /// The price at the solved value, per 100, dirty, by the engine asked.
    pub price_per_100: f64,
    /// Prices computed: the lattice's scan and every root's solve, and the
    /// exact engine's runs when it was asked.
    pub iterations: usize,
    /// Every value the scan found that reproduces the price, ascending;
    /// more than one where the price is not monotone in the input (the
    /// hazard-rate price in the spread).
    pub roots: Vec<f64>,
}

/// Solves for the volatility or the credit spread that reproduces
/// `market_price_per_100` (dirty), with every other input as given (the
/// input's own value of the solved field is ignored). Of several solutions,
/// the one nearest `start` is returned, or the lowest when `start` is
/// `None`; all are listed.
///
/// # Method
/// The search range is `range`, the range the solved input may take,
/// within the lattice's own limits:
/// - volatility: within `(0, 5]` (hazard rate: from just above `√h`),
/// - credit spread: within `[0, 1]` (hazard rate: up to just below `σ²(1 − recovery)`);
///
/// an end at which the requested tree cannot be built (its probabilities
/// leave `[0, 1]`: a low volatility against the drift, or the hazard-rate
/// diffusion `σ² − h` near 0) moves inward by bisection ([`Inward::Edge`],
/// [`EDGE_TRIES`] builds) to where it can. The price `V(x)` is then
/// computed on an even grid of [`SCAN_INTERVALS`] intervals over that
/// range, since it need not be monotone (at σ 60% and recovery 0.4 the
/// hazard-rate price falls from 107.55 at a 6.8% spread to 106.63 at 9.1%
/// and rises to 109.35 at 16.2%); every sign change of `V(x) − target` is
/// narrowed by Brent's method ([`crate::solve`]) until `|V − target| ≤
/// 1e-6` per 100 or the bracket is narrower than 1e-9. Where the TF price
/// jumps across the target (a node's all-or-nothing split between cash and
/// equity flips, by up to a few 1e-4 per 100 at low step counts) the root
/// is the bracket's end nearer the target, and its price is that far off.
///
/// # Errors
/// [`CoreError::SolutionOutOfRange`], naming the solved field and `range`,
/// with the lowest and highest price on the grid when no point of it
/// crosses the target, and the ends that moved;
/// [`CoreError::Inconsistent`] naming the solved field when `range` is
/// empty or not within the lattice's limits;
/// [`CoreError::NoSolution`] if the tree can be built nowhere in the range
/// or a root's solve does not converge in 100 iterations.
pub fn implied(
    input: &ConvertibleInput,
    solve_for: SolveFor,
    market_price_per_100: f64,
    start: Option<f64>,
    range: SearchRange,
) -> Result<Implied> {
    implied_by(
        input,
        solve_for,
        market_price_per_100,
        start,
        range,
        Engine::Lattice,
    )
}

/// The widths searched by the exact engine on each side of a lattice root,
/// in turn.
pub const EXACT_SEARCH_WIDTHS: [f64; 2] = [0.05, 0.2];

/// [`implied`] with the price from `engine`. The exact engine runs from the
/// same seed at every trial value (common random numbers), so its price is
/// a deterministic function of the solved input; each trial costs one run
/// (about 0.4 s of CPU on the CleanSpark-like note). Its paths cannot price
/// the range's far ends (at σ = 5 the stock's log spread over six years is
/// 12), so it does not scan: around each of the lattice's roots it solves
/// within ±0.05 of it, else ±0.2 (inside the lattice's range), and answers
/// the roots it finds.
///
/// # Errors
/// Those of [`implied`], from the lattice's scan; and
/// [`CoreError::NoSolution`] when the exact engine's price crosses the
/// target near none of the lattice's roots.
pub fn implied_by(
    input: &ConvertibleInput,
    solve_for: SolveFor,
    market_price_per_100: f64,
    start: Option<f64>,
    range: SearchRange,
    engine: Engine,
) -> Result<Implied> {
    let target = positive_f64(market_price_per_100).at("market_price_per_100")?;
    let spec = input.spec();
    let base = input.market();
    let recovery = spec.recovery_rate;
    let quantity = match solve_for {
        SolveFor::Volatility => "volatility",
        SolveFor::CreditSpread => "credit_spread",
    };
    check_range(solve_for, range, quantity)?;
    let (lo, hi) = match (solve_for, spec.model) {
        (SolveFor::Volatility, Model::HazardRate) => {
            let floor = (base.credit_spread / (1.0 - recovery)).sqrt() * (1.0 + HAZARD_EDGE_REL)
                + HAZARD_EDGE_ABS;
            (floor.max(range.low), range.high)
        }
        (SolveFor::CreditSpread, Model::HazardRate) => {
            let cap =
                base.volatility * base.volatility * (1.0 - recovery) * (1.0 - HAZARD_EDGE_REL);
            (range.low, cap.min(range.high))
        }
        _ => (range.low, range.high),
    };
    let no_room = CoreError::NoSolution {
        quantity,
        reason: "the lattice cannot be built anywhere in the search range: under the \
                 hazard_rate model volatility² must exceed credit_spread / (1 − recovery_rate)",
    };
    if lo >= hi {
        return Err(no_room);
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
    let failed = |e: SolveError<f64>| match e {
        SolveError::Undefined { .. } => no_room.clone(),
        SolveError::Overflow(error) => error,
        _ => CoreError::NoSolution {
            quantity,
            reason: "the solver did not converge in 100 iterations",
        },
    };
    // Where the requested tree exists, found by building its per-step data
    // only: a price near the edge would refine the tree up to 20,000 steps.
    let stock = spec.stock_price;
    let builds = |x: f64| {
        Lattice::build_with(input, with(x), input.steps(), stock, Refine::Never).map(|_| 0.0)
    };
    let edge = Inward::Edge { tries: EDGE_TRIES };
    let ends = goal.ends((lo, edge), (hi, edge), builds).map_err(failed)?;

    let mut ws = Workspace::default();
    let mut evaluations = 0;
    let mut reach = (f64::INFINITY, f64::NEG_INFINITY);
    let grid = even_grid(ends.low.x, ends.high.x, SCAN_INTERVALS, quantity)?;
    let roots = goal.roots(grid, |x| {
        evaluations += 1;
        let price = price_at(input, with(x), &mut ws)?;
        if price.is_finite() {
            reach = (reach.0.min(price), reach.1.max(price));
        }
        Ok(price)
    });
    let roots = match roots {
        Ok(roots) => roots,
        Err(SolveError::NoSignChange { .. }) => {
            return Err(CoreError::SolutionOutOfRange {
                field: quantity,
                low: range.low,
                high: range.high,
                quantity: "market_price_per_100",
                target,
                min: reach.0,
                max: reach.1,
                moved: ends.moved_ends(),
            })
        }
        Err(e) => return Err(failed(e)),
    };
    let roots = match engine {
        Engine::Lattice => roots,
        Engine::MonteCarlo(settings) => {
            let mut price = |x: f64| {
                evaluations += 1;
                monte_carlo::price_in(input, with(x), settings).map(|v| v.price_per_100)
            };
            let mut exact = Vec::with_capacity(roots.len());
            for root in &roots {
                let near = EXACT_SEARCH_WIDTHS.iter().find_map(|w| {
                    let low = (root.x - w).max(ends.low.x);
                    let high = (root.x + w).min(ends.high.x);
                    goal.ends((low, Inward::Never), (high, Inward::Never), &mut price)
                        .and_then(|e| goal.solve(e.low, e.high, &mut price))
                        .ok()
                });
                exact.extend(near.filter(|r| exact.last().is_none_or(|l: &Root<f64>| l.x < r.x)));
            }
            if exact.is_empty() {
                return Err(CoreError::NoSolution {
                    quantity,
                    reason: "the exact engine's price does not reach the market price within \
                             0.2 of any value at which the lattice's does",
                });
            }
            exact
        }
    };
    // `Goal::roots` answers at least one root or an error.
    let chosen = nearest(&roots, start).ok_or(no_room)?;
    Ok(Implied {
        solve_for,
        value: chosen.x,
        price_per_100: chosen.value,
        iterations: evaluations,
        roots: roots.iter().map(|r| r.x).collect(),
    })
}

/// Refuses a search range outside the lattice's limits for `solve_for`, or
/// empty, naming the solved field.
fn check_range(solve_for: SolveFor, range: SearchRange, field: &'static str) -> Result<()> {
    let (floor, cap) = match solve_for {
        SolveFor::Volatility => (0.0, MAX_VOLATILITY),
        SolveFor::CreditSpread => (0.0, MAX_CREDIT_SPREAD),
    };
    let low_ok = match solve_for {
        SolveFor::Volatility => range.low > floor,
        SolveFor::CreditSpread => range.low >= floor,
    };
    if !(low_ok && range.low < range.high && range.high <= cap) {
        return Err(CoreError::Inconsistent {
            field: field.into(),
            reason: "the search range must be non-empty and within the lattice's limits",
        });
    }
    Ok(())
}

/// Of `roots` (ascending), the one nearest `start`, the lower on a tie; the
/// first without a start.
fn nearest(roots: &[Root<f64>], start: Option<f64>) -> Option<Root<f64>> {
    match start {
        None => roots.first().copied(),
        Some(start) => roots
            .iter()
            .copied()
            .min_by(|a, b| (a.x - start).abs().total_cmp(&(b.x - start).abs())),
    }
}

#[cfg(test)]
mod tests {
    use approx::{abs_diff_eq, assert_abs_diff_eq};
    use proptest::prelude::*;

    use super::*;
    use crate::convertible::lattice::tests::base_spec;
    use crate::convertible::pricing::fair_value_per_100;
    use proptest::test_runner::RngSeed;

    use crate::tolerance::{
        IMPLIED_SPREAD_ROUND_TRIP_ABS, IMPLIED_VOLATILITY_ROUND_TRIP_ABS, TF_SPLIT_JUMP_PER_100_ABS,
    };

    /// The api's wire ranges of `volatility` and `credit_spread`
    /// (`crates/api/src/bounds.rs`), which it passes as the search range.
    const VOLATILITY_RANGE: SearchRange = SearchRange {
        low: 0.01,
        high: 5.0,
    };
    const SPREAD_RANGE: SearchRange = SearchRange {
        low: 0.0,
        high: 0.5,
    };

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
                None,
                SPREAD_RANGE,
            )
            .unwrap();
            assert_abs_diff_eq!(solved.value, 0.07, epsilon = IMPLIED_SPREAD_ROUND_TRIP_ABS);
            assert_abs_diff_eq!(solved.price_per_100, target, epsilon = PRICE_PER_100_ABS);
        }
    }

    /// The note (CleanSpark's 52.1832 shares per 1,000) under the
    /// hazard-rate model, at its default 1,000 steps.
    fn hazard(vol: f64, spread: f64, recovery: f64) -> ConvertibleInput {
        let mut spec = base_spec();
        spec.conversion_rate_per_1000 = 52.1832;
        spec.model = Model::HazardRate;
        spec.volatility = vol;
        spec.credit_spread = spread;
        spec.recovery_rate = recovery;
        ConvertibleInput::new(spec).unwrap()
    }

    #[test]
    fn the_hazard_rate_implied_volatility_round_trips_at_a_realistic_volatility() {
        // Priced at σ = 0.6 (102.303078 per 100), the solve answered 422
        // "outside the attainable range [127.54, 131.66]": it started at
        // σ = √h, where no tree exists, and moved a quarter of the bracket
        // to σ = 1.42, skipping every realistic volatility.
        for (spread, recovery) in [(0.05, 0.0), (0.05, 0.4), (0.1, 0.0)] {
            let target = fair_value_per_100(&hazard(0.6, spread, recovery)).unwrap();
            let solved = implied(
                &hazard(0.3, spread, recovery),
                SolveFor::Volatility,
                target,
                None,
                VOLATILITY_RANGE,
            )
            .unwrap();
            assert_abs_diff_eq!(
                solved.value,
                0.6,
                epsilon = IMPLIED_VOLATILITY_ROUND_TRIP_ABS
            );
            assert_abs_diff_eq!(solved.price_per_100, target, epsilon = PRICE_PER_100_ABS);
        }
    }

    #[test]
    fn every_hazard_rate_implied_spread_is_reported_and_the_one_nearest_the_start_chosen() {
        // At σ 60% and recovery 0.4 the price is not monotone in the spread
        // (it falls to a minimum near 9% and rises again), so the price at
        // 8% is also reached at a wider spread: the solve answered 422,
        // comparing only the bracket's ends.
        let target = fair_value_per_100(&hazard(0.6, 0.08, 0.4)).unwrap();
        let input = hazard(0.6, 0.0, 0.4);
        let near_eight = implied(
            &input,
            SolveFor::CreditSpread,
            target,
            Some(0.08),
            SPREAD_RANGE,
        )
        .unwrap();
        assert_eq!(near_eight.roots.len(), 2, "{:?}", near_eight.roots);
        assert_abs_diff_eq!(
            near_eight.value,
            0.08,
            epsilon = IMPLIED_SPREAD_ROUND_TRIP_ABS
        );
        assert_eq!(near_eight.value, near_eight.roots[0]);
        let wide = near_eight.roots[1];
        assert!(wide > 0.09 && wide < 0.2, "{wide}");
        // The other root reprices to the target too, and a start near it
        // chooses it; without a start, the lowest.
        let repriced = fair_value_per_100(&hazard(0.6, wide, 0.4)).unwrap();
        assert_abs_diff_eq!(repriced, target, epsilon = PRICE_PER_100_ABS);
        let near_wide = implied(
            &input,
            SolveFor::CreditSpread,
            target,
            Some(0.2),
            SPREAD_RANGE,
        )
        .unwrap();
        assert_eq!(near_wide.value, wide);
        let lowest = implied(&input, SolveFor::CreditSpread, target, None, SPREAD_RANGE).unwrap();
        assert_eq!(lowest.value, near_eight.roots[0]);
    }

    #[test]
    fn a_price_beyond_reach_names_the_solved_field_and_its_range() {
        let input = input_with(0.6, 0.05, Model::TsiveriotisFernandes);
        let err = implied(&input, SolveFor::Volatility, 500.0, None, VOLATILITY_RANGE).unwrap_err();
        assert_eq!(err.field(), Some("volatility"));
        match err {
            CoreError::SolutionOutOfRange {
                low,
                high,
                min,
                max,
                target,
                moved,
                ..
            } => {
                assert_eq!((low, high), (0.01, 5.0));
                assert_eq!(target, 500.0);
                // At σ → 0 the note is about its bond floor or parity; at σ = 5 far more.
                assert!(min > 78.0 && min < 90.0, "{min}");
                assert!(max > min && max < 500.0, "{max}");
                // At 200 steps the tree exists from r√Δt ≈ 0.0075 up: the
                // range's low end, 0.01, is not moved.
                assert!(moved.is_empty(), "{moved:?}");
            }
            other => panic!("expected SolutionOutOfRange, got {other:?}"),
        }
        // A range reaching below where the tree exists has that end moved
        // inward, to r√Δt ≈ 0.0075, and says so.
        let wide = SearchRange {
            low: 0.001,
            high: 5.0,
        };
        match implied(&input, SolveFor::Volatility, 500.0, None, wide).unwrap_err() {
            CoreError::SolutionOutOfRange { moved, .. } => {
                assert_eq!(moved.len(), 1, "{moved:?}");
                assert_eq!(moved[0].end, "low");
                assert!(moved[0].to > 0.007 && moved[0].to < 0.008, "{:?}", moved[0]);
            }
            other => panic!("expected SolutionOutOfRange, got {other:?}"),
        }
    }

    #[test]
    fn a_search_range_beyond_the_lattice_limits_is_refused_naming_the_field() {
        let input = input_with(0.6, 0.05, Model::TsiveriotisFernandes);
        for (solve_for, low, high, field) in [
            (SolveFor::Volatility, 0.0, 5.0, "volatility"),
            (SolveFor::Volatility, 0.01, 6.0, "volatility"),
            (SolveFor::CreditSpread, -0.1, 0.5, "credit_spread"),
            (SolveFor::CreditSpread, 0.3, 0.2, "credit_spread"),
        ] {
            let err =
                implied(&input, solve_for, 100.0, None, SearchRange { low, high }).unwrap_err();
            assert_eq!(err.field(), Some(field), "{err}");
        }
    }

    #[test]
    fn a_target_inside_a_jump_of_the_tf_price_is_solved_to_the_jump() {
        // At 200 steps the TF price falls by 2.2e-4 per 100 at σ ≈ 0.2401589
        // and rises back at 0.2401594, as one node's conversion decision
        // flips and TF's all-or-nothing split moves between cash (at r + s)
        // and equity (at r). The price at σ = 0.24015881 is reached three
        // times within 6e-7 of σ, twice across a jump, where a solve stops
        // on the bracket with the price off by up to the jump: the bracket
        // Brent narrows decides which. This case failed the round-trip
        // property test, which held the price to 1e-6 (it now solves to the
        // continuous root, within 1e-6; either is within the jump).
        let (vol, spread) = (0.240_158_813_255_116_18, 0.054_932_094_435_462_5);
        let target =
            fair_value_per_100(&input_with(vol, spread, Model::TsiveriotisFernandes)).unwrap();
        let input = input_with(0.3, spread, Model::TsiveriotisFernandes);
        let solved = implied(&input, SolveFor::Volatility, target, None, VOLATILITY_RANGE).unwrap();
        assert_abs_diff_eq!(
            solved.value,
            vol,
            epsilon = IMPLIED_VOLATILITY_ROUND_TRIP_ABS
        );
        assert_abs_diff_eq!(
            solved.price_per_100,
            target,
            epsilon = TF_SPLIT_JUMP_PER_100_ABS
        );
    }

    proptest! {
        // A fixed seed, so that CI runs the same cases each time; the
        // property itself holds for every case (see the jump test above).
        #![proptest_config(ProptestConfig {
            cases: 12,
            rng_seed: RngSeed::Fixed(17),
            ..ProptestConfig::default()
        })]

        #[test]
        fn implied_volatility_round_trips(vol in 0.15f64..1.5, spread in 0.0f64..0.1) {
            let target = fair_value_per_100(&input_with(vol, spread, Model::TsiveriotisFernandes)).unwrap();
            // At a low volatility and a wide spread TF converts at once: the
            // price is parity for a range of volatilities, so no unique root.
            let parity = 1000.0 / 19.16 / 10.0 * 15.03;
            prop_assume!(target > parity + 0.5);
            let solved = implied(&input_with(0.3, spread, Model::TsiveriotisFernandes), SolveFor::Volatility, target, None, VOLATILITY_RANGE).unwrap();
            // Within the solver's tolerance, or, where the target falls in
            // one of the TF price's small jumps, within the jump.
            prop_assert!(abs_diff_eq!(solved.price_per_100, target, epsilon = TF_SPLIT_JUMP_PER_100_ABS));
            prop_assert!(
                abs_diff_eq!(solved.value, vol, epsilon = IMPLIED_VOLATILITY_ROUND_TRIP_ABS),
                "{} vs {}", solved.value, vol
            );
        }
    }
}
