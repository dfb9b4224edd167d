//! Convertible notes: `POST /v1/convertibles/terms`, `/dilution` and
//! `/yield`.
//!
//! # Rounding in responses
//! - money (USD): to cents, [`num::cents`];
//! - per-share prices: to [`PRICE_DECIMALS`] places;
//! - share counts: to [`SHARE_DECIMALS`] places (net-share settlement issues
//!   fractional shares in aggregate; each holder is paid cash for its own
//!   fraction);
//! - fractions and yields: to [`FRACTION_DECIMALS`] places;
//! - values per 100 of face: to [`PER_100_DECIMALS`] places;
//! - conversion rates: the contractual rate has four decimals as it is; the
//!   unrounded rate is given to [`FRACTION_DECIMALS`] places.
//!
//! All rounding is half away from zero and happens only here; the core
//! computes unrounded.

use chrono::NaiveDate;
use infraval_core::convertible::dilution::{
    self, Buyback, CappedCall, DilutionInput, PriceRange, ShareCount, SharePrices,
};
use infraval_core::convertible::yield_::{self, Frequency, YieldInput};
use infraval_core::convertible::{ConversionFields, ConvertibleTerms, Principal, Settlement};
use infraval_core::error::AtField;
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::num;

/// Decimal places of per-share prices in responses.
pub const PRICE_DECIMALS: u32 = 6;
/// Decimal places of share counts in responses.
pub const SHARE_DECIMALS: u32 = 4;
/// Decimal places of fractions and yields in responses.
pub const FRACTION_DECIMALS: u32 = 10;
/// Decimal places of values per 100 of face in responses.
pub const PER_100_DECIMALS: u32 = 6;

fn price(value: Decimal) -> Decimal {
    num::round(value, PRICE_DECIMALS).normalize()
}

fn shares(value: Decimal) -> Decimal {
    num::round(value, SHARE_DECIMALS).normalize()
}

fn fraction(value: Decimal) -> Decimal {
    num::round(value, FRACTION_DECIMALS).normalize()
}

fn per_100(value: Decimal) -> Decimal {
    num::round(value, PER_100_DECIMALS).normalize()
}

fn cents(value: Decimal) -> Decimal {
    num::cents(value).normalize()
}

/// Validates the terms fields shared by `/terms` and `/dilution`.
fn terms(principal: Decimal, fields: ConversionFields) -> Result<ConvertibleTerms, CoreError> {
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
    /// What the capped call pays the issuer, USD, to cents.
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

/// A note's price and coupon terms, for its yield and accretion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "price_per_100": 80,
    "coupon_rate": 0,
    "frequency": 2,
    "settlement_date": "2025-12-15",
    "maturity_date": "2032-06-15"
}))]
pub struct YieldRequest {
    /// Clean price per 100 of face; the issue price for a new issue.
    /// Range: > 0, ≤ 10,000.
    #[serde(with = "num::decimal")]
    #[schema(example = 80, minimum = 0, maximum = 10000)]
    pub price_per_100: Decimal,
    /// Annual coupon rate, a decimal fraction of face (0 for a zero-coupon
    /// note). Range: 0 to 1.
    #[serde(with = "num::decimal")]
    #[schema(example = 0, minimum = 0, maximum = 1)]
    pub coupon_rate: Decimal,
    /// Coupons a year, which is also the yield's compounding: 1, 2, 4 or 12.
    /// Default 2 (semiannual, bond-equivalent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 2)]
    pub frequency: Option<u32>,
    /// The date the note is bought (the issue date for a new issue),
    /// ISO 8601.
    #[schema(example = "2025-12-15")]
    pub settlement_date: NaiveDate,
    /// The date the face is repaid, ISO 8601; after `settlement_date`, at
    /// most 60 years later.
    #[schema(example = "2032-06-15")]
    pub maturity_date: NaiveDate,
}

impl TryFrom<YieldRequest> for YieldInput {
    type Error = CoreError;

    fn try_from(req: YieldRequest) -> Result<Self, CoreError> {
        Ok(YieldInput {
            price_per_100: yield_::price_per_100(req.price_per_100).at("price_per_100")?,
            coupon_rate: yield_::coupon_rate(req.coupon_rate)?,
            frequency: Frequency::from_per_year(req.frequency.unwrap_or(2))?,
            settlement_date: req.settlement_date,
            maturity_date: req.maturity_date,
        })
    }
}

/// How often a yield compounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Compounding {
    /// Once a year.
    Annual,
    /// Twice a year (bond-equivalent).
    SemiAnnual,
    /// Four times a year.
    Quarterly,
    /// Twelve times a year.
    Monthly,
}

/// One row of the accreted value schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccretionRowResponse {
    /// The settlement date (first row), then each coupon date, ISO 8601.
    #[schema(example = "2026-06-15")]
    pub date: NaiveDate,
    /// Carrying value per 100 of face after that date's coupon (the full
    /// price on the first row, 100 at maturity), to 6 decimals.
    #[serde(with = "num::decimal")]
    #[schema(example = 81.385044)]
    pub accreted_value: Decimal,
    /// Coupon paid that date, per 100, to 6 decimals.
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub coupon: Decimal,
    /// Interest earned over the period ending that date at the yield,
    /// `accreted_value + coupon − previous accreted_value`, per 100, to 6
    /// decimals.
    #[serde(with = "num::decimal")]
    #[schema(example = 1.385044)]
    pub interest: Decimal,
}

/// A note's yields and accreted value schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct YieldResponse {
    /// Yield to maturity, a nominal annual decimal fraction compounded as
    /// `compounding` says, to 10 decimals.
    #[serde(with = "num::decimal")]
    #[schema(example = 0.0346261036)]
    pub yield_to_maturity: Decimal,
    /// The compounding of `yield_to_maturity`: the coupon frequency.
    pub compounding: Compounding,
    /// `(1 + yield_to_maturity / f)^f − 1`, a decimal fraction, to 10
    /// decimals.
    #[serde(with = "num::decimal")]
    #[schema(example = 0.0349258453)]
    pub effective_annual_yield: Decimal,
    /// Annual coupon over clean price, a decimal fraction, to 10 decimals.
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub current_yield: Decimal,
    /// Clean price per 100 used.
    #[serde(with = "num::decimal")]
    #[schema(example = 80)]
    pub price_per_100: Decimal,
    /// Accrued interest at settlement per 100 (coupon × elapsed share of
    /// the period, actual days), to 6 decimals.
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub accrued_interest: Decimal,
    /// Clean price plus accrued interest per 100, to 6 decimals.
    #[serde(with = "num::decimal")]
    #[schema(example = 80)]
    pub full_price: Decimal,
    /// Coupon dates after settlement, maturity included.
    #[schema(example = 13)]
    pub periods: u32,
    /// The settlement row, then one row per coupon date.
    pub schedule: Vec<AccretionRowResponse>,
}

impl YieldResponse {
    /// Builds the response from the validated input and the core result.
    pub fn new(input: &YieldInput, out: &yield_::Yield) -> Self {
        YieldResponse {
            yield_to_maturity: fraction(out.yield_to_maturity),
            compounding: match input.frequency {
                Frequency::Annual => Compounding::Annual,
                Frequency::SemiAnnual => Compounding::SemiAnnual,
                Frequency::Quarterly => Compounding::Quarterly,
                Frequency::Monthly => Compounding::Monthly,
            },
            effective_annual_yield: fraction(out.effective_annual_yield),
            current_yield: fraction(out.current_yield),
            price_per_100: input.price_per_100.get().normalize(),
            accrued_interest: per_100(out.accrued_interest),
            full_price: per_100(out.full_price),
            periods: out.periods,
            schedule: out
                .schedule
                .iter()
                .map(|r| AccretionRowResponse {
                    date: r.date,
                    accreted_value: per_100(r.accreted_value),
                    coupon: per_100(r.coupon),
                    interest: per_100(r.interest),
                })
                .collect(),
        }
    }
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
