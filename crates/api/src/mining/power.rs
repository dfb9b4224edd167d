//! Power terms on the wire, shared by both mining operations: the price
//! profile, a fixed-price contract, demand-response credits and the
//! shut-off rule.

use infraval_core::error::AtField;
use infraval_core::mining::{
    PowerContract, PowerTerms, PriceBucket, PriceProfile, Shutoff, MAX_PRICE_BUCKETS,
};
use infraval_core::num::{Megawatts, Usd};
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::opt_usd;
use crate::num;

/// A share of a period's hours at a multiple of its power price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"share_of_hours": 0.05, "price_multiple": 4.8}))]
pub struct PriceBucketRequest {
    /// Share of the hours, a fraction. Range: (0, 1]; the buckets' shares
    /// add up to 1.
    #[serde(with = "num::decimal")]
    #[schema(example = 0.05, exclusive_minimum = 0, maximum = 1)]
    pub share_of_hours: Decimal,
    /// The price in those hours as a multiple of the period's price.
    /// Range: [0, 100].
    #[serde(with = "num::decimal")]
    #[schema(example = 4.8, minimum = 0, maximum = 100)]
    pub price_multiple: Decimal,
}

/// A fixed-price contract for part of the load: bought every hour, used or
/// not; what the fleet does not use is sold back at the market price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"mw": 300, "price_per_mwh": 35}))]
pub struct PowerContractRequest {
    /// Load contracted, MW. Range: > 0.
    #[serde(with = "num::decimal")]
    #[schema(example = 300, exclusive_minimum = 0)]
    pub mw: Decimal,
    /// Its price, USD per MWh. Range: ≥ 0.
    #[serde(with = "num::decimal")]
    #[schema(example = 35, minimum = 0)]
    pub price_per_mwh: Decimal,
}

/// Whether machines switch off when power costs more than they earn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ShutoffRequest {
    /// Every cohort hashes every hour, whatever it costs.
    #[default]
    Never,
    /// A cohort hashes only in the hours its hashprice (after the pool
    /// fee) covers its hashcost at the market price plus any
    /// demand-response credit per MWh.
    Economic,
}

/// The power fields of a request, before validation.
pub(crate) struct PowerFields<'a> {
    pub profile: &'a [PriceBucketRequest],
    pub contract: Option<&'a PowerContractRequest>,
    pub demand_response_per_mwh: Option<Decimal>,
    pub demand_response_per_month: Option<Decimal>,
    pub shutoff: Option<ShutoffRequest>,
}

impl PowerFields<'_> {
    pub(crate) fn terms(&self) -> Result<PowerTerms, CoreError> {
        infraval_core::num::capped_len(self.profile, MAX_PRICE_BUCKETS)
            .at("power_price_profile")?;
        let profile = if self.profile.is_empty() {
            None
        } else {
            let buckets = self
                .profile
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    PriceBucket::new(b.share_of_hours, b.price_multiple).map_err(|(name, e)| {
                        CoreError::invalid(format!("power_price_profile[{i}].{name}"), e)
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            Some(PriceProfile::new(buckets)?)
        };
        let contract = self
            .contract
            .map(|c| {
                Ok::<_, CoreError>(PowerContract {
                    mw: Megawatts::new(c.mw).at("power_contract.mw")?,
                    price_per_mwh: Usd::new(c.price_per_mwh).at("power_contract.price_per_mwh")?,
                })
            })
            .transpose()?;
        Ok(PowerTerms {
            profile,
            contract,
            demand_response_per_mwh: opt_usd(
                self.demand_response_per_mwh,
                "demand_response_credit_per_mwh",
            )?,
            demand_response_per_month: opt_usd(
                self.demand_response_per_month,
                "demand_response_credit_per_month",
            )?,
            shutoff: match self.shutoff.unwrap_or_default() {
                ShutoffRequest::Never => Shutoff::Never,
                ShutoffRequest::Economic => Shutoff::Economic,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn a_bucket_fault_names_the_bucket_and_its_field() {
        let profile = [
            PriceBucketRequest {
                share_of_hours: dec!(0.9),
                price_multiple: dec!(0.8),
            },
            PriceBucketRequest {
                share_of_hours: dec!(0.1),
                price_multiple: dec!(150),
            },
        ];
        let fields = PowerFields {
            profile: &profile,
            contract: None,
            demand_response_per_mwh: None,
            demand_response_per_month: None,
            shutoff: None,
        };
        assert_eq!(
            fields.terms().unwrap_err().field(),
            Some("power_price_profile[1].price_multiple")
        );
    }
}
