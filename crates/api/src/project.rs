//! Development returns of a data-center site: `POST /v1/colocation/project`.

use infraval_core::error::AtField;
use infraval_core::num::Fraction;
use infraval_core::num::{Price, Usd};
use infraval_core::project::{
    self, Exit, LeaseUp, Metric, Opex, Periods, PowerPassThrough, ProjectInput, Tax, Variable,
};
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::build_cost::{fraction_or_zero, BuildParts, PhaseRequest, SpendCurveName};
use crate::conversion::ConversionRequest;
use crate::financing::{FinancingRequest, FinancingResponse};
use crate::lease::LeaseRequest;
use crate::wire::{Bounds, Int, Num, Wire, NESTED};
use crate::{bounds, num, Example, Examples};

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
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct ProjectRequest {
    /// Critical IT capacity built, MW.
    #[wire(bounds::IT_CAPACITY_MW)]
    pub it_capacity_mw: Num,
    /// Hard construction cost, USD per MW.
    #[wire(bounds::COST_PER_MW)]
    pub cost_per_mw: Num,
    /// Contingency, a fraction of the hard cost. Default 0.
    #[wire(bounds::FRACTION, default = Decimal::ZERO)]
    pub contingency: Option<Num>,
    /// Soft costs, a fraction of the hard cost. Default 0.
    #[wire(bounds::FRACTION, default = Decimal::ZERO)]
    pub soft_costs: Option<Num>,
    /// Land, USD, spent in month 0. Default 0.
    #[wire(bounds::USD, default = Decimal::ZERO)]
    pub land_cost: Option<Num>,
    /// Spent to date, USD: sunk, so left out of the cash flows but not of
    /// the total cost. Default 0.
    #[wire(bounds::USD, default = Decimal::ZERO)]
    pub already_spent: Option<Num>,
    /// Construction phases adding up to the capacity. Default: everything
    /// in month 0 (one phase of one month).
    #[wire(bounds::PHASES, default_with = |r: &Self| PhaseRequest::default_phases(r.it_capacity_mw))]
    pub phases: Option<Vec<PhaseRequest>>,
    /// How each phase's cost is spread. Default `straight_line`.
    #[wire(default = SpendCurveName::StraightLine)]
    pub spend_curve: Option<SpendCurveName>,
    /// First-year rent, USD per kW of IT load per month: the one-lease
    /// shorthand. Exactly one of this and `leases`.
    #[wire(bounds::RATE_PER_KW_MONTH)]
    pub rate_per_kw_month: Option<Num>,
    /// Leases as written, 1 to 50, in place of `rate_per_kw_month` and its
    /// lease-up (`occupancy_by_year`, `months_to_stabilize`,
    /// `stabilized_occupancy`, `lease_start_month`, `rent_escalator`, which
    /// are then refused). Project-level opex applies on top of each lease's
    /// structure.
    #[wire(bounds::LEASES)]
    pub leases: Option<Vec<LeaseRequest>>,
    /// Occupancy in each lease year, fractions; the last holds afterwards.
    /// Not with `months_to_stabilize`.
    #[wire(bounds::OCCUPANCY_BY_YEAR)]
    pub occupancy_by_year: Option<Vec<Num>>,
    /// Months of a straight-line lease-up from 0 to `stabilized_occupancy`.
    /// Not with `occupancy_by_year`.
    #[wire(bounds::MONTHS_TO_STABILIZE)]
    pub months_to_stabilize: Option<Int>,
    /// Occupancy at the end of the linear lease-up. Default 1.
    #[wire(bounds::FRACTION, default_with = |r: &Self| r.months_to_stabilize.map(|_| Num::new(Decimal::ONE)))]
    pub stabilized_occupancy: Option<Num>,
    /// First month of rent, from month 0 of construction. Default: the
    /// month after the last month of build spend (without `leases`).
    #[wire(bounds::LEASE_START_MONTH, default_with = |r: &Self| r.phases.as_deref().filter(|_| r.leases.is_none()).and_then(PhaseRequest::end_month))]
    pub lease_start_month: Option<Int>,
    /// Annual rent escalator, on each lease anniversary. Default 0.
    #[wire(bounds::RENT_ESCALATOR, default_with = |r: &Self| r.leases.is_none().then_some(Num::ZERO))]
    pub rent_escalator: Option<Num>,
    /// Opex as a fraction of rent. Not with `opex_per_kw_month`. Default 0
    /// (no opex) when `opex_per_kw_month` is not given either.
    #[wire(bounds::FRACTION, default_with = |r: &Self| r.opex_per_kw_month.is_none().then_some(Num::ZERO))]
    pub opex_fraction: Option<Num>,
    /// Opex, USD per leased kW per month, flat.
    #[wire(bounds::OPEX_PER_KW_MONTH)]
    pub opex_per_kw_month: Option<Num>,
    /// PUE for pass-through power; needed with `power_price_per_mwh`.
    #[wire(bounds::PUE)]
    pub pue: Option<Num>,
    /// Pass-through power price, USD per MWh, flat.
    #[wire(bounds::POWER_PRICE_PER_MWH)]
    pub power_price_per_mwh: Option<Num>,
    /// Markup on pass-through power; 0 (the default) leaves NOI unchanged.
    #[wire(bounds::FRACTION, default_with = |r: &Self| r.power_price_per_mwh.map(|_| Num::ZERO))]
    pub power_margin: Option<Num>,
    /// Maintenance capex, a fraction of rent. Default 0.
    #[wire(bounds::FRACTION, default = Decimal::ZERO)]
    pub maintenance_capex: Option<Num>,
    /// Income tax rate on NOI less depreciation. Default 0 (no tax; there
    /// is no loss carry-forward, so a 0 rate and no tax are the same).
    #[wire(bounds::TAX_RATE, default_with = |r: &Self| r.depreciation_years.is_none().then_some(Num::ZERO))]
    pub tax_rate: Option<Num>,
    /// Straight-line depreciation life of the build cost less land, years,
    /// from the lease-start year. Default 20; needs `tax_rate`.
    #[wire(bounds::DEPRECIATION_YEARS, default_with = |r: &Self| r.tax_rate.map(|_| Int::from(DEFAULT_DEPRECIATION_YEARS)))]
    pub depreciation_years: Option<Int>,
    /// Discount rate a year.
    #[wire(bounds::DISCOUNT_RATE)]
    pub discount_rate: Num,
    /// The last year of the model; the site is sold at its end.
    #[wire(bounds::HORIZON_YEARS)]
    pub horizon_years: Int,
    /// Exit: forward NOI over this cap rate. Not with `exit_multiple`.
    /// Neither: no terminal value.
    #[wire(bounds::POSITIVE_FRACTION)]
    pub exit_cap_rate: Option<Num>,
    /// Exit: forward EBITDA (NOI) times this EV/EBITDA multiple.
    #[wire(bounds::MULTIPLE)]
    pub exit_multiple: Option<Num>,
    /// Construction and term debt; the answer then has a `financing`
    /// object with the debt schedule and levered returns. Default: none
    /// (all equity).
    #[wire(NESTED)]
    pub financing: Option<FinancingRequest>,
    /// `yearly` (the default) or `monthly`. Monthly runs the model month
    /// by month (month `m`'s cash flow discounted by `(1 +
    /// discount_rate)^(m/12)`, i.e. at the monthly rate `(1 +
    /// discount_rate)^(1/12) − 1`), returns `monthly_cash_flows`, and
    /// sums the months into `years`; `irr` is the monthly IRR compounded
    /// to a year, payback is in years, and the debt schedule is monthly
    /// (loan rates a twelfth a month). At most 49 years.
    #[wire(default = PeriodsName::Yearly)]
    pub periods: Option<PeriodsName>,
    /// A mining site converted to a data center: the mining margin given
    /// up from `start_month` is subtracted from each period's cash flow
    /// (`mining_margin_forgone`; not in NOI, tax or DSCR). The build and
    /// the leases may not start before it. Default: none (not a
    /// conversion).
    #[wire(NESTED)]
    pub conversion: Option<ConversionRequest>,
}

/// The model's period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PeriodsName {
    /// Years from month 0 of construction (the default).
    #[default]
    Yearly,
    /// Months, with a yearly summary.
    Monthly,
}

impl ProjectRequest {
    /// The README's Sandersville project: 250 MW in two phases at $10M per
    /// MW, $133.33 per kW-month leased up over 18 months, a 7% exit cap.
    pub fn sandersville() -> serde_json::Value {
        json!({
            "it_capacity_mw": 250,
            "cost_per_mw": 10000000,
            "rate_per_kw_month": 133.33,
            "months_to_stabilize": 18,
            "stabilized_occupancy": 0.95,
            "lease_start_month": 12,
            "rent_escalator": 0.03,
            "opex_fraction": 0.2,
            "maintenance_capex": 0.02,
            "tax_rate": 0.21,
            "depreciation_years": 20,
            "discount_rate": 0.09,
            "horizon_years": 20,
            "exit_cap_rate": 0.07
        })
    }
}

impl ProjectRequest {
    /// The Sandersville project with debt. The loan terms are illustrative,
    /// in the range TeraWulf's and Cipher's HPC financings were written
    /// (50% to 75% of cost during the build; term debt sized on DSCR).
    pub fn financed() -> serde_json::Value {
        let mut body = ProjectRequest::sandersville();
        body["financing"] = json!({
            "construction_loan": {
                "loan_to_cost": 0.6,
                "rate": 0.09,
                "capitalize_interest": true
            },
            "term_loan": {
                "rate": 0.065,
                "amortization_years": 25,
                "target_dscr": 1.4,
                "max_loan_to_value": 0.65,
                "fees": 0.01
            }
        });
        body
    }
}

impl ProjectRequest {
    /// Two leases written the way the TeraWulf/Fluidstack deals were: 10
    /// years, two 5-year extensions, modified gross, 3% escalators, one
    /// tenant's rent backstopped by a guarantor. The figures are
    /// illustrative, not any filing's.
    pub fn leases_as_written() -> serde_json::Value {
        json!({
            "it_capacity_mw": 200,
            "cost_per_mw": 10000000,
            "leases": [
                {
                    "tenant": "Anchor tenant (illustrative)",
                    "it_capacity_mw": 120,
                    "start_month": 12,
                    "term_months": 120,
                    "rate_per_kw_month": 150,
                    "rent_escalator": 0.03,
                    "extensions": {"count": 2, "months": 60, "renewal_probability": 0.75,
                                   "downtime_months": 6},
                    "structure": "modified_gross",
                    "landlord_opex_per_kw_month": 20,
                    "annual_default_probability": 0.03,
                    "default_recovery": 0.4,
                    "backstop_usd": 1400000000
                },
                {
                    "tenant": "Second tenant (illustrative)",
                    "it_capacity_mw": 80,
                    "start_month": 18,
                    "term_months": 120,
                    "rate_per_kw_month": 140,
                    "rent_escalator": 0.025,
                    "structure": "triple_net"
                }
            ],
            "opex_fraction": 0.05,
            "discount_rate": 0.09,
            "horizon_years": 20,
            "exit_cap_rate": 0.07,
            "periods": "monthly"
        })
    }
}

impl ProjectRequest {
    /// CleanSpark's 250 MW Sandersville site converted from mining: at
    /// 16.1 J/TH the site's 250 MW run about 15.5 EH/s (31% of the 50 EH/s
    /// fleet), which earned about $9.2 million a month of margin at $90,000
    /// BTC, a 1,070 EH/s network and $45/MWh (the `growth` projection's
    /// assumptions). Mining stops in month 6, the build ($10M per MW)
    /// follows over 18 months and rent starts in month 24. Here the margin
    /// is flat at $9M a month, falling 30% a year as the network grows and
    /// the 2028 halving comes; the timing is illustrative.
    pub fn converted() -> serde_json::Value {
        json!({
            "it_capacity_mw": 250,
            "cost_per_mw": 10000000,
            "phases": [{"it_capacity_mw": 250, "start_month": 6, "duration_months": 18}],
            "rate_per_kw_month": 133.33,
            "months_to_stabilize": 18,
            "stabilized_occupancy": 0.95,
            "lease_start_month": 24,
            "rent_escalator": 0.03,
            "opex_fraction": 0.2,
            "maintenance_capex": 0.02,
            "tax_rate": 0.21,
            "discount_rate": 0.09,
            "horizon_years": 20,
            "exit_cap_rate": 0.07,
            "conversion": {
                "start_month": 6,
                "mining_margin_per_month": 9000000,
                "mining_margin_growth_per_year": -0.3
            }
        })
    }

    /// [`ProjectRequest::converted`] with the margin given up taken from a
    /// mining projection of the site's 15.5 EH/s from June 2026 (project
    /// month 6): the network grows 2% a month and BTC 1%, and the economic
    /// shut-off switches the fleet off after the April 2028 halving.
    pub fn converted_from_a_projection() -> serde_json::Value {
        let mut body = ProjectRequest::converted();
        body["conversion"] = json!({
            "start_month": 6,
            "mining_projection": {
                "start_date": "2026-06-01",
                "months": 60,
                "fleet_hashrate_ehs": 15.5,
                "network_hashrate_ehs": 1070,
                "network_growth_per_month": 0.02,
                "block_height": 953000,
                "fees_per_block_btc": 0.03,
                "uptime": 0.95,
                "btc_price": 90000,
                "btc_price_growth_per_month": 0.01,
                "efficiency_j_per_th": 16.1,
                "power_price_per_mwh": 45,
                "shutoff": "economic"
            }
        });
        body
    }
}

impl ProjectRequest {
    /// [`ProjectRequest::converted`] along a monthly path: the margins of
    /// [`ProjectRequest::converted_from_a_projection`]'s projection up to
    /// the April 2028 halving, rounded to $10,000; after the path the
    /// fleet has retired.
    pub fn converted_along_a_path() -> serde_json::Value {
        let mut body = ProjectRequest::converted();
        body["conversion"] = json!({
            "start_month": 6,
            "mining_margin_path_per_month": [
                9200000, 9490000, 9320000, 8860000, 8980000, 8540000, 8650000, 8490000,
                7540000, 8170000, 7760000, 7850000, 7450000, 7550000, 7390000, 7010000,
                7090000, 6730000, 6800000, 6660000, 6100000, 5880000
            ]
        });
        body
    }
}

impl Examples for ProjectRequest {
    fn examples() -> Vec<Example> {
        vec![
            Example {
                name: "sandersville",
                summary: "250 MW at $10M per MW, $133.33 per kW-month, 18-month lease-up, 7% exit cap",
                body: ProjectRequest::sandersville(),
            },
            Example {
                name: "with_phases_power_and_an_exit_multiple",
                summary: "Two phases, a lease-up by year, opex per kW, pass-through power and an exit multiple",
                body: json!({
                    "it_capacity_mw": 250,
                    "cost_per_mw": 10000000,
                    "contingency": 0.1,
                    "soft_costs": 0.05,
                    "land_cost": 20000000,
                    "already_spent": 100000000,
                    "phases": [
                        {"it_capacity_mw": 100, "start_month": 0, "duration_months": 12},
                        {"it_capacity_mw": 150, "start_month": 6, "duration_months": 18}
                    ],
                    "spend_curve": "s_curve",
                    "rate_per_kw_month": 133.33,
                    "occupancy_by_year": [0.5, 0.9, 1],
                    "opex_per_kw_month": 25,
                    "pue": 1.3,
                    "power_price_per_mwh": 45,
                    "power_margin": 0.05,
                    "discount_rate": 0.09,
                    "horizon_years": 20,
                    "exit_multiple": 14
                }),
            },
            Example {
                name: "leases_as_written",
                summary: "A TeraWulf/Fluidstack-like site, monthly: two 10-year modified-gross leases with two 5-year extensions and a backstopped tenant (figures illustrative)",
                body: ProjectRequest::leases_as_written(),
            },
            Example {
                name: "financed",
                summary: "Sandersville with a 60% loan-to-cost construction loan refinanced by a term loan sized to 1.4x DSCR (loan terms illustrative)",
                body: ProjectRequest::financed(),
            },
            Example {
                name: "mining_site_converted",
                summary: "Sandersville converted from mining: $9M a month of margin given up from month 6, falling 30% a year; the build follows, rent from month 24",
                body: ProjectRequest::converted(),
            },
            Example {
                name: "mining_site_converted_along_a_margin_path",
                summary: "The same conversion along a monthly margin path: the projection's 22 months of margin to the 2028 halving, in $M rounded to $10,000, then nothing",
                body: ProjectRequest::converted_along_a_path(),
            },
            Example {
                name: "mining_site_converted_from_a_projection",
                summary: "The same conversion, the margin given up taken from a projection of the site's 15.5 EH/s (economic shut-off after the 2028 halving)",
                body: ProjectRequest::converted_from_a_projection(),
            },
        ]
    }
}

/// Refuses two alternative fields given together; each is `(name, given)`.
fn exclusive(a: (&'static str, bool), b: (&'static str, bool)) -> Result<(), CoreError> {
    if a.1 && b.1 {
        return Err(CoreError::exactly_one_of(&[a.0, b.0], &[a.0, b.0]));
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
        let leases = match req.leases {
            None => Vec::new(),
            Some(list) => {
                for (name, given) in [
                    ("rate_per_kw_month", req.rate_per_kw_month.is_some()),
                    ("occupancy_by_year", req.occupancy_by_year.is_some()),
                    ("months_to_stabilize", req.months_to_stabilize.is_some()),
                    ("stabilized_occupancy", req.stabilized_occupancy.is_some()),
                    ("lease_start_month", req.lease_start_month.is_some()),
                    ("rent_escalator", req.rent_escalator.is_some()),
                ] {
                    exclusive(("leases", true), (name, given))?;
                }
                list.into_iter()
                    .enumerate()
                    .map(|(i, l)| l.into_lease(i))
                    .collect::<Result<Vec<_>, _>>()?
            }
        };
        // With leases the single rate is not read; the first lease's
        // stands in for it.
        let rate_per_kw_month = match (req.rate_per_kw_month, leases.first()) {
            (Some(rate), _) => Price::new(rate.get()).at("rate_per_kw_month")?,
            (None, Some(lease)) => lease.rate_per_kw_month,
            (None, None) => {
                return Err(CoreError::exactly_one_of(
                    &["rate_per_kw_month", "leases"],
                    &[],
                ))
            }
        };
        exclusive(
            ("occupancy_by_year", req.occupancy_by_year.is_some()),
            ("months_to_stabilize", req.months_to_stabilize.is_some()),
        )?;
        if req.stabilized_occupancy.is_some() && req.months_to_stabilize.is_none() {
            return Err(CoreError::missing_dependency(
                "stabilized_occupancy",
                "months_to_stabilize",
            ));
        }
        let lease_up = match (req.occupancy_by_year, req.months_to_stabilize) {
            (Some(list), _) => {
                let fractions = list
                    .into_iter()
                    .enumerate()
                    .map(|(i, o)| Fraction::new(o.get()).at(format!("occupancy_by_year[{i}]")))
                    .collect::<Result<Vec<_>, _>>()?;
                LeaseUp::by_year(fractions)?
            }
            (None, Some(months)) => LeaseUp::linear(
                months.to_u32(),
                match req.stabilized_occupancy {
                    Some(o) => Fraction::new(o.get()).at("stabilized_occupancy")?,
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
            (_, Some(usd)) => Opex::PerKwMonth(Usd::new(usd.get()).at("opex_per_kw_month")?),
            (f, None) => Opex::FractionOfRent(fraction_or_zero(f, "opex_fraction")?),
        };
        let power = match req.power_price_per_mwh {
            None => {
                if req.power_margin.is_some() {
                    return Err(CoreError::missing_dependency(
                        "power_margin",
                        "power_price_per_mwh",
                    ));
                }
                None
            }
            Some(price) => Some(PowerPassThrough {
                pue: infraval_core::colocation::Pue::new(
                    req.pue
                        .ok_or(CoreError::missing_dependency("power_price_per_mwh", "pue"))?
                        .get(),
                )
                .at("pue")?,
                price_per_mwh: Usd::new(price.get()).at("power_price_per_mwh")?,
                margin: fraction_or_zero(req.power_margin, "power_margin")?,
            }),
        };
        let tax = match (req.tax_rate, req.depreciation_years) {
            (None, Some(_)) => {
                return Err(CoreError::missing_dependency(
                    "depreciation_years",
                    "tax_rate",
                ))
            }
            (None, None) => None,
            (Some(rate), years) => Some(Tax {
                rate: Fraction::new(rate.get()).at("tax_rate")?,
                depreciation_years: years.map_or(DEFAULT_DEPRECIATION_YEARS, Int::to_u32),
            }),
        };
        exclusive(
            ("exit_cap_rate", req.exit_cap_rate.is_some()),
            ("exit_multiple", req.exit_multiple.is_some()),
        )?;
        let exit = match (req.exit_cap_rate, req.exit_multiple) {
            (Some(c), _) => Some(Exit::CapRate(c.get())),
            (None, Some(m)) => Some(Exit::Multiple(m.get())),
            (None, None) => None,
        };
        Ok(ProjectInput {
            lease_start_month: req
                .lease_start_month
                .map_or_else(|| build.phases.end_month(), Int::to_u32),
            build,
            rate_per_kw_month,
            lease_up,
            rent_escalator: req.rent_escalator.map_or(Decimal::ZERO, Num::get),
            opex,
            power,
            maintenance_capex: fraction_or_zero(req.maintenance_capex, "maintenance_capex")?,
            tax,
            discount_rate: req.discount_rate.get(),
            horizon_years: req.horizon_years.to_u32(),
            exit,
            financing: req.financing.map(TryInto::try_into).transpose()?,
            leases,
            periods: match req.periods.unwrap_or_default() {
                PeriodsName::Yearly => Periods::Yearly,
                PeriodsName::Monthly => Periods::Monthly,
            },
            conversion: req.conversion.map(TryInto::try_into).transpose()?,
        })
    }
}

/// One year of the cash-flow table. Money is USD rounded to cents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectYearResponse {
    /// Year index, 0 at the start of construction.
    pub year: u32,
    /// Average leased share of the IT capacity over the year, 6 decimals.
    pub occupancy: Num,
    /// Rent.
    pub rent_revenue: Num,
    /// Pass-through power billed (cost × (1 + margin)).
    pub power_revenue: Num,
    /// Rent plus power revenue.
    pub revenue: Num,
    /// Operating expenses, including power bought.
    pub opex: Num,
    /// Net operating income: revenue − opex.
    pub noi: Num,
    /// Construction capex still to be spent.
    pub capex: Num,
    /// Maintenance capex.
    pub maintenance_capex: Num,
    /// Income tax.
    pub tax: Num,
    /// Sale proceeds (the horizon year only).
    pub exit_value: Num,
    /// Mining margin given up in the year, a cost shown positive (negative
    /// when the fleet would have lost money); only with `conversion`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mining_margin_forgone: Option<Num>,
    /// NOI − capex − maintenance capex − tax + exit value − mining margin
    /// forgone.
    pub cash_flow: Num,
    /// Running total of the cash flow.
    pub cumulative: Num,
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
    pub total_cost: Num,
    /// Build cost not yet spent.
    pub remaining_capex: Num,
    /// Net present value at the discount rate.
    pub npv: Num,
    /// Internal rate of return, a fraction a year.
    pub irr: Num,
    /// Years until the cumulative cash flow (exit included) turns
    /// non-negative; absent if it never does within the horizon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payback_years: Option<Num>,
    /// Rent a year at stabilized occupancy and first-year rate.
    pub stabilized_arr: Num,
    /// NOI a year at stabilized occupancy and first-year rate.
    pub stabilized_noi: Num,
    /// Stabilized NOI / total cost; absent when the total cost is zero.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yield_on_cost: Option<Num>,
    /// Yield on cost − exit cap rate; only with `exit_cap_rate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub development_spread: Option<Num>,
    /// Sale proceeds at the horizon.
    pub exit_value: Num,
    /// Σ positive cash flows / Σ |negative cash flows|; absent without outflows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equity_multiple: Option<Num>,
    /// The debt schedule and levered returns; only with `financing`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub financing: Option<FinancingResponse>,
    /// Each month's cash flow, month 0 to the horizon's last; only with
    /// `periods: "monthly"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_cash_flows: Option<Vec<Num>>,
    /// The mining margin given up over the horizon, undiscounted; only
    /// with `conversion`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mining_margin_forgone: Option<Num>,
    /// Its present value at `discount_rate`, each period's amount
    /// discounted like that period's cash flow; only with `conversion`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mining_margin_forgone_pv: Option<Num>,
}

pub(crate) fn rate_out(d: Decimal) -> Num {
    num::round(d, RATE_DECIMALS)
}

pub(crate) fn ratio_out(d: Decimal) -> Num {
    num::round(d, RATIO_DECIMALS)
}

impl TryFrom<project::Project> for ProjectResponse {
    type Error = CoreError;

    /// Fails with the IRR's error when the project has no IRR.
    fn try_from(out: project::Project) -> Result<Self, CoreError> {
        let converted = out.mining_margin_forgone.is_some();
        Ok(ProjectResponse {
            mining_margin_forgone: out
                .mining_margin_forgone
                .map(|(total, _)| num::cents(total)),
            mining_margin_forgone_pv: out.mining_margin_forgone.map(|(_, pv)| num::cents(pv)),
            irr: rate_out(out.irr?),
            years: out
                .years
                .into_iter()
                .map(|y| ProjectYearResponse {
                    year: y.year,
                    occupancy: num::round(y.occupancy, 6),
                    rent_revenue: num::cents(y.rent_revenue),
                    power_revenue: num::cents(y.power_revenue),
                    revenue: num::cents(y.revenue),
                    opex: num::cents(y.opex),
                    noi: num::cents(y.noi),
                    capex: num::cents(y.capex),
                    maintenance_capex: num::cents(y.maintenance_capex),
                    tax: num::cents(y.tax),
                    exit_value: num::cents(y.exit_value),
                    mining_margin_forgone: converted.then(|| num::cents(y.mining_margin_forgone)),
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
            financing: out
                .levered
                .map(|l| FinancingResponse::new(l, out.stabilization_year)),
            monthly_cash_flows: out
                .monthly_cash_flows
                .map(|flows| flows.into_iter().map(num::cents).collect()),
        })
    }
}

/// An input that goal seek and sensitivity can vary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VariableName {
    /// First-year rent, USD per kW-month.
    #[default]
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
    /// The flat mining margin given up, `conversion.mining_margin_per_month`
    /// (the project must be a conversion with a flat margin).
    MiningMarginPerMonth,
}

impl VariableName {
    /// The range of the variable: that of the project field of the same
    /// name. Goal-seek brackets and sensitivity values are checked
    /// against it.
    pub fn bounds(self) -> Bounds {
        match self {
            VariableName::RatePerKwMonth => bounds::RATE_PER_KW_MONTH,
            VariableName::CostPerMw => bounds::COST_PER_MW,
            VariableName::StabilizedOccupancy | VariableName::OpexFraction => bounds::FRACTION,
            VariableName::RentEscalator => bounds::RENT_ESCALATOR,
            VariableName::DiscountRate => bounds::DISCOUNT_RATE,
            VariableName::ExitCapRate => bounds::POSITIVE_FRACTION,
            VariableName::ExitMultiple => bounds::MULTIPLE,
            VariableName::OpexPerKwMonth => bounds::OPEX_PER_KW_MONTH,
            VariableName::PowerPricePerMwh => bounds::POWER_PRICE_PER_MWH,
            VariableName::MiningMarginPerMonth => bounds::MINING_MARGIN_PER_MONTH,
        }
    }

    /// The decimal places goal seek rounds a solved value to: those of the
    /// quantity in the service's answers (a rent to 4 like `/arr`'s rate,
    /// money to cents, fractions to 8 like rates, a multiple to 4).
    pub fn decimals(self) -> u32 {
        match self {
            VariableName::RatePerKwMonth
            | VariableName::OpexPerKwMonth
            | VariableName::ExitMultiple => RATIO_DECIMALS,
            VariableName::CostPerMw
            | VariableName::PowerPricePerMwh
            | VariableName::MiningMarginPerMonth => 2,
            VariableName::StabilizedOccupancy
            | VariableName::OpexFraction
            | VariableName::RentEscalator
            | VariableName::DiscountRate
            | VariableName::ExitCapRate => RATE_DECIMALS,
        }
    }
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
            VariableName::MiningMarginPerMonth => Variable::MiningMarginPerMonth,
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
            Variable::MiningMarginPerMonth => VariableName::MiningMarginPerMonth,
        }
    }
}

/// A result of the project model that goal seek and sensitivity can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MetricName {
    /// Net present value, USD.
    Npv,
    /// Internal rate of return.
    #[default]
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
    /// IRR of the levered cash flows (needs `financing`).
    LeveredIrr,
    /// NPV of the levered cash flows, USD (needs `financing`).
    LeveredNpv,
    /// Lowest DSCR of the term loan (needs a term loan).
    MinDscr,
    /// Mean DSCR of the term loan (needs a term loan).
    AvgDscr,
    /// Equity multiple of the levered cash flows (needs `financing`).
    LeveredEquityMultiple,
    /// Largest cumulative equity outlay, USD (needs `financing`).
    PeakEquity,
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
            MetricName::LeveredIrr => Metric::LeveredIrr,
            MetricName::LeveredNpv => Metric::LeveredNpv,
            MetricName::MinDscr => Metric::MinDscr,
            MetricName::AvgDscr => Metric::AvgDscr,
            MetricName::LeveredEquityMultiple => Metric::LeveredEquityMultiple,
            MetricName::PeakEquity => Metric::PeakEquity,
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
            Metric::LeveredIrr => MetricName::LeveredIrr,
            Metric::LeveredNpv => MetricName::LeveredNpv,
            Metric::MinDscr => MetricName::MinDscr,
            Metric::AvgDscr => MetricName::AvgDscr,
            Metric::LeveredEquityMultiple => MetricName::LeveredEquityMultiple,
            Metric::PeakEquity => MetricName::PeakEquity,
        }
    }
}

/// A metric's value as the wire shows it: money in cents, rates to 8
/// decimals, years and multiples to 4.
pub(crate) fn metric_out(metric: Metric, value: Decimal) -> Num {
    match metric {
        Metric::Npv
        | Metric::StabilizedNoi
        | Metric::Arr
        | Metric::ExitValue
        | Metric::LeveredNpv
        | Metric::PeakEquity => num::cents(value),
        Metric::Irr | Metric::YieldOnCost | Metric::DevelopmentSpread | Metric::LeveredIrr => {
            rate_out(value)
        }
        Metric::PaybackYears
        | Metric::EquityMultiple
        | Metric::MinDscr
        | Metric::AvgDscr
        | Metric::LeveredEquityMultiple => ratio_out(value),
    }
}

/// Prefixes the field of an error with the path of the object it sits in
/// (`project` + `cost_per_mw` is `project.cost_per_mw`): the core's one
/// [`prefix_field`](infraval_core::valuation::prefix_field).
pub(crate) fn under(prefix: &str, err: CoreError) -> CoreError {
    infraval_core::valuation::prefix_field(err, &format!("{prefix}."))
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
        req.exit_multiple = Some(dec!(14).into());
        assert!(matches!(
            ProjectInput::try_from(req),
            Err(CoreError::ExactlyOneOf { .. })
        ));
    }

    #[test]
    fn each_variable_has_the_range_of_the_project_field_of_its_name() {
        let mut named = vec![(
            ProjectRequest::name().into_owned(),
            <ProjectRequest as utoipa::PartialSchema>::schema(),
        )];
        <ProjectRequest as ToSchema>::schemas(&mut named);
        let mut schemas: crate::wire::Schemas = named.into_iter().collect();
        crate::wire::inline_scalars(&mut schemas);
        crate::wire::document::<ProjectRequest>(&mut schemas);
        let project = serde_json::to_value(&schemas["ProjectRequest"]).unwrap();
        let ends = |schema: &serde_json::Value| {
            ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]
                .map(|key| schema[key].as_f64())
        };
        for variable in [
            VariableName::RatePerKwMonth,
            VariableName::CostPerMw,
            VariableName::StabilizedOccupancy,
            VariableName::RentEscalator,
            VariableName::DiscountRate,
            VariableName::ExitCapRate,
            VariableName::ExitMultiple,
            VariableName::OpexFraction,
            VariableName::OpexPerKwMonth,
            VariableName::PowerPricePerMwh,
            VariableName::MiningMarginPerMonth,
        ] {
            let name = serde_json::to_value(variable).unwrap();
            // The mining margin is the conversion's field of that name.
            let owner = match variable {
                VariableName::MiningMarginPerMonth => {
                    serde_json::to_value(&schemas["ConversionRequest"]).unwrap()
                }
                _ => project.clone(),
            };
            let field = &owner["properties"][name.as_str().unwrap()];
            let mut own = utoipa::openapi::schema::Object::new();
            variable.bounds().document(&mut own);
            let own = serde_json::to_value(own).unwrap();
            assert_eq!(ends(field), ends(&own), "{name}");
            assert!(
                ends(field).iter().any(Option::is_some),
                "{name} has a range"
            );
        }
    }

    #[test]
    fn a_nested_project_error_names_its_path() {
        let mut req = example();
        req.horizon_years = Int::new(80);
        let err = nested_project(req).unwrap_err();
        assert_eq!(err.field(), Some("project.horizon_years"));
    }
}
