//! Yield to maturity and accretion: `POST /v1/convertibles/yield`.

use chrono::NaiveDate;
use infraval_core::convertible::yield_::{self, Frequency, YieldInput};
use infraval_core::error::AtField;
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{fraction, per_100};
use crate::num;

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

/// Computes [`crate::operations::ConvertibleYield`].
pub fn yield_(input: YieldInput) -> Result<YieldResponse, CoreError> {
    let out = yield_::yield_to_maturity(&input)?;
    Ok(YieldResponse::new(&input, &out))
}
