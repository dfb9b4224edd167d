//! Colocation revenue: `POST /v1/colocation/arr`.

use infraval_core::colocation::{self, ArrGiven, Capacity, Pue, SolveArrInput, Solved};
use infraval_core::error::AtField;
use infraval_core::num::{Fraction, Megawatts, Price, Usd};
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::wire::{Num, Wire};
use crate::{bounds, num, Example, Examples};

/// A colocation site: two of capacity, rent and ARR, and the third is solved.
///
/// Capacity is either `it_capacity_mw` or `utility_power_mw` with `pue`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct ArrRequest {
    /// Critical IT load, MW. Give this or `utility_power_mw`, or neither to
    /// solve for it.
    #[wire(bounds::IT_CAPACITY_MW)]
    pub it_capacity_mw: Option<Num>,
    /// Utility (grid) power, MW; needs `pue`, and IT load = utility / PUE.
    #[wire(bounds::IT_CAPACITY_MW)]
    pub utility_power_mw: Option<Num>,
    /// Power usage effectiveness, utility over IT power.
    #[wire(bounds::PUE)]
    pub pue: Option<Num>,
    /// Rent, USD per kW of IT load per month.
    #[wire(bounds::RATE_PER_KW_MONTH)]
    pub rate_per_kw_month: Option<Num>,
    /// Annual recurring revenue, USD per year.
    #[wire(bounds::POSITIVE_USD)]
    pub arr: Option<Num>,
    /// Leased share of the IT capacity; above 0 to solve for the rate or
    /// the capacity. Default 1.
    #[wire(bounds::FRACTION, default = Decimal::ONE)]
    pub occupancy: Option<Num>,
    /// Power price passed through to the tenant, USD per MWh; needs `pue`.
    #[wire(bounds::POWER_PRICE_PER_MWH)]
    pub power_price_per_mwh: Option<Num>,
}

impl Examples for ArrRequest {
    fn examples() -> Vec<Example> {
        vec![
            Example {
                name: "rent_to_arr",
                summary:
                    "Sandersville: 250 MW leased at $133.33 per kW-month, with pass-through power",
                body: json!({
                    "it_capacity_mw": 250,
                    "rate_per_kw_month": 133.33,
                    "occupancy": 1,
                    "pue": 1.3,
                    "power_price_per_mwh": 45
                }),
            },
            Example {
                name: "arr_to_capacity",
                summary: "The IT capacity behind $400M of ARR, from 325 MW of utility power",
                body: json!({
                    "utility_power_mw": 325,
                    "pue": 1.3,
                    "arr": 400000000
                }),
            },
        ]
    }
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
                return Err(CoreError::exactly_one_of(
                    &["it_capacity_mw", "utility_power_mw"],
                    &["it_capacity_mw", "utility_power_mw"],
                ))
            }
            (Some(mw), None) => Some(Capacity::It(Megawatts::new(mw.get()).at("it_capacity_mw")?)),
            (None, Some(mw)) => Some(Capacity::Utility(
                Megawatts::new(mw.get()).at("utility_power_mw")?,
            )),
            (None, None) => None,
        };
        let rate_per_kw_month = req
            .rate_per_kw_month
            .map(|r| Price::new(r.get()).at("rate_per_kw_month"))
            .transpose()?;
        let arr = req.arr.map(|a| Price::new(a.get()).at("arr")).transpose()?;
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
                let given: Vec<&'static str> =
                    named.iter().filter(|(_, g)| *g).map(|(n, _)| *n).collect();
                return Err(CoreError::exactly_one_of(&ARR_ALTERNATIVES, &given));
            }
        };
        Ok(SolveArrInput {
            given,
            occupancy: match req.occupancy {
                Some(o) => Fraction::new(o.get()).at("occupancy")?,
                None => Fraction::ONE,
            },
            pue: req.pue.map(|p| Pue::new(p.get()).at("pue")).transpose()?,
            power_price_per_mwh: req
                .power_price_per_mwh
                .map(|p| Usd::new(p.get()).at("power_price_per_mwh"))
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
    pub energy_mwh_per_year: Num,
    /// The bill, USD per year, rounded to cents.
    pub annual_cost: Num,
    /// The bill, USD per month, rounded to cents.
    pub monthly_cost: Num,
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
    pub arr: Num,
    /// Rent per month, USD (ARR / 12).
    pub monthly_revenue: Num,
    /// Rent, USD per kW-month.
    pub rate_per_kw_month: Num,
    /// Critical IT capacity, MW.
    pub it_capacity_mw: Num,
    /// Utility power, MW (IT × PUE), when the PUE is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utility_power_mw: Option<Num>,
    /// Leased IT load, kW.
    pub leased_kw: Num,
    /// ARR per MW of IT capacity, USD per MW-year.
    pub revenue_per_mw_year: Num,
    /// The occupancy used, a fraction in [0, 1].
    pub occupancy: Num,
    /// The pass-through power bill, when `power_price_per_mwh` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power_bill: Option<PowerBillResponse>,
}

impl ArrResponse {
    /// Builds the response from the validated input and the core result.
    pub fn new(input: &SolveArrInput, out: &colocation::ArrSolution) -> Self {
        let four = |d: Decimal| num::round(d, 4);
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
            occupancy: input.occupancy.get().into(),
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
            it_capacity_mw: Some(dec!(250).into()),
            rate_per_kw_month: Some(dec!(133.33).into()),
            occupancy: Some(dec!(1.2).into()),
            ..Default::default()
        };
        let err = crate::wire::check(&req).unwrap_err();
        assert_eq!(err.first().field(), Some("occupancy"));
    }

    #[test]
    fn every_field_out_of_range_is_reported_at_once() {
        let req = ArrRequest {
            it_capacity_mw: Some(dec!(0).into()),
            rate_per_kw_month: Some(dec!(133.33).into()),
            occupancy: Some(dec!(95).into()),
            pue: Some(dec!(0.9).into()),
            ..Default::default()
        };
        let err = crate::wire::check(&req).unwrap_err();
        let fields: Vec<_> = err.all().iter().filter_map(CoreError::field).collect();
        assert_eq!(fields, ["it_capacity_mw", "pue", "occupancy"]);
        assert_eq!(
            err.all()[2].to_string(),
            "`occupancy` is a fraction: 95 means 9500%; did you mean 0.95?"
        );
    }

    #[test]
    fn a_missing_occupancy_means_fully_leased() {
        let req = ArrRequest {
            it_capacity_mw: Some(dec!(250).into()),
            rate_per_kw_month: Some(dec!(133.33).into()),
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
            it_capacity_mw: Some(dec!(250).into()),
            rate_per_kw_month: Some(dec!(133.33).into()),
            arr: Some(dec!(400000000).into()),
            ..Default::default()
        };
        let err = SolveArrInput::try_from(req).unwrap_err();
        assert!(matches!(err, CoreError::ExactlyOneOf { ref given, .. } if given.len() == 3));
    }
}
