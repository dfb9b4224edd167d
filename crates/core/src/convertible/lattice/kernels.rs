//! The node updates: the plain TF and hazard-rate steps (the hot loops),
//! the fused call-only steps, the conversion value, the closed-form last
//! step and the normal distribution it needs.

use super::build::Lattice;

impl Lattice {
    /// The conversion value per 100 at a node with ex-dividend stock `spot`
    /// and dividends still to go worth `div`. Every path computes it with
    /// this one expression, so that "holds exactly its conversion value" is
    /// an exact comparison.
    #[inline]
    pub(super) fn conversion_value(&self, spot: f64, div: f64) -> f64 {
        self.shares * spot + self.shares * div
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
    pub(super) fn last_step_closed_form(&self, s: f64) -> (f64, f64) {
        let strike = self.redemption / self.shares;
        let v = self.sigma_sqrt_dt;
        let d1 = ((s / strike).ln() + self.drift * self.dt) / v + 0.5 * v;
        let d2 = d1 - v;
        (
            self.shares * s * self.dividend_discount * norm_cdf(d1),
            self.redemption * self.risky_discount * norm_cdf(-d2),
        )
    }

    /// The nodes `range` of a TF call-only step `i` (no coupon, no put,
    /// conversion open) whose level spans `band`: the general update of
    /// [`Lattice::rollback`] and [`Lattice::decide`] fused into one pass,
    /// with the same arithmetic in the same order, so the same result.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn tf_call_step(
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
                let capped = self.called_for_cash(i, (e, c), hold);
                let cash = (1.0 - w) * capped.1;
                let v = self.forced_value(i, s, conv).unwrap_or(conv.max(call));
                self.opening_mean(i, s, (e, c), capped, (v - cash, cash))
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
    pub(super) fn hazard_call_step(
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
                let (e, c) = self.called_for_cash(i, (hold, 0.0), hold);
                let capped = e + c;
                let v = self.forced_value(i, s, conv).unwrap_or(capped);
                self.opening_mean(i, s, (hold, 0.0), (capped, 0.0), (v, 0.0))
                    .0
            } else {
                hold
            };
            out[j] = if conv > v { conv } else { v };
        }
    }
}

/// The standard normal distribution function.
///
/// # Formula
/// `N(x) = erfc(−x/√2) / 2`, with `erfc` from `libm` (a port of FreeBSD's
/// msun, within an ulp or so); accurate to about 1e-16 absolute in the
/// centre and 1e-14 relative in the tails. The closed-form last step reads
/// it at every node of the last level.
pub(super) fn norm_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x * std::f64::consts::FRAC_1_SQRT_2)
}

pub(super) fn node_value(tf: bool, v: &[f64], c: &[f64], j: usize) -> f64 {
    if tf {
        v[j] + c[j]
    } else {
        v[j]
    }
}

/// The contiguous slice of stock prices (ex-dividend, `S*`) of level `i`.
pub(super) fn level_spots<'a>(even: &'a [f64], odd: &'a [f64], n: usize, i: usize) -> &'a [f64] {
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
pub(super) fn tf_step(
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
pub(super) fn hazard_step(
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
mod tests {
    use super::*;
    use crate::tolerance::{NORMAL_CDF_ABS, NORMAL_TAIL_REL};

    #[test]
    fn the_normal_distribution_matches_an_independent_series_to_1e_15() {
        // N(x) and Q(x) = N(−x) from erf's Maclaurin series in 90-digit
        // decimals (bench/normal_cdf_reference.py; Abramowitz & Stegun,
        // Table 26.1, agrees to its 15 decimals). The polynomial erfc this
        // replaced was off by 2.2e-8 at x = 0.5, 7.5e-9 at 1 and 4e-11 at
        // 3, and fails each of these by three orders of magnitude or more.
        for (x, n, q) in [
            (0.5, 0.691_462_461_274_013_1, 3.085_375_387_259_869e-1),
            (1.0, 0.841_344_746_068_542_9, 1.586_552_539_314_570_5e-1),
            (1.96, 0.975_002_104_851_779_6, 2.499_789_514_822_043_4e-2),
            (2.0, 0.977_249_868_051_820_8, 2.275_013_194_817_921e-2),
            (3.0, 0.998_650_101_968_369_9, 1.349_898_031_630_094_5e-3),
        ] {
            approx::assert_abs_diff_eq!(norm_cdf(x), n, epsilon = NORMAL_CDF_ABS);
            approx::assert_abs_diff_eq!(norm_cdf(-x), q, epsilon = NORMAL_CDF_ABS);
        }
        assert_eq!(norm_cdf(0.0), 0.5);
    }

    #[test]
    fn the_normal_tail_is_accurate_relative_to_its_size() {
        // Same source. Rounding −x/√2 to a double moves Q(8) by about
        // x² × 1e-16 ≈ 7e-15 relative, so 1e-13 is the floor for any
        // implementation taking x in f64.
        for (x, q) in [
            (5.0, 2.866_515_718_791_939e-7),
            (8.0, 6.220_960_574_271_784e-16),
        ] {
            approx::assert_relative_eq!(norm_cdf(-x), q, max_relative = NORMAL_TAIL_REL);
        }
    }
}
