//! Building the tree: the step count (refined for valid probabilities,
//! aligned with exercise dates), the centring on a call barrier, and the
//! per-step data that every rollback reuses.

use super::spec::{ConvertibleInput, Market, Model, MAX_STEPS, MIN_STEPS};
use crate::error::CoreError;
use crate::tolerance::{
    ALIGN_STEPS_ABS, LAYER_ROUNDING_SPACINGS_ABS, NODE_LEVEL_MARGIN_REL, SNAP_SPACINGS_ABS,
};
use crate::Result;

/// The principal repaid at maturity, per 100 of face.
pub(super) const PRINCIPAL_PER_100: f64 = 100.0;

/// Half-width of the computed band of nodes, in standard deviations of the
/// log stock price: beyond it a node is reached with probability below
/// 1e-9 (one side), and a node at the band's edge takes its missing child's
/// value from its neighbour.
///
/// It was 8 (1e-15). At 6 a rollback computes about a seventh fewer node
/// updates, and over 40 notes (TF and hazard rate; plain, hard and soft
/// calls, a put, coupons and a dividend; share prices $8 to $40) the price
/// moved by at most 5e-8 per 100 and every greek by at most 4e-7 relative
/// (absolute 3e-9 per 100 per day on theta), far inside every tolerance of
/// [`crate::tolerance`].
pub const BAND_STD_DEVS: f64 = 6.0;

/// What [`Lattice::build_with`] does when the step count leaves a tree
/// probability outside `[0, 1]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refine {
    /// Double the steps, up to [`MAX_STEPS`]: what a price does.
    UpToCap,
    /// Refuse, naming `steps`: what a solver's search does to find where
    /// the requested tree exists, without building ever finer trees near
    /// the edge.
    Never,
}

/// The lattice's per-step data: everything that does not depend on the stock
/// price, built once and rolled back for any number of stock prices.
#[derive(Debug, Clone)]
pub(crate) struct Lattice {
    pub(super) model: Model,
    pub(super) steps: usize,
    pub(super) dt: f64,
    /// `u` per step (`e^{σ'√Δt}`).
    pub(super) up: f64,
    /// Weights of the up and down children, discount included.
    /// TF: equity part (`e^{−rΔt}p`, `e^{−rΔt}(1−p)`); hazard: whole note.
    pub(super) w_up: f64,
    pub(super) w_down: f64,
    /// TF: the cash part's weights (`e^{−(r+s)Δt}p`, `e^{−(r+s)Δt}(1−p)`).
    pub(super) wc_up: f64,
    pub(super) wc_down: f64,
    /// Hazard: discounted recovery received on default within a step, per 100.
    pub(super) default_leg: f64,
    pub(super) shares: f64,
    /// Principal plus the final coupon, per 100: what the closed-form last
    /// step pays where the note is not converted.
    pub(super) redemption: f64,
    pub(super) conversion_start_step: usize,
    pub(super) coupon: Vec<f64>,
    pub(super) call_dirty: Vec<f64>,
    pub(super) call_trigger_stock: Vec<f64>,
    /// Per step, the stock price (cum dividend) from which a live call
    /// forces conversion, moved onto a node layer; NaN where the barrier
    /// was not moved (then `conversion value ≥ call` decides).
    pub(super) call_forced_stock: Vec<f64>,
    /// The value of a note forced to convert on that layer: the conversion
    /// value at the true barrier, `max(call, shares × trigger)`.
    pub(super) call_forced_value: Vec<f64>,
    /// At the first step of a call window, the stock price (cum dividend)
    /// half a spacing above the barrier's layer: a node from the layer up to
    /// it is on the layer. NaN at other steps.
    pub(super) call_opening_top: Vec<f64>,
    /// Whether a node just below the barrier at that step is out of the call
    /// (a soft call's trigger is the barrier) rather than capped.
    pub(super) call_opening_uncalled: Vec<bool>,
    /// The tree's centre over today's ex-dividend price, `u^shift` with
    /// `|shift| ≤ 1/2`: 1 without a call.
    pub(super) centre_factor: f64,
    pub(super) put_dirty: Vec<f64>,
    pub(super) dividends_pv: Vec<f64>,
    /// True where a step needs the general node update (coupon, call, put, or
    /// no conversion yet).
    pub(super) special: Vec<bool>,
    /// True where a special step's only event is a call (no coupon, no put,
    /// conversion open, not the last step of its window): the converted
    /// region still propagates through it (see [`Lattice::first_converted`]),
    /// so only the nodes below it are computed, and those below a soft
    /// call's trigger take the fast step.
    pub(super) call_only: Vec<bool>,
    /// PV at time 0 of the discrete dividends.
    pub(super) dividends_pv0: f64,
    /// Half-width of the computed band of level `i`, in positions (`u` steps)
    /// around the centre: nodes further out are reached with a probability
    /// below 1e-9 and are not computed ([`BAND_STD_DEVS`]).
    pub(super) band: Vec<usize>,
    /// Whether the last step is done in closed form (see [`Lattice::smooth_last_step`]).
    pub(super) smooth: bool,
    /// One-step quantities for the closed-form last step.
    pub(super) sigma_sqrt_dt: f64,
    pub(super) drift: f64,
    pub(super) risky_discount: f64,
    pub(super) dividend_discount: f64,
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
            let (h, sigma) = m.diffusion(model, recovery)?;
            let u = (sigma * dt.sqrt()).exp();
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

/// Where a barrier at `x` node spacings from the tree's centre lies, in
/// spacings above the layer at or below it: in `[0, 1)`, with a barrier a
/// rounding error below a layer counted as on it.
fn above_layer(x: f64) -> f64 {
    let k = (x + LAYER_ROUNDING_SPACINGS_ABS).floor();
    (x - k).max(0.0)
}

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
        if g <= ALIGN_STEPS_ABS {
            return n;
        }
        if g < best.0 {
            best = (g, n);
        }
    }
    best.1
}

/// Whether step `i` is the last of a call window: a call is live at it
/// (`call_dirty[i]` finite) and not at the next step.
pub(super) fn window_ends(call_dirty: &[f64], i: usize) -> bool {
    call_dirty[i].is_finite() && call_dirty.get(i + 1).is_none_or(|c| !c.is_finite())
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
        Self::build_with(input, m, steps, stock, Refine::UpToCap)
    }

    /// [`Lattice::build`], refining the steps as `refine` says.
    pub(crate) fn build_with(
        input: &ConvertibleInput,
        m: Market,
        steps: usize,
        stock: f64,
        refine: Refine,
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
            if refine == Refine::Never {
                return Err(CoreError::Inconsistent {
                    field: "steps".into(),
                    reason: "the steps leave a tree probability outside [0, 1]: \
                             the drift is too large for the volatility",
                });
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
        // Calls and puts are decided on the value ex the coupon of their
        // step, which every holder then receives, whatever was decided
        // (see `Lattice::decide`): so on a coupon step nothing has accrued.
        let accrued = |i: usize| {
            if coupon[i] > 0.0 {
                0.0
            } else {
                input.accrued_at(i as f64 * dt)
            }
        };
        let mut call_dirty = vec![f64::INFINITY; n1];
        let mut call_trigger_stock = vec![0.0; n1];
        let conversion_price = input.conversion_price();
        for c in &spec.call_schedule {
            if c.to_date < spec.valuation_date {
                continue;
            }
            let first = step_of(input.time_of(c.from_date).max(0.0), dt, steps);
            let last = step_of(input.time_of(c.to_date), dt, steps);
            let trigger = c
                .lattice_trigger(m.volatility)
                .map_or(0.0, |t| t * conversion_price);
            for i in first..=last {
                let dirty = c.price_per_100 + accrued(i);
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
            put_dirty[i] = put_dirty[i].max(p.price_per_100 + accrued(i));
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
        // SNAP_SPACINGS_ABS spacings above a layer is moved down onto it, a
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
            .call_barrier(m.volatility)
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
        // The barrier's position and its layer's level, kept from the last
        // call step: the same barrier over the same dividends (a zero-coupon
        // note's whole window) gives the same values, without the ln and
        // exp that were a twentieth of a full answer.
        let mut position: Option<(f64, f64)> = None;
        let mut layer_level: Option<(f64, f64)> = None;
        for i in 0..n1 {
            let call = call_dirty[i];
            if !call.is_finite() {
                continue;
            }
            let trigger = call_trigger_stock[i];
            let barrier = (call / shares).max(trigger);
            let above_dividends = barrier - dividends_pv[i];
            let x = match position {
                Some((key, x)) if key == above_dividends => x,
                _ => {
                    let x = (above_dividends / escrowed).ln() / log_u;
                    position = Some((above_dividends, x));
                    x
                }
            };
            if x.is_finite() && above_layer(x) <= SNAP_SPACINGS_ABS {
                let layer = (x - above_layer(x)).round();
                // Nodes are powers of u built by repeated multiplication,
                // within 2e-12 relative: the margin keeps the layer's nodes in.
                let layer_stock = match layer_level {
                    Some((key, level)) if key == layer => level,
                    _ => {
                        let level = escrowed * (layer * log_u).exp();
                        layer_level = Some((layer, level));
                        level
                    }
                };
                let level = layer_stock * (1.0 - NODE_LEVEL_MARGIN_REL) + dividends_pv[i];
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
        // The last step of a call window moves the nodes called for cash
        // wholly to the cash part, splitting each cell at the boundary by
        // its neighbours: the general update.
        let call_only: Vec<bool> = (0..n1)
            .map(|i| {
                call_dirty[i].is_finite()
                    && !window_ends(&call_dirty, i)
                    && coupon[i] == 0.0
                    && !put_dirty[i].is_finite()
                    && i >= conversion_start_step
            })
            .collect();
        let redemption = PRINCIPAL_PER_100 + coupon[steps];
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
        // the maturity date at no less than the principal is never
        // exercised there, and a call just before maturity is decided on
        // the closed-form values; so a call window running to maturity, the
        // usual case, keeps the smooth last step (without it the
        // soft-called CleanSpark note swings by ±0.03 per 100 with N). So
        // does a conversion right that opens only at maturity, where the
        // plain tree swung between 103.678 (1,000 steps) and 103.877
        // (1,001) around the closed form's 103.706. A coupon or a put on
        // the step before maturity needs the general update there.
        let smooth = spec.model == Model::TsiveriotisFernandes
            && call_dirty[steps] >= PRINCIPAL_PER_100
            && !put_dirty[steps].is_finite()
            && steps >= 1
            && coupon[steps - 1] == 0.0
            && !put_dirty[steps - 1].is_finite();
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
    pub(super) fn band_of(&self, i: usize) -> (usize, usize) {
        let k = self.band[i];
        // Position of node j is 2j − i − 2; keep |position| ≤ k.
        let lo = (i + 2).saturating_sub(k).div_ceil(2);
        let hi = ((i + 2 + k) / 2).min(i + 2);
        (lo, hi)
    }
}

#[cfg(test)]
mod tests {
    use approx::{assert_abs_diff_eq, assert_relative_eq};

    use super::*;
    use crate::convertible::lattice::tests::{base_spec, date, input};
    use crate::convertible::lattice::{CallPeriod, CashDividend};
    use crate::tolerance::{F64_ROUNDING_ABS, LATTICE_LAYER_ABS, LATTICE_LEVEL_REL};

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
        assert!(gap(&one, n) <= ALIGN_STEPS_ABS, "{n}: {}", gap(&one, n));
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
            test: None,
        }];
        let input = input(spec);
        let lattice = Lattice::build(&input, input.market(), 1000, 15.03).unwrap();
        let trigger = 1.3 * 19.16;
        // The centre moves by at most half a spacing: u^{±1/2}.
        let half = lattice.up.sqrt();
        assert!(lattice.centre_factor <= half && lattice.centre_factor >= 1.0 / half);
        let i = lattice.steps() / 2;
        let level = lattice.call_forced_stock[i];
        assert_relative_eq!(level, trigger, max_relative = LATTICE_LEVEL_REL);
        let layer = (level / (15.03 * lattice.centre_factor)).ln() / lattice.up.ln();
        assert_abs_diff_eq!(layer, layer.round(), epsilon = LATTICE_LAYER_ABS);
        // Paid the conversion value at the trigger: 100/19.16 × 1.3 × 19.16 = 130.
        assert_abs_diff_eq!(
            lattice.call_forced_value[i],
            130.0,
            epsilon = F64_ROUNDING_ABS
        );
        // A call window running to maturity keeps the closed-form last step.
        assert!(lattice.smooth);
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
        assert_abs_diff_eq!(input.dividends_pv(), want, epsilon = F64_ROUNDING_ABS);
        let lattice = Lattice::build(&input, input.market(), 1000, 15.03).unwrap();
        assert_abs_diff_eq!(lattice.dividends_pv0, want, epsilon = F64_ROUNDING_ABS);
        // After the second ex-date nothing is left to pay.
        assert_eq!(*lattice.dividends_pv.last().unwrap(), 0.0);
    }
}
