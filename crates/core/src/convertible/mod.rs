//! Convertible notes: terms, dilution and fair value on a credit-risky lattice.

pub mod implied;
pub mod lattice;
pub mod pricing;
pub mod schedule;
