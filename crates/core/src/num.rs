//! Validated numbers and checked Decimal arithmetic.
//!
//! Every number a user sends is checked once, here, into a type whose field
//! is private; after that the core can rely on its range. Arithmetic on
//! user-controlled `Decimal`s goes through [`Checked`], so an overflow is a
//! [`CoreError::Overflow`], never a panic.

use rust_decimal::prelude::ToPrimitive;
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
        self.checked_add(rhs)
            .ok_or(CoreError::Overflow { quantity })
    }
    fn sub_or(self, rhs: Self, quantity: &'static str) -> Result<Self, CoreError> {
        self.checked_sub(rhs)
            .ok_or(CoreError::Overflow { quantity })
    }
    fn mul_or(self, rhs: Self, quantity: &'static str) -> Result<Self, CoreError> {
        self.checked_mul(rhs)
            .ok_or(CoreError::Overflow { quantity })
    }
    fn div_or(self, rhs: Self, quantity: &'static str) -> Result<Self, CoreError> {
        self.checked_div(rhs)
            .ok_or(CoreError::Overflow { quantity })
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
}

impl Num for f64 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    fn from_decimal(value: Decimal) -> Self {
        // mantissa / 10^scale: two roundings, so within 1 ulp of the
        // correctly rounded value, and far faster than `to_f64`.
        let scale = value.scale() as usize;
        let mantissa = value.mantissa() as f64;
        match POWERS_OF_TEN.get(scale) {
            Some(p) => mantissa / p,
            None => to_f64(value),
        }
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
}

/// 10^0 to 10^28, each exact in `f64` up to 10^22 and correctly rounded
/// beyond.
const POWERS_OF_TEN: [f64; 29] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28,
];

/// A Decimal as `f64`, for messages and for the `f64` pricing code.
pub fn to_f64(value: Decimal) -> f64 {
    // Every Decimal is within f64's range; the conversion only rounds.
    value.to_f64().unwrap_or(f64::NAN)
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
