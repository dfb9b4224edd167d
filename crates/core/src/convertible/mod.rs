//! Convertible senior notes: their terms, the shares they can become, and
//! what they yield.
//!
//! - [`terms`]: principal and conversion terms (rate per $1,000, price,
//!   premium), validated once into [`ConvertibleTerms`], which the other
//!   convertible modules reuse.
//! - [`dilution`]: shares issued across a range of share prices under
//!   physical, net-share or cash settlement, with a capped call and a
//!   buyback, and the if-converted diluted share count.
//! - [`yield_`]: yield to maturity, current yield and the accreted value
//!   schedule of a note bought at a discount.

pub mod dilution;
pub mod terms;
pub mod yield_;

pub use dilution::Settlement;
pub use terms::{Conversion, ConversionFields, ConversionRate, ConvertibleTerms, Principal};
