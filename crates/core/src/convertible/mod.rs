//! Convertible senior notes: their terms, the shares they can become, what
//! they yield, and what they are worth.
//!
//! - [`terms`]: principal and conversion terms (rate per $1,000, price,
//!   premium), validated once into [`ConvertibleTerms`], which the other
//!   convertible modules reuse.
//! - [`dilution`]: shares issued across a range of share prices under
//!   physical, net-share or cash settlement, with a capped call and a
//!   buyback, and the if-converted diluted share count.
//! - [`yield_`]: yield to maturity, current yield and the accreted value
//!   schedule of a note bought at a discount.
//! - [`capped_call`]: a capped call's fair value (a Black-Scholes call
//!   spread, discrete dividends escrowed) and its cost against the notes.
//! - [`hedge`]: the carry of a delta-hedged note and its gamma breakevens.
//! - [`make_whole`]: the indenture's table of additional shares for a
//!   conversion after a make-whole fundamental change or a call notice.
//! - [`lattice`], [`pricing`], [`implied`], [`schedule`]: fair value on a
//!   credit-risky binomial lattice (Tsiveriotis-Fernandes or hazard rate),
//!   greeks, convergence diagnostic, price profile, implied volatility and
//!   implied credit spread.

pub mod capped_call;
pub mod contract;
pub mod desk;
pub mod dilution;
pub mod engine;
pub mod hedge;
pub mod implied;
pub mod lattice;
pub mod make_whole;
pub mod monte_carlo;
pub mod pricing;
pub mod schedule;
pub mod terms;
pub mod trading_days;
pub mod yield_;

pub use dilution::Settlement;
pub use make_whole::{MakeWholeFields, MakeWholeTable};
pub use terms::{Conversion, ConversionFields, ConversionRate, ConvertibleTerms, Principal};
