//! What a data center costs to build, and when the money is spent.

use rust_decimal::Decimal;

use crate::error::{AtField, CoreError, ValueError};
use crate::num::{capped_len, Checked, Fraction, Megawatts, Num, Usd};
use crate::Result;

/// The most construction phases a site may have.
pub const MAX_PHASES: usize = 50;
/// The last month (exclusive) any phase may run to: 50 years.
pub const MAX_SCHEDULE_MONTHS: u32 = 600;

/// How a phase's cost is spread over its months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SpendCurve {
    /// The same amount every month of the phase.
    #[default]
    StraightLine,
    /// Slow, fast, slow: the share spent by a fraction `x` of the phase's
    /// duration is `x² (3 - 2x)` (the cubic "smoothstep"), so half is spent
    /// at mid-phase and the busiest month is the middle one.
    SCurve,
}

/// One construction phase: a block of IT capacity built over a run of months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Phase {
    /// IT capacity the phase delivers.
    pub it_capacity: Megawatts,
    /// First month of spend, counted from 0 at the start of the project.
    pub start_month: u32,
    /// Months of spend, at least 1.
    pub duration_months: u32,
}

/// A validated list of phases: at most [`MAX_PHASES`], each at least a
/// month long and ending by month [`MAX_SCHEDULE_MONTHS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phases(Vec<Phase>);

impl Phases {
    /// Validates the phases, naming `phases[i].field` on failure. That
    /// they add up to the site's capacity is checked by [`build_cost`].
    pub fn new(phases: Vec<Phase>) -> Result<Self> {
        capped_len(&phases, MAX_PHASES).at("phases")?;
        if phases.is_empty() {
            return Err(CoreError::invalid("phases", ValueError::Empty));
        }
        for (i, p) in phases.iter().enumerate() {
            if p.duration_months == 0 {
                return Err(CoreError::invalid(
                    format!("phases[{i}].duration_months"),
                    ValueError::BelowMinimum {
                        bound: 1.0,
                        value: 0.0,
                    },
                ));
            }
            let end = u64::from(p.start_month) + u64::from(p.duration_months);
            if end > u64::from(MAX_SCHEDULE_MONTHS) {
                return Err(CoreError::Inconsistent {
                    field: format!("phases[{i}]"),
                    reason: "start_month + duration_months must be at most 600 (50 years)",
                });
            }
        }
        Ok(Phases(phases))
    }

    /// The whole site in one month, month 0: the default when no phases
    /// are given.
    pub fn at_start(it_capacity: Megawatts) -> Self {
        Phases(vec![Phase {
            it_capacity,
            start_month: 0,
            duration_months: 1,
        }])
    }

    /// The phases.
    pub fn get(&self) -> &[Phase] {
        &self.0
    }

    /// The month after the last month of spend.
    pub fn end_month(&self) -> u32 {
        self.0
            .iter()
            .map(|p| p.start_month + p.duration_months)
            .max()
            .unwrap_or(1)
    }
}

/// The validated input of [`build_cost`].
#[derive(Debug, Clone, PartialEq)]
pub struct BuildCostInput {
    /// Critical IT capacity built.
    pub it_capacity: Megawatts,
    /// Hard construction cost per MW of IT capacity, USD.
    pub cost_per_mw: Usd,
    /// Contingency, a fraction of the hard cost.
    pub contingency: Fraction,
    /// Soft costs (design, permits, fees), a fraction of the hard cost.
    pub soft_costs: Fraction,
    /// Land, USD, spent in month 0.
    pub land_cost: Usd,
    /// Spent to date, USD; taken from the earliest months of the schedule.
    pub already_spent: Usd,
    /// The construction phases; their capacities must add up to `it_capacity`.
    pub phases: Phases,
    /// How each phase's cost is spread over its months.
    pub curve: SpendCurve,
}

/// One month of the spend schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthlySpend {
    /// Month index, 0 at the start of the project.
    pub month: u32,
    /// Planned spend in the month, USD, in cents.
    pub spend: Decimal,
    /// The part of `spend` not yet spent (after `already_spent`), USD.
    pub remaining_spend: Decimal,
    /// Planned spend through the end of the month, USD.
    pub cumulative: Decimal,
}

/// A site's build cost and its spend schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildCost {
    /// MW × cost per MW, USD.
    pub hard_cost: Decimal,
    /// Hard cost × contingency, USD.
    pub contingency_cost: Decimal,
    /// Hard cost × soft-cost fraction, USD.
    pub soft_cost: Decimal,
    /// Land, USD.
    pub land_cost: Decimal,
    /// Everything, USD.
    pub total_cost: Decimal,
    /// Total cost per kW of IT capacity, USD.
    pub cost_per_kw: Decimal,
    /// Total cost per MW of IT capacity, USD.
    pub all_in_cost_per_mw: Decimal,
    /// Spent to date, USD.
    pub already_spent: Decimal,
    /// Total cost less spent to date, USD.
    pub remaining_capex: Decimal,
    /// Month by month, from month 0 to the last month of spend.
    pub schedule: Vec<MonthlySpend>,
}

/// The totals and per-phase costs, without the schedule, in the number
/// type of the run.
#[derive(Debug, Clone)]
pub(crate) struct Costs<N> {
    pub(crate) hard: N,
    pub(crate) contingency: N,
    pub(crate) soft: N,
    pub(crate) total: N,
    land: N,
    already_spent: N,
    phase_costs: Vec<N>,
}

impl BuildCostInput {
    /// Totals and the cost of each phase, each phase's share being its MW
    /// share; the last phase takes the remainder so the phases sum exactly.
    pub(crate) fn costs<N: Num>(&self) -> Result<Costs<N>> {
        let mw = self.it_capacity.get();
        let phase_mw = self.phases.get().iter().try_fold(Decimal::ZERO, |acc, p| {
            acc.add_or(p.it_capacity.get(), "phases")
        })?;
        if phase_mw != mw {
            return Err(CoreError::Inconsistent {
                field: "phases".into(),
                reason: "the phases' it_capacity_mw must add up to it_capacity_mw",
            });
        }
        let n = N::from_decimal;
        let cost_per_mw = n(self.cost_per_mw.get());
        let hard = n(mw).mul_or(cost_per_mw, "hard_cost")?;
        let contingency = hard.mul_or(n(self.contingency.get()), "contingency_cost")?;
        let soft = hard.mul_or(n(self.soft_costs.get()), "soft_cost")?;
        let construction = hard
            .add_or(contingency, "total_cost")?
            .add_or(soft, "total_cost")?;
        let land = n(self.land_cost.get());
        let total = construction.add_or(land, "total_cost")?;
        let already_spent = n(self.already_spent.get());
        if already_spent > total {
            return Err(CoreError::Inconsistent {
                field: "already_spent".into(),
                reason: "cannot exceed the total cost",
            });
        }
        let per_mw = N::ONE
            .add_or(n(self.contingency.get()), "total_cost")?
            .add_or(n(self.soft_costs.get()), "total_cost")?
            .mul_or(cost_per_mw, "total_cost")?;
        let phases = self.phases.get();
        let mut phase_costs = Vec::with_capacity(phases.len());
        let mut allotted = N::ZERO;
        for (i, p) in phases.iter().enumerate() {
            let cost = if i + 1 == phases.len() {
                construction.sub_or(allotted, "total_cost")?
            } else {
                n(p.it_capacity.get()).mul_or(per_mw, "total_cost")?
            };
            allotted = allotted.add_or(cost, "total_cost")?;
            phase_costs.push(cost);
        }
        Ok(Costs {
            hard,
            contingency,
            soft,
            total,
            land,
            already_spent,
            phase_costs,
        })
    }

    /// Planned spend over months `[0, month)`, USD in cents.
    fn cumulative<N: Num>(&self, spend: &Costs<N>, month: u32) -> Result<N> {
        let mut total = if month >= 1 { spend.land } else { N::ZERO };
        for (p, cost) in self.phases.get().iter().zip(&spend.phase_costs) {
            let done = month.saturating_sub(p.start_month);
            let share = if done == 0 {
                continue;
            } else if done >= p.duration_months {
                *cost
            } else {
                let x = N::from_u64(done.into())
                    .div_or(N::from_u64(p.duration_months.into()), "schedule")?;
                let f = match self.curve {
                    SpendCurve::StraightLine => x,
                    SpendCurve::SCurve => {
                        let three_less_2x = N::from_u64(3)
                            .sub_or(x, "schedule")?
                            .sub_or(x, "schedule")?;
                        x.mul_or(x, "schedule")?.mul_or(three_less_2x, "schedule")?
                    }
                };
                cost.mul_or(f, "schedule")?.cents()
            };
            total = total.add_or(share, "schedule")?;
        }
        Ok(total)
    }

    /// The part of the cumulative spend not already spent.
    fn remaining_cumulative<N: Num>(&self, spend: &Costs<N>, month: u32) -> Result<N> {
        let c = self.cumulative(spend, month)?;
        Ok(c.sub_or(spend.already_spent, "schedule")?.larger(N::ZERO))
    }

    /// Remaining (not yet spent) capex in each year `0..years`, year `t`
    /// being months `[12t, 12t + 12)`; spend after the last year is dropped,
    /// so callers check [`Phases::end_month`] first.
    /// Build spend still to come in each of `months` months.
    pub(crate) fn monthly_remaining<N: Num>(
        &self,
        spend: &Costs<N>,
        months: u32,
    ) -> Result<Vec<N>> {
        let end = self.phases.end_month();
        let mut out = Vec::with_capacity(months as usize);
        let mut before = self.remaining_cumulative(spend, 0)?;
        for month in 0..months {
            if month >= end {
                out.push(N::ZERO);
                continue;
            }
            let after = self.remaining_cumulative(spend, month + 1)?;
            out.push(after.sub_or(before, "capex")?);
            before = after;
        }
        Ok(out)
    }

    pub(crate) fn yearly_remaining<N: Num>(&self, spend: &Costs<N>, years: u32) -> Result<Vec<N>> {
        let end_year = self.phases.end_month().div_ceil(12);
        let mut out = Vec::with_capacity(years as usize);
        let mut before = self.remaining_cumulative(spend, 0)?;
        for year in 0..years {
            if year >= end_year {
                out.push(N::ZERO);
                continue;
            }
            let after = self.remaining_cumulative(spend, (year + 1) * 12)?;
            out.push(after.sub_or(before, "capex")?);
            before = after;
        }
        Ok(out)
    }
}

/// A site's build cost, its unit costs and its monthly spend schedule.
///
/// # Formula
/// ```text
/// hard         = it_capacity_mw × cost_per_mw
/// total        = hard × (1 + contingency + soft_costs) + land_cost
/// cost_per_kw  = total / (it_capacity_mw × 1,000)
/// all_in / MW  = total / it_capacity_mw
/// remaining    = total - already_spent                  (≥ 0, else an error)
/// ```
/// Each phase costs its MW share of `hard × (1 + contingency + soft_costs)`,
/// spent over `[start_month, start_month + duration_months)` along the
/// [`SpendCurve`]; land is spent in month 0. Cumulative spend is rounded
/// to cents at each month end and each month's spend is the difference,
/// so the schedule adds up to the total exactly. `already_spent` is taken
/// from the earliest months first.
///
/// # Example
/// The 250 MW Sandersville site at about $10M per MW (seed-figures.md):
/// ```
/// use infraval_core::build_cost::{build_cost, BuildCostInput, Phases, SpendCurve};
/// use infraval_core::num::{Fraction, Megawatts, Usd};
/// use rust_decimal::Decimal;
///
/// let mw = Megawatts::new(Decimal::from(250)).unwrap();
/// let input = BuildCostInput {
///     it_capacity: mw,
///     cost_per_mw: Usd::new(Decimal::from(10_000_000)).unwrap(),
///     contingency: Fraction::ZERO,
///     soft_costs: Fraction::ZERO,
///     land_cost: Usd::ZERO,
///     already_spent: Usd::ZERO,
///     phases: Phases::at_start(mw),
///     curve: SpendCurve::StraightLine,
/// };
/// assert_eq!(build_cost(&input).unwrap().total_cost, Decimal::from(2_500_000_000u64));
/// ```
pub fn build_cost(input: &BuildCostInput) -> Result<BuildCost> {
    let costs: Costs<Decimal> = input.costs()?;
    let mw = input.it_capacity.get();
    let end = input.phases.end_month();
    let spend = &costs;
    let mut schedule = Vec::with_capacity(end as usize);
    let mut before = input.cumulative(spend, 0)?;
    let mut remaining_before = input.remaining_cumulative(spend, 0)?;
    for month in 0..end {
        let after = input.cumulative(spend, month + 1)?;
        let remaining_after = input.remaining_cumulative(spend, month + 1)?;
        schedule.push(MonthlySpend {
            month,
            spend: after.sub_or(before, "schedule")?,
            remaining_spend: remaining_after.sub_or(remaining_before, "schedule")?,
            cumulative: after,
        });
        before = after;
        remaining_before = remaining_after;
    }
    Ok(BuildCost {
        hard_cost: costs.hard,
        contingency_cost: costs.contingency,
        soft_cost: costs.soft,
        land_cost: input.land_cost.get(),
        total_cost: costs.total,
        cost_per_kw: costs.total.div_or(input.it_capacity.kw()?, "cost_per_kw")?,
        all_in_cost_per_mw: costs.total.div_or(mw, "all_in_cost_per_mw")?,
        already_spent: input.already_spent.get(),
        remaining_capex: costs
            .total
            .sub_or(input.already_spent.get(), "remaining_capex")?,
        schedule,
    })
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn mw(v: Decimal) -> Megawatts {
        Megawatts::new(v).unwrap()
    }

    fn sandersville(phases: Phases) -> BuildCostInput {
        BuildCostInput {
            it_capacity: mw(dec!(250)),
            cost_per_mw: Usd::new(dec!(10000000)).unwrap(),
            contingency: Fraction::ZERO,
            soft_costs: Fraction::ZERO,
            land_cost: Usd::ZERO,
            already_spent: Usd::ZERO,
            phases,
            curve: SpendCurve::StraightLine,
        }
    }

    fn two_phases() -> Phases {
        Phases::new(vec![
            Phase {
                it_capacity: mw(dec!(100)),
                start_month: 0,
                duration_months: 12,
            },
            Phase {
                it_capacity: mw(dec!(150)),
                start_month: 6,
                duration_months: 18,
            },
        ])
        .unwrap()
    }

    #[test]
    fn the_sandersville_site_costs_two_and_a_half_billion() {
        // seed-figures.md: 250 MW × $10M/MW = $2.5B; $10,000 per kW.
        let out = build_cost(&sandersville(Phases::at_start(mw(dec!(250))))).unwrap();
        assert_eq!(out.total_cost, dec!(2500000000));
        assert_eq!(out.cost_per_kw, dec!(10000));
        assert_eq!(out.all_in_cost_per_mw, dec!(10000000));
        assert_eq!(out.remaining_capex, dec!(2500000000));
        assert_eq!(out.schedule.len(), 1);
        assert_eq!(out.schedule[0].spend, dec!(2500000000));
    }

    #[test]
    fn contingency_soft_costs_and_land_add_up_to_the_all_in_cost() {
        // hard 2.5B; contingency 10% = 250M; soft 5% = 125M; land 20M
        // → 2,895M; per MW 11.58M; per kW 11,580; remaining 2,895M - 95M.
        let mut input = sandersville(Phases::at_start(mw(dec!(250))));
        input.contingency = Fraction::new(dec!(0.10)).unwrap();
        input.soft_costs = Fraction::new(dec!(0.05)).unwrap();
        input.land_cost = Usd::new(dec!(20000000)).unwrap();
        input.already_spent = Usd::new(dec!(95000000)).unwrap();
        let out = build_cost(&input).unwrap();
        assert_eq!(out.total_cost, dec!(2895000000));
        assert_eq!(out.all_in_cost_per_mw, dec!(11580000));
        assert_eq!(out.cost_per_kw, dec!(11580));
        assert_eq!(out.remaining_capex, dec!(2800000000));
    }

    #[test]
    fn phases_are_spent_straight_line_and_the_schedule_sums_to_the_total() {
        // Phase 1: $1.0B over months 0-11 = $83,333,333.33… a month.
        // Phase 2: $1.5B over months 6-23 = $83,333,333.33… a month.
        // Months 0-5: 83.33M; 6-11: 166.67M; 12-23: 83.33M.
        let out = build_cost(&sandersville(two_phases())).unwrap();
        assert_eq!(out.schedule.len(), 24);
        assert_eq!(out.schedule[0].spend, dec!(83333333.33));
        assert_eq!(out.schedule[8].spend.round_dp(0), dec!(166666667));
        assert_eq!(out.schedule[20].spend.round_dp(0), dec!(83333333));
        let sum: Decimal = out.schedule.iter().map(|m| m.spend).sum();
        assert_eq!(sum, dec!(2500000000));
        assert_eq!(out.schedule[23].cumulative, dec!(2500000000));
    }

    #[test]
    fn an_s_curve_spends_half_by_mid_phase_and_most_in_the_middle() {
        // F(x) = x²(3 - 2x): F(1/2) = 1/2. Over 10 months, month 4-5
        // (x from 0.4 to 0.6) spends F(0.6) - F(0.4) = 0.648 - 0.352 = 29.6%,
        // more than month 0 (F(0.1) = 0.028).
        let mut input = sandersville(
            Phases::new(vec![Phase {
                it_capacity: mw(dec!(250)),
                start_month: 0,
                duration_months: 10,
            }])
            .unwrap(),
        );
        input.curve = SpendCurve::SCurve;
        let out = build_cost(&input).unwrap();
        assert_eq!(out.schedule[4].cumulative, dec!(1250000000));
        assert_eq!(out.schedule[0].spend, dec!(70000000));
        let middle = out.schedule[4].spend + out.schedule[5].spend;
        assert_eq!(middle, dec!(740000000));
        let sum: Decimal = out.schedule.iter().map(|m| m.spend).sum();
        assert_eq!(sum, dec!(2500000000));
    }

    #[test]
    fn already_spent_money_comes_off_the_earliest_months() {
        // $100M spent: month 0 (83.33M) fully sunk, month 1 has
        // 166.67M - 100M = 66.67M left of its 83.33M.
        let mut input = sandersville(two_phases());
        input.already_spent = Usd::new(dec!(100000000)).unwrap();
        let out = build_cost(&input).unwrap();
        assert_eq!(out.schedule[0].remaining_spend, Decimal::ZERO);
        assert_eq!(out.schedule[1].remaining_spend, dec!(66666666.67));
        let left: Decimal = out.schedule.iter().map(|m| m.remaining_spend).sum();
        assert_eq!(left, dec!(2400000000));
    }

    #[test]
    fn phases_that_do_not_add_up_are_refused() {
        let mut input = sandersville(two_phases());
        input.it_capacity = mw(dec!(260));
        let err = build_cost(&input).unwrap_err();
        assert_eq!(err.field(), Some("phases"));
    }

    #[test]
    fn a_phase_of_zero_months_or_past_fifty_years_is_refused() {
        let zero = Phases::new(vec![Phase {
            it_capacity: mw(dec!(1)),
            start_month: 0,
            duration_months: 0,
        }]);
        assert_eq!(zero.unwrap_err().field(), Some("phases[0].duration_months"));
        let late = Phases::new(vec![Phase {
            it_capacity: mw(dec!(1)),
            start_month: 590,
            duration_months: 11,
        }]);
        assert_eq!(late.unwrap_err().field(), Some("phases[0]"));
    }

    #[test]
    fn spending_more_than_the_total_is_refused() {
        let mut input = sandersville(Phases::at_start(mw(dec!(250))));
        input.already_spent = Usd::new(dec!(3000000000)).unwrap();
        assert_eq!(
            build_cost(&input).unwrap_err().field(),
            Some("already_spent")
        );
    }

    #[test]
    fn yearly_remaining_capex_adds_up_to_the_remaining_capex() {
        let input = sandersville(two_phases());
        let costs: Costs<Decimal> = input.costs().unwrap();
        let years = input.yearly_remaining(&costs, 5).unwrap();
        // Year 0: 6 × 83.33M + 6 × 166.67M = 1,500M; year 1: 12 × 83.33M.
        assert_eq!(years[0], dec!(1500000000));
        assert_eq!(years[1], dec!(1000000000));
        assert_eq!(years[2], Decimal::ZERO);
    }
}
