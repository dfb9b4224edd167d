//! Every tolerance of the core, in one place (as statrs keeps its accuracies
//! in `prec`): each is named for what it bounds and says whether it is
//! absolute (`_ABS`, in the quantity's own unit) or relative (`_REL`, a
//! fraction of a stated scale).
//!
//! The first group shapes results: the solvers stop on them and the lattice
//! decides with them, so changing one changes answers. The second is what
//! the tests hold results to against independent values (closed forms,
//! published tables, peer libraries, hand calculations); the tests assert
//! with the `approx` crate.

use rust_decimal::Decimal;

/// IRR: the solver stops once the bracket around the rate is narrower than
/// this. Absolute, in rate per period (1e-12 is 1e-10 percent).
pub const IRR_RATE_ABS: f64 = 1e-12;
/// IRR: the largest `|NPV|` accepted at the rate found, recomputed in
/// `Decimal`. Relative to `Σ|flows|`.
pub const IRR_NPV_REL: f64 = 1e-9;

/// Goal seek on a money metric (NPV, NOI, ARR, exit value): the metric is
/// within this of the target. Absolute, USD: half a cent.
pub const GOAL_SEEK_MONEY_ABS: Decimal = Decimal::from_parts(5, 0, 0, false, 3);
/// Goal seek on a rate, ratio or number of years: the metric is within this
/// of the target. Absolute, in the metric's unit: 1e-9 (a ten-millionth of
/// a percentage point).
pub const GOAL_SEEK_RATIO_ABS: Decimal = Decimal::from_parts(1, 0, 0, false, 9);
/// Tests: a goal seek's value against its closed form: the metric's own
/// tolerance (1e-9 on an IRR) leaves the value free by about 1e-8 of
/// itself. Relative to the closed form.
pub const GOAL_SEEK_VALUE_REL: Decimal = Decimal::from_parts(1, 0, 0, false, 7);
/// Goal seek gives up, the metric jumping across the target, once the
/// bracket is narrower than this. Relative to `max(1, |value|)`.
pub const GOAL_SEEK_BRACKET_REL: f64 = 1e-14;

/// Implied volatility or spread: the solver stops once the lattice price
/// is within this of the market price. Absolute, per 100 of face.
pub const PRICE_PER_100_ABS: f64 = 1e-6;
/// Implied volatility or spread: ... or once the bracket is narrower than
/// this. Absolute, in the solved input's unit (volatility or spread, a
/// decimal fraction).
pub const IMPLIED_ARGUMENT_ABS: f64 = 1e-9;
/// Implied volatility under the hazard-rate model: the search starts this
/// far above `√h`, where the tree's diffusion `σ² − h` vanishes (with
/// [`HAZARD_EDGE_ABS`]); the implied spread stops this far below
/// `σ²(1 − recovery)`. Relative to that edge.
pub const HAZARD_EDGE_REL: f64 = 1e-6;
/// The absolute part of the volatility floor of [`HAZARD_EDGE_REL`]:
/// volatility, a decimal fraction.
pub const HAZARD_EDGE_ABS: f64 = 1e-6;

/// Yield to maturity: the solver brackets the yield this tightly.
/// Absolute, a decimal fraction a year.
pub const YIELD_ABS: Decimal = Decimal::from_parts(1, 0, 0, false, 12);

/// Lattice: a call barrier at most this far above a layer of nodes is moved
/// onto it (see the lattice's *Calls on the lattice*). Absolute, in node
/// spacings (`σ√Δt` in log price).
pub const SNAP_SPACINGS_ABS: f64 = 0.05;
/// Lattice: a barrier this little below a layer counts as on it, a rounding
/// error of the logarithm. Absolute, in node spacings.
pub const LAYER_ROUNDING_SPACINGS_ABS: f64 = 1e-6;
/// Lattice: the forced-conversion level is set this far below its layer,
/// whose nodes are powers of `u` built by repeated multiplication (within
/// 2e-12), so that they count as on it. Relative to the level.
pub const NODE_LEVEL_MARGIN_REL: f64 = 1e-9;
/// Lattice: [`align_steps`](crate::convertible::lattice::align_steps)
/// takes the first step count that puts every exercise date this close to
/// a step. Absolute, in steps.
pub const ALIGN_STEPS_ABS: f64 = 0.05;

/// Mining: `miner_count × th_per_miner` may differ from the stated fleet
/// hashrate by this much. Relative to the fleet hashrate: 2%.
///
/// Reported fleet hashrates are rounded (CleanSpark's "50.0 EH/s") and the
/// per-miner average is usually rounded to whole TH/s, so an exact match is
/// too strict; a gap beyond 2% means the two figures describe different
/// fleets (for example deployed versus operating machines).
pub const MINER_HASHRATE_REL: Decimal = Decimal::from_parts(2, 0, 0, false, 2);

/// Sum of the parts with make-whole shares: a root of a piece's quadratic
/// is kept when the fixed-point equation, recomputed at it under the
/// regimes that hold there, is within this of zero; two roots this close
/// are one. Relative to `|E₀| + |V| × shares + 1` (USD), far above the
/// `Decimal` rounding of the closed form (about 1e-20) and far below any
/// figure a user reads (cents on billions is 1e-11).
pub const FIXED_POINT_REL: Decimal = Decimal::from_parts(1, 0, 0, false, 14);

/// Sum of the parts: the scenarios' probabilities must add up to 1 within
/// this. Absolute, a probability: 1e-9 lets thirds typed to ten decimals
/// (0.3333333333 × 3) pass and refuses any real omission.
pub const PROBABILITY_SUM_ABS: Decimal = Decimal::from_parts(1, 0, 0, false, 9);

/// Tests: an `f64` result against a hand calculation of a few operations
/// in `f64`. Absolute, in the quantity's unit.
pub const F64_ROUNDING_ABS: f64 = 1e-12;
/// Tests: the same, relative to the expected value.
pub const F64_ROUNDING_REL: f64 = 1e-12;
/// Tests: the `f64` model path (sensitivity grids) against the `Decimal`
/// model, over random projects. Relative to the metric (to the largest
/// cash flow for NPV).
pub const F64_MODEL_REL: f64 = 1e-9;
/// Tests: a `Decimal` result against its exact value, where only the last
/// of its 28 digits can differ. Absolute, in the quantity's unit.
pub const DECIMAL_DIGITS_ABS: Decimal = Decimal::from_parts(1, 0, 0, false, 15);
/// Tests: a `Decimal` result that went through a 28-digit division (fleet
/// over network) against the closed form. Relative to the expected value.
pub const DECIMAL_DIVISION_REL: Decimal = Decimal::from_parts(1, 0, 0, false, 20);
/// Tests: a per-share value against its closed form; every step is exact
/// `Decimal` but a division. Absolute, USD per share.
pub const PER_SHARE_ABS: Decimal = Decimal::from_parts(1, 0, 0, false, 18);
/// Tests: money against a hand calculation with a repeating decimal (a
/// rate of 133.33… a kW-month). Absolute, USD: a hundredth of a cent.
pub const MONEY_HAND_CALC_ABS: Decimal = Decimal::from_parts(1, 0, 0, false, 4);
/// Tests: money quoted to the cent (an NPV over 20 years, a site value).
/// Absolute, USD.
pub const CENT_ABS: Decimal = Decimal::from_parts(1, 0, 0, false, 2);
/// Tests: share counts against a hand calculation. Absolute, in shares.
pub const SHARES_ABS: Decimal = Decimal::from_parts(1, 0, 0, false, 6);
/// Tests: a dilution fraction against a hand calculation. Absolute.
pub const DILUTION_FRACTION_ABS: Decimal = Decimal::from_parts(1, 0, 0, false, 12);
/// Tests: a price quoted to 4 decimals (a break-even share price).
/// Absolute, USD.
pub const QUOTED_PRICE_ABS: Decimal = Decimal::from_parts(1, 0, 0, false, 4);
/// Tests: a conversion price quoted to 5 decimals. Absolute, USD.
pub const CONVERSION_PRICE_ABS: Decimal = Decimal::from_parts(1, 0, 0, false, 5);
/// Tests: bitcoin summed over a projection against production per day
/// times its days. Absolute, BTC.
pub const BTC_ABS: Decimal = Decimal::from_parts(1, 0, 0, false, 12);
/// Tests: a model month or day against what CleanSpark reported (622 BTC
/// in December 2025). Relative to the reported figure: the model is an
/// expected value, and fees, uptime and the network vary.
pub const REPORTED_PRODUCTION_REL: Decimal = Decimal::from_parts(1, 0, 0, false, 1);

/// Tests: yields against closed forms. Absolute, a decimal fraction a year.
pub const YIELD_CLOSED_FORM_ABS: f64 = 1e-10;
/// Tests: a price quoted to 4 decimals pins its yield only to this.
/// Absolute, a decimal fraction a year.
pub const QUOTED_YIELD_ABS: f64 = 1e-5;
/// Tests: accreted values against an `f64` closed form. Absolute, per 100.
pub const ACCRETED_PER_100_ABS: f64 = 1e-6;
/// Tests: `Decimal` prices and schedule values against a hand calculation.
/// Absolute, per 100.
pub const SCHEDULE_PER_100_ABS: Decimal = Decimal::from_parts(1, 0, 0, false, 7);

/// Tests: the normal distribution against erf's series in 90-digit
/// decimals (`bench/normal_cdf_reference.py`). Absolute.
pub const NORMAL_CDF_ABS: f64 = 1e-15;
/// Tests: the normal distribution's tail, where an absolute tolerance
/// sees nothing; rounding `−x/√2` to a double alone moves `Q(8)` by about
/// 7e-15. Relative.
pub const NORMAL_TAIL_REL: f64 = 1e-13;
/// Tests: lattice prices at the default step count against 20,000 steps,
/// and comparisons that the tree's discretisation blurs. Absolute, per 100.
pub const CONVERGED_PER_100_ABS: f64 = 0.01;
/// Tests: converged callable prices against the independent tree of
/// `bench/convertible_barrier_tree.py`. Absolute, per 100.
pub const INDEPENDENT_TREE_PER_100_ABS: f64 = 0.005;
/// Tests: the exact (Monte Carlo) engine against the independent numpy
/// paths of `bench/convertible_daily_mc.py`, in combined standard errors
/// `√(se_ours² + se_numpy²)`.
pub const INDEPENDENT_MC_SIGMAS: f64 = 4.0;
/// Tests: two exact-engine prices that must be ordered (a property), in
/// standard errors of their difference.
pub const MC_ORDER_SIGMAS: f64 = 3.0;
/// Tests: two lattice prices whose call barriers differ, which must be
/// ordered: re-centring the tree on each barrier moves a far
/// out-of-the-money note by up to 0.02 per 100 at the default steps (σ
/// 0.36, S 5, spread 9.5%, a trigger 1.85% higher: 47.498 against 47.516).
/// Absolute, per 100.
pub const BARRIER_RECENTRING_PER_100_ABS: f64 = 0.03;
/// Issue 15's floor: the exact engine's default run has a standard error
/// of at most this on the CleanSpark-like note. Per 100.
pub const EXACT_STANDARD_ERROR_PER_100: f64 = 0.05;
/// Issue 15's floor: the lattice with the effective trigger against the
/// exact engine on the grid. Absolute, per 100.
pub const EFFECTIVE_TRIGGER_PER_100_ABS: f64 = 0.25;
/// The exact engine's least-squares early conversion (weekly, a fitted
/// policy: a lower bound) against the lattice's node-by-node choice, per
/// 100, on top of its standard errors: 0.02 to 0.03 seen.
pub const EARLY_CONVERSION_PER_100_ABS: f64 = 0.1;
/// Tests: a price per 100 against the same figure quoted to 6 decimals
/// (by a reference script). Absolute, per 100.
pub const QUOTED_PER_100_ABS: f64 = 5e-7;
/// Tests: a TF note convertible only at maturity against the closed-form
/// European TF value, from 1,000 steps up, odd or even: the closed-form
/// last step leaves an error falling like `1/N` (0.0013 per 100 at 1,000
/// steps on the CleanSpark note, 0.0002 at 4,000). Absolute, per 100.
pub const EUROPEAN_TF_PER_100_ABS: f64 = 0.002;
/// Tests: TF prices against the finite-difference solution of
/// `bench/convertible_tf_pde.py`, from 1,500 steps up: its own grid error
/// (coarse and fine grids 2e-4 apart) and the lattice's (at most 0.0036 on
/// the single-date call). Absolute, per 100.
pub const TF_PDE_PER_100_ABS: f64 = 0.005;
/// Tests: a hard-called note against QuantLib's BinomialConvertibleEngine
/// (`bench/convertible_quantlib_example.py`), the mean of its prices from
/// 4,000 to 10,000 steps: QuantLib's own spread over those counts (0.002)
/// and the lattice's at its default steps (within 0.01 of 20,000 steps).
/// Absolute, per 100.
pub const QUANTLIB_HARD_CALL_PER_100_ABS: f64 = 0.01;
/// Tests: a soft-called note against the same mean: QuantLib's trigger
/// falls between node layers, so its price swings by ±0.045 per 100 over
/// those step counts. Absolute, per 100.
pub const QUANTLIB_SOFT_CALL_PER_100_ABS: f64 = 0.05;
/// Tests: TF prices against the textbook TF tree of the reference file.
/// Relative to the reference price.
pub const TF_REFERENCE_REL: f64 = 0.005;
/// Tests: hazard-rate prices against financepy's tree. Relative to the
/// reference price.
pub const HAZARD_REFERENCE_REL: f64 = 0.01;
/// Tests: the zero-spread case, where every model and reference agree.
/// Absolute, per 100.
pub const ZERO_SPREAD_PER_100_ABS: f64 = 0.05;
/// Tests: the bond floor, parity and accrued against the reference file.
/// Absolute, per 100.
pub const CASH_FLOW_PER_100_ABS: f64 = 1e-6;
/// Tests: the tree's delta against a ±1% finite difference of repriced
/// notes. Relative to the finite difference.
pub const DELTA_FINITE_DIFFERENCE_REL: f64 = 0.02;
/// Tests: CS01 against a 10 bp reprice (a central 1 bp bump against a
/// one-sided 10 bp one). Relative to the reprice.
pub const CS01_REPRICE_REL: f64 = 0.05;
/// Tests: theta against a valuation one day later. Absolute, per 100 per
/// day.
pub const THETA_ONE_DAY_PER_100_ABS: f64 = 0.003;
/// Tests: theta of a callable note against the price change over four
/// weeks, per day (the lattice's own noise, a few thousandths per 100,
/// spread over 28 days). Absolute, per 100 per day.
pub const THETA_FOUR_WEEKS_PER_100_ABS: f64 = 0.002;
/// Tests: each greek of the book's soft-callable note at the default
/// settings against a central bump of a 20,000-step tree
/// (`tests/convertible_greeks.rs`; measured worst case in the comment).
/// Delta against a ±1% share-price bump: 0.05%. Relative.
pub const GREEK_DELTA_REL: f64 = 0.002;
/// Gamma against the same ±1% bump: 10%, because the tree's gamma is the
/// curvature over its three valuation-date nodes, `u⁻²` to `u²` (±7% of
/// the share price at 2,000 steps and σ = 60%), not at the point. Relative.
pub const GREEK_GAMMA_REL: f64 = 0.15;
/// Theta against a ±1-day valuation-date bump: 8e-5 per 100 per day (the
/// tree's two-step difference at the centre node). Absolute, per 100 per
/// day.
pub const GREEK_THETA_PER_100_PER_DAY_ABS: f64 = 2e-4;
/// Vega against a ±1 vol point bump: 0.21% on trees of half the steps.
/// Relative.
pub const GREEK_VEGA_REL: f64 = 0.005;
/// Rho and CS01 against a ±1 bp bump: 0.11% on trees of a quarter of the
/// steps. Relative.
pub const GREEK_RATE_REL: f64 = 0.003;
/// Tests: a deep out-of-the-money note against its bond floor (its option
/// is worth less than 1e-4). Absolute, per 100.
pub const OPTION_WORTHLESS_PER_100_ABS: f64 = 1e-3;
/// Tests: an implied spread against the spread its price came from.
/// Absolute, a decimal fraction.
pub const IMPLIED_SPREAD_ROUND_TRIP_ABS: f64 = 1e-5;
/// Tests: an implied volatility against the volatility its price came
/// from (vega is small at low volatility). Absolute, a decimal fraction.
pub const IMPLIED_VOLATILITY_ROUND_TRIP_ABS: f64 = 1e-4;
/// Tests: an implied volatility's price against its target where the TF
/// price jumps across it. The TF tree's price is not continuous in its
/// inputs: where a node's conversion decision flips, the all-or-nothing
/// split between cash (discounted at `r + s`) and equity (at `r`) moves
/// the price, by 2.2e-4 per 100 at 200 steps on the reference note
/// (σ 0.2401589 to 0.2401594, spread 0.0549), and a solve whose target
/// falls in such a jump stops on the bracket that far off. Absolute, per
/// 100.
pub const TF_SPLIT_JUMP_PER_100_ABS: f64 = 1e-3;
/// Tests: the slack when two lattice prices must be ordered (a callable
/// note at most the non-callable one, at least parity). Absolute, per 100.
pub const LATTICE_ORDER_PER_100_ABS: f64 = 1e-9;
/// Tests: a lattice quantity placed on a node layer, against where it
/// should be: relative, for prices built from `exp` and `ln`.
pub const LATTICE_LEVEL_REL: f64 = 1e-8;
/// Tests: ... and in node spacings, absolute.
pub const LATTICE_LAYER_ABS: f64 = 1e-6;

/// A `Decimal` that the `approx` macros can compare:
/// `assert_abs_diff_eq!(Exact(a), Exact(b), epsilon = PER_SHARE_ABS)` or
/// `assert_relative_eq!(Exact(a), Exact(b), max_relative = DECIMAL_DIVISION_REL)`,
/// exactly, where converting to `f64` would lose the digits under test.
#[cfg(test)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Exact(pub(crate) Decimal);

#[cfg(test)]
impl Exact {
    fn distance(self, other: Exact) -> Option<Decimal> {
        self.0.checked_sub(other.0).map(|d| d.abs())
    }
}

#[cfg(test)]
impl approx::AbsDiffEq for Exact {
    type Epsilon = Decimal;

    fn default_epsilon() -> Decimal {
        Decimal::ZERO
    }

    fn abs_diff_eq(&self, other: &Exact, epsilon: Decimal) -> bool {
        self.distance(*other).is_some_and(|d| d <= epsilon)
    }
}

#[cfg(test)]
impl approx::RelativeEq for Exact {
    fn default_max_relative() -> Decimal {
        Decimal::ZERO
    }

    fn relative_eq(&self, other: &Exact, epsilon: Decimal, max_relative: Decimal) -> bool {
        let Some(d) = self.distance(*other) else {
            return false;
        };
        let scale = self.0.abs().max(other.0.abs());
        d <= epsilon || scale.checked_mul(max_relative).is_some_and(|m| d <= m)
    }
}

#[cfg(test)]
mod tests {
    use approx::{assert_abs_diff_eq, assert_abs_diff_ne, assert_relative_eq, assert_relative_ne};
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn exact_decimals_compare_in_all_their_digits() {
        let third = dec!(1) / dec!(3);
        assert_abs_diff_eq!(
            Exact(third * dec!(3)),
            Exact(dec!(1)),
            epsilon = DECIMAL_DIGITS_ABS
        );
        // 1e-20 apart: invisible in f64 near 1, seen here.
        assert_abs_diff_ne!(
            Exact(dec!(1)),
            Exact(dec!(1.00000000000000000001)),
            epsilon = dec!(1e-21)
        );
        assert_relative_eq!(
            Exact(dec!(1000)),
            Exact(dec!(1000.000000000000000005)),
            max_relative = DECIMAL_DIVISION_REL
        );
        assert_relative_ne!(
            Exact(dec!(1000)),
            Exact(dec!(1000.001)),
            max_relative = DECIMAL_DIVISION_REL
        );
        assert_abs_diff_ne!(Exact(Decimal::MAX), Exact(Decimal::MIN), epsilon = dec!(1));
    }
}
