//! Colocation economics: what leased data-center capacity earns.

use rust_decimal::Decimal;

use crate::error::{AtField, CoreError, ValueError};
use crate::num::{Checked, Fraction, Megawatts, Price, Usd};
use crate::Result;

/// Months in a year.
pub(crate) const MONTHS_PER_YEAR: Decimal = Decimal::from_parts(12, 0, 0, false, 0);
/// Hours in a (non-leap) year, the convention for annual power bills.
pub(crate) const HOURS_PER_YEAR: Decimal = Decimal::from_parts(8760, 0, 0, false, 0);
/// The highest power usage effectiveness accepted: far above any
/// working data center (air-cooled legacy sites run near 2).
pub const MAX_PUE: Decimal = Decimal::from_parts(5, 0, 0, false, 0);

/// Power usage effectiveness: utility power over IT power, in `[1, 5]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pue(Decimal);

impl Pue {
    /// Checks `1 ≤ value ≤ MAX_PUE`.
    pub fn new(value: Decimal) -> Result<Self, ValueError> {
        crate::num::within(value, Decimal::ONE, MAX_PUE).map(Pue)
    }

    /// The ratio.
    pub fn get(self) -> Decimal {
        self.0
    }
}

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

/// How a site's capacity is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capacity {
    /// Critical IT load directly.
    It(Megawatts),
    /// Utility (grid) power; the IT load is this over the PUE, which must
    /// then be given.
    Utility(Megawatts),
}

/// Which two of capacity, rate and ARR are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrGiven {
    /// Capacity and rate: solve for ARR.
    CapacityAndRate {
        /// The site's capacity.
        capacity: Capacity,
        /// Rent, USD per kW of IT load per month.
        rate_per_kw_month: Price,
    },
    /// Capacity and ARR: solve for the rate.
    CapacityAndArr {
        /// The site's capacity.
        capacity: Capacity,
        /// Annual recurring revenue, USD per year.
        arr: Price,
    },
    /// Rate and ARR: solve for the IT capacity.
    RateAndArr {
        /// Rent, USD per kW of IT load per month.
        rate_per_kw_month: Price,
        /// Annual recurring revenue, USD per year.
        arr: Price,
    },
}

/// The validated input of [`solve_arr`].
#[derive(Debug, Clone, PartialEq)]
pub struct SolveArrInput {
    /// The two known values.
    pub given: ArrGiven,
    /// Leased share of the IT capacity.
    pub occupancy: Fraction,
    /// Power usage effectiveness; needed for utility capacity and for the
    /// power bill.
    pub pue: Option<Pue>,
    /// Power price passed through to the tenant, USD per MWh.
    pub power_price_per_mwh: Option<Usd>,
}

/// The value [`solve_arr`] solved for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Solved {
    /// Annual recurring revenue.
    Arr,
    /// Rent per kW-month.
    RatePerKwMonth,
    /// IT capacity.
    ItCapacityMw,
}

/// The tenant's power bill, passed through at cost and kept apart from rent.
#[derive(Debug, Clone, PartialEq)]
pub struct PowerBill {
    /// Energy drawn at the utility meter, MWh per year.
    pub energy_mwh_per_year: Decimal,
    /// The bill, USD per year.
    pub annual_cost: Decimal,
    /// The bill, USD per month (annual / 12).
    pub monthly_cost: Decimal,
}

/// Capacity, rate and ARR of a site, one of them solved for, unrounded.
#[derive(Debug, Clone, PartialEq)]
pub struct ArrSolution {
    /// Which value was solved for.
    pub solved: Solved,
    /// Critical IT capacity, MW.
    pub it_capacity_mw: Decimal,
    /// Utility power, MW (IT × PUE), when the PUE is known.
    pub utility_power_mw: Option<Decimal>,
    /// Rent, USD per kW-month.
    pub rate_per_kw_month: Decimal,
    /// Annual recurring revenue, USD per year.
    pub arr: Decimal,
    /// Rent per month, USD.
    pub monthly_revenue: Decimal,
    /// Leased IT load, kW.
    pub leased_kw: Decimal,
    /// ARR per MW of IT capacity, USD per MW-year.
    pub revenue_per_mw_year: Decimal,
    /// The pass-through power bill, when a power price is given.
    pub power: Option<PowerBill>,
}

/// Solves for whichever of IT capacity, rent and ARR is missing, and adds
/// the tenant's power bill when a power price is given.
///
/// # Formula
/// ```text
/// it_mw      = it_capacity_mw, or utility_power_mw / pue      (pue in [1, 5])
/// leased_kw  = it_mw × 1,000 × occupancy                     (occupancy in [0, 1])
/// ARR        = leased_kw × rate_per_kw_month × 12
/// rate       = ARR / (leased_kw × 12)                        (occupancy > 0)
/// it_mw      = ARR / (rate × 12 × occupancy × 1,000)         (occupancy > 0)
/// revenue_per_mw_year = ARR / it_mw
/// power bill = leased_kw × pue × 8,760 h × power_price_per_mwh / 1,000
/// ```
///
/// # Example
/// 285 MW of utility power at a PUE of 1.3 (the Austin County campus,
/// seed-figures.md) carries 219.23 MW of IT load:
/// ```
/// use infraval_core::colocation::{solve_arr, ArrGiven, Capacity, Pue, SolveArrInput};
/// use infraval_core::num::{Fraction, Megawatts, Price};
/// use rust_decimal::Decimal;
///
/// let out = solve_arr(&SolveArrInput {
///     given: ArrGiven::CapacityAndRate {
///         capacity: Capacity::Utility(Megawatts::new(Decimal::from(285)).unwrap()),
///         rate_per_kw_month: Price::new(Decimal::new(13333, 2)).unwrap(),
///     },
///     occupancy: Fraction::ONE,
///     pue: Some(Pue::new(Decimal::new(13, 1)).unwrap()),
///     power_price_per_mwh: None,
/// }).unwrap();
/// assert_eq!(out.it_capacity_mw.round_dp(2), Decimal::new(21923, 2));
/// ```
pub fn solve_arr(input: &SolveArrInput) -> Result<ArrSolution> {
    let occupancy = input.occupancy.get();
    let it_mw_of = |capacity: Capacity| -> Result<Decimal> {
        match capacity {
            Capacity::It(mw) => Ok(mw.get()),
            Capacity::Utility(mw) => {
                let pue = input
                    .pue
                    .ok_or(CoreError::missing_dependency("utility_power_mw", "pue"))?;
                mw.get().div_or(pue.get(), "it_capacity_mw")
            }
        }
    };
    let need_occupancy = || -> Result<()> {
        if occupancy.is_zero() {
            Err(CoreError::Inconsistent {
                field: "occupancy".into(),
                reason: "must be above 0 to solve for the rate or the capacity",
            })
        } else {
            Ok(())
        }
    };
    let kw = |mw: Decimal| mw.mul_or(Decimal::ONE_THOUSAND, "leased_kw");
    let (solved, it_mw, rate, arr, leased_kw) = match input.given {
        ArrGiven::CapacityAndRate {
            capacity,
            rate_per_kw_month,
        } => {
            let it_mw = it_mw_of(capacity)?;
            // The forward case is the plain ARR formula: one place for it.
            let forward = arr(&ArrInput {
                it_capacity: Megawatts::new(it_mw).at("it_capacity_mw")?,
                rate_per_kw_month,
                occupancy: input.occupancy,
            })?;
            let rate = rate_per_kw_month.get();
            (Solved::Arr, it_mw, rate, forward.arr, forward.leased_kw)
        }
        ArrGiven::CapacityAndArr { capacity, arr } => {
            need_occupancy()?;
            let it_mw = it_mw_of(capacity)?;
            let leased_kw = kw(it_mw)?.mul_or(occupancy, "leased_kw")?;
            let rate = arr.get().div_or(
                leased_kw.mul_or(MONTHS_PER_YEAR, "rate_per_kw_month")?,
                "rate_per_kw_month",
            )?;
            (Solved::RatePerKwMonth, it_mw, rate, arr.get(), leased_kw)
        }
        ArrGiven::RateAndArr {
            rate_per_kw_month,
            arr,
        } => {
            need_occupancy()?;
            let rate = rate_per_kw_month.get();
            let leased_kw = arr
                .get()
                .div_or(rate.mul_or(MONTHS_PER_YEAR, "leased_kw")?, "leased_kw")?;
            let it_mw = leased_kw
                .div_or(occupancy, "it_capacity_mw")?
                .div_or(Decimal::ONE_THOUSAND, "it_capacity_mw")?;
            (Solved::ItCapacityMw, it_mw, rate, arr.get(), leased_kw)
        }
    };
    let power = match input.power_price_per_mwh {
        None => None,
        Some(price) => {
            let pue = input
                .pue
                .ok_or(CoreError::missing_dependency("power_price_per_mwh", "pue"))?;
            let energy_mwh_per_year = leased_kw
                .mul_or(pue.get(), "power_bill")?
                .mul_or(HOURS_PER_YEAR, "power_bill")?
                .div_or(Decimal::ONE_THOUSAND, "power_bill")?;
            let annual_cost = energy_mwh_per_year.mul_or(price.get(), "power_bill")?;
            Some(PowerBill {
                energy_mwh_per_year,
                annual_cost,
                monthly_cost: annual_cost.div_or(MONTHS_PER_YEAR, "power_bill")?,
            })
        }
    };
    Ok(ArrSolution {
        solved,
        it_capacity_mw: it_mw,
        utility_power_mw: match input.pue {
            Some(pue) => Some(it_mw.mul_or(pue.get(), "utility_power_mw")?),
            None => None,
        },
        rate_per_kw_month: rate,
        arr,
        monthly_revenue: arr.div_or(MONTHS_PER_YEAR, "monthly_revenue")?,
        leased_kw,
        revenue_per_mw_year: arr.div_or(it_mw, "revenue_per_mw_year")?,
        power,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    use super::*;

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

    fn given_rate(capacity: Capacity, rate: Decimal) -> SolveArrInput {
        SolveArrInput {
            given: ArrGiven::CapacityAndRate {
                capacity,
                rate_per_kw_month: Price::new(rate).unwrap(),
            },
            occupancy: Fraction::ONE,
            pue: None,
            power_price_per_mwh: None,
        }
    }

    fn it(mw: Decimal) -> Capacity {
        Capacity::It(Megawatts::new(mw).unwrap())
    }

    #[test]
    fn two_hundred_fifty_mw_at_133_33_earns_399_99_million() {
        // seed-figures.md: 250 × 1,000 × 133.33 × 12 = 399,990,000.
        let out = solve_arr(&given_rate(it(dec!(250)), dec!(133.33))).unwrap();
        assert_eq!(out.solved, Solved::Arr);
        assert_eq!(out.arr, dec!(399990000));
        assert_eq!(out.monthly_revenue, dec!(33332500));
        // 399,990,000 / 250 = 1,599,960 per MW-year.
        assert_eq!(out.revenue_per_mw_year, dec!(1599960));
    }

    #[test]
    fn four_hundred_million_on_250_mw_implies_133_33_a_kw_month() {
        // seed-figures.md: 400,000,000 / (250 × 1,000 × 12) = 133.333…
        let out = solve_arr(&SolveArrInput {
            given: ArrGiven::CapacityAndArr {
                capacity: it(dec!(250)),
                arr: Price::new(dec!(400000000)).unwrap(),
            },
            occupancy: Fraction::ONE,
            pue: None,
            power_price_per_mwh: None,
        })
        .unwrap();
        assert_eq!(out.solved, Solved::RatePerKwMonth);
        assert_eq!(out.rate_per_kw_month.round_dp(2), dec!(133.33));
        assert_eq!(out.leased_kw, dec!(250000));
    }

    #[test]
    fn rate_and_arr_give_back_the_capacity_at_partial_occupancy() {
        // 9,000,000 / (150 × 12) = 5,000 kW leased; / 0.5 = 10,000 kW = 10 MW.
        let out = solve_arr(&SolveArrInput {
            given: ArrGiven::RateAndArr {
                rate_per_kw_month: Price::new(dec!(150)).unwrap(),
                arr: Price::new(dec!(9000000)).unwrap(),
            },
            occupancy: Fraction::new(dec!(0.5)).unwrap(),
            pue: None,
            power_price_per_mwh: None,
        })
        .unwrap();
        assert_eq!(out.solved, Solved::ItCapacityMw);
        assert_eq!(out.it_capacity_mw, dec!(10));
        assert_eq!(out.leased_kw, dec!(5000));
    }

    #[test]
    fn utility_power_over_pue_is_the_it_load() {
        // seed-figures.md, Austin County: 285 / 1.3 = 219.230769… MW.
        let mut input = given_rate(
            Capacity::Utility(Megawatts::new(dec!(285)).unwrap()),
            dec!(133.33),
        );
        input.pue = Some(Pue::new(dec!(1.3)).unwrap());
        let out = solve_arr(&input).unwrap();
        assert_eq!(out.it_capacity_mw.round_dp(4), dec!(219.2308));
        assert_eq!(out.utility_power_mw.unwrap().round_dp(10), dec!(285));
    }

    #[test]
    fn utility_power_without_a_pue_is_refused() {
        let input = given_rate(
            Capacity::Utility(Megawatts::new(dec!(285)).unwrap()),
            dec!(133.33),
        );
        assert_eq!(
            solve_arr(&input).unwrap_err().field(),
            Some("utility_power_mw")
        );
    }

    #[test]
    fn the_power_bill_is_leased_load_times_pue_times_hours_times_price() {
        // 10 MW at 80% = 8,000 kW; × 1.25 = 10,000 kW at the meter;
        // × 8,760 h = 87,600 MWh; × $50 = $4,380,000 a year, $365,000 a month.
        let mut input = given_rate(it(dec!(10)), dec!(150));
        input.occupancy = Fraction::new(dec!(0.8)).unwrap();
        input.pue = Some(Pue::new(dec!(1.25)).unwrap());
        input.power_price_per_mwh = Some(Usd::new(dec!(50)).unwrap());
        let bill = solve_arr(&input).unwrap().power.unwrap();
        assert_eq!(bill.energy_mwh_per_year, dec!(87600));
        assert_eq!(bill.annual_cost, dec!(4380000));
        assert_eq!(bill.monthly_cost, dec!(365000));
    }

    #[test]
    fn a_power_price_without_a_pue_is_refused() {
        let mut input = given_rate(it(dec!(10)), dec!(150));
        input.power_price_per_mwh = Some(Usd::new(dec!(50)).unwrap());
        assert_eq!(
            solve_arr(&input).unwrap_err(),
            CoreError::missing_dependency("power_price_per_mwh", "pue")
        );
    }

    #[test]
    fn solving_for_the_rate_at_zero_occupancy_is_refused() {
        let err = solve_arr(&SolveArrInput {
            given: ArrGiven::CapacityAndArr {
                capacity: it(dec!(250)),
                arr: Price::new(dec!(1)).unwrap(),
            },
            occupancy: Fraction::ZERO,
            pue: None,
            power_price_per_mwh: None,
        })
        .unwrap_err();
        assert_eq!(err.field(), Some("occupancy"));
    }

    #[test]
    fn a_pue_below_one_is_refused() {
        assert!(Pue::new(dec!(0.99)).is_err());
        assert!(Pue::new(dec!(1)).is_ok());
    }

    proptest! {
        #[test]
        fn arr_is_linear_in_capacity_and_in_rate(
            mw in 1i64..100_000_000,
            rate in 1i64..10_000_000,
            k in 1i64..1000,
        ) {
            let (mw, rate, k) = (Decimal::new(mw, 3), Decimal::new(rate, 2), Decimal::from(k));
            let base = solve_arr(&given_rate(it(mw), rate)).unwrap().arr;
            let scaled_mw = solve_arr(&given_rate(it(mw * k), rate)).unwrap().arr;
            let scaled_rate = solve_arr(&given_rate(it(mw), rate * k)).unwrap().arr;
            prop_assert_eq!(scaled_mw, base * k);
            prop_assert_eq!(scaled_rate, base * k);
        }
    }
}
