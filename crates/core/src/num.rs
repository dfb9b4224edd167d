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
