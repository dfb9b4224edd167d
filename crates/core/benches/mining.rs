//! The mining projection: today's single fleet, and a request at every
//! cap (50 cohorts, a 24-bucket price profile, 120 months, the shut-off).
//!
//! `taskset -c 1 cargo bench -p infraval-core --bench mining -- --quick`

#![allow(missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use infraval_core::mining::projection;

#[path = "common/mining.rs"]
mod mining;

fn bench(c: &mut Criterion) {
    let readme = mining::readme();
    c.bench_function("projection, README (1 fleet, 24 months)", |b| {
        b.iter(|| projection(black_box(&readme)).unwrap())
    });
    let caps = mining::at_the_caps();
    c.bench_function(
        "projection, at the caps (50 cohorts, 24 buckets, 120 months)",
        |b| b.iter(|| projection(black_box(&caps)).unwrap()),
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
