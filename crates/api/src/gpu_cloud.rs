//! A GPU cloud's returns: `POST /v1/gpu-cloud/project`.

use infraval_core::colocation::Pue;
use infraval_core::error::AtField;
use infraval_core::gpu_cloud::{
    self, Contract, Delivery, GpuCloudInput, Refresh, SpotUtilization, Terminal,
};
use infraval_core::num::{Fraction, Usd};
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::build_cost::{fraction_or_zero, usd_or_zero};
use crate::project::{RATE_DECIMALS, RATIO_DECIMALS};
use crate::wire::{Int, Num, Wire};
use crate::{bounds, num, Example, Examples};

/// An operator that rents GPUs by the hour: one fleet bought at time 0,
/// replaced at the end of each useful life, to an exit at the horizon.
///
/// Years are years of operation after the purchase (year 0). A fleet
/// bought at the end of year `T` serves years `T + 1` to `T + life` and is
/// sold for its residual when it retires; with `refresh` (the default) the
/// next fleet is bought on the same date, so a 4-year life over 10 years
/// refreshes at years 4 and 8. The fleet in service at the horizon is
/// worth its book value (straight-line depreciation to the residual),
/// unless `exit_multiple` is given. `contracts` sell GPUs for a term at a
/// fixed price (take-or-pay by default), the rest are sold at spot;
/// `deliveries` add later tranches, each on its own clock. See the README
/// for the formulas.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct GpuCloudRequest {
    /// GPUs in the fleet.
    #[wire(bounds::GPU_COUNT)]
    pub gpu_count: Int,
    /// Capex per GPU, USD: the GPU with its share of server, network and
    /// fit-out, spent at year 0.
    #[wire(bounds::CAPEX_PER_GPU)]
    pub capex_per_gpu: Num,
    /// Rent of a new GPU, USD per GPU-hour sold.
    #[wire(bounds::PRICE_PER_GPU_HOUR)]
    pub price_per_gpu_hour: Num,
    /// Fall in the rent a year of a fleet's age, a fraction: in year `a`
    /// of its life (0-based) a fleet rents at `price × (1 − decline)^a`. A
    /// refreshed fleet starts again at `refresh_price_per_gpu_hour`.
    /// Default 0.
    #[wire(bounds::FRACTION, default = Decimal::ZERO)]
    pub price_decline_per_year: Option<Num>,
    /// Spot utilisation once ramped: spot GPU-hours sold / spot
    /// GPU-hours, a fraction. Exactly one of this and
    /// `utilization_by_year`.
    #[wire(bounds::FRACTION)]
    pub utilization: Option<Num>,
    /// Months of a straight-line ramp to `utilization` from the start of
    /// operations: month `j` (0-based) sells `utilization × min(j + 1,
    /// months) / months`. Not repeated at a refresh. Default 0 (none);
    /// only with `utilization`.
    #[wire(bounds::MONTHS_TO_RAMP, default_with = |r: &Self| r.utilization_by_year.is_none().then_some(Int::new(0)))]
    pub months_to_ramp: Option<Int>,
    /// Spot utilisation of operating years 1, 2, … (fractions, 1 to 30 of
    /// them); the last value holds for the years after. In place of
    /// `utilization` and `months_to_ramp`. Like the ramp, not restarted at
    /// a refresh.
    #[wire(bounds::UTILIZATION_BY_YEAR)]
    pub utilization_by_year: Option<Vec<Num>>,
    /// GPUs sold for a term at a fixed price, at most 20. The contracts in
    /// force in a year hold at most `gpu_count` GPUs; the rest are sold at
    /// the spot price and utilisation. Default: none, all spot.
    #[wire(bounds::GPU_CONTRACTS)]
    pub contracts: Option<Vec<GpuContractRequest>>,
    /// Share of contracted GPU-hours the customers use, a fraction: the
    /// contracted GPUs draw power for it, and a contract that is not
    /// take-or-pay is paid for it only. Default 1 with `contracts`; only
    /// with them.
    #[wire(bounds::FRACTION, default_with = |r: &Self| r.contracts.is_some().then_some(Num::new(Decimal::ONE)))]
    pub contracted_utilization: Option<Num>,
    /// Later tranches of GPUs, at most 10, each bought at the end of the
    /// year before its `delivery_year` and then aged, depreciated,
    /// retired and (with `refresh`) renewed at its own capex and price on
    /// its own clock. Default: none.
    #[wire(bounds::GPU_DELIVERIES)]
    pub deliveries: Option<Vec<GpuDeliveryRequest>>,
    /// Years each fleet serves; GPU clouds depreciate over 4 to 6.
    #[wire(bounds::USEFUL_LIFE_YEARS)]
    pub useful_life_years: Int,
    /// What a retired fleet sells for, a fraction of its capex; also the
    /// value depreciation runs down to. Default 0.
    #[wire(bounds::FRACTION, default = Decimal::ZERO)]
    pub residual_fraction: Option<Num>,
    /// Buy a new fleet at each end of life (true, the default), or stop
    /// operating when the first fleet retires (false).
    #[wire(default = true)]
    pub refresh: Option<bool>,
    /// Capex per GPU of each new fleet, USD. Default `capex_per_gpu`;
    /// only with `refresh`.
    #[wire(bounds::CAPEX_PER_GPU, default_with = |r: &Self| (r.refresh != Some(false)).then_some(r.capex_per_gpu))]
    pub refresh_capex_per_gpu: Option<Num>,
    /// Rent of a GPU of each new fleet when new, USD per GPU-hour (the new
    /// generation). Default `price_per_gpu_hour`; only with `refresh`.
    #[wire(bounds::PRICE_PER_GPU_HOUR, default_with = |r: &Self| (r.refresh != Some(false)).then_some(r.price_per_gpu_hour))]
    pub refresh_price_per_gpu_hour: Option<Num>,
    /// All-in IT power per GPU at full load, kW (GPU, server, network);
    /// `gpu_count × power_kw_per_gpu / 1,000` is the IT capacity in MW.
    #[wire(bounds::POWER_KW_PER_GPU)]
    pub power_kw_per_gpu: Num,
    /// Power usage effectiveness of the site.
    #[wire(bounds::PUE)]
    pub pue: Num,
    /// Power price, USD per MWh.
    #[wire(bounds::POWER_PRICE_PER_MWH)]
    pub power_price_per_mwh: Num,
    /// Share of full power an unsold GPU draws, a fraction. Default 0:
    /// power is drawn for the GPU-hours sold only; 1 draws full power all
    /// year whatever the utilisation.
    #[wire(bounds::FRACTION, default = Decimal::ZERO)]
    pub idle_power_fraction: Option<Num>,
    /// Other opex, USD per GPU per month (staff, colocation of the
    /// servers, maintenance), while a fleet is in service. Default 0.
    #[wire(bounds::OPEX_PER_GPU_MONTH, default = Decimal::ZERO)]
    pub other_opex_per_gpu_month: Option<Num>,
    /// Other opex as a fraction of revenue (sales, support). Default 0.
    #[wire(bounds::FRACTION, default = Decimal::ZERO)]
    pub opex_fraction_of_revenue: Option<Num>,
    /// Income tax rate on NOI less depreciation, each year never below
    /// zero (no loss carry-forward); residual and terminal proceeds are
    /// not taxed. Default 0.
    #[wire(bounds::TAX_RATE, default = Decimal::ZERO)]
    pub tax_rate: Option<Num>,
    /// Discount rate a year.
    #[wire(bounds::DISCOUNT_RATE)]
    pub discount_rate: Num,
    /// The last year of operation.
    #[wire(bounds::GPU_CLOUD_HORIZON_YEARS)]
    pub horizon_years: Int,
    /// Terminal value: the last year's NOI times this multiple (never
    /// below zero). Default: none, the fleet in service at its book value.
    #[wire(bounds::MULTIPLE)]
    pub exit_multiple: Option<Num>,
}

/// GPUs sold for a term at a fixed price, as the miners' GPU deals are
/// written (IREN–Microsoft, Nebius–Microsoft, CoreWeave's take-or-pay
/// contracts).
///
/// The contract runs whole operating years `start_year` to `start_year +
/// term_years − 1`, which must end by `horizon_years` and, without
/// `refresh`, by the end of the first fleet's life (a refreshed fleet
/// serves it on). Year `k` of the contract (0-based) is priced at
/// `price_per_gpu_hour × (1 + escalator_per_year)^k`. Under take-or-pay
/// (the default) it earns `gpu_count × 8,760 × price` a year whatever is
/// used; otherwise only the `contracted_utilization` share is paid. A
/// prepayment is received the day the contract starts (the end of year
/// `start_year − 1`, year 0 for a contract from year 1) and drawn down in
/// proportion to the contract's revenue: each year it covers `prepayment ×
/// that year's contract revenue / the term's`, which is billed but not
/// received in cash.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct GpuContractRequest {
    /// The customer or the contract, at most 100 characters.
    pub name: String,
    /// GPUs the contract holds, 1 to the fleet's `gpu_count`.
    #[wire(bounds::GPU_COUNT)]
    pub gpu_count: Int,
    /// Price in the contract's first year, USD per contracted GPU-hour.
    #[wire(bounds::PRICE_PER_GPU_HOUR)]
    pub price_per_gpu_hour: Num,
    /// Yearly change of the price, a fraction (−0.5 to 0.5). Default 0.
    #[wire(bounds::RENT_ESCALATOR, default = Decimal::ZERO)]
    pub escalator_per_year: Option<Num>,
    /// The contract's first operating year (1-based). Default 1.
    #[wire(bounds::CONTRACT_YEARS, default = 1)]
    pub start_year: Option<Int>,
    /// Whole years the contract runs.
    #[wire(bounds::CONTRACT_YEARS)]
    pub term_years: Int,
    /// Paid in advance by the customer, USD, at most the contract's revenue
    /// over its term. Default 0.
    #[wire(bounds::USD, default = Decimal::ZERO)]
    pub prepayment_usd: Option<Num>,
    /// Every contracted GPU-hour is paid whether used or not. Default true.
    #[wire(default = true)]
    pub take_or_pay: Option<bool>,
}

/// A later tranche of GPUs.
///
/// Bought at the end of year `delivery_year − 1` for `gpu_count ×
/// capex_per_gpu`, it serves from `delivery_year` for
/// `useful_life_years`, renting at spot at `price_per_gpu_hour × (1 −
/// price_decline_per_year)^age`, and retires for `residual_fraction` of its
/// cost; with `refresh` it is renewed at its own capex and price. Spot
/// utilisation is the fleet's for that year (a delivery does not restart
/// the ramp), and contracts take GPUs from every tranche in service in
/// proportion to its size.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct GpuDeliveryRequest {
    /// GPUs delivered; with the first fleet at most 10,000,000 in all.
    #[wire(bounds::GPU_COUNT)]
    pub gpu_count: Int,
    /// The first operating year the tranche serves, by `horizon_years`.
    #[wire(bounds::DELIVERY_YEAR)]
    pub delivery_year: Int,
    /// Capex per GPU of the tranche, USD.
    #[wire(bounds::CAPEX_PER_GPU)]
    pub capex_per_gpu: Num,
    /// Spot rent of a new GPU of the tranche, USD per GPU-hour.
    #[wire(bounds::PRICE_PER_GPU_HOUR)]
    pub price_per_gpu_hour: Num,
}

impl GpuDeliveryRequest {
    /// Converts delivery `i`, naming faults `deliveries[i].<field>`.
    fn into_delivery(self, i: usize) -> Result<Delivery, CoreError> {
        let at = |f: &str| format!("deliveries[{i}].{f}");
        Ok(Delivery {
            gpu_count: self.gpu_count.to_u64(),
            delivery_year: self.delivery_year.to_u32(),
            capex_per_gpu: Usd::new(self.capex_per_gpu.get()).at(at("capex_per_gpu"))?,
            price_per_gpu_hour: Usd::new(self.price_per_gpu_hour.get())
                .at(at("price_per_gpu_hour"))?,
        })
    }
}

impl GpuContractRequest {
    /// Converts contract `i`, naming faults `contracts[i].<field>`.
    fn into_contract(self, i: usize) -> Result<Contract, CoreError> {
        let at = |f: &str| format!("contracts[{i}].{f}");
        if self.name.chars().count() > crate::lease::MAX_TENANT_CHARS {
            return Err(CoreError::Inconsistent {
                field: at("name"),
                reason: "a contract's name is at most 100 characters",
            });
        }
        Ok(Contract {
            gpu_count: self.gpu_count.to_u64(),
            price_per_gpu_hour: Usd::new(self.price_per_gpu_hour.get())
                .at(at("price_per_gpu_hour"))?,
            escalator_per_year: self.escalator_per_year.map_or(Decimal::ZERO, Num::get),
            start_year: self.start_year.map_or(1, Int::to_u32),
            term_years: self.term_years.to_u32(),
            prepayment: Usd::new(self.prepayment_usd.map_or(Decimal::ZERO, Num::get))
                .at(at("prepayment_usd"))?,
            take_or_pay: self.take_or_pay.unwrap_or(true),
        })
    }
}

impl GpuCloudRequest {
    /// The README's GPU cloud: 20,000 H100-class GPUs on 28 MW of IT load
    /// (a slice of CleanSpark's 285 MW Austin County campus), at figures in
    /// the range of public GPU-cloud deals: about $40,000 a GPU all-in,
    /// $2.00 a GPU-hour, 1.4 kW a GPU. Illustrative, not any filing's.
    pub fn austin_county() -> serde_json::Value {
        json!({
            "gpu_count": 20000,
            "capex_per_gpu": 40000,
            "price_per_gpu_hour": 2.0,
            "price_decline_per_year": 0.15,
            "utilization": 0.85,
            "months_to_ramp": 6,
            "useful_life_years": 4,
            "residual_fraction": 0.1,
            "power_kw_per_gpu": 1.4,
            "pue": 1.3,
            "power_price_per_mwh": 45,
            "other_opex_per_gpu_month": 150,
            "tax_rate": 0.21,
            "discount_rate": 0.12,
            "horizon_years": 12
        })
    }
}

impl GpuCloudRequest {
    /// The Austin County fleet with most of it under a term contract
    /// written like IREN's with Microsoft (a 5-year take-or-pay contract
    /// on the fleet, about a fifth prepaid), scaled to 20,000 GPUs: 16,000
    /// contracted for years 1 to 5 at a fixed $2.20 a GPU-hour with 20% of
    /// the contract's revenue prepaid and 95% of the hours used, the other
    /// 4,000 at spot. A 5-year life
    /// matches the contract; the fleet is refreshed at year 5 and sold at
    /// spot after it. Illustrative figures, not any filing's.
    pub fn austin_county_contracted() -> serde_json::Value {
        let mut body = GpuCloudRequest::austin_county();
        body["useful_life_years"] = json!(5);
        body["horizon_years"] = json!(10);
        body["contracts"] = json!([{
            "name": "hyperscaler (illustrative)",
            "gpu_count": 16000,
            "price_per_gpu_hour": 2.2,
            "escalator_per_year": 0,
            "start_year": 1,
            "term_years": 5,
            "prepayment_usd": 308352000,
            "take_or_pay": true
        }]);
        body["contracted_utilization"] = json!(0.95);
        body
    }
}

impl Examples for GpuCloudRequest {
    fn examples() -> Vec<Example> {
        let mut six_years = GpuCloudRequest::austin_county();
        six_years["useful_life_years"] = json!(6);
        six_years["exit_multiple"] = json!(4);
        six_years["refresh_capex_per_gpu"] = json!(45000);
        six_years["refresh_price_per_gpu_hour"] = json!(2.5);
        six_years["idle_power_fraction"] = json!(0.3);
        six_years["opex_fraction_of_revenue"] = json!(0.03);
        vec![
            Example {
                name: "austin_county",
                summary: "20,000 H100-class GPUs, $40,000 each, $2.00 a GPU-hour falling 15% a year, 85% utilisation, a 4-year life refreshed at years 4 and 8 (figures illustrative)",
                body: GpuCloudRequest::austin_county(),
            },
            Example {
                name: "six_year_life_and_an_exit_multiple",
                summary: "The same fleet on a 6-year life, refreshed at year 6 with a next generation at $45,000 renting at $2.50, idle GPUs drawing 30% power, 3% of revenue in opex, sold at 4 times the last year's NOI",
                body: six_years,
            },
            Example {
                name: "contracted_capacity",
                summary: "The Austin County fleet on a 5-year life over 10 years, 16,000 of its 20,000 GPUs under a 5-year take-or-pay contract at $2.20 a GPU-hour with 20% prepaid, written like IREN's with Microsoft and scaled down (figures illustrative)",
                body: GpuCloudRequest::austin_county_contracted(),
            },
            Example {
                name: "a_second_tranche",
                summary: "The Austin County fleet with 10,000 next-generation GPUs delivered for year 3 at $45,000 each, renting at $2.50 new, each tranche on its own 4-year clock (figures illustrative)",
                body: {
                    let mut body = GpuCloudRequest::austin_county();
                    body["deliveries"] = json!([{
                        "gpu_count": 10000,
                        "delivery_year": 3,
                        "capex_per_gpu": 45000,
                        "price_per_gpu_hour": 2.5
                    }]);
                    body
                },
            },
            Example {
                name: "utilization_by_year",
                summary: "The Austin County fleet with its spot utilisation given year by year: 50%, 75%, then 85% from year 3",
                body: {
                    let mut body = GpuCloudRequest::austin_county();
                    if let Some(fields) = body.as_object_mut() {
                        fields.remove("utilization");
                        fields.remove("months_to_ramp");
                    }
                    body["utilization_by_year"] = json!([0.5, 0.75, 0.85]);
                    body
                },
            },
        ]
    }
}

impl TryFrom<GpuCloudRequest> for GpuCloudInput {
    type Error = CoreError;

    fn try_from(req: GpuCloudRequest) -> Result<Self, CoreError> {
        let refresh = match req.refresh {
            Some(false) => {
                for (field, given) in [
                    ("refresh_capex_per_gpu", req.refresh_capex_per_gpu.is_some()),
                    (
                        "refresh_price_per_gpu_hour",
                        req.refresh_price_per_gpu_hour.is_some(),
                    ),
                ] {
                    if given {
                        return Err(CoreError::Inconsistent {
                            field: field.into(),
                            reason: "is only read with `refresh: true`",
                        });
                    }
                }
                None
            }
            _ => Some(Refresh {
                capex_per_gpu: Usd::new(
                    req.refresh_capex_per_gpu.unwrap_or(req.capex_per_gpu).get(),
                )
                .at("refresh_capex_per_gpu")?,
                price_per_gpu_hour: Usd::new(
                    req.refresh_price_per_gpu_hour
                        .unwrap_or(req.price_per_gpu_hour)
                        .get(),
                )
                .at("refresh_price_per_gpu_hour")?,
            }),
        };
        let utilization = match (req.utilization, req.utilization_by_year) {
            (Some(_), Some(_)) => {
                return Err(CoreError::Inconsistent {
                    field: "utilization_by_year".into(),
                    reason: "replaces `utilization`: give one of the two",
                })
            }
            (Some(u), None) => SpotUtilization::Ramp {
                utilization: Fraction::new(u.get()).at("utilization")?,
                months_to_ramp: req.months_to_ramp.map_or(0, Int::to_u32),
            },
            (None, Some(path)) => {
                if req.months_to_ramp.is_some() {
                    return Err(CoreError::Inconsistent {
                        field: "months_to_ramp".into(),
                        reason: "is a ramp to `utilization`, not read with `utilization_by_year`",
                    });
                }
                SpotUtilization::ByYear(
                    path.into_iter()
                        .enumerate()
                        .map(|(i, u)| {
                            Fraction::new(u.get()).at(format!("utilization_by_year[{i}]"))
                        })
                        .collect::<Result<Vec<_>, _>>()?,
                )
            }
            (None, None) => {
                return Err(CoreError::exactly_one_of(
                    &["utilization", "utilization_by_year"],
                    &[],
                ))
            }
        };
        if req.contracts.is_none() && req.contracted_utilization.is_some() {
            return Err(CoreError::missing_dependency(
                "contracted_utilization",
                "contracts",
            ));
        }
        let contracts = req
            .contracts
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(i, c)| c.into_contract(i))
            .collect::<Result<Vec<_>, _>>()?;
        let contracted_utilization = match req.contracted_utilization {
            Some(u) => Fraction::new(u.get()).at("contracted_utilization")?,
            None => Fraction::ONE,
        };
        Ok(GpuCloudInput {
            gpu_count: req.gpu_count.to_u64(),
            capex_per_gpu: Usd::new(req.capex_per_gpu.get()).at("capex_per_gpu")?,
            price_per_gpu_hour: Usd::new(req.price_per_gpu_hour.get()).at("price_per_gpu_hour")?,
            price_decline_per_year: fraction_or_zero(
                req.price_decline_per_year,
                "price_decline_per_year",
            )?,
            utilization,
            contracts,
            contracted_utilization,
            deliveries: req
                .deliveries
                .unwrap_or_default()
                .into_iter()
                .enumerate()
                .map(|(i, d)| d.into_delivery(i))
                .collect::<Result<Vec<_>, _>>()?,
            useful_life_years: req.useful_life_years.to_u32(),
            residual_fraction: fraction_or_zero(req.residual_fraction, "residual_fraction")?,
            refresh,
            power_kw_per_gpu: req.power_kw_per_gpu.get(),
            pue: Pue::new(req.pue.get()).at("pue")?,
            power_price_per_mwh: Usd::new(req.power_price_per_mwh.get())
                .at("power_price_per_mwh")?,
            idle_power_fraction: fraction_or_zero(req.idle_power_fraction, "idle_power_fraction")?,
            other_opex_per_gpu_month: usd_or_zero(
                req.other_opex_per_gpu_month,
                "other_opex_per_gpu_month",
            )?,
            opex_fraction_of_revenue: fraction_or_zero(
                req.opex_fraction_of_revenue,
                "opex_fraction_of_revenue",
            )?,
            tax_rate: fraction_or_zero(req.tax_rate, "tax_rate")?,
            discount_rate: req.discount_rate.get(),
            horizon_years: req.horizon_years.to_u32(),
            terminal: req
                .exit_multiple
                .map_or(Terminal::BookValue, |m| Terminal::ExitMultiple(m.get())),
        })
    }
}

/// One year of the GPU cloud. Money is USD rounded to cents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GpuCloudYearResponse {
    /// 0 for the first purchase, then the years of operation.
    pub year: u32,
    /// GPU-hours sold (contracted and spot) / the fleet's GPU-hours, 6
    /// decimals.
    pub utilization: Num,
    /// GPU-hours sold, contracted (paid) and spot, 2 decimals.
    pub gpu_hours_sold: Num,
    /// The spot rent that year of the first fleet's GPUs (0 when it is not
    /// in service), USD per GPU-hour, 6 decimals.
    pub price_per_gpu_hour: Num,
    /// GPUs held by the contracts in force.
    pub contracted_gpus: u64,
    /// Contracted GPU-hours paid for, 2 decimals.
    pub contracted_gpu_hours: Num,
    /// Spot GPU-hours sold, 2 decimals.
    pub spot_gpu_hours: Num,
    /// Revenue of the contracts in force.
    pub contracted_revenue: Num,
    /// Spot GPU-hours × spot price.
    pub spot_revenue: Num,
    /// Contracted plus spot revenue.
    pub revenue: Num,
    /// GPUs in service: the first fleet's and the deliveries'.
    pub gpus_in_service: u64,
    /// Energy bought × power price.
    pub power_cost: Num,
    /// Other opex, per GPU and as a share of revenue.
    pub other_opex: Num,
    /// Net operating income: revenue − power − other opex.
    pub noi: Num,
    /// Straight-line depreciation of the fleet in service to its residual.
    pub depreciation: Num,
    /// `max(0, (NOI − depreciation) × tax_rate)`.
    pub tax: Num,
    /// Fleet bought at the end of the year (year 0: the first).
    pub capex: Num,
    /// Residual value of a fleet retired at the end of the year.
    pub residual_proceeds: Num,
    /// Value of the fleet in service at the horizon (the last year only).
    pub terminal_value: Num,
    /// Prepayments of contracts starting the next year, received at the
    /// end of this one.
    pub prepayment_received: Num,
    /// Prepayments applied against this year's contracted revenue (billed,
    /// not received in cash).
    pub prepayment_drawn: Num,
    /// NOI − tax − capex + residual proceeds + terminal value + prepayment
    /// received − prepayment drawn.
    pub cash_flow: Num,
    /// Running total of the cash flow.
    pub cumulative: Num,
}

/// The GPU cloud's cash-flow table and returns.
///
/// Money is USD rounded to cents; IRR and margin to 8 decimals; payback
/// and equity multiple to 4.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GpuCloudResponse {
    /// Years 0 to the horizon.
    pub years: Vec<GpuCloudYearResponse>,
    /// Net present value at the discount rate.
    pub npv: Num,
    /// Internal rate of return, a fraction a year.
    pub irr: Num,
    /// Years until the cumulative cash flow turns non-negative; absent if
    /// it never does within the horizon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payback_years: Option<Num>,
    /// Capex over the horizon, every fleet included.
    pub total_capex: Num,
    /// Revenue over the horizon, contracted and spot.
    pub revenue_total: Num,
    /// Contracted revenue over the horizon.
    pub contracted_revenue_total: Num,
    /// `contracted_revenue_total / revenue_total`, 8 decimals; absent
    /// without revenue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contracted_share: Option<Num>,
    /// Σ positive cash flows / Σ |negative cash flows|; absent without
    /// outflows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equity_multiple: Option<Num>,
    /// Revenue a year of the whole first fleet when new, at the spot price
    /// and the stabilised spot utilisation (contracts left out).
    pub stabilized_revenue: Num,
    /// NOI a year on the same footing as `stabilized_revenue`.
    pub stabilized_noi: Num,
    /// Stabilised NOI / stabilised revenue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noi_margin: Option<Num>,
    /// IT load at full power, MW: `(gpu_count + Σ deliveries' gpu_count) ×
    /// power_kw_per_gpu / 1,000`.
    pub it_capacity_mw: Num,
    /// The years at whose end a new fleet is bought.
    pub refresh_years: Vec<u32>,
}

impl TryFrom<gpu_cloud::GpuCloud> for GpuCloudResponse {
    type Error = CoreError;

    /// Fails with the IRR's error when the cash flows have no IRR.
    fn try_from(out: gpu_cloud::GpuCloud) -> Result<Self, CoreError> {
        Ok(GpuCloudResponse {
            irr: num::round(out.irr?, RATE_DECIMALS),
            years: out
                .years
                .into_iter()
                .map(|y| GpuCloudYearResponse {
                    year: y.year,
                    utilization: num::round(y.utilization, 6),
                    gpu_hours_sold: num::round(y.gpu_hours_sold, 2),
                    price_per_gpu_hour: num::round(y.price_per_gpu_hour, 6),
                    contracted_gpus: y.contracted_gpus,
                    contracted_gpu_hours: num::round(y.contracted_gpu_hours, 2),
                    spot_gpu_hours: num::round(y.spot_gpu_hours, 2),
                    contracted_revenue: num::cents(y.contracted_revenue),
                    spot_revenue: num::cents(y.spot_revenue),
                    revenue: num::cents(y.revenue),
                    gpus_in_service: y.gpus_in_service,
                    power_cost: num::cents(y.power_cost),
                    other_opex: num::cents(y.other_opex),
                    noi: num::cents(y.noi),
                    depreciation: num::cents(y.depreciation),
                    tax: num::cents(y.tax),
                    capex: num::cents(y.capex),
                    residual_proceeds: num::cents(y.residual_proceeds),
                    terminal_value: num::cents(y.terminal_value),
                    prepayment_received: num::cents(y.prepayment_received),
                    prepayment_drawn: num::cents(y.prepayment_drawn),
                    cash_flow: num::cents(y.cash_flow),
                    cumulative: num::cents(y.cumulative),
                })
                .collect(),
            npv: num::cents(out.npv),
            payback_years: out.payback_years.map(|p| num::round(p, RATIO_DECIMALS)),
            total_capex: num::cents(out.total_capex),
            revenue_total: num::cents(out.revenue_total),
            contracted_revenue_total: num::cents(out.contracted_revenue_total),
            contracted_share: out.contracted_share.map(|s| num::round(s, RATE_DECIMALS)),
            equity_multiple: out.equity_multiple.map(|m| num::round(m, RATIO_DECIMALS)),
            stabilized_revenue: num::cents(out.stabilized_revenue),
            stabilized_noi: num::cents(out.stabilized_noi),
            noi_margin: out.noi_margin.map(|m| num::round(m, RATE_DECIMALS)),
            it_capacity_mw: num::round(out.it_capacity_mw, 4),
            refresh_years: out.refresh_years,
        })
    }
}

/// Computes [`crate::operations::GpuCloudProject`].
pub fn project(input: GpuCloudInput) -> Result<GpuCloudResponse, CoreError> {
    GpuCloudResponse::try_from(gpu_cloud::gpu_cloud(&input)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(body: serde_json::Value) -> GpuCloudRequest {
        let mut req: GpuCloudRequest = serde_json::from_value(body).unwrap();
        req.fill_defaults();
        req
    }

    #[test]
    fn a_refresh_defaults_to_the_first_fleets_capex_and_price() {
        let input = GpuCloudInput::try_from(request(GpuCloudRequest::austin_county())).unwrap();
        let refresh = input.refresh.unwrap();
        assert_eq!(refresh.capex_per_gpu, input.capex_per_gpu);
        assert_eq!(refresh.price_per_gpu_hour, input.price_per_gpu_hour);
    }

    #[test]
    fn refresh_terms_without_a_refresh_are_refused() {
        let mut body = GpuCloudRequest::austin_county();
        body["refresh"] = json!(false);
        assert_eq!(
            GpuCloudInput::try_from(request(body.clone()))
                .unwrap()
                .refresh,
            None
        );
        body["refresh_capex_per_gpu"] = json!(30000);
        let err = GpuCloudInput::try_from(request(body)).unwrap_err();
        assert_eq!(err.field(), Some("refresh_capex_per_gpu"));
    }
}
