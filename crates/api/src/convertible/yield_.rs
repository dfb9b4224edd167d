//! Yield to maturity and accretion: `POST /v1/convertibles/yield`.

use infraval_core::convertible::yield_::{self, Frequency, YieldInput};
use infraval_core::error::AtField;
use infraval_core::CoreError;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::{fraction, per_100};
use crate::wire::{Date, Int, Num, Wire};
use crate::{bounds, Example, Examples};

/// Coupons a year (and the yield's compounding) when none are given.
pub const DEFAULT_FREQUENCY: u32 = 2;

/// A note's price and coupon terms, for its yield and accretion.
///
/// Coupons are equal, `coupon_rate / frequency` of face each; accrued
/// interest counts actual days within the coupon period.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct YieldRequest {
    /// Clean price per 100 of face; the issue price for a new issue.
    #[wire(bounds::PRICE_PER_100)]
    pub price_per_100: Num,
    /// Annual coupon rate, of face (0 for a zero-coupon note).
    #[wire(bounds::COUPON_RATE)]
    pub coupon_rate: Num,
    /// Coupons a year, which is also the yield's compounding. Default 2
    /// (semiannual, bond-equivalent).
    #[wire(bounds::COUPON_FREQUENCY, default = DEFAULT_FREQUENCY)]
    pub frequency: Option<Int>,
    /// The date the note is bought (the issue date for a new issue).
    #[schema(example = "2025-12-15")]
    pub settlement_date: Date,
    /// The date the face is repaid; after `settlement_date`, at most 60
    /// years later.
    #[schema(example = "2032-06-15")]
    pub maturity_date: Date,
}

impl Examples for YieldRequest {
    fn examples() -> Vec<Example> {
        vec![
            Example {
                name: "zero_at_80",
                summary: "A zero-coupon note bought at 80, due in six and a half years",
                body: json!({
                    "price_per_100": 80,
                    "coupon_rate": 0,
                    "frequency": 2,
                    "settlement_date": "2025-12-15",
                    "maturity_date": "2032-06-15"
                }),
            },
            Example {
                name: "coupon_between_dates",
                summary: "A 2.5% semiannual coupon bought at 95 between coupon dates",
                body: json!({
                    "price_per_100": 95,
                    "coupon_rate": 0.025,
                    "settlement_date": "2026-02-01",
                    "maturity_date": "2030-06-15"
                }),
            },
        ]
    }
}

impl TryFrom<YieldRequest> for YieldInput {
    type Error = CoreError;

    fn try_from(req: YieldRequest) -> Result<Self, CoreError> {
        Ok(YieldInput {
            price_per_100: yield_::price_per_100(req.price_per_100.get()).at("price_per_100")?,
            coupon_rate: yield_::coupon_rate(req.coupon_rate.get())?,
            frequency: Frequency::from_per_year(
                req.frequency.map_or(DEFAULT_FREQUENCY, Int::to_u32),
            )?,
            settlement_date: req.settlement_date.get(),
            maturity_date: req.maturity_date.get(),
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
    pub date: Date,
    /// Carrying value per 100 of face after that date's coupon (the full
    /// price on the first row, 100 at maturity), to 6 decimals.
    pub accreted_value: Num,
    /// Coupon paid that date, per 100, to 6 decimals.
    pub coupon: Num,
    /// Interest earned over the period ending that date at the yield,
    /// `accreted_value + coupon − previous accreted_value`, per 100, to 6
    /// decimals.
    pub interest: Num,
}

/// A note's yields and accreted value schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct YieldResponse {
    /// Yield to maturity, a nominal annual decimal fraction compounded as
    /// `compounding` says, to 10 decimals.
    pub yield_to_maturity: Num,
    /// The compounding of `yield_to_maturity`: the coupon frequency.
    pub compounding: Compounding,
    /// `(1 + yield_to_maturity / f)^f − 1`, a decimal fraction, to 10
    /// decimals.
    pub effective_annual_yield: Num,
    /// Annual coupon over clean price, a decimal fraction, to 10 decimals.
    pub current_yield: Num,
    /// Clean price per 100 used.
    pub price_per_100: Num,
    /// Accrued interest at settlement per 100 (coupon × elapsed share of
    /// the period, actual days), to 6 decimals.
    pub accrued_interest: Num,
    /// Clean price plus accrued interest per 100, to 6 decimals.
    pub full_price: Num,
    /// Coupon dates after settlement, maturity included.
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
            price_per_100: input.price_per_100.get().into(),
            accrued_interest: per_100(out.accrued_interest),
            full_price: per_100(out.full_price),
            periods: out.periods,
            schedule: out
                .schedule
                .iter()
                .map(|r| AccretionRowResponse {
                    date: r.date.into(),
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
