//! Numbers on the wire: how a JSON number is read into a `Decimal` and
//! written back, and how responses round.
//!
//! Inputs: only JSON numbers are accepted (a number written as a string,
//! `"NaN"` or `"Infinity"` is refused). JSON numbers are read as IEEE
//! doubles and converted through their shortest decimal form, so any value
//! written with at most 15 significant digits arrives exactly: `133.33`
//! is `133.33`, not `133.3299999…`. Values beyond `Decimal`'s range
//! (|x| ≥ 7.9 × 10²⁸) are refused.
//!
//! Outputs: Decimals are written as the JSON number nearest to them.
//!
//! The wire type that uses both is [`crate::wire::Num`].

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};

use crate::wire::Num;

struct NumberVisitor;

impl Visitor<'_> for NumberVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON number")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        if !v.is_finite() {
            return Err(E::invalid_value(de::Unexpected::Float(v), &self));
        }
        from_shortest(v).ok_or_else(|| {
            E::invalid_value(
                de::Unexpected::Float(v),
                &"a number of magnitude below 7.9e28",
            )
        })
    }
}

/// The Decimal written by the shortest decimal text that reads back as
/// `v` (finite): `133.33` for the double nearest 133.33. (A double exactly
/// halfway between two shortest texts, which takes 16 or 17 digits, gets
/// the even one.) The text is made
/// on the stack by zmij (the formatter serde_json writes numbers with);
/// values beyond Decimal's 28 places round to them, and magnitudes beyond
/// its range are `None`.
fn from_shortest(v: f64) -> Option<Decimal> {
    let mut buffer = zmij::Buffer::new();
    let text = buffer.format_finite(v);
    if text.bytes().any(|b| b == b'e') {
        // 1e-30: Display's positional text, which Decimal rounds to 28
        // places, rather than from_scientific, which refuses it.
        Decimal::from_scientific(text)
            .ok()
            .or_else(|| Decimal::from_str(&v.to_string()).ok())
    } else {
        // zmij writes whole numbers as `805644405468833.0`; Display, and so
        // this function, without the point.
        Decimal::from_str(text.strip_suffix(".0").unwrap_or(text)).ok()
    }
}

/// A number as the wire writes it: the double nearest to the Decimal
/// ([`infraval_core::num::to_f64`]), as a JSON number.
pub(crate) fn write<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(infraval_core::num::to_f64(*value))
}

/// Reads a JSON number into a Decimal, refusing strings.
pub(crate) fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    deserializer.deserialize_any(NumberVisitor)
}

/// Rounds money to cents, half away from zero: the rounding of every money
/// figure in a response.
pub fn cents(value: Decimal) -> Num {
    round(value, 2)
}

/// Rounds to `dp` decimal places, half away from zero.
pub fn round(value: Decimal, dp: u32) -> Num {
    Num::new(round_decimal(value, dp))
}

/// Rounds to `dp` decimal places, half away from zero, as a Decimal.
pub fn round_decimal(value: Decimal, dp: u32) -> Decimal {
    value
        .round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;
    use serde::Deserialize;

    use super::*;

    #[derive(Deserialize)]
    struct Body {
        x: Num,
    }

    fn parse(json: &str) -> Result<Decimal, String> {
        serde_json::from_str::<Body>(json)
            .map(|b| b.x.get())
            .map_err(|e| e.to_string())
    }

    /// The reading this module had before `from_shortest`: Rust's
    /// Display text (shortest round-trip, positional), else scientific.
    fn via_display(v: f64) -> Option<Decimal> {
        Decimal::from_str(&v.to_string())
            .or_else(|_| Decimal::from_scientific(&format!("{v:e}")))
            .ok()
    }

    proptest::proptest! {
        #[test]
        fn a_double_reads_as_the_decimal_of_its_shortest_text(bits in proptest::num::u64::ANY) {
            let v = f64::from_bits(bits);
            proptest::prop_assume!(v.is_finite());
            let got = from_shortest(v);
            let expected = via_display(v);
            proptest::prop_assert_eq!(got.is_some(), expected.is_some(), "{:e}", v);
            if let (Some(got), Some(expected)) = (got, expected) {
                if got != expected {
                    // Only when the double lies exactly halfway between two
                    // shortest texts (16-17 digits): zmij breaks the tie to
                    // even, Display upward. Both read back as `v`.
                    proptest::prop_assert_eq!(got.scale(), expected.scale());
                    let unit = Decimal::new(1, got.scale());
                    proptest::prop_assert_eq!((got - expected).abs(), unit, "{:e}", v);
                    let back: f64 = got.to_string().parse().unwrap();
                    proptest::prop_assert_eq!(back, v);
                } else {
                    // Same scale too, so the value prints the same.
                    proptest::prop_assert_eq!(got.to_string(), expected.to_string());
                }
            }
        }

        #[test]
        fn a_short_decimal_number_reads_exactly(mantissa in -(10i64.pow(15))..10i64.pow(15), scale in 0u32..=15) {
            let exact = Decimal::new(mantissa, scale);
            let v: f64 = exact.to_string().parse().unwrap();
            proptest::prop_assert_eq!(from_shortest(v).map(|d| d.normalize()), Some(exact.normalize()));
        }

    }

    #[test]
    fn a_decimal_goes_out_as_the_double_nearest_to_it() {
        #[derive(serde::Serialize)]
        struct Out {
            x: Num,
        }
        let text = |x: Decimal| serde_json::to_string(&Out { x: x.into() }).unwrap();
        assert_eq!(text(dec!(133.33)), r#"{"x":133.33}"#);
        // rust_decimal's own to_f64 would write 7.420281594238695e-8.
        assert_eq!(
            text(Decimal::new(7_420_281_594_238_694, 23)),
            r#"{"x":7.420281594238694e-8}"#
        );
    }

    #[test]
    fn a_short_decimal_arrives_exactly() {
        assert_eq!(parse(r#"{"x": 133.33}"#), Ok(dec!(133.33)));
        assert_eq!(parse(r#"{"x": 0.275}"#), Ok(dec!(0.275)));
        assert_eq!(parse(r#"{"x": 1150000000}"#), Ok(dec!(1150000000)));
        assert_eq!(parse(r#"{"x": -0}"#), Ok(dec!(0)));
    }

    #[test]
    fn a_number_written_as_a_string_is_refused() {
        let err = parse(r#"{"x": "133.33"}"#).unwrap_err();
        assert!(err.contains("expected a JSON number"), "{err}");
    }

    #[test]
    fn a_number_beyond_decimal_range_is_refused() {
        let err = parse(r#"{"x": 1e30}"#).unwrap_err();
        assert!(err.contains("7.9e28"), "{err}");
    }

    #[test]
    fn a_tiny_number_rounds_to_decimal_precision_instead_of_failing() {
        assert_eq!(parse(r#"{"x": 1e-30}"#), Ok(Decimal::ZERO));
    }

    #[test]
    fn cents_round_half_away_from_zero() {
        assert_eq!(cents(dec!(0.125)).get(), dec!(0.13));
        assert_eq!(cents(dec!(-0.125)).get(), dec!(-0.13));
    }
}
