//! The full terms of a note issue: `POST /v1/convertibles/terms`.

use infraval_core::convertible::{ConversionFields, ConvertibleTerms, Principal, Settlement};
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{cents, fraction, price, shares};
use crate::num;

/// Validates the terms fields shared by `/terms` and `/dilution`.
pub(crate) fn terms(
    principal: Decimal,
    fields: ConversionFields,
) -> Result<ConvertibleTerms, CoreError> {
    let principal = Principal::new(principal)?;
    ConvertibleTerms::new(principal, fields.validate()?)
}

/// The terms of a convertible note issue: a principal and exactly one of
/// `conversion_rate`, `conversion_price`, or `reference_price` with
/// `conversion_premium`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "principal": 1150000000,
    "reference_price": 15.03,
    "conversion_premium": 0.275
}))]
pub struct TermsRequest {
    /// Principal of the issue, USD. Range: > 0, ≤ 10¹², a whole multiple of
    /// the $1,000 denomination.
    #[serde(with = "num::decimal")]
    #[schema(example = 1150000000, minimum = 0, maximum = 1000000000000_i64)]
    pub principal: Decimal,
    /// Shares per $1,000 of principal. Range: 0.001 to 10,000,000; rounded
    /// to four decimals as indentures state it.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 52.1832, minimum = 0.001, maximum = 10000000)]
    pub conversion_rate: Option<Decimal>,
    /// Conversion price, USD per share. Range: 0.0001 to 1,000,000.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 19.16325, minimum = 0.0001, maximum = 1000000)]
    pub conversion_price: Option<Decimal>,
    /// Reference share price the premium is set over, USD per share; needs
    /// `conversion_premium`. Range: > 0, ≤ 1,000,000.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 15.03, minimum = 0, maximum = 1000000)]
    pub reference_price: Option<Decimal>,
    /// Conversion premium over `reference_price`, a decimal fraction (0.275
    /// for 27.5%); needs `reference_price`. Range: > −1, ≤ 10.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.275, minimum = -1, maximum = 10)]
    pub conversion_premium: Option<Decimal>,
}

impl TryFrom<TermsRequest> for ConvertibleTerms {
    type Error = CoreError;

    fn try_from(req: TermsRequest) -> Result<Self, CoreError> {
        terms(
            req.principal,
            ConversionFields {
                conversion_rate: req.conversion_rate,
                conversion_price: req.conversion_price,
                reference_price: req.reference_price,
                conversion_premium: req.conversion_premium,
            },
        )
    }
}

/// The full terms of a convertible note issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TermsResponse {
    /// Principal, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 1150000000)]
    pub principal: Decimal,
    /// Stated conversion price, USD per share, to 6 decimals: as given, or
    /// `reference_price × (1 + conversion_premium)`, or `1,000 / conversion_rate`.
    #[serde(with = "num::decimal")]
    #[schema(example = 19.16325)]
    pub conversion_price: Decimal,
    /// Contractual conversion rate, shares per $1,000 of principal:
    /// `1,000 / conversion_price` rounded to 4 decimals, halves away from
    /// zero, as indentures state it. Every share count uses this rate.
    #[serde(with = "num::decimal")]
    #[schema(example = 52.1832)]
    pub conversion_rate: Decimal,
    /// The conversion rate before rounding, shares per $1,000, to 10
    /// decimals.
    #[serde(with = "num::decimal")]
    #[schema(example = 52.1832152688)]
    pub conversion_rate_unrounded: Decimal,
    /// Share price at which a note's conversion value equals its $1,000
    /// principal under the rounded rate, `1,000 / conversion_rate`, USD, to
    /// 6 decimals.
    #[serde(with = "num::decimal")]
    #[schema(example = 19.163256)]
    pub parity_price: Decimal,
    /// Reference share price, USD; present when given.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 15.03)]
    pub reference_price: Option<Decimal>,
    /// Conversion premium, a decimal fraction; present when a reference
    /// price is known.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.275)]
    pub conversion_premium: Option<Decimal>,
    /// Shares the whole issue converts into: `principal / 1,000 × conversion_rate`.
    #[serde(with = "num::decimal")]
    #[schema(example = 60010680)]
    pub shares_underlying: Decimal,
    /// Notes outstanding at the $1,000 denomination.
    #[serde(with = "num::decimal")]
    #[schema(example = 1150000)]
    pub notes_count: Decimal,
}

impl From<&ConvertibleTerms> for TermsResponse {
    fn from(t: &ConvertibleTerms) -> Self {
        TermsResponse {
            principal: cents(t.principal()),
            conversion_price: price(t.conversion_price()),
            conversion_rate: t.conversion_rate().normalize(),
            conversion_rate_unrounded: fraction(t.conversion_rate_unrounded()),
            parity_price: price(t.parity_price()),
            reference_price: t.reference_price().map(price),
            conversion_premium: t.conversion_premium().map(fraction),
            shares_underlying: shares(t.shares_underlying()),
            notes_count: t.notes_count().normalize(),
        }
    }
}

/// What the issuer delivers when a note is converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SettlementMethod {
    /// All conversion shares: `conversion_rate` shares per note.
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
            principal: dec!(1150000000),
            conversion_rate: None,
            conversion_price: None,
            reference_price: Some(dec!(15.03)),
            conversion_premium: Some(dec!(0.275)),
        })
        .unwrap();
        let r = TermsResponse::from(&t);
        assert_eq!(r.conversion_price, dec!(19.16325));
        assert_eq!(r.conversion_rate, dec!(52.1832));
        assert_eq!(r.shares_underlying, dec!(60010680));
        assert_eq!(r.notes_count, dec!(1150000));
        // 1000 / 52.1832 = 19.16325561... → 19.163256 at 6 decimals.
        assert_eq!(r.parity_price, dec!(19.163256));
    }
}
