//! The template's contingent terms on the wire, shared by `/price`,
//! `/implied` and `/profile`: the N-of-M call test, contingent conversion,
//! the make-whole table, the fundamental change, and the engine that
//! prices them.

use chrono::NaiveDate;
use infraval_core::convertible::contract::{
    ContingentConversion, FundamentalChange, Measurement, TriggerTest,
};
use infraval_core::convertible::engine::EngineChoice;
use infraval_core::convertible::make_whole::{MakeWholeFields, MakeWholeTable};
use infraval_core::num::to_f64;
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::num;

/// Which engine prices the note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EngineRequest {
    /// The lattice (about 2 ms; an N-of-M call test through its effective
    /// trigger, within 0.10 per 100 of the exact engine on issue 15's
    /// grid), unless the note has `contingent_conversion`, `make_whole` or
    /// a `fundamental_change` intensity above 0, which only the exact
    /// engine prices.
    #[default]
    Auto,
    /// The binomial lattice.
    Lattice,
    /// The exact engine: Monte Carlo over daily (weekday) paths, seeded,
    /// with its standard error (about 0.4 s of CPU at the default paths).
    MonteCarlo,
}

impl From<EngineRequest> for EngineChoice {
    fn from(e: EngineRequest) -> Self {
        match e {
            EngineRequest::Auto => EngineChoice::Auto,
            EngineRequest::Lattice => EngineChoice::Lattice,
            EngineRequest::MonteCarlo => EngineChoice::MonteCarlo,
        }
    }
}

/// The engine that answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EngineUsed {
    /// The binomial lattice.
    Lattice,
    /// The daily Monte Carlo engine.
    MonteCarlo,
}

/// The N-of-M test as a call period carries it: both fields or neither.
pub(crate) fn trigger_test(
    trigger_days: Option<u32>,
    window_days: Option<u32>,
    field: &str,
) -> Result<Option<TriggerTest>, CoreError> {
    match (trigger_days, window_days) {
        (None, None) => Ok(None),
        (Some(trigger_days), Some(window_days)) => Ok(Some(
            TriggerTest {
                trigger_days,
                window_days,
            }
            .check(field)?,
        )),
        (Some(_), None) => Err(CoreError::Inconsistent {
            field: format!("{field}.window_days"),
            reason: "is required with trigger_days",
        }),
        (None, Some(_)) => Err(CoreError::Inconsistent {
            field: format!("{field}.trigger_days"),
            reason: "is required with window_days",
        }),
    }
}

/// How a contingent-conversion test reads its days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeasurementRequest {
    /// The template's rule: convertible in a calendar quarter if the test
    /// passed over the last `window_days` trading days of the quarter before.
    #[default]
    PriorCalendarQuarter,
}

/// Contingent conversion: before `until_date` the holder may convert only in
/// a quarter opened by the stock test, after a notice of redemption, or on
/// a fundamental change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContingentConversionRequest {
    /// The free-conversion date: after `issue_date`, on or before
    /// `maturity_date` (CleanSpark 2032: 2031-08-15).
    #[schema(example = "2031-08-15")]
    pub until_date: NaiveDate,
    /// The trigger, a multiple of the conversion price. Default 1.3. Range:
    /// > 0, ≤ 100.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 1.3)]
    pub trigger: Option<Decimal>,
    /// Trading days at or above the trigger needed. Default 20. Range: 1 to
    /// `window_days`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 20, minimum = 1, maximum = 64)]
    pub trigger_days: Option<u32>,
    /// The window, trading days (weekdays). Default 30. Range: 1 to 64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 30, minimum = 1, maximum = 64)]
    pub window_days: Option<u32>,
    /// Which days the test reads: `prior_calendar_quarter` (default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measurement: Option<MeasurementRequest>,
}

/// The indenture's make-whole table: additional shares per $1,000 for a
/// conversion after a notice of redemption or on a fundamental change,
/// interpolated linearly on both axes (a 365-day year between dates), none
/// outside the price range, the total rate capped at `max_conversion_rate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MakeWholeRequest {
    /// Effective dates (rows), strictly increasing, within the note's life;
    /// 1 to 100 of them.
    #[schema(example = json!(["2025-12-15", "2026-12-15", "2027-12-15", "2028-12-15", "2029-12-15", "2030-12-15", "2032-02-15"]))]
    pub effective_dates: Vec<NaiveDate>,
    /// Stock prices (columns), USD, strictly increasing, each > 0 and ≤
    /// 1,000,000; 1 to 100 of them.
    #[serde(with = "num::decimal_vec")]
    #[schema(example = json!([15.03, 17, 19.16, 22, 25, 30, 40, 60]))]
    pub stock_prices: Vec<Decimal>,
    /// Additional shares per $1,000: one row per effective date, one entry
    /// per stock price, each in [0, 10,000,000].
    #[serde(with = "num::decimal_matrix")]
    #[schema(example = json!([[14.3504, 10.6, 7.8, 5.2, 3.6, 2.0, 0.7, 0.0], [14.3504, 9.9, 7.0, 4.5, 3.0, 1.6, 0.5, 0.0], [14.3504, 9.1, 6.1, 3.7, 2.4, 1.2, 0.3, 0.0], [14.3504, 8.2, 5.1, 2.9, 1.7, 0.8, 0.2, 0.0], [14.3504, 7.0, 3.9, 2.0, 1.1, 0.4, 0.1, 0.0], [14.3504, 5.4, 2.4, 1.0, 0.4, 0.1, 0.0, 0.0], [14.3504, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]), value_type = Vec<Vec<f64>>)]
    pub additional_shares_per_1000: Vec<Vec<Decimal>>,
    /// The cap on the total conversion rate, shares per $1,000: at least
    /// the note's conversion rate, at most 10,000,000 (usually the rate at
    /// the reference price: 1,000 / 15.03 = 66.5336 for CleanSpark 2032).
    #[serde(with = "num::decimal")]
    #[schema(example = 66.5336)]
    pub max_conversion_rate: Decimal,
}

/// The market's chance of a make-whole fundamental change (a takeover).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FundamentalChangeRequest {
    /// Takeovers per year, a Poisson intensity. Default 0. Range: [0, 1].
    /// On the event the holder takes the better of the put at par plus
    /// accrued and conversion with the make-whole shares.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.02, minimum = 0, maximum = 1)]
    pub intensity_per_year: Option<Decimal>,
}

impl ContingentConversionRequest {
    pub(crate) fn core(&self) -> Result<ContingentConversion, CoreError> {
        let test = trigger_test(
            Some(self.trigger_days.unwrap_or(20)),
            Some(self.window_days.unwrap_or(30)),
            "contingent_conversion",
        )?
        .unwrap_or(TriggerTest {
            trigger_days: 20,
            window_days: 30,
        });
        Ok(ContingentConversion {
            until_date: self.until_date,
            trigger: self.trigger.map_or(1.3, to_f64),
            test,
            measurement: match self.measurement.unwrap_or_default() {
                MeasurementRequest::PriorCalendarQuarter => Measurement::PriorCalendarQuarter,
            },
        })
    }
}

impl MakeWholeRequest {
    /// The validated table for a note of `conversion_rate` shares per $1,000.
    pub(crate) fn core(&self, conversion_rate: Decimal) -> Result<MakeWholeTable, CoreError> {
        MakeWholeTable::new(
            MakeWholeFields {
                effective_dates: self.effective_dates.clone(),
                stock_prices: self.stock_prices.clone(),
                additional_shares_per_1000: self.additional_shares_per_1000.clone(),
                max_conversion_rate: self.max_conversion_rate,
            },
            conversion_rate,
        )
    }
}

impl FundamentalChangeRequest {
    pub(crate) fn core(&self) -> FundamentalChange {
        FundamentalChange {
            intensity_per_year: self.intensity_per_year.map_or(0.0, to_f64),
        }
    }
}
