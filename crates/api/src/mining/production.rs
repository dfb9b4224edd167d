//! Production and unit economics of a fleet: `POST /v1/mining/production`.

use infraval_core::error::AtField;
use infraval_core::mining::{
    self, Btc, Fee, Fleet, Hashrate, JoulesPerTerahash, Miners, PeriodDays, PowerDraw, PowerTerms,
    ProductionFleet, ProductionInput, SiteCosts, Subsidy,
};
use infraval_core::num::{Fraction, Megawatts, Price};
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    btc, cents, exactly_one, fraction_or, network, opt_usd, physical, HASHPRICE_BTC_DP, SHARE_DP,
};
use crate::num;

/// A fleet, its network and, optionally, its economics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "fleet_hashrate_ehs": 50,
    "miner_count": 245199,
    "th_per_miner": 204,
    "network_hashrate_ehs": 1070,
    "block_height": 927000,
    "fees_per_block_btc": 0.03,
    "uptime": 0.95,
    "pool_fee": 0,
    "period_days": 31,
    "btc_price": 90000,
    "efficiency_j_per_th": 16.1,
    "power_price_per_mwh": 45,
    "other_opex_per_day": 200000
}))]
pub struct ProductionRequest {
    /// The fleet's operating hashrate, EH/s. Range: > 0, at most the network.
    #[serde(with = "num::decimal")]
    #[schema(example = 50, minimum = 0)]
    pub fleet_hashrate_ehs: Decimal,
    /// Number of machines; with `th_per_miner`, checked against
    /// `fleet_hashrate_ehs` (within 2%). Range: > 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 245199, minimum = 1)]
    pub miner_count: Option<u64>,
    /// Average hashrate per machine, TH/s; requires `miner_count`. Range: > 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 204, minimum = 0)]
    pub th_per_miner: Option<Decimal>,
    /// Network hashrate, EH/s; give this or `difficulty`. Range: > 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 1070, minimum = 0)]
    pub network_hashrate_ehs: Option<Decimal>,
    /// Network difficulty; the hashrate is `difficulty × 2^32 / 600` H/s.
    /// Give this or `network_hashrate_ehs`. Range: > 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 149300000000000_u64, minimum = 0)]
    pub difficulty: Option<Decimal>,
    /// Block subsidy, BTC; give this or `block_height`. Range: [0, 50].
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 3.125, minimum = 0, maximum = 50)]
    pub block_subsidy_btc: Option<Decimal>,
    /// Current block height; the subsidy is `50 × 2^−⌊height / 210,000⌋`.
    /// Give this or `block_subsidy_btc`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 927000, minimum = 0)]
    pub block_height: Option<u64>,
    /// Transaction fees per block, BTC. Range: ≥ 0. Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.03, minimum = 0)]
    pub fees_per_block_btc: Option<Decimal>,
    /// Share of the time the fleet hashes, a fraction in [0, 1]. Default 1.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.95, minimum = 0, maximum = 1)]
    pub uptime: Option<Decimal>,
    /// Share of the reward the pool keeps, a fraction in [0, 1]. Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0, minimum = 0, maximum = 1)]
    pub pool_fee: Option<Decimal>,
    /// Days for `btc_for_period`. Range: (0, 3,660]. Default 1.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 31, minimum = 0, maximum = 3660)]
    pub period_days: Option<Decimal>,
    /// BTC price, USD; enables every USD figure. Range: > 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 90000, minimum = 0)]
    pub btc_price: Option<Decimal>,
    /// Fleet efficiency, J/TH (= W per TH/s); give this or `power_mw`. Range: > 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 16.1, minimum = 0)]
    pub efficiency_j_per_th: Option<Decimal>,
    /// Fleet power draw while running, MW; give this or `efficiency_j_per_th`.
    /// Range: > 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 805, minimum = 0)]
    pub power_mw: Option<Decimal>,
    /// Power price, USD per MWh; requires a power draw. Range: ≥ 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 45, minimum = 0)]
    pub power_price_per_mwh: Option<Decimal>,
    /// Other operating costs, USD per day, for the all-in cost. Range: ≥ 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 200000, minimum = 0)]
    pub other_opex_per_day: Option<Decimal>,
}

impl TryFrom<ProductionRequest> for ProductionInput {
    type Error = CoreError;

    fn try_from(req: ProductionRequest) -> Result<Self, CoreError> {
        let miners = match (req.miner_count, req.th_per_miner) {
            (Some(count), Some(th)) => Some(Miners::new(count, th)?),
            (Some(_), None) => {
                return Err(CoreError::MissingDependency {
                    field: "miner_count",
                    requires: "th_per_miner",
                })
            }
            (None, Some(_)) => {
                return Err(CoreError::MissingDependency {
                    field: "th_per_miner",
                    requires: "miner_count",
                })
            }
            (None, None) => None,
        };
        let fleet = Fleet::new(
            Hashrate::new(req.fleet_hashrate_ehs).at("fleet_hashrate_ehs")?,
            miners,
        )?;
        let network = network(req.network_hashrate_ehs, req.difficulty)?;
        let subsidy = match exactly_one(&[
            ("block_subsidy_btc", req.block_subsidy_btc.is_some()),
            ("block_height", req.block_height.is_some()),
        ])? {
            0 => Subsidy::Given(
                Btc::subsidy(req.block_subsidy_btc.unwrap_or_default()).at("block_subsidy_btc")?,
            ),
            _ => Subsidy::FromHeight(req.block_height.unwrap_or_default()),
        };
        let power = match (req.efficiency_j_per_th, req.power_mw) {
            (Some(_), Some(_)) => {
                return Err(CoreError::ExactlyOneOf {
                    expected: vec!["efficiency_j_per_th", "power_mw"],
                    given: vec!["efficiency_j_per_th", "power_mw"],
                })
            }
            (Some(e), None) => Some(PowerDraw::Efficiency(
                JoulesPerTerahash::new(e).at("efficiency_j_per_th")?,
            )),
            (None, Some(mw)) => Some(PowerDraw::Megawatts(Megawatts::new(mw).at("power_mw")?)),
            (None, None) => None,
        };
        Ok(ProductionInput {
            fleet: ProductionFleet::Single { fleet, power },
            network,
            subsidy,
            fee: Fee::PerBlock(
                req.fees_per_block_btc
                    .map_or(Ok(Btc::ZERO), |f| Btc::new(f).at("fees_per_block_btc"))?,
            ),
            uptime: fraction_or(req.uptime, Fraction::ONE, "uptime")?,
            pool_fee: fraction_or(req.pool_fee, Fraction::ZERO, "pool_fee")?,
            period_days: PeriodDays::new(req.period_days.unwrap_or(Decimal::ONE))
                .at("period_days")?,
            btc_price: req
                .btc_price
                .map(|p| Price::new(p).at("btc_price"))
                .transpose()?,
            power_price_per_mwh: opt_usd(req.power_price_per_mwh, "power_price_per_mwh")?,
            power: PowerTerms::default(),
            costs: SiteCosts {
                other_opex_per_day: opt_usd(req.other_opex_per_day, "other_opex_per_day")?,
                ..SiteCosts::default()
            },
            start_date: None,
        })
    }
}

/// A fleet's production and unit economics. USD figures are `null` when
/// the inputs they need are absent, and per-BTC figures when no bitcoin is
/// mined.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductionResponse {
    /// Network hashrate used, EH/s (6 dp).
    #[serde(with = "num::decimal")]
    #[schema(example = 1070)]
    pub network_hashrate_ehs: Decimal,
    /// Block subsidy used, BTC.
    #[serde(with = "num::decimal")]
    #[schema(example = 3.125)]
    pub block_subsidy_btc: Decimal,
    /// fleet / network, a fraction (12 dp).
    #[serde(with = "num::decimal")]
    #[schema(example = 0.046728971963)]
    pub fleet_share: Decimal,
    /// `fleet_share × 144 × (subsidy + fees) × uptime × (1 − pool_fee)`, BTC per day.
    #[serde(with = "num::decimal")]
    #[schema(example = 20.16841121)]
    pub btc_per_day: Decimal,
    /// `btc_per_day × period_days`, BTC.
    #[serde(with = "num::decimal")]
    #[schema(example = 625.22074766)]
    pub btc_for_period: Decimal,
    /// Gross reward per PH/s per day, `144 × (subsidy + fees) / (network_ehs × 1,000)`,
    /// BTC (10 dp), before uptime and pool fee.
    #[serde(with = "num::decimal")]
    #[schema(example = 0.0004245981)]
    pub hashprice_btc_per_ph_day: Decimal,
    /// `hashprice_btc_per_ph_day × btc_price`, USD per PH/s per day.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 38.21)]
    pub hashprice_usd_per_ph_day: Option<Decimal>,
    /// Power draw while running, MW (`efficiency_j_per_th × fleet_hashrate_ehs`, or given).
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 805)]
    pub power_mw: Option<Decimal>,
    /// Fleet efficiency, J/TH (given, or `power_mw / fleet_hashrate_ehs`).
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 16.1)]
    pub efficiency_j_per_th: Option<Decimal>,
    /// Power cost per PH/s per running day, `J/TH × $/MWh × 24 / 1,000`, USD.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 17.39)]
    pub hashcost_usd_per_ph_day: Option<Decimal>,
    /// `power_mw × 24 × uptime × power_price_per_mwh`, USD per day.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 825930)]
    pub power_cost_per_day: Option<Decimal>,
    /// `btc_per_day × btc_price`, USD per day.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 1815157.01)]
    pub revenue_per_day: Option<Decimal>,
    /// Power cost plus other opex, USD per day.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 1025930)]
    pub cost_per_day: Option<Decimal>,
    /// Revenue minus cost, USD per day.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 789227.01)]
    pub margin_per_day: Option<Decimal>,
    /// Power cost per BTC mined, USD.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 40951.66)]
    pub cost_per_btc: Option<Decimal>,
    /// (Power cost + other opex) per BTC mined, USD.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 50868.16)]
    pub all_in_cost_per_btc: Option<Decimal>,
    /// BTC price at which the daily margin is zero (= all-in cost per BTC), USD.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 50868.16)]
    pub breakeven_btc_price: Option<Decimal>,
    /// Power price at which the daily margin is zero, USD per MWh:
    /// `(revenue − other_opex) / (power_mw × 24 × uptime)`. Negative when
    /// other opex alone exceeds revenue.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 88)]
    pub breakeven_power_price_per_mwh: Option<Decimal>,
}

impl From<&mining::Production> for ProductionResponse {
    fn from(p: &mining::Production) -> Self {
        let usd = |v: Option<Decimal>| v.map(cents);
        ProductionResponse {
            network_hashrate_ehs: physical(p.network_hashrate_ehs),
            block_subsidy_btc: btc(p.block_subsidy_btc),
            fleet_share: num::round(p.fleet_share, SHARE_DP).normalize(),
            btc_per_day: btc(p.btc_per_day),
            btc_for_period: btc(p.btc_for_period),
            hashprice_btc_per_ph_day: num::round(p.hashprice_btc_per_ph_day, HASHPRICE_BTC_DP)
                .normalize(),
            hashprice_usd_per_ph_day: usd(p.hashprice_usd_per_ph_day),
            power_mw: p.power_mw.map(physical),
            efficiency_j_per_th: p.efficiency_j_per_th.map(physical),
            hashcost_usd_per_ph_day: usd(p.hashcost_usd_per_ph_day),
            power_cost_per_day: usd(p.power_cost_per_day),
            revenue_per_day: usd(p.revenue_per_day),
            cost_per_day: usd(p.cost_per_day),
            margin_per_day: usd(p.margin_per_day),
            cost_per_btc: usd(p.cost_per_btc),
            all_in_cost_per_btc: usd(p.all_in_cost_per_btc),
            breakeven_btc_price: usd(p.breakeven_btc_price),
            breakeven_power_price_per_mwh: usd(p.breakeven_power_price_per_mwh),
        }
    }
}

/// Computes [`crate::operations::MiningProduction`].
pub fn production(input: ProductionInput) -> Result<ProductionResponse, CoreError> {
    Ok(ProductionResponse::from(&mining::production(&input)?))
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn production_example() -> ProductionRequest {
        serde_json::from_value(serde_json::json!({
            "fleet_hashrate_ehs": 50,
            "network_hashrate_ehs": 1070,
            "block_height": 927000
        }))
        .unwrap()
    }

    #[test]
    fn both_network_forms_are_refused() {
        let req = ProductionRequest {
            difficulty: Some(dec!(1)),
            ..production_example()
        };
        assert!(matches!(
            ProductionInput::try_from(req),
            Err(CoreError::ExactlyOneOf { .. })
        ));
    }

    #[test]
    fn a_miner_count_without_its_hashrate_is_refused() {
        let req = ProductionRequest {
            miner_count: Some(10),
            ..production_example()
        };
        assert_eq!(
            ProductionInput::try_from(req).unwrap_err().field(),
            Some("miner_count")
        );
    }
}
