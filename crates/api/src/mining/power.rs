//! Power terms on the wire, shared by both mining operations: the price
//! profile, a fixed-price contract, demand-response credits and the
//! shut-off rule.

use infraval_core::error::AtField;
use infraval_core::mining::{PowerContract, PowerTerms, PriceBucket, PriceProfile, Shutoff};
use infraval_core::num::{Megawatts, Usd};
use infraval_core::CoreError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::opt_usd;
use crate::bounds;
use crate::wire::{Num, Wire};

/// A share of a period's hours at a multiple of its power price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct PriceBucketRequest {
    /// Share of the hours, a fraction; the buckets' shares
    /// add up to 1.
    #[wire(bounds::SHARE_OF_HOURS)]
    pub share_of_hours: Num,
    /// The price in those hours as a multiple of the period's price.
    #[wire(bounds::PRICE_MULTIPLE)]
    pub price_multiple: Num,
}

/// A fixed-price contract for part of the load: bought every hour, used or
/// not; what the fleet does not use is sold back at the market price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct PowerContractRequest {
    /// Load contracted, MW.
    #[wire(bounds::POWER_MW)]
    pub mw: Num,
    /// Its price, USD per MWh.
    #[wire(bounds::POWER_PRICE_PER_MWH)]
    pub price_per_mwh: Num,
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
    pub demand_response_per_mwh: Option<Num>,
    pub demand_response_per_month: Option<Num>,
    pub shutoff: Option<ShutoffRequest>,
}

impl PowerFields<'_> {
    pub(crate) fn terms(&self) -> Result<PowerTerms, CoreError> {
        let profile = if self.profile.is_empty() {
            None
        } else {
            let buckets = self
                .profile
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    PriceBucket::new(b.share_of_hours.get(), b.price_multiple.get()).map_err(
                        |(name, e)| {
                            CoreError::invalid(format!("power_price_profile[{i}].{name}"), e)
                        },
                    )
                })
                .collect::<Result<Vec<_>, _>>()?;
            Some(PriceProfile::new(buckets)?)
        };
        let contract = self
            .contract
            .map(|c| {
                Ok::<_, CoreError>(PowerContract {
                    mw: Megawatts::new(c.mw.get()).at("power_contract.mw")?,
                    price_per_mwh: Usd::new(c.price_per_mwh.get())
                        .at("power_contract.price_per_mwh")?,
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
                share_of_hours: dec!(0.9).into(),
                price_multiple: dec!(0.8).into(),
            },
            PriceBucketRequest {
                share_of_hours: dec!(0.1).into(),
                price_multiple: dec!(150).into(),
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
