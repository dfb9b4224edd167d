//! Development returns of a data-center site: `POST /v1/colocation/project`.

use infraval_core::error::AtField;
use infraval_core::num::Fraction;
use infraval_core::project::{
    self, Exit, LeaseUp, Metric, Opex, PowerPassThrough, ProjectInput, Tax, Variable,
};
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::build_cost::{fraction_or_zero, usd_at_most, BuildParts, PhaseRequest, SpendCurveName};
use crate::colocation::{rate, MAX_POWER_PRICE_PER_MWH};
use crate::num;

/// Rates and ratios (IRR, yield on cost, spread) are rounded to this many
/// decimals in responses.
pub const RATE_DECIMALS: u32 = 8;
/// Years and multiples are rounded to this many decimals in responses.
pub const RATIO_DECIMALS: u32 = 4;
/// The default depreciation life, years, when `tax_rate` is given alone.
pub const DEFAULT_DEPRECIATION_YEARS: u32 = 20;

/// One data-center site, from the first construction dollar to an exit.
///
/// Periods are years from the start of construction (month 0); see the
/// README for the formulas. Build-cost fields are those of
/// `POST /v1/build-cost`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "it_capacity_mw": 250,
    "cost_per_mw": 10000000,
    "phases": [
        {"it_capacity_mw": 100, "start_month": 0, "duration_months": 12},
        {"it_capacity_mw": 150, "start_month": 6, "duration_months": 18}
    ],
    "rate_per_kw_month": 133.33,
    "months_to_stabilize": 18,
    "stabilized_occupancy": 0.95,
    "lease_start_month": 12,
    "rent_escalator": 0.03,
    "opex_fraction": 0.2,
    "maintenance_capex": 0.02,
    "tax_rate": 0.21,
    "discount_rate": 0.09,
    "horizon_years": 20,
    "exit_cap_rate": 0.07
}))]
pub struct ProjectRequest {
    /// Critical IT capacity built, MW. Range: > 0, ≤ 100,000.
    #[serde(with = "num::decimal")]
    #[schema(example = 250, minimum = 0, maximum = 100000)]
    pub it_capacity_mw: Decimal,
    /// Hard construction cost, USD per MW. Range: 0 to 1,000,000,000.
    #[serde(with = "num::decimal")]
    #[schema(example = 10000000, minimum = 0, maximum = 1000000000)]
    pub cost_per_mw: Decimal,
    /// Contingency, a fraction of the hard cost in [0, 1]. Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.1, minimum = 0, maximum = 1)]
    pub contingency: Option<Decimal>,
    /// Soft costs, a fraction of the hard cost in [0, 1]. Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.05, minimum = 0, maximum = 1)]
    pub soft_costs: Option<Decimal>,
    /// Land, USD, spent in month 0. Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 20000000, minimum = 0)]
    pub land_cost: Option<Decimal>,
    /// Spent to date, USD: sunk, so left out of the cash flows but not of
    /// the total cost. Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0, minimum = 0)]
    pub already_spent: Option<Decimal>,
    /// Construction phases (at most 50) adding up to the capacity.
    /// Default: everything in month 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phases: Option<Vec<PhaseRequest>>,
    /// How each phase's cost is spread. Default `straight_line`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spend_curve: Option<SpendCurveName>,
    /// First-year rent, USD per kW of IT load per month. Range: > 0, ≤ 100,000.
    #[serde(with = "num::decimal")]
    #[schema(example = 133.33, minimum = 0, maximum = 100000)]
    pub rate_per_kw_month: Decimal,
    /// Occupancy in each lease year, fractions in [0, 1], at most 50; the
    /// last holds afterwards. Not with `months_to_stabilize`.
    #[serde(
        default,
        with = "num::opt_decimal_vec",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Vec<f64>>, example = json!([0.5, 0.9, 1]))]
    pub occupancy_by_year: Option<Vec<Decimal>>,
    /// Months of a straight-line lease-up from 0 to `stabilized_occupancy`.
    /// Range: 1 to 600. Not with `occupancy_by_year`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 18, minimum = 1, maximum = 600)]
    pub months_to_stabilize: Option<u32>,
    /// Occupancy at the end of the linear lease-up, in [0, 1]. Default 1.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.95, minimum = 0, maximum = 1)]
    pub stabilized_occupancy: Option<Decimal>,
    /// First month of rent, from month 0 of construction. Range: 0 to 600.
    /// Default: the month after the last month of build spend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 12, minimum = 0, maximum = 600)]
    pub lease_start_month: Option<u32>,
    /// Annual rent escalator, a fraction in [-0.5, 0.5], on each lease
    /// anniversary. Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.03, minimum = -0.5, maximum = 0.5)]
    pub rent_escalator: Option<Decimal>,
    /// Opex as a fraction of rent, in [0, 1]. Not with `opex_per_kw_month`.
    /// Default: no opex.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.2, minimum = 0, maximum = 1)]
    pub opex_fraction: Option<Decimal>,
    /// Opex, USD per leased kW per month, flat. Range: 0 to 100,000.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 25, minimum = 0, maximum = 100000)]
    pub opex_per_kw_month: Option<Decimal>,
    /// PUE for pass-through power, in [1, 5]; needed with `power_price_per_mwh`.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 1.3, minimum = 1, maximum = 5)]
    pub pue: Option<Decimal>,
    /// Pass-through power price, USD per MWh, flat. Range: 0 to 100,000.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 45, minimum = 0, maximum = 100000)]
    pub power_price_per_mwh: Option<Decimal>,
    /// Markup on pass-through power, a fraction in [0, 1]; 0 (the default)
    /// leaves NOI unchanged.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0, minimum = 0, maximum = 1)]
    pub power_margin: Option<Decimal>,
    /// Maintenance capex, a fraction of rent in [0, 1]. Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.02, minimum = 0, maximum = 1)]
    pub maintenance_capex: Option<Decimal>,
    /// Income tax rate on NOI less depreciation, in [0, 1]. Default: no tax.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.21, minimum = 0, maximum = 1)]
    pub tax_rate: Option<Decimal>,
    /// Straight-line depreciation life of the build cost less land, years,
    /// from the lease-start year. Range: 1 to 50. Default 20; needs `tax_rate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 20, minimum = 1, maximum = 50)]
    pub depreciation_years: Option<u32>,
    /// Discount rate a year, a fraction in [-0.99, 100].
    #[serde(with = "num::decimal")]
    #[schema(example = 0.09, minimum = -0.99, maximum = 100)]
    pub discount_rate: Decimal,
    /// The last year of the model; the site is sold at its end. Range: 1 to 50.
    #[schema(example = 20, minimum = 1, maximum = 50)]
    pub horizon_years: u32,
    /// Exit: forward NOI over this cap rate, in (0, 1]. Not with `exit_multiple`.
    /// Neither: no terminal value.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.07, minimum = 0, maximum = 1)]
    pub exit_cap_rate: Option<Decimal>,
    /// Exit: forward EBITDA (NOI) times this EV/EBITDA multiple, in (0, 100].
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 14, minimum = 0, maximum = 100)]
    pub exit_multiple: Option<Decimal>,
}

/// Refuses two alternative fields given together; each is `(name, given)`.
fn exclusive(a: (&'static str, bool), b: (&'static str, bool)) -> Result<(), CoreError> {
    if a.1 && b.1 {
        return Err(CoreError::ExactlyOneOf {
            expected: vec![a.0, b.0],
            given: vec![a.0, b.0],
        });
    }
    Ok(())
}

impl TryFrom<ProjectRequest> for ProjectInput {
    type Error = CoreError;

    fn try_from(req: ProjectRequest) -> Result<Self, CoreError> {
        let build = BuildParts {
            it_capacity_mw: req.it_capacity_mw,
            cost_per_mw: req.cost_per_mw,
            contingency: req.contingency,
            soft_costs: req.soft_costs,
            land_cost: req.land_cost,
            already_spent: req.already_spent,
            phases: req.phases,
            spend_curve: req.spend_curve,
        }
        .into_input()?;
        exclusive(
            ("occupancy_by_year", req.occupancy_by_year.is_some()),
            ("months_to_stabilize", req.months_to_stabilize.is_some()),
        )?;
        if req.stabilized_occupancy.is_some() && req.months_to_stabilize.is_none() {
            return Err(CoreError::MissingDependency {
                field: "stabilized_occupancy",
                requires: "months_to_stabilize",
            });
        }
        let lease_up = match (req.occupancy_by_year, req.months_to_stabilize) {
            (Some(list), _) => {
                infraval_core::num::capped_len(&list, project::MAX_RAMP_YEARS)
                    .at("occupancy_by_year")?;
                let fractions = list
                    .into_iter()
                    .enumerate()
                    .map(|(i, o)| Fraction::new(o).at(format!("occupancy_by_year[{i}]")))
                    .collect::<Result<Vec<_>, _>>()?;
                LeaseUp::by_year(fractions)?
            }
            (None, Some(months)) => LeaseUp::linear(
                months,
                match req.stabilized_occupancy {
                    Some(o) => Fraction::new(o).at("stabilized_occupancy")?,
                    None => Fraction::ONE,
                },
            )?,
            (None, None) => LeaseUp::full(),
        };
        exclusive(
            ("opex_fraction", req.opex_fraction.is_some()),
            ("opex_per_kw_month", req.opex_per_kw_month.is_some()),
        )?;
        let opex = match (req.opex_fraction, req.opex_per_kw_month) {
            (_, Some(usd)) => Opex::PerKwMonth(usd_at_most(
                usd,
                crate::colocation::MAX_RATE_PER_KW_MONTH,
                "opex_per_kw_month",
            )?),
            (f, None) => Opex::FractionOfRent(fraction_or_zero(f, "opex_fraction")?),
        };
        let power = match req.power_price_per_mwh {
            None => {
                if req.power_margin.is_some() {
                    return Err(CoreError::MissingDependency {
                        field: "power_margin",
                        requires: "power_price_per_mwh",
                    });
                }
                None
            }
            Some(price) => Some(PowerPassThrough {
                pue: infraval_core::colocation::Pue::new(req.pue.ok_or(
                    CoreError::MissingDependency {
                        field: "power_price_per_mwh",
                        requires: "pue",
                    },
                )?)
                .at("pue")?,
                price_per_mwh: usd_at_most(price, MAX_POWER_PRICE_PER_MWH, "power_price_per_mwh")?,
                margin: fraction_or_zero(req.power_margin, "power_margin")?,
            }),
        };
        let tax = match (req.tax_rate, req.depreciation_years) {
            (None, Some(_)) => {
                return Err(CoreError::MissingDependency {
                    field: "depreciation_years",
                    requires: "tax_rate",
                })
            }
            (None, None) => None,
            (Some(rate), years) => Some(Tax {
                rate: Fraction::new(rate).at("tax_rate")?,
                depreciation_years: years.unwrap_or(DEFAULT_DEPRECIATION_YEARS),
            }),
        };
        exclusive(
            ("exit_cap_rate", req.exit_cap_rate.is_some()),
            ("exit_multiple", req.exit_multiple.is_some()),
        )?;
        let exit = match (req.exit_cap_rate, req.exit_multiple) {
            (Some(c), _) => Some(Exit::CapRate(c)),
            (None, Some(m)) => Some(Exit::Multiple(m)),
            (None, None) => None,
        };
        Ok(ProjectInput {
            lease_start_month: req
                .lease_start_month
                .unwrap_or_else(|| build.phases.end_month()),
            build,
            rate_per_kw_month: rate(req.rate_per_kw_month, "rate_per_kw_month")?,
            lease_up,
            rent_escalator: req.rent_escalator.unwrap_or_default(),
            opex,
            power,
            maintenance_capex: fraction_or_zero(req.maintenance_capex, "maintenance_capex")?,
            tax,
            discount_rate: req.discount_rate,
            horizon_years: req.horizon_years,
            exit,
        })
    }
}

/// One year of the cash-flow table. Money is USD rounded to cents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectYearResponse {
    /// Year index, 0 at the start of construction.
    #[schema(example = 3)]
    pub year: u32,
    /// Average leased share of the IT capacity over the year, 6 decimals.
    #[serde(with = "num::decimal")]
    #[schema(example = 0.95)]
    pub occupancy: Decimal,
    /// Rent.
    #[serde(with = "num::decimal")]
    #[schema(example = 389971215.0)]
    pub rent_revenue: Decimal,
    /// Pass-through power billed (cost × (1 + margin)).
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub power_revenue: Decimal,
    /// Rent plus power revenue.
    #[serde(with = "num::decimal")]
    #[schema(example = 389971215.0)]
    pub revenue: Decimal,
    /// Operating expenses, including power bought.
    #[serde(with = "num::decimal")]
    #[schema(example = 77994243)]
    pub opex: Decimal,
    /// Net operating income: revenue − opex.
    #[serde(with = "num::decimal")]
    #[schema(example = 311976972)]
    pub noi: Decimal,
    /// Construction capex still to be spent.
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub capex: Decimal,
    /// Maintenance capex.
    #[serde(with = "num::decimal")]
    #[schema(example = 7799424.3)]
    pub maintenance_capex: Decimal,
    /// Income tax.
    #[serde(with = "num::decimal")]
    #[schema(example = 39014164.12)]
    pub tax: Decimal,
    /// Sale proceeds (the horizon year only).
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub exit_value: Decimal,
    /// NOI − capex − maintenance capex − tax + exit value.
    #[serde(with = "num::decimal")]
    #[schema(example = 265163383.58)]
    pub cash_flow: Decimal,
    /// Running total of the cash flow.
    #[serde(with = "num::decimal")]
    #[schema(example = -1900000000.0)]
    pub cumulative: Decimal,
}

/// The site's cash-flow table and returns.
///
/// Money is USD rounded to cents; IRR, yield on cost and spread to 8
/// decimals; payback and equity multiple to 4.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectResponse {
    /// Years 0 to the horizon.
    pub years: Vec<ProjectYearResponse>,
    /// Total build cost.
    #[serde(with = "num::decimal")]
    #[schema(example = 2500000000.0)]
    pub total_cost: Decimal,
    /// Build cost not yet spent.
    #[serde(with = "num::decimal")]
    #[schema(example = 2500000000.0)]
    pub remaining_capex: Decimal,
    /// Net present value at the discount rate.
    #[serde(with = "num::decimal")]
    #[schema(example = 1234567890.12)]
    pub npv: Decimal,
    /// Internal rate of return, a fraction a year.
    #[serde(with = "num::decimal")]
    #[schema(example = 0.13)]
    pub irr: Decimal,
    /// Years until the cumulative cash flow (exit included) turns
    /// non-negative; absent if it never does within the horizon.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 8.25)]
    pub payback_years: Option<Decimal>,
    /// Rent a year at stabilized occupancy and first-year rate.
    #[serde(with = "num::decimal")]
    #[schema(example = 379990500.0)]
    pub stabilized_arr: Decimal,
    /// NOI a year at stabilized occupancy and first-year rate.
    #[serde(with = "num::decimal")]
    #[schema(example = 303992400.0)]
    pub stabilized_noi: Decimal,
    /// Stabilized NOI / total cost; absent when the total cost is zero.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.12159696)]
    pub yield_on_cost: Option<Decimal>,
    /// Yield on cost − exit cap rate; only with `exit_cap_rate`.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.05159696)]
    pub development_spread: Option<Decimal>,
    /// Sale proceeds at the horizon.
    #[serde(with = "num::decimal")]
    #[schema(example = 7000000000.0)]
    pub exit_value: Decimal,
    /// Σ positive cash flows / Σ |negative cash flows|; absent without outflows.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 4.1)]
    pub equity_multiple: Option<Decimal>,
}

fn rate_out(d: Decimal) -> Decimal {
    num::round(d, RATE_DECIMALS).normalize()
}

fn ratio_out(d: Decimal) -> Decimal {
    num::round(d, RATIO_DECIMALS).normalize()
}

impl TryFrom<project::Project> for ProjectResponse {
    type Error = CoreError;

    /// Fails with the IRR's error when the project has no IRR.
    fn try_from(out: project::Project) -> Result<Self, CoreError> {
        Ok(ProjectResponse {
            irr: rate_out(out.irr?),
            years: out
                .years
                .into_iter()
                .map(|y| ProjectYearResponse {
                    year: y.year,
                    occupancy: num::round(y.occupancy, 6).normalize(),
                    rent_revenue: num::cents(y.rent_revenue),
                    power_revenue: num::cents(y.power_revenue),
                    revenue: num::cents(y.revenue),
                    opex: num::cents(y.opex),
                    noi: num::cents(y.noi),
                    capex: num::cents(y.capex),
                    maintenance_capex: num::cents(y.maintenance_capex),
                    tax: num::cents(y.tax),
                    exit_value: num::cents(y.exit_value),
                    cash_flow: num::cents(y.cash_flow),
                    cumulative: num::cents(y.cumulative),
                })
                .collect(),
            total_cost: num::cents(out.total_cost),
            remaining_capex: num::cents(out.remaining_capex),
            npv: num::cents(out.npv),
            payback_years: out.payback_years.map(ratio_out),
            stabilized_arr: num::cents(out.stabilized_arr),
            stabilized_noi: num::cents(out.stabilized_noi),
            yield_on_cost: out.yield_on_cost.map(rate_out),
            development_spread: out.development_spread.map(rate_out),
            exit_value: num::cents(out.exit_value),
            equity_multiple: out.equity_multiple.map(ratio_out),
        })
    }
}

/// An input that goal seek and sensitivity can vary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VariableName {
    /// First-year rent, USD per kW-month.
    RatePerKwMonth,
    /// Hard build cost, USD per MW.
    CostPerMw,
    /// Stabilized occupancy (the ramp's last value or target).
    StabilizedOccupancy,
    /// Annual rent escalator.
    RentEscalator,
    /// Discount rate.
    DiscountRate,
    /// Exit cap rate (the project must exit on a cap rate).
    ExitCapRate,
    /// Exit multiple (the project must exit on a multiple).
    ExitMultiple,
    /// Opex as a fraction of rent (the project's opex must be a fraction).
    OpexFraction,
    /// Opex per kW-month (the project's opex must be per kW-month).
    OpexPerKwMonth,
    /// Pass-through power price (the project must have power).
    PowerPricePerMwh,
}

impl From<VariableName> for Variable {
    fn from(v: VariableName) -> Self {
        match v {
            VariableName::RatePerKwMonth => Variable::RatePerKwMonth,
            VariableName::CostPerMw => Variable::CostPerMw,
            VariableName::StabilizedOccupancy => Variable::StabilizedOccupancy,
            VariableName::RentEscalator => Variable::RentEscalator,
            VariableName::DiscountRate => Variable::DiscountRate,
            VariableName::ExitCapRate => Variable::ExitCapRate,
            VariableName::ExitMultiple => Variable::ExitMultiple,
            VariableName::OpexFraction => Variable::OpexFraction,
            VariableName::OpexPerKwMonth => Variable::OpexPerKwMonth,
            VariableName::PowerPricePerMwh => Variable::PowerPricePerMwh,
        }
    }
}

impl From<Variable> for VariableName {
    fn from(v: Variable) -> Self {
        match v {
            Variable::RatePerKwMonth => VariableName::RatePerKwMonth,
            Variable::CostPerMw => VariableName::CostPerMw,
            Variable::StabilizedOccupancy => VariableName::StabilizedOccupancy,
            Variable::RentEscalator => VariableName::RentEscalator,
            Variable::DiscountRate => VariableName::DiscountRate,
            Variable::ExitCapRate => VariableName::ExitCapRate,
            Variable::ExitMultiple => VariableName::ExitMultiple,
            Variable::OpexFraction => VariableName::OpexFraction,
            Variable::OpexPerKwMonth => VariableName::OpexPerKwMonth,
            Variable::PowerPricePerMwh => VariableName::PowerPricePerMwh,
        }
    }
}

/// A result of the project model that goal seek and sensitivity can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MetricName {
    /// Net present value, USD.
    Npv,
    /// Internal rate of return.
    Irr,
    /// Payback, years.
    PaybackYears,
    /// Stabilized NOI / total cost.
    YieldOnCost,
    /// Yield on cost − exit cap rate.
    DevelopmentSpread,
    /// Stabilized NOI, USD a year.
    StabilizedNoi,
    /// Stabilized rent (ARR), USD a year.
    Arr,
    /// Exit value, USD.
    ExitValue,
    /// Equity multiple.
    EquityMultiple,
}

impl From<MetricName> for Metric {
    fn from(m: MetricName) -> Self {
        match m {
            MetricName::Npv => Metric::Npv,
            MetricName::Irr => Metric::Irr,
            MetricName::PaybackYears => Metric::PaybackYears,
            MetricName::YieldOnCost => Metric::YieldOnCost,
            MetricName::DevelopmentSpread => Metric::DevelopmentSpread,
            MetricName::StabilizedNoi => Metric::StabilizedNoi,
            MetricName::Arr => Metric::Arr,
            MetricName::ExitValue => Metric::ExitValue,
            MetricName::EquityMultiple => Metric::EquityMultiple,
        }
    }
}

impl From<Metric> for MetricName {
    fn from(m: Metric) -> Self {
        match m {
            Metric::Npv => MetricName::Npv,
            Metric::Irr => MetricName::Irr,
            Metric::PaybackYears => MetricName::PaybackYears,
            Metric::YieldOnCost => MetricName::YieldOnCost,
            Metric::DevelopmentSpread => MetricName::DevelopmentSpread,
            Metric::StabilizedNoi => MetricName::StabilizedNoi,
            Metric::Arr => MetricName::Arr,
            Metric::ExitValue => MetricName::ExitValue,
            Metric::EquityMultiple => MetricName::EquityMultiple,
        }
    }
}

/// A metric's value as the wire shows it: money in cents, rates to 8
/// decimals, years and multiples to 4.
pub(crate) fn metric_out(metric: Metric, value: Decimal) -> Decimal {
    match metric {
        Metric::Npv | Metric::StabilizedNoi | Metric::Arr | Metric::ExitValue => num::cents(value),
        Metric::Irr | Metric::YieldOnCost | Metric::DevelopmentSpread => rate_out(value),
        Metric::PaybackYears | Metric::EquityMultiple => ratio_out(value),
    }
}

/// Prefixes the field of an error with the path of the object it sits in.
pub(crate) fn under(prefix: &str, err: CoreError) -> CoreError {
    match err {
        CoreError::InvalidValue { field, error } => CoreError::InvalidValue {
            field: format!("{prefix}.{field}"),
            error,
        },
        CoreError::Inconsistent { field, reason } => CoreError::Inconsistent {
            field: format!("{prefix}.{field}"),
            reason,
        },
        CoreError::DateOrder {
            field,
            date,
            relation,
            other_field,
            other,
        } => CoreError::DateOrder {
            field: format!("{prefix}.{field}"),
            date,
            relation,
            other_field,
            other,
        },
        other => other,
    }
}

/// A project nested in another request: converted, and run once so that
/// its own errors name `project.<field>` and never surface per iteration.
pub(crate) fn nested_project(req: ProjectRequest) -> Result<ProjectInput, CoreError> {
    let input = ProjectInput::try_from(req).map_err(|e| under("project", e))?;
    project::project(&input).map_err(|e| under("project", e))?;
    Ok(input)
}

/// Computes [`crate::operations::ColocationProject`].
pub fn returns(input: ProjectInput) -> Result<ProjectResponse, CoreError> {
    ProjectResponse::try_from(infraval_core::project::project(&input)?)
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn example() -> ProjectRequest {
        serde_json::from_value(serde_json::json!({
            "it_capacity_mw": 250,
            "cost_per_mw": 10000000,
            "rate_per_kw_month": 133.33,
            "discount_rate": 0.09,
            "horizon_years": 20,
            "exit_cap_rate": 0.07
        }))
        .unwrap()
    }

    #[test]
    fn the_lease_starts_when_the_build_ends_by_default() {
        let input = ProjectInput::try_from(example()).unwrap();
        assert_eq!(input.lease_start_month, 1);
    }

    #[test]
    fn two_exits_are_one_too_many() {
        let mut req = example();
        req.exit_multiple = Some(dec!(14));
        assert!(matches!(
            ProjectInput::try_from(req),
            Err(CoreError::ExactlyOneOf { .. })
        ));
    }

    #[test]
    fn a_nested_project_error_names_its_path() {
        let mut req = example();
        req.horizon_years = 80;
        let err = nested_project(req).unwrap_err();
        assert_eq!(err.field(), Some("project.horizon_years"));
    }
}
