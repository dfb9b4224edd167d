//! Sum-of-the-parts valuation: `POST /v1/valuations/sum-of-parts`.
//!
//! # Rounding
//! Money is rounded to cents, share counts and per-share figures to 4
//! decimal places, half away from zero; every figure is computed unrounded
//! first, so a rounded waterfall may differ from its total by a cent.

use infraval_core::error::AtField;
use infraval_core::gpu_cloud::GpuCloudInput;
use infraval_core::mining::{Btc, Hashrate, ProjectionInput};
use infraval_core::num::{Fraction, Megawatts, Price, Usd};
use infraval_core::project::ProjectInput;
use infraval_core::valuation::{
    self, Buyback, CapRate, CappedCall, ConvertibleNote, MakeWholeCause, MakeWholeEvent,
    MiningValuation, Multiple, Regime, Scenario, Settlement, Shares, Site, SiteMethod, Sotp,
    SotpInput, Treasury, Warrant,
};
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::convertible::contract::MakeWholeRequest;
use crate::convertible::dilution::{BuybackRequest, CappedCallRequest};
use crate::convertible::terms::{terms, SettlementMethod};
use crate::gpu_cloud::GpuCloudRequest;
use crate::mining::exactly_one;
use crate::mining::projection::ProjectionRequest;
use crate::project::{under, ProjectRequest};
use crate::wire::{Date, Num, Wire, NESTED};
use crate::{bounds, num, Example, Examples};

/// Precision of share counts and per-share figures.
const SHARE_DP: u32 = 4;

fn cents(v: Decimal) -> Num {
    num::cents(v)
}

fn shares(v: Decimal) -> Num {
    num::round(v, SHARE_DP)
}

/// One to five named input sets (bear, base, bull), valued side by side.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct SumOfPartsRequest {
    /// The scenarios, valued independently and returned in this order. A
    /// single valuation is one scenario.
    #[wire(bounds::SCENARIOS)]
    pub scenarios: Vec<ScenarioRequest>,
}

/// One company's segments, claims and shares under one scenario.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct ScenarioRequest {
    /// The scenario's name, e.g. `bear`, `base`, `bull`.
    #[schema(example = "base")]
    pub name: String,
    /// The scenario's probability, for `probability_weighted_value_per_share`:
    /// give it for every scenario or for none; they must add up to 1
    /// (within 1e-9). Default: none.
    #[wire(bounds::FRACTION)]
    pub probability: Option<Num>,
    /// The mining business. Default: none.
    #[wire(NESTED)]
    pub mining: Option<MiningSegmentRequest>,
    /// Data-center sites. Default: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[wire(bounds::SITES)]
    pub data_centers: Vec<SiteRequest>,
    /// Bitcoin held. Default: none.
    #[wire(NESTED)]
    pub bitcoin_treasury: Option<TreasuryRequest>,
    /// Cash, USD. Default 0.
    #[wire(bounds::USD, default = Decimal::ZERO)]
    pub cash: Option<Num>,
    /// Straight (non-convertible) debt, USD. Default 0.
    #[wire(bounds::USD, default = Decimal::ZERO)]
    pub debt: Option<Num>,
    /// Convertible notes. Default: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[wire(bounds::CONVERTIBLES)]
    pub convertibles: Vec<ConvertibleRequest>,
    /// Basic shares outstanding before any buyback.
    #[wire(bounds::SHARES)]
    pub basic_shares: Num,
    /// A share repurchase, which retires whole shares from the basic
    /// shares, as `/v1/convertibles/dilution` takes it. Default: none.
    #[wire(NESTED)]
    pub buyback: Option<BuybackRequest>,
    /// `true` when `cash` is stated before the buyback, so its `amount` is
    /// deducted from it (which needs `buyback.amount`); `false` when `cash`
    /// already reflects it. Default false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub buyback_from_cash: bool,
    /// Warrants and options, counted by the treasury-stock method at the
    /// solved value per share. Default: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[wire(bounds::WARRANTS)]
    pub warrants: Vec<WarrantRequest>,
    /// Restricted stock units, always counted as shares. Default 0.
    #[wire(bounds::RSUS, default = Decimal::ZERO)]
    pub rsus: Option<Num>,
    /// The valuation date (ISO 8601), against which warrants expire; needed
    /// with any warrant's `expiry_date`.
    #[schema(example = "2026-06-30")]
    pub valuation_date: Option<Date>,
    /// The event the scenario assumes conversions are made in connection
    /// with, which gives every note that has a `make_whole` table its
    /// additional shares: a bull scenario that assumes the issuer calls
    /// states the call (`kind: call` and the notice date); a takeover
    /// scenario states the fundamental change. Without it no note gets
    /// additional shares, whatever its table. Needs a note with
    /// `make_whole`. Default: none.
    #[wire(NESTED)]
    pub make_whole_event: Option<MakeWholeEventRequest>,
}

/// What a scenario's conversions are made in connection with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MakeWholeEventKind {
    /// The issuer's notice of redemption.
    #[default]
    Call,
    /// A make-whole fundamental change (a takeover).
    FundamentalChange,
}

/// A call notice or fundamental change that the notes' conversions follow.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct MakeWholeEventRequest {
    /// A call (notice of redemption) or a fundamental change.
    pub kind: MakeWholeEventKind,
    /// The notice date or the change's effective date (ISO 8601): the
    /// make-whole tables are read at this date.
    #[schema(example = "2029-03-01")]
    pub date: Date,
}

/// A tranche of warrants or options. By the treasury-stock method the
/// exercise proceeds `count × strike` buy back shares at the solved value
/// per share `V`, so the tranche adds `count × max(V − strike, 0) / V`
/// shares.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct WarrantRequest {
    /// Shares the tranche exercises into.
    #[wire(bounds::SHARES)]
    pub count: Num,
    /// Exercise price, USD per share.
    #[wire(bounds::SHARE_PRICE)]
    pub strike: Num,
    /// The last day it can be exercised (ISO 8601); after it the tranche
    /// adds no shares. Needs the scenario's `valuation_date`. Default: it
    /// does not expire.
    #[schema(example = "2030-09-30")]
    pub expiry_date: Option<Date>,
}

/// The mining business: give `ebitda` with `ebitda_multiple`, or
/// `hashrate_ehs` with `usd_per_ehs`; and optionally its fleet's
/// `projection`, for the bitcoin it mines over its life.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct MiningSegmentRequest {
    /// Annual mining EBITDA, USD.
    #[wire(bounds::USD)]
    pub ebitda: Option<Num>,
    /// EV / EBITDA.
    #[wire(bounds::MULTIPLE_OR_ZERO)]
    pub ebitda_multiple: Option<Num>,
    /// Fleet hashrate, EH/s.
    #[wire(bounds::HASHRATE_EHS)]
    pub hashrate_ehs: Option<Num>,
    /// Value per EH/s, USD.
    #[wire(bounds::USD)]
    pub usd_per_ehs: Option<Num>,
    /// The fleet over its life, exactly as `POST /v1/mining/projection`
    /// takes it, for the scenario's `fleet_life`: give `cohorts` with their
    /// `useful_life_months`, and `months` enough to cover the longest life
    /// (bitcoin after the last month is not counted). The projection keeps
    /// a cohort hashing after its useful life; `fleet_life` counts it only
    /// within it. With `hashrate_ehs` the fleet must be the same: the total
    /// of the cohorts that hash within their life during the projection
    /// (or the peak of `fleet_hashrate_ehs`), else a 422 on
    /// `mining.hashrate_ehs`. It does not change the value. Default: none.
    #[wire(NESTED)]
    pub projection: Option<ProjectionRequest>,
}

/// A data-center site: give `noi` with `cap_rate`, or `arr` with
/// `arr_multiple` (the remaining capex is then deducted), or `development`,
/// the project model of `POST /v1/colocation/project` (the site is worth
/// its NPV, which deducts the capex still to spend as it is spent), or
/// `gpu_cloud`, the model of `POST /v1/gpu-cloud/project` (worth its NPV,
/// which deducts every fleet bought).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct SiteRequest {
    /// The site's name, for the waterfall.
    #[schema(example = "Sandersville")]
    pub name: String,
    /// Stabilised net operating income, USD per year.
    #[wire(bounds::USD)]
    pub noi: Option<Num>,
    /// Capitalisation rate, a year.
    #[wire(bounds::POSITIVE_FRACTION)]
    pub cap_rate: Option<Num>,
    /// Annual recurring revenue, USD per year.
    #[wire(bounds::USD)]
    pub arr: Option<Num>,
    /// EV / ARR.
    #[wire(bounds::MULTIPLE_OR_ZERO)]
    pub arr_multiple: Option<Num>,
    /// Capex still to spend to finish the site, USD; not with
    /// `development` or `gpu_cloud`, which compute their own. Default 0.
    #[wire(bounds::USD, default_with = |r: &Self| (r.development.is_none() && r.gpu_cloud.is_none()).then_some(Num::ZERO))]
    pub remaining_capex: Option<Num>,
    /// The site's development model, exactly as `POST /v1/colocation/project`
    /// takes it; the site is valued at the model's NPV.
    #[wire(NESTED)]
    pub development: Option<ProjectRequest>,
    /// Critical IT capacity, MW, for `ev_per_it_mw`; not with
    /// `development` or `gpu_cloud`, which state their own. Default: unknown.
    #[wire(bounds::IT_CAPACITY_MW)]
    pub it_capacity_mw: Option<Num>,
    /// A GPU cloud on the site, exactly as `POST /v1/gpu-cloud/project`
    /// takes it; the site is valued at the model's NPV and counts its
    /// `gpu_count × power_kw_per_gpu` of IT load.
    #[wire(NESTED)]
    pub gpu_cloud: Option<GpuCloudRequest>,
}

/// Bitcoin on the balance sheet.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct TreasuryRequest {
    /// Bitcoin held.
    #[wire(bounds::BTC)]
    pub btc: Num,
    /// BTC price, USD.
    #[wire(bounds::BTC_PRICE)]
    pub btc_price: Num,
    /// Discount for liquidity, pledges or tax. Default 0.
    #[wire(bounds::FRACTION, default = Decimal::ZERO)]
    pub haircut: Option<Num>,
}

/// A convertible note: a principal and exactly one of `conversion_rate`,
/// `conversion_price`, or `reference_price` with `conversion_premium`, as
/// `POST /v1/convertibles/terms` takes them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
#[wire(fill_nested = ConvertibleRequest::fill_capped_calls)]
pub struct ConvertibleRequest {
    /// The note's name, for the waterfall.
    #[schema(example = "0% notes due 2032")]
    pub name: String,
    /// Principal outstanding, USD, a whole multiple of the $1,000
    /// denomination.
    #[wire(bounds::PRINCIPAL)]
    pub principal: Num,
    /// Shares per $1,000 of principal; rounded to four decimals as
    /// indentures state it.
    #[wire(bounds::CONVERSION_RATE)]
    pub conversion_rate: Option<Num>,
    /// Conversion price, USD per share.
    #[wire(bounds::CONVERSION_PRICE)]
    pub conversion_price: Option<Num>,
    /// Reference share price the premium is set over, USD per share; needs
    /// `conversion_premium`.
    #[wire(bounds::REFERENCE_PRICE)]
    pub reference_price: Option<Num>,
    /// Conversion premium over `reference_price` (0.275 for 27.5%); needs
    /// `reference_price`.
    #[wire(bounds::CONVERSION_PREMIUM)]
    pub conversion_premium: Option<Num>,
    /// Settlement on conversion. Default `physical`.
    #[wire(default = SettlementMethod::Physical)]
    pub settlement: Option<SettlementMethod>,
    /// Owed if holders do not convert, USD, when above the principal (a
    /// put or make-whole premium): between the principal and twice it.
    /// Default: the principal.
    #[wire(bounds::REDEMPTION_AMOUNT, default_with = |r: &Self| Some(r.principal))]
    pub redemption_amount: Option<Num>,
    /// Capped calls the issuer bought on the note's shares, as
    /// `POST /v1/convertibles/dilution` takes one. Each pays
    /// `N × max(min(V, cap_price) − lower_strike, 0)` at the solved value
    /// per share `V`, converted or not: handed back as shares when the note
    /// settles in shares, in cash under cash settlement. Default: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[wire(bounds::CAPPED_CALLS)]
    pub capped_calls: Vec<CappedCallRequest>,
    /// The indenture's make-whole table, as `POST /v1/convertibles/price`
    /// takes it. Used only in a scenario with a `make_whole_event`: the
    /// note's conversions then deliver `conversion_rate +
    /// additional(event date, V)` shares per $1,000 at the solved value per
    /// share `V` (capped at `max_conversion_rate`), and it converts when
    /// that conversion value reaches the principal. Default: none.
    #[wire(NESTED)]
    pub make_whole: Option<MakeWholeRequest>,
}

/// A scenario of the CleanSpark figures, valuing mining at `usd_per_ehs`
/// and the Sandersville site at `arr_multiple` times ARR, with an
/// illustrative probability.
fn cleanspark_scenario(
    name: &str,
    usd_per_ehs: u64,
    arr_multiple: u64,
    btc_price: u64,
    probability: f64,
) -> serde_json::Value {
    json!({
        "name": name,
        "probability": probability,
        "mining": {"hashrate_ehs": 50, "usd_per_ehs": usd_per_ehs},
        "data_centers": [{"name": "Sandersville", "arr": 400000000, "arr_multiple": arr_multiple, "remaining_capex": 2500000000_u64, "it_capacity_mw": 250}],
        "bitcoin_treasury": {"btc": 13000, "btc_price": btc_price, "haircut": 0.1},
        "cash": 500000000,
        "debt": 600000000,
        "convertibles": [{"name": "0% notes due 2032", "principal": 1150000000, "conversion_rate": 52.1832, "settlement": "net_share"}],
        "basic_shares": 280000000,
        "buyback": {"amount": 460000000, "price_per_share": 15.03}
    })
}

/// The bull scenario assumes CleanSpark calls the 2032 notes (callable
/// from 2029-02-20): conversions follow the notice and get the make-whole
/// shares of the `/price` example's illustrative table.
fn bull_that_assumes_a_call() -> serde_json::Value {
    let mut bull = cleanspark_scenario("bull", 60_000_000, 15, 150_000, 0.25);
    bull["make_whole_event"] = json!({"kind": "call", "date": "2029-03-01"});
    bull["convertibles"][0]["make_whole"] = json!({
        "effective_dates": ["2025-12-15", "2026-12-15", "2027-12-15", "2028-12-15", "2029-12-15", "2030-12-15", "2032-02-15"],
        "stock_prices": [15.03, 17, 19.16, 22, 25, 30, 40, 60],
        "additional_shares_per_1000": [
            [14.3504, 10.6, 7.8, 5.2, 3.6, 2.0, 0.7, 0.0],
            [14.3504, 9.9, 7.0, 4.5, 3.0, 1.6, 0.5, 0.0],
            [14.3504, 9.1, 6.1, 3.7, 2.4, 1.2, 0.3, 0.0],
            [14.3504, 8.2, 5.1, 2.9, 1.7, 0.8, 0.2, 0.0],
            [14.3504, 7.0, 3.9, 2.0, 1.1, 0.4, 0.1, 0.0],
            [14.3504, 5.4, 2.4, 1.0, 0.4, 0.1, 0.0, 0.0],
            [14.3504, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
        ],
        "max_conversion_rate": 66.5336
    });
    bull
}

/// The base scenario with CleanSpark's 50 EH/s as three cohorts (the
/// projection example's, without the one bought in 2026), projected from
/// December 2025 to the end of the newest one's 36-month life: 30 months of
/// the projection example's network, 2% a month from 1,070 EH/s.
fn base_with_its_fleet_over_its_life() -> serde_json::Value {
    let mut base = cleanspark_scenario("base", 30_000_000, 8, 90_000, 1.0);
    if let Some(fields) = base.as_object_mut() {
        fields.remove("probability");
    }
    base["mining"]["projection"] = json!({
        "start_date": "2025-12-01",
        "months": 30,
        "cohorts": crate::mining::cohort::cleanspark_cohorts(),
        "network_hashrate_ehs": 1070,
        "network_growth_per_month": 0.02,
        "block_height": 927000,
        "fees_per_block_btc": 0.03,
        "uptime": 0.95,
        "btc_price": 90000
    });
    base
}

impl Examples for SumOfPartsRequest {
    fn examples() -> Vec<Example> {
        vec![
            Example {
                name: "bear_base_bull",
                summary: "CleanSpark in three scenarios: mining at $20M to $60M per EH/s, Sandersville at 7 to 15 times ARR, weighted 25/50/25; the bull case assumes the issuer calls the notes, so conversions get the make-whole shares",
                body: json!({
                    "scenarios": [
                        cleanspark_scenario("bear", 20_000_000, 7, 70_000, 0.25),
                        cleanspark_scenario("base", 30_000_000, 8, 90_000, 0.5),
                        bull_that_assumes_a_call()
                    ]
                }),
            },
            Example {
                name: "every_segment_kind",
                summary: "Mining by EBITDA, a site by NOI and one by its development model, notes with a premium and a redemption amount, a buyback of shares paid from cash",
                body: json!({
                    "scenarios": [{
                        "name": "base",
                        "mining": {"ebitda": 250000000, "ebitda_multiple": 6},
                        "data_centers": [
                            {"name": "Sandersville", "noi": 300000000, "cap_rate": 0.075, "remaining_capex": 2500000000_u64},
                            {"name": "Phase 2", "development": ProjectRequest::sandersville()}
                        ],
                        "cash": 500000000,
                        "convertibles": [{
                            "name": "0% notes due 2032",
                            "principal": 1150000000,
                            "reference_price": 15.03,
                            "conversion_premium": 0.275,
                            "settlement": "physical",
                            "redemption_amount": 1200000000
                        }, {
                            "name": "notes due 2030",
                            "principal": 650000000,
                            "conversion_price": 24.66
                        }],
                        "basic_shares": 280000000,
                        "buyback": {"shares": 10000000},
                        "buyback_from_cash": false
                    }]
                }),
            },
            Example {
                name: "warrants_rsus_and_a_capped_call",
                summary: "A TeraWulf-like share count (illustrative counts and strike): warrants to a lease backstop for about 14% of the shares, RSUs, and the $900M net-share notes with a capped call",
                body: json!({
                    "scenarios": [{
                        "name": "base",
                        "valuation_date": "2026-06-30",
                        "mining": {"hashrate_ehs": 12, "usd_per_ehs": 25000000},
                        "data_centers": [{"name": "Lake Mariner", "noi": 700000000, "cap_rate": 0.065, "remaining_capex": 1500000000_u64}],
                        "cash": 700000000,
                        "debt": 500000000,
                        "convertibles": [{
                            "name": "0% notes due 2032",
                            "principal": 900000000,
                            "conversion_rate": 50.1567,
                            "settlement": "net_share",
                            "capped_calls": [{"cap_price": 30}]
                        }],
                        "basic_shares": 390000000,
                        "rsus": 12000000,
                        "warrants": [
                            {"count": 73000000, "strike": 10, "expiry_date": "2030-09-30"},
                            {"count": 5000000, "strike": 4, "expiry_date": "2026-03-31"}
                        ]
                    }]
                }),
            },
            Example {
                name: "bitcoin_per_phs_over_the_fleet_life",
                summary: "The CleanSpark base case with its 50 EH/s as three cohorts projected to the end of their useful lives: the bitcoin they mine, per PH/s and per dollar of mining value, beside EV per EH/s",
                body: json!({"scenarios": [base_with_its_fleet_over_its_life()]}),
            },
            Example {
                name: "with_a_gpu_cloud",
                summary: "CleanSpark's mining and Sandersville beside a GPU cloud of 20,000 GPUs (28 MW) on the Austin County campus, valued at its NPV (figures illustrative)",
                body: json!({
                    "scenarios": [{
                        "name": "base",
                        "mining": {"hashrate_ehs": 50, "usd_per_ehs": 30000000},
                        "data_centers": [
                            {"name": "Sandersville", "arr": 400000000, "arr_multiple": 8,
                             "remaining_capex": 2500000000_u64, "it_capacity_mw": 250},
                            {"name": "Austin County GPU cloud", "gpu_cloud": GpuCloudRequest::austin_county()}
                        ],
                        "cash": 500000000,
                        "debt": 600000000,
                        "convertibles": [{
                            "name": "0% notes due 2032",
                            "principal": 1150000000,
                            "reference_price": 15.03,
                            "conversion_premium": 0.275
                        }],
                        "basic_shares": 280000000
                    }]
                }),
            },
        ]
    }
}

fn usd_or_zero(v: Option<Num>, field: &str) -> Result<Usd, CoreError> {
    v.map_or(Ok(Usd::ZERO), |v| Usd::new(v.get()).at(field))
}

fn mining(
    mut req: MiningSegmentRequest,
    at: &str,
) -> Result<(MiningValuation, Option<ProjectionInput>), CoreError> {
    let projection = req
        .projection
        .take()
        .map(|p| {
            ProjectionInput::try_from(p)
                .map_err(|e| valuation::prefix_field(e, &format!("{at}.projection.")))
        })
        .transpose()?;
    Ok((mining_valuation(req, at)?, projection))
}

fn mining_valuation(req: MiningSegmentRequest, at: &str) -> Result<MiningValuation, CoreError> {
    let by_ebitda = req.ebitda.is_some() || req.ebitda_multiple.is_some();
    let by_hashrate = req.hashrate_ehs.is_some() || req.usd_per_ehs.is_some();
    match exactly_one(&[
        ("ebitda+ebitda_multiple", by_ebitda),
        ("hashrate_ehs+usd_per_ehs", by_hashrate),
    ])
    .map_err(|e| under(at, e))?
    {
        0 => Ok(MiningValuation::EbitdaMultiple {
            ebitda: Usd::new(required(req.ebitda, at, "ebitda", "ebitda_multiple")?)
                .at(format!("{at}.ebitda"))?,
            multiple: Multiple::new(required(
                req.ebitda_multiple,
                at,
                "ebitda_multiple",
                "ebitda",
            )?)
            .at(format!("{at}.ebitda_multiple"))?,
        }),
        _ => Ok(MiningValuation::PerHashrate {
            hashrate: Hashrate::new(required(
                req.hashrate_ehs,
                at,
                "hashrate_ehs",
                "usd_per_ehs",
            )?)
            .at(format!("{at}.hashrate_ehs"))?,
            usd_per_ehs: Usd::new(required(
                req.usd_per_ehs,
                at,
                "usd_per_ehs",
                "hashrate_ehs",
            )?)
            .at(format!("{at}.usd_per_ehs"))?,
        }),
    }
}

/// The value of one field of a pair in the object at `at`; the other was
/// given.
fn required(
    v: Option<Num>,
    at: &str,
    field: &'static str,
    other: &'static str,
) -> Result<Decimal, CoreError> {
    v.map(Num::get)
        .ok_or_else(|| under(at, CoreError::missing_dependency(other, field)))
}

fn site(req: SiteRequest, at: &str) -> Result<Site, CoreError> {
    let by_noi = req.noi.is_some() || req.cap_rate.is_some();
    let by_arr = req.arr.is_some() || req.arr_multiple.is_some();
    let method = match exactly_one(&[
        ("noi+cap_rate", by_noi),
        ("arr+arr_multiple", by_arr),
        ("development", req.development.is_some()),
        ("gpu_cloud", req.gpu_cloud.is_some()),
    ])
    .map_err(|e| under(at, e))?
    {
        0 => SiteMethod::NoiCapRate {
            noi: Usd::new(required(req.noi, at, "noi", "cap_rate")?).at(format!("{at}.noi"))?,
            cap_rate: CapRate::new(required(req.cap_rate, at, "cap_rate", "noi")?)
                .at(format!("{at}.cap_rate"))?,
        },
        1 => SiteMethod::ArrMultiple {
            arr: Usd::new(required(req.arr, at, "arr", "arr_multiple")?).at(format!("{at}.arr"))?,
            multiple: Multiple::new(required(req.arr_multiple, at, "arr_multiple", "arr")?)
                .at(format!("{at}.arr_multiple"))?,
        },
        _ => match (req.development, req.gpu_cloud) {
            (Some(project), _) => SiteMethod::Development(Box::new(
                ProjectInput::try_from(project)
                    .map_err(|e| valuation::prefix_field(e, &format!("{at}.development.")))?,
            )),
            (None, Some(cloud)) => SiteMethod::GpuCloud(Box::new(
                GpuCloudInput::try_from(cloud)
                    .map_err(|e| valuation::prefix_field(e, &format!("{at}.gpu_cloud.")))?,
            )),
            (None, None) => {
                return Err(under(
                    at,
                    CoreError::exactly_one_of(
                        &[
                            "noi+cap_rate",
                            "arr+arr_multiple",
                            "development",
                            "gpu_cloud",
                        ],
                        &[],
                    ),
                ))
            }
        },
    };
    Ok(Site {
        name: req.name,
        method,
        remaining_capex: usd_or_zero(req.remaining_capex, &format!("{at}.remaining_capex"))?,
        it_capacity_mw: req
            .it_capacity_mw
            .map(|mw| Megawatts::new(mw.get()).at(format!("{at}.it_capacity_mw")))
            .transpose()?,
    })
}

impl ConvertibleRequest {
    /// The capped calls' default lower strike comes from these terms.
    fn fill_capped_calls(&mut self) {
        let terms = terms(
            self.principal,
            self.conversion_rate,
            self.conversion_price,
            self.reference_price,
            self.conversion_premium,
        );
        CappedCallRequest::fill_lower_strikes(&mut self.capped_calls, terms);
    }
}

fn convertible(
    req: ConvertibleRequest,
    at: &str,
    event: Option<&MakeWholeEventRequest>,
) -> Result<ConvertibleNote, CoreError> {
    let terms = terms(
        req.principal,
        req.conversion_rate,
        req.conversion_price,
        req.reference_price,
        req.conversion_premium,
    )
    .map_err(|e| valuation::prefix_field(e, &format!("{at}.")))?;
    let capped_calls = req
        .capped_calls
        .iter()
        .enumerate()
        .map(|(j, cc)| {
            CappedCall::new(&terms, cc.cap_price.get(), cc.lower_strike.map(Num::get)).map_err(
                |e| {
                    // The dilution endpoint names its one call `capped_call.`.
                    let e = valuation::prefix_field(e, &format!("{at}.capped_calls[{j}]"));
                    match e {
                        CoreError::InvalidValue { field, error } => CoreError::InvalidValue {
                            field: field.replacen("capped_call.", ".", 1),
                            error,
                        },
                        CoreError::Inconsistent { field, reason } => CoreError::Inconsistent {
                            field: field.replacen("capped_call.", ".", 1),
                            reason,
                        },
                        other => other,
                    }
                },
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let table = req
        .make_whole
        .as_ref()
        .map(|mw| mw.core(terms.conversion_rate()))
        .transpose()
        .map_err(|e| valuation::prefix_field(e, &format!("{at}.")))?;
    let make_whole = table.zip(event).map(|(table, e)| MakeWholeEvent {
        table,
        date: e.date.get(),
        cause: match e.kind {
            MakeWholeEventKind::Call => MakeWholeCause::Call,
            MakeWholeEventKind::FundamentalChange => MakeWholeCause::FundamentalChange,
        },
    });
    Ok(ConvertibleNote {
        name: req.name,
        terms,
        settlement: req
            .settlement
            .map_or(Settlement::Physical, Settlement::from),
        redemption_amount: req
            .redemption_amount
            .map(|r| Usd::new(r.get()).at(format!("{at}.redemption_amount")))
            .transpose()?,
        capped_calls,
        make_whole,
    })
}

fn buyback(req: &ScenarioRequest, at: &str) -> Result<Option<Buyback>, CoreError> {
    let Some(b) = &req.buyback else {
        return if req.buyback_from_cash {
            Err(under(
                at,
                CoreError::missing_dependency("buyback_from_cash", "buyback"),
            ))
        } else {
            Ok(None)
        };
    };
    let shares = b.retire(&format!("{at}.buyback"))?.shares();
    let cash_spent = match (req.buyback_from_cash, b.amount) {
        (false, _) => Usd::ZERO,
        (true, Some(amount)) => Usd::new(amount.get()).at(format!("{at}.buyback.amount"))?,
        (true, None) => {
            return Err(under(
                at,
                CoreError::missing_dependency("buyback_from_cash", "buyback.amount"),
            ))
        }
    };
    Ok(Some(Buyback { shares, cash_spent }))
}

fn scenario(req: ScenarioRequest, at: &str) -> Result<Scenario, CoreError> {
    let buyback = buyback(&req, at)?;
    let event = req.make_whole_event.clone();
    if event.is_some() && req.convertibles.iter().all(|c| c.make_whole.is_none()) {
        return Err(CoreError::Inconsistent {
            field: format!("{at}.make_whole_event"),
            reason: "gives make-whole shares to notes with `make_whole`, and no note has one",
        });
    }
    let (mining, mining_projection) = match req.mining {
        Some(m) => {
            let (valuation, projection) = mining(m, &format!("{at}.mining"))?;
            (Some(valuation), projection)
        }
        None => (None, None),
    };
    let input = SotpInput {
        mining,
        mining_projection,
        data_centers: req
            .data_centers
            .into_iter()
            .enumerate()
            .map(|(i, s)| site(s, &format!("{at}.data_centers[{i}]")))
            .collect::<Result<_, _>>()?,
        treasury: req
            .bitcoin_treasury
            .map(|t| {
                Ok::<_, CoreError>(Treasury {
                    btc: Btc::new(t.btc.get()).at(format!("{at}.bitcoin_treasury.btc"))?,
                    btc_price: Price::new(t.btc_price.get())
                        .at(format!("{at}.bitcoin_treasury.btc_price"))?,
                    haircut: t.haircut.map_or(Ok(Fraction::ZERO), |h| {
                        Fraction::new(h.get()).at(format!("{at}.bitcoin_treasury.haircut"))
                    })?,
                })
            })
            .transpose()?,
        cash: usd_or_zero(req.cash, &format!("{at}.cash"))?,
        debt: usd_or_zero(req.debt, &format!("{at}.debt"))?,
        convertibles: req
            .convertibles
            .into_iter()
            .enumerate()
            .map(|(i, c)| convertible(c, &format!("{at}.convertibles[{i}]"), event.as_ref()))
            .collect::<Result<_, _>>()?,
        basic_shares: Shares::new(req.basic_shares.get()).at(format!("{at}.basic_shares"))?,
        buyback,
        warrants: req
            .warrants
            .iter()
            .enumerate()
            .map(|(i, w)| {
                Ok::<_, CoreError>(Warrant {
                    count: Shares::new(w.count.get()).at(format!("{at}.warrants[{i}].count"))?,
                    strike: Price::new(w.strike.get()).at(format!("{at}.warrants[{i}].strike"))?,
                    expiry_date: w.expiry_date.map(Date::get),
                })
            })
            .collect::<Result<_, _>>()?,
        rsus: req.rsus.map_or(Decimal::ZERO, Num::get),
        valuation_date: req.valuation_date.map(Date::get),
    };
    Ok(Scenario {
        name: req.name,
        input,
        probability: req
            .probability
            .map(|p| Fraction::new(p.get()).at(format!("{at}.probability")))
            .transpose()?,
    })
}

impl TryFrom<SumOfPartsRequest> for Vec<Scenario> {
    type Error = CoreError;

    fn try_from(req: SumOfPartsRequest) -> Result<Self, CoreError> {
        crate::conversion::check_nested_projections(req.scenarios.iter().enumerate().flat_map(
            |(i, s)| {
                s.data_centers.iter().enumerate().map(move |(j, site)| {
                    (
                        format!("scenarios[{i}].data_centers[{j}].development"),
                        site.development.as_ref(),
                    )
                })
            },
        ))?;
        req.scenarios
            .into_iter()
            .enumerate()
            .map(|(i, s)| scenario(s, &format!("scenarios[{i}]")))
            .collect()
    }
}

/// Whether one or several regime assignments are self-consistent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FixedPoint {
    /// Exactly one assignment of the notes to debt or shares is consistent.
    Unique,
    /// Several are (possible with a redemption premium); all are returned.
    Multiple,
}

/// Whether a note is counted as debt or converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RegimeWire {
    /// Value per share below the conversion price: a debt claim.
    Debt,
    /// Value per share at or above the conversion price: converted.
    Converted,
}

/// A site's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteValueResponse {
    /// The site's name.
    #[schema(example = "Sandersville")]
    pub name: String,
    /// Value of the finished site (NOI / cap rate or ARR × multiple), USD.
    pub gross_value: Num,
    /// Capex still to spend, USD.
    pub remaining_capex: Num,
    /// `gross_value − remaining_capex`, USD.
    pub value: Num,
}

/// One note under one solution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteOutcomeResponse {
    /// The note's name.
    #[schema(example = "0% notes due 2032")]
    pub name: String,
    /// Debt or converted.
    pub regime: RegimeWire,
    /// The note's settlement.
    pub settlement: SettlementMethod,
    /// The price at which the regime switches, USD per share (4 dp):
    /// `1,000 / conversion_rate`, with the rate rounded to four decimals as
    /// the indenture states it.
    pub conversion_price: Num,
    /// Cash claim on equity value, USD: the redemption amount as debt, the
    /// principal under net-share settlement, `N × V` under cash
    /// settlement, 0 under physical settlement.
    pub claim: Num,
    /// Shares issued: `N` physical, `N − principal / V` net-share, 0
    /// otherwise, with `N` including any make-whole shares (4 dp).
    pub shares_issued: Num,
    /// What the note's capped calls pay the issuer at `V`, USD; 0 without
    /// any.
    pub capped_call_payoff: Num,
    /// Shares the capped calls hand back, `capped_call_payoff / V` under
    /// share settlement, 0 under cash settlement (whose payoff is a
    /// waterfall line) (4 dp).
    pub capped_call_shares_handed_back: Num,
    /// Make-whole additional shares per $1,000 at `V` and the scenario's
    /// `make_whole_event` date (4 dp); 0 without the event, without a
    /// table, as debt, or outside the table's prices.
    pub additional_shares_per_1000: Num,
    /// The part of `shares_issued` due to them, `principal / 1,000 ×
    /// additional_shares_per_1000` under share settlement, 0 under cash
    /// settlement (whose `claim` includes their value) (4 dp).
    pub make_whole_shares: Num,
}

/// One warrant tranche under one solution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WarrantOutcomeResponse {
    /// Whether its `expiry_date` is before the `valuation_date`.
    pub expired: bool,
    /// Shares added by the treasury-stock method,
    /// `count × max(V − strike, 0) / V`; 0 when expired (4 dp).
    pub shares_added: Num,
}

/// One line of the bridge from segment values to equity value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WaterfallStepResponse {
    /// What the line is.
    #[schema(example = "mining")]
    pub label: String,
    /// Signed amount, USD.
    pub amount: Num,
    /// Running total after the line, USD.
    pub cumulative: Num,
    /// `amount / diluted_shares`, USD per share (4 dp).
    pub per_share: Num,
}

/// A self-consistent solution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SolutionResponse {
    /// Each note's regime, in input order.
    pub notes: Vec<NoteOutcomeResponse>,
    /// Each warrant tranche, in input order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warrants: Vec<WarrantOutcomeResponse>,
    /// Equity value after every claim, plus capped-call cash, USD.
    pub equity_value: Num,
    /// Basic shares + RSUs + conversion shares + warrant shares − shares
    /// the capped calls hand back (4 dp).
    pub diluted_shares: Num,
    /// `equity_value / diluted_shares`, USD (4 dp).
    pub value_per_share: Num,
    /// The bridge from segment values to equity value.
    pub waterfall: Vec<WaterfallStepResponse>,
}

/// One scenario's valuation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioResponse {
    /// The scenario's name.
    #[schema(example = "base")]
    pub name: String,
    /// Mining enterprise value, USD (0 without the segment).
    pub mining_value: Num,
    /// Each site's value, in input order.
    pub data_centers: Vec<SiteValueResponse>,
    /// Sum of the site values, USD.
    pub data_centers_value: Num,
    /// `mining_value + data_centers_value`, USD.
    pub enterprise_value: Num,
    /// `btc × btc_price × (1 − haircut)`, USD.
    pub treasury_value: Num,
    /// Cash after a buyback paid from it, USD.
    pub cash: Num,
    /// Straight debt, USD.
    pub debt: Num,
    /// `enterprise_value + treasury_value + cash − debt`, USD.
    pub equity_before_convertibles: Num,
    /// Shares retired by the buyback, `amount / price_per_share` (4 dp).
    pub shares_repurchased: Num,
    /// Basic shares after the buyback (4 dp).
    pub basic_shares: Num,
    /// Whether the diluted-share fixed point is unique.
    pub fixed_point: FixedPoint,
    /// Which regime holds, in words.
    #[schema(example = "unique fixed point: 0% notes due 2032 counted as debt")]
    pub regime_summary: String,
    /// Equity value of the lowest-value solution, USD.
    pub equity_value: Num,
    /// Diluted shares of the lowest-value solution (4 dp).
    pub diluted_shares: Num,
    /// Value per share of the lowest-value solution, USD (4 dp).
    pub value_per_share: Num,
    /// Every self-consistent solution, lowest value per share first.
    pub solutions: Vec<SolutionResponse>,
    /// `enterprise_value / hashrate_ehs`, USD per EH/s, when mining is
    /// valued by `hashrate_ehs`, or else over the fleet of
    /// `mining.projection` (`fleet_life.fleet_hashrate_ehs`); `null`
    /// otherwise.
    pub ev_per_ehs: Option<Num>,
    /// `enterprise_value / Σ it_capacity_mw`, USD per MW of critical IT
    /// capacity; `null` unless every site states its capacity (directly or
    /// through its development model).
    pub ev_per_it_mw: Option<Num>,
    /// Bitcoin the fleet mines over its life, from `mining.projection`;
    /// `null` without one.
    pub fleet_life: Option<FleetLifeResponse>,
}

/// Bitcoin the mining fleet mines over its life, beside the valuation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FleetLifeResponse {
    /// Bitcoin mined from the projection's start to its end, each cohort
    /// counted only within its useful life (from its purchase date; a
    /// month cut by the end of a life counts its days before it, at the
    /// month's average per day); every month for `fleet_hashrate_ehs` and
    /// for a cohort without a useful life. Satoshis.
    pub btc_mined: Num,
    /// The months it covers: through the last month in which a cohort
    /// hashes within its life.
    pub months: u32,
    /// The fleet, EH/s: the total of the cohorts that hash within their
    /// life during the projection, or the peak monthly `fleet_hashrate_ehs`
    /// (6 dp).
    pub fleet_hashrate_ehs: Num,
    /// `btc_mined / (fleet_hashrate_ehs × 1,000)`, BTC per PH/s (8 dp);
    /// `null` for a fleet of zero.
    pub btc_mined_per_phs: Option<Num>,
    /// `mining_value / btc_mined`, USD per BTC: what the valuation pays for
    /// each bitcoin the fleet will mine; `null` without bitcoin.
    pub mining_value_per_btc_mined: Option<Num>,
}

/// The scenarios' valuations, in request order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SumOfPartsResponse {
    /// One valuation per scenario.
    pub scenarios: Vec<ScenarioResponse>,
    /// `Σ probability × value_per_share` over the scenarios, each at its
    /// top-level (lowest self-consistent) value per share, USD (4 dp);
    /// `null` when the scenarios carry no probability.
    pub probability_weighted_value_per_share: Option<Num>,
}

fn regime_summary(out: &Sotp) -> String {
    let describe = |s: &valuation::Solution| -> String {
        if s.notes.is_empty() {
            return "no convertible notes".to_string();
        }
        s.notes
            .iter()
            .map(|n| {
                let how = match n.regime {
                    Regime::Debt => "counted as debt",
                    Regime::Converted => "converted",
                };
                format!("{} {how}", n.name)
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    match out.solutions.as_slice() {
        [only] => format!("unique fixed point: {}", describe(only)),
        all => format!(
            "{} self-consistent solutions ({}); the top-level figures are the lowest value per share",
            all.len(),
            all.iter().map(describe).collect::<Vec<_>>().join("; ")
        ),
    }
}

fn solution(s: &valuation::Solution) -> SolutionResponse {
    SolutionResponse {
        notes: s
            .notes
            .iter()
            .map(|n| NoteOutcomeResponse {
                name: n.name.clone(),
                regime: match n.regime {
                    Regime::Debt => RegimeWire::Debt,
                    Regime::Converted => RegimeWire::Converted,
                },
                settlement: match n.settlement {
                    Settlement::Physical => SettlementMethod::Physical,
                    Settlement::NetShare => SettlementMethod::NetShare,
                    Settlement::Cash => SettlementMethod::Cash,
                },
                conversion_price: shares(n.conversion_price),
                claim: cents(n.claim),
                shares_issued: shares(n.shares_issued),
                capped_call_payoff: cents(n.capped_call_payoff),
                capped_call_shares_handed_back: shares(n.capped_call_shares_handed_back),
                additional_shares_per_1000: shares(n.additional_shares_per_1000),
                make_whole_shares: shares(n.make_whole_shares),
            })
            .collect(),
        warrants: s
            .warrants
            .iter()
            .map(|w| WarrantOutcomeResponse {
                expired: w.expired,
                shares_added: shares(w.shares_added),
            })
            .collect(),
        equity_value: cents(s.equity_value),
        diluted_shares: shares(s.diluted_shares),
        value_per_share: shares(s.value_per_share),
        waterfall: s
            .waterfall
            .iter()
            .map(|w| WaterfallStepResponse {
                label: w.label.clone(),
                amount: cents(w.amount),
                cumulative: cents(w.cumulative),
                per_share: shares(w.per_share),
            })
            .collect(),
    }
}

impl ScenarioResponse {
    /// Builds one scenario's response from the core result.
    pub fn new(name: &str, out: &Sotp) -> Self {
        let solutions: Vec<SolutionResponse> = out.solutions.iter().map(solution).collect();
        let (equity_value, diluted_shares, value_per_share) = solutions
            .first()
            .map(|s| (s.equity_value, s.diluted_shares, s.value_per_share))
            .unwrap_or_default();
        ScenarioResponse {
            name: name.to_string(),
            mining_value: cents(out.mining_value),
            data_centers: out
                .sites
                .iter()
                .map(|s| SiteValueResponse {
                    name: s.name.clone(),
                    gross_value: cents(s.gross_value),
                    remaining_capex: cents(s.remaining_capex),
                    value: cents(s.value),
                })
                .collect(),
            data_centers_value: cents(out.data_centers_value),
            enterprise_value: cents(out.enterprise_value),
            treasury_value: cents(out.treasury_value),
            cash: cents(out.cash),
            debt: cents(out.debt),
            equity_before_convertibles: cents(out.equity_before_convertibles),
            shares_repurchased: shares(out.shares_repurchased),
            basic_shares: shares(out.basic_shares),
            fixed_point: if out.multiple_equilibria() {
                FixedPoint::Multiple
            } else {
                FixedPoint::Unique
            },
            regime_summary: regime_summary(out),
            equity_value,
            diluted_shares,
            value_per_share,
            solutions,
            ev_per_ehs: out.ev_per_ehs.map(cents),
            ev_per_it_mw: out.ev_per_it_mw.map(cents),
            fleet_life: out.fleet_life.as_ref().map(|life| FleetLifeResponse {
                btc_mined: crate::mining::btc(life.btc_mined),
                months: life.months,
                fleet_hashrate_ehs: crate::mining::physical(life.fleet_hashrate_ehs),
                btc_mined_per_phs: life.btc_mined_per_phs.map(crate::mining::btc),
                mining_value_per_btc_mined: out.mining_value_per_btc_mined.map(cents),
            }),
        }
    }
}

/// The work of a valuation, in work units: one, plus each mining
/// projection's ([`crate::mining::projection::projection_work_units`]); so
/// five scenarios with the longest projection of the most cohorts count
/// 1 + 5 × 19 = 96.
pub fn sum_of_parts_work_units(input: &[Scenario]) -> u64 {
    input
        .iter()
        .filter_map(|s| s.input.mining_projection.as_ref())
        .map(crate::mining::projection::projection_work_units)
        .fold(1, u64::saturating_add)
}

/// Computes [`crate::operations::SumOfParts`].
pub fn sum_of_parts(input: Vec<Scenario>) -> Result<SumOfPartsResponse, CoreError> {
    let out = valuation::scenarios(&input)?;
    let weighted = valuation::probability_weighted(&input, &out)?;
    Ok(SumOfPartsResponse {
        scenarios: out
            .iter()
            .map(|(name, out)| ScenarioResponse::new(name, out))
            .collect(),
        probability_weighted_value_per_share: weighted.map(shares),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(scenario: serde_json::Value) -> SumOfPartsRequest {
        serde_json::from_value(serde_json::json!({ "scenarios": [scenario] })).unwrap()
    }

    #[test]
    fn a_half_given_mining_pair_names_the_missing_half() {
        let req = one(serde_json::json!({
            "name": "base", "basic_shares": 100, "mining": {"ebitda": 10}
        }));
        let err = Vec::<Scenario>::try_from(req).unwrap_err();
        assert_eq!(err.field(), Some("scenarios[0].mining.ebitda"));
    }

    #[test]
    fn each_mining_projection_adds_its_work_to_the_valuation() {
        // Without a projection a valuation is one unit. The example's projection is
        // 30 months of 3 cohorts: ⌈30 × (32 + 3) / 8,000⌉ = 1 unit, so 2 in all; five
        // scenarios of 120 months, 50 cohorts and 24 price buckets count
        // 1 + 5 × ⌈120 × 1,232 / 8,000⌉ = 1 + 5 × 19 = 96.
        let units = |scenarios: Vec<serde_json::Value>| {
            let req: SumOfPartsRequest =
                serde_json::from_value(serde_json::json!({ "scenarios": scenarios })).unwrap();
            sum_of_parts_work_units(&Vec::<Scenario>::try_from(req).unwrap())
        };
        let plain = cleanspark_scenario("base", 30_000_000, 8, 90_000, 1.0);
        assert_eq!(units(vec![plain]), 1);
        let with = base_with_its_fleet_over_its_life();
        assert_eq!(units(vec![with.clone()]), 2);
        let mut heaviest = with;
        let projection = &mut heaviest["mining"]["projection"];
        projection["months"] = serde_json::json!(120);
        projection["cohorts"] = serde_json::json!(vec![
            serde_json::json!({"hashrate_ehs": 1, "efficiency_j_per_th": 20});
            50
        ]);
        projection["power_price_per_mwh"] = serde_json::json!(45);
        let mut buckets =
            vec![serde_json::json!({"share_of_hours": 0.04, "price_multiple": 1}); 24];
        buckets[23] = serde_json::json!({"share_of_hours": 0.08, "price_multiple": 1});
        projection["power_price_profile"] = serde_json::json!(buckets);
        heaviest["mining"]["hashrate_ehs"] = serde_json::json!(50);
        assert_eq!(units(vec![heaviest; 5]), 96);
    }

    #[test]
    fn a_negative_cash_names_the_scenario_and_field() {
        let req = one(serde_json::json!({
            "name": "base", "basic_shares": 100, "cash": -1
        }));
        let err = Vec::<Scenario>::try_from(req).unwrap_err();
        assert_eq!(err.field(), Some("scenarios[0].cash"));
    }

    #[test]
    fn both_conversion_forms_are_refused() {
        let req = one(serde_json::json!({
            "name": "base", "basic_shares": 100,
            "convertibles": [{"name": "n", "principal": 1000, "conversion_price": 1, "conversion_rate": 1000}]
        }));
        assert!(matches!(
            Vec::<Scenario>::try_from(req),
            Err(CoreError::ExactlyOneOf { .. })
        ));
    }
}
