//! Sum-of-the-parts valuation: `POST /v1/valuations/sum-of-parts`.
//!
//! # Rounding
//! Money is rounded to cents, share counts and per-share figures to 4
//! decimal places, half away from zero; every figure is computed unrounded
//! first, so a rounded waterfall may differ from its total by a cent.

use infraval_core::convertible::{ConversionFields, ConvertibleTerms, Principal};
use infraval_core::error::AtField;
use infraval_core::mining::{Btc, Hashrate};
use infraval_core::num::{Fraction, Price, Usd};
use infraval_core::project::ProjectInput;
use infraval_core::valuation::{
    self, Buyback, CapRate, ConvertibleNote, MiningValuation, Multiple, Regime, Scenario,
    Settlement, Shares, Site, SiteMethod, Sotp, SotpInput, Treasury,
};
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::convertible::terms::SettlementMethod;
use crate::mining::exactly_one;
use crate::num;
use crate::project::ProjectRequest;

/// Precision of share counts and per-share figures.
const SHARE_DP: u32 = 4;

fn cents(v: Decimal) -> Decimal {
    num::cents(v).normalize()
}

fn shares(v: Decimal) -> Decimal {
    num::round(v, SHARE_DP).normalize()
}

/// One to five named input sets (bear, base, bull), valued side by side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "scenarios": [
        {
            "name": "bear",
            "mining": {"hashrate_ehs": 50, "usd_per_ehs": 20000000},
            "data_centers": [{"name": "Sandersville", "arr": 400000000, "arr_multiple": 7, "remaining_capex": 2500000000_u64}],
            "bitcoin_treasury": {"btc": 13000, "btc_price": 70000, "haircut": 0.1},
            "cash": 500000000,
            "debt": 600000000,
            "convertibles": [{"name": "0% notes due 2032", "principal": 1150000000, "conversion_rate": 52.1832, "settlement": "net_share"}],
            "basic_shares": 280000000,
            "buyback": {"amount": 460000000, "price_per_share": 15.03}
        },
        {
            "name": "base",
            "mining": {"hashrate_ehs": 50, "usd_per_ehs": 30000000},
            "data_centers": [{"name": "Sandersville", "arr": 400000000, "arr_multiple": 8, "remaining_capex": 2500000000_u64}],
            "bitcoin_treasury": {"btc": 13000, "btc_price": 90000, "haircut": 0.1},
            "cash": 500000000,
            "debt": 600000000,
            "convertibles": [{"name": "0% notes due 2032", "principal": 1150000000, "conversion_rate": 52.1832, "settlement": "net_share"}],
            "basic_shares": 280000000,
            "buyback": {"amount": 460000000, "price_per_share": 15.03}
        },
        {
            "name": "bull",
            "mining": {"hashrate_ehs": 50, "usd_per_ehs": 60000000},
            "data_centers": [{"name": "Sandersville", "arr": 400000000, "arr_multiple": 15, "remaining_capex": 2500000000_u64}],
            "bitcoin_treasury": {"btc": 13000, "btc_price": 150000, "haircut": 0.1},
            "cash": 500000000,
            "debt": 600000000,
            "convertibles": [{"name": "0% notes due 2032", "principal": 1150000000, "conversion_rate": 52.1832, "settlement": "net_share"}],
            "basic_shares": 280000000,
            "buyback": {"amount": 460000000, "price_per_share": 15.03}
        }
    ]
}))]
pub struct SumOfPartsRequest {
    /// The scenarios, valued independently and returned in this order.
    /// Range: 1 to 5 items. A single valuation is one scenario.
    pub scenarios: Vec<ScenarioRequest>,
}

/// One company's segments, claims and shares under one scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioRequest {
    /// The scenario's name, e.g. `bear`, `base`, `bull`.
    #[schema(example = "base")]
    pub name: String,
    /// The mining business. Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mining: Option<MiningSegmentRequest>,
    /// Data-center sites, at most 50. Default: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_centers: Vec<SiteRequest>,
    /// Bitcoin held. Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bitcoin_treasury: Option<TreasuryRequest>,
    /// Cash, USD. Range: ≥ 0. Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 500000000, minimum = 0)]
    pub cash: Option<Decimal>,
    /// Straight (non-convertible) debt, USD. Range: ≥ 0. Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 600000000, minimum = 0)]
    pub debt: Option<Decimal>,
    /// Convertible notes, at most 10. Default: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub convertibles: Vec<ConvertibleRequest>,
    /// Basic shares outstanding before any buyback. Range: > 0.
    #[serde(with = "num::decimal")]
    #[schema(example = 280000000, minimum = 0)]
    pub basic_shares: Decimal,
    /// A share repurchase, which reduces the basic shares. Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyback: Option<BuybackRequest>,
}

/// The mining business: give `ebitda` with `ebitda_multiple`, or
/// `hashrate_ehs` with `usd_per_ehs`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MiningSegmentRequest {
    /// Annual mining EBITDA, USD. Range: ≥ 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 250000000, minimum = 0)]
    pub ebitda: Option<Decimal>,
    /// EV / EBITDA. Range: [0, 1,000].
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 6, minimum = 0, maximum = 1000)]
    pub ebitda_multiple: Option<Decimal>,
    /// Fleet hashrate, EH/s. Range: > 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 50, minimum = 0)]
    pub hashrate_ehs: Option<Decimal>,
    /// Value per EH/s, USD. Range: ≥ 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 30000000, minimum = 0)]
    pub usd_per_ehs: Option<Decimal>,
}

/// A data-center site: give `noi` with `cap_rate`, or `arr` with
/// `arr_multiple` (the remaining capex is then deducted), or `development`,
/// the project model of `POST /v1/colocation/project` (the site is worth
/// its NPV, which deducts the capex still to spend as it is spent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteRequest {
    /// The site's name, for the waterfall.
    #[schema(example = "Sandersville")]
    pub name: String,
    /// Stabilised net operating income, USD per year. Range: ≥ 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 300000000, minimum = 0)]
    pub noi: Option<Decimal>,
    /// Capitalisation rate, a fraction per year. Range: (0, 1].
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.075, minimum = 0, maximum = 1)]
    pub cap_rate: Option<Decimal>,
    /// Annual recurring revenue, USD per year. Range: ≥ 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 400000000, minimum = 0)]
    pub arr: Option<Decimal>,
    /// EV / ARR. Range: [0, 1,000].
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 8, minimum = 0, maximum = 1000)]
    pub arr_multiple: Option<Decimal>,
    /// Capex still to spend to finish the site, USD; not with
    /// `development`, which computes its own. Range: ≥ 0. Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 2500000000_u64, minimum = 0)]
    pub remaining_capex: Option<Decimal>,
    /// The site's development model, exactly as `POST /v1/colocation/project`
    /// takes it; the site is valued at the model's NPV.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub development: Option<ProjectRequest>,
}

/// Bitcoin on the balance sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TreasuryRequest {
    /// Bitcoin held. Range: ≥ 0.
    #[serde(with = "num::decimal")]
    #[schema(example = 13000, minimum = 0)]
    pub btc: Decimal,
    /// BTC price, USD. Range: > 0.
    #[serde(with = "num::decimal")]
    #[schema(example = 90000, minimum = 0)]
    pub btc_price: Decimal,
    /// Discount for liquidity, pledges or tax, a fraction in [0, 1]. Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.1, minimum = 0, maximum = 1)]
    pub haircut: Option<Decimal>,
}

/// A convertible note: a principal and exactly one of `conversion_rate`,
/// `conversion_price`, or `reference_price` with `conversion_premium`, as
/// `POST /v1/convertibles/terms` takes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConvertibleRequest {
    /// The note's name, for the waterfall.
    #[schema(example = "0% notes due 2032")]
    pub name: String,
    /// Principal outstanding, USD. Range: > 0, ≤ 10¹², a whole multiple of
    /// the $1,000 denomination.
    #[serde(with = "num::decimal")]
    #[schema(example = 1150000000, minimum = 0, maximum = 1000000000000_i64)]
    pub principal: Decimal,
    /// Shares per $1,000 of principal. Range: 0.001 to 10,000,000; rounded
    /// to four decimals as indentures state it.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 52.1832, minimum = 0.001, maximum = 10000000)]
    pub conversion_rate: Option<Decimal>,
    /// Conversion price, USD per share. Range: 0.0001 to 1,000,000.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 19.16325, minimum = 0.0001, maximum = 1000000)]
    pub conversion_price: Option<Decimal>,
    /// Reference share price the premium is set over, USD per share; needs
    /// `conversion_premium`. Range: > 0, ≤ 1,000,000.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 15.03, minimum = 0, maximum = 1000000)]
    pub reference_price: Option<Decimal>,
    /// Conversion premium over `reference_price`, a decimal fraction (0.275
    /// for 27.5%); needs `reference_price`. Range: > −1, ≤ 10.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.275, minimum = -1, maximum = 10)]
    pub conversion_premium: Option<Decimal>,
    /// Settlement on conversion. Default `physical`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settlement: Option<SettlementMethod>,
    /// Owed if holders do not convert, USD, when above the principal (a
    /// put or make-whole premium). Range: [principal, 2 × principal].
    /// Default: the principal.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 1150000000, minimum = 0)]
    pub redemption_amount: Option<Decimal>,
}

/// A share repurchase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BuybackRequest {
    /// Amount spent, USD. Range: ≥ 0.
    #[serde(with = "num::decimal")]
    #[schema(example = 460000000, minimum = 0)]
    pub amount: Decimal,
    /// Average price paid, USD per share. Range: > 0.
    #[serde(with = "num::decimal")]
    #[schema(example = 15.03, minimum = 0)]
    pub price_per_share: Decimal,
    /// `true` when `cash` is stated before the buyback, so the amount is
    /// deducted from it; `false` when `cash` already reflects it. Default false.
    #[serde(default)]
    #[schema(example = false)]
    pub from_cash: bool,
}

fn usd_or_zero(v: Option<Decimal>, field: &str) -> Result<Usd, CoreError> {
    v.map_or(Ok(Usd::ZERO), |v| Usd::new(v).at(field))
}

fn mining(req: MiningSegmentRequest, at: &str) -> Result<MiningValuation, CoreError> {
    let by_ebitda = req.ebitda.is_some() || req.ebitda_multiple.is_some();
    let by_hashrate = req.hashrate_ehs.is_some() || req.usd_per_ehs.is_some();
    match exactly_one(&[
        ("ebitda+ebitda_multiple", by_ebitda),
        ("hashrate_ehs+usd_per_ehs", by_hashrate),
    ])? {
        0 => Ok(MiningValuation::EbitdaMultiple {
            ebitda: Usd::new(required(req.ebitda, "ebitda", "ebitda_multiple")?)
                .at(format!("{at}.ebitda"))?,
            multiple: Multiple::new(required(req.ebitda_multiple, "ebitda_multiple", "ebitda")?)
                .at(format!("{at}.ebitda_multiple"))?,
        }),
        _ => Ok(MiningValuation::PerHashrate {
            hashrate: Hashrate::new(required(req.hashrate_ehs, "hashrate_ehs", "usd_per_ehs")?)
                .at(format!("{at}.hashrate_ehs"))?,
            usd_per_ehs: Usd::new(required(req.usd_per_ehs, "usd_per_ehs", "hashrate_ehs")?)
                .at(format!("{at}.usd_per_ehs"))?,
        }),
    }
}

/// The value of one field of a pair; the other was given.
fn required(
    v: Option<Decimal>,
    field: &'static str,
    other: &'static str,
) -> Result<Decimal, CoreError> {
    v.ok_or(CoreError::MissingDependency {
        field: other,
        requires: field,
    })
}

fn site(req: SiteRequest, at: &str) -> Result<Site, CoreError> {
    let by_noi = req.noi.is_some() || req.cap_rate.is_some();
    let by_arr = req.arr.is_some() || req.arr_multiple.is_some();
    let method = match exactly_one(&[
        ("noi+cap_rate", by_noi),
        ("arr+arr_multiple", by_arr),
        ("development", req.development.is_some()),
    ])? {
        0 => SiteMethod::NoiCapRate {
            noi: Usd::new(required(req.noi, "noi", "cap_rate")?).at(format!("{at}.noi"))?,
            cap_rate: CapRate::new(required(req.cap_rate, "cap_rate", "noi")?)
                .at(format!("{at}.cap_rate"))?,
        },
        1 => SiteMethod::ArrMultiple {
            arr: Usd::new(required(req.arr, "arr", "arr_multiple")?).at(format!("{at}.arr"))?,
            multiple: Multiple::new(required(req.arr_multiple, "arr_multiple", "arr")?)
                .at(format!("{at}.arr_multiple"))?,
        },
        _ => match req.development {
            Some(project) => SiteMethod::Development(Box::new(
                ProjectInput::try_from(project)
                    .map_err(|e| valuation::prefix_field(e, &format!("{at}.development.")))?,
            )),
            None => {
                return Err(CoreError::ExactlyOneOf {
                    expected: vec!["noi+cap_rate", "arr+arr_multiple", "development"],
                    given: vec![],
                })
            }
        },
    };
    Ok(Site {
        name: req.name,
        method,
        remaining_capex: usd_or_zero(req.remaining_capex, &format!("{at}.remaining_capex"))?,
    })
}

fn convertible(req: ConvertibleRequest, at: &str) -> Result<ConvertibleNote, CoreError> {
    let conversion = ConversionFields {
        conversion_rate: req.conversion_rate,
        conversion_price: req.conversion_price,
        reference_price: req.reference_price,
        conversion_premium: req.conversion_premium,
    };
    let terms = Principal::new(req.principal)
        .and_then(|p| ConvertibleTerms::new(p, conversion.validate()?))
        .map_err(|e| valuation::prefix_field(e, &format!("{at}.")))?;
    Ok(ConvertibleNote {
        name: req.name,
        terms,
        settlement: req
            .settlement
            .map_or(Settlement::Physical, Settlement::from),
        redemption_amount: req
            .redemption_amount
            .map(|r| Usd::new(r).at(format!("{at}.redemption_amount")))
            .transpose()?,
    })
}

fn scenario(req: ScenarioRequest, at: &str) -> Result<Scenario, CoreError> {
    infraval_core::num::capped_len(&req.data_centers, valuation::MAX_SITES)
        .at(format!("{at}.data_centers"))?;
    infraval_core::num::capped_len(&req.convertibles, valuation::MAX_CONVERTIBLES)
        .at(format!("{at}.convertibles"))?;
    let input = SotpInput {
        mining: req
            .mining
            .map(|m| mining(m, &format!("{at}.mining")))
            .transpose()?,
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
                    btc: Btc::new(t.btc).at(format!("{at}.bitcoin_treasury.btc"))?,
                    btc_price: Price::new(t.btc_price)
                        .at(format!("{at}.bitcoin_treasury.btc_price"))?,
                    haircut: t.haircut.map_or(Ok(Fraction::ZERO), |h| {
                        Fraction::new(h).at(format!("{at}.bitcoin_treasury.haircut"))
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
            .map(|(i, c)| convertible(c, &format!("{at}.convertibles[{i}]")))
            .collect::<Result<_, _>>()?,
        basic_shares: Shares::new(req.basic_shares).at(format!("{at}.basic_shares"))?,
        buyback: req
            .buyback
            .map(|b| {
                Ok::<_, CoreError>(Buyback {
                    amount: Usd::new(b.amount).at(format!("{at}.buyback.amount"))?,
                    price: Price::new(b.price_per_share)
                        .at(format!("{at}.buyback.price_per_share"))?,
                    from_cash: b.from_cash,
                })
            })
            .transpose()?,
    };
    Ok(Scenario {
        name: req.name,
        input,
    })
}

impl TryFrom<SumOfPartsRequest> for Vec<Scenario> {
    type Error = CoreError;

    fn try_from(req: SumOfPartsRequest) -> Result<Self, CoreError> {
        infraval_core::num::capped_len(&req.scenarios, valuation::MAX_SCENARIOS).at("scenarios")?;
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
    #[serde(with = "num::decimal")]
    #[schema(example = 3200000000_u64)]
    pub gross_value: Decimal,
    /// Capex still to spend, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 2500000000_u64)]
    pub remaining_capex: Decimal,
    /// `gross_value − remaining_capex`, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 700000000)]
    pub value: Decimal,
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
    #[serde(with = "num::decimal")]
    #[schema(example = 19.1633)]
    pub conversion_price: Decimal,
    /// Cash claim on equity value, USD: the redemption amount as debt, the
    /// principal under net-share settlement, `N × V` under cash
    /// settlement, 0 under physical settlement.
    #[serde(with = "num::decimal")]
    #[schema(example = 1150000000)]
    pub claim: Decimal,
    /// Shares issued: `N` physical, `N − principal / V` net-share, 0 otherwise (4 dp).
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub shares_issued: Decimal,
}

/// One line of the bridge from segment values to equity value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WaterfallStepResponse {
    /// What the line is.
    #[schema(example = "mining")]
    pub label: String,
    /// Signed amount, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 1500000000)]
    pub amount: Decimal,
    /// Running total after the line, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 1500000000)]
    pub cumulative: Decimal,
    /// `amount / diluted_shares`, USD per share (4 dp).
    #[serde(with = "num::decimal")]
    #[schema(example = 6.0146)]
    pub per_share: Decimal,
}

/// A self-consistent solution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SolutionResponse {
    /// Each note's regime, in input order.
    pub notes: Vec<NoteOutcomeResponse>,
    /// Equity value after every claim, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 2003000000)]
    pub equity_value: Decimal,
    /// Basic shares plus conversion shares (4 dp).
    #[serde(with = "num::decimal")]
    #[schema(example = 249394544.2449)]
    pub diluted_shares: Decimal,
    /// `equity_value / diluted_shares`, USD (4 dp).
    #[serde(with = "num::decimal")]
    #[schema(example = 8.0314)]
    pub value_per_share: Decimal,
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
    #[serde(with = "num::decimal")]
    #[schema(example = 1500000000)]
    pub mining_value: Decimal,
    /// Each site's value, in input order.
    pub data_centers: Vec<SiteValueResponse>,
    /// Sum of the site values, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 700000000)]
    pub data_centers_value: Decimal,
    /// `mining_value + data_centers_value`, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 2200000000_u64)]
    pub enterprise_value: Decimal,
    /// `btc × btc_price × (1 − haircut)`, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 1053000000)]
    pub treasury_value: Decimal,
    /// Cash after a buyback paid from it, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 500000000)]
    pub cash: Decimal,
    /// Straight debt, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 600000000)]
    pub debt: Decimal,
    /// `enterprise_value + treasury_value + cash − debt`, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 3153000000_u64)]
    pub equity_before_convertibles: Decimal,
    /// Shares retired by the buyback, `amount / price_per_share` (4 dp).
    #[serde(with = "num::decimal")]
    #[schema(example = 30605455.7552)]
    pub shares_repurchased: Decimal,
    /// Basic shares after the buyback (4 dp).
    #[serde(with = "num::decimal")]
    #[schema(example = 249394544.2448)]
    pub basic_shares: Decimal,
    /// Whether the diluted-share fixed point is unique.
    pub fixed_point: FixedPoint,
    /// Which regime holds, in words.
    #[schema(example = "unique fixed point: 0% notes due 2032 counted as debt")]
    pub regime_summary: String,
    /// Equity value of the lowest-value solution, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 2003000000)]
    pub equity_value: Decimal,
    /// Diluted shares of the lowest-value solution (4 dp).
    #[serde(with = "num::decimal")]
    #[schema(example = 249394544.2448)]
    pub diluted_shares: Decimal,
    /// Value per share of the lowest-value solution, USD (4 dp).
    #[serde(with = "num::decimal")]
    #[schema(example = 8.0314)]
    pub value_per_share: Decimal,
    /// Every self-consistent solution, lowest value per share first.
    pub solutions: Vec<SolutionResponse>,
}

/// The scenarios' valuations, in request order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SumOfPartsResponse {
    /// One valuation per scenario.
    pub scenarios: Vec<ScenarioResponse>,
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
        }
    }
}

impl From<&[(String, Sotp)]> for SumOfPartsResponse {
    fn from(results: &[(String, Sotp)]) -> Self {
        SumOfPartsResponse {
            scenarios: results
                .iter()
                .map(|(name, out)| ScenarioResponse::new(name, out))
                .collect(),
        }
    }
}

/// Computes [`crate::operations::SumOfParts`].
pub fn sum_of_parts(input: Vec<Scenario>) -> Result<SumOfPartsResponse, CoreError> {
    let out = infraval_core::valuation::scenarios(&input)?;
    Ok(SumOfPartsResponse::from(out.as_slice()))
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
        assert_eq!(err.field(), Some("ebitda"));
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
