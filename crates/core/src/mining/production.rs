//! A fleet's production and unit economics over a period: bitcoin mined,
//! hashprice, hashcost, power cost, margins and breakevens.

use rust_decimal::Decimal;

use super::{blocks_per_day, hours_per_day, ph_per_eh};
use super::{Btc, Fleet, Hashrate, JoulesPerTerahash, Network, PowerDraw, Subsidy};
use crate::error::{CoreError, ValueError};
use crate::num::{self, Checked, Fraction, Price, Usd};
use crate::Result;

/// The longest production period, days (ten years of 366 days).
pub const MAX_PERIOD_DAYS: u32 = 3_660;

/// The power a fleet draws, MW.
///
/// # Formula
/// ```text
/// power [W]  = J/TH × TH/s = J/TH × EH/s × 10^6
/// power [MW] = J/TH × EH/s
/// ```
/// 50 EH/s at 16 J/TH draws 800 MW.
pub fn power_mw(efficiency: JoulesPerTerahash, fleet: Hashrate) -> Result<Decimal> {
    efficiency.get().mul_or(fleet.ehs(), "power_mw")
}

/// Power cost per PH/s per day of running, USD.
///
/// # Formula
/// ```text
/// $/PH/day = J/TH × $/MWh × 24 / 1,000
/// ```
/// One PH/s at `e` J/TH draws `e × 1,000` W, i.e. `e × 24` kWh a day, i.e.
/// `e × 24 / 1,000` MWh. The same shortcut gives $/TH/day only when the
/// power price is in $/kWh; with $/MWh it is per PH/s, and reading it as
/// per TH/s is the common 1,000× slip.
pub fn hashcost_usd_per_ph_day(
    efficiency: JoulesPerTerahash,
    power_price_per_mwh: Usd,
) -> Result<Decimal> {
    efficiency
        .get()
        .mul_or(power_price_per_mwh.get(), "hashcost")?
        .mul_or(hours_per_day(), "hashcost")?
        .div_or(Decimal::ONE_THOUSAND, "hashcost")
}

/// A production period in days: `0 < days ≤ 3,660`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PeriodDays(Decimal);

impl PeriodDays {
    /// Checks `0 < days ≤ 3,660`.
    pub fn new(days: Decimal) -> Result<Self, ValueError> {
        num::positive(days)
            .and_then(|d| num::at_most(d, Decimal::from(MAX_PERIOD_DAYS)))
            .map(PeriodDays)
    }

    /// The period, days.
    pub fn get(self) -> Decimal {
        self.0
    }
}

/// The validated input of [`production`].
#[derive(Debug, Clone, PartialEq)]
pub struct ProductionInput {
    /// The fleet (field `fleet_hashrate_ehs`).
    pub fleet: Fleet,
    /// The network (field `network_hashrate_ehs` or `difficulty`).
    pub network: Network,
    /// The block subsidy (field `block_subsidy_btc` or `block_height`).
    pub subsidy: Subsidy,
    /// Transaction fees per block, BTC.
    pub fees_per_block: Btc,
    /// Share of the time the fleet hashes.
    pub uptime: Fraction,
    /// Share of the reward the pool keeps.
    pub pool_fee: Fraction,
    /// The period for `btc_for_period`.
    pub period_days: PeriodDays,
    /// BTC price, USD; enables every USD figure.
    pub btc_price: Option<Price>,
    /// The power draw; enables `power_mw` and the power cost.
    pub power: Option<PowerDraw>,
    /// Power price, USD per MWh; requires `power`.
    pub power_price_per_mwh: Option<Usd>,
    /// Other operating costs, USD per day (all-in cost).
    pub other_opex_per_day: Option<Usd>,
}

/// Production and unit economics of a fleet, unrounded. USD figures are
/// `None` when the inputs they need are absent.
#[derive(Debug, Clone, PartialEq)]
pub struct Production {
    /// Network hashrate used, EH/s.
    pub network_hashrate_ehs: Decimal,
    /// Block subsidy used, BTC.
    pub block_subsidy_btc: Decimal,
    /// fleet / network.
    pub fleet_share: Decimal,
    /// Bitcoin mined per day, net of uptime and pool fee.
    pub btc_per_day: Decimal,
    /// `btc_per_day × period_days`.
    pub btc_for_period: Decimal,
    /// Gross reward per PH/s per day, BTC (before uptime and pool fee).
    pub hashprice_btc_per_ph_day: Decimal,
    /// `hashprice_btc_per_ph_day × btc_price`, USD.
    pub hashprice_usd_per_ph_day: Option<Decimal>,
    /// Power draw while running, MW.
    pub power_mw: Option<Decimal>,
    /// Fleet efficiency, J/TH (given, or power_mw / fleet EH/s).
    pub efficiency_j_per_th: Option<Decimal>,
    /// Power cost per PH/s per running day, USD.
    pub hashcost_usd_per_ph_day: Option<Decimal>,
    /// Power cost per day, USD.
    pub power_cost_per_day: Option<Decimal>,
    /// Revenue per day, USD.
    pub revenue_per_day: Option<Decimal>,
    /// Power cost plus other opex per day, USD.
    pub cost_per_day: Option<Decimal>,
    /// Revenue minus cost per day, USD.
    pub margin_per_day: Option<Decimal>,
    /// Power cost per BTC mined, USD.
    pub cost_per_btc: Option<Decimal>,
    /// (Power cost + other opex) per BTC mined, USD.
    pub all_in_cost_per_btc: Option<Decimal>,
    /// BTC price at which the daily margin is zero, USD.
    pub breakeven_btc_price: Option<Decimal>,
    /// Power price at which the daily margin is zero, USD per MWh. Negative
    /// when other opex alone exceeds revenue.
    pub breakeven_power_price_per_mwh: Option<Decimal>,
}

/// Bitcoin mined per day by a share of the network.
///
/// # Formula
/// ```text
/// btc_per_day = fleet_share × 144 × (subsidy + fees) × uptime × (1 − pool_fee)
/// ```
/// `fleet_share` in [0, 1]; subsidy and fees in BTC per block.
///
/// # Example
/// 50 EH/s of a 1,000 EH/s network at 3.125 + 0.125 BTC a block, always up,
/// no pool fee: `0.05 × 144 × 3.25 = 23.4` BTC a day.
/// ```
/// use infraval_core::mining::btc_per_day;
/// use infraval_core::num::Fraction;
/// use rust_decimal::Decimal;
///
/// let btc = btc_per_day(Decimal::new(5, 2), Decimal::new(325, 2), Fraction::ONE, Fraction::ZERO);
/// assert_eq!(btc.unwrap(), Decimal::new(234, 1));
/// ```
pub fn btc_per_day(
    fleet_share: Decimal,
    reward_per_block_btc: Decimal,
    uptime: Fraction,
    pool_fee: Fraction,
) -> Result<Decimal> {
    fleet_share
        .mul_or(blocks_per_day(), "btc_per_day")?
        .mul_or(reward_per_block_btc, "btc_per_day")?
        .mul_or(uptime.get(), "btc_per_day")?
        .mul_or(
            Decimal::ONE.sub_or(pool_fee.get(), "btc_per_day")?,
            "btc_per_day",
        )
}

/// Checks fleet ≤ network and returns fleet / network.
pub(super) fn fleet_share(fleet: Decimal, network: Hashrate, field: &str) -> Result<Decimal> {
    if fleet > network.ehs() {
        return Err(CoreError::Inconsistent {
            field: field.into(),
            reason: "the fleet hashrate exceeds the network hashrate",
        });
    }
    fleet.div_or(network.ehs(), "fleet_share")
}

/// `a / b`, or `None` when `b` is zero.
fn ratio(a: Decimal, b: Decimal, quantity: &'static str) -> Result<Option<Decimal>> {
    if b.is_zero() {
        Ok(None)
    } else {
        a.div_or(b, quantity).map(Some)
    }
}

/// A fleet's production and unit economics.
///
/// # Formula
/// ```text
/// network_ehs        = given, or difficulty × 2^32 / 600 / 10^18
/// subsidy            = given, or 50 × 2^−⌊height / 210,000⌋
/// btc_per_day        = fleet / network × 144 × (subsidy + fees) × uptime × (1 − pool_fee)
/// hashprice_btc      = 144 × (subsidy + fees) / (network_ehs × 1,000)      BTC per PH/s per day
/// power_mw           = J/TH × fleet_ehs, or given
/// power_cost_per_day = power_mw × 24 × uptime × $/MWh
/// cost_per_btc       = power_cost_per_day / btc_per_day
/// all_in_cost_per_btc= (power_cost_per_day + other_opex_per_day) / btc_per_day  (= breakeven_btc_price)
/// breakeven $/MWh    = (revenue_per_day − other_opex_per_day) / (power_mw × 24 × uptime)
/// ```
/// Ratios whose denominator is zero (no bitcoin mined at zero uptime) are
/// `None`.
///
/// # Errors
/// [`CoreError::Inconsistent`] on `fleet_hashrate_ehs` when the fleet is
/// larger than the network; [`CoreError::MissingDependency`] when a power
/// price comes without a power draw.
pub fn production(input: &ProductionInput) -> Result<Production> {
    let network = input.network.hashrate(match input.network {
        Network::Hashrate(_) => "network_hashrate_ehs",
        Network::Difficulty(_) => "difficulty",
    })?;
    if input.power_price_per_mwh.is_some() && input.power.is_none() {
        return Err(CoreError::MissingDependency {
            field: "power_price_per_mwh",
            requires: "efficiency_j_per_th",
        });
    }
    let fleet = input.fleet.hashrate();
    let share = fleet_share(fleet.ehs(), network, "fleet_hashrate_ehs")?;
    let subsidy = input.subsidy.btc();
    let reward = subsidy.add_or(input.fees_per_block.get(), "reward per block")?;
    let btc_day = btc_per_day(share, reward, input.uptime, input.pool_fee)?;
    let btc_for_period = btc_day.mul_or(input.period_days.get(), "btc_for_period")?;
    let hashprice_btc = blocks_per_day()
        .mul_or(reward, "hashprice")?
        .div_or(network.ehs().mul_or(ph_per_eh(), "hashprice")?, "hashprice")?;
    let price = input.btc_price.map(Price::get);
    let hashprice_usd = price
        .map(|p| hashprice_btc.mul_or(p, "hashprice_usd_per_ph_day"))
        .transpose()?;

    let power = match input.power {
        Some(PowerDraw::Efficiency(e)) => Some(power_mw(e, fleet)?),
        Some(PowerDraw::Megawatts(mw)) => Some(mw.get()),
        None => None,
    };
    let efficiency = match input.power {
        Some(PowerDraw::Efficiency(e)) => Some(e.get()),
        Some(PowerDraw::Megawatts(mw)) => Some(mw.get().div_or(fleet.ehs(), "efficiency")?),
        None => None,
    };
    let running_mwh_per_day = power
        .map(|mw| {
            mw.mul_or(hours_per_day(), "energy per day")?
                .mul_or(input.uptime.get(), "energy per day")
        })
        .transpose()?;
    let power_price = input.power_price_per_mwh.map(Usd::get);
    let power_cost = match (running_mwh_per_day, power_price) {
        (Some(mwh), Some(p)) => Some(mwh.mul_or(p, "power_cost_per_day")?),
        _ => None,
    };
    let hashcost = match (efficiency, power_price) {
        (Some(e), Some(p)) => Some(
            e.mul_or(p, "hashcost")?
                .mul_or(hours_per_day(), "hashcost")?
                .div_or(Decimal::ONE_THOUSAND, "hashcost")?,
        ),
        _ => None,
    };
    let other = input
        .other_opex_per_day
        .map(Usd::get)
        .unwrap_or(Decimal::ZERO);
    let revenue = price
        .map(|p| btc_day.mul_or(p, "revenue_per_day"))
        .transpose()?;
    let cost = power_cost
        .map(|c| c.add_or(other, "cost_per_day"))
        .transpose()?;
    let margin = match (revenue, cost) {
        (Some(r), Some(c)) => Some(r.sub_or(c, "margin_per_day")?),
        _ => None,
    };
    let cost_per_btc = match power_cost {
        Some(c) => ratio(c, btc_day, "cost_per_btc")?,
        None => None,
    };
    let all_in = match cost {
        Some(c) => ratio(c, btc_day, "all_in_cost_per_btc")?,
        None => None,
    };
    let breakeven_power = match (revenue, running_mwh_per_day) {
        (Some(r), Some(mwh)) => ratio(
            r.sub_or(other, "breakeven_power_price_per_mwh")?,
            mwh,
            "breakeven_power_price_per_mwh",
        )?,
        _ => None,
    };

    Ok(Production {
        network_hashrate_ehs: network.ehs(),
        block_subsidy_btc: subsidy,
        fleet_share: share,
        btc_per_day: btc_day,
        btc_for_period,
        hashprice_btc_per_ph_day: hashprice_btc,
        hashprice_usd_per_ph_day: hashprice_usd,
        power_mw: power,
        efficiency_j_per_th: efficiency,
        hashcost_usd_per_ph_day: hashcost,
        power_cost_per_day: power_cost,
        revenue_per_day: revenue,
        cost_per_day: cost,
        margin_per_day: margin,
        cost_per_btc,
        all_in_cost_per_btc: all_in,
        breakeven_btc_price: all_in,
        breakeven_power_price_per_mwh: breakeven_power,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    use approx::assert_relative_eq;

    use super::*;
    use crate::mining::tests::{close, hashrate, round_numbers};
    use crate::mining::Difficulty;
    use crate::num::Megawatts;
    use crate::tolerance::{Exact, REPORTED_PRODUCTION_REL};

    #[test]
    fn hashcost_is_dollars_per_ph_per_day_when_power_is_priced_per_mwh() {
        // 1 PH/s = 1,000 TH/s; at 16 J/TH it draws 16,000 W = 16 kW.
        // 16 kW × 24 h = 384 kWh = 0.384 MWh; × $40/MWh = $15.36 per PH/s per day,
        // i.e. $0.01536 per TH/s per day. J/TH × $/MWh × 24 / 1,000 = 16 × 40 × 24 / 1,000
        // = 15.36 is therefore $/PH/day, not $/TH/day (that would be 1,000× too high).
        let e = JoulesPerTerahash::new(dec!(16)).unwrap();
        let cost = hashcost_usd_per_ph_day(e, Usd::new(dec!(40)).unwrap()).unwrap();
        assert_eq!(cost, dec!(15.36));
        assert_eq!(cost / dec!(1000), dec!(0.01536));
    }

    #[test]
    fn power_in_megawatts_is_efficiency_times_exahashes() {
        // 50 EH/s = 50e6 TH/s; × 16 W per TH/s = 800e6 W = 800 MW.
        let p = power_mw(
            JoulesPerTerahash::new(dec!(16)).unwrap(),
            hashrate(dec!(50)),
        );
        assert_eq!(p.unwrap(), dec!(800));
    }

    #[test]
    fn unit_economics_match_a_hand_calculation() {
        // share = 50 / 1,000 = 0.05
        // btc/day = 0.05 × 144 × (3.125 + 0.125) = 7.2 × 3.25 = 23.4
        // hashprice = 144 × 3.25 / (1,000 × 1,000 PH/s) = 0.000468 BTC = $46.80 per PH/day
        // power = 20 J/TH × 50 EH/s = 1,000 MW; cost = 1,000 × 24 × $50 = $1,200,000/day
        // hashcost = 20 × 50 × 24 / 1,000 = $24/PH/day (= 1,200,000 / 50,000 PH/s)
        // revenue = 23.4 × 100,000 = $2,340,000; cost = 1,200,000 + 204,000 = $1,404,000
        // margin = $936,000; all-in/BTC = 1,404,000 / 23.4 = $60,000
        // breakeven $/MWh = (2,340,000 − 204,000) / 24,000 MWh = $89
        let out = production(&round_numbers()).unwrap();
        assert_eq!(out.fleet_share, dec!(0.05));
        assert_eq!(out.btc_per_day, dec!(23.4));
        assert_eq!(out.btc_for_period, dec!(702));
        assert_eq!(out.hashprice_btc_per_ph_day, dec!(0.000468));
        assert_eq!(out.hashprice_usd_per_ph_day, Some(dec!(46.8)));
        assert_eq!(out.power_mw, Some(dec!(1000)));
        assert_eq!(out.hashcost_usd_per_ph_day, Some(dec!(24)));
        assert_eq!(out.power_cost_per_day, Some(dec!(1200000)));
        assert_eq!(out.revenue_per_day, Some(dec!(2340000)));
        assert_eq!(out.cost_per_day, Some(dec!(1404000)));
        assert_eq!(out.margin_per_day, Some(dec!(936000)));
        assert_eq!(out.all_in_cost_per_btc, Some(dec!(60000)));
        assert_eq!(out.breakeven_btc_price, Some(dec!(60000)));
        assert!(close(out.cost_per_btc.unwrap(), dec!(1200000) / dec!(23.4)));
        assert_eq!(out.breakeven_power_price_per_mwh, Some(dec!(89)));
    }

    #[test]
    fn december_2025_conditions_give_about_20_btc_a_day_for_50_ehs() {
        // Assumed network: 1,070 EH/s (December 2025), subsidy 3.125, fees 0.03 BTC a block.
        // 50 / 1,070 × 144 × 3.155 = 22,716 / 1,070 ≈ 21.23 BTC/day at full uptime;
        // CleanSpark reported 622 BTC in December 2025 ≈ 20.06 a day.
        let input = ProductionInput {
            network: Network::Hashrate(hashrate(dec!(1070))),
            subsidy: Subsidy::FromHeight(927_000),
            fees_per_block: Btc::new(dec!(0.03)).unwrap(),
            ..round_numbers()
        };
        let out = production(&input).unwrap();
        assert!(close(out.btc_per_day, dec!(22716) / dec!(1070)));
        let reported = dec!(622) / dec!(31);
        assert_relative_eq!(
            Exact(out.btc_per_day),
            Exact(reported),
            max_relative = REPORTED_PRODUCTION_REL
        );
    }

    #[test]
    fn a_difficulty_stands_in_for_the_network_hashrate() {
        let input = ProductionInput {
            network: Network::Difficulty(Difficulty::new(dec!(150_000_000_000_000)).unwrap()),
            ..round_numbers()
        };
        assert_eq!(
            production(&input).unwrap().network_hashrate_ehs,
            dec!(1073.741824)
        );
    }

    #[test]
    fn a_fleet_larger_than_the_network_is_inconsistent() {
        let input = ProductionInput {
            network: Network::Hashrate(hashrate(dec!(49))),
            ..round_numbers()
        };
        let err = production(&input).unwrap_err();
        assert_eq!(err.field(), Some("fleet_hashrate_ehs"));
    }

    #[test]
    fn zero_uptime_mines_nothing_and_leaves_per_btc_costs_undefined() {
        let input = ProductionInput {
            uptime: Fraction::ZERO,
            ..round_numbers()
        };
        let out = production(&input).unwrap();
        assert_eq!(out.btc_per_day, Decimal::ZERO);
        assert_eq!(out.power_cost_per_day, Some(Decimal::ZERO));
        assert_eq!(out.cost_per_btc, None);
        assert_eq!(out.breakeven_btc_price, None);
        assert_eq!(out.breakeven_power_price_per_mwh, None);
    }

    #[test]
    fn a_power_price_without_a_power_draw_is_refused() {
        let input = ProductionInput {
            power: None,
            ..round_numbers()
        };
        assert!(matches!(
            production(&input),
            Err(CoreError::MissingDependency {
                field: "power_price_per_mwh",
                ..
            })
        ));
    }

    #[test]
    fn a_stated_power_draw_implies_the_efficiency() {
        let input = ProductionInput {
            power: Some(PowerDraw::Megawatts(Megawatts::new(dec!(800)).unwrap())),
            ..round_numbers()
        };
        // 800 MW / 50 EH/s = 16 J/TH; hashcost 16 × 50 × 24 / 1,000 = $19.20/PH/day.
        let out = production(&input).unwrap();
        assert_eq!(out.efficiency_j_per_th, Some(dec!(16)));
        assert_eq!(out.hashcost_usd_per_ph_day, Some(dec!(19.2)));
    }

    proptest! {
        #[test]
        fn btc_per_day_is_linear_in_the_fleet_share(
            fleet_ph in 1u64..1_000_000,
            k in 1u64..1_000,
        ) {
            // Fleet in whole PH/s up to 1,000 EH/s; the network is 2,000,000 EH/s so k × fleet fits.
            let fleet = Decimal::from(fleet_ph) / dec!(1000);
            let base = ProductionInput {
                network: Network::Hashrate(hashrate(dec!(2000000))),
                fleet: Fleet::new(hashrate(fleet), None).unwrap(),
                ..round_numbers()
            };
            let scaled = ProductionInput {
                fleet: Fleet::new(hashrate(fleet * Decimal::from(k)), None).unwrap(),
                ..base.clone()
            };
            let one = production(&base).unwrap().btc_per_day;
            let many = production(&scaled).unwrap().btc_per_day;
            prop_assert!(close(many, one * Decimal::from(k)), "{many} vs {k} × {one}");
        }
    }
}
