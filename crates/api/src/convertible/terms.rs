//! The full terms of a note issue: `POST /v1/convertibles/terms`.

use infraval_core::convertible::{ConversionFields, ConvertibleTerms, Principal, Settlement};
use infraval_core::CoreError;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::{cents, fraction, price, shares};
use crate::wire::{Num, Wire};
use crate::{bounds, Example, Examples};

/// Validates the terms fields shared by `/terms`, `/dilution` and the sum
/// of the parts.
pub(crate) fn terms(
    principal: Num,
    conversion_rate: Option<Num>,
    conversion_price: Option<Num>,
    reference_price: Option<Num>,
    conversion_premium: Option<Num>,
) -> Result<ConvertibleTerms, CoreError> {
    let principal = Principal::new(principal.get())?;
    let fields = ConversionFields {
        conversion_rate: conversion_rate.map(Num::get),
        conversion_price: conversion_price.map(Num::get),
        reference_price: reference_price.map(Num::get),
        conversion_premium: conversion_premium.map(Num::get),
    };
    ConvertibleTerms::new(principal, fields.validate()?)
}

/// The terms of a convertible note issue: a principal and exactly one of
/// `conversion_rate`, `conversion_price`, or `reference_price` with
/// `conversion_premium`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct TermsRequest {
    /// Principal of the issue, USD, a whole multiple of the $1,000
    /// denomination.
    #[wire(bounds::PRINCIPAL)]
    pub principal: Num,
    /// Shares per $1,000 of principal; rounded to four decimals as
    /// indentures state it.
    #[wire(bounds::CONVERSION_RATE)]
    pub conversion_rate: Option<Num>,
    /// Conversion price, USD per share.
    #[wire(bounds::CONVERSION_PRICE)]
    pub conversion_price: Option<Num>,
    /// Reference share price the premium is set over, USD per share; needs
    /// `conversion_premium`.
    #[wire(bounds::REFERENCE_PRICE)]
    pub reference_price: Option<Num>,
    /// Conversion premium over `reference_price` (0.275 for 27.5%); needs
    /// `reference_price`.
    #[wire(bounds::CONVERSION_PREMIUM)]
    pub conversion_premium: Option<Num>,
}

impl Examples for TermsRequest {
    fn examples() -> Vec<Example> {
        vec![
            Example {
                name: "premium",
                summary: "CleanSpark's $1.15B 0% notes due 2032: a 27.5% premium over $15.03",
                body: json!({
                    "principal": 1150000000,
                    "reference_price": 15.03,
                    "conversion_premium": 0.275
                }),
            },
            Example {
                name: "rate",
                summary: "The same notes from their stated conversion rate",
                body: json!({"principal": 1150000000, "conversion_rate": 52.1832}),
            },
            Example {
                name: "price",
                summary: "The same notes from their conversion price",
                body: json!({"principal": 1150000000, "conversion_price": 19.16325}),
            },
        ]
    }
}

impl TryFrom<TermsRequest> for ConvertibleTerms {
    type Error = CoreError;

    fn try_from(req: TermsRequest) -> Result<Self, CoreError> {
        terms(
            req.principal,
            req.conversion_rate,
            req.conversion_price,
            req.reference_price,
            req.conversion_premium,
        )
    }
}

/// The full terms of a convertible note issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TermsResponse {
    /// Principal, USD.
    pub principal: Num,
    /// Stated conversion price, USD per share, to 6 decimals: as given, or
    /// `reference_price × (1 + conversion_premium)`, or `1,000 / conversion_rate`.
    pub conversion_price: Num,
    /// Contractual conversion rate, shares per $1,000 of principal:
    /// `1,000 / conversion_price` rounded to 4 decimals, halves away from
    /// zero, as indentures state it. Every share count uses this rate.
    pub conversion_rate: Num,
    /// The conversion rate before rounding, shares per $1,000, to 10
    /// decimals.
    pub conversion_rate_unrounded: Num,
    /// Share price at which a note's conversion value equals its $1,000
    /// principal under the rounded rate, `1,000 / conversion_rate`, USD, to
    /// 6 decimals.
    pub parity_price: Num,
    /// Reference share price, USD; present when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_price: Option<Num>,
    /// Conversion premium, a decimal fraction; present when a reference
    /// price is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversion_premium: Option<Num>,
    /// Shares the whole issue converts into: `principal / 1,000 × conversion_rate`.
    pub shares_underlying: Num,
    /// Notes outstanding at the $1,000 denomination.
    pub notes_count: Num,
}

impl From<&ConvertibleTerms> for TermsResponse {
    fn from(t: &ConvertibleTerms) -> Self {
        TermsResponse {
            principal: cents(t.principal()),
            conversion_price: price(t.conversion_price()),
            conversion_rate: t.conversion_rate().into(),
            conversion_rate_unrounded: fraction(t.conversion_rate_unrounded()),
            parity_price: price(t.parity_price()),
            reference_price: t.reference_price().map(price),
            conversion_premium: t.conversion_premium().map(fraction),
            shares_underlying: shares(t.shares_underlying()),
            notes_count: t.notes_count().into(),
        }
    }
}

/// What the issuer delivers when a note is converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SettlementMethod {
    /// All conversion shares: `conversion_rate` shares per note.
    #[default]
    Physical,
    /// Principal in cash, the conversion value above it in shares.
    NetShare,
    /// The whole conversion value in cash.
    Cash,
}

impl From<SettlementMethod> for Settlement {
    fn from(s: SettlementMethod) -> Self {
        match s {
            SettlementMethod::Physical => Settlement::Physical,
            SettlementMethod::NetShare => Settlement::NetShare,
            SettlementMethod::Cash => Settlement::Cash,
        }
    }
}

/// Computes [`crate::operations::ConvertibleTerms`].
pub fn full_terms(input: ConvertibleTerms) -> Result<TermsResponse, CoreError> {
    Ok(TermsResponse::from(&input))
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn the_terms_response_carries_the_seed_figures() {
        let t = ConvertibleTerms::try_from(TermsRequest {
            principal: dec!(1150000000).into(),
            reference_price: Some(dec!(15.03).into()),
            conversion_premium: Some(dec!(0.275).into()),
            ..Default::default()
        })
        .unwrap();
        let r = TermsResponse::from(&t);
        assert_eq!(r.conversion_price.get(), dec!(19.16325));
        assert_eq!(r.conversion_rate.get(), dec!(52.1832));
        assert_eq!(r.shares_underlying.get(), dec!(60010680));
        assert_eq!(r.notes_count.get(), dec!(1150000));
        // 1000 / 52.1832 = 19.16325561... → 19.163256 at 6 decimals.
        assert_eq!(r.parity_price.get(), dec!(19.163256));
    }
}
