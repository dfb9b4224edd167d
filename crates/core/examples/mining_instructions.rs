//! Runs a mining projection 20 times, for an instruction count steadier
//! than wall time on a shared machine:
//!
//! ```sh
//! cargo build --release -p infraval-core --example mining_instructions
//! valgrind --tool=callgrind target/release/examples/mining_instructions readme
//! valgrind --tool=callgrind target/release/examples/mining_instructions caps
//! ```
//! and divide the total by 20.
#![allow(missing_docs)]

use std::hint::black_box;

use infraval_core::mining::projection;

#[path = "../benches/common/mining.rs"]
mod mining;

fn main() {
    let input = match std::env::args().nth(1).as_deref() {
        Some("caps") => mining::at_the_caps(),
        _ => mining::readme(),
    };
    for _ in 0..20 {
        black_box(projection(black_box(&input)).unwrap());
    }
}
