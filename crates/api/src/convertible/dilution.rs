//! Shares issued and diluted share counts: `POST /v1/convertibles/dilution`.

use infraval_core::convertible::dilution::{
    self, Buyback, CappedCall, DilutionInput, PriceRange, ShareCount, SharePrices,
};
use infraval_core::convertible::{ConversionFields, Settlement};
use infraval_core::error::AtField;
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::terms::{terms, SettlementMethod, TermsResponse};
use super::{cents, fraction, price, shares};
use crate::num;

/// Evenly spaced share prices, both ends included.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SharePriceRange {
    /// First price, USD per share. Range: > 0, ≤ 1,000,000.
    #[serde(with = "num::decimal")]
    #[schema(example = 5)]
    pub from: Decimal,
    /// Last price, USD per share, above `from`. Range: ≤ 1,000,000.
    #[serde(with = "num::decimal")]
    #[schema(example = 60)]
    pub to: Decimal,
    /// Equal steps from `from` to `to`, giving `steps + 1` prices. Range:
    /// 1 to 999.
    #[schema(example = 11, minimum = 1, maximum = 999)]
    pub steps: u32,
}

/// Share prices to evaluate: a strictly increasing list, or a range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(
    untagged,
    expecting = "a strictly increasing list of share prices, or {\"from\", \"to\", \"steps\"}"
)]
pub enum SharePricesRequest {
    /// Share prices, USD, strictly increasing; 1 to 1,000 of them, each > 0
    /// and ≤ 1,000,000.
    List(#[serde(with = "num::decimal_vec")] Vec<Decimal>),
    /// An evenly spaced range.
    Range(SharePriceRange),
}

/// A capped call bought by the issuer on the shares underlying the notes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CappedCallRequest {
    /// Cap price, USD per share, above the lower strike. Range: > 0,
    /// ≤ 1,000,000.
    #[serde(with = "num::decimal")]
    #[schema(example = 30.06)]
    pub cap_price: Decimal,
    /// Lower strike, USD per share. Default: the parity price
    /// `1,000 / conversion_rate`, the conversion price as the indenture's
    /// rounded rate implies it.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 19.16325)]
    pub lower_strike: Option<Decimal>,
}

/// A share buyback funded from the note proceeds: `amount` with `price`,
/// or `shares`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BuybackRequest {
    /// Dollars spent, USD; needs `price`. Retires `⌊amount / price⌋` whole
    /// shares. Range: > 0, ≤ 10¹².
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 460000000)]
    pub amount: Option<Decimal>,
    /// Price paid per share, USD; needs `amount`. Range: > 0, ≤ 1,000,000.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 15.03)]
    pub price: Option<Decimal>,
    /// Whole shares retired, instead of `amount` and `price`. Range: > 0,
    /// ≤ 10¹⁵.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 30605455)]
    pub shares: Option<Decimal>,
}

impl TryFrom<BuybackRequest> for Buyback {
    type Error = CoreError;

    fn try_from(req: BuybackRequest) -> Result<Self, CoreError> {
        const BY_AMOUNT: &str = "buyback.amount+buyback.price";
        const BY_SHARES: &str = "buyback.shares";
        match (req.amount, req.price, req.shares) {
            (Some(amount), Some(price), None) => Buyback::by_amount(amount, price),
            (None, None, Some(shares)) => Buyback::by_shares(shares),
            (Some(_), None, None) => Err(CoreError::MissingDependency {
                field: "buyback.amount",
                requires: "buyback.price",
            }),
            (None, Some(_), None) => Err(CoreError::MissingDependency {
                field: "buyback.price",
                requires: "buyback.amount",
            }),
            (amount, price, shares) => Err(CoreError::ExactlyOneOf {
                expected: vec![BY_AMOUNT, BY_SHARES],
                given: [
                    amount.map(|_| "buyback.amount"),
                    price.map(|_| "buyback.price"),
                    shares.map(|_| BY_SHARES),
                ]
                .into_iter()
                .flatten()
                .collect(),
            }),
        }
    }
}

/// A convertible issue's dilution across share prices. The terms fields of
/// `/terms` sit at the top level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "principal": 1150000000,
    "reference_price": 15.03,
    "conversion_premium": 0.275,
    "basic_shares_outstanding": 280000000,
    "share_prices": [10, 15.03, 19.16325, 25, 30, 40, 60],
    "settlement": "net_share",
    "capped_call": {"cap_price": 30.06},
    "buyback": {"amount": 460000000, "price": 15.03}
}))]
pub struct DilutionRequest {
    /// Principal of the issue, USD; as in `/terms`.
    #[serde(with = "num::decimal")]
    #[schema(example = 1150000000, minimum = 0, maximum = 1000000000000_i64)]
    pub principal: Decimal,
    /// Shares per $1,000 of principal; as in `/terms`.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 52.1832, minimum = 0.001, maximum = 10000000)]
    pub conversion_rate: Option<Decimal>,
    /// Conversion price, USD per share; as in `/terms`.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 19.16325, minimum = 0.0001, maximum = 1000000)]
    pub conversion_price: Option<Decimal>,
    /// Reference share price, USD per share; needs `conversion_premium`;
    /// as in `/terms`.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 15.03, minimum = 0, maximum = 1000000)]
    pub reference_price: Option<Decimal>,
    /// Conversion premium, a decimal fraction; needs `reference_price`; as
    /// in `/terms`.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.275, minimum = -1, maximum = 10)]
    pub conversion_premium: Option<Decimal>,
    /// Shares outstanding before the buyback and any conversion. Range:
    /// > 0, ≤ 10¹⁵.
    #[serde(with = "num::decimal")]
    #[schema(example = 280000000)]
    pub basic_shares_outstanding: Decimal,
    /// Share prices to evaluate, USD: a strictly increasing list, or
    /// `{from, to, steps}`; at most 1,000 prices.
    pub share_prices: SharePricesRequest,
    /// What the issuer delivers on conversion.
    #[schema(example = "net_share")]
    pub settlement: SettlementMethod,
    /// A capped call bought at issue, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capped_call: Option<CappedCallRequest>,
    /// A buyback funded from the proceeds, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyback: Option<BuybackRequest>,
}

impl TryFrom<DilutionRequest> for DilutionInput {
    type Error = CoreError;

    fn try_from(req: DilutionRequest) -> Result<Self, CoreError> {
        let terms = terms(
            req.principal,
            ConversionFields {
                conversion_rate: req.conversion_rate,
                conversion_price: req.conversion_price,
                reference_price: req.reference_price,
                conversion_premium: req.conversion_premium,
            },
        )?;
        let basic_shares_outstanding =
            ShareCount::new(req.basic_shares_outstanding).at("basic_shares_outstanding")?;
        let share_prices = match req.share_prices {
            SharePricesRequest::List(list) => SharePrices::list(&list)?,
            SharePricesRequest::Range(r) => SharePrices::range(PriceRange {
                from: r.from,
                to: r.to,
                steps: r.steps,
            })?,
        };
        let capped_call = req
            .capped_call
            .map(|cc| CappedCall::new(&terms, cc.cap_price, cc.lower_strike))
            .transpose()?;
        let buyback = req.buyback.map(Buyback::try_from).transpose()?;
        Ok(DilutionInput {
            terms,
            basic_shares_outstanding,
            share_prices,
            settlement: req.settlement.into(),
            capped_call,
            buyback,
        })
    }
}

/// The dilution at one share price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DilutionPointResponse {
    /// Share price, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 30)]
    pub share_price: Decimal,
    /// Value of the shares underlying the whole issue, `shares_underlying ×
    /// share_price`, USD, to cents.
    #[serde(with = "num::decimal")]
    #[schema(example = 1800320400)]
    pub conversion_value: Decimal,
    /// Whether the notes convert: conversion value above principal.
    #[schema(example = true)]
    pub converts: bool,
    /// Shares delivered to noteholders, to 4 decimals.
    #[serde(with = "num::decimal")]
    #[schema(example = 21677346.6667)]
    pub shares_issued: Decimal,
    /// What the capped call pays the issuer, USD, to cents:
    /// `N × (min(S, cap) − lower_strike)⁺`, whether or not the notes convert.
    #[serde(with = "num::decimal")]
    #[schema(example = 650320400)]
    pub capped_call_payoff: Decimal,
    /// Shares the capped call hands back, `capped_call_payoff /
    /// share_price` (zero under cash settlement, where it pays cash), to 4
    /// decimals.
    #[serde(with = "num::decimal")]
    #[schema(example = 21677346.6667)]
    pub capped_call_offset_shares: Decimal,
    /// `shares_issued − capped_call_offset_shares`, to 4 decimals.
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub net_shares_issued: Decimal,
    /// Shares retired by the buyback.
    #[serde(with = "num::decimal")]
    #[schema(example = 30605455)]
    pub shares_repurchased: Decimal,
    /// `basic_shares_outstanding − shares_repurchased + net_shares_issued`,
    /// to 4 decimals.
    #[serde(with = "num::decimal")]
    #[schema(example = 249394545)]
    pub diluted_shares_outstanding: Decimal,
    /// `(diluted − basic) / basic`, a decimal fraction to 10 decimals;
    /// negative when the buyback retired more than the notes issue.
    #[serde(with = "num::decimal")]
    #[schema(example = -0.1093051964)]
    pub dilution_fraction: Decimal,
    /// Diluted share count for EPS by the if-converted method (ASC 260 as
    /// amended by ASU 2020-06), this price taken as the period's average:
    /// basic − repurchased + all underlying shares (physical), the
    /// conversion-spread shares only (net share), or none (cash). The
    /// capped call is left out (anti-dilutive), as is the earnings-based
    /// anti-dilution test. To 4 decimals.
    #[serde(with = "num::decimal")]
    #[schema(example = 271071891.6667)]
    pub if_converted_diluted_shares: Decimal,
}

impl From<&dilution::DilutionPoint> for DilutionPointResponse {
    fn from(p: &dilution::DilutionPoint) -> Self {
        DilutionPointResponse {
            share_price: p.share_price.normalize(),
            conversion_value: cents(p.conversion_value),
            converts: p.converts,
            shares_issued: shares(p.shares_issued),
            capped_call_payoff: cents(p.capped_call_payoff),
            capped_call_offset_shares: shares(p.capped_call_offset_shares),
            net_shares_issued: shares(p.net_shares_issued),
            shares_repurchased: shares(p.shares_repurchased),
            diluted_shares_outstanding: shares(p.diluted_shares_outstanding),
            dilution_fraction: fraction(p.dilution_fraction),
            if_converted_diluted_shares: shares(p.if_converted_diluted_shares),
        }
    }
}

/// A convertible issue's dilution across share prices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DilutionResponse {
    /// The terms used.
    pub terms: TermsResponse,
    /// The settlement used.
    pub settlement: SettlementMethod,
    /// Basic shares outstanding used.
    #[serde(with = "num::decimal")]
    #[schema(example = 280000000)]
    pub basic_shares_outstanding: Decimal,
    /// Shares retired by the buyback (zero without one).
    #[serde(with = "num::decimal")]
    #[schema(example = 30605455)]
    pub shares_repurchased: Decimal,
    /// Price above which net-share settlement starts to issue shares, the
    /// parity price `1,000 / conversion_rate`, USD, to 6 decimals.
    #[serde(with = "num::decimal")]
    #[schema(example = 19.163256)]
    pub net_share_start_price: Decimal,
    /// The capped call's lower strike used, USD, to 6 decimals; present
    /// with a capped call.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 19.163256)]
    pub capped_call_lower_strike: Option<Decimal>,
    /// With a capped call: `parity_price + cap_price − lower_strike`, USD,
    /// to 6 decimals. Above the cap the issuer's cost equals that of an
    /// unhedged note converting at this price; with the lower strike at
    /// the parity price it is the cap.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 30.06)]
    pub effective_conversion_price: Option<Decimal>,
    /// With a buyback: the lowest share price above which the notes issue
    /// at least as many shares as the buyback retired (before any capped
    /// call), USD, to 6 decimals: the parity price under physical
    /// settlement, `principal / (shares_underlying − shares_repurchased)`
    /// under net share; absent when the notes never issue that many.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 39.108696)]
    pub buyback_break_even_price: Option<Decimal>,
    /// One entry per share price, in increasing order.
    pub points: Vec<DilutionPointResponse>,
}

impl DilutionResponse {
    /// Builds the response from the validated input and the core result.
    pub fn new(input: &DilutionInput, out: &dilution::Dilution) -> Self {
        DilutionResponse {
            terms: TermsResponse::from(&input.terms),
            settlement: match input.settlement {
                Settlement::Physical => SettlementMethod::Physical,
                Settlement::NetShare => SettlementMethod::NetShare,
                Settlement::Cash => SettlementMethod::Cash,
            },
            basic_shares_outstanding: input.basic_shares_outstanding.get().normalize(),
            shares_repurchased: shares(out.shares_repurchased),
            net_share_start_price: price(out.net_share_start_price),
            capped_call_lower_strike: input.capped_call.map(|cc| price(cc.lower_strike())),
            effective_conversion_price: out.effective_conversion_price.map(price),
            buyback_break_even_price: out.buyback_break_even_price.map(price),
            points: out.points.iter().map(DilutionPointResponse::from).collect(),
        }
    }
}

/// Computes [`crate::operations::ConvertibleDilution`].
pub fn dilution(input: DilutionInput) -> Result<DilutionResponse, CoreError> {
    let out = dilution::dilution(&input)?;
    Ok(DilutionResponse::new(&input, &out))
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn dilution_json(extra: serde_json::Value) -> serde_json::Value {
        let mut body = serde_json::json!({
            "principal": 1150000000,
            "conversion_rate": 52.1832,
            "basic_shares_outstanding": 280000000,
            "share_prices": [30],
            "settlement": "physical"
        });
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        body
    }

    #[test]
    fn share_prices_accept_a_list_or_a_range() {
        let list: DilutionRequest =
            serde_json::from_value(dilution_json(serde_json::json!({}))).unwrap();
        assert_eq!(list.share_prices, SharePricesRequest::List(vec![dec!(30)]));
        let range: DilutionRequest = serde_json::from_value(dilution_json(
            serde_json::json!({"share_prices": {"from": 10, "to": 20, "steps": 2}}),
        ))
        .unwrap();
        assert_eq!(
            range.share_prices,
            SharePricesRequest::Range(SharePriceRange {
                from: dec!(10),
                to: dec!(20),
                steps: 2
            })
        );
    }

    #[test]
    fn an_unknown_field_in_the_range_is_refused() {
        let res = serde_json::from_value::<DilutionRequest>(dilution_json(
            serde_json::json!({"share_prices": {"from": 10, "to": 20, "steps": 2, "step": 1}}),
        ));
        assert!(res.is_err());
    }

    #[test]
    fn a_buyback_by_amount_and_by_shares_together_is_refused() {
        let req = BuybackRequest {
            amount: Some(dec!(460000000)),
            price: Some(dec!(15.03)),
            shares: Some(dec!(1)),
        };
        assert!(matches!(
            Buyback::try_from(req),
            Err(CoreError::ExactlyOneOf { .. })
        ));
    }

    #[test]
    fn a_buyback_amount_without_a_price_names_the_missing_field() {
        let req = BuybackRequest {
            amount: Some(dec!(460000000)),
            price: None,
            shares: None,
        };
        assert_eq!(
            Buyback::try_from(req),
            Err(CoreError::MissingDependency {
                field: "buyback.amount",
                requires: "buyback.price"
            })
        );
    }
}
