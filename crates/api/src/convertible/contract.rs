//! The template's contingent terms on the wire, shared by `/price`,
//! `/implied` and `/profile`: the N-of-M call test, contingent conversion,
//! the make-whole table, the fundamental change, and the engine that
//! prices them.

use infraval_core::convertible::contract::{
    ContingentConversion, FundamentalChange, Measurement, TriggerTest,
};
use infraval_core::convertible::engine::EngineChoice;
use infraval_core::convertible::make_whole::{MakeWholeFields, MakeWholeTable};
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::bounds;
use crate::wire::{Date, Int, Num, Wire};

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
    trigger_days: Option<Int>,
    window_days: Option<Int>,
    field: &str,
) -> Result<Option<TriggerTest>, CoreError> {
    match (trigger_days, window_days) {
        (None, None) => Ok(None),
        (Some(trigger_days), Some(window_days)) => Ok(Some(
            TriggerTest {
                trigger_days: trigger_days.to_u32(),
                window_days: window_days.to_u32(),
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
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct ContingentConversionRequest {
    /// The free-conversion date: after `issue_date`, on or before
    /// `maturity_date` (CleanSpark 2032: 2031-08-15).
    #[schema(example = "2031-08-15")]
    pub until_date: Date,
    /// The trigger, a multiple of the conversion price. Default 1.3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[wire(bounds::TRIGGER, default = DEFAULT_TRIGGER)]
    pub trigger: Option<Num>,
    /// Trading days at or above the trigger needed, at most `window_days`.
    /// Default 20.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[wire(bounds::TEST_DAYS, default = DEFAULT_TRIGGER_DAYS)]
    pub trigger_days: Option<Int>,
    /// The window, trading days (weekdays). Default 30.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[wire(bounds::TEST_DAYS, default = DEFAULT_WINDOW_DAYS)]
    pub window_days: Option<Int>,
    /// Which days the test reads: `prior_calendar_quarter` (default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[wire(default = MeasurementRequest::PriorCalendarQuarter)]
    pub measurement: Option<MeasurementRequest>,
}

/// The indenture's make-whole table: additional shares per $1,000 for a
/// conversion after a notice of redemption or on a fundamental change,
/// interpolated linearly on both axes (a 365-day year between dates), none
/// outside the price range, the total rate capped at `max_conversion_rate`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct MakeWholeRequest {
    /// Effective dates (rows), strictly increasing, within the note's life.
    #[schema(example = json!(["2025-12-15", "2026-12-15", "2027-12-15", "2028-12-15", "2029-12-15", "2030-12-15", "2032-02-15"]))]
    #[wire(bounds::MAKE_WHOLE_DATES)]
    pub effective_dates: Vec<Date>,
    /// Stock prices (columns), USD, strictly increasing.
    #[schema(example = json!([15.03, 17, 19.16, 22, 25, 30, 40, 60]))]
    #[wire(bounds::MAKE_WHOLE_PRICES)]
    pub stock_prices: Vec<Num>,
    /// Additional shares per $1,000: one row per effective date, one entry
    /// per stock price, each in [0, 10,000,000].
    #[schema(example = json!([[14.3504, 10.6, 7.8, 5.2, 3.6, 2.0, 0.7, 0.0], [14.3504, 9.9, 7.0, 4.5, 3.0, 1.6, 0.5, 0.0], [14.3504, 9.1, 6.1, 3.7, 2.4, 1.2, 0.3, 0.0], [14.3504, 8.2, 5.1, 2.9, 1.7, 0.8, 0.2, 0.0], [14.3504, 7.0, 3.9, 2.0, 1.1, 0.4, 0.1, 0.0], [14.3504, 5.4, 2.4, 1.0, 0.4, 0.1, 0.0, 0.0], [14.3504, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]))]
    #[wire(bounds::MAKE_WHOLE_ENTRIES)]
    pub additional_shares_per_1000: Vec<Vec<Num>>,
    /// The cap on the total conversion rate, shares per $1,000, at least
    /// the note's conversion rate (usually the rate at the reference price:
    /// 1,000 / 15.03 = 66.5336 for CleanSpark 2032).
    #[wire(bounds::CONVERSION_RATE)]
    pub max_conversion_rate: Num,
}

/// The contingent-conversion trigger when none is given, a multiple of
/// the conversion price: 1.3 (the template's 130%).
pub const DEFAULT_TRIGGER: Decimal = Decimal::from_parts(13, 0, 0, false, 1);
/// The contingent-conversion test's trading days when none are given.
pub const DEFAULT_TRIGGER_DAYS: u32 = 20;
/// The contingent-conversion test's window when none is given, trading days.
pub const DEFAULT_WINDOW_DAYS: u32 = 30;

/// The market's chance of a make-whole fundamental change (a takeover).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct FundamentalChangeRequest {
    /// Takeovers per year, a Poisson intensity. Default 0. On the event
    /// the holder takes the better of the put at par plus accrued and
    /// conversion with the make-whole shares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[wire(bounds::TAKEOVER_INTENSITY, default = Decimal::ZERO)]
    pub intensity_per_year: Option<Num>,
}

impl ContingentConversionRequest {
    pub(crate) fn core(&self) -> Result<ContingentConversion, CoreError> {
        let test = TriggerTest {
            trigger_days: self.trigger_days.map_or(DEFAULT_TRIGGER_DAYS, Int::to_u32),
            window_days: self.window_days.map_or(DEFAULT_WINDOW_DAYS, Int::to_u32),
        }
        .check("contingent_conversion")?;
        Ok(ContingentConversion {
            until_date: self.until_date.get(),
            trigger: self
                .trigger
                .map_or(infraval_core::num::to_f64(DEFAULT_TRIGGER), Num::to_f64),
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
                effective_dates: self.effective_dates.iter().map(|d| d.get()).collect(),
                stock_prices: self.stock_prices.iter().map(|p| p.get()).collect(),
                additional_shares_per_1000: self
                    .additional_shares_per_1000
                    .iter()
                    .map(|row| row.iter().map(|n| n.get()).collect())
                    .collect(),
                max_conversion_rate: self.max_conversion_rate.get(),
            },
            conversion_rate,
        )
    }
}

impl FundamentalChangeRequest {
    pub(crate) fn core(&self) -> FundamentalChange {
        FundamentalChange {
            intensity_per_year: self.intensity_per_year.map_or(0.0, Num::to_f64),
        }
    }
}
