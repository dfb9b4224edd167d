//! Build cost: `POST /v1/build-cost`.

use infraval_core::build_cost::{self, BuildCostInput, Phase, Phases, SpendCurve};
use infraval_core::error::AtField;
use infraval_core::num::{Fraction, Megawatts, Usd};
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::wire::{Int, Num, Wire};
use crate::{bounds, num, Example, Examples};

/// One construction phase.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"it_capacity_mw": 100, "start_month": 0, "duration_months": 12}))]
pub struct PhaseRequest {
    /// IT capacity the phase delivers, MW.
    #[wire(bounds::IT_CAPACITY_MW)]
    pub it_capacity_mw: Num,
    /// First month of spend, 0 at the start of the project.
    #[wire(bounds::START_MONTH)]
    pub start_month: Int,
    /// Months of spend; the phase must end by month 600.
    #[wire(bounds::DURATION_MONTHS)]
    pub duration_months: Int,
}

impl PhaseRequest {
    /// The phases when none are given: the core's [`Phases::at_start`],
    /// the whole site in month 0. `None` for a capacity the core refuses
    /// (the conversion then names it).
    pub(crate) fn default_phases(it_capacity_mw: Num) -> Option<Vec<PhaseRequest>> {
        let it_capacity = Megawatts::new(it_capacity_mw.get()).ok()?;
        Some(
            Phases::at_start(it_capacity)
                .get()
                .iter()
                .map(|p| PhaseRequest {
                    it_capacity_mw: Num::new(p.it_capacity.get()),
                    start_month: Int::from(p.start_month),
                    duration_months: Int::from(p.duration_months),
                })
                .collect(),
        )
    }

    /// The month after the last month of spend of `phases`, as the core's
    /// [`Phases::end_month`] counts it; `None` for phases the core refuses.
    pub(crate) fn end_month(phases: &[PhaseRequest]) -> Option<Int> {
        let phases = phases
            .iter()
            .map(|p| {
                Some(Phase {
                    it_capacity: Megawatts::new(p.it_capacity_mw.get()).ok()?,
                    start_month: p.start_month.to_u32(),
                    duration_months: p.duration_months.to_u32(),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Int::from(Phases::new(phases).ok()?.end_month()))
    }
}

/// How each phase's cost is spread over its months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SpendCurveName {
    /// The same amount every month (the default).
    #[default]
    StraightLine,
    /// Slow, fast, slow: share spent by a fraction `x` of the phase is
    /// `x² (3 − 2x)`.
    SCurve,
}

impl From<SpendCurveName> for SpendCurve {
    fn from(name: SpendCurveName) -> Self {
        match name {
            SpendCurveName::StraightLine => SpendCurve::StraightLine,
            SpendCurveName::SCurve => SpendCurve::SCurve,
        }
    }
}

/// A site to build: capacity, unit cost, extras and phasing.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct BuildCostRequest {
    /// Critical IT capacity built, MW.
    #[wire(bounds::IT_CAPACITY_MW)]
    pub it_capacity_mw: Num,
    /// Hard construction cost, USD per MW of IT capacity.
    #[wire(bounds::COST_PER_MW)]
    pub cost_per_mw: Num,
    /// Contingency, a fraction of the hard cost. Default 0.
    #[wire(bounds::FRACTION, default = Decimal::ZERO)]
    pub contingency: Option<Num>,
    /// Soft costs (design, permits, fees), a fraction of the hard cost.
    /// Default 0.
    #[wire(bounds::FRACTION, default = Decimal::ZERO)]
    pub soft_costs: Option<Num>,
    /// Land, USD, spent in month 0. Default 0.
    #[wire(bounds::USD, default = Decimal::ZERO)]
    pub land_cost: Option<Num>,
    /// Spent to date, USD, taken from the earliest months; at most the
    /// total. Default 0.
    #[wire(bounds::USD, default = Decimal::ZERO)]
    pub already_spent: Option<Num>,
    /// Construction phases whose `it_capacity_mw` add up to the total.
    /// Default: the whole site in month 0 (one phase of one month).
    #[wire(bounds::PHASES, default_with = |r: &Self| PhaseRequest::default_phases(r.it_capacity_mw))]
    pub phases: Option<Vec<PhaseRequest>>,
    /// How each phase's cost is spread over its months. Default `straight_line`.
    #[wire(default = SpendCurveName::StraightLine)]
    pub spend_curve: Option<SpendCurveName>,
}

impl Examples for BuildCostRequest {
    fn examples() -> Vec<Example> {
        vec![
            Example {
                name: "sandersville",
                summary: "250 MW at $10M per MW with contingency, soft costs and land",
                body: json!({
                    "it_capacity_mw": 250,
                    "cost_per_mw": 10000000,
                    "contingency": 0.1,
                    "soft_costs": 0.05,
                    "land_cost": 20000000
                }),
            },
            Example {
                name: "two_phases_under_way",
                summary: "The same site in two phases along an S-curve, $100M already spent",
                body: json!({
                    "it_capacity_mw": 250,
                    "cost_per_mw": 10000000,
                    "already_spent": 100000000,
                    "phases": [
                        {"it_capacity_mw": 100, "start_month": 0, "duration_months": 12},
                        {"it_capacity_mw": 150, "start_month": 6, "duration_months": 18}
                    ],
                    "spend_curve": "s_curve"
                }),
            },
        ]
    }
}

/// The build-cost fields shared by the build-cost and project requests.
pub(crate) struct BuildParts {
    pub(crate) it_capacity_mw: Num,
    pub(crate) cost_per_mw: Num,
    pub(crate) contingency: Option<Num>,
    pub(crate) soft_costs: Option<Num>,
    pub(crate) land_cost: Option<Num>,
    pub(crate) already_spent: Option<Num>,
    pub(crate) phases: Option<Vec<PhaseRequest>>,
    pub(crate) spend_curve: Option<SpendCurveName>,
}

/// An optional amount of USD, 0 when absent.
pub(crate) fn usd_or_zero(value: Option<Num>, field: &str) -> Result<Usd, CoreError> {
    value.map_or(Ok(Usd::ZERO), |v| Usd::new(v.get()).at(field))
}

/// An optional fraction, 0 when absent.
pub(crate) fn fraction_or_zero(value: Option<Num>, field: &str) -> Result<Fraction, CoreError> {
    value.map_or(Ok(Fraction::ZERO), |v| Fraction::new(v.get()).at(field))
}

impl BuildParts {
    pub(crate) fn into_input(self) -> Result<BuildCostInput, CoreError> {
        let it_capacity = Megawatts::new(self.it_capacity_mw.get()).at("it_capacity_mw")?;
        let phases = match self.phases {
            None => Phases::at_start(it_capacity),
            Some(list) => {
                let phases = list
                    .into_iter()
                    .enumerate()
                    .map(|(i, p)| {
                        Ok(Phase {
                            it_capacity: Megawatts::new(p.it_capacity_mw.get())
                                .at(format!("phases[{i}].it_capacity_mw"))?,
                            start_month: p.start_month.to_u32(),
                            duration_months: p.duration_months.to_u32(),
                        })
                    })
                    .collect::<Result<Vec<_>, CoreError>>()?;
                Phases::new(phases)?
            }
        };
        Ok(BuildCostInput {
            it_capacity,
            cost_per_mw: Usd::new(self.cost_per_mw.get()).at("cost_per_mw")?,
            contingency: fraction_or_zero(self.contingency, "contingency")?,
            soft_costs: fraction_or_zero(self.soft_costs, "soft_costs")?,
            land_cost: usd_or_zero(self.land_cost, "land_cost")?,
            already_spent: usd_or_zero(self.already_spent, "already_spent")?,
            phases,
            curve: self
                .spend_curve
                .map_or(SpendCurve::StraightLine, Into::into),
        })
    }
}

impl TryFrom<BuildCostRequest> for BuildCostInput {
    type Error = CoreError;

    fn try_from(req: BuildCostRequest) -> Result<Self, CoreError> {
        BuildParts {
            it_capacity_mw: req.it_capacity_mw,
            cost_per_mw: req.cost_per_mw,
            contingency: req.contingency,
            soft_costs: req.soft_costs,
            land_cost: req.land_cost,
            already_spent: req.already_spent,
            phases: req.phases,
            spend_curve: req.spend_curve,
        }
        .into_input()
    }
}

/// One month of the spend schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MonthlySpendResponse {
    /// Month index, 0 at the start of the project.
    pub month: u32,
    /// Planned spend in the month, USD, in cents.
    pub spend: Num,
    /// The part of `spend` not yet spent (after `already_spent`), USD.
    pub remaining_spend: Num,
    /// Planned spend through the end of the month, USD.
    pub cumulative: Num,
}

/// A site's build cost and spend schedule. Money is USD rounded to cents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BuildCostResponse {
    /// MW × cost per MW.
    pub hard_cost: Num,
    /// Hard cost × contingency.
    pub contingency_cost: Num,
    /// Hard cost × soft-cost fraction.
    pub soft_cost: Num,
    /// Land.
    pub land_cost: Num,
    /// Everything: hard × (1 + contingency + soft costs) + land.
    pub total_cost: Num,
    /// Total cost per kW of IT capacity.
    pub cost_per_kw: Num,
    /// Total cost per MW of IT capacity.
    pub all_in_cost_per_mw: Num,
    /// Spent to date.
    pub already_spent: Num,
    /// Total cost less spent to date.
    pub remaining_capex: Num,
    /// Month by month, from month 0 to the last month of spend.
    pub schedule: Vec<MonthlySpendResponse>,
}

impl From<build_cost::BuildCost> for BuildCostResponse {
    fn from(out: build_cost::BuildCost) -> Self {
        BuildCostResponse {
            hard_cost: num::cents(out.hard_cost),
            contingency_cost: num::cents(out.contingency_cost),
            soft_cost: num::cents(out.soft_cost),
            land_cost: num::cents(out.land_cost),
            total_cost: num::cents(out.total_cost),
            cost_per_kw: num::cents(out.cost_per_kw),
            all_in_cost_per_mw: num::cents(out.all_in_cost_per_mw),
            already_spent: num::cents(out.already_spent),
            remaining_capex: num::cents(out.remaining_capex),
            schedule: out
                .schedule
                .into_iter()
                .map(|m| MonthlySpendResponse {
                    month: m.month,
                    spend: num::cents(m.spend),
                    remaining_spend: num::cents(m.remaining_spend),
                    cumulative: num::cents(m.cumulative),
                })
                .collect(),
        }
    }
}

/// Computes [`crate::operations::BuildCost`].
pub fn schedule(input: BuildCostInput) -> Result<BuildCostResponse, CoreError> {
    Ok(build_cost::build_cost(&input)?.into())
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn request() -> BuildCostRequest {
        BuildCostRequest {
            it_capacity_mw: dec!(250).into(),
            cost_per_mw: dec!(10000000).into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_phase_with_zero_megawatts_is_refused_naming_its_path() {
        let mut req = request();
        req.phases = Some(vec![PhaseRequest {
            it_capacity_mw: dec!(0).into(),
            start_month: 0.into(),
            duration_months: 1.into(),
        }]);
        let err = crate::wire::check(&req).unwrap_err();
        assert_eq!(err.first().field(), Some("phases[0].it_capacity_mw"));
    }

    #[test]
    fn a_cost_per_mw_over_a_billion_is_refused() {
        let mut req = request();
        req.cost_per_mw = dec!(2000000000).into();
        let err = crate::wire::check(&req).unwrap_err();
        assert_eq!(err.first().field(), Some("cost_per_mw"));
    }
}
