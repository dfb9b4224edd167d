//! The agreement table of issue 15: the exact daily engine against the
//! lattice on a CleanSpark-like note (0%, 52.1832 shares per $1,000,
//! 2025-12-15 to 2032-02-15, call from 2029-02-20 at 100 with a 130%
//! trigger, r 4%), over vol 0.45/0.65/0.85 × spot 10/15.03/22, without and
//! with a 5% spread, with the 20-of-30 test and with a single observation.
//!
//! `taskset -c 0 cargo run --release -p infraval-core --example convertible_agreement`
#![allow(missing_docs)]

/// CPU time of this thread, ms, from /proc (Linux; 10 ms resolution):
/// wall time on a shared machine says little.
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
    (ticks(11) + ticks(12)) * 10.0
}

use infraval_core::convertible::contract::TriggerTest;
use infraval_core::convertible::lattice::{ConvertibleInput, Model};
use infraval_core::convertible::monte_carlo::{self, Settings};
use infraval_core::convertible::pricing::fair_value_per_100;

#[path = "../benches/common/cleanspark.rs"]
mod cleanspark;

fn note(
    vol: f64,
    spot: f64,
    spread: f64,
    test: Option<TriggerTest>,
    model: Model,
) -> ConvertibleInput {
    ConvertibleInput::new(cleanspark::cleanspark_2032_spec(
        model, vol, spot, spread, test,
    ))
    .expect("valid note")
}

fn main() {
    let model = match std::env::args().nth(1).as_deref() {
        Some("hazard_rate") => Model::HazardRate,
        _ => Model::TsiveriotisFernandes,
    };
    let nofm = Some(TriggerTest {
        trigger_days: 20,
        window_days: 30,
    });
    println!("| spread | vol | spot | exact 20 of 30 | SE | CPU ms | lattice (effective trigger) | lattice − exact | exact 1 of 1 | lattice single |");
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for spread in [0.0, 0.05] {
        for vol in [0.45, 0.65, 0.85] {
            for spot in [10.0, 15.03, 22.0] {
                let input = note(vol, spot, spread, nofm, model);
                let start = cpu_ms();
                let exact = monte_carlo::price(&input, Settings::default()).expect("prices");
                let ms = cpu_ms() - start;
                let lattice = fair_value_per_100(&input).expect("prices");
                let single = note(vol, spot, spread, None, model);
                let exact1 = monte_carlo::price(&single, Settings::default()).expect("prices");
                let lattice1 = fair_value_per_100(&single).expect("prices");
                println!(
                    "| {spread} | {vol} | {spot} | {:.3} | {:.3} | {ms:.0} | {lattice:.3} | {:+.3} | {:.3} | {lattice1:.3} |",
                    exact.price_per_100,
                    exact.standard_error_per_100,
                    lattice - exact.price_per_100,
                    exact1.price_per_100,
                );
            }
        }
    }
}
