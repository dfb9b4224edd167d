//! A monthly projection of bitcoin mined, revenue, power cost and margin
//! along paths of the network, the fleet, the subsidy and the price.

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

use super::production::fleet_share;
use super::subsidy::SubsidyCurve;
use super::{blocks_per_day, hours_per_day};
use super::{Btc, Difficulty, HalvingSchedule, Hashrate, JoulesPerTerahash, Network};
use crate::error::{AtField, CoreError, ValueError};
use crate::num::{self, Checked, Fraction, Price, Usd};
use crate::Result;

/// The longest projection, months (ten years).
pub const MAX_PROJECTION_MONTHS: u32 = 120;

/// The largest fleet or monthly network growth accepted, a fraction per month
/// (+1,000% a month; anything near it is a typo for a percentage).
pub const MAX_MONTHLY_GROWTH: u32 = 10;

/// A monthly growth rate: `−1 < g ≤ 10`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct MonthlyGrowth(Decimal);

impl MonthlyGrowth {
    /// Checks `−1 < g ≤ 10` (a level can shrink, never to zero).
    pub fn new(g: Decimal) -> Result<Self, ValueError> {
        if g <= Decimal::NEGATIVE_ONE {
            return Err(ValueError::NotAbove {
                bound: -1.0,
                value: num::to_f64(g),
            });
        }
        num::at_most(g, Decimal::from(MAX_MONTHLY_GROWTH)).map(MonthlyGrowth)
    }

    /// The growth, a fraction per month.
    pub fn get(self) -> Decimal {
        self.0
    }

    /// `1 + g`, the monthly multiplier.
    pub fn factor(self) -> Result<Decimal> {
        Decimal::ONE.add_or(self.0, "monthly growth")
    }
}

/// A projection length: `1 ≤ months ≤ 120`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ProjectionMonths(u32);

impl ProjectionMonths {
    /// Checks `1 ≤ months ≤ 120` ([`MAX_PROJECTION_MONTHS`]).
    pub fn new(months: u32) -> Result<Self, ValueError> {
        if months == 0 {
            Err(ValueError::BelowMinimum {
                bound: 1.0,
                value: 0.0,
            })
        } else if months > MAX_PROJECTION_MONTHS {
            Err(ValueError::AboveMaximum {
                bound: f64::from(MAX_PROJECTION_MONTHS),
                value: f64::from(months),
            })
        } else {
            Ok(ProjectionMonths(months))
        }
    }

    /// The number of months.
    pub fn get(self) -> u32 {
        self.0
    }
}

/// The network hashrate month by month.
#[derive(Debug, Clone, PartialEq)]
pub enum NetworkPath {
    /// A starting network that grows by a constant rate each month:
    /// `network_m = network_0 × (1 + g)^m`, `m = 0, 1, …`.
    Growth {
        /// The network in the first month.
        initial: Network,
        /// Growth per month.
        monthly_growth: MonthlyGrowth,
    },
    /// One hashrate per month (field `network_hashrate_path_ehs`).
    Hashrates(Vec<Hashrate>),
    /// One difficulty per month (field `difficulty_path`).
    Difficulties(Vec<Difficulty>),
}

/// The BTC price month by month, USD.
#[derive(Debug, Clone, PartialEq)]
pub enum PricePath {
    /// The same price every month.
    Flat(Price),
    /// `price_m = price_0 × (1 + g)^m`, `m = 0, 1, …`.
    Growth {
        /// The price in the first month.
        initial: Price,
        /// Growth per month.
        monthly_growth: MonthlyGrowth,
    },
    /// One price per month (field `btc_price_path`).
    List(Vec<Price>),
}

/// The validated input of [`projection`].
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionInput {
    /// The first day of month 1; months are calendar months from here.
    pub start_date: NaiveDate,
    /// Number of months.
    pub months: ProjectionMonths,
    /// The network path.
    pub network: NetworkPath,
    /// Fleet hashrate in month 1, before its additions (field
    /// `fleet_hashrate_ehs`).
    pub fleet: Hashrate,
    /// Fleet hashrate added at the start of each month, EH/s, month 1
    /// first; negative for retirements; at most one per month.
    pub fleet_additions_ehs: Vec<Decimal>,
    /// The halving schedule.
    pub halving: HalvingSchedule,
    /// Transaction fees per block, BTC, constant.
    pub fees_per_block: Btc,
    /// Share of the time the fleet hashes.
    pub uptime: Fraction,
    /// Share of the reward the pool keeps.
    pub pool_fee: Fraction,
    /// The BTC price path.
    pub btc_price: PricePath,
    /// Fleet efficiency, J/TH; with a power price, enables power cost.
    pub efficiency: Option<JoulesPerTerahash>,
    /// Power price, USD per MWh; requires `efficiency`.
    pub power_price_per_mwh: Option<Usd>,
    /// Other operating costs, USD per day.
    pub other_opex_per_day: Option<Usd>,
}

/// One month of a projection, unrounded.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionMonth {
    /// 1 for the first month.
    pub month: u32,
    /// First day of the month.
    pub start_date: NaiveDate,
    /// Days in the month.
    pub days: u32,
    /// Network hashrate used for the month, EH/s.
    pub network_hashrate_ehs: Decimal,
    /// Fleet hashrate used for the month, EH/s.
    pub fleet_hashrate_ehs: Decimal,
    /// Subsidy on the month's first day, BTC.
    pub block_subsidy_btc: Decimal,
    /// Whether a halving falls in the month.
    pub halving_in_month: bool,
    /// Bitcoin mined in the month.
    pub btc_mined: Decimal,
    /// BTC price used for the month, USD.
    pub btc_price: Decimal,
    /// `btc_mined × btc_price`, USD.
    pub revenue: Decimal,
    /// Power cost for the month, USD; `None` without efficiency and power price.
    pub power_cost: Option<Decimal>,
    /// Other opex for the month, USD.
    pub other_opex: Decimal,
    /// `revenue − power_cost − other_opex`, USD; `None` without power cost.
    pub margin: Option<Decimal>,
    /// Bitcoin mined from month 1 to this month.
    pub cumulative_btc: Decimal,
}

/// A monthly projection and its totals.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    /// One row per month.
    pub months: Vec<ProjectionMonth>,
    /// Bitcoin mined over the horizon.
    pub total_btc: Decimal,
    /// Revenue over the horizon, USD.
    pub total_revenue: Decimal,
    /// Power cost over the horizon, USD.
    pub total_power_cost: Option<Decimal>,
    /// Margin over the horizon, USD.
    pub total_margin: Option<Decimal>,
}

/// A path given as a list must have one entry per month.
fn check_path_len(len: usize, months: u32, field: &str) -> Result<()> {
    let cap = MAX_PROJECTION_MONTHS as usize;
    if len > cap {
        return Err(CoreError::invalid(field, ValueError::TooLong { len, cap }));
    }
    if len != months as usize {
        return Err(CoreError::Inconsistent {
            field: field.into(),
            reason: "must have exactly one entry per month",
        });
    }
    Ok(())
}

/// `start + n` calendar months.
fn add_months(start: NaiveDate, n: u32) -> Result<NaiveDate> {
    start
        .checked_add_months(Months::new(n))
        .ok_or(CoreError::Overflow {
            quantity: "month dates",
        })
}

/// A monthly projection of bitcoin mined, revenue, power cost and margin.
///
/// # Months
/// Month `m` (1-based) runs from `start_date + (m − 1)` calendar months to
/// `start_date + m` calendar months, so its length is that of the calendar
/// month (28 to 31 days; from a 31st, short months end on their last day).
///
/// # Formula
/// For each month, with `network_m`, `fleet_m` and `price_m` held for the
/// whole month:
/// ```text
/// fleet_m      = fleet_hashrate_ehs + Σ_{k ≤ m} fleet_additions_ehs[k]
/// btc_m        = fleet_m / network_m × 144 × (∫ subsidy dt + fees × days) × uptime × (1 − pool_fee)
/// revenue_m    = btc_m × price_m
/// power_cost_m = J/TH × fleet_m × 24 × days × uptime × $/MWh
/// margin_m     = revenue_m − power_cost_m − other_opex_per_day × days
/// ```
/// The subsidy integral splits a month at a halving: with a height `h₀` on
/// the start date, halving `k` falls `(210,000·k − h₀) / 144` days later.
///
/// # Errors
/// [`CoreError::Inconsistent`] when a path's length is not the number of
/// months, or when the fleet exceeds the network or turns negative in some
/// month; [`CoreError::DateOrder`] for a halving date before the start.
pub fn projection(input: &ProjectionInput) -> Result<Projection> {
    let months = input.months.get();
    if input.fleet_additions_ehs.len() > months as usize {
        return Err(CoreError::invalid(
            "fleet_additions_ehs",
            ValueError::TooLong {
                len: input.fleet_additions_ehs.len(),
                cap: months as usize,
            },
        ));
    }
    if input.power_price_per_mwh.is_some() && input.efficiency.is_none() {
        return Err(CoreError::MissingDependency {
            field: "power_price_per_mwh",
            requires: "efficiency_j_per_th",
        });
    }
    match &input.network {
        NetworkPath::Hashrates(p) => check_path_len(p.len(), months, "network_hashrate_path_ehs")?,
        NetworkPath::Difficulties(p) => check_path_len(p.len(), months, "difficulty_path")?,
        NetworkPath::Growth { .. } => {}
    }
    if let PricePath::List(p) = &input.btc_price {
        check_path_len(p.len(), months, "btc_price_path")?;
    }

    let end = add_months(input.start_date, months)?;
    let horizon_days = Decimal::from((end - input.start_date).num_days());
    let subsidy = SubsidyCurve::new(&input.halving, input.start_date, horizon_days)?;
    let fees = input.fees_per_block.get();
    let keep = blocks_per_day()
        .mul_or(input.uptime.get(), "btc_mined")?
        .mul_or(
            Decimal::ONE.sub_or(input.pool_fee.get(), "btc_mined")?,
            "btc_mined",
        )?;
    let power_per_ehs_day = match (input.efficiency, input.power_price_per_mwh) {
        // J/TH × EH/s = MW; × 24 h × uptime × $/MWh = $ per EH/s per day.
        (Some(e), Some(p)) => Some(
            e.get()
                .mul_or(hours_per_day(), "power_cost")?
                .mul_or(input.uptime.get(), "power_cost")?
                .mul_or(p.get(), "power_cost")?,
        ),
        _ => None,
    };
    let other_per_day = input
        .other_opex_per_day
        .map(Usd::get)
        .unwrap_or(Decimal::ZERO);

    let mut rows = Vec::with_capacity(months as usize);
    let mut fleet = input.fleet.ehs();
    let mut last_addition: Option<usize> = None;
    let mut network_level: Option<Decimal> = None;
    let mut price_level: Option<Decimal> = None;
    let mut cumulative = Decimal::ZERO;
    let mut total_revenue = Decimal::ZERO;
    let mut total_power = Decimal::ZERO;
    let mut total_other = Decimal::ZERO;
    let mut month_start = input.start_date;

    for m in 0..months {
        let idx = m as usize;
        let month_end = add_months(input.start_date, m + 1)?;
        let days = (month_end - month_start).num_days();
        let from = Decimal::from((month_start - input.start_date).num_days());
        let to = from.add_or(Decimal::from(days), "month days")?;

        let network = match &input.network {
            NetworkPath::Growth {
                initial,
                monthly_growth,
            } => {
                let level = match network_level {
                    None => initial
                        .hashrate(match initial {
                            Network::Hashrate(_) => "network_hashrate_ehs",
                            Network::Difficulty(_) => "difficulty",
                        })?
                        .ehs(),
                    Some(prev) => prev.mul_or(monthly_growth.factor()?, "network hashrate path")?,
                };
                network_level = Some(level);
                level
            }
            NetworkPath::Hashrates(p) => p.get(idx).map_or(Decimal::ZERO, |h| h.ehs()),
            NetworkPath::Difficulties(p) => match p.get(idx) {
                Some(d) => Hashrate::new(d.hashrate_ehs()?)
                    .at(format!("difficulty_path[{idx}]"))?
                    .ehs(),
                None => Decimal::ZERO,
            },
        };
        let price = match &input.btc_price {
            PricePath::Flat(p) => p.get(),
            PricePath::Growth {
                initial,
                monthly_growth,
            } => {
                let level = match price_level {
                    None => initial.get(),
                    Some(prev) => prev.mul_or(monthly_growth.factor()?, "btc price path")?,
                };
                price_level = Some(level);
                level
            }
            PricePath::List(p) => p.get(idx).map_or(Decimal::ZERO, |p| p.get()),
        };

        if let Some(add) = input.fleet_additions_ehs.get(idx) {
            fleet = fleet.add_or(*add, "fleet hashrate path")?;
            if !add.is_zero() {
                last_addition = Some(idx);
            }
        }
        // Blame the latest addition that changed the fleet, else the fleet itself.
        let fleet_field = last_addition.map_or_else(
            || "fleet_hashrate_ehs".to_string(),
            |i| format!("fleet_additions_ehs[{i}]"),
        );
        if fleet < Decimal::ZERO {
            return Err(CoreError::Inconsistent {
                field: fleet_field,
                reason: "the additions turn the fleet hashrate negative",
            });
        }
        let network_h = Hashrate::new(network).at("network_hashrate_ehs")?;
        let share = fleet_share(fleet, network_h, &fleet_field)?;

        let reward_days = subsidy
            .integral(from, to)?
            .add_or(fees.mul_or(Decimal::from(days), "btc_mined")?, "btc_mined")?;
        let btc = share
            .mul_or(keep, "btc_mined")?
            .mul_or(reward_days, "btc_mined")?;
        cumulative = cumulative.add_or(btc, "cumulative_btc")?;
        let revenue = btc.mul_or(price, "revenue")?;
        total_revenue = total_revenue.add_or(revenue, "total_revenue")?;
        let other = other_per_day.mul_or(Decimal::from(days), "other_opex")?;
        total_other = total_other.add_or(other, "other_opex")?;
        let power_cost = power_per_ehs_day
            .map(|c| {
                c.mul_or(fleet, "power_cost")?
                    .mul_or(Decimal::from(days), "power_cost")
            })
            .transpose()?;
        let margin = power_cost
            .map(|c| revenue.sub_or(c, "margin")?.sub_or(other, "margin"))
            .transpose()?;
        if let Some(c) = power_cost {
            total_power = total_power.add_or(c, "total_power_cost")?;
        }

        rows.push(ProjectionMonth {
            month: m + 1,
            start_date: month_start,
            days: u32::try_from(days).unwrap_or(0),
            network_hashrate_ehs: network,
            fleet_hashrate_ehs: fleet,
            block_subsidy_btc: subsidy.at(from),
            halving_in_month: subsidy.changes_within(from, to),
            btc_mined: btc,
            btc_price: price,
            revenue,
            power_cost,
            other_opex: other,
            margin,
            cumulative_btc: cumulative,
        });
        month_start = month_end;
    }

    let (total_power_cost, total_margin) = if power_per_ehs_day.is_some() {
        let margin = total_revenue
            .sub_or(total_power, "total_margin")?
            .sub_or(total_other, "total_margin")?;
        (Some(total_power), Some(margin))
    } else {
        (None, None)
    };
    Ok(Projection {
        months: rows,
        total_btc: cumulative,
        total_revenue,
        total_power_cost,
        total_margin,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    use approx::{abs_diff_eq, assert_relative_eq};

    use super::*;
    use crate::mining::tests::{close, date, hashrate, projection_input, round_numbers};
    use crate::mining::{production, Fleet, ProductionInput, Subsidy};
    use crate::tolerance::{Exact, BTC_ABS, REPORTED_PRODUCTION_REL};

    #[test]
    fn a_december_2025_month_at_1070_ehs_is_near_the_622_btc_cleanspark_reported() {
        // Network 1,070 EH/s held flat, height 927,000 (subsidy 3.125, next halving
        // 123,000 blocks ≈ 854 days away), fees 0.03 BTC, full uptime, no pool fee.
        // 31 days × 50 / 1,070 × 144 × 3.155 = 31 × 21.2299 ≈ 658.1 BTC, within 10% of 622.
        let input = ProjectionInput {
            network: NetworkPath::Growth {
                initial: Network::Hashrate(hashrate(dec!(1070))),
                monthly_growth: MonthlyGrowth::new(Decimal::ZERO).unwrap(),
            },
            halving: HalvingSchedule::FromHeight {
                start_height: 927_000,
            },
            fees_per_block: Btc::new(dec!(0.03)).unwrap(),
            ..projection_input()
        };
        let out = projection(&input).unwrap();
        let dec_row = &out.months[0];
        assert_eq!(dec_row.days, 31);
        assert!(close(
            dec_row.btc_mined,
            dec!(31) * dec!(22716) / dec!(1070)
        ));
        assert_relative_eq!(
            Exact(dec_row.btc_mined),
            Exact(dec!(622)),
            max_relative = REPORTED_PRODUCTION_REL
        );
    }

    #[test]
    fn a_halving_inside_a_month_splits_its_subsidy() {
        // Height 1,050,000 − 1,512 on 2028-01-01: the halving comes 1,512 / 144 = 10.5 days in.
        // January: 0.05 × 144 × (3.125 × 10.5 + 1.5625 × 20.5) = 7.2 × 64.84375 = 466.875 BTC.
        // February 2028 (29 days): 7.2 × 1.5625 × 29 = 326.25 BTC; cumulative 793.125.
        let input = ProjectionInput {
            start_date: date(2028, 1, 1),
            months: ProjectionMonths::new(2).unwrap(),
            halving: HalvingSchedule::FromHeight {
                start_height: 1_050_000 - 1_512,
            },
            ..projection_input()
        };
        let out = projection(&input).unwrap();
        assert_eq!(out.months[0].btc_mined, dec!(466.875));
        assert!(out.months[0].halving_in_month);
        assert_eq!(out.months[0].block_subsidy_btc, dec!(3.125));
        assert_eq!(out.months[1].days, 29);
        assert_eq!(out.months[1].btc_mined, dec!(326.25));
        assert!(!out.months[1].halving_in_month);
        assert_eq!(out.months[1].block_subsidy_btc, dec!(1.5625));
        assert_eq!(out.total_btc, dec!(793.125));
    }

    #[test]
    fn a_halving_date_splits_the_month_at_that_day() {
        // April 2028, halving on the 15th (day 14 from the 1st): 0.05 × 144 ×
        // (3.125 × 14 + 1.5625 × 16) = 7.2 × 68.75 = 495 BTC.
        let input = ProjectionInput {
            start_date: date(2028, 4, 1),
            halving: HalvingSchedule::OnDate {
                subsidy: Btc::subsidy(dec!(3.125)).unwrap(),
                next_halving: date(2028, 4, 15),
            },
            ..projection_input()
        };
        assert_eq!(projection(&input).unwrap().total_btc, dec!(495));
    }

    #[test]
    fn a_halving_date_before_the_start_is_refused() {
        let input = ProjectionInput {
            halving: HalvingSchedule::OnDate {
                subsidy: Btc::subsidy(dec!(3.125)).unwrap(),
                next_halving: date(2025, 11, 30),
            },
            ..projection_input()
        };
        assert_eq!(
            projection(&input).unwrap_err().field(),
            Some("next_halving_date")
        );
    }

    #[test]
    fn months_are_calendar_months_from_the_start_date() {
        // From 2025-01-31: to 2025-02-28 (28 days), to 2025-03-31 (31), to 2025-04-30 (30).
        let input = ProjectionInput {
            start_date: date(2025, 1, 31),
            months: ProjectionMonths::new(3).unwrap(),
            ..projection_input()
        };
        let out = projection(&input).unwrap();
        let days: Vec<u32> = out.months.iter().map(|m| m.days).collect();
        assert_eq!(days, vec![28, 31, 30]);
        assert_eq!(out.months[1].start_date, date(2025, 2, 28));
        // 89 days × 7.2 × 3.125 = 2,002.5 BTC.
        assert_eq!(out.total_btc, dec!(2002.5));
    }

    #[test]
    fn growth_additions_and_costs_follow_the_closed_form() {
        // Month 1 (Dec 2025, 31 d): network 1,000, fleet 50 + 10 = 60, price 100,000.
        //   btc = 60/1,000 × 144 × 3.125 × 31 = 837; revenue $83,700,000.
        //   power = 20 J/TH × 60 EH/s = 1,200 MW × 24 × 31 × $50 = $44,640,000.
        //   other opex 100,000 × 31 = $3,100,000; margin 83.7M − 44.64M − 3.1M = $35,960,000.
        // Month 2 (Jan 2026, 31 d): network 1,250 (+25%), fleet 60 − 10 = 50, price 110,000.
        //   btc = 50/1,250 × 144 × 3.125 × 31 = 558; revenue $61,380,000.
        //   power = 1,000 MW × 24 × 31 × 50 = $37,200,000; margin 61.38M − 37.2M − 3.1M = $21,080,000.
        let input = ProjectionInput {
            months: ProjectionMonths::new(2).unwrap(),
            network: NetworkPath::Growth {
                initial: Network::Hashrate(hashrate(dec!(1000))),
                monthly_growth: MonthlyGrowth::new(dec!(0.25)).unwrap(),
            },
            fleet_additions_ehs: vec![dec!(10), dec!(-10)],
            btc_price: PricePath::Growth {
                initial: Price::new(dec!(100000)).unwrap(),
                monthly_growth: MonthlyGrowth::new(dec!(0.1)).unwrap(),
            },
            efficiency: Some(JoulesPerTerahash::new(dec!(20)).unwrap()),
            power_price_per_mwh: Some(Usd::new(dec!(50)).unwrap()),
            other_opex_per_day: Some(Usd::new(dec!(100000)).unwrap()),
            ..projection_input()
        };
        let out = projection(&input).unwrap();
        let (m1, m2) = (&out.months[0], &out.months[1]);
        assert_eq!(m1.fleet_hashrate_ehs, dec!(60));
        assert_eq!(m1.btc_mined, dec!(837));
        assert_eq!(m1.revenue, dec!(83700000));
        assert_eq!(m1.power_cost, Some(dec!(44640000)));
        assert_eq!(m1.margin, Some(dec!(35960000)));
        assert_eq!(m2.network_hashrate_ehs, dec!(1250));
        assert_eq!(m2.btc_mined, dec!(558));
        assert_eq!(m2.btc_price, dec!(110000));
        assert_eq!(m2.margin, Some(dec!(21080000)));
        assert_eq!(m2.cumulative_btc, dec!(1395));
        assert_eq!(out.total_margin, Some(dec!(57040000)));
    }

    #[test]
    fn a_difficulty_path_sets_each_month_s_network() {
        // 150e12 → 1,073.741824 EH/s; 300e12 → 2,147.483648 EH/s.
        let input = ProjectionInput {
            months: ProjectionMonths::new(2).unwrap(),
            network: NetworkPath::Difficulties(vec![
                Difficulty::new(dec!(150_000_000_000_000)).unwrap(),
                Difficulty::new(dec!(300_000_000_000_000)).unwrap(),
            ]),
            ..projection_input()
        };
        let out = projection(&input).unwrap();
        assert_eq!(out.months[1].network_hashrate_ehs, dec!(2147.483648));
    }

    #[test]
    fn a_path_of_the_wrong_length_is_refused_naming_it() {
        let input = ProjectionInput {
            months: ProjectionMonths::new(3).unwrap(),
            btc_price: PricePath::List(vec![Price::new(dec!(1)).unwrap()]),
            ..projection_input()
        };
        assert_eq!(
            projection(&input).unwrap_err().field(),
            Some("btc_price_path")
        );
    }

    #[test]
    fn more_than_120_months_are_refused() {
        assert!(ProjectionMonths::new(120).is_ok());
        assert_eq!(
            ProjectionMonths::new(121),
            Err(ValueError::AboveMaximum {
                bound: 120.0,
                value: 121.0
            })
        );
        assert!(ProjectionMonths::new(0).is_err());
    }

    #[test]
    fn a_fleet_outgrowing_the_network_names_the_addition() {
        let input = ProjectionInput {
            months: ProjectionMonths::new(2).unwrap(),
            fleet_additions_ehs: vec![dec!(0), dec!(951)],
            ..projection_input()
        };
        assert_eq!(
            projection(&input).unwrap_err().field(),
            Some("fleet_additions_ehs[1]")
        );
    }

    #[test]
    fn a_fleet_already_larger_than_the_network_names_the_fleet_not_an_addition() {
        let input = ProjectionInput {
            fleet: hashrate(dec!(1001)),
            months: ProjectionMonths::new(2).unwrap(),
            fleet_additions_ehs: vec![dec!(0), dec!(5)],
            ..projection_input()
        };
        assert_eq!(
            projection(&input).unwrap_err().field(),
            Some("fleet_hashrate_ehs")
        );
    }

    #[test]
    fn ten_years_from_a_huge_height_run_without_overflow() {
        let input = ProjectionInput {
            months: ProjectionMonths::new(120).unwrap(),
            halving: HalvingSchedule::FromHeight {
                start_height: u64::MAX - 5,
            },
            ..projection_input()
        };
        let out = projection(&input).unwrap();
        assert_eq!(out.total_btc, Decimal::ZERO);
        assert_eq!(out.months.len(), 120);
    }

    #[test]
    fn ten_years_from_2025_pass_three_halvings() {
        // From height 927,000 on 2025-12-01 the halvings at 1,050,000, 1,260,000 and
        // 1,470,000 fall 854.2, 2,312.5 and 3,770.8 days in; ten years are 3,653 days,
        // so two of them are inside.
        let input = ProjectionInput {
            months: ProjectionMonths::new(120).unwrap(),
            halving: HalvingSchedule::FromHeight {
                start_height: 927_000,
            },
            ..projection_input()
        };
        let out = projection(&input).unwrap();
        let halvings = out.months.iter().filter(|m| m.halving_in_month).count();
        assert_eq!(halvings, 2);
        assert_eq!(out.months[119].block_subsidy_btc, dec!(0.78125));
    }

    proptest! {
        #[test]
        fn a_constant_projection_mines_production_per_day_times_its_days(
            fleet_ph in 1u64..1_000_000,
            fees_sats in 0u64..100_000_000,
            uptime_pct in 0u64..=100,
            months in 1u32..=24,
        ) {
            // Far from a halving (height 927,000 leaves 854 days), so the subsidy is constant.
            let fleet = hashrate(Decimal::from(fleet_ph) / dec!(1000));
            let fees = Btc::new(Decimal::new(i64::try_from(fees_sats).unwrap(), 8)).unwrap();
            let uptime = Fraction::new(Decimal::from(uptime_pct) / dec!(100)).unwrap();
            let daily = production(&ProductionInput {
                fleet: Fleet::new(fleet, None).unwrap(),
                subsidy: Subsidy::FromHeight(927_000),
                fees_per_block: fees,
                uptime,
                ..round_numbers()
            })
            .unwrap()
            .btc_per_day;
            let out = projection(&ProjectionInput {
                months: ProjectionMonths::new(months).unwrap(),
                fleet,
                halving: HalvingSchedule::FromHeight { start_height: 927_000 },
                fees_per_block: fees,
                uptime,
                ..projection_input()
            })
            .unwrap();
            let days: u32 = out.months.iter().map(|m| m.days).sum();
            let expected = daily * Decimal::from(days);
            prop_assert!(abs_diff_eq!(Exact(out.total_btc), Exact(expected), epsilon = BTC_ABS), "{} vs {expected}", out.total_btc);
        }
    }
}
