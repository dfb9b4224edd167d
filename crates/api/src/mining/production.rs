//! Production and unit economics of a fleet: `POST /v1/mining/production`.

use infraval_core::error::AtField;
use infraval_core::mining::{
    self, Btc, Fleet, Hashrate, JoulesPerTerahash, Miners, PeriodDays, PowerDraw, ProductionInput,
    Subsidy,
};
use infraval_core::num::{Fraction, Megawatts, Price};
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::{
    btc, cents, exactly_one, fraction_or, network, opt_usd, physical, HASHPRICE_BTC_DP, SHARE_DP,
};
use crate::wire::{Int, Num, Wire};
use crate::{bounds, num, Example, Examples};

/// A fleet, its network and, optionally, its economics.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct ProductionRequest {
    /// The fleet's operating hashrate, EH/s; at most the network's.
    #[wire(bounds::HASHRATE_EHS)]
    pub fleet_hashrate_ehs: Num,
    /// Number of machines; with `th_per_miner`, checked against
    /// `fleet_hashrate_ehs` (within 2%).
    #[wire(bounds::MINER_COUNT)]
    pub miner_count: Option<Int>,
    /// Average hashrate per machine, TH/s; requires `miner_count`.
    #[wire(bounds::TH_PER_MINER)]
    pub th_per_miner: Option<Num>,
    /// Network hashrate, EH/s; give this or `difficulty`.
    #[wire(bounds::HASHRATE_EHS)]
    pub network_hashrate_ehs: Option<Num>,
    /// Network difficulty; the hashrate is `difficulty × 2^32 / 600` H/s.
    /// Give this or `network_hashrate_ehs`.
    #[wire(bounds::DIFFICULTY)]
    pub difficulty: Option<Num>,
    /// Block subsidy, BTC; give this or `block_height`.
    #[wire(bounds::BLOCK_SUBSIDY_BTC)]
    pub block_subsidy_btc: Option<Num>,
    /// Current block height; the subsidy is `50 × 2^−⌊height / 210,000⌋`.
    /// Give this or `block_subsidy_btc`.
    #[wire(bounds::BLOCK_HEIGHT)]
    pub block_height: Option<Int>,
    /// Transaction fees per block, BTC. Default 0.
    #[wire(bounds::FEES_PER_BLOCK_BTC)]
    pub fees_per_block_btc: Option<Num>,
    /// Share of the time the fleet hashes. Default 1.
    #[wire(bounds::FRACTION)]
    pub uptime: Option<Num>,
    /// Share of the reward the pool keeps. Default 0.
    #[wire(bounds::POOL_FEE)]
    pub pool_fee: Option<Num>,
    /// Days for `btc_for_period`. Default 1.
    #[wire(bounds::PERIOD_DAYS)]
    pub period_days: Option<Num>,
    /// BTC price, USD; enables every USD figure.
    #[wire(bounds::BTC_PRICE)]
    pub btc_price: Option<Num>,
    /// Fleet efficiency, J/TH (= W per TH/s); give this or `power_mw`.
    #[wire(bounds::EFFICIENCY_J_PER_TH)]
    pub efficiency_j_per_th: Option<Num>,
    /// Fleet power draw while running, MW; give this or `efficiency_j_per_th`.
    #[wire(bounds::POWER_MW)]
    pub power_mw: Option<Num>,
    /// Power price, USD per MWh; requires a power draw.
    #[wire(bounds::POWER_PRICE_PER_MWH)]
    pub power_price_per_mwh: Option<Num>,
    /// Other operating costs, USD per day, for the all-in cost.
    #[wire(bounds::USD)]
    pub other_opex_per_day: Option<Num>,
}

impl Examples for ProductionRequest {
    fn examples() -> Vec<Example> {
        vec![
            Example {
                name: "cleanspark_fleet",
                summary: "CleanSpark's 50 EH/s fleet on a 1,070 EH/s network, at $90,000 and $45 per MWh",
                body: json!({
                    "fleet_hashrate_ehs": 50,
                    "network_hashrate_ehs": 1070,
                    "block_height": 927000,
                    "fees_per_block_btc": 0.03,
                    "uptime": 0.95,
                    "pool_fee": 0.01,
                    "period_days": 31,
                    "btc_price": 90000,
                    "efficiency_j_per_th": 16.1,
                    "power_price_per_mwh": 45,
                    "other_opex_per_day": 200000
                }),
            },
            Example {
                name: "machines_difficulty_and_power",
                summary: "The same fleet as 245,199 machines of 204 TH/s, from the difficulty, a given subsidy and its power draw",
                body: json!({
                    "fleet_hashrate_ehs": 50,
                    "miner_count": 245199,
                    "th_per_miner": 204,
                    "difficulty": 149300000000000_u64,
                    "block_subsidy_btc": 3.125,
                    "btc_price": 90000,
                    "power_mw": 805,
                    "power_price_per_mwh": 45
                }),
            },
        ]
    }
}

impl TryFrom<ProductionRequest> for ProductionInput {
    type Error = CoreError;

    fn try_from(req: ProductionRequest) -> Result<Self, CoreError> {
        let miners = match (req.miner_count, req.th_per_miner) {
            (Some(count), Some(th)) => Some(Miners::new(count.to_u64(), th.get())?),
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
            Hashrate::new(req.fleet_hashrate_ehs.get()).at("fleet_hashrate_ehs")?,
            miners,
        )?;
        let network = network(req.network_hashrate_ehs, req.difficulty)?;
        let subsidy = match exactly_one(&[
            ("block_subsidy_btc", req.block_subsidy_btc.is_some()),
            ("block_height", req.block_height.is_some()),
        ])? {
            0 => Subsidy::Given(
                Btc::subsidy(req.block_subsidy_btc.unwrap_or_default().get())
                    .at("block_subsidy_btc")?,
            ),
            _ => Subsidy::FromHeight(req.block_height.unwrap_or_default().to_u64()),
        };
        let power = match (req.efficiency_j_per_th, req.power_mw) {
            (Some(_), Some(_)) => {
                return Err(CoreError::ExactlyOneOf {
                    expected: vec!["efficiency_j_per_th", "power_mw"],
                    given: vec!["efficiency_j_per_th", "power_mw"],
                })
            }
            (Some(e), None) => Some(PowerDraw::Efficiency(
                JoulesPerTerahash::new(e.get()).at("efficiency_j_per_th")?,
            )),
            (None, Some(mw)) => Some(PowerDraw::Megawatts(
                Megawatts::new(mw.get()).at("power_mw")?,
            )),
            (None, None) => None,
        };
        Ok(ProductionInput {
            fleet,
            network,
            subsidy,
            fees_per_block: req.fees_per_block_btc.map_or(Ok(Btc::ZERO), |f| {
                Btc::new(f.get()).at("fees_per_block_btc")
            })?,
            uptime: fraction_or(req.uptime, Fraction::ONE, "uptime")?,
            pool_fee: fraction_or(req.pool_fee, Fraction::ZERO, "pool_fee")?,
            period_days: PeriodDays::new(req.period_days.map_or(Decimal::ONE, Num::get))
                .at("period_days")?,
            btc_price: req
                .btc_price
                .map(|p| Price::new(p.get()).at("btc_price"))
                .transpose()?,
            power,
            power_price_per_mwh: opt_usd(req.power_price_per_mwh, "power_price_per_mwh")?,
            other_opex_per_day: opt_usd(req.other_opex_per_day, "other_opex_per_day")?,
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
    pub network_hashrate_ehs: Num,
    /// Block subsidy used, BTC.
    pub block_subsidy_btc: Num,
    /// fleet / network, a fraction (12 dp).
    pub fleet_share: Num,
    /// `fleet_share × 144 × (subsidy + fees) × uptime × (1 − pool_fee)`, BTC per day.
    pub btc_per_day: Num,
    /// `btc_per_day × period_days`, BTC.
    pub btc_for_period: Num,
    /// Gross reward per PH/s per day, `144 × (subsidy + fees) / (network_ehs × 1,000)`,
    /// BTC (10 dp), before uptime and pool fee.
    pub hashprice_btc_per_ph_day: Num,
    /// `hashprice_btc_per_ph_day × btc_price`, USD per PH/s per day.
    pub hashprice_usd_per_ph_day: Option<Num>,
    /// Power draw while running, MW (`efficiency_j_per_th × fleet_hashrate_ehs`, or given).
    pub power_mw: Option<Num>,
    /// Fleet efficiency, J/TH (given, or `power_mw / fleet_hashrate_ehs`).
    pub efficiency_j_per_th: Option<Num>,
    /// Power cost per PH/s per running day, `J/TH × $/MWh × 24 / 1,000`, USD.
    pub hashcost_usd_per_ph_day: Option<Num>,
    /// `power_mw × 24 × uptime × power_price_per_mwh`, USD per day.
    pub power_cost_per_day: Option<Num>,
    /// `btc_per_day × btc_price`, USD per day.
    pub revenue_per_day: Option<Num>,
    /// Power cost plus other opex, USD per day.
    pub cost_per_day: Option<Num>,
    /// Revenue minus cost, USD per day.
    pub margin_per_day: Option<Num>,
    /// Power cost per BTC mined, USD.
    pub cost_per_btc: Option<Num>,
    /// (Power cost + other opex) per BTC mined, USD.
    pub all_in_cost_per_btc: Option<Num>,
    /// BTC price at which the daily margin is zero (= all-in cost per BTC), USD.
    pub breakeven_btc_price: Option<Num>,
    /// Power price at which the daily margin is zero, USD per MWh:
    /// `(revenue − other_opex) / (power_mw × 24 × uptime)`. Negative when
    /// other opex alone exceeds revenue.
    pub breakeven_power_price_per_mwh: Option<Num>,
}

impl From<&mining::Production> for ProductionResponse {
    fn from(p: &mining::Production) -> Self {
        let usd = |v: Option<Decimal>| v.map(cents);
        ProductionResponse {
            network_hashrate_ehs: physical(p.network_hashrate_ehs),
            block_subsidy_btc: btc(p.block_subsidy_btc),
            fleet_share: num::round(p.fleet_share, SHARE_DP),
            btc_per_day: btc(p.btc_per_day),
            btc_for_period: btc(p.btc_for_period),
            hashprice_btc_per_ph_day: num::round(p.hashprice_btc_per_ph_day, HASHPRICE_BTC_DP),
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
            difficulty: Some(dec!(1).into()),
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
            miner_count: Some(10.into()),
            ..production_example()
        };
        assert_eq!(
            ProductionInput::try_from(req).unwrap_err().field(),
            Some("miner_count")
        );
    }
}
