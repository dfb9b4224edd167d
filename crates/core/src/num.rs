//! Validated numbers and checked Decimal arithmetic.
//!
//! Every number a user sends is checked once, here, into a type whose field
//! is private; after that the core can rely on its range. Arithmetic on
//! user-controlled `Decimal`s goes through [`Checked`], so an overflow is a
//! [`CoreError::Overflow`], never a panic.

use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;

use crate::error::{CoreError, ValueError};

/// Checked Decimal arithmetic that names the quantity being computed.
///
/// ```
/// use infraval_core::num::Checked;
/// use rust_decimal::Decimal;
/// assert!(Decimal::MAX.mul_or(Decimal::TWO, "arr").is_err());
/// ```
pub trait Checked: Sized {
    /// `self + rhs`, or [`CoreError::Overflow`].
    fn add_or(self, rhs: Self, quantity: &'static str) -> Result<Self, CoreError>;
    /// `self - rhs`, or [`CoreError::Overflow`].
    fn sub_or(self, rhs: Self, quantity: &'static str) -> Result<Self, CoreError>;
    /// `self × rhs`, or [`CoreError::Overflow`].
    fn mul_or(self, rhs: Self, quantity: &'static str) -> Result<Self, CoreError>;
    /// `self / rhs`, or [`CoreError::Overflow`] on overflow or a zero divisor.
    fn div_or(self, rhs: Self, quantity: &'static str) -> Result<Self, CoreError>;
}

impl Checked for Decimal {
    fn add_or(self, rhs: Self, quantity: &'static str) -> Result<Self, CoreError> {
        overflow_or(self.checked_add(rhs), quantity)
    }
    fn sub_or(self, rhs: Self, quantity: &'static str) -> Result<Self, CoreError> {
        overflow_or(self.checked_sub(rhs), quantity)
    }
    fn mul_or(self, rhs: Self, quantity: &'static str) -> Result<Self, CoreError> {
        overflow_or(self.checked_mul(rhs), quantity)
    }
    fn div_or(self, rhs: Self, quantity: &'static str) -> Result<Self, CoreError> {
        overflow_or(self.checked_div(rhs), quantity)
    }
}

/// The value, or [`CoreError::Overflow`]. A `match` rather than
/// `ok_or(CoreError::Overflow { .. })`, which builds (and drops) the error on
/// every successful operation: 8% of a mining projection's instructions
/// under callgrind.
#[inline]
fn overflow_or(value: Option<Decimal>, quantity: &'static str) -> Result<Decimal, CoreError> {
    match value {
        Some(v) => Ok(v),
        None => Err(CoreError::Overflow { quantity }),
    }
}

/// `f64` arithmetic checked the same way: a result that is not finite
/// (an overflow, a division by zero) is [`CoreError::Overflow`].
impl Checked for f64 {
    fn add_or(self, rhs: Self, quantity: &'static str) -> Result<Self, CoreError> {
        finite_or(self + rhs, quantity)
    }
    fn sub_or(self, rhs: Self, quantity: &'static str) -> Result<Self, CoreError> {
        finite_or(self - rhs, quantity)
    }
    fn mul_or(self, rhs: Self, quantity: &'static str) -> Result<Self, CoreError> {
        finite_or(self * rhs, quantity)
    }
    fn div_or(self, rhs: Self, quantity: &'static str) -> Result<Self, CoreError> {
        finite_or(self / rhs, quantity)
    }
}

fn finite_or(value: f64, quantity: &'static str) -> Result<f64, CoreError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(CoreError::Overflow { quantity })
    }
}

/// A number type a model can run in: exact `Decimal` for every answer a
/// user sees one at a time, `f64` where thousands of runs must be fast
/// (the sensitivity grid). The model code is written once over this trait,
/// so both paths compute the same formulas.
pub trait Num: Copy + PartialOrd + Checked + std::fmt::Debug {
    /// Zero.
    const ZERO: Self;
    /// One.
    const ONE: Self;
    /// The value of a Decimal (rounded to the nearest `f64` for `f64`).
    fn from_decimal(value: Decimal) -> Self;
    /// The value of an integer.
    fn from_u64(value: u64) -> Self;
    /// Rounded to cents, half away from zero.
    fn cents(self) -> Self;
    /// The larger of the two.
    fn larger(self, other: Self) -> Self;
    /// Whether the value is below zero.
    fn is_negative(self) -> bool;
    /// As a Decimal, or [`CoreError::Overflow`] naming `quantity`.
    fn into_decimal(self, quantity: &'static str) -> Result<Decimal, CoreError>;
    /// The absolute value.
    fn abs(self) -> Self;
    /// The nearest `f64` (see [`to_f64`]).
    fn as_f64(self) -> f64;
    /// The value of a finite `f64` (for a Decimal, rounded to about 15
    /// significant digits by `Decimal::from_f64`); `None` for NaN, an
    /// infinity or a magnitude beyond the type's range.
    fn try_from_f64(value: f64) -> Option<Self>;
}

impl Num for Decimal {
    const ZERO: Self = Decimal::ZERO;
    const ONE: Self = Decimal::ONE;
    fn from_decimal(value: Decimal) -> Self {
        value
    }
    fn from_u64(value: u64) -> Self {
        Decimal::from(value)
    }
    fn cents(self) -> Self {
        self.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    }
    fn larger(self, other: Self) -> Self {
        self.max(other)
    }
    fn is_negative(self) -> bool {
        self < Decimal::ZERO
    }
    fn into_decimal(self, _quantity: &'static str) -> Result<Decimal, CoreError> {
        Ok(self)
    }
    fn abs(self) -> Self {
        Decimal::abs(&self)
    }
    fn as_f64(self) -> f64 {
        to_f64(self)
    }
    fn try_from_f64(value: f64) -> Option<Self> {
        Decimal::from_f64(value)
    }
}

impl Num for f64 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    fn from_decimal(value: Decimal) -> Self {
        to_f64(value)
    }
    fn from_u64(value: u64) -> Self {
        value as f64
    }
    fn cents(self) -> Self {
        // f64::round rounds half away from zero.
        (self * 100.0).round() / 100.0
    }
    fn larger(self, other: Self) -> Self {
        self.max(other)
    }
    fn is_negative(self) -> bool {
        self < 0.0
    }
    fn into_decimal(self, quantity: &'static str) -> Result<Decimal, CoreError> {
        // Keep 15 significant digits (all an f64 carries reliably), with at
        // most 20 decimal places: round(x × 10^scale) / 10^scale.
        if !self.is_finite() {
            return Err(CoreError::Overflow { quantity });
        }
        if self == 0.0 {
            return Ok(Decimal::ZERO);
        }
        // bounded: self is finite and non-zero, so magnitude ∈ [-324, 308];
        // `scaled` is below 2^96 when cast, so `as i128` is exact.
        let magnitude = self.abs().log10().floor() as i32;
        let scale = (14 - magnitude).clamp(0, 20) as u32;
        let scaled = (self * 10f64.powi(scale as i32)).round();
        if scaled.abs() >= 7.9e28 {
            return Err(CoreError::Overflow { quantity });
        }
        Decimal::try_from_i128_with_scale(scaled as i128, scale)
            .map(|d| d.normalize())
            .map_err(|_| CoreError::Overflow { quantity })
    }
    fn abs(self) -> Self {
        f64::abs(self)
    }
    fn as_f64(self) -> f64 {
        self
    }
    fn try_from_f64(value: f64) -> Option<Self> {
        value.is_finite().then_some(value)
    }
}

/// The double nearest to a Decimal: the one conversion from `Decimal` to
/// `f64` in the service (the `f64` pricing code, the `f64` model path, error
/// messages and the wire writer all use it).
///
/// # Formula
/// A Decimal is `m / 10^s`. When `|m| ≤ 2^53` and `s ≤ 22`, both `m` and
/// `10^s` are exact doubles, and IEEE division rounds their quotient
/// correctly: one division gives the nearest double. That covers every
/// rounded money figure and ratio the service handles. Anything else (a
/// 28-digit result of Decimal arithmetic) is divided exactly in integers by
/// [`nearest_quotient`]. `rust_decimal`'s own `to_f64` can be a unit in the
/// last place off (`7420281594238694e-23` became `7.420281594238695e-8`),
/// and so can `m as f64 / 10^s`, which rounds twice.
///
/// # Example
/// ```
/// use infraval_core::num::to_f64;
/// use rust_decimal::Decimal;
/// assert_eq!(to_f64(Decimal::new(13333, 2)), 133.33);
/// assert_eq!(to_f64(Decimal::new(7420281594238694, 23)), 7.420281594238694e-8);
/// ```
pub fn to_f64(value: Decimal) -> f64 {
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    const EXACT: i64 = 1 << 53;
    // Through i64: converting an i128 to f64 is a library call, an i64 one
    // instruction.
    let mantissa = i64::try_from(value.mantissa()).ok();
    match (POW10.get(value.scale() as usize), mantissa) {
        // Both conversions are exact: |mantissa| ≤ 2^53.
        #[allow(clippy::cast_precision_loss)]
        (Some(scale), Some(m)) if (-EXACT..=EXACT).contains(&m) => m as f64 / scale,
        _ => {
            let x = nearest_quotient(value.mantissa().unsigned_abs(), value.scale());
            if value.is_sign_negative() {
                -x
            } else {
                x
            }
        }
    }
}

/// 5^0 to 5^28: `10^s = 5^s × 2^s`, and the `2^s` is an exponent.
const POW5: [u128; 29] = {
    let mut p = [1u128; 29];
    let mut i = 1;
    while i < 29 {
        p[i] = p[i - 1] * 5;
        i += 1;
    }
    p
};

/// The double nearest to `m / 10^s` (`m < 2^96`, `s ≤ 28`), rounding half
/// to even, by integer division.
///
/// # Formula
/// With `d = 5^s` and `k` chosen so that `q = ⌊m·2^k / d⌋` has 55 to 57
/// bits (`m·2^k` stays below 2^121): the top 53 bits of `q`, rounded half
/// to even on the bits below them and the remainder `m·2^k − q·d` (the
/// sticky bit), times `2^(dropped bits − k − s)`, which is exact. One
/// 128-bit division, a tenth of the cost of writing the exact text and
/// parsing it back, with the same answer (a proptest checks both over every
/// mantissa and scale).
fn nearest_quotient(m: u128, s: u32) -> f64 {
    fn bits(x: u128) -> u32 {
        u128::BITS - x.leading_zeros()
    }
    let Some(&d) = POW5.get(s as usize) else {
        return f64::NAN;
    };
    if m == 0 {
        return 0.0;
    }
    let k = (55 + bits(d)).saturating_sub(bits(m));
    let n = m << k;
    let q = n / d;
    let sticky = n - q * d != 0;
    // bounded: q ≥ 2^54, so at least 2 bits are dropped.
    let dropped = bits(q) - 53;
    let mut mantissa = q >> dropped;
    let rest = q & ((1 << dropped) - 1);
    let half = 1u128 << (dropped - 1);
    if rest > half || (rest == half && (sticky || mantissa & 1 == 1)) {
        mantissa += 1;
    }
    // bounded: dropped ≤ 43, k ≤ 120, s ≤ 28, so the exponent is in
    // [−147, 44] and 2^exponent a normal double.
    let exponent = dropped as i32 - k as i32 - s as i32;
    let scale = f64::from_bits(((exponent + 1023) as u64) << 52);
    // mantissa ≤ 2^53: exact through u64, and so is the product.
    (mantissa as u64) as f64 * scale
}

/// Checks `value > 0`.
pub fn positive(value: Decimal) -> Result<Decimal, ValueError> {
    if value > Decimal::ZERO {
        Ok(value)
    } else {
        Err(ValueError::NotAbove {
            bound: 0.0,
            value: to_f64(value),
        })
    }
}

/// Checks `value ≥ 0`.
pub fn non_negative(value: Decimal) -> Result<Decimal, ValueError> {
    at_least(value, Decimal::ZERO)
}

/// Checks `value ≥ min`.
pub fn at_least(value: Decimal, min: Decimal) -> Result<Decimal, ValueError> {
    if value >= min {
        Ok(value)
    } else {
        Err(ValueError::BelowMinimum {
            bound: to_f64(min),
            value: to_f64(value),
        })
    }
}

/// Checks `value ≤ max`.
pub fn at_most(value: Decimal, max: Decimal) -> Result<Decimal, ValueError> {
    if value <= max {
        Ok(value)
    } else {
        Err(ValueError::AboveMaximum {
            bound: to_f64(max),
            value: to_f64(value),
        })
    }
}

/// Checks `min ≤ value ≤ max`.
pub fn within(value: Decimal, min: Decimal, max: Decimal) -> Result<Decimal, ValueError> {
    at_least(value, min).and_then(|v| at_most(v, max))
}

/// Checks that an `f64` is finite and `value > 0`.
pub fn positive_f64(value: f64) -> Result<f64, ValueError> {
    finite_f64(value).and_then(|v| {
        if v > 0.0 {
            Ok(v)
        } else {
            Err(ValueError::NotAbove { bound: 0.0, value })
        }
    })
}

/// Checks that an `f64` is finite and in `[min, max]`.
pub fn within_f64(value: f64, min: f64, max: f64) -> Result<f64, ValueError> {
    let v = finite_f64(value)?;
    if (min..=max).contains(&v) {
        Ok(v)
    } else {
        Err(ValueError::outside(v, min, max))
    }
}

/// Checks that an `f64` is finite.
pub fn finite_f64(value: f64) -> Result<f64, ValueError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(ValueError::NotFinite { value })
    }
}

/// Checks that a list has at most `cap` items.
pub fn capped_len<T>(items: &[T], cap: usize) -> Result<&[T], ValueError> {
    if items.len() > cap {
        Err(ValueError::TooLong {
            len: items.len(),
            cap,
        })
    } else {
        Ok(items)
    }
}

/// A fraction in `[0, 1]`: occupancy, uptime, a fee. Percentages are never
/// written as 27.5; they are 0.275.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Fraction(Decimal);

impl Fraction {
    /// One, i.e. 100%.
    pub const ONE: Fraction = Fraction(Decimal::ONE);
    /// Zero.
    pub const ZERO: Fraction = Fraction(Decimal::ZERO);

    /// Checks `0 ≤ value ≤ 1`.
    pub fn new(value: Decimal) -> Result<Self, ValueError> {
        within(value, Decimal::ZERO, Decimal::ONE).map(Fraction)
    }

    /// The fraction as a Decimal.
    pub fn get(self) -> Decimal {
        self.0
    }
}

/// A strictly positive power or IT load in megawatts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Megawatts(Decimal);

impl Megawatts {
    /// Checks `value > 0`.
    pub fn new(value: Decimal) -> Result<Self, ValueError> {
        positive(value).map(Megawatts)
    }

    /// The value in MW.
    pub fn get(self) -> Decimal {
        self.0
    }

    /// The value in kW (× 1,000).
    pub fn kw(self) -> Result<Decimal, CoreError> {
        self.0.mul_or(Decimal::ONE_THOUSAND, "kW")
    }
}

/// A non-negative amount of US dollars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Usd(Decimal);

impl Usd {
    /// Zero dollars.
    pub const ZERO: Usd = Usd(Decimal::ZERO);

    /// Checks `value ≥ 0`.
    pub fn new(value: Decimal) -> Result<Self, ValueError> {
        non_negative(value).map(Usd)
    }

    /// The amount in dollars.
    pub fn get(self) -> Decimal {
        self.0
    }
}

/// A strictly positive price in US dollars (a share price, a rate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Price(Decimal);

impl Price {
    /// Checks `value > 0`.
    pub fn new(value: Decimal) -> Result<Self, ValueError> {
        positive(value).map(Price)
    }

    /// The price in dollars.
    pub fn get(self) -> Decimal {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn within_f64_names_the_bound_it_breaks() {
        assert_eq!(within_f64(0.5, 0.0, 1.0), Ok(0.5));
        assert_eq!(within_f64(1.0, 0.0, 1.0), Ok(1.0));
        assert_eq!(
            within_f64(27.5, 0.0, 1.0),
            Err(ValueError::AboveMaximum {
                bound: 1.0,
                value: 27.5
            })
        );
        assert_eq!(
            within_f64(-0.1, 0.0, 1.0),
            Err(ValueError::BelowMinimum {
                bound: 0.0,
                value: -0.1
            })
        );
        assert!(within_f64(f64::NAN, 0.0, 1.0).is_err());
    }

    #[test]
    fn a_fraction_accepts_its_bounds_and_rejects_what_lies_outside() {
        assert!(Fraction::new(dec!(0)).is_ok());
        assert!(Fraction::new(dec!(1)).is_ok());
        assert_eq!(
            Fraction::new(dec!(1.01)),
            Err(ValueError::AboveMaximum {
                bound: 1.0,
                value: 1.01
            })
        );
        assert!(Fraction::new(dec!(-0.01)).is_err());
    }

    #[test]
    fn zero_megawatts_is_refused() {
        assert_eq!(
            Megawatts::new(Decimal::ZERO),
            Err(ValueError::NotAbove {
                bound: 0.0,
                value: 0.0
            })
        );
    }

    #[test]
    fn f64_round_trips_keep_fifteen_significant_digits() {
        assert_eq!(<f64 as Num>::from_decimal(dec!(133.33)), 133.33);
        assert_eq!(<f64 as Num>::from_decimal(dec!(-0.0825)), -0.0825);
        assert_eq!(0.16_f64.into_decimal("x"), Ok(dec!(0.16)));
        assert_eq!(
            2_500_000_000.5_f64.into_decimal("x"),
            Ok(dec!(2500000000.5))
        );
        assert_eq!((-1.0e-7_f64).into_decimal("x"), Ok(dec!(-0.0000001)));
        assert!(f64::NAN.into_decimal("x").is_err());
        assert!(1e30_f64.into_decimal("x").is_err());
    }

    proptest::proptest! {
        #[test]
        fn a_decimal_converts_to_the_double_nearest_to_it(
            mantissa in -(1i64 << 60)..(1i64 << 60),
            scale in 0u32..=28,
        ) {
            let value = Decimal::from_i128_with_scale(i128::from(mantissa), scale);
            // Rust's float parsing rounds the exact decimal text correctly.
            let nearest: f64 = value.to_string().parse().unwrap();
            proptest::prop_assert_eq!(to_f64(value), nearest, "{}", value);
        }

        #[test]
        fn a_full_precision_decimal_converts_to_the_double_nearest_to_it(
            lo in proptest::num::u32::ANY,
            mid in proptest::num::u32::ANY,
            hi in proptest::num::u32::ANY,
            negative in proptest::bool::ANY,
            scale in 0u32..=28,
        ) {
            let value = Decimal::from_parts(lo, mid, hi, negative, scale);
            let nearest: f64 = value.to_string().parse().unwrap();
            proptest::prop_assert_eq!(to_f64(value), nearest, "{}", value);
            proptest::prop_assert_eq!(<f64 as Num>::from_decimal(value), nearest, "{}", value);
        }
    }

    #[test]
    fn a_decimal_halfway_between_two_doubles_rounds_to_the_even_one() {
        // 2^53 + 1 lies halfway between the doubles 2^53 and 2^53 + 2: even
        // is 2^53; 2^53 + 3 between 2^53 + 2 and 2^53 + 4: even is + 4.
        let two53 = 9_007_199_254_740_992_i64;
        assert_eq!(to_f64(Decimal::from(two53 + 1)), 9_007_199_254_740_992.0);
        assert_eq!(to_f64(Decimal::from(two53 + 3)), 9_007_199_254_740_996.0);
        // The same at scale 2, and just above the tie it rounds up.
        assert_eq!(
            to_f64(Decimal::new((two53 + 1) * 100, 2)),
            9_007_199_254_740_992.0
        );
        assert_eq!(
            to_f64(Decimal::new((two53 + 1) * 100 + 1, 2)),
            9_007_199_254_740_994.0
        );
    }

    #[test]
    fn money_converts_to_the_nearest_double() {
        for (value, expected) in [
            (dec!(399990000.00), 399_990_000.0),
            (dec!(133.33), 133.33),
            (dec!(-0.01), -0.01),
            (dec!(0.1), 0.1),
            (Decimal::MAX, 7.922_816_251_426_434e28),
            (Decimal::MIN, -7.922_816_251_426_434e28),
            // rust_decimal's own to_f64 gives 7.420281594238695e-8.
            (
                Decimal::new(7_420_281_594_238_694, 23),
                7.420_281_594_238_694e-8,
            ),
        ] {
            assert_eq!(to_f64(value), expected, "{value}");
        }
    }

    #[test]
    fn checked_arithmetic_reports_overflow_with_the_quantity() {
        assert_eq!(
            Decimal::MAX.add_or(Decimal::ONE, "npv"),
            Err(CoreError::Overflow { quantity: "npv" })
        );
        assert_eq!(
            Decimal::ONE.div_or(Decimal::ZERO, "rate"),
            Err(CoreError::Overflow { quantity: "rate" })
        );
    }
}
