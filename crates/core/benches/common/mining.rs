//! The mining projection's reference inputs, shared by the bench and the
//! instruction-count example.

use chrono::NaiveDate;
use infraval_core::mining::{
    Cohort, Cohorts, Fee, FeeSchedule, FeeShare, HalvingSchedule, HashpriceForward, Hashrate,
    JoulesPerTerahash, MonthlyGrowth, Network, NetworkPath, PowerContract, PowerPricePath,
    PowerTerms, PriceBucket, PricePath, PriceProfile, ProjectionFleet, ProjectionInput,
    ProjectionMonths, Purchase, Shutoff, SiteCosts, UsefulLife, MAX_COHORTS, MAX_PRICE_BUCKETS,
    MAX_PROJECTION_MONTHS,
};
use infraval_core::num::{Fraction, Megawatts, Price, Usd};
use rust_decimal::Decimal;

fn d(v: i64, scale: u32) -> Decimal {
    Decimal::new(v, scale)
}

/// The README's projection: 50 EH/s for 24 months on a network growing 2% a month.
pub fn readme() -> ProjectionInput {
    ProjectionInput {
        start_date: NaiveDate::from_ymd_opt(2025, 12, 1).unwrap(),
        months: ProjectionMonths::new(24).unwrap(),
        network: NetworkPath::Growth {
            initial: Network::Hashrate(Hashrate::new(d(1070, 0)).unwrap()),
            monthly_growth: MonthlyGrowth::new(d(2, 2)).unwrap(),
        },
        fleet: ProjectionFleet::Single {
            fleet: Hashrate::new(d(50, 0)).unwrap(),
            additions_ehs: vec![d(0, 0), d(0, 0), d(0, 0), d(2, 0)],
            efficiency: Some(JoulesPerTerahash::new(d(161, 1)).unwrap()),
        },
        halving: HalvingSchedule::FromHeight {
            start_height: 927_000,
        },
        fees: FeeSchedule::Flat(Fee::ZERO),
        uptime: Fraction::new(d(95, 2)).unwrap(),
        pool_fee: Fraction::ZERO,
        btc_price: PricePath::Growth {
            initial: Price::new(d(90_000, 0)).unwrap(),
            monthly_growth: MonthlyGrowth::new(d(1, 2)).unwrap(),
        },
        power_price_per_mwh: Some(PowerPricePath::Flat(Usd::new(d(45, 0)).unwrap())),
        power: PowerTerms::default(),
        costs: SiteCosts {
            other_opex_per_day: Some(Usd::new(d(200_000, 0)).unwrap()),
            ..SiteCosts::default()
        },
        hashprice_forward: vec![],
    }
}

/// Every list at its cap: 50 cohorts bought across the horizon, 24 price
/// buckets, 120 months of fee shares, power prices and forwards.
pub fn at_the_caps() -> ProjectionInput {
    let months = MAX_PROJECTION_MONTHS as usize;
    let cohorts = (0..MAX_COHORTS)
        .map(|i| Cohort {
            hashrate: Hashrate::new(d(1, 0)).unwrap(),
            efficiency: JoulesPerTerahash::new(d(100 + 5 * i as i64, 1)).unwrap(),
            purchase_date: NaiveDate::from_ymd_opt(2024 + (i as i32 % 4), 1 + i as u32 % 12, 15),
            purchase: Some(Purchase {
                cost: Usd::new(d(15_000_000, 0)).unwrap(),
                useful_life: UsefulLife::new(36).unwrap(),
                residual: Fraction::new(d(1, 1)).unwrap(),
            }),
        })
        .collect();
    let mut buckets: Vec<PriceBucket> = (0..MAX_PRICE_BUCKETS - 1)
        .map(|i| PriceBucket::new(d(4, 2), d(5 + 2 * i as i64, 1)).unwrap())
        .collect();
    buckets.push(PriceBucket::new(d(8, 2), d(60, 1)).unwrap());
    ProjectionInput {
        months: ProjectionMonths::new(MAX_PROJECTION_MONTHS).unwrap(),
        network: NetworkPath::Growth {
            initial: Network::Hashrate(Hashrate::new(d(1070, 0)).unwrap()),
            monthly_growth: MonthlyGrowth::new(d(3, 2)).unwrap(),
        },
        fleet: ProjectionFleet::Cohorts(Cohorts::new(cohorts).unwrap()),
        fees: FeeSchedule::SharePath(vec![FeeShare::new(d(1, 2)).unwrap(); months]),
        power_price_per_mwh: Some(PowerPricePath::List(vec![
            Usd::new(d(45, 0)).unwrap();
            months
        ])),
        power: PowerTerms {
            profile: Some(PriceProfile::new(buckets).unwrap()),
            contract: Some(PowerContract {
                mw: Megawatts::new(d(300, 0)).unwrap(),
                price_per_mwh: Usd::new(d(35, 0)).unwrap(),
            }),
            demand_response_per_mwh: Some(Usd::new(d(5, 0)).unwrap()),
            demand_response_per_month: Some(Usd::new(d(500_000, 0)).unwrap()),
            shutoff: Shutoff::Economic,
        },
        costs: SiteCosts {
            other_opex_per_day: Some(Usd::new(d(200_000, 0)).unwrap()),
            infrastructure_depreciation_per_day: Some(Usd::new(d(150_000, 0)).unwrap()),
            stock_compensation_per_day: Some(Usd::new(d(80_000, 0)).unwrap()),
        },
        hashprice_forward: vec![
            HashpriceForward {
                usd_per_ph_day: Usd::new(d(40, 0)).unwrap(),
                hedged_fraction: Fraction::new(d(25, 2)).unwrap(),
            };
            months
        ],
        ..readme()
    }
}
