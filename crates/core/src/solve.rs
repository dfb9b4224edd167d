//! Bracketed root finding, written once for the IRR, goal seek, the implied
//! volatility and credit spread, and the yield to maturity.
//!
//! Each of them solves `f(x) = target` for `x` between two ends at which
//! `f(x) − target` has opposite signs. A [`Goal`] holds the target and
//! the stopping rules; then
//! - [`Goal::ends`] evaluates the bracket's ends, moving an end at which the
//!   objective is undefined (it returns an error there) inward as its
//!   [`Inward`] policy says, rather than failing;
//! - [`Goal::solve`] narrows a bracket to a root;
//! - [`Goal::crossings`] walks a grid and yields every sign change on it,
//!   and [`Goal::roots`] solves each of them: all the roots the grid can
//!   see, not only the first.
//!
//! Every failure is a [`SolveError`] that says where it happened: both ends
//! and their values when the target is not bracketed, the end (or the
//! inside point) and the objective's error where it is undefined, the last
//! bracket when the iterations run out.
//!
//! The code is generic over [`Num`]: in `Decimal` the bracket and every
//! evaluation stay exact, and only the choice of the next point is made in
//! `f64`, so a yield is bracketed exactly however it is searched.
//!
//! # Method
//! Brent's method (Brent, *Algorithms for Minimization without
//! Derivatives*, 1973, ch. 4): inverse quadratic interpolation or the
//! secant where they make good progress, bisection where they do not, so
//! it converges superlinearly on smooth functions and is never much slower
//! than bisection on lopsided ones (a yield's price at −95% can be 10²⁷
//! times its value near the root, where plain regula falsi crawls). It
//! stops when `|f(x) − target| ≤` [`Goal::value_tolerance`] at the best
//! point, or when the bracket is narrower than [`Goal::width`].

use crate::error::{CoreError, MovedEnd};
use crate::num::Num;

/// A point at which the objective was evaluated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point<X> {
    /// The argument.
    pub x: X,
    /// The objective's value there (the target not subtracted).
    pub value: X,
}

/// An end of a bracket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The end with the smaller argument.
    Low,
    /// The end with the larger argument.
    High,
}

/// Where the objective was undefined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// At an end of the bracket.
    End(End),
    /// At a point the solver chose inside the bracket.
    Inside,
}

/// Why a solve stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// `|f(x) − target|` is within [`Goal::value_tolerance`].
    Value,
    /// The bracket is narrower than [`Goal::width`]; `|f(x) − target|` may
    /// be larger, where the objective jumps across the target.
    Bracket,
}

/// A root found by [`Goal::solve`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Root<X> {
    /// The argument found: the last point at a [`Stop::Value`], else the
    /// end of the final bracket nearer the target.
    pub x: X,
    /// The objective's value at `x`.
    pub value: X,
    /// Evaluations inside the bracket (0 when an end already hit the target).
    pub iterations: u32,
    /// Why the solve stopped.
    pub stop: Stop,
}

/// Why a solve failed, with what it saw.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SolveError<X> {
    /// `f − target` has the same sign at both ends: no root is bracketed.
    /// The ends' values give the range the bracket reaches.
    NoSignChange {
        /// The low end.
        low: Point<X>,
        /// The high end.
        high: Point<X>,
    },
    /// The objective is undefined at `x`: an end whose [`Inward`] policy is
    /// [`Inward::Never`] (`tries` 1), an end still undefined after `tries`
    /// evaluations moving inward, or a point inside the bracket.
    Undefined {
        /// Where.
        at: Place,
        /// The last argument tried.
        x: X,
        /// Evaluations tried there (1 unless the end moved).
        tries: u32,
        /// The objective's error at `x`.
        error: CoreError,
    },
    /// [`Goal::max_iterations`] ran out; the last bracket.
    NoConvergence {
        /// The low end.
        low: Point<X>,
        /// The high end.
        high: Point<X>,
        /// Evaluations made inside the bracket.
        iterations: u32,
    },
    /// Arithmetic on the bracket itself overflowed (a `Decimal` bracket
    /// near the type's range).
    Overflow(CoreError),
}

/// How [`Goal::ends`] treats an end at which the objective is undefined.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Inward {
    /// The end must be defined: [`SolveError::Undefined`] with its error.
    Never,
    /// Move the end toward the other by `fraction` of the bracket's width
    /// each time, evaluating at most `tries` points in all.
    Fraction {
        /// Share of the current width moved per try, in `(0, 1)`.
        fraction: f64,
        /// The most evaluations of this end.
        tries: u32,
    },
    /// Bisect between the undefined end and the other end (which must be
    /// defined) `tries` times and take the defined point nearest the
    /// undefined end: the edge of where the objective exists, to within
    /// `width / 2^tries`, so no root inside the defined part is skipped.
    Edge {
        /// The most evaluations of this end.
        tries: u32,
    },
}

/// The bracket's width below which [`Goal::solve`] stops: `absolute +
/// relative × max(1, |x|)`, in the argument's units, computed in `f64`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Width {
    /// Absolute part, in the argument's units.
    pub absolute: f64,
    /// Relative part, a fraction of `max(1, |x|)` at the last point.
    pub relative: f64,
}

/// `f(x) = target` and its stopping rules.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Goal<X> {
    /// The value sought.
    pub target: X,
    /// Stop once `|f(x) − target|` is at most this (absolute; 0 stops only
    /// on an exact hit).
    pub value_tolerance: X,
    /// Stop once the bracket is narrower than this.
    pub width: Width,
    /// The most evaluations inside the bracket.
    pub max_iterations: u32,
    /// Names the quantity in an overflow of the bracket's arithmetic.
    pub quantity: &'static str,
}

/// A point with its residual `value − target`.
#[derive(Debug, Clone, Copy)]
struct Seen<X> {
    point: Point<X>,
    residual: X,
}

/// The ends of a bracket as [`Goal::ends`] found them.
#[derive(Debug, Clone, PartialEq)]
pub struct Ends<X> {
    /// The low end, defined.
    pub low: Point<X>,
    /// The high end, defined.
    pub high: Point<X>,
    /// Each end that was undefined where it was asked for and moved
    /// inward, low first.
    pub moved: Vec<Moved<X>>,
}

impl<X: Num> Ends<X> {
    /// The moves made, as [`CoreError::Unattainable`] reports them.
    pub fn moved_ends(&self) -> Vec<MovedEnd> {
        self.moved
            .iter()
            .map(|m| {
                let (end, to) = match m.end {
                    End::Low => ("low", self.low.x),
                    End::High => ("high", self.high.x),
                };
                MovedEnd {
                    end,
                    from: m.from.as_f64(),
                    to: to.as_f64(),
                    reason: Box::new(m.error.clone()),
                }
            })
            .collect()
    }
}

/// An end that [`Goal::ends`] moved inward from where the objective was
/// undefined.
#[derive(Debug, Clone, PartialEq)]
pub struct Moved<X> {
    /// Which end.
    pub end: End,
    /// The argument it was asked for.
    pub from: X,
    /// The objective's error there.
    pub error: CoreError,
}

/// A sign change of `f − target` found by [`Goal::crossings`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Crossing<X> {
    /// A grid point within [`Goal::value_tolerance`] of the target.
    At(Point<X>),
    /// Two neighbouring defined grid points, low first, between which
    /// `f − target` changes sign.
    Between(Point<X>, Point<X>),
}

impl<X: Num> Goal<X> {
    /// `value − target`; `None` where that is not a number (an `f64` value
    /// that is not finite), which counts as undefined.
    fn residual(&self, point: Point<X>) -> Option<Seen<X>> {
        let residual = point.value.sub_or(self.target, self.quantity).ok()?;
        Some(Seen { point, residual })
    }

    /// [`Goal::width`] at `x`.
    fn stopping_width(&self, x: f64) -> f64 {
        self.width.absolute + self.width.relative * x.abs().max(1.0)
    }

    fn hits(&self, seen: &Seen<X>) -> bool {
        seen.residual.abs() <= self.value_tolerance
    }

    fn eval(
        &self,
        f: &mut impl FnMut(X) -> Result<X, CoreError>,
        x: X,
    ) -> Result<Seen<X>, CoreError> {
        let value = f(x)?;
        self.residual(Point { x, value })
            .ok_or(CoreError::Overflow {
                quantity: self.quantity,
            })
    }

    /// Evaluates the ends `low < high`, moving an undefined end inward as
    /// its policy says, and returns the two defined ends with the moves
    /// made.
    ///
    /// # Errors
    /// [`SolveError::Undefined`] naming the end that stayed undefined.
    pub fn ends(
        &self,
        (low, low_policy): (X, Inward),
        (high, high_policy): (X, Inward),
        mut f: impl FnMut(X) -> Result<X, CoreError>,
    ) -> Result<Ends<X>, SolveError<X>> {
        let at_low = self.eval(&mut f, low);
        let at_high = self.eval(&mut f, high);
        let mut moved = Vec::new();
        let low = match at_low {
            Ok(seen) => seen,
            Err(error) => {
                moved.push(Moved {
                    end: End::Low,
                    from: low,
                    error: error.clone(),
                });
                self.inward(End::Low, (low, error), low_policy, &at_high, high, &mut f)?
            }
        };
        let high = match at_high {
            Ok(seen) => seen,
            Err(error) => {
                moved.push(Moved {
                    end: End::High,
                    from: high,
                    error: error.clone(),
                });
                self.inward(
                    End::High,
                    (high, error),
                    high_policy,
                    &Ok(low),
                    low.point.x,
                    &mut f,
                )?
            }
        };
        Ok(Ends {
            low: low.point,
            high: high.point,
            moved,
        })
    }

    /// Moves the undefined end `end` (at `x`, with `error`) toward `other`.
    fn inward(
        &self,
        end: End,
        (mut x, mut error): (X, CoreError),
        policy: Inward,
        at_other: &Result<Seen<X>, CoreError>,
        other: X,
        f: &mut impl FnMut(X) -> Result<X, CoreError>,
    ) -> Result<Seen<X>, SolveError<X>> {
        let undefined = |x, tries, error| SolveError::Undefined {
            at: Place::End(end),
            x,
            tries,
            error,
        };
        let overflow = |e| SolveError::Overflow(e);
        match policy {
            Inward::Never => Err(undefined(x, 1, error)),
            Inward::Fraction { fraction, tries } => {
                let share = X::try_from_f64(fraction)
                    .ok_or(CoreError::Overflow {
                        quantity: self.quantity,
                    })
                    .map_err(overflow)?;
                for _ in 1..tries {
                    let step = other
                        .sub_or(x, self.quantity)
                        .and_then(|w| w.mul_or(share, self.quantity))
                        .map_err(overflow)?;
                    x = x.add_or(step, self.quantity).map_err(overflow)?;
                    match self.eval(f, x) {
                        Ok(seen) => return Ok(seen),
                        Err(e) => error = e,
                    }
                }
                Err(undefined(x, tries.max(1), error))
            }
            Inward::Edge { tries } => {
                // The other end is defined: the edge lies between.
                if at_other.is_err() {
                    return Err(undefined(x, 1, error));
                }
                let mut defined: Option<Seen<X>> = None;
                let mut inside = other;
                for _ in 1..tries {
                    let mid = midpoint(x, inside, self.quantity).map_err(overflow)?;
                    match self.eval(f, mid) {
                        Ok(seen) => {
                            defined = Some(seen);
                            inside = mid;
                        }
                        Err(e) => {
                            error = e;
                            x = mid;
                        }
                    }
                }
                defined.ok_or_else(|| undefined(x, tries.max(1), error))
            }
        }
    }

    /// Narrows the bracket `[low, high]` (`low.x < high.x`, both defined)
    /// to a root of `f(x) = target`.
    ///
    /// An end within the value tolerance is returned at once (low first),
    /// with no iteration.
    ///
    /// # Errors
    /// [`SolveError::NoSignChange`] when `f − target` has the same sign at
    /// both ends; [`SolveError::Undefined`] at [`Place::Inside`] when `f`
    /// fails at a point the solver chose; [`SolveError::NoConvergence`]
    /// after [`Goal::max_iterations`] evaluations.
    pub fn solve(
        &self,
        low: Point<X>,
        high: Point<X>,
        mut f: impl FnMut(X) -> Result<X, CoreError>,
    ) -> Result<Root<X>, SolveError<X>> {
        let seen = |point: Point<X>| {
            self.residual(point).ok_or(SolveError::Undefined {
                at: Place::End(if point.x == low.x {
                    End::Low
                } else {
                    End::High
                }),
                x: point.x,
                tries: 1,
                error: CoreError::Overflow {
                    quantity: self.quantity,
                },
            })
        };
        let (lo, hi) = (seen(low)?, seen(high)?);
        for end in [lo, hi] {
            if self.hits(&end) {
                return Ok(Root {
                    x: end.point.x,
                    value: end.point.value,
                    iterations: 0,
                    stop: Stop::Value,
                });
            }
        }
        if lo.residual.is_negative() == hi.residual.is_negative() {
            return Err(SolveError::NoSignChange { low, high });
        }
        // Brent's method as in Brent (1973), ch. 4, `zero`: `b` is the best
        // point so far, `c` the other end of the bracket, `a` the previous
        // `b`; `d` and `e` the last two steps. Only the steps are f64; the
        // points stay in X, so a Decimal bracket is exact.
        let (mut a, mut b) = (lo, hi);
        let mut c = a;
        let mut d = x_distance(a, b, self.quantity)?;
        let mut e = d;
        let mut evaluations = 0;
        for _ in 0..=self.max_iterations {
            if b.residual.is_negative() == c.residual.is_negative() {
                c = a;
                d = x_distance(a, b, self.quantity)?;
                e = d;
            }
            if c.residual.abs() < b.residual.abs() {
                a = b;
                b = c;
                c = a;
            }
            let tol = 2.0 * f64::EPSILON * b.point.x.as_f64().abs()
                + 0.5 * self.stopping_width(b.point.x.as_f64());
            let m = 0.5 * x_distance(b, c, self.quantity)?;
            let stop = if self.hits(&b) {
                Some(Stop::Value)
            } else if m.abs() <= tol {
                Some(Stop::Bracket)
            } else {
                None
            };
            if let Some(stop) = stop {
                return Ok(Root {
                    x: b.point.x,
                    value: b.point.value,
                    iterations: evaluations,
                    stop,
                });
            }
            if evaluations == self.max_iterations {
                break;
            }
            let (fa, fb, fc) = (
                a.residual.as_f64(),
                b.residual.as_f64(),
                c.residual.as_f64(),
            );
            if e.abs() >= tol && fa.abs() > fb.abs() {
                // Inverse quadratic interpolation through a, b and c, or the
                // secant through a and b when a = c.
                let s = fb / fa;
                let (mut p, mut q);
                if a.point.x == c.point.x {
                    p = 2.0 * m * s;
                    q = 1.0 - s;
                } else {
                    let qa = fa / fc;
                    let r = fb / fc;
                    p = s
                        * (2.0 * m * qa * (qa - r) - x_distance(a, b, self.quantity)? * (r - 1.0));
                    q = (qa - 1.0) * (r - 1.0) * (s - 1.0);
                }
                if p > 0.0 {
                    q = -q;
                } else {
                    p = -p;
                }
                // Accept it only while it stays well inside the bracket and
                // the steps keep shrinking; else bisect.
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
            let step = if d.abs() > tol { d } else { tol.copysign(m) };
            let (low_x, high_x) = if b.point.x < c.point.x {
                (b.point.x, c.point.x)
            } else {
                (c.point.x, b.point.x)
            };
            // The step in f64, kept strictly inside the bracket in X (a
            // Decimal can round onto an end), else the exact midpoint.
            let x = match X::try_from_f64(b.point.x.as_f64() + step)
                .filter(|x| *x > low_x && *x < high_x)
            {
                Some(x) => x,
                None => midpoint(low_x, high_x, self.quantity).map_err(SolveError::Overflow)?,
            };
            evaluations += 1;
            b = self
                .eval(&mut f, x)
                .map_err(|error| SolveError::Undefined {
                    at: Place::Inside,
                    x,
                    tries: 1,
                    error,
                })?;
        }
        let (low, high) = if b.point.x < c.point.x {
            (b, c)
        } else {
            (c, b)
        };
        Err(SolveError::NoConvergence {
            low: low.point,
            high: high.point,
            iterations: evaluations,
        })
    }

    /// The sign changes of `f − target` along `grid` (ascending or
    /// descending), lazily, in grid order: a point within the value
    /// tolerance is a [`Crossing::At`]; otherwise two neighbouring defined
    /// points with opposite signs are a [`Crossing::Between`]. Points where
    /// `f` is undefined are skipped (the neighbours around them pair up).
    pub fn crossings<I, F>(&self, grid: I, f: F) -> Crossings<'_, X, I::IntoIter, F>
    where
        I: IntoIterator<Item = X>,
        F: FnMut(X) -> Result<X, CoreError>,
    {
        Crossings {
            goal: self,
            grid: grid.into_iter(),
            f,
            last: None,
        }
    }

    /// Every root the grid can see: [`Goal::crossings`], each bracket
    /// narrowed by [`Goal::solve`], in grid order.
    ///
    /// # Errors
    /// With no crossing, [`SolveError::NoSignChange`] between the first and
    /// the last defined grid points, or [`SolveError::Undefined`] when no
    /// grid point is defined; the first error of a [`Goal::solve`].
    pub fn roots(
        &self,
        grid: impl IntoIterator<Item = X>,
        mut f: impl FnMut(X) -> Result<X, CoreError>,
    ) -> Result<Vec<Root<X>>, SolveError<X>> {
        let mut first: Option<Point<X>> = None;
        let mut last: Option<Point<X>> = None;
        let mut undefined: Option<(X, CoreError)> = None;
        let mut crossings = Vec::new();
        {
            let mut record = |x: X| {
                let result = f(x);
                match &result {
                    Ok(value) => {
                        let point = Point { x, value: *value };
                        first.get_or_insert(point);
                        last = Some(point);
                    }
                    Err(error) => {
                        undefined.get_or_insert((x, error.clone()));
                    }
                }
                result
            };
            let mut scan = self.crossings(grid, &mut record);
            for crossing in scan.by_ref() {
                crossings.push(crossing);
            }
        }
        if crossings.is_empty() {
            return Err(match (first, last, undefined) {
                (Some(low), Some(high), _) => {
                    let (low, high) = if low.x <= high.x {
                        (low, high)
                    } else {
                        (high, low)
                    };
                    SolveError::NoSignChange { low, high }
                }
                (_, _, Some((x, error))) => SolveError::Undefined {
                    at: Place::Inside,
                    x,
                    tries: 1,
                    error,
                },
                _ => SolveError::Overflow(CoreError::Overflow {
                    quantity: self.quantity,
                }),
            });
        }
        crossings
            .into_iter()
            .map(|crossing| match crossing {
                Crossing::At(point) => Ok(Root {
                    x: point.x,
                    value: point.value,
                    iterations: 0,
                    stop: Stop::Value,
                }),
                Crossing::Between(low, high) => self.solve(low, high, &mut f),
            })
            .collect()
    }
}

/// The iterator of [`Goal::crossings`].
#[derive(Debug)]
pub struct Crossings<'g, X, I, F> {
    goal: &'g Goal<X>,
    grid: I,
    f: F,
    /// The last defined point, and whether it was a root itself.
    last: Option<(Seen<X>, bool)>,
}

impl<X, I, F> Iterator for Crossings<'_, X, I, F>
where
    X: Num,
    I: Iterator<Item = X>,
    F: FnMut(X) -> Result<X, CoreError>,
{
    type Item = Crossing<X>;

    fn next(&mut self) -> Option<Crossing<X>> {
        for x in self.grid.by_ref() {
            let Ok(seen) = self.goal.eval(&mut self.f, x) else {
                continue;
            };
            let hit = self.goal.hits(&seen);
            let previous = self.last.replace((seen, hit));
            if hit {
                return Some(Crossing::At(seen.point));
            }
            if let Some((before, false)) = previous {
                if before.residual.is_negative() != seen.residual.is_negative() {
                    let (low, high) = if before.point.x < seen.point.x {
                        (before.point, seen.point)
                    } else {
                        (seen.point, before.point)
                    };
                    return Some(Crossing::Between(low, high));
                }
            }
        }
        None
    }
}

/// `to.x − from.x` as an `f64`, computed in X (exact for a Decimal).
fn x_distance<X: Num>(
    from: Seen<X>,
    to: Seen<X>,
    quantity: &'static str,
) -> Result<f64, SolveError<X>> {
    to.point
        .x
        .sub_or(from.point.x, quantity)
        .map(Num::as_f64)
        .map_err(SolveError::Overflow)
}

/// `lo + (hi − lo) / 2`, which cannot overflow where `(lo + hi) / 2` could.
fn midpoint<X: Num>(lo: X, hi: X, quantity: &'static str) -> Result<X, CoreError> {
    let two = X::from_u64(2);
    lo.add_or(hi.sub_or(lo, quantity)?.div_or(two, quantity)?, quantity)
}

/// `intervals + 1` evenly spaced points from `low` to `high` inclusive, for
/// [`Goal::crossings`] and [`Goal::roots`]: `low + i × (high − low) /
/// intervals`, with `high` itself last.
///
/// # Errors
/// [`CoreError::Overflow`] naming `quantity` when the spacing overflows, or
/// when `intervals` is 0.
pub fn even_grid<X: Num>(
    low: X,
    high: X,
    intervals: u32,
    quantity: &'static str,
) -> Result<Vec<X>, CoreError> {
    let n = X::from_u64(u64::from(intervals));
    let step = high.sub_or(low, quantity)?.div_or(n, quantity)?;
    let mut grid = (0..intervals)
        .map(|i| low.add_or(step.mul_or(X::from_u64(u64::from(i)), quantity)?, quantity))
        .collect::<Result<Vec<X>, CoreError>>()?;
    grid.push(high);
    Ok(grid)
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;

    use super::*;
    use crate::tolerance::{Exact, F64_ROUNDING_ABS};

    fn goal(target: f64) -> Goal<f64> {
        Goal {
            target,
            value_tolerance: 0.0,
            width: Width {
                absolute: F64_ROUNDING_ABS,
                relative: 0.0,
            },
            max_iterations: 100,
            quantity: "test",
        }
    }

    fn point(x: f64, f: impl Fn(f64) -> f64) -> Point<f64> {
        Point { x, value: f(x) }
    }

    #[test]
    fn the_square_root_of_two_is_bracketed_to_the_width() {
        let f = |x: f64| x * x;
        let root = goal(2.0)
            .solve(point(0.0, f), point(2.0, f), |x| Ok(f(x)))
            .unwrap();
        approx::assert_abs_diff_eq!(root.x, std::f64::consts::SQRT_2, epsilon = F64_ROUNDING_ABS);
    }

    #[test]
    fn wallis_cubic_takes_far_fewer_steps_than_bisection() {
        // Wallis' example x³ − 2x − 5 = 0, root 2.0945514815423265 (to
        // 17 digits; Newton's own worked example). Bisection from [2, 3]
        // needs 40 halvings to reach 1e-12.
        let f = |x: f64| x * x * x - 2.0 * x;
        let root = goal(5.0)
            .solve(point(2.0, f), point(3.0, f), |x| Ok(f(x)))
            .unwrap();
        approx::assert_abs_diff_eq!(root.x, 2.094_551_481_542_326_5, epsilon = F64_ROUNDING_ABS);
        assert!(root.iterations <= 12, "{}", root.iterations);
    }

    #[test]
    fn a_decimal_root_is_bracketed_in_exact_arithmetic() {
        // 1 / (1 + y)² = 0.81 ⇒ y = 1/0.9 − 1 = 0.1111…; every point tried
        // is a Decimal and its value the exact Decimal evaluation.
        let goal = Goal {
            target: dec!(0.81),
            value_tolerance: Decimal::ZERO,
            width: Width {
                absolute: 1e-14,
                relative: 0.0,
            },
            max_iterations: 100,
            quantity: "test",
        };
        let f = |y: Decimal| {
            let g = Decimal::ONE + y;
            Ok(Decimal::ONE / (g * g))
        };
        let ends = goal
            .ends((dec!(0), Inward::Never), (dec!(1), Inward::Never), f)
            .unwrap();
        assert!(ends.moved.is_empty());
        let root = goal.solve(ends.low, ends.high, f).unwrap();
        assert_eq!(root.value, f(root.x).unwrap());
        approx::assert_abs_diff_eq!(
            Exact(root.x),
            Exact(Decimal::ONE / dec!(9)),
            epsilon = dec!(1e-14)
        );
    }

    #[test]
    fn every_root_on_the_grid_is_found_and_reported_in_order() {
        // (x − 1)(x − 2)(x − 3) has three roots in [0, 4]; a grid of
        // spacing 0.3 from 0.05 brackets each.
        let f = |x: f64| (x - 1.0) * (x - 2.0) * (x - 3.0);
        let grid: Vec<f64> = (0..14).map(|i| 0.05 + 0.3 * f64::from(i)).collect();
        let roots = goal(0.0).roots(grid, |x| Ok(f(x))).unwrap();
        let xs: Vec<f64> = roots.iter().map(|r| r.x).collect();
        assert_eq!(xs.len(), 3, "{xs:?}");
        for (x, want) in xs.iter().zip([1.0, 2.0, 3.0]) {
            approx::assert_abs_diff_eq!(*x, want, epsilon = F64_ROUNDING_ABS);
        }
    }

    #[test]
    fn a_grid_point_on_a_root_is_one_root_not_two() {
        let f = |x: f64| x - 1.0;
        let grid = even_grid(0.0, 2.0, 4, "test").unwrap();
        assert_eq!(grid, vec![0.0, 0.5, 1.0, 1.5, 2.0]);
        let roots = goal(0.0).roots(grid, |x| Ok(f(x))).unwrap();
        assert_eq!(roots.len(), 1);
        assert_eq!(roots[0].x, 1.0);
        assert_eq!(roots[0].iterations, 0);
    }

    #[test]
    fn a_grid_that_sees_no_sign_change_reports_its_reach() {
        let f = |x: f64| x * x + 1.0;
        let err = goal(0.0).roots([-1.0, 0.0, 1.0], |x| Ok(f(x))).unwrap_err();
        assert_eq!(
            err,
            SolveError::NoSignChange {
                low: point(-1.0, f),
                high: point(1.0, f)
            }
        );
    }

    fn log(x: f64) -> Result<f64, CoreError> {
        if x > 0.0 {
            Ok(x.ln())
        } else {
            Err(CoreError::Overflow { quantity: "ln" })
        }
    }

    #[test]
    fn an_undefined_end_moves_to_the_edge_of_the_domain() {
        // ln x = −20 at x = e^−20 ≈ 2.06e-9, just inside ln's domain: a
        // move by a quarter of the bracket would skip it.
        let goal = goal(-20.0);
        let ends = goal
            .ends(
                (-1.0, Inward::Edge { tries: 60 }),
                (10.0, Inward::Never),
                log,
            )
            .unwrap();
        let (low, high) = (ends.low, ends.high);
        assert!(low.x > 0.0 && low.x < 1e-12, "{}", low.x);
        // The move is reported with the error where the end was asked for.
        assert_eq!(
            ends.moved,
            vec![Moved {
                end: End::Low,
                from: -1.0,
                error: CoreError::Overflow { quantity: "ln" },
            }]
        );
        let root = goal.solve(low, high, log).unwrap();
        approx::assert_abs_diff_eq!(root.x, (-20.0f64).exp(), epsilon = goal.width.absolute);
    }

    #[test]
    fn an_undefined_end_can_move_by_a_fraction_of_the_bracket() {
        let goal = goal(0.0);
        let low = goal
            .ends(
                (
                    -3.0,
                    Inward::Fraction {
                        fraction: 0.5,
                        tries: 10,
                    },
                ),
                (5.0, Inward::Never),
                log,
            )
            .unwrap()
            .low;
        // −3 → 1: the first move lands inside.
        assert_eq!(low.x, 1.0);
    }

    #[test]
    fn an_end_that_may_not_move_is_reported_undefined_with_its_error() {
        let err = goal(0.0)
            .ends((-1.0, Inward::Never), (5.0, Inward::Never), log)
            .unwrap_err();
        assert_eq!(
            err,
            SolveError::Undefined {
                at: Place::End(End::Low),
                x: -1.0,
                tries: 1,
                error: CoreError::Overflow { quantity: "ln" },
            }
        );
        let err = goal(0.0)
            .ends(
                (
                    -1.0,
                    Inward::Fraction {
                        fraction: 0.1,
                        tries: 3,
                    },
                ),
                (-0.5, Inward::Never),
                log,
            )
            .unwrap_err();
        assert!(
            matches!(
                err,
                SolveError::Undefined {
                    at: Place::End(End::Low),
                    tries: 3,
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn a_jump_across_the_target_stops_on_the_bracket_not_the_value() {
        let f = |x: f64| if x < 1.0 { -1.0 } else { 1.0 };
        let root = goal(0.0)
            .solve(point(0.0, f), point(3.0, f), |x| Ok(f(x)))
            .unwrap();
        assert_eq!(root.stop, Stop::Bracket);
        approx::assert_abs_diff_eq!(root.x, 1.0, epsilon = F64_ROUNDING_ABS);
    }

    #[test]
    fn running_out_of_iterations_reports_the_last_bracket() {
        let f = |x: f64| x * x * x - 2.0 * x;
        let goal = Goal {
            max_iterations: 2,
            ..goal(5.0)
        };
        let err = goal
            .solve(point(2.0, f), point(3.0, f), |x| Ok(f(x)))
            .unwrap_err();
        match err {
            SolveError::NoConvergence {
                low,
                high,
                iterations,
            } => {
                assert_eq!(iterations, 2);
                assert!(low.x < 2.0945515 && high.x > 2.0945514);
            }
            other => panic!("expected NoConvergence, got {other:?}"),
        }
    }

    #[test]
    fn an_end_within_the_value_tolerance_is_the_root() {
        let f = |x: f64| x;
        let goal = Goal {
            value_tolerance: 0.1,
            ..goal(0.0)
        };
        let root = goal
            .solve(point(0.05, f), point(1.0, f), |x| Ok(f(x)))
            .unwrap();
        assert_eq!((root.x, root.iterations), (0.05, 0));
    }
}
