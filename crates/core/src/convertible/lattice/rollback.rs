//! Rolling the note back from maturity to the valuation date, and the
//! holder's and issuer's decisions at each node.

use super::build::{window_ends, Lattice, PRINCIPAL_PER_100};
use super::kernels::{hazard_step, level_spots, node_value, tf_step};
use super::spec::Model;

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

impl Lattice {
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
                // The final coupon is paid by `decide`, as every coupon.
                let (e, c) = if self.smooth {
                    self.last_step_closed_form(spots[j])
                } else {
                    (0.0, PRINCIPAL_PER_100)
                };
                // A call just before maturity splits its called value as at
                // any other call step.
                let called = self.smooth
                    && e + c > self.call_dirty[top]
                    && s >= self.call_trigger_stock[top];
                let convert_share =
                    (tf && called).then(|| self.convert_share(top, spots, div, j, (lo, hi)));
                let (e, c) = self.decide(top, s, conv, (e, c), 0.0, convert_share);
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
        // Where the last call-only step's trigger was, a guess for the next.
        let mut trigger_from = 0;
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
                // The first node at or above the trigger: from the last
                // level's, which moves by a node at most while the trigger
                // stays put (a binary search here took a tenth of a
                // rollback); the same index as a `partition_point`, as the
                // stock prices rise with `j`.
                let trigger = self.call_trigger_stock[i];
                let below = |j: usize| spots[j] + div < trigger;
                let mut first = trigger_from.clamp(lo, end + 1);
                while first > lo && !below(first - 1) {
                    first -= 1;
                }
                while first <= end && below(first) {
                    first += 1;
                }
                trigger_from = first;
                first
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
                // First the continuation of every node, ex the step's
                // coupon, then the decisions, which at a put date look at
                // the neighbours and which pay the coupon.
                for j in general_from..=end {
                    if tf {
                        next[j] = self.w_up * cur[j + 1] + self.w_down * cur[j];
                        next_c[j] = self.wc_up * cur_c[j + 1] + self.wc_down * cur_c[j];
                    } else {
                        next[j] = self.w_up * cur[j + 1] + self.w_down * cur[j] + self.default_leg;
                        next_c[j] = 0.0;
                    }
                }
                let put = self.put_dirty[i];
                let call = self.call_dirty[i];
                let trigger = self.call_trigger_stock[i];
                let gap = |v: &[f64], c: &[f64], j: usize| put - (v[j] + c[j]);
                let mut below = if put.is_finite() {
                    gap(next, next_c, lo)
                } else {
                    0.0
                };
                let window_end = tf && self.call_window_ends(i);
                // At the last step of a call window: the continuation of
                // the node below, before its decision.
                let mut previous = (next[lo], next_c[lo]);
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
                    let here = (next[j], next_c[j]);
                    let (e, c) = if window_end {
                        let above = if j < hi {
                            (next[j + 1], next_c[j + 1])
                        } else {
                            here
                        };
                        let below = if j > lo { previous } else { here };
                        previous = here;
                        self.window_end_call(
                            i,
                            spots,
                            div,
                            (j, (lo, hi)),
                            conv_on,
                            [below, here, above],
                        )
                    } else {
                        // Only a called node (the test `call` makes) uses
                        // the share, and most nodes are not called: skip it
                        // for them.
                        let called = here.0 + here.1 > call && s >= trigger;
                        let convert_share = (tf && conv_on && called)
                            .then(|| self.convert_share(i, spots, div, j, (lo, hi)));
                        self.call(i, s, conv, here, convert_share)
                    };
                    (next[j], next_c[j]) = self.settle(i, conv, (e, c), put_share);
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

    /// The holder's and issuer's decisions at a node of step `i` with stock
    /// `s`, conversion value `conv` and continuation split into an equity
    /// part `e` and a cash part `c`, ex the step's coupon. Returns the new
    /// `(equity, cash)` split.
    ///
    /// - Call (live, and the continuation above the dirty call price): the
    ///   holder converts if the shares are worth at least the call price;
    ///   otherwise the issuer pays the call price in cash
    ///   ([`Lattice::called_for_cash`]).
    /// - Put: the value rises to the put price. The cash part takes the put
    ///   price over the share `put_share` of the node's cell in which the put
    ///   is exercised (see [`put_cell_share`]), not all-or-nothing, so that the
    ///   cash part's jump at the put boundary does not make the price
    ///   oscillate with the step count.
    /// - Coupon: paid into the cash part after the call and put decisions,
    ///   so every holder receives it, also one forced to convert or paid the
    ///   call or put price: indentures pay the interest due on a redemption
    ///   date that is an interest payment date, to holders who convert too.
    ///   Calls and puts on a coupon step are therefore priced with nothing
    ///   accrued. (QuantLib's engine does the same; taking the coupon from
    ///   the holders forced to convert put its own convertible-bond example
    ///   1.8 per 100 below it.)
    /// - Conversion: when the shares are worth more, everything is equity.
    ///
    /// With `convert_share` (TF at a call date), a called node's cash part is
    /// the cash part of [`Lattice::called_for_cash`] times the share of its
    /// cell *below* the forced-conversion level, rather than all or nothing,
    /// for the same reason as at a put.
    #[inline]
    pub(super) fn decide(
        &self,
        i: usize,
        s: f64,
        conv: f64,
        continuation: (f64, f64),
        put_share: f64,
        convert_share: Option<f64>,
    ) -> (f64, f64) {
        let called = self.call(i, s, conv, continuation, convert_share);
        self.settle(i, conv, called, put_share)
    }

    /// The call decision of [`Lattice::decide`]: the `(equity, cash)` split
    /// after the issuer's call, the continuation `(e, c)` itself when the
    /// call is not live or not worth making.
    #[inline]
    pub(super) fn call(
        &self,
        i: usize,
        s: f64,
        conv: f64,
        (e, c): (f64, f64),
        convert_share: Option<f64>,
    ) -> (f64, f64) {
        let call = self.call_dirty[i];
        let hold = e + c;
        if !(hold > call && s >= self.call_trigger_stock[i]) {
            return (e, c);
        }
        let capped = self.called_for_cash(i, (e, c), hold);
        let called = match convert_share {
            Some(w) => {
                let v = self.forced_value(i, s, conv).unwrap_or(conv.max(call));
                let cash = (1.0 - w) * capped.1;
                (v - cash, cash)
            }
            None => match self.forced_value(i, s, conv) {
                Some(v) => (v, 0.0),
                None => capped,
            },
        };
        self.opening_mean(i, s, (e, c), capped, called)
    }

    /// The rest of [`Lattice::decide`] after the call: the put, the coupon
    /// and conversion.
    #[inline]
    pub(super) fn settle(
        &self,
        i: usize,
        conv: f64,
        (e, c): (f64, f64),
        put_share: f64,
    ) -> (f64, f64) {
        let (mut e, mut c) = (e, c);
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
        c += self.coupon[i];
        if conv > e + c {
            (e, c) = (conv, 0.0);
        }
        (e, c)
    }

    /// The TF call decision at node `j` of step `i`, the last of a call
    /// window whose level spans the band `lo..=hi`, from the continuations
    /// `(e, c)` of the node below, the node and the node above (the node
    /// itself at the band's edges).
    ///
    /// The issuer calls where the continuation is above the call price (and
    /// the stock at or above a soft call's trigger); there the holder is
    /// forced to convert, all equity, or paid the call price in cash, all
    /// cash; elsewhere the continuation stays. Where the node and its
    /// neighbours fall on different sides of those boundaries, the outcome
    /// is the mean over [`CALL_CELL_POINTS`] points evenly spread across the
    /// node's cell (half-way to each neighbour in log price), at each of
    /// which the continuation is interpolated linearly in log price and the
    /// decision made there: the split's jump then moves smoothly with the
    /// nodes. Decided at the node alone, the CleanSpark note callable at 100
    /// on 2028-12-15 read 99.33 to 99.41 per 100 between 1,500 and 20,000
    /// steps, against 99.332 by finite differences.
    fn window_end_call(
        &self,
        i: usize,
        spots: &[f64],
        div: f64,
        (j, (lo, hi)): (usize, (usize, usize)),
        conv_on: bool,
        [below, here, above]: [(f64, f64); 3],
    ) -> (f64, f64) {
        #[derive(PartialEq)]
        enum Outcome {
            Held,
            PaidInCash,
            ForcedToConvert,
        }
        let call = self.call_dirty[i];
        let outcome = |s: f64, conv: f64, (e, c): (f64, f64)| {
            if !(e + c > call && s >= self.call_trigger_stock[i]) {
                return (Outcome::Held, (e, c));
            }
            match self.forced_value(i, s, conv).filter(|_| conv_on) {
                Some(v) => (Outcome::ForcedToConvert, (v, 0.0)),
                None => (Outcome::PaidInCash, (0.0, call)),
            }
        };
        let conv_of = |spot: f64| {
            if conv_on {
                self.conversion_value(spot, div)
            } else {
                f64::NEG_INFINITY
            }
        };
        let node = |k: usize, cont| outcome(spots[k] + div, conv_of(spots[k]), cont);
        let (regime, at_node) = node(j, here);
        let below_same = j == lo || node(j - 1, below).0 == regime;
        if below_same && (j == hi || node(j + 1, above).0 == regime) {
            return at_node;
        }
        // Nodes of a level are `u²` apart; the cell spans `u^{±1}`.
        let mut sum = (0.0, 0.0);
        for k in 0..CALL_CELL_POINTS {
            let offset = (k as f64 + 0.5) / CALL_CELL_POINTS as f64 - 0.5;
            let neighbour = if offset < 0.0 { below } else { above };
            let w = offset.abs();
            let cont = (
                (1.0 - w) * here.0 + w * neighbour.0,
                (1.0 - w) * here.1 + w * neighbour.1,
            );
            let spot = spots[j] * self.up.powf(2.0 * offset);
            let (_, (e, c)) = outcome(spot + div, conv_of(spot), cont);
            sum = (sum.0 + e, sum.1 + c);
        }
        let n = CALL_CELL_POINTS as f64;
        (sum.0 / n, sum.1 / n)
    }

    /// The `(equity, cash)` split of a node of call step `i` that the
    /// issuer calls for cash, with continuation `(e, c)` worth `hold` above
    /// the dirty call price: worth the call price.
    ///
    /// TF moves it wholly to the cash part, as the issuer pays cash, at the
    /// last step of a call window (a single call date included): there the
    /// continuation was not capped a step later, and a whole band of nodes
    /// is called. Scaling both parts instead priced the CleanSpark note
    /// callable at 100 on 2028-12-15 alone at 100.198 per 100, against
    /// 99.332 by finite differences (`bench/convertible_tf_pde.py`).
    ///
    /// Inside a window it scales both parts by `call / hold`. There the
    /// continuation was capped a step later, so only a band of nodes a
    /// spacing or so wide is called for cash, which vanishes as Δt → 0, and
    /// scaling has the same limit as moving to cash; moving to cash, the
    /// cash part would jump by the whole call price at the nodes just below
    /// the conversion price at every step of the window, an error that does
    /// not shrink with the step count (the base callable case swung between
    /// 94.8 and 98.4 per 100 as N varied).
    #[inline]
    pub(super) fn called_for_cash(&self, i: usize, (e, c): (f64, f64), hold: f64) -> (f64, f64) {
        let call = self.call_dirty[i];
        if self.call_window_ends(i) {
            (0.0, call)
        } else {
            let k = call / hold;
            (e * k, c * k)
        }
    }

    /// Whether step `i` is the last of a call window: a call is live at it
    /// and not at the next step.
    #[inline]
    pub(super) fn call_window_ends(&self, i: usize) -> bool {
        window_ends(&self.call_dirty, i)
    }

    /// The value of a called node of step `i` (stock `s`, conversion value
    /// `conv`) if the call forces conversion there, else `None`: from the
    /// barrier's layer up when it was moved onto one, else where the shares
    /// are worth at least the call price.
    #[inline]
    pub(super) fn forced_value(&self, i: usize, s: f64, conv: f64) -> Option<f64> {
        let level = self.call_forced_stock[i];
        if level.is_nan() {
            (conv >= self.call_dirty[i]).then_some(conv)
        } else {
            (s >= level).then(|| conv.max(self.call_forced_value[i]))
        }
    }

    /// The outcome `called` of a called node of step `i` with stock `s` and
    /// continuation `(e, c)`, or at the first step of a call window for a
    /// node on the barrier's layer, its mean with the outcome just below the
    /// barrier: the continuation itself under a soft call's trigger, else
    /// the continuation called for cash, `capped`.
    #[inline]
    pub(super) fn opening_mean(
        &self,
        i: usize,
        s: f64,
        (e, c): (f64, f64),
        capped: (f64, f64),
        called: (f64, f64),
    ) -> (f64, f64) {
        let top = self.call_opening_top[i];
        if !(s < top && s >= self.call_forced_stock[i]) {
            return called;
        }
        let (e0, c0) = if self.call_opening_uncalled[i] {
            (e, c)
        } else {
            capped
        };
        (0.5 * (e0 + called.0), 0.5 * (c0 + called.1))
    }

    /// The share of node `j`'s cell (of call step `i`, band `band`) in which
    /// the call forces conversion, for the TF split of a called node: 0 or 1
    /// when the barrier was moved onto a node layer, which is then exact;
    /// else interpolated from the forced-conversion gap at the node and its
    /// neighbours (see [`put_cell_share`]).
    pub(super) fn convert_share(
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
    pub(super) fn forced_gap(&self, i: usize, s: f64) -> f64 {
        let conv_gap = self.shares * s - self.call_dirty[i];
        let trigger_gap = self.shares * (s - self.call_trigger_stock[i]);
        conv_gap.min(trigger_gap)
    }
}

/// The points across a node's cell at which the last step of a call window
/// decides a node near its boundaries (see [`Lattice::window_end_call`]).
const CALL_CELL_POINTS: usize = 16;

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

#[cfg(test)]
mod tests {
    use approx::assert_abs_diff_eq;

    use super::*;
    use crate::convertible::lattice::tests::{base_spec, input};
    use crate::tolerance::F64_ROUNDING_ABS;

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
        assert_abs_diff_eq!(
            put_cell_share(1.0, 0.0, -1.0),
            0.5,
            epsilon = F64_ROUNDING_ABS
        );
    }
}
