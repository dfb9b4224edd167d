//! The project model and the sensitivity grid on the 250 MW reference site.
//!
//! `taskset -c 1 cargo bench -p infraval-core --bench project -- --quick`

#![allow(missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use infraval_core::build_cost::{BuildCostInput, Phase, Phases, SpendCurve};
use infraval_core::num::{Fraction, Megawatts, Price, Usd};
use infraval_core::project::{project, Exit, LeaseUp, Metric, Opex, ProjectInput, Tax, Variable};
use infraval_core::sensitivity::{sensitivity, Axis, SensitivityInput};
use rust_decimal::Decimal;

/// A 20-year, two-phase build with a linear lease-up, opex, tax and a
/// cap-rate exit: every part of the model is exercised.
fn reference() -> ProjectInput {
    let mw = |v: i64| Megawatts::new(Decimal::from(v)).unwrap();
    ProjectInput {
        build: BuildCostInput {
            it_capacity: mw(250),
            cost_per_mw: Usd::new(Decimal::from(10_000_000)).unwrap(),
            contingency: Fraction::new(Decimal::new(1, 1)).unwrap(),
            soft_costs: Fraction::new(Decimal::new(5, 2)).unwrap(),
            land_cost: Usd::new(Decimal::from(20_000_000)).unwrap(),
            already_spent: Usd::ZERO,
            phases: Phases::new(vec![
                Phase {
                    it_capacity: mw(100),
                    start_month: 0,
                    duration_months: 18,
                },
                Phase {
                    it_capacity: mw(150),
                    start_month: 12,
                    duration_months: 18,
                },
            ])
            .unwrap(),
            curve: SpendCurve::SCurve,
        },
        rate_per_kw_month: Price::new(Decimal::new(13333, 2)).unwrap(),
        lease_up: LeaseUp::linear(18, Fraction::new(Decimal::new(95, 2)).unwrap()).unwrap(),
        lease_start_month: 18,
        rent_escalator: Decimal::new(3, 2),
        opex: Opex::FractionOfRent(Fraction::new(Decimal::new(2, 1)).unwrap()),
        power: None,
        maintenance_capex: Fraction::new(Decimal::new(2, 2)).unwrap(),
        tax: Some(Tax {
            rate: Fraction::new(Decimal::new(21, 2)).unwrap(),
            depreciation_years: 20,
        }),
        discount_rate: Decimal::new(9, 2),
        horizon_years: 20,
        exit: Some(Exit::CapRate(Decimal::new(7, 2))),
        financing: None,
        leases: Vec::new(),
        periods: Default::default(),
        conversion: None,
    }
}

fn bench(c: &mut Criterion) {
    let input = reference();
    c.bench_function("project_20y", |b| {
        b.iter(|| project(black_box(&input)).unwrap())
    });

    let grid = SensitivityInput {
        base: reference(),
        rows: Axis::range(
            Variable::RatePerKwMonth,
            Decimal::from(80),
            Decimal::from(180),
            100,
            "rows",
        )
        .unwrap(),
        columns: Axis::range(
            Variable::CostPerMw,
            Decimal::from(6_000_000),
            Decimal::from(14_000_000),
            100,
            "columns",
        )
        .unwrap(),
        outputs: vec![Metric::Npv, Metric::Irr, Metric::YieldOnCost],
    };
    let flows: Vec<Decimal> = project(&input)
        .unwrap()
        .years
        .iter()
        .map(|y| y.cash_flow)
        .collect();
    c.bench_function("npv_21", |b| {
        b.iter(|| infraval_core::cash_flow::npv(Decimal::new(9, 2), black_box(&flows)).unwrap())
    });
    c.bench_function("irr_21", |b| {
        b.iter(|| infraval_core::cash_flow::irr(black_box(&flows)).unwrap())
    });
    c.bench_function("build_cost", |b| {
        b.iter(|| infraval_core::build_cost::build_cost(black_box(&input.build)).unwrap())
    });
    let mut group = c.benchmark_group("sensitivity");
    group.sample_size(10);
    group.bench_function("grid_100x100_20y", |b| {
        b.iter(|| sensitivity(black_box(&grid)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
