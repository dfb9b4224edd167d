//! Inputs at the documented caps (or, where a field has no cap, at
//! `Decimal::MAX`) give a correct value or a named `Overflow`, never a
//! panic: the audit in docs/decimal-audit.md relies on these.

use chrono::NaiveDate;
use infraval_core::build_cost::{build_cost, BuildCostInput, Phases, SpendCurve};
use infraval_core::cash_flow;
use infraval_core::colocation::{arr, ArrInput};
use infraval_core::colocation::{Pue, MAX_PUE};
use infraval_core::convertible::dilution::{dilution, DilutionInput, ShareCount, SharePrices};
use infraval_core::convertible::terms::{MAX_CONVERSION_RATE, MAX_PRINCIPAL, MAX_SHARE_PRICE};
use infraval_core::convertible::{
    Conversion, ConversionRate, ConvertibleTerms, Principal, Settlement,
};
use infraval_core::mining::{
    projection, Btc, Cohort, Cohorts, Fee, FeeSchedule, FeeShare, HalvingSchedule,
    HashpriceForward, Hashrate, JoulesPerTerahash, MonthlyGrowth, Network, NetworkPath,
    PowerContract, PowerPricePath, PowerTerms, PriceBucket, PricePath, PriceProfile,
    ProjectionFleet, ProjectionInput, ProjectionMonths, Purchase, Shutoff, SiteCosts, UsefulLife,
    MAX_COHORTS, MAX_FEE_SHARE, MAX_PRICE_BUCKETS, MAX_PRICE_MULTIPLE, MAX_PROJECTION_MONTHS,
    MAX_USEFUL_LIFE_MONTHS,
};
use infraval_core::num::{Fraction, Megawatts, Price, Usd};
use infraval_core::project::{
    project, Exit, LeaseUp, Opex, PowerPassThrough, ProjectInput, Tax, MAX_DEPRECIATION_YEARS,
    MAX_ESCALATOR, MAX_EXIT_MULTIPLE, MAX_HORIZON_YEARS, MAX_LEASE_MONTHS,
};
use infraval_core::valuation::{
    sum_of_parts, Buyback as ValuationBuyback, ConvertibleNote, MiningValuation, Multiple, Shares,
    Site, SiteMethod, SotpInput, Treasury, MAX_CONVERTIBLES, MAX_MULTIPLE, MAX_SITES,
};
use infraval_core::CoreError;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn is_overflow<T: std::fmt::Debug>(result: &Result<T, CoreError>) -> bool {
    matches!(result, Err(CoreError::Overflow { .. }))
}

/// Any Decimal the wire can carry, weighted towards the huge end.
fn any_positive_decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        Just(Decimal::MAX),
        (1u64..=u64::MAX, 0u32..=28).prop_map(|(m, s)| Decimal::new(m as i64 & i64::MAX | 1, s)),
        (1u128..(1u128 << 96)).prop_map(|m| Decimal::from_i128_with_scale(m as i128, 0)),
    ]
}

#[test]
fn max_principal_times_max_conversion_rate_gives_the_share_count_exactly() {
    // $1e12 of principal at 10,000,000 shares per $1,000:
    // 1e12 / 1,000 × 1e7 = 1e16 shares, within Decimal's 7.9e28.
    let terms = ConvertibleTerms::new(
        Principal::new(MAX_PRINCIPAL).unwrap(),
        Conversion::Rate(ConversionRate::new(MAX_CONVERSION_RATE).unwrap()),
    )
    .unwrap();
    assert_eq!(
        terms.shares_underlying(),
        Decimal::from(10_000_000_000_000_000u64)
    );
}

#[test]
fn dilution_at_every_cap_at_once_answers_without_panicking() {
    let terms = ConvertibleTerms::new(
        Principal::new(MAX_PRINCIPAL).unwrap(),
        Conversion::Rate(ConversionRate::new(MAX_CONVERSION_RATE).unwrap()),
    )
    .unwrap();
    for settlement in [Settlement::Physical, Settlement::NetShare, Settlement::Cash] {
        let input = DilutionInput {
            terms,
            basic_shares_outstanding: ShareCount::new(Decimal::ONE).unwrap(),
            share_prices: SharePrices::list(&[MAX_SHARE_PRICE]).unwrap(),
            settlement,
            capped_call: None,
            buyback: None,
            make_whole: None,
        };
        let out = dilution(&input);
        assert!(out.is_ok() || is_overflow(&out), "{settlement:?}: {out:?}");
    }
}

#[test]
fn build_cost_at_decimal_max_is_a_named_overflow() {
    let mw = Megawatts::new(Decimal::MAX).unwrap();
    let input = BuildCostInput {
        it_capacity: mw,
        cost_per_mw: Usd::new(Decimal::MAX).unwrap(),
        contingency: Fraction::ONE,
        soft_costs: Fraction::ONE,
        land_cost: Usd::new(Decimal::MAX).unwrap(),
        already_spent: Usd::ZERO,
        phases: Phases::at_start(mw),
        curve: SpendCurve::StraightLine,
    };
    assert!(is_overflow(&build_cost(&input)));
}

#[test]
fn arr_at_decimal_max_capacity_is_a_named_overflow() {
    let input = ArrInput {
        it_capacity: Megawatts::new(Decimal::MAX).unwrap(),
        rate_per_kw_month: Price::new(Decimal::MAX).unwrap(),
        occupancy: Fraction::ONE,
    };
    assert!(is_overflow(&arr(&input)));
}

proptest! {
    #[test]
    fn arr_never_panics_on_any_representable_input(
        mw in any_positive_decimal(),
        rate in any_positive_decimal(),
    ) {
        let input = ArrInput {
            it_capacity: Megawatts::new(mw).unwrap(),
            rate_per_kw_month: Price::new(rate).unwrap(),
            occupancy: Fraction::ONE,
        };
        let out = arr(&input);
        prop_assert!(out.is_ok() || is_overflow(&out), "{:?}", out);
    }

    #[test]
    fn build_cost_never_panics_on_any_representable_input(
        mw in any_positive_decimal(),
        cost in any_positive_decimal(),
        land in any_positive_decimal(),
        months in 1u32..=600,
    ) {
        let capacity = Megawatts::new(mw).unwrap();
        let input = BuildCostInput {
            it_capacity: capacity,
            cost_per_mw: Usd::new(cost).unwrap(),
            contingency: Fraction::ONE,
            soft_costs: Fraction::ONE,
            land_cost: Usd::new(land).unwrap(),
            already_spent: Usd::ZERO,
            phases: Phases::new(vec![infraval_core::build_cost::Phase {
                it_capacity: capacity,
                start_month: 0,
                duration_months: months,
            }])
            .unwrap(),
            curve: SpendCurve::SCurve,
        };
        let out = build_cost(&input);
        prop_assert!(out.is_ok() || is_overflow(&out), "{:?}", out);
    }
}

fn site(mw: Decimal, cost_per_mw: Decimal) -> BuildCostInput {
    let capacity = Megawatts::new(mw).unwrap();
    BuildCostInput {
        it_capacity: capacity,
        cost_per_mw: Usd::new(cost_per_mw).unwrap(),
        contingency: Fraction::ZERO,
        soft_costs: Fraction::ZERO,
        land_cost: Usd::ZERO,
        already_spent: Usd::ZERO,
        phases: Phases::at_start(capacity),
        curve: SpendCurve::StraightLine,
    }
}

fn project_at(
    mw: Decimal,
    rate: Decimal,
    escalator: Decimal,
    discount_rate: Decimal,
    horizon_years: u32,
    exit: Option<Exit>,
) -> ProjectInput {
    ProjectInput {
        build: site(mw, Decimal::ONE),
        rate_per_kw_month: Price::new(rate).unwrap(),
        lease_up: LeaseUp::linear(MAX_LEASE_MONTHS, Fraction::ONE).unwrap(),
        lease_start_month: 12,
        rent_escalator: escalator,
        opex: Opex::FractionOfRent(Fraction::ZERO),
        power: Some(PowerPassThrough {
            pue: Pue::new(MAX_PUE).unwrap(),
            price_per_mwh: Usd::new(rate).unwrap(),
            margin: Fraction::ONE,
        }),
        maintenance_capex: Fraction::ONE,
        tax: Some(Tax {
            rate: Fraction::ONE,
            depreciation_years: MAX_DEPRECIATION_YEARS,
        }),
        discount_rate,
        horizon_years,
        exit,
        financing: None,
        leases: Vec::new(),
        periods: Default::default(),
        conversion: None,
    }
}

#[test]
fn a_fifty_year_project_at_the_escalator_and_discount_caps_is_a_named_overflow() {
    // Rent grows 1.5^50 ≈ 6.4e8 times and is discounted at
    // 1 / 0.01^50 = 1e100: far past Decimal's 7.9e28.
    let input = project_at(
        Decimal::MAX,
        Decimal::MAX,
        MAX_ESCALATOR,
        cash_flow::MIN_RATE,
        MAX_HORIZON_YEARS,
        Some(Exit::Multiple(MAX_EXIT_MULTIPLE)),
    );
    assert!(is_overflow(&project(&input)));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn a_project_anywhere_in_the_caps_answers_or_names_an_overflow(
        mw in any_positive_decimal(),
        rate in any_positive_decimal(),
        escalator_bp in -5_000i64..=5_000,
        discount_bp in -9_900i64..=1_000_000,
        horizon_years in 2u32..=MAX_HORIZON_YEARS,
        multiple in 1i64..=100,
    ) {
        let input = project_at(
            mw,
            rate,
            Decimal::new(escalator_bp, 4),
            Decimal::new(discount_bp, 4),
            horizon_years,
            Some(Exit::Multiple(Decimal::from(multiple))),
        );
        let out = project(&input);
        prop_assert!(out.is_ok() || is_overflow(&out), "{:?}", out);
    }
}

fn sum_of_parts_at(value: Decimal, multiple: Decimal, shares: Decimal) -> SotpInput {
    let note = ConvertibleNote {
        name: "note".into(),
        terms: ConvertibleTerms::new(
            Principal::new(MAX_PRINCIPAL).unwrap(),
            Conversion::Rate(ConversionRate::new(MAX_CONVERSION_RATE).unwrap()),
        )
        .unwrap(),
        settlement: Settlement::NetShare,
        redemption_amount: None,
        capped_calls: vec![],
        make_whole: None,
    };
    SotpInput {
        mining_projection: None,
        mining: Some(MiningValuation::EbitdaMultiple {
            ebitda: Usd::new(value).unwrap(),
            multiple: Multiple::new(multiple).unwrap(),
        }),
        data_centers: (0..MAX_SITES)
            .map(|i| Site {
                name: format!("site {i}"),
                method: SiteMethod::ArrMultiple {
                    arr: Usd::new(value).unwrap(),
                    multiple: Multiple::new(multiple).unwrap(),
                },
                remaining_capex: Usd::ZERO,
                it_capacity_mw: None,
            })
            .collect(),
        treasury: Some(Treasury {
            btc: Btc::new(value).unwrap(),
            btc_price: Price::new(value).unwrap(),
            haircut: Fraction::ZERO,
        }),
        cash: Usd::new(value).unwrap(),
        debt: Usd::ZERO,
        convertibles: vec![note; MAX_CONVERTIBLES],
        basic_shares: Shares::new(shares).unwrap(),
        // `value` spent at $1 a share, out of cash.
        buyback: Some(ValuationBuyback {
            shares: value.floor(),
            cash_spent: Usd::new(value).unwrap(),
        }),
        warrants: vec![],
        rsus: Decimal::ZERO,
        valuation_date: None,
    }
}

#[test]
fn the_sum_of_fifty_sites_at_the_multiple_cap_is_a_named_overflow() {
    // 50 × 1e26 × 1,000 = 5e30 > 7.9e28.
    let input = sum_of_parts_at(
        Decimal::from_i128_with_scale(10i128.pow(26), 0),
        Decimal::from(MAX_MULTIPLE),
        Decimal::ONE,
    );
    assert!(is_overflow(&sum_of_parts(&input)));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn the_sum_of_the_parts_at_every_list_cap_answers_or_names_an_overflow(
        value in any_positive_decimal(),
        multiple in 0u32..=MAX_MULTIPLE,
        shares in any_positive_decimal(),
    ) {
        let input = sum_of_parts_at(value, Decimal::from(multiple), shares);
        let out = sum_of_parts(&input);
        let named = matches!(
            out,
            Err(CoreError::Overflow { .. }
                | CoreError::Inconsistent { .. }
                | CoreError::NoSolution { .. }
                | CoreError::Unattainable { .. })
        );
        prop_assert!(out.is_ok() || named, "{:?}", out);
    }
}

fn mining_at(
    start_date: NaiveDate,
    months: u32,
    value: Decimal,
    growth: Decimal,
    start_height: u64,
) -> ProjectionInput {
    ProjectionInput {
        start_date,
        months: ProjectionMonths::new(months).unwrap(),
        network: NetworkPath::Growth {
            initial: Network::Hashrate(Hashrate::new(value).unwrap()),
            monthly_growth: MonthlyGrowth::new(growth).unwrap(),
        },
        fleet: ProjectionFleet::Single {
            fleet: Hashrate::new(value).unwrap(),
            additions_ehs: vec![value; months as usize],
            efficiency: Some(JoulesPerTerahash::new(value).unwrap()),
        },
        halving: HalvingSchedule::FromHeight { start_height },
        fees: FeeSchedule::Flat(Fee::PerBlock(Btc::new(value).unwrap())),
        uptime: Fraction::ONE,
        pool_fee: Fraction::ZERO,
        btc_price: PricePath::Growth {
            initial: Price::new(value).unwrap(),
            monthly_growth: MonthlyGrowth::new(growth).unwrap(),
        },
        power_price_per_mwh: Some(PowerPricePath::Flat(Usd::new(value).unwrap())),
        power: PowerTerms::default(),
        costs: SiteCosts {
            other_opex_per_day: Some(Usd::new(value).unwrap()),
            infrastructure_depreciation_per_day: Some(Usd::new(value).unwrap()),
            stock_compensation_per_day: Some(Usd::new(value).unwrap()),
        },
        hashprice_forward: vec![],
    }
}

/// The same at the cohort caps: 50 cohorts bought across the horizon, a
/// 24-bucket profile, a contract, credits, the shut-off and a full forward
/// curve.
fn mining_cohorts_at(
    start_date: NaiveDate,
    months: u32,
    value: Decimal,
    growth: Decimal,
    start_height: u64,
) -> ProjectionInput {
    let cohort = |i: usize| Cohort {
        hashrate: Hashrate::new(value).unwrap(),
        efficiency: JoulesPerTerahash::new(value).unwrap(),
        purchase_date: start_date.checked_add_days(chrono::Days::new(i as u64 * 61)),
        purchase: Some(Purchase {
            cost: Usd::new(value).unwrap(),
            useful_life: UsefulLife::new(MAX_USEFUL_LIFE_MONTHS).unwrap(),
            residual: Fraction::ZERO,
        }),
    };
    let share = Decimal::ONE / Decimal::from(MAX_PRICE_BUCKETS as u64);
    let mut buckets = vec![
        PriceBucket::new(share, Decimal::from(MAX_PRICE_MULTIPLE)).unwrap();
        MAX_PRICE_BUCKETS - 1
    ];
    let rest = Decimal::ONE - share * Decimal::from(MAX_PRICE_BUCKETS as u64 - 1);
    buckets.push(PriceBucket::new(rest, Decimal::ZERO).unwrap());
    ProjectionInput {
        fleet: ProjectionFleet::Cohorts(
            Cohorts::new((0..MAX_COHORTS).map(cohort).collect()).unwrap(),
        ),
        power: PowerTerms {
            profile: Some(PriceProfile::new(buckets).unwrap()),
            contract: Some(PowerContract {
                mw: Megawatts::new(value).unwrap(),
                price_per_mwh: Usd::new(value).unwrap(),
            }),
            demand_response_per_mwh: Some(Usd::new(value).unwrap()),
            demand_response_per_month: Some(Usd::new(value).unwrap()),
            shutoff: Shutoff::Economic,
        },
        hashprice_forward: vec![
            HashpriceForward {
                usd_per_ph_day: Usd::new(value).unwrap(),
                hedged_fraction: Fraction::ONE,
            };
            months as usize
        ],
        fees: FeeSchedule::SharePath(vec![FeeShare::new(MAX_FEE_SHARE).unwrap(); months as usize]),
        ..mining_at(start_date, months, value, growth, start_height)
    }
}

#[test]
fn a_mining_projection_ending_past_the_last_calendar_date_is_an_error() {
    // chrono's last date is in year 262,142: ten years from there do not exist.
    let start = NaiveDate::MAX.pred_opt().unwrap();
    let out = projection(&mining_at(
        start,
        MAX_PROJECTION_MONTHS,
        Decimal::ONE,
        Decimal::ZERO,
        u64::MAX,
    ));
    assert!(out.is_err(), "{out:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn a_mining_projection_anywhere_in_the_caps_answers_or_names_an_error(
        day in -100_000i32..=100_000,
        months in 1u32..=MAX_PROJECTION_MONTHS,
        value in any_positive_decimal(),
        growth_bp in -9_999i64..=100_000,
        start_height in any::<u64>(),
    ) {
        let start = NaiveDate::from_num_days_from_ce_opt(738_000 + day).unwrap();
        let input = mining_at(start, months, value, Decimal::new(growth_bp, 4), start_height);
        // Any CoreError is a 422; only a panic fails this.
        let _ = projection(&input);
        let cohorts = mining_cohorts_at(start, months, value, Decimal::new(growth_bp, 4), start_height);
        let _ = projection(&cohorts);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn a_gpu_cloud_anywhere_in_the_caps_answers_or_names_an_overflow(
        capex in any_positive_decimal(),
        price in any_positive_decimal(),
        opex in any_positive_decimal(),
        power_price in any_positive_decimal(),
        gpu_count in 1u64..=infraval_core::gpu_cloud::MAX_GPU_COUNT,
        life in 1u32..=infraval_core::gpu_cloud::MAX_USEFUL_LIFE_YEARS,
        horizon in 1u32..=infraval_core::gpu_cloud::MAX_HORIZON_YEARS,
        ramp in 0u32..=infraval_core::gpu_cloud::MAX_RAMP_MONTHS,
        discount_bp in -9_900i64..=1_000_000,
        multiple in prop::option::of(0i64..=100),
    ) {
        use infraval_core::gpu_cloud::{gpu_cloud, GpuCloudInput, Refresh, SpotUtilization, Terminal, MAX_KW_PER_GPU};
        let half = Fraction::new(Decimal::new(5, 1)).unwrap();
        let input = GpuCloudInput {
            gpu_count,
            capex_per_gpu: Usd::new(capex).unwrap(),
            price_per_gpu_hour: Usd::new(price).unwrap(),
            price_decline_per_year: half,
            utilization: SpotUtilization::Ramp { utilization: Fraction::ONE, months_to_ramp: ramp },
            contracts: Vec::new(),
            contracted_utilization: Fraction::ONE,
            deliveries: Vec::new(),
            useful_life_years: life,
            residual_fraction: half,
            refresh: Some(Refresh {
                capex_per_gpu: Usd::new(capex).unwrap(),
                price_per_gpu_hour: Usd::new(price).unwrap(),
            }),
            power_kw_per_gpu: MAX_KW_PER_GPU,
            pue: Pue::new(MAX_PUE).unwrap(),
            power_price_per_mwh: Usd::new(power_price).unwrap(),
            idle_power_fraction: half,
            other_opex_per_gpu_month: Usd::new(opex).unwrap(),
            opex_fraction_of_revenue: half,
            tax_rate: half,
            discount_rate: Decimal::new(discount_bp, 4),
            horizon_years: horizon,
            terminal: multiple.map_or(Terminal::BookValue, |m| Terminal::ExitMultiple(Decimal::from(m))),
        };
        let out = gpu_cloud(&input);
        prop_assert!(out.is_ok() || is_overflow(&out), "{:?}", out);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Contracts of any size, years, escalator and prepayment within the
    /// wire's caps, on a fleet with or without a refresh, later deliveries
    /// and a spot utilisation path: the model answers, refuses by name, or
    /// names an overflow; it never panics.
    #[test]
    fn gpu_contracts_anywhere_in_the_caps_answer_or_are_refused_without_a_panic(
        price in any_positive_decimal(),
        prepayment in any_positive_decimal(),
        gpu_count in 1u64..=infraval_core::gpu_cloud::MAX_GPU_COUNT,
        life in 1u32..=infraval_core::gpu_cloud::MAX_USEFUL_LIFE_YEARS,
        horizon in 1u32..=infraval_core::gpu_cloud::MAX_HORIZON_YEARS,
        refresh in any::<bool>(),
        path in prop::collection::vec(0u32..=100, 1..=30),
        contracts in prop::collection::vec(
            (1u64..=infraval_core::gpu_cloud::MAX_GPU_COUNT, 1u32..=30, 1u32..=30, -50i64..=50, any::<bool>(), any::<bool>()),
            0..=infraval_core::gpu_cloud::MAX_CONTRACTS,
        ),
        deliveries in prop::collection::vec((1u64..=100_000, 1u32..=30), 0..=infraval_core::gpu_cloud::MAX_DELIVERIES),
    ) {
        use infraval_core::gpu_cloud::{gpu_cloud, Contract, Delivery, GpuCloudInput, Refresh, SpotUtilization, Terminal};
        let half = Fraction::new(Decimal::new(5, 1)).unwrap();
        let money = Usd::new(Decimal::new(40_000, 0)).unwrap();
        let input = GpuCloudInput {
            gpu_count,
            capex_per_gpu: money,
            price_per_gpu_hour: Usd::new(Decimal::new(2, 0)).unwrap(),
            price_decline_per_year: half,
            utilization: SpotUtilization::ByYear(
                path.iter().map(|p| Fraction::new(Decimal::new(i64::from(*p), 2)).unwrap()).collect(),
            ),
            contracts: contracts
                .iter()
                .map(|&(gpus, start, term, escalator, prepaid, take_or_pay)| {
                    // Mostly valid contracts, so that the yearly model runs:
                    // each at most a twentieth of the fleet, within the horizon.
                    let start = 1 + (start - 1) % horizon;
                    let term = 1 + (term - 1) % (horizon - start + 1);
                    (1 + gpus % (gpu_count / 20).max(1), start, term, escalator, prepaid, take_or_pay)
                })
                .map(|(gpus, start, term, escalator, prepaid, take_or_pay)| Contract {
                    gpu_count: gpus,
                    price_per_gpu_hour: Usd::new(price).unwrap(),
                    escalator_per_year: Decimal::new(escalator, 2),
                    start_year: start,
                    term_years: term,
                    prepayment: if prepaid { Usd::new(prepayment).unwrap() } else { Usd::ZERO },
                    take_or_pay,
                })
                .collect(),
            contracted_utilization: half,
            deliveries: deliveries
                .iter()
                .map(|&(gpus, year)| Delivery {
                    gpu_count: gpus,
                    delivery_year: 1 + (year - 1) % horizon,
                    capex_per_gpu: money,
                    price_per_gpu_hour: Usd::new(price).unwrap(),
                })
                .collect(),
            useful_life_years: life,
            residual_fraction: half,
            refresh: refresh.then_some(Refresh { capex_per_gpu: money, price_per_gpu_hour: Usd::new(price).unwrap() }),
            power_kw_per_gpu: Decimal::ONE,
            pue: Pue::new(Decimal::ONE).unwrap(),
            power_price_per_mwh: money,
            idle_power_fraction: half,
            other_opex_per_gpu_month: money,
            opex_fraction_of_revenue: half,
            tax_rate: half,
            discount_rate: Decimal::new(1, 1),
            horizon_years: horizon,
            terminal: Terminal::BookValue,
        };
        // Any CoreError is a 422; only a panic fails this.
        let _ = gpu_cloud(&input);
    }
}
