//! The miners' 144A template's contingent terms, beyond a call schedule and
//! put dates: the N-of-M trigger test of a provisional redemption,
//! contingent conversion, make-whole shares and the fundamental change.
//!
//! # Trading days
//! Trading days are weekdays (Monday to Friday): no holiday calendar. A
//! test of "at least N of the last M trading days" counts weekdays; a date
//! that falls on a weekend is placed on the next weekday (see
//! [`super::trading_days`]).
//!
//! # History before the valuation date
//! Neither engine knows the stock's closes before the valuation date: a
//! window that reaches back before it counts those days as *below* the
//! trigger, so a test can first pass `N` trading days after valuation.

use chrono::NaiveDate;

use super::make_whole::MakeWholeTable;
use crate::error::{CoreError, ValueError};
use crate::Result;

/// The longest window of an N-of-M test, trading days: the engines keep a
/// window as the bits of one 64-bit word.
pub const MAX_WINDOW_DAYS: u32 = 64;

/// The largest fundamental-change intensity accepted, per year: 1, an
/// expected takeover a year.
pub const MAX_FUNDAMENTAL_CHANGE_INTENSITY: f64 = 1.0;

/// Trading days in a year, for the effective trigger's scale only (the
/// daily engine counts the weekdays of the calendar).
pub const TRADING_DAYS_PER_YEAR: f64 = 252.0;

/// The effective trigger's coefficient β: calibrated, not derived.
///
/// The lattice watches a soft call's trigger at every step, so it calls
/// as soon as the stock touches the barrier; a daily 20-of-30 test calls
/// later and higher, which is worth about 1.2 to 2.1 per 100 to the holder
/// on the CleanSpark-like note. Raising the lattice's trigger by
/// `exp(β σ √(N/252))` closes that gap: over the issue's grid (vol 0.45,
/// 0.65, 0.85 × spot 10, 15.03, 22, spread 0 and 5%, TF), β from 0.3 to
/// 1.2 in steps of 0.1 left the lattice at most 1.24, 0.98, 0.72, 0.47,
/// 0.21, **0.04**, 0.27, 0.51, 0.74 and 0.97 per 100 from the exact engine
/// at 130,000 paths (`crates/core/examples/convertible_agreement.rs`,
/// `bench/RESULTS.md`). The fit is for the template's 20-of-30 test on a
/// 130% trigger; other tests use the same formula with their `N`.
pub const EFFECTIVE_TRIGGER_BETA: f64 = 0.8;

/// An N-of-M test on a trigger: it passes on a day when the stock closed at
/// or above the trigger on at least `trigger_days` of the `window_days`
/// trading days before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TriggerTest {
    /// N, the days at or above the trigger needed: 1 ≤ N ≤ M.
    pub trigger_days: u32,
    /// M, the window, trading days: 1 ≤ M ≤ [`MAX_WINDOW_DAYS`].
    pub window_days: u32,
}

impl TriggerTest {
    /// Checks `1 ≤ trigger_days ≤ window_days ≤ MAX_WINDOW_DAYS`, naming
    /// `{field}.trigger_days` or `{field}.window_days`.
    pub fn check(self, field: &str) -> Result<Self> {
        if self.window_days == 0 || self.window_days > MAX_WINDOW_DAYS {
            return Err(CoreError::invalid(
                format!("{field}.window_days"),
                if self.window_days == 0 {
                    ValueError::BelowMinimum {
                        bound: 1.0,
                        value: 0.0,
                    }
                } else {
                    ValueError::AboveMaximum {
                        bound: f64::from(MAX_WINDOW_DAYS),
                        value: f64::from(self.window_days),
                    }
                },
            ));
        }
        if self.trigger_days == 0 {
            return Err(CoreError::invalid(
                format!("{field}.trigger_days"),
                ValueError::BelowMinimum {
                    bound: 1.0,
                    value: 0.0,
                },
            ));
        }
        if self.trigger_days > self.window_days {
            return Err(CoreError::Inconsistent {
                field: format!("{field}.trigger_days"),
                reason: "must be at most window_days",
            });
        }
        Ok(self)
    }

    /// The factor by which the lattice raises a trigger read by this test,
    /// so that its single observation at each step calls about when the
    /// daily N-of-M test does: see [`EFFECTIVE_TRIGGER_BETA`].
    ///
    /// # Formula
    /// ```text
    /// factor = exp(β × σ × √(N / 252))        (1 for a single observation)
    /// ```
    /// σ is the annual volatility and `N / 252` the years of trigger days the
    /// test needs: the stock's typical move over those days.
    pub fn effective_trigger_factor(self, volatility: f64) -> f64 {
        if self.is_single_observation() {
            return 1.0;
        }
        (EFFECTIVE_TRIGGER_BETA
            * volatility
            * (f64::from(self.trigger_days) / TRADING_DAYS_PER_YEAR).sqrt())
        .exp()
    }

    /// Whether the test is one observation (1 of 1), which is what a call
    /// without a test does.
    pub fn is_single_observation(self) -> bool {
        self.trigger_days == 1 && self.window_days == 1
    }
}

/// Over which days a contingent-conversion test is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Measurement {
    /// The template's rule: the holder may convert in a calendar quarter if
    /// the test passed over the last `window_days` trading days of the
    /// quarter before.
    #[default]
    PriorCalendarQuarter,
}

/// Contingent conversion: before `until_date` the holder may convert only in
/// a quarter opened by the stock test, after a notice of redemption, or on
/// a fundamental change; from `until_date` on, freely.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ContingentConversion {
    /// The free-conversion date, within the note's life.
    pub until_date: NaiveDate,
    /// The trigger as a multiple of the conversion price (1.3 for 130%),
    /// in `(0, MAX_TRIGGER]`.
    pub trigger: f64,
    /// The N-of-M test (20 of 30 in the template).
    pub test: TriggerTest,
    /// Which days the test reads.
    pub measurement: Measurement,
}

/// The market's chance of a make-whole fundamental change (a takeover).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FundamentalChange {
    /// Events per year, a Poisson intensity in `[0, 1]`: the chance of a
    /// takeover in a short time `dt` is `intensity × dt`. On the event the
    /// holder takes the better of the put at par plus accrued and
    /// conversion with the make-whole shares.
    pub intensity_per_year: f64,
}

/// The template's terms beyond the schedules, all optional: a note with
/// none of them is priced as before.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ContractTerms {
    /// Contingent conversion; `None`: the holder may convert whenever
    /// conversion is open (from `conversion_start_date`).
    pub contingent_conversion: Option<ContingentConversion>,
    /// The make-whole table, applied to conversions after a call notice or
    /// on a fundamental change.
    pub make_whole: Option<MakeWholeTable>,
    /// The fundamental change; `None` is an intensity of 0.
    pub fundamental_change: Option<FundamentalChange>,
}

impl ContractTerms {
    /// The fundamental-change intensity, per year (0 without one).
    pub fn fundamental_change_intensity(&self) -> f64 {
        self.fundamental_change
            .map_or(0.0, |f| f.intensity_per_year)
    }

    /// Whether any term needs the daily-monitored engine to be priced
    /// exactly: contingent conversion (a quarterly test).
    pub fn has_contingent_conversion(&self) -> bool {
        self.contingent_conversion.is_some()
    }
}

/// Checks the contingent terms against the note's life `[issue, maturity]`
/// and the largest trigger accepted.
pub(crate) fn check(
    terms: &ContractTerms,
    issue: NaiveDate,
    maturity: NaiveDate,
    max_trigger: f64,
) -> Result<()> {
    if let Some(c) = &terms.contingent_conversion {
        let field = "contingent_conversion";
        if c.until_date <= issue || c.until_date > maturity {
            return Err(CoreError::DateOrder {
                field: format!("{field}.until_date"),
                date: c.until_date,
                relation: if c.until_date <= issue {
                    "after"
                } else {
                    "on or before"
                },
                other_field: if c.until_date <= issue {
                    "issue_date"
                } else {
                    "maturity_date"
                },
                other: if c.until_date <= issue {
                    issue
                } else {
                    maturity
                },
            });
        }
        if !(c.trigger.is_finite() && c.trigger > 0.0) {
            return Err(CoreError::invalid(
                format!("{field}.trigger"),
                ValueError::NotAbove {
                    bound: 0.0,
                    value: c.trigger,
                },
            ));
        }
        if c.trigger > max_trigger {
            return Err(CoreError::invalid(
                format!("{field}.trigger"),
                ValueError::AboveMaximum {
                    bound: max_trigger,
                    value: c.trigger,
                },
            ));
        }
        c.test.check(field)?;
    }
    if let Some(table) = &terms.make_whole {
        table.check_within((issue, "issue_date"), (maturity, "maturity_date"))?;
    }
    if let Some(f) = terms.fundamental_change {
        let field = "fundamental_change.intensity_per_year";
        let v = f.intensity_per_year;
        if !v.is_finite() {
            return Err(CoreError::invalid(
                field,
                ValueError::NotFinite { value: v },
            ));
        }
        if v < 0.0 {
            return Err(CoreError::invalid(
                field,
                ValueError::BelowMinimum {
                    bound: 0.0,
                    value: v,
                },
            ));
        }
        if v > MAX_FUNDAMENTAL_CHANGE_INTENSITY {
            return Err(CoreError::invalid(
                field,
                ValueError::AboveMaximum {
                    bound: MAX_FUNDAMENTAL_CHANGE_INTENSITY,
                    value: v,
                },
            ));
        }
    }
    Ok(())
}
