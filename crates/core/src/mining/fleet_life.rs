//! Bitcoin a fleet mines over its useful life, per PH/s, from a projection.
//!
//! The projection keeps a cohort hashing after its useful life ends (only
//! its depreciation stops), so its `total_btc` counts machines past their
//! life. [`fleet_life`] counts each cohort only while it is within its
//! useful life, which is what "BTC mined per PH/s over the fleet's life"
//! means; it leaves the projection's own answers untouched.

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

use super::ph_per_eh;
use super::projection::{Projection, ProjectionFleet, ProjectionInput};
use crate::error::CoreError;
use crate::num::Checked;
use crate::Result;

/// What a fleet mines over its life within a projection, unrounded.
#[derive(Debug, Clone, PartialEq)]
pub struct FleetLife {
    /// Bitcoin mined while each cohort is within its useful life, from the
    /// projection's start to its end.
    pub btc_mined: Decimal,
    /// The months of the projection that count: through the last month in
    /// which some cohort hashes within its useful life (every month for
    /// `fleet_hashrate_ehs`).
    pub months: u32,
    /// The fleet's hashrate, EH/s: the total of the cohorts that hash
    /// within their useful life at some time in the projection, or the
    /// peak monthly hashrate of a single fleet.
    pub fleet_hashrate_ehs: Decimal,
    /// `btc_mined / (fleet_hashrate_ehs × 1,000)`, BTC per PH/s; `None`
    /// when the fleet's hashrate is zero.
    pub btc_mined_per_phs: Option<Decimal>,
}

/// Bitcoin mined over the fleet's life, and per PH/s of the fleet.
///
/// # Formula
/// ```text
/// btc_mined        = Σ_cohorts Σ_months btc(c, m) × in_life(c, m) / in_service(c, m)
/// btc_mined_per_phs = btc_mined / (Σ_cohorts counted hashrate_ehs × 1,000)
/// ```
/// `in_service(c, m)` are the days of month `m` the cohort hashes (from its
/// purchase date), `in_life(c, m)` those of them before
/// `purchase_date + useful_life_months`. A month's bitcoin is taken as
/// spread evenly over its days in service, which is exact when a life ends
/// on a month boundary (a cohort bought on the projection's day of the
/// month) and otherwise off only by the month's change of difficulty or
/// subsidy on the days cut. A cohort without a purchase (no useful life)
/// and a single fleet count every month. Bitcoin mined before the
/// projection's start or after its end is not counted: the projection's
/// `months` should cover the fleet's life.
///
/// # Errors
/// [`CoreError::Overflow`] on a date or sum out of range.
pub fn fleet_life(input: &ProjectionInput, projection: &Projection) -> Result<FleetLife> {
    let start = input.start_date;
    let (btc_mined, months, fleet_hashrate_ehs) = match &input.fleet {
        ProjectionFleet::Single { .. } => {
            let peak = projection
                .months
                .iter()
                .map(|m| m.fleet_hashrate_ehs)
                .max()
                .unwrap_or(Decimal::ZERO);
            (projection.total_btc, input.months.get(), peak)
        }
        ProjectionFleet::Cohorts(cohorts) => {
            let mut btc = Decimal::ZERO;
            let mut last_month = 0;
            let mut fleet = Decimal::ZERO;
            for (i, c) in cohorts.get().iter().enumerate() {
                let placed = c.purchase_date.unwrap_or(start).max(start);
                let end: Option<NaiveDate> = c
                    .end_of_life(c.purchase_date.unwrap_or(start))
                    .transpose()?;
                let mut counted = false;
                for m in &projection.months {
                    let Some(row) = m.cohorts.get(i) else {
                        continue;
                    };
                    let month_end = start.checked_add_months(Months::new(m.month)).ok_or(
                        CoreError::Overflow {
                            quantity: "month dates",
                        },
                    )?;
                    let from = placed.max(m.start_date);
                    let service = (month_end - from).num_days().max(0);
                    let life_end = end.map_or(month_end, |e| e.min(month_end));
                    let in_life = (life_end - from).num_days().max(0);
                    if service == 0 || in_life == 0 {
                        continue;
                    }
                    counted = true;
                    last_month = last_month.max(m.month);
                    let share = if in_life == service {
                        row.btc_mined
                    } else {
                        row.btc_mined
                            .mul_or(Decimal::from(in_life), "btc_mined_over_life")?
                            .div_or(Decimal::from(service), "btc_mined_over_life")?
                    };
                    btc = btc.add_or(share, "btc_mined_over_life")?;
                }
                if counted {
                    fleet = fleet.add_or(c.hashrate.ehs(), "fleet hashrate")?;
                }
            }
            (btc, last_month, fleet)
        }
    };
    let phs = fleet_hashrate_ehs.mul_or(ph_per_eh(), "fleet hashrate")?;
    let btc_mined_per_phs = if phs.is_zero() {
        None
    } else {
        Some(btc_mined.div_or(phs, "btc_mined_per_phs")?)
    };
    Ok(FleetLife {
        btc_mined,
        months,
        fleet_hashrate_ehs,
        btc_mined_per_phs,
    })
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::mining::tests::{close, date, hashrate, projection_input};
    use crate::mining::{
        projection, Cohort, Cohorts, JoulesPerTerahash, ProjectionMonths, Purchase, UsefulLife,
    };
    use crate::num::{Fraction, Usd};

    /// 1,000 EH/s held at its difficulty (144 blocks a day), 3.125 BTC a
    /// block with no halving and no fees, full uptime, no pool fee, 24
    /// months from 2026-01-01 (730 days).
    fn two_years() -> ProjectionInput {
        ProjectionInput {
            start_date: date(2026, 1, 1),
            months: ProjectionMonths::new(24).unwrap(),
            ..projection_input()
        }
    }

    fn cohort(bought: NaiveDate, life_months: u32) -> Cohort {
        Cohort {
            hashrate: hashrate(dec!(1)),
            efficiency: JoulesPerTerahash::new(dec!(20)).unwrap(),
            purchase_date: Some(bought),
            purchase: Some(Purchase {
                cost: Usd::new(dec!(15000000)).unwrap(),
                useful_life: UsefulLife::new(life_months).unwrap(),
                residual: Fraction::ZERO,
            }),
        }
    }

    fn life(input: &ProjectionInput) -> (FleetLife, Projection) {
        let p = projection(input).unwrap();
        (fleet_life(input, &p).unwrap(), p)
    }

    #[test]
    fn one_ehs_over_two_years_mines_share_times_blocks_times_subsidy() {
        // share = 1 / 1,000; blocks = 144 a day × 730 days = 105,120; subsidy 3.125:
        // 0.001 × 105,120 × 3.125 = 328.5 BTC over 1 EH/s = 1,000 PH/s: 0.3285 BTC per PH/s.
        let input = ProjectionInput {
            fleet: ProjectionFleet::Single {
                fleet: hashrate(dec!(1)),
                additions_ehs: vec![],
                efficiency: None,
            },
            ..two_years()
        };
        let (out, _) = life(&input);
        assert!(close(out.btc_mined, dec!(328.5)));
        assert_eq!(out.fleet_hashrate_ehs, dec!(1));
        assert_eq!(out.months, 24);
        assert!(close(out.btc_mined_per_phs.unwrap(), dec!(0.3285)));
    }

    #[test]
    fn a_cohort_counts_only_while_within_its_useful_life() {
        // Each cohort is 1 EH/s, so mines 0.001 × 144 × 3.125 = 0.45 BTC a day it hashes.
        // A: bought 2026-01-01, 12 months: 365 days in life, 164.25 BTC.
        // B: bought 2026-07-01, 36 months: 2026-07-01 to the end, 184 + 365 = 549 days, 247.05.
        // C: bought 2025-12-16, 12 months, life ends 2026-12-16: 2026-01-01 to 2026-12-15,
        //    349 days, 157.05 (December is cut at 15 of its 31 days).
        // D: bought 2023-01-01, 24 months: its life ended before the start; not counted,
        //    and not in the fleet's hashrate.
        // 164.25 + 247.05 + 157.05 = 568.35 BTC over 3 EH/s = 3,000 PH/s: 0.18945 BTC per PH/s.
        let input = ProjectionInput {
            fleet: ProjectionFleet::Cohorts(
                Cohorts::new(vec![
                    cohort(date(2026, 1, 1), 12),
                    cohort(date(2026, 7, 1), 36),
                    cohort(date(2025, 12, 16), 12),
                    cohort(date(2023, 1, 1), 24),
                ])
                .unwrap(),
            ),
            ..two_years()
        };
        let (out, projection) = life(&input);
        assert!(close(out.btc_mined, dec!(568.35)));
        assert_eq!(out.fleet_hashrate_ehs, dec!(3));
        assert_eq!(out.months, 24);
        assert!(close(out.btc_mined_per_phs.unwrap(), dec!(0.18945)));
        // The projection itself keeps every cohort hashing to the end:
        // 0.45 × (730 + 549 + 730 + 730) = 1,232.55 BTC.
        assert!(close(projection.total_btc, dec!(1232.55)));
    }

    #[test]
    fn the_months_stop_at_the_last_life_that_ends_inside_the_projection() {
        let input = ProjectionInput {
            fleet: ProjectionFleet::Cohorts(
                Cohorts::new(vec![cohort(date(2026, 1, 1), 12)]).unwrap(),
            ),
            ..two_years()
        };
        let (out, _) = life(&input);
        assert_eq!(out.months, 12);
        assert!(close(out.btc_mined, dec!(164.25)));
    }

    #[test]
    fn a_fleet_whose_life_ended_before_the_start_has_no_multiple() {
        let input = ProjectionInput {
            fleet: ProjectionFleet::Cohorts(
                Cohorts::new(vec![cohort(date(2023, 1, 1), 24)]).unwrap(),
            ),
            ..two_years()
        };
        let (out, _) = life(&input);
        assert_eq!(out.btc_mined, Decimal::ZERO);
        assert_eq!(out.months, 0);
        assert_eq!(out.btc_mined_per_phs, None);
    }
}
