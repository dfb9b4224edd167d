//! Colocation revenue: `POST /v1/colocation/arr`.

use infraval_core::colocation::{self, ArrGiven, Capacity, Pue, SolveArrInput, Solved};
use infraval_core::error::AtField;
use infraval_core::num::{Fraction, Megawatts, Price};
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::build_cost::{usd_at_most, MAX_USD};
use crate::num;

/// A colocation site: two of capacity, rent and ARR, and the third is solved.
///
/// Capacity is either `it_capacity_mw` or `utility_power_mw` with `pue`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "it_capacity_mw": 250,
    "arr": 400000000,
    "occupancy": 1,
    "pue": 1.3,
    "power_price_per_mwh": 45
}))]
pub struct ArrRequest {
    /// Critical IT load, MW. Range: > 0, ≤ 100,000. Give this or
    /// `utility_power_mw`, or neither to solve for it.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 250, minimum = 0, maximum = 100000)]
    pub it_capacity_mw: Option<Decimal>,
    /// Utility (grid) power, MW; needs `pue`, and IT load = utility / PUE.
    /// Range: > 0, ≤ 100,000.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 285, minimum = 0, maximum = 100000)]
    pub utility_power_mw: Option<Decimal>,
    /// Power usage effectiveness, utility over IT power. Range: 1 to 5.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 1.3, minimum = 1, maximum = 5)]
    pub pue: Option<Decimal>,
    /// Rent, USD per kW of IT load per month. Range: > 0, ≤ 100,000.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 133.33, minimum = 0, maximum = 100000)]
    pub rate_per_kw_month: Option<Decimal>,
    /// Annual recurring revenue, USD per year. Range: > 0, ≤ 10^13.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 400000000, minimum = 0)]
    pub arr: Option<Decimal>,
    /// Leased share of the IT capacity, a fraction in [0, 1]; above 0 to
    /// solve for the rate or the capacity. Default 1.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 1, minimum = 0, maximum = 1)]
    pub occupancy: Option<Decimal>,
    /// Power price passed through to the tenant, USD per MWh; needs `pue`.
    /// Range: 0 to 100,000.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 45, minimum = 0, maximum = 100000)]
    pub power_price_per_mwh: Option<Decimal>,
}

/// The largest IT capacity accepted, MW: far beyond any campus on Earth.
pub const MAX_IT_CAPACITY_MW: Decimal = Decimal::from_parts(100_000, 0, 0, false, 0);
/// The largest rent accepted, USD per kW-month.
pub const MAX_RATE_PER_KW_MONTH: Decimal = Decimal::from_parts(100_000, 0, 0, false, 0);
/// The highest power price accepted, USD per MWh.
pub const MAX_POWER_PRICE_PER_MWH: Decimal = Decimal::from_parts(100_000, 0, 0, false, 0);

/// Checks `0 < rate ≤ MAX_RATE_PER_KW_MONTH`.
pub(crate) fn rate(value: Decimal, field: &str) -> Result<Price, CoreError> {
    infraval_core::num::at_most(value, MAX_RATE_PER_KW_MONTH)
        .and_then(Price::new)
        .at(field)
}

/// The pairs of known values that [`ArrRequest`] accepts.
const ARR_ALTERNATIVES: [&str; 5] = [
    "it_capacity_mw+rate_per_kw_month",
    "it_capacity_mw+arr",
    "rate_per_kw_month+arr",
    "utility_power_mw+rate_per_kw_month",
    "utility_power_mw+arr",
];

impl TryFrom<ArrRequest> for SolveArrInput {
    type Error = CoreError;

    fn try_from(req: ArrRequest) -> Result<Self, CoreError> {
        let capacity = match (req.it_capacity_mw, req.utility_power_mw) {
            (Some(_), Some(_)) => {
                return Err(CoreError::ExactlyOneOf {
                    expected: vec!["it_capacity_mw", "utility_power_mw"],
                    given: vec!["it_capacity_mw", "utility_power_mw"],
                })
            }
            (Some(mw), None) => Some(Capacity::It(crate::build_cost::megawatts(
                mw,
                "it_capacity_mw",
            )?)),
            (None, Some(mw)) => Some(Capacity::Utility(
                infraval_core::num::at_most(mw, MAX_IT_CAPACITY_MW)
                    .and_then(Megawatts::new)
                    .at("utility_power_mw")?,
            )),
            (None, None) => None,
        };
        let rate_per_kw_month = req
            .rate_per_kw_month
            .map(|r| rate(r, "rate_per_kw_month"))
            .transpose()?;
        let arr = req
            .arr
            .map(|a| {
                infraval_core::num::at_most(a, MAX_USD)
                    .and_then(Price::new)
                    .at("arr")
            })
            .transpose()?;
        let given = match (capacity, rate_per_kw_month, arr) {
            (Some(capacity), Some(rate_per_kw_month), None) => ArrGiven::CapacityAndRate {
                capacity,
                rate_per_kw_month,
            },
            (Some(capacity), None, Some(arr)) => ArrGiven::CapacityAndArr { capacity, arr },
            (None, Some(rate_per_kw_month), Some(arr)) => ArrGiven::RateAndArr {
                rate_per_kw_month,
                arr,
            },
            _ => {
                let named = [
                    ("it_capacity_mw", req.it_capacity_mw.is_some()),
                    ("utility_power_mw", req.utility_power_mw.is_some()),
                    ("rate_per_kw_month", req.rate_per_kw_month.is_some()),
                    ("arr", req.arr.is_some()),
                ];
                return Err(CoreError::ExactlyOneOf {
                    expected: ARR_ALTERNATIVES.to_vec(),
                    given: named.iter().filter(|(_, g)| *g).map(|(n, _)| *n).collect(),
                });
            }
        };
        Ok(SolveArrInput {
            given,
            occupancy: match req.occupancy {
                Some(o) => Fraction::new(o).at("occupancy")?,
                None => Fraction::ONE,
            },
            pue: req.pue.map(|p| Pue::new(p).at("pue")).transpose()?,
            power_price_per_mwh: req
                .power_price_per_mwh
                .map(|p| usd_at_most(p, MAX_POWER_PRICE_PER_MWH, "power_price_per_mwh"))
                .transpose()?,
        })
    }
}

/// Which value the ARR endpoint solved for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SolvedFor {
    /// Annual recurring revenue, from capacity and rate.
    Arr,
    /// Rent per kW-month, from capacity and ARR.
    RatePerKwMonth,
    /// IT capacity, from rate and ARR.
    ItCapacityMw,
}

/// The tenant's pass-through power bill, apart from rent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PowerBillResponse {
    /// Metered energy: leased IT kW × PUE × 8,760 h / 1,000, MWh per year,
    /// rounded to 4 decimals.
    #[serde(with = "num::decimal")]
    #[schema(example = 2847000)]
    pub energy_mwh_per_year: Decimal,
    /// The bill, USD per year, rounded to cents.
    #[serde(with = "num::decimal")]
    #[schema(example = 128115000)]
    pub annual_cost: Decimal,
    /// The bill, USD per month, rounded to cents.
    #[serde(with = "num::decimal")]
    #[schema(example = 10676250)]
    pub monthly_cost: Decimal,
}

/// A site's capacity, rent and annual recurring revenue.
///
/// Money is rounded to cents; the rate to 4 decimals; MW and kW to 4
/// decimals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArrResponse {
    /// Which value was solved for.
    pub solved: SolvedFor,
    /// Annual recurring revenue, USD per year.
    #[serde(with = "num::decimal")]
    #[schema(example = 400000000)]
    pub arr: Decimal,
    /// Rent per month, USD (ARR / 12).
    #[serde(with = "num::decimal")]
    #[schema(example = 33333333.33)]
    pub monthly_revenue: Decimal,
    /// Rent, USD per kW-month.
    #[serde(with = "num::decimal")]
    #[schema(example = 133.3333)]
    pub rate_per_kw_month: Decimal,
    /// Critical IT capacity, MW.
    #[serde(with = "num::decimal")]
    #[schema(example = 250)]
    pub it_capacity_mw: Decimal,
    /// Utility power, MW (IT × PUE), when the PUE is known.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 325)]
    pub utility_power_mw: Option<Decimal>,
    /// Leased IT load, kW.
    #[serde(with = "num::decimal")]
    #[schema(example = 250000)]
    pub leased_kw: Decimal,
    /// ARR per MW of IT capacity, USD per MW-year.
    #[serde(with = "num::decimal")]
    #[schema(example = 1600000)]
    pub revenue_per_mw_year: Decimal,
    /// The occupancy used, a fraction in [0, 1].
    #[serde(with = "num::decimal")]
    #[schema(example = 1)]
    pub occupancy: Decimal,
    /// The pass-through power bill, when `power_price_per_mwh` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power_bill: Option<PowerBillResponse>,
}

impl ArrResponse {
    /// Builds the response from the validated input and the core result.
    pub fn new(input: &SolveArrInput, out: &colocation::ArrSolution) -> Self {
        let four = |d: Decimal| num::round(d, 4).normalize();
        ArrResponse {
            solved: match out.solved {
                Solved::Arr => SolvedFor::Arr,
                Solved::RatePerKwMonth => SolvedFor::RatePerKwMonth,
                Solved::ItCapacityMw => SolvedFor::ItCapacityMw,
            },
            arr: num::cents(out.arr),
            monthly_revenue: num::cents(out.monthly_revenue),
            rate_per_kw_month: four(out.rate_per_kw_month),
            it_capacity_mw: four(out.it_capacity_mw),
            utility_power_mw: out.utility_power_mw.map(four),
            leased_kw: four(out.leased_kw),
            revenue_per_mw_year: num::cents(out.revenue_per_mw_year),
            occupancy: input.occupancy.get().normalize(),
            power_bill: out.power.as_ref().map(|p| PowerBillResponse {
                energy_mwh_per_year: four(p.energy_mwh_per_year),
                annual_cost: num::cents(p.annual_cost),
                monthly_cost: num::cents(p.monthly_cost),
            }),
        }
    }
}

/// Computes [`crate::operations::ColocationArr`].
pub fn arr(input: SolveArrInput) -> Result<ArrResponse, CoreError> {
    let out = colocation::solve_arr(&input)?;
    Ok(ArrResponse::new(&input, &out))
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn an_occupancy_above_one_is_refused_naming_the_field() {
        let req = ArrRequest {
            it_capacity_mw: Some(dec!(250)),
            rate_per_kw_month: Some(dec!(133.33)),
            occupancy: Some(dec!(1.2)),
            ..Default::default()
        };
        let err = SolveArrInput::try_from(req).unwrap_err();
        assert_eq!(err.field(), Some("occupancy"));
    }

    #[test]
    fn a_missing_occupancy_means_fully_leased() {
        let req = ArrRequest {
            it_capacity_mw: Some(dec!(250)),
            rate_per_kw_month: Some(dec!(133.33)),
            ..Default::default()
        };
        assert_eq!(
            SolveArrInput::try_from(req).unwrap().occupancy,
            Fraction::ONE
        );
    }

    #[test]
    fn all_three_of_capacity_rate_and_arr_is_one_too_many() {
        let req = ArrRequest {
            it_capacity_mw: Some(dec!(250)),
            rate_per_kw_month: Some(dec!(133.33)),
            arr: Some(dec!(400000000)),
            ..Default::default()
        };
        let err = SolveArrInput::try_from(req).unwrap_err();
        assert!(matches!(err, CoreError::ExactlyOneOf { ref given, .. } if given.len() == 3));
    }
}
