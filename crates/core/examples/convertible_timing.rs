//! Times the worst convertible requests the caps allow, in the core alone.
//!
//! `taskset -c 0 cargo run --release -p infraval-core --example convertible_timing`
#![allow(missing_docs)]

use std::time::Instant;

use infraval_core::convertible::lattice::{
    CallPeriod, ConvertibleInput, ConvertibleSpec, Model, PutDate,
};
use infraval_core::convertible::pricing::{fair_value_per_100, price, profile};

#[path = "../benches/common/cleanspark.rs"]
mod cleanspark;

use cleanspark::date;

fn base(steps: usize) -> ConvertibleSpec {
    cleanspark::cleanspark_spec(Model::TsiveriotisFernandes, Some(steps))
}

fn soft_call(spec: &mut ConvertibleSpec) {
    spec.call_schedule = vec![CallPeriod {
        from_date: date(2028, 12, 15),
        to_date: date(2032, 12, 15),
        price_per_100: 100.0,
        trigger: Some(1.3),
        test: None,
    }];
    spec.put_schedule = vec![PutDate {
        date: date(2029, 12, 15),
        price_per_100: 100.0,
    }];
}

fn time<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let v = f();
    println!("{name:50} {:8.1} ms", start.elapsed().as_secs_f64() * 1e3);
    v
}

fn main() {
    let plain = ConvertibleInput::new(base(20_000)).expect("valid");
    let v = time("price, plain, 20,000", || price(&plain).expect("prices"));
    println!(
        "  {:.6} half {:.6}",
        v.price_per_100, v.convergence.price_at_half_steps_per_100
    );
    let mut spec = base(20_000);
    soft_call(&mut spec);
    let callable = ConvertibleInput::new(spec.clone()).expect("valid");
    let v = time("price, soft call + put, 20,000", || {
        price(&callable).expect("prices")
    });
    println!(
        "  {:.6} half {:.6} {:?}",
        v.price_per_100, v.convergence.price_at_half_steps_per_100, v.greeks
    );
    let mut hard = base(20_000);
    hard.call_schedule = vec![CallPeriod {
        from_date: date(2026, 12, 15),
        to_date: date(2032, 12, 15),
        price_per_100: 100.0,
        trigger: None,
        test: None,
    }];
    let hard = ConvertibleInput::new(hard).expect("valid");
    let v = time("price, hard call, 20,000", || price(&hard).expect("prices"));
    println!(
        "  {:.6} half {:.6}",
        v.price_per_100, v.convergence.price_at_half_steps_per_100
    );
    let stocks: Vec<f64> = (0..15).map(|i| 1.0 + 3.0 * f64::from(i)).collect();
    time("profile, plain, 15 x 20,000", || {
        profile(&plain, &stocks).expect("profile")
    });
    time("profile, soft call + put, 15 x 20,000", || {
        profile(&callable, &stocks).expect("profile")
    });
    time("profile, hard call, 15 x 20,000", || {
        profile(&hard, &stocks).expect("profile")
    });
    let stocks: Vec<f64> = (0..45).map(|i| 1.0 + f64::from(i)).collect();
    let hard_10k = hard.with_steps(10_000).expect("valid");
    time("profile, hard call, 45 x 10,000", || {
        profile(&hard_10k, &stocks).expect("profile")
    });
    let stocks: Vec<f64> = (0..500).map(|i| 1.0 + 0.2 * f64::from(i)).collect();
    let hard_2k = hard.with_steps(2_000).expect("valid");
    time("profile, hard call, 500 x 2,000", || {
        profile(&hard_2k, &stocks).expect("profile")
    });
    let mut hazard = hard.spec().clone();
    hazard.model = Model::HazardRate;
    hazard.recovery_rate = 0.4;
    let hazard = ConvertibleInput::new(hazard).expect("valid");
    time("price, hazard rate, hard call, 20,000", || {
        price(&hazard).expect("prices")
    });
    // Convergence of the callable cases: the call and the put alone, then both.
    for case in ["call", "put", "both"] {
        for steps in [1000, 2000, 5000, 20_000] {
            let mut s = base(steps);
            soft_call(&mut s);
            match case {
                "call" => s.put_schedule.clear(),
                "put" => s.call_schedule.clear(),
                _ => {}
            }
            let v = fair_value_per_100(&ConvertibleInput::new(s).expect("valid")).expect("prices");
            println!("{case} {steps}: {v:.6}");
        }
    }
}
