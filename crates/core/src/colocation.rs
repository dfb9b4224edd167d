//! Colocation economics: what leased data-center capacity earns.

use rust_decimal::Decimal;

use crate::num::{Checked, Fraction, Megawatts, Price};
use crate::Result;

/// Months in a year.
const MONTHS_PER_YEAR: Decimal = Decimal::from_parts(12, 0, 0, false, 0);

/// The validated input of [`arr`].
#[derive(Debug, Clone, PartialEq)]
pub struct ArrInput {
    /// Critical IT load available to lease.
    pub it_capacity: Megawatts,
    /// Rent per kW of IT load per month, in USD.
    pub rate_per_kw_month: Price,
    /// Share of the IT capacity that is leased.
    pub occupancy: Fraction,
}

/// Annual recurring revenue of a colocation site, unrounded.
#[derive(Debug, Clone, PartialEq)]
pub struct Arr {
    /// Annual recurring revenue, USD per year.
    pub arr: Decimal,
    /// Rent per month, USD (ARR / 12).
    pub monthly_revenue: Decimal,
    /// Leased IT load, kW.
    pub leased_kw: Decimal,
}

/// Annual recurring rent of a colocation site.
///
/// # Formula
/// ```text
/// leased_kw = it_capacity_mw × 1,000 × occupancy
/// ARR       = leased_kw × rate_per_kw_month × 12
/// ```
///
/// # Example
/// The 250 MW Sandersville site at $133.33 per kW-month, fully leased
/// (seed-figures.md):
/// ```
/// use infraval_core::colocation::{arr, ArrInput};
/// use infraval_core::num::{Fraction, Megawatts, Price};
/// use rust_decimal::Decimal;
///
/// let input = ArrInput {
///     it_capacity: Megawatts::new(Decimal::from(250)).unwrap(),
///     rate_per_kw_month: Price::new(Decimal::new(13333, 2)).unwrap(),
///     occupancy: Fraction::ONE,
/// };
/// // 250 × 1,000 × 133.33 × 12 = 399,990,000
/// assert_eq!(arr(&input).unwrap().arr, Decimal::from(399_990_000));
/// ```
pub fn arr(input: &ArrInput) -> Result<Arr> {
    let leased_kw = input
        .it_capacity
        .kw()?
        .mul_or(input.occupancy.get(), "leased_kw")?;
    let monthly_revenue = leased_kw.mul_or(input.rate_per_kw_month.get(), "monthly_revenue")?;
    let arr = monthly_revenue.mul_or(MONTHS_PER_YEAR, "arr")?;
    Ok(Arr {
        arr,
        monthly_revenue,
        leased_kw,
    })
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::CoreError;

    fn input(mw: Decimal, rate: Decimal, occupancy: Decimal) -> ArrInput {
        ArrInput {
            it_capacity: Megawatts::new(mw).unwrap(),
            rate_per_kw_month: Price::new(rate).unwrap(),
            occupancy: Fraction::new(occupancy).unwrap(),
        }
    }

    #[test]
    fn half_occupancy_halves_the_rent() {
        // 10 MW × 1,000 × 0.5 = 5,000 kW; × $150 = $750,000 a month; × 12 = $9,000,000.
        let out = arr(&input(dec!(10), dec!(150), dec!(0.5))).unwrap();
        assert_eq!(out.leased_kw, dec!(5000));
        assert_eq!(out.monthly_revenue, dec!(750000));
        assert_eq!(out.arr, dec!(9000000));
    }

    #[test]
    fn an_absurd_capacity_overflows_into_an_error_not_a_panic() {
        let out = arr(&input(Decimal::MAX, dec!(1000), dec!(1)));
        assert!(matches!(out, Err(CoreError::Overflow { .. })));
    }
}
