//! Issue 18's floor "a book with greeks": 1,000 CleanSpark-like callable
//! notes (soft call from 2029 at 130%), each with every greek and the
//! convergence diagnostic at the default steps, on a 2-thread rayon pool.
//!
//! `cargo bench -p infraval-core --bench convertible_greeks`
//!
//! The machine is shared, so besides wall times the bench reports the cost
//! of a full answer in units of one rollback at the same steps, measured in
//! the same run (`full_answer` / `one_rollback`), which load distorts less.
#![allow(missing_docs)] // criterion_group! generates undocumented items.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use infraval_core::convertible::lattice::ConvertibleInput;
use infraval_core::convertible::pricing::{fair_value_per_100, price};
use rayon::prelude::*;

#[path = "common/book.rs"]
mod book;

fn greeks(c: &mut Criterion) {
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("load average at start: {}", load.trim());
    let inputs: Vec<ConvertibleInput> = book::book()
        .into_iter()
        .map(|spec| ConvertibleInput::new(spec).expect("the book's notes are valid"))
        .collect();
    let middle = ConvertibleInput::new(book::book_note(15.03)).expect("valid");
    let mut group = c.benchmark_group("convertible_greeks");
    group.bench_function("one_rollback", |b| {
        b.iter(|| fair_value_per_100(black_box(&middle)))
    });
    group.bench_function("full_answer", |b| b.iter(|| price(black_box(&middle))));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("a 2-thread pool");
    group.sample_size(10);
    group.bench_function("book_1000_on_2_threads", |b| {
        b.iter(|| {
            pool.install(|| {
                black_box(&inputs)
                    .par_iter()
                    .map(price)
                    .collect::<Result<Vec<_>, _>>()
                    .expect("every note prices")
            })
        })
    });
    group.finish();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("load average at end: {}", load.trim());
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = greeks
}
criterion_main!(benches);
