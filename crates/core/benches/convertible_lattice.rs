//! Lattice speed on the CleanSpark base case (0% coupon, 52.1832 shares per
//! $1,000, S = 15.03, σ = 60%, r = 4%, s = 5%, 2025-12-15 → 2032-12-15).
//!
//! Run on one core: `taskset -c 1 cargo bench -p infraval-core --bench convertible_lattice`.
//! QuantLib's BinomialConvertibleEngine takes about 4.6 ms at 1,000 steps and
//! 26 ms at 2,000 on this case.
//!
//! Before timing, the bench prints each step count's distance from the
//! 20,000-step price, the accuracy side of the comparison, and the same for
//! the base case with a soft call and a put at its default steps (2,000).
#![allow(missing_docs)] // criterion_group! generates undocumented items.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use infraval_core::convertible::lattice::{CallPeriod, ConvertibleInput, Model, PutDate};
use infraval_core::convertible::pricing::{fair_value_per_100, price};

#[path = "common/cleanspark.rs"]
#[allow(dead_code)]
mod cleanspark;

fn base(model: Model, steps: usize) -> ConvertibleInput {
    ConvertibleInput::new(cleanspark::cleanspark_spec(model, Some(steps)))
        .expect("the base case is valid")
}

/// The base case with a soft call (2028-12-15 to maturity at 100, trigger
/// 1.3) and a put (2029-12-15 at 100), at the default steps when `None`.
fn callable(steps: Option<usize>) -> ConvertibleInput {
    let mut spec = cleanspark::cleanspark_spec(Model::TsiveriotisFernandes, Some(1000));
    spec.steps = steps;
    spec.call_schedule = vec![CallPeriod {
        from_date: cleanspark::date(2028, 12, 15),
        to_date: cleanspark::date(2032, 12, 15),
        price_per_100: 100.0,
        trigger: Some(1.3),
        test: None,
    }];
    spec.put_schedule = vec![PutDate {
        date: cleanspark::date(2029, 12, 15),
        price_per_100: 100.0,
    }];
    ConvertibleInput::new(spec).expect("the callable case is valid")
}

fn lattice(c: &mut Criterion) {
    for model in [Model::TsiveriotisFernandes, Model::HazardRate] {
        let converged = fair_value_per_100(&base(model, 20_000)).expect("prices");
        for steps in [250, 500, 1000, 2000] {
            let v = fair_value_per_100(&base(model, steps)).expect("prices");
            println!(
                "{model:?} {steps:>5} steps: {v:.6} per 100, {:+.6} from 20,000 steps ({converged:.6})",
                v - converged
            );
        }
    }
    let converged = fair_value_per_100(&callable(Some(20_000))).expect("prices");
    let v = fair_value_per_100(&callable(None)).expect("prices");
    println!(
        "TF soft call + put, default steps: {v:.6} per 100, {:+.6} from 20,000 steps ({converged:.6})",
        v - converged
    );
    let mut group = c.benchmark_group("convertible_fair_value");
    for model in [Model::TsiveriotisFernandes, Model::HazardRate] {
        for steps in [250, 1000, 2000] {
            let input = base(model, steps);
            group.bench_with_input(
                BenchmarkId::new(format!("{model:?}"), steps),
                &input,
                |b, input| b.iter(|| fair_value_per_100(black_box(input))),
            );
        }
    }
    let input = callable(None);
    group.bench_function("TsiveriotisFernandes soft call + put/default", |b| {
        b.iter(|| fair_value_per_100(black_box(&input)))
    });
    group.finish();
    let input = base(Model::TsiveriotisFernandes, 1000);
    c.bench_function(
        "convertible_price_with_greeks/TsiveriotisFernandes/1000",
        |b| b.iter(|| price(black_box(&input))),
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2));
    targets = lattice
}
criterion_main!(benches);
