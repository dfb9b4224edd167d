//! Colocation revenue: `POST /v1/colocation/arr`.

use infraval_core::colocation::{self, ArrInput};
use infraval_core::error::AtField;
use infraval_core::num::{Fraction, Megawatts, Price};
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::num;

/// A colocation site's capacity and rent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "it_capacity_mw": 250,
    "rate_per_kw_month": 133.33,
    "occupancy": 1
}))]
pub struct ArrRequest {
    /// Critical IT load, MW. Range: > 0, ≤ 100,000.
    #[serde(with = "num::decimal")]
    #[schema(example = 250, minimum = 0, maximum = 100000)]
    pub it_capacity_mw: Decimal,
    /// Rent, USD per kW of IT load per month. Range: > 0, ≤ 100,000.
    #[serde(with = "num::decimal")]
    #[schema(example = 133.33, minimum = 0, maximum = 100000)]
    pub rate_per_kw_month: Decimal,
    /// Leased share of the IT capacity, a fraction in [0, 1]. Default 1.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 1, minimum = 0, maximum = 1)]
    pub occupancy: Option<Decimal>,
}

/// The largest IT capacity accepted, MW: far beyond any campus on Earth.
pub const MAX_IT_CAPACITY_MW: Decimal = Decimal::from_parts(100_000, 0, 0, false, 0);
/// The largest rent accepted, USD per kW-month.
pub const MAX_RATE_PER_KW_MONTH: Decimal = Decimal::from_parts(100_000, 0, 0, false, 0);

impl TryFrom<ArrRequest> for ArrInput {
    type Error = CoreError;

    fn try_from(req: ArrRequest) -> Result<Self, CoreError> {
        let capacity = num_at_most(req.it_capacity_mw, MAX_IT_CAPACITY_MW, "it_capacity_mw")?;
        let rate = num_at_most(
            req.rate_per_kw_month,
            MAX_RATE_PER_KW_MONTH,
            "rate_per_kw_month",
        )?;
        Ok(ArrInput {
            it_capacity: Megawatts::new(capacity).at("it_capacity_mw")?,
            rate_per_kw_month: Price::new(rate).at("rate_per_kw_month")?,
            occupancy: match req.occupancy {
                Some(o) => Fraction::new(o).at("occupancy")?,
                None => Fraction::ONE,
            },
        })
    }
}

fn num_at_most(value: Decimal, max: Decimal, field: &str) -> Result<Decimal, CoreError> {
    infraval_core::num::at_most(value, max).at(field)
}

/// A site's annual recurring revenue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArrResponse {
    /// Annual recurring revenue, USD per year, rounded to cents.
    #[serde(with = "num::decimal")]
    #[schema(example = 399990000)]
    pub arr: Decimal,
    /// Rent per month, USD, rounded to cents.
    #[serde(with = "num::decimal")]
    #[schema(example = 33332500)]
    pub monthly_revenue: Decimal,
    /// Leased IT load, kW.
    #[serde(with = "num::decimal")]
    #[schema(example = 250000)]
    pub leased_kw: Decimal,
    /// The IT capacity used, MW.
    #[serde(with = "num::decimal")]
    #[schema(example = 250)]
    pub it_capacity_mw: Decimal,
    /// The rent used, USD per kW-month.
    #[serde(with = "num::decimal")]
    #[schema(example = 133.33)]
    pub rate_per_kw_month: Decimal,
    /// The occupancy used, a fraction in [0, 1].
    #[serde(with = "num::decimal")]
    #[schema(example = 1)]
    pub occupancy: Decimal,
}

impl ArrResponse {
    /// Builds the response from the validated input and the core result.
    pub fn new(input: &ArrInput, out: &colocation::Arr) -> Self {
        ArrResponse {
            arr: num::cents(out.arr),
            monthly_revenue: num::cents(out.monthly_revenue),
            leased_kw: out.leased_kw.normalize(),
            it_capacity_mw: input.it_capacity.get().normalize(),
            rate_per_kw_month: input.rate_per_kw_month.get().normalize(),
            occupancy: input.occupancy.get().normalize(),
        }
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn an_occupancy_above_one_is_refused_naming_the_field() {
        let req = ArrRequest {
            it_capacity_mw: dec!(250),
            rate_per_kw_month: dec!(133.33),
            occupancy: Some(dec!(1.2)),
        };
        let err = ArrInput::try_from(req).unwrap_err();
        assert_eq!(err.field(), Some("occupancy"));
    }

    #[test]
    fn a_missing_occupancy_means_fully_leased() {
        let req = ArrRequest {
            it_capacity_mw: dec!(250),
            rate_per_kw_month: dec!(133.33),
            occupancy: None,
        };
        assert_eq!(ArrInput::try_from(req).unwrap().occupancy, Fraction::ONE);
    }
}
