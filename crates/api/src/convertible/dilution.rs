//! Shares issued and diluted share counts: `POST /v1/convertibles/dilution`.

use std::fmt;

use infraval_core::convertible::dilution::{
    self, Buyback, CappedCall, DilutionInput, MakeWholeCause, MakeWholeEvent, PriceRange,
    ShareCount, SharePrices,
};
use infraval_core::convertible::{ConvertibleTerms, Settlement};
use infraval_core::error::AtField;
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::terms::{terms, SettlementMethod, TermsResponse};
use super::{cents, fraction, price, shares};
use crate::json::BodyError;
use crate::wire::{Date, Documenter, Errors, Int, Num, Path, Rule, Value, Wire, NESTED};
use crate::{bounds, Example, Examples};

/// Evenly spaced share prices: `from` to `to` in `steps` equal steps, both
/// ends included (`steps + 1` prices), as everywhere a range is given.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct SharePriceRange {
    /// First price, USD per share.
    #[wire(bounds::SHARE_PRICE)]
    pub from: Num,
    /// Last price, USD per share, above `from`.
    #[wire(bounds::SHARE_PRICE)]
    pub to: Num,
    /// Equal steps from `from` to `to`.
    #[wire(bounds::SHARE_PRICE_STEPS)]
    pub steps: Int,
}

/// Share prices to evaluate: a strictly increasing list, or a range.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum SharePricesRequest {
    /// Share prices, USD, strictly increasing.
    List(Vec<Num>),
    /// An evenly spaced range.
    Range(SharePriceRange),
}

/// A list reads as `List`, an object as `Range`, with the errors of each
/// (serde's untagged enums would hide them behind one message).
impl<'de> Deserialize<'de> for SharePricesRequest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ListOrRange;

        impl<'de> Visitor<'de> for ListOrRange {
            type Value = SharePricesRequest;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of share prices, or an object {from, to, steps}")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                Vec::deserialize(SeqAccessDeserializer::new(seq)).map(SharePricesRequest::List)
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                SharePriceRange::deserialize(MapAccessDeserializer::new(map))
                    .map(SharePricesRequest::Range)
            }
        }

        deserializer.deserialize_any(ListOrRange)
    }
}

impl Default for SharePricesRequest {
    fn default() -> Self {
        SharePricesRequest::List(Vec::new())
    }
}

impl Wire for SharePricesRequest {
    fn check(&self, at: &Path<'_>, errors: &mut Errors) {
        match self {
            SharePricesRequest::List(list) => bounds::SHARE_PRICE_LIST.check(list, at, errors),
            SharePricesRequest::Range(range) => range.check(at, errors),
        }
    }

    fn document(doc: &mut Documenter) {
        let name = Self::name();
        if doc.start(&name) {
            doc.one_of_item(&name, 0, |list| {
                Rule::<Vec<Num>>::document(&bounds::SHARE_PRICE_LIST, list)
            });
            SharePriceRange::document(doc);
        }
    }

    fn check_fields(value: &Value, at: &Path<'_>) -> Result<(), BodyError> {
        SharePriceRange::check_fields(value, at)
    }

    fn check_shape(value: &Value, at: &Path<'_>) -> Result<(), BodyError> {
        match value {
            // A list of prices, or a range: serde says which is wrong.
            Value::Array(_) => Ok(()),
            _ => SharePriceRange::check_shape(value, at),
        }
    }
}

/// A capped call bought by the issuer on the shares underlying the notes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct CappedCallRequest {
    /// Cap price, USD per share, above the lower strike.
    #[wire(bounds::SHARE_PRICE)]
    pub cap_price: Num,
    /// Lower strike, USD per share. Default: the parity price
    /// `1,000 / conversion_rate`, the conversion price as the indenture's
    /// rounded rate implies it.
    #[wire(bounds::SHARE_PRICE)]
    pub lower_strike: Option<Num>,
}

impl CappedCallRequest {
    /// Gives each call left without a `lower_strike` the notes' parity
    /// price, the core's default (`ConvertibleTerms::parity_price`), so
    /// that the answer's `assumptions` state it. Terms that do not
    /// validate leave it absent, for the conversion to refuse by field.
    pub(crate) fn fill_lower_strikes<'a>(
        calls: impl IntoIterator<Item = &'a mut CappedCallRequest>,
        terms: Result<ConvertibleTerms, CoreError>,
    ) {
        let Ok(terms) = terms else { return };
        for call in calls {
            if call.lower_strike.is_none() {
                call.lower_strike = Some(Num::new(terms.parity_price()));
            }
        }
    }
}

/// A share buyback: `amount` spent at `price_per_share`, or a number of
/// `shares`. Either way only whole shares are retired: `⌊amount /
/// price_per_share⌋` of them. `/v1/convertibles/dilution` and
/// `/v1/valuations/sum-of-parts` take the same shape.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct BuybackRequest {
    /// Dollars spent, USD; needs `price_per_share`.
    #[wire(bounds::BUYBACK_AMOUNT)]
    pub amount: Option<Num>,
    /// Average price paid, USD per share; needs `amount`.
    #[wire(bounds::SHARE_PRICE)]
    pub price_per_share: Option<Num>,
    /// Whole shares retired, instead of `amount` and `price_per_share`.
    #[wire(bounds::BUYBACK_SHARES)]
    pub shares: Option<Int>,
}

impl BuybackRequest {
    /// The whole shares retired. `at` is the buyback's path, which every
    /// error names (`scenarios[0].buyback.shares`,
    /// `scenarios[0].buyback.amount` requires
    /// `scenarios[0].buyback.price_per_share`).
    pub(crate) fn retire(&self, at: &str) -> Result<Buyback, CoreError> {
        const BY_AMOUNT: &str = "buyback.amount+buyback.price_per_share";
        const BY_SHARES: &str = "buyback.shares";
        let prefixed = |err: CoreError| match at.strip_suffix("buyback") {
            Some(prefix) if !prefix.is_empty() => {
                infraval_core::valuation::prefix_field(err, prefix)
            }
            _ => err,
        };
        match (self.amount, self.price_per_share, self.shares) {
            (Some(amount), Some(price), None) => {
                Buyback::by_amount(amount.get(), price.get()).map_err(prefixed)
            }
            (None, None, Some(shares)) => {
                Buyback::by_shares(Decimal::from(shares.get())).map_err(prefixed)
            }
            (Some(_), None, None) => Err(prefixed(CoreError::missing_dependency(
                "buyback.amount",
                "buyback.price_per_share",
            ))),
            (None, Some(_), None) => Err(prefixed(CoreError::missing_dependency(
                "buyback.price_per_share",
                "buyback.amount",
            ))),
            (amount, price, shares) => Err(prefixed(CoreError::exactly_one_of(
                &[BY_AMOUNT, BY_SHARES],
                &[
                    amount.map(|_| "buyback.amount"),
                    price.map(|_| "buyback.price_per_share"),
                    shares.map(|_| BY_SHARES),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>(),
            ))),
        }
    }
}

/// A convertible issue's dilution across share prices. The terms fields of
/// `/terms` sit at the top level.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
#[wire(fill_nested = DilutionRequest::fill_capped_call)]
pub struct DilutionRequest {
    /// Principal of the issue, USD; as in `/terms`.
    #[wire(bounds::PRINCIPAL)]
    pub principal: Num,
    /// Shares per $1,000 of principal; as in `/terms`.
    #[wire(bounds::CONVERSION_RATE)]
    pub conversion_rate: Option<Num>,
    /// Conversion price, USD per share; as in `/terms`.
    #[wire(bounds::CONVERSION_PRICE)]
    pub conversion_price: Option<Num>,
    /// Reference share price, USD per share; needs `conversion_premium`;
    /// as in `/terms`.
    #[wire(bounds::REFERENCE_PRICE)]
    pub reference_price: Option<Num>,
    /// Conversion premium; needs `reference_price`; as in `/terms`.
    #[wire(bounds::CONVERSION_PREMIUM)]
    pub conversion_premium: Option<Num>,
    /// Shares outstanding before the buyback and any conversion.
    #[wire(bounds::SHARES)]
    pub basic_shares_outstanding: Num,
    /// Share prices to evaluate, USD: a strictly increasing list of 1 to
    /// 1,000 prices, or `{from, to, steps}`.
    #[wire(NESTED)]
    pub share_prices: SharePricesRequest,
    /// What the issuer delivers on conversion.
    #[schema(example = "net_share")]
    pub settlement: SettlementMethod,
    /// A capped call bought at issue, if any.
    #[wire(NESTED)]
    pub capped_call: Option<CappedCallRequest>,
    /// A buyback funded from the proceeds, if any.
    #[wire(NESTED)]
    pub buyback: Option<BuybackRequest>,
    /// The indenture's make-whole table, as `/price` takes it; with
    /// `call_date` or `fundamental_change_date` the conversions are made on
    /// that date and receive its additional shares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[wire(NESTED)]
    pub make_whole: Option<super::contract::MakeWholeRequest>,
    /// The issuer's notice of redemption: conversions in connection with
    /// it receive the make-whole shares of this date. Needs `make_whole`;
    /// not with `fundamental_change_date`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "2029-03-01")]
    pub call_date: Option<Date>,
    /// A make-whole fundamental change (a takeover) effective on this
    /// date: conversions receive its make-whole shares. Needs
    /// `make_whole`; not with `call_date`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "2027-06-15")]
    pub fundamental_change_date: Option<Date>,
}

impl Examples for DilutionRequest {
    fn examples() -> Vec<Example> {
        vec![
            Example {
                name: "net_share",
                summary: "CleanSpark's 2032 notes settled net share, after the $460M buyback at $15.03",
                body: json!({
                    "principal": 1150000000,
                    "reference_price": 15.03,
                    "conversion_premium": 0.275,
                    "basic_shares_outstanding": 280000000,
                    "share_prices": [10, 15.03, 19.16325, 25, 30, 40, 60],
                    "settlement": "net_share",
                    "buyback": {"amount": 460000000, "price_per_share": 15.03}
                }),
            },
            Example {
                name: "physical_over_a_range",
                summary: "The same notes settled in shares, from $5 to $60 in 11 steps, with a capped call from the conversion price to $30.06 and a buyback of whole shares",
                body: json!({
                    "principal": 1150000000,
                    "conversion_rate": 52.1832,
                    "basic_shares_outstanding": 280000000,
                    "share_prices": {"from": 5, "to": 60, "steps": 11},
                    "settlement": "physical",
                    "capped_call": {"cap_price": 30.06, "lower_strike": 19.16325},
                    "buyback": {"shares": 30605455}
                }),
            },
            Example {
                name: "price_given_cash_settled",
                summary: "The same notes from their conversion price, settled in cash",
                body: json!({
                    "principal": 1150000000,
                    "conversion_price": 19.16325,
                    "basic_shares_outstanding": 280000000,
                    "share_prices": [15.03, 30],
                    "settlement": "cash"
                }),
            },
            Example {
                name: "with_capped_call",
                summary: "The notes net share with an illustrative capped call at $30.06 (the 2032 notes' filings show none; the 2030 notes had one at $24.66)",
                body: json!({
                    "principal": 1150000000,
                    "conversion_rate": 52.1832,
                    "basic_shares_outstanding": 280000000,
                    "share_prices": [19.16325, 25, 30.06, 40],
                    "settlement": "net_share",
                    "capped_call": {"cap_price": 30.06}
                }),
            },
            Example {
                name: "called_with_make_whole",
                summary: "The notes called on 2029-03-01 and converted in shares with an illustrative make-whole table (README, \"Pricing CleanSpark's 2032 notes\")",
                body: json!({
                    "principal": 1150000000,
                    "conversion_rate": 52.1832,
                    "basic_shares_outstanding": 280000000,
                    "share_prices": [19.16325, 25, 30, 40],
                    "settlement": "physical",
                    "make_whole": {
                        "effective_dates": ["2025-12-15", "2027-02-15", "2029-02-15", "2031-02-15", "2032-02-15"],
                        "stock_prices": [15.03, 17, 19.16, 25, 30, 40],
                        "additional_shares_per_1000": [[14.3504, 10.9, 8.1, 4.2, 2.6, 0],
                                                       [14.3504, 10.2, 7.2, 3.4, 2.0, 0],
                                                       [14.3504, 9.0, 5.6, 2.2, 1.1, 0],
                                                       [14.3504, 7.6, 3.4, 0.9, 0.3, 0],
                                                       [14.3504, 6.6403, 0, 0, 0, 0]],
                        "max_conversion_rate": 66.5336
                    },
                    "call_date": "2029-03-01"
                }),
            },
            Example {
                name: "takeover_with_make_whole",
                summary: "A takeover effective 2027-06-15 at $25 a share, the notes net share with the illustrative table",
                body: json!({
                    "principal": 1150000000,
                    "conversion_rate": 52.1832,
                    "basic_shares_outstanding": 280000000,
                    "share_prices": [25],
                    "settlement": "net_share",
                    "make_whole": {
                        "effective_dates": ["2025-12-15", "2027-02-15", "2029-02-15", "2031-02-15", "2032-02-15"],
                        "stock_prices": [15.03, 17, 19.16, 25, 30, 40],
                        "additional_shares_per_1000": [[14.3504, 10.9, 8.1, 4.2, 2.6, 0],
                                                       [14.3504, 10.2, 7.2, 3.4, 2.0, 0],
                                                       [14.3504, 9.0, 5.6, 2.2, 1.1, 0],
                                                       [14.3504, 7.6, 3.4, 0.9, 0.3, 0],
                                                       [14.3504, 6.6403, 0, 0, 0, 0]],
                        "max_conversion_rate": 66.5336
                    },
                    "fundamental_change_date": "2027-06-15"
                }),
            },
        ]
    }
}

impl DilutionRequest {
    /// The capped call's default lower strike comes from these terms.
    fn fill_capped_call(&mut self) {
        let terms = terms(
            self.principal,
            self.conversion_rate,
            self.conversion_price,
            self.reference_price,
            self.conversion_premium,
        );
        CappedCallRequest::fill_lower_strikes(self.capped_call.as_mut(), terms);
    }
}

impl TryFrom<DilutionRequest> for DilutionInput {
    type Error = CoreError;

    fn try_from(req: DilutionRequest) -> Result<Self, CoreError> {
        let terms = terms(
            req.principal,
            req.conversion_rate,
            req.conversion_price,
            req.reference_price,
            req.conversion_premium,
        )?;
        let basic_shares_outstanding =
            ShareCount::new(req.basic_shares_outstanding.get()).at("basic_shares_outstanding")?;
        let share_prices = match req.share_prices {
            SharePricesRequest::List(list) => {
                SharePrices::list(&list.iter().map(|p| p.get()).collect::<Vec<_>>())?
            }
            SharePricesRequest::Range(r) => SharePrices::range(PriceRange {
                from: r.from.get(),
                to: r.to.get(),
                steps: r.steps.to_u32(),
            })?,
        };
        let capped_call = req
            .capped_call
            .map(|cc| CappedCall::new(&terms, cc.cap_price.get(), cc.lower_strike.map(Num::get)))
            .transpose()?;
        let buyback = req.buyback.map(|b| b.retire("buyback")).transpose()?;
        let make_whole = match (&req.make_whole, req.call_date, req.fundamental_change_date) {
            (None, None, None) => None,
            (None, Some(_), _) => {
                return Err(CoreError::Inconsistent {
                    field: "call_date".into(),
                    reason: "needs `make_whole`",
                })
            }
            (None, None, Some(_)) => {
                return Err(CoreError::Inconsistent {
                    field: "fundamental_change_date".into(),
                    reason: "needs `make_whole`",
                })
            }
            (Some(table), call, change) => {
                let (date, cause) = match (call, change) {
                    (Some(d), None) => (d, MakeWholeCause::Call),
                    (None, Some(d)) => (d, MakeWholeCause::FundamentalChange),
                    (c, f) => {
                        return Err(CoreError::exactly_one_of(
                            &["call_date", "fundamental_change_date"],
                            &[c.map(|_| "call_date"), f.map(|_| "fundamental_change_date")]
                                .into_iter()
                                .flatten()
                                .collect::<Vec<_>>(),
                        ))
                    }
                };
                Some(MakeWholeEvent {
                    table: table.core(terms.conversion_rate())?,
                    date: date.get(),
                    cause,
                })
            }
        };
        Ok(DilutionInput {
            terms,
            basic_shares_outstanding,
            share_prices,
            settlement: req.settlement.into(),
            capped_call,
            buyback,
            make_whole,
        })
    }
}

/// The dilution at one share price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DilutionPointResponse {
    /// Share price, USD.
    pub share_price: Num,
    /// Value of the shares underlying the whole issue, `shares_underlying ×
    /// share_price`, USD, to cents.
    pub conversion_value: Num,
    /// Whether the notes convert: conversion value above principal.
    #[schema(example = true)]
    pub converts: bool,
    /// Shares delivered to noteholders, make-whole shares included, to 4
    /// decimals.
    pub shares_issued: Num,
    /// Additional shares per $1,000 from the make-whole table at this
    /// price on the call or fundamental-change date (0 without
    /// `make_whole`), to 4 decimals.
    pub additional_shares_per_1000: Num,
    /// The part of `shares_issued` due to the make-whole table: what is
    /// issued less what the same conversion would issue without it, to 4
    /// decimals.
    pub make_whole_shares: Num,
    /// What the capped call pays the issuer, USD, to cents:
    /// `N × (min(S, cap) − lower_strike)⁺`, whether or not the notes convert.
    pub capped_call_payoff: Num,
    /// Shares the capped call hands back, `capped_call_payoff /
    /// share_price` (zero under cash settlement, where it pays cash), to 4
    /// decimals.
    pub capped_call_offset_shares: Num,
    /// `shares_issued − capped_call_offset_shares`, to 4 decimals.
    pub net_shares_issued: Num,
    /// Shares retired by the buyback.
    pub shares_repurchased: Num,
    /// `basic_shares_outstanding − shares_repurchased + net_shares_issued`,
    /// to 4 decimals.
    pub diluted_shares_outstanding: Num,
    /// `(diluted − basic) / basic`, a decimal fraction to 10 decimals;
    /// negative when the buyback retired more than the notes issue.
    pub dilution_fraction: Num,
    /// Diluted share count for EPS by the if-converted method (ASC 260 as
    /// amended by ASU 2020-06), this price taken as the period's average:
    /// basic − repurchased + all underlying shares (physical), the
    /// conversion-spread shares only (net share), or none (cash). The
    /// capped call is left out (anti-dilutive), as is the earnings-based
    /// anti-dilution test. To 4 decimals.
    pub if_converted_diluted_shares: Num,
}

impl From<&dilution::DilutionPoint> for DilutionPointResponse {
    fn from(p: &dilution::DilutionPoint) -> Self {
        DilutionPointResponse {
            share_price: p.share_price.into(),
            conversion_value: cents(p.conversion_value),
            converts: p.converts,
            shares_issued: shares(p.shares_issued),
            additional_shares_per_1000: shares(p.additional_shares_per_1000),
            make_whole_shares: shares(p.make_whole_shares),
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
    pub basic_shares_outstanding: Num,
    /// Shares retired by the buyback (zero without one).
    pub shares_repurchased: Num,
    /// Price above which net-share settlement starts to issue shares, the
    /// parity price `1,000 / conversion_rate`, USD, to 6 decimals.
    pub net_share_start_price: Num,
    /// The capped call's lower strike used, USD, to 6 decimals; present
    /// with a capped call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capped_call_lower_strike: Option<Num>,
    /// With a capped call: `parity_price + cap_price − lower_strike`, USD,
    /// to 6 decimals. Above the cap the issuer's cost equals that of an
    /// unhedged note converting at this price; with the lower strike at
    /// the parity price it is the cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_conversion_price: Option<Num>,
    /// With a buyback: the lowest share price above which the notes issue
    /// at least as many shares as the buyback retired (before any capped
    /// call), USD, to 6 decimals: the parity price under physical
    /// settlement, `principal / (shares_underlying − shares_repurchased)`
    /// under net share; absent when the notes never issue that many.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyback_break_even_price: Option<Num>,
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
            basic_shares_outstanding: input.basic_shares_outstanding.get().into(),
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
        assert_eq!(
            list.share_prices,
            SharePricesRequest::List(vec![dec!(30).into()])
        );
        let range: DilutionRequest = serde_json::from_value(dilution_json(
            serde_json::json!({"share_prices": {"from": 10, "to": 20, "steps": 2}}),
        ))
        .unwrap();
        assert_eq!(
            range.share_prices,
            SharePricesRequest::Range(SharePriceRange {
                from: dec!(10).into(),
                to: dec!(20).into(),
                steps: 2.into()
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
            amount: Some(dec!(460000000).into()),
            price_per_share: Some(dec!(15.03).into()),
            shares: Some(1.into()),
        };
        assert!(matches!(
            req.retire("buyback"),
            Err(CoreError::ExactlyOneOf { .. })
        ));
    }

    #[test]
    fn a_buyback_amount_without_a_price_names_the_missing_field() {
        let req = BuybackRequest {
            amount: Some(dec!(460000000).into()),
            ..Default::default()
        };
        assert_eq!(
            req.retire("buyback"),
            Err(CoreError::missing_dependency(
                "buyback.amount",
                "buyback.price_per_share"
            ))
        );
    }
}
