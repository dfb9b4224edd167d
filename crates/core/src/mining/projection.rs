//! A monthly projection of bitcoin mined, revenue, power cost and margin
//! along paths of the network, the fleet, the subsidy and the price.

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

use super::clock::{Clock, DifficultyRule};
use super::cohort::{cohort_field, depreciation_between};
use super::power::{dispatch, Period, Unit};
use super::production::{fleet_share, ratio};
use super::{
    ph_per_eh, Cohorts, Difficulty, FeeSchedule, HalvingSchedule, Hashrate, JoulesPerTerahash,
    Network, PowerTerms, SiteCosts,
};
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
        num::within(
            Decimal::from(months),
            Decimal::ONE,
            Decimal::from(MAX_PROJECTION_MONTHS),
        )
        .map(|_| ProjectionMonths(months))
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

/// A projection's fleet.
#[derive(Debug, Clone, PartialEq)]
pub enum ProjectionFleet {
    /// One fleet, today's form and the one-cohort shorthand.
    Single {
        /// Hashrate in month 1, before its additions (field
        /// `fleet_hashrate_ehs`).
        fleet: Hashrate,
        /// Hashrate added at the start of each month, EH/s, month 1 first;
        /// negative for retirements; at most one per month.
        additions_ehs: Vec<Decimal>,
        /// Efficiency, J/TH; with a power price, enables power cost.
        efficiency: Option<JoulesPerTerahash>,
    },
    /// Cohorts (field `cohorts`), each hashing from its purchase date.
    Cohorts(Cohorts),
}

/// The market power price month by month, USD per MWh.
#[derive(Debug, Clone, PartialEq)]
pub enum PowerPricePath {
    /// The same every month (field `power_price_per_mwh`).
    Flat(Usd),
    /// One per month (field `power_price_path_per_mwh`).
    List(Vec<Usd>),
}

/// One month of a hashprice forward curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HashpriceForward {
    /// The forward hashprice, USD per PH/s per day.
    pub usd_per_ph_day: Usd,
    /// Share of the fleet's hashrate sold forward at it.
    pub hedged_fraction: Fraction,
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
    /// The fleet.
    pub fleet: ProjectionFleet,
    /// The halving schedule.
    pub halving: HalvingSchedule,
    /// Transaction fees.
    pub fees: FeeSchedule,
    /// Share of the time the fleet hashes.
    pub uptime: Fraction,
    /// Share of the reward the pool keeps.
    pub pool_fee: Fraction,
    /// The BTC price path.
    pub btc_price: PricePath,
    /// The market power price; requires an efficiency.
    pub power_price_per_mwh: Option<PowerPricePath>,
    /// Price profile, contract, credits and shut-off.
    pub power: PowerTerms,
    /// Other costs, per day.
    pub costs: SiteCosts,
    /// A hashprice forward curve from month 1, at most one entry per month;
    /// months after it are unhedged.
    pub hashprice_forward: Vec<HashpriceForward>,
}

/// One cohort in one month, unrounded.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionCohortMonth {
    /// Its hashrate in service in the month, EH/s (zero before its
    /// purchase).
    pub hashrate_ehs: Decimal,
    /// Bitcoin it mined.
    pub btc_mined: Decimal,
    /// Power cost charged to it, USD.
    pub power_cost: Option<Decimal>,
    /// Depreciation of its machines, USD.
    pub depreciation: Decimal,
    /// Hours it was switched off.
    pub curtailed_hours: Decimal,
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
    /// The difficulty on the month's first day.
    pub difficulty: Decimal,
    /// Blocks the network is expected to find in the month.
    pub blocks: Decimal,
    /// `blocks / days`.
    pub blocks_per_day: Decimal,
    /// Fleet hashrate in service in the month, EH/s.
    pub fleet_hashrate_ehs: Decimal,
    /// Subsidy on the month's first day, BTC.
    pub block_subsidy_btc: Decimal,
    /// Whether a halving falls in the month.
    pub halving_in_month: bool,
    /// Bitcoin mined in the month.
    pub btc_mined: Decimal,
    /// BTC price used for the month, USD.
    pub btc_price: Decimal,
    /// Gross hashprice of the month, USD per PH/s per day.
    pub hashprice_usd_per_ph_day: Decimal,
    /// `btc_mined × btc_price`, USD.
    pub revenue: Decimal,
    /// Contracted power sold back, USD.
    pub power_sold_back: Decimal,
    /// Demand-response credits, USD.
    pub demand_response_credits: Decimal,
    /// What the hashprice forward paid (negative when it cost), USD.
    pub hedge_settlement: Decimal,
    /// Power cost for the month, USD; `None` without efficiency and power price.
    pub power_cost: Option<Decimal>,
    /// Other opex for the month, USD.
    pub other_opex: Decimal,
    /// Revenue plus credits and hedge minus power cost and other opex, USD;
    /// `None` without power cost.
    pub margin: Option<Decimal>,
    /// Depreciation of machines and infrastructure, USD.
    pub depreciation: Decimal,
    /// Stock-based compensation, USD.
    pub stock_compensation: Decimal,
    /// (Power cost + other opex) per BTC, USD.
    pub cash_cost_per_btc: Option<Decimal>,
    /// Cash cost plus depreciation and stock compensation per BTC, USD.
    pub all_in_cost_per_btc: Option<Decimal>,
    /// Hours the fleet was switched off, weighted by hashrate.
    pub curtailed_hours: Decimal,
    /// Bitcoin mined from month 1 to this month.
    pub cumulative_btc: Decimal,
    /// One per cohort (one for a single fleet).
    pub cohorts: Vec<ProjectionCohortMonth>,
}

/// One cohort over the whole projection, unrounded.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionCohort {
    /// Bitcoin it mined.
    pub btc_mined: Decimal,
    /// Bitcoin per day in service.
    pub btc_per_day: Decimal,
    /// Power cost charged to it, USD.
    pub power_cost: Option<Decimal>,
    /// Depreciation of its machines, USD.
    pub depreciation: Decimal,
    /// (Its power + its share of other opex) per BTC, USD.
    pub cash_cost_per_btc: Option<Decimal>,
    /// Cash cost plus its depreciation and its share of the site's
    /// depreciation and stock compensation, per BTC, USD.
    pub all_in_cost_per_btc: Option<Decimal>,
    /// Hours it was switched off.
    pub curtailed_hours: Decimal,
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
    /// Contracted power sold back over the horizon, USD.
    pub total_power_sold_back: Decimal,
    /// Demand-response credits over the horizon, USD.
    pub total_demand_response_credits: Decimal,
    /// Hedge settlements over the horizon, USD.
    pub total_hedge_settlement: Decimal,
    /// Depreciation over the horizon, USD.
    pub total_depreciation: Decimal,
    /// Bitcoin per day over the horizon.
    pub btc_per_day: Decimal,
    /// (Power cost + other opex) per BTC over the horizon, USD.
    pub cash_cost_per_btc: Option<Decimal>,
    /// Cash cost plus depreciation and stock compensation per BTC, USD.
    pub all_in_cost_per_btc: Option<Decimal>,
    /// Hours the fleet was switched off over the horizon, weighted by
    /// hashrate.
    pub curtailed_hours: Decimal,
    /// One per cohort.
    pub cohorts: Vec<ProjectionCohort>,
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

/// A level that is given, or compounds by a monthly growth.
fn level(
    previous: Option<Decimal>,
    initial: Decimal,
    growth: MonthlyGrowth,
    quantity: &'static str,
) -> Result<Decimal> {
    match previous {
        None => Ok(initial),
        Some(prev) => prev.mul_or(growth.factor()?, quantity),
    }
}

/// The network hashrate of every month, EH/s, and how its difficulty
/// follows it.
fn network_levels(network: &NetworkPath, months: u32) -> Result<(Vec<Decimal>, DifficultyRule)> {
    let mut out = Vec::with_capacity(months as usize);
    match network {
        NetworkPath::Growth {
            initial,
            monthly_growth,
        } => {
            let first = initial
                .hashrate(match initial {
                    Network::Hashrate(_) => "network_hashrate_ehs",
                    Network::Difficulty(_) => "difficulty",
                })?
                .ehs();
            let mut previous = None;
            for _ in 0..months {
                let v = level(previous, first, *monthly_growth, "network hashrate path")?;
                out.push(v);
                previous = Some(v);
            }
            Ok((out, DifficultyRule::Retarget))
        }
        NetworkPath::Hashrates(p) => Ok((
            p.iter().map(|h| h.ehs()).collect(),
            DifficultyRule::Retarget,
        )),
        NetworkPath::Difficulties(p) => {
            for (idx, d) in p.iter().enumerate() {
                out.push(
                    Hashrate::new(d.hashrate_ehs()?)
                        .at(format!("difficulty_path[{idx}]"))?
                        .ehs(),
                );
            }
            Ok((out, DifficultyRule::Given))
        }
    }
}

/// A cohort's place in the projection: when it starts hashing and when its
/// depreciation is dated from.
struct Placement {
    /// Days from the start at which it starts hashing (zero if before).
    from_day: Decimal,
    /// The date its useful life runs from.
    placed: NaiveDate,
}

/// Running totals of one cohort.
#[derive(Default)]
struct CohortTotals {
    btc: Decimal,
    days: Decimal,
    power: Option<Decimal>,
    depreciation: Decimal,
    cash: Option<Decimal>,
    non_cash: Decimal,
    curtailed_hours: Decimal,
}

/// A monthly projection of bitcoin mined, revenue, power cost and margin.
///
/// # Months
/// Month `m` (1-based) runs from `start_date + (m − 1)` calendar months to
/// `start_date + m` calendar months, so its length is that of the calendar
/// month (28 to 31 days; from a 31st, short months end on their last day).
///
/// # Formula
/// The network hashrate `H_m` is held for the whole month; the block clock
/// (see the `clock` module) runs the difficulty `D` behind it, retargeting
/// every 2,016 blocks, and counts halvings in blocks. For a cohort of
/// hashrate `h` hashing over the month's pieces (stretches of one
/// difficulty and one subsidy):
/// ```text
/// gross_btc    = Σ_pieces 144 × h × reward × days / D
/// btc          = gross_btc × uptime × (1 − pool_fee) × share of hours hashing
/// revenue_m    = btc_m × price_m
/// power_cost_m = J/TH × h × 24 × days × uptime × $/MWh     (see `power` for the rest)
/// margin_m     = revenue_m + sold back + demand response + hedge − power_cost_m − other_opex
/// hedge_m      = hedged_fraction × Σ h × days × 1,000 × (forward − hashprice_m)
/// hashprice_m  = Σ_pieces 144 × reward × days / D / (days_m × 1,000) × price_m
/// ```
/// With a network that does not grow, `D = H` and blocks come every
/// 10 minutes: 144 a day, as in a model without retargets.
///
/// # Errors
/// [`CoreError::Inconsistent`] when a path's length is not the number of
/// months, or when the fleet exceeds the network or turns negative in some
/// month; [`CoreError::DateOrder`] for a halving date before the start;
/// [`CoreError::MissingDependency`] for power terms without what they need.
pub fn projection(input: &ProjectionInput) -> Result<Projection> {
    let months = input.months.get();
    let (has_efficiency, cohort_count) = match &input.fleet {
        ProjectionFleet::Single {
            additions_ehs,
            efficiency,
            ..
        } => {
            if additions_ehs.len() > months as usize {
                return Err(CoreError::invalid(
                    "fleet_additions_ehs",
                    ValueError::TooLong {
                        len: additions_ehs.len(),
                        cap: months as usize,
                    },
                ));
            }
            (efficiency.is_some(), 1)
        }
        ProjectionFleet::Cohorts(c) => (true, c.get().len()),
    };
    if input.power_price_per_mwh.is_some() && !has_efficiency {
        return Err(CoreError::missing_dependency(
            "power_price_per_mwh",
            "efficiency_j_per_th",
        ));
    }
    input
        .power
        .check(input.power_price_per_mwh.is_some(), true, has_efficiency)?;
    match &input.network {
        NetworkPath::Hashrates(p) => check_path_len(p.len(), months, "network_hashrate_path_ehs")?,
        NetworkPath::Difficulties(p) => check_path_len(p.len(), months, "difficulty_path")?,
        NetworkPath::Growth { .. } => {}
    }
    if let PricePath::List(p) = &input.btc_price {
        check_path_len(p.len(), months, "btc_price_path")?;
    }
    if let Some(PowerPricePath::List(p)) = &input.power_price_per_mwh {
        check_path_len(p.len(), months, "power_price_path_per_mwh")?;
    }
    if let Some((len, field)) = input.fees.path() {
        check_path_len(len, months, field)?;
    }
    if input.hashprice_forward.len() > months as usize {
        return Err(CoreError::invalid(
            "hashprice_forward",
            ValueError::TooLong {
                len: input.hashprice_forward.len(),
                cap: months as usize,
            },
        ));
    }

    let (network_path, rule) = network_levels(&input.network, months)?;
    let first_network = network_path.first().copied().unwrap_or(Decimal::ONE);
    let mut clock = Clock::new(rule, first_network, &input.halving, input.start_date)?;

    // Where each cohort starts hashing, and the breakpoints that makes.
    let placements: Vec<Placement> = match &input.fleet {
        ProjectionFleet::Single { .. } => vec![Placement {
            from_day: Decimal::ZERO,
            placed: input.start_date,
        }],
        ProjectionFleet::Cohorts(c) => c
            .get()
            .iter()
            .map(|c| {
                let placed = c.purchase_date.unwrap_or(input.start_date);
                Placement {
                    from_day: Decimal::from((placed - input.start_date).num_days().max(0)),
                    placed,
                }
            })
            .collect(),
    };
    let breakpoints: Vec<Decimal> = placements.iter().map(|p| p.from_day).collect();

    let power_price_at = |idx: usize| -> Option<Decimal> {
        match &input.power_price_per_mwh {
            None => None,
            Some(PowerPricePath::Flat(p)) => Some(p.get()),
            Some(PowerPricePath::List(p)) => p.get(idx).map(|p| p.get()),
        }
    };
    let costs = &input.costs;
    let per_day = |v: Option<Usd>| v.map_or(Decimal::ZERO, Usd::get);

    let mut rows = Vec::with_capacity(months as usize);
    let mut single_fleet = match &input.fleet {
        ProjectionFleet::Single { fleet, .. } => fleet.ehs(),
        ProjectionFleet::Cohorts(_) => Decimal::ZERO,
    };
    let mut last_addition: Option<usize> = None;
    let mut price_level: Option<Decimal> = None;
    let mut cumulative = Decimal::ZERO;
    let mut total_revenue = Decimal::ZERO;
    let mut total_power = Decimal::ZERO;
    let mut total_other = Decimal::ZERO;
    let mut total_sold_back = Decimal::ZERO;
    let mut total_dr = Decimal::ZERO;
    let mut total_hedge = Decimal::ZERO;
    let mut total_depreciation = Decimal::ZERO;
    let mut total_non_cash = Decimal::ZERO;
    let mut total_curtailed = Decimal::ZERO;
    let mut totals: Vec<CohortTotals> =
        (0..cohort_count).map(|_| CohortTotals::default()).collect();
    let mut month_start = input.start_date;

    for m in 0..months {
        let idx = m as usize;
        let month_end = add_months(input.start_date, m + 1)?;
        let days = (month_end - month_start).num_days();
        let days_d = Decimal::from(days);
        let from = Decimal::from((month_start - input.start_date).num_days());
        let to = from.add_or(days_d, "month days")?;
        let network = network_path.get(idx).copied().unwrap_or(Decimal::ZERO);
        let price = match &input.btc_price {
            PricePath::Flat(p) => p.get(),
            PricePath::Growth {
                initial,
                monthly_growth,
            } => {
                let v = level(
                    price_level,
                    initial.get(),
                    *monthly_growth,
                    "btc price path",
                )?;
                price_level = Some(v);
                v
            }
            PricePath::List(p) => p.get(idx).map_or(Decimal::ZERO, |p| p.get()),
        };
        let network_h = Hashrate::new(network).at("network_hashrate_ehs")?;
        let chain = clock.month(to, network, input.fees.at(idx), &breakpoints)?;

        // The month's units: each cohort's hashrate, power and bitcoin.
        let mut units = Vec::with_capacity(cohort_count);
        let mut month_depreciation = Vec::with_capacity(cohort_count);
        match &input.fleet {
            ProjectionFleet::Single {
                additions_ehs,
                efficiency,
                ..
            } => {
                if let Some(add) = additions_ehs.get(idx) {
                    single_fleet = single_fleet.add_or(*add, "fleet hashrate path")?;
                    if !add.is_zero() {
                        last_addition = Some(idx);
                    }
                }
                // Blame the latest addition that changed the fleet, else the fleet itself.
                let field = last_addition.map_or_else(
                    || "fleet_hashrate_ehs".to_string(),
                    |i| format!("fleet_additions_ehs[{i}]"),
                );
                if single_fleet < Decimal::ZERO {
                    return Err(CoreError::Inconsistent {
                        field,
                        reason: "the additions turn the fleet hashrate negative",
                    });
                }
                fleet_share(single_fleet, network_h, &field)?;
                units.push(Unit {
                    hashrate_ehs: single_fleet,
                    power_mw: efficiency
                        .map(|e| e.get().mul_or(single_fleet, "power_cost"))
                        .transpose()?,
                    gross_btc: single_fleet
                        .mul_or(chain.btc_per_ehs_from(Decimal::ZERO)?, "btc_mined")?,
                    days: days_d,
                });
                month_depreciation.push(Decimal::ZERO);
            }
            ProjectionFleet::Cohorts(cohorts) => {
                let mut in_service = Decimal::ZERO;
                for (i, (c, place)) in cohorts.get().iter().zip(&placements).enumerate() {
                    let starts = place.from_day.max(from);
                    let service = to.sub_or(starts, "days in service")?.max(Decimal::ZERO);
                    let h = if service.is_zero() {
                        Decimal::ZERO
                    } else {
                        c.hashrate.ehs()
                    };
                    in_service = in_service.add_or(h, "fleet hashrate")?;
                    if in_service > network {
                        return Err(CoreError::Inconsistent {
                            field: cohort_field(i, "hashrate_ehs"),
                            reason: "the cohorts in service exceed the network hashrate",
                        });
                    }
                    units.push(Unit {
                        hashrate_ehs: h,
                        power_mw: Some(c.efficiency.get().mul_or(h, "power_cost")?),
                        gross_btc: h.mul_or(chain.btc_per_ehs_from(starts)?, "btc_mined")?,
                        days: service,
                    });
                    month_depreciation.push(match &c.purchase {
                        Some(p) => depreciation_between(p, place.placed, month_start, month_end)?,
                        None => Decimal::ZERO,
                    });
                }
            }
        }

        let out = dispatch(
            &Period {
                days: days_d,
                uptime: input.uptime,
                pool_fee: input.pool_fee,
                btc_price: Some(price),
                power_price: power_price_at(idx),
                terms: &input.power,
            },
            &units,
        )?;

        let mut btc = Decimal::ZERO;
        let mut fleet_ehs = Decimal::ZERO;
        let mut hashrate_days = Decimal::ZERO;
        let mut curtailed = Decimal::ZERO;
        let mut machine_depreciation = Decimal::ZERO;
        for ((u, o), d) in units.iter().zip(&out.units).zip(&month_depreciation) {
            btc = btc.add_or(o.btc, "btc_mined")?;
            fleet_ehs = fleet_ehs.add_or(u.hashrate_ehs, "fleet hashrate")?;
            hashrate_days =
                hashrate_days.add_or(u.hashrate_ehs.mul_or(u.days, "hedge")?, "hedge")?;
            curtailed = curtailed.add_or(
                o.curtailed_hours.mul_or(o.weight, "curtailed_hours")?,
                "curtailed_hours",
            )?;
            machine_depreciation = machine_depreciation.add_or(*d, "depreciation")?;
        }
        cumulative = cumulative.add_or(btc, "cumulative_btc")?;
        let revenue = btc.mul_or(price, "revenue")?;
        total_revenue = total_revenue.add_or(revenue, "total_revenue")?;
        let other = per_day(costs.other_opex_per_day).mul_or(days_d, "other_opex")?;
        total_other = total_other.add_or(other, "other_opex")?;
        let infrastructure =
            per_day(costs.infrastructure_depreciation_per_day).mul_or(days_d, "depreciation")?;
        let stock =
            per_day(costs.stock_compensation_per_day).mul_or(days_d, "stock_compensation")?;
        let depreciation = machine_depreciation.add_or(infrastructure, "depreciation")?;
        total_depreciation = total_depreciation.add_or(depreciation, "total_depreciation")?;
        let non_cash = depreciation.add_or(stock, "all_in_cost_per_btc")?;
        total_non_cash = total_non_cash.add_or(non_cash, "all_in_cost_per_btc")?;
        total_curtailed = total_curtailed.add_or(curtailed, "curtailed_hours")?;

        let dr = out.demand_response.add_or(
            input
                .power
                .demand_response_per_month
                .map_or(Decimal::ZERO, Usd::get),
            "demand response",
        )?;
        total_dr = total_dr.add_or(dr, "demand response")?;
        total_sold_back = total_sold_back.add_or(out.power_sold_back, "power_sold_back")?;
        let btc_per_ehs = chain.btc_per_ehs_from(Decimal::ZERO)?;
        // BTC per EH/s over the month → USD per PH/s per day.
        let hashprice = btc_per_ehs
            .mul_or(price, "hashprice")?
            .div_or(days_d.mul_or(ph_per_eh(), "hashprice")?, "hashprice")?;
        let hedge = match input.hashprice_forward.get(idx) {
            Some(f) => f
                .hedged_fraction
                .get()
                .mul_or(hashrate_days, "hedge_settlement")?
                .mul_or(ph_per_eh(), "hedge_settlement")?
                .mul_or(
                    f.usd_per_ph_day
                        .get()
                        .sub_or(hashprice, "hedge_settlement")?,
                    "hedge_settlement",
                )?,
            None => Decimal::ZERO,
        };
        total_hedge = total_hedge.add_or(hedge, "hedge_settlement")?;
        let credits = out
            .power_sold_back
            .add_or(dr, "margin")?
            .add_or(hedge, "margin")?;
        let power_cost = out.power_cost;
        let cash = power_cost
            .map(|c| c.add_or(other, "cash_cost_per_btc"))
            .transpose()?;
        let margin = cash
            .map(|c| revenue.add_or(credits, "margin")?.sub_or(c, "margin"))
            .transpose()?;
        if let Some(c) = power_cost {
            total_power = total_power.add_or(c, "total_power_cost")?;
        }
        let all_in = cash
            .map(|c| c.add_or(non_cash, "all_in_cost_per_btc"))
            .transpose()?;

        let mut cohort_rows = Vec::with_capacity(cohort_count);
        for (((u, o), d), t) in units
            .iter()
            .zip(&out.units)
            .zip(&month_depreciation)
            .zip(totals.iter_mut())
        {
            t.btc = t.btc.add_or(o.btc, "btc_mined")?;
            if !u.hashrate_ehs.is_zero() {
                t.days = t.days.add_or(u.days, "days in service")?;
            }
            t.depreciation = t.depreciation.add_or(*d, "depreciation")?;
            t.curtailed_hours = t
                .curtailed_hours
                .add_or(o.curtailed_hours, "curtailed_hours")?;
            let shared_cash = other.mul_or(o.weight, "cash_cost_per_btc")?;
            let shared_non_cash = infrastructure
                .add_or(stock, "all_in_cost_per_btc")?
                .mul_or(o.weight, "all_in_cost_per_btc")?;
            t.non_cash = t.non_cash.add_or(
                d.add_or(shared_non_cash, "all_in_cost_per_btc")?,
                "all_in_cost_per_btc",
            )?;
            if let Some(c) = o.power_cost {
                t.power = Some(t.power.unwrap_or_default().add_or(c, "power_cost")?);
                t.cash = Some(t.cash.unwrap_or_default().add_or(
                    c.add_or(shared_cash, "cash_cost_per_btc")?,
                    "cash_cost_per_btc",
                )?);
            }
            cohort_rows.push(ProjectionCohortMonth {
                hashrate_ehs: u.hashrate_ehs,
                btc_mined: o.btc,
                power_cost: o.power_cost,
                depreciation: *d,
                curtailed_hours: o.curtailed_hours,
            });
        }

        rows.push(ProjectionMonth {
            month: m + 1,
            start_date: month_start,
            days: u32::try_from(days).unwrap_or(0),
            network_hashrate_ehs: network,
            difficulty: Difficulty::from_hashrate_ehs(chain.difficulty_ehs_at_start)?,
            blocks: chain.blocks,
            blocks_per_day: chain.blocks.div_or(days_d, "blocks_per_day")?,
            fleet_hashrate_ehs: fleet_ehs,
            block_subsidy_btc: chain.subsidy_at_start,
            halving_in_month: chain.halving_in_month,
            btc_mined: btc,
            btc_price: price,
            hashprice_usd_per_ph_day: hashprice,
            revenue,
            power_sold_back: out.power_sold_back,
            demand_response_credits: dr,
            hedge_settlement: hedge,
            power_cost,
            other_opex: other,
            margin,
            depreciation,
            stock_compensation: stock,
            cash_cost_per_btc: match cash {
                Some(c) => ratio(c, btc, "cash_cost_per_btc")?,
                None => None,
            },
            all_in_cost_per_btc: match all_in {
                Some(c) => ratio(c, btc, "all_in_cost_per_btc")?,
                None => None,
            },
            curtailed_hours: curtailed,
            cumulative_btc: cumulative,
            cohorts: cohort_rows,
        });
        month_start = month_end;
    }

    let horizon_days = Decimal::from((month_start - input.start_date).num_days());
    let powered = input.power_price_per_mwh.is_some() && has_efficiency;
    let (total_power_cost, total_margin, cash_total) = if powered {
        let margin = total_revenue
            .add_or(total_sold_back, "total_margin")?
            .add_or(total_dr, "total_margin")?
            .add_or(total_hedge, "total_margin")?
            .sub_or(total_power, "total_margin")?
            .sub_or(total_other, "total_margin")?;
        let cash = total_power.add_or(total_other, "cash_cost_per_btc")?;
        (Some(total_power), Some(margin), Some(cash))
    } else {
        (None, None, None)
    };
    let per_btc = |v: Option<Decimal>, btc: Decimal, q: &'static str| match v {
        Some(v) => ratio(v, btc, q),
        None => Ok(None),
    };
    let cohorts = totals
        .iter()
        .map(|t| {
            Ok(ProjectionCohort {
                btc_mined: t.btc,
                btc_per_day: ratio(t.btc, t.days, "btc_per_day")?.unwrap_or(Decimal::ZERO),
                power_cost: t.power,
                depreciation: t.depreciation,
                cash_cost_per_btc: per_btc(t.cash, t.btc, "cash_cost_per_btc")?,
                all_in_cost_per_btc: per_btc(
                    t.cash
                        .map(|c| c.add_or(t.non_cash, "all_in_cost_per_btc"))
                        .transpose()?,
                    t.btc,
                    "all_in_cost_per_btc",
                )?,
                curtailed_hours: t.curtailed_hours,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Projection {
        months: rows,
        total_btc: cumulative,
        total_revenue,
        total_power_cost,
        total_margin,
        total_power_sold_back: total_sold_back,
        total_demand_response_credits: total_dr,
        total_hedge_settlement: total_hedge,
        total_depreciation,
        btc_per_day: cumulative.div_or(horizon_days, "btc_per_day")?,
        cash_cost_per_btc: per_btc(cash_total, cumulative, "cash_cost_per_btc")?,
        all_in_cost_per_btc: per_btc(
            cash_total
                .map(|c| c.add_or(total_non_cash, "all_in_cost_per_btc"))
                .transpose()?,
            cumulative,
            "all_in_cost_per_btc",
        )?,
        curtailed_hours: total_curtailed,
        cohorts,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    use approx::{abs_diff_eq, assert_relative_eq};

    use super::*;
    use crate::mining::tests::{close, date, hashrate, projection_input, round_numbers};
    use crate::mining::{
        production, Btc, Cohort, Fee, FeeShare, Fleet, ProductionFleet, ProductionInput, Purchase,
        Shutoff, Subsidy, UsefulLife,
    };
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
            fees: FeeSchedule::Flat(Fee::PerBlock(Btc::new(dec!(0.03)).unwrap())),
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
        assert!(close(out.months[0].btc_mined, dec!(466.875)));
        assert!(out.months[0].halving_in_month);
        assert_eq!(out.months[0].block_subsidy_btc, dec!(3.125));
        assert_eq!(out.months[1].days, 29);
        assert!(close(out.months[1].btc_mined, dec!(326.25)));
        assert!(!out.months[1].halving_in_month);
        assert_eq!(out.months[1].block_subsidy_btc, dec!(1.5625));
        assert!(close(out.total_btc, dec!(793.125)));
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
        assert!(close(projection(&input).unwrap().total_btc, dec!(495)));
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
        assert!(close(out.total_btc, dec!(2002.5)));
    }

    #[test]
    fn additions_price_growth_and_costs_follow_the_closed_form() {
        // A network held at its difficulty (1,000 EH/s), so 144 blocks a day.
        // Month 1 (Dec 2025, 31 d): fleet 50 + 10 = 60, price 100,000.
        //   btc = 60/1,000 × 144 × 3.125 × 31 = 837; revenue $83,700,000.
        //   power = 20 J/TH × 60 EH/s = 1,200 MW × 24 × 31 × $50 = $44,640,000.
        //   other opex 100,000 × 31 = $3,100,000; margin 83.7M − 44.64M − 3.1M = $35,960,000.
        // Month 2 (Jan 2026, 31 d): fleet 60 − 10 = 50, price 110,000 (+10%).
        //   btc = 50/1,000 × 144 × 3.125 × 31 = 697.5; revenue $76,725,000.
        //   power = 1,000 MW × 24 × 31 × 50 = $37,200,000; margin 76.725M − 37.2M − 3.1M = $36,425,000.
        let input = ProjectionInput {
            months: ProjectionMonths::new(2).unwrap(),
            fleet: ProjectionFleet::Single {
                fleet: hashrate(dec!(50)),
                additions_ehs: vec![dec!(10), dec!(-10)],
                efficiency: Some(JoulesPerTerahash::new(dec!(20)).unwrap()),
            },
            btc_price: PricePath::Growth {
                initial: Price::new(dec!(100000)).unwrap(),
                monthly_growth: MonthlyGrowth::new(dec!(0.1)).unwrap(),
            },
            power_price_per_mwh: Some(PowerPricePath::Flat(Usd::new(dec!(50)).unwrap())),
            costs: SiteCosts {
                other_opex_per_day: Some(Usd::new(dec!(100000)).unwrap()),
                ..SiteCosts::default()
            },
            ..projection_input()
        };
        let out = projection(&input).unwrap();
        let (m1, m2) = (&out.months[0], &out.months[1]);
        assert_eq!(m1.fleet_hashrate_ehs, dec!(60));
        assert_eq!(m1.btc_mined, dec!(837));
        assert_eq!(m1.revenue, dec!(83700000));
        assert_eq!(m1.power_cost, Some(dec!(44640000)));
        assert_eq!(m1.margin, Some(dec!(35960000)));
        assert_eq!(m2.btc_mined, dec!(697.5));
        assert_eq!(m2.btc_price, dec!(110000));
        assert_eq!(m2.margin, Some(dec!(36425000)));
        assert_eq!(m2.cumulative_btc, dec!(1534.5));
        assert_eq!(out.total_margin, Some(dec!(72385000)));
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
            fleet: ProjectionFleet::Single {
                fleet: hashrate(dec!(50)),
                additions_ehs: vec![dec!(0), dec!(951)],
                efficiency: None,
            },
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
            fleet: ProjectionFleet::Single {
                fleet: hashrate(dec!(1001)),
                additions_ehs: vec![dec!(0), dec!(5)],
                efficiency: None,
            },
            months: ProjectionMonths::new(2).unwrap(),
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

    #[test]
    fn ten_percent_growth_between_retargets_mines_more_than_144_blocks_a_day() {
        // Network path 1,000 then 1,100 EH/s from 1 February 2026, no block height: the first
        // epoch starts on the start date. February (28 days) finds 28 × 144 = 4,032 blocks,
        // exactly two epochs, each retargeting to the 1,000 EH/s it averaged.
        // March: 1,100 EH/s against a difficulty tuned to 1,000 finds 144 × 1.1 = 158.4 blocks
        // a day, so the epoch's 2,016 blocks take 2,016 / 158.4 = 140/11 days. The retarget
        // then tunes the difficulty to 1,100 and the remaining 201/11 days find 144 a day.
        //   blocks = 2,016 + 144 × 201/11 = 51,120/11 = 4,647.27 (149.9 a day, not 144)
        //   50 EH/s mines 50/1,100 of them at 3.125 BTC:
        //   btc = 50/1,100 × 3.125 × 51,120/11 = 79,875/121 = 660.12 BTC
        // where 144 blocks a day would give 50/1,100 × 144 × 3.125 × 31 = 634.09.
        let input = ProjectionInput {
            start_date: date(2026, 2, 1),
            months: ProjectionMonths::new(2).unwrap(),
            network: NetworkPath::Hashrates(vec![hashrate(dec!(1000)), hashrate(dec!(1100))]),
            ..projection_input()
        };
        let out = projection(&input).unwrap();
        let (feb, march) = (&out.months[0], &out.months[1]);
        assert_eq!(feb.blocks, dec!(4032));
        assert!(close(feb.btc_mined, dec!(630)));
        assert!(close(march.blocks, dec!(51120) / dec!(11)));
        assert!(march.blocks_per_day > dec!(144));
        assert!(close(march.btc_mined, dec!(79875) / dec!(121)));
        assert!(march.btc_mined > dec!(634.09));
        // The difficulty on 1 March is still the one tuned to 1,000 EH/s:
        // 1,000 × 600 × 1e18 / 2^32 = 139,698,386,192,321.77734375.
        assert_eq!(march.difficulty, dec!(139698386192321.77734375));
    }

    #[test]
    fn a_difficulty_path_is_taken_as_given_so_blocks_come_every_ten_minutes() {
        // 300e12 is 2,147.483648 EH/s; with the difficulty given there is no lag:
        // 31 × 144 = 4,464 blocks in December.
        let input = ProjectionInput {
            network: NetworkPath::Difficulties(vec![
                Difficulty::new(dec!(300_000_000_000_000)).unwrap()
            ]),
            ..projection_input()
        };
        let out = projection(&input).unwrap();
        assert_eq!(out.months[0].blocks, dec!(4464));
        assert_eq!(out.months[0].difficulty, dec!(300_000_000_000_000));
    }

    /// 10 EH/s at 20 J/TH and 10 EH/s at 40 J/TH on a 1,000 EH/s network held at its
    /// difficulty, 3.125 BTC a block, $100,000: each EH/s earns 144 × 3.125 / 1,000 =
    /// 0.45 BTC a day, $45 per PH/s per day.
    fn two_cohorts(purchase_b: Option<NaiveDate>) -> ProjectionFleet {
        let cohort = |e, purchase_date| Cohort {
            hashrate: hashrate(dec!(10)),
            efficiency: JoulesPerTerahash::new(e).unwrap(),
            purchase_date,
            purchase: None,
        };
        ProjectionFleet::Cohorts(
            Cohorts::new(vec![cohort(dec!(20), None), cohort(dec!(40), purchase_b)]).unwrap(),
        )
    }

    #[test]
    fn a_cohort_whose_hashcost_exceeds_hashprice_mines_nothing_that_month() {
        // April 2026 (30 days) at $50/MWh: 40 J/TH costs 40 × 50 × 24 / 1,000 = $48 per PH/s
        // per day > $45: off all 720 hours; 20 J/TH costs $24: on, 10 × 0.45 × 30 = 135 BTC,
        // power 200 MW × 720 h × $50 = $7,200,000.
        // May (31 days) at $40: 40 J/TH costs $38.40 ≤ $45: both on, 10 × 0.45 × 31 = 139.5
        // BTC each; power 200 × 744 × 40 = $5,952,000 and 400 × 744 × 40 = $11,904,000.
        // Curtailed: 720 hours for the 40 J/TH cohort, 0 for the other; the fleet, weighting
        // by hashrate, 720 × 10/20 = 360 in April and 0 in May.
        let input = ProjectionInput {
            start_date: date(2026, 4, 1),
            months: ProjectionMonths::new(2).unwrap(),
            fleet: two_cohorts(None),
            power_price_per_mwh: Some(PowerPricePath::List(vec![
                Usd::new(dec!(50)).unwrap(),
                Usd::new(dec!(40)).unwrap(),
            ])),
            power: PowerTerms {
                shutoff: Shutoff::Economic,
                ..PowerTerms::default()
            },
            ..projection_input()
        };
        let out = projection(&input).unwrap();
        let (april, may) = (&out.months[0], &out.months[1]);
        assert_eq!(april.cohorts[1].btc_mined, Decimal::ZERO);
        assert_eq!(april.cohorts[1].power_cost, Some(Decimal::ZERO));
        assert_eq!(april.cohorts[1].curtailed_hours, dec!(720));
        assert_eq!(april.cohorts[0].btc_mined, dec!(135));
        assert_eq!(april.cohorts[0].curtailed_hours, Decimal::ZERO);
        assert_eq!(april.power_cost, Some(dec!(7200000)));
        assert_eq!(april.curtailed_hours, dec!(360));
        assert_eq!(may.cohorts[1].btc_mined, dec!(139.5));
        assert_eq!(may.cohorts[1].power_cost, Some(dec!(11904000)));
        assert_eq!(may.curtailed_hours, Decimal::ZERO);
        assert_eq!(out.cohorts[1].curtailed_hours, dec!(720));
        assert_eq!(out.cohorts[0].curtailed_hours, Decimal::ZERO);
        assert_eq!(out.curtailed_hours, dec!(360));
        assert_eq!(out.total_btc, dec!(414));

        // Without the shut-off the 40 J/TH cohort hashes at a loss in April:
        // 400 × 720 × 50 = $14,400,000 for 135 BTC.
        let always = ProjectionInput {
            power: PowerTerms::default(),
            ..input
        };
        let out = projection(&always).unwrap();
        assert_eq!(out.months[0].cohorts[1].btc_mined, dec!(135));
        assert_eq!(out.months[0].cohorts[1].power_cost, Some(dec!(14400000)));
        assert_eq!(out.curtailed_hours, Decimal::ZERO);
    }

    #[test]
    fn cash_cost_counts_power_and_opex_and_all_in_adds_depreciation_and_stock_pay() {
        // One cohort, 10 EH/s at 20 J/TH, bought on the start date for $22,500,000 with a
        // 30-month life and 10% residual: 20,250,000 / 30 = $675,000 a month.
        // April 2026 (30 days) at $50/MWh: 135 BTC; power 200 × 720 × 50 = $7,200,000;
        // other opex 3,000 × 30 = $90,000.
        //   cash   = (7,200,000 + 90,000) / 135 = $54,000
        //   all-in = 54,000 + 675,000/135 + 4,500 × 30/135 + 2,250 × 30/135
        //          = 54,000 + 5,000 + 1,000 + 500 = $60,500
        let input = ProjectionInput {
            start_date: date(2026, 4, 1),
            fleet: ProjectionFleet::Cohorts(
                Cohorts::new(vec![Cohort {
                    hashrate: hashrate(dec!(10)),
                    efficiency: JoulesPerTerahash::new(dec!(20)).unwrap(),
                    purchase_date: Some(date(2026, 4, 1)),
                    purchase: Some(Purchase {
                        cost: Usd::new(dec!(22500000)).unwrap(),
                        useful_life: UsefulLife::new(30).unwrap(),
                        residual: Fraction::new(dec!(0.1)).unwrap(),
                    }),
                }])
                .unwrap(),
            ),
            power_price_per_mwh: Some(PowerPricePath::Flat(Usd::new(dec!(50)).unwrap())),
            costs: SiteCosts {
                other_opex_per_day: Some(Usd::new(dec!(3000)).unwrap()),
                infrastructure_depreciation_per_day: Some(Usd::new(dec!(4500)).unwrap()),
                stock_compensation_per_day: Some(Usd::new(dec!(2250)).unwrap()),
            },
            ..projection_input()
        };
        let out = projection(&input).unwrap();
        let april = &out.months[0];
        assert_eq!(april.btc_mined, dec!(135));
        assert_eq!(april.cash_cost_per_btc, Some(dec!(54000)));
        assert_eq!(april.all_in_cost_per_btc, Some(dec!(60500)));
        assert_eq!(april.depreciation, dec!(810000));
        assert_eq!(out.cash_cost_per_btc, Some(dec!(54000)));
        assert_eq!(out.all_in_cost_per_btc, Some(dec!(60500)));
        assert_eq!(out.cohorts[0].cash_cost_per_btc, Some(dec!(54000)));
        assert_eq!(out.cohorts[0].all_in_cost_per_btc, Some(dec!(60500)));
        // The margin is cash: 135 × 100,000 − 7,290,000 = $6,210,000.
        assert_eq!(april.margin, Some(dec!(6210000)));
    }

    #[test]
    fn a_cohort_bought_mid_month_hashes_from_its_purchase_date() {
        // The 40 J/TH cohort arrives on 16 May 2026: 16 days of May, 10 × 0.45 × 16 = 72 BTC,
        // and none in April; site costs follow hashrate-days, so in May it carries
        // 160 / (310 + 160) of them.
        let input = ProjectionInput {
            start_date: date(2026, 4, 1),
            months: ProjectionMonths::new(2).unwrap(),
            fleet: two_cohorts(Some(date(2026, 5, 16))),
            ..projection_input()
        };
        let out = projection(&input).unwrap();
        assert_eq!(out.months[0].cohorts[1].hashrate_ehs, Decimal::ZERO);
        assert_eq!(out.months[0].cohorts[1].btc_mined, Decimal::ZERO);
        assert!(close(out.months[1].cohorts[1].btc_mined, dec!(72)));
        assert!(close(out.months[1].cohorts[0].btc_mined, dec!(139.5)));
        assert!(close(out.cohorts[1].btc_per_day, dec!(4.5)));
    }

    #[test]
    fn a_hashprice_forward_pays_the_gap_to_the_month_s_hashprice() {
        // 20 EH/s = 20,000 PH/s, half of it sold forward at $50 per PH/s per day; April's
        // hashprice is $45: 0.5 × 20,000 × 30 × (50 − 45) = $1,500,000 paid to the miner.
        // May at a $40 forward: 0.5 × 20,000 × 31 × (40 − 45) = −$1,550,000.
        let forward = |usd| HashpriceForward {
            usd_per_ph_day: Usd::new(usd).unwrap(),
            hedged_fraction: Fraction::new(dec!(0.5)).unwrap(),
        };
        let input = ProjectionInput {
            start_date: date(2026, 4, 1),
            months: ProjectionMonths::new(3).unwrap(),
            fleet: two_cohorts(None),
            hashprice_forward: vec![forward(dec!(50)), forward(dec!(40))],
            ..projection_input()
        };
        let out = projection(&input).unwrap();
        assert_eq!(out.months[0].hashprice_usd_per_ph_day, dec!(45));
        assert_eq!(out.months[0].hedge_settlement, dec!(1500000));
        assert_eq!(out.months[1].hedge_settlement, dec!(-1550000));
        assert_eq!(out.months[2].hedge_settlement, Decimal::ZERO);
        assert_eq!(out.total_hedge_settlement, dec!(-50000));
    }

    #[test]
    fn a_fee_share_path_sets_each_month_s_reward() {
        // 20% of the reward in fees: 3.125 / 0.8 = 3.90625 a block; 50 EH/s of 1,000 in a
        // 31-day December: 0.05 × 144 × 3.90625 × 31 = 871.875 BTC.
        let input = ProjectionInput {
            fees: FeeSchedule::SharePath(vec![FeeShare::new(dec!(0.2)).unwrap()]),
            ..projection_input()
        };
        assert!(close(projection(&input).unwrap().total_btc, dec!(871.875)));
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
            let fee = Fee::PerBlock(Btc::new(Decimal::new(i64::try_from(fees_sats).unwrap(), 8)).unwrap());
            let uptime = Fraction::new(Decimal::from(uptime_pct) / dec!(100)).unwrap();
            let daily = production(&ProductionInput {
                fleet: ProductionFleet::Single { fleet: Fleet::new(fleet, None).unwrap(), power: None },
                subsidy: Subsidy::FromHeight(927_000),
                fee,
                uptime,
                power_price_per_mwh: None,
                ..round_numbers()
            })
            .unwrap()
            .btc_per_day;
            let out = projection(&ProjectionInput {
                months: ProjectionMonths::new(months).unwrap(),
                fleet: ProjectionFleet::Single { fleet, additions_ehs: vec![], efficiency: None },
                halving: HalvingSchedule::FromHeight { start_height: 927_000 },
                fees: FeeSchedule::Flat(fee),
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
