//! The wire's scalar types, and each request field's rule, declared once.
//!
//! # Scalars
//! - [`Num`]: a JSON number, read exactly into a `Decimal` (see [`num`]),
//!   refusing strings, `NaN` and infinities.
//! - [`Int`]: a whole JSON number (`12` or `12.0`); `1.5` is refused.
//! - [`Date`]: an ISO 8601 calendar date, `YYYY-MM-DD`.
//!
//! None checks a range when it is read, so that every field of a request
//! is checked and every fault reported together.
//!
//! # Rules
//! A request type derives [`Wire`] and marks each field that has a rule with
//! `#[wire(RULE)]`: a [`Bounds`] (a range, from [`bounds`]), [`OneOf`] (a
//! fixed set of whole numbers), [`Items`] (a capped list of numbers) or
//! [`Nested`] (a nested request object, or a capped list of them). That one
//! expression is read three times:
//! - by [`check`], which runs before a request is converted into core
//!   types and collects every field out of its range, naming each;
//! - by [`document`], which writes `minimum`, `maximum`,
//!   `exclusiveMinimum`, `exclusiveMaximum`, `maxItems`, `enum` and the
//!   range in words into the OpenAPI schema;
//! - by [`check_shape`], which refuses a JSON array, string, number or
//!   `null` where an object is expected (serde would read a struct from an
//!   array by position).
//!
//! [`num`]: crate::num

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
pub use infraval_api_derive::Wire;
use infraval_core::error::ValueError;
pub use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
pub use serde_json::Value;
use utoipa::openapi::schema::{ArrayItems, Object, ObjectBuilder, SchemaFormat, SchemaType, Type};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use crate::json::BodyError;
use crate::num;

/// The faults found in one request.
pub type Errors = Vec<CoreError>;

/// The named schemas of the OpenAPI document.
pub type Schemas = BTreeMap<String, RefOr<Schema>>;

/// A number on the wire: a JSON number, read exactly into a `Decimal`.
///
/// Any value written with at most 15 significant digits arrives exactly
/// (`133.33` is `133.33`); strings, `NaN`, infinities and magnitudes of
/// 7.9 × 10²⁸ or more are refused. Written out as a JSON number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Num(Decimal);

impl Num {
    /// Zero.
    pub const ZERO: Num = Num(Decimal::ZERO);

    /// The number `value`.
    pub const fn new(value: Decimal) -> Self {
        Num(value)
    }

    /// The value.
    pub const fn get(self) -> Decimal {
        self.0
    }

    /// The value as the nearest `f64`, for the lattice.
    pub fn to_f64(self) -> f64 {
        infraval_core::num::to_f64(self.0)
    }
}

impl From<Decimal> for Num {
    fn from(value: Decimal) -> Self {
        Num(value)
    }
}

/// Compares the value, whatever its scale: `Num` of `2.50` equals `2.5`.
impl PartialEq<Decimal> for Num {
    fn eq(&self, other: &Decimal) -> bool {
        self.0 == *other
    }
}

impl From<Num> for Decimal {
    fn from(value: Num) -> Self {
        value.0
    }
}

macro_rules! num_from_integer {
    ($($t:ty),*) => {$(
        impl From<$t> for Num {
            fn from(value: $t) -> Self {
                Num(Decimal::from(value))
            }
        }
    )*};
}

num_from_integer!(i32, i64, u32, u64);

impl FromStr for Num {
    type Err = rust_decimal::Error;

    /// Reads decimal text: `"133.33".parse::<Num>()`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Decimal::from_str(text).map(Num)
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        num::write(&self.0, serializer)
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        num::read(deserializer).map(Num)
    }
}

impl PartialSchema for Num {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new().schema_type(Type::Number).into()
    }
}

impl ToSchema for Num {}

/// A whole number on the wire: `12`, or `12.0`; `1.5` and strings are
/// refused. Written out as a JSON integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Int(i64);

impl Int {
    /// The number `value`.
    pub const fn new(value: i64) -> Self {
        Int(value)
    }

    /// The value.
    pub const fn get(self) -> i64 {
        self.0
    }

    /// The value as a `u32`, saturating at the ends: every `Int` field's
    /// bounds lie within `u32`, and [`check`] runs before conversion.
    pub fn to_u32(self) -> u32 {
        u32::try_from(self.0.max(0)).unwrap_or(u32::MAX)
    }

    /// The value as a `u64`, 0 below 0.
    pub fn to_u64(self) -> u64 {
        u64::try_from(self.0).unwrap_or(0)
    }
}

impl From<i32> for Int {
    fn from(value: i32) -> Self {
        Int(i64::from(value))
    }
}

impl From<u32> for Int {
    fn from(value: u32) -> Self {
        Int(i64::from(value))
    }
}

impl From<i64> for Int {
    fn from(value: i64) -> Self {
        Int(value)
    }
}

impl From<Int> for Decimal {
    fn from(value: Int) -> Self {
        Decimal::from(value.0)
    }
}

impl fmt::Display for Int {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for Int {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

struct WholeVisitor;

impl Visitor<'_> for WholeVisitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a whole number")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| {
            E::invalid_value(de::Unexpected::Unsigned(v), &"a whole number below 9.2e18")
        })
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        // 2^63: every whole double below it converts exactly.
        const LIMIT: f64 = 9_223_372_036_854_775_808.0;
        if v.is_finite() && v.fract() == 0.0 && v.abs() < LIMIT {
            // Whole and within i64: the conversion is exact.
            #[allow(clippy::cast_possible_truncation)]
            Ok(v as i64)
        } else if v.is_finite() && v.fract() == 0.0 {
            Err(E::invalid_value(
                de::Unexpected::Float(v),
                &"a whole number below 9.2e18",
            ))
        } else {
            Err(E::invalid_type(de::Unexpected::Float(v), &self))
        }
    }
}

impl<'de> Deserialize<'de> for Int {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(WholeVisitor).map(Int)
    }
}

impl PartialSchema for Int {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new().schema_type(Type::Integer).into()
    }
}

impl ToSchema for Int {}

/// A calendar date on the wire, ISO 8601 `YYYY-MM-DD`.
///
/// The OpenAPI document shows it as `{"type": "string", "format": "date"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Date(NaiveDate);

/// The one date format the wire reads and writes.
const DATE_FORMAT: &str = "%Y-%m-%d";

impl Date {
    /// The date `value`.
    pub const fn new(value: NaiveDate) -> Self {
        Date(value)
    }

    /// The date.
    pub const fn get(self) -> NaiveDate {
        self.0
    }

    /// Reads `YYYY-MM-DD` and nothing else.
    pub fn parse(text: &str) -> Option<Self> {
        let digits = |range: std::ops::Range<usize>| {
            text.get(range)
                .is_some_and(|part| part.bytes().all(|b| b.is_ascii_digit()))
        };
        let shaped = text.len() == 10
            && digits(0..4)
            && text.as_bytes()[4] == b'-'
            && digits(5..7)
            && text.as_bytes()[7] == b'-'
            && digits(8..10);
        if !shaped {
            return None;
        }
        NaiveDate::parse_from_str(text, DATE_FORMAT).ok().map(Date)
    }
}

impl From<NaiveDate> for Date {
    fn from(value: NaiveDate) -> Self {
        Date(value)
    }
}

impl From<Date> for NaiveDate {
    fn from(value: Date) -> Self {
        value.0
    }
}

impl FromStr for Date {
    type Err = String;

    /// Reads `YYYY-MM-DD`: `"2032-12-15".parse::<Date>()`.
    fn from_str(text: &str) -> Result<Self, String> {
        Date::parse(text).ok_or_else(|| format!("`{text}` is not a date written YYYY-MM-DD"))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format(DATE_FORMAT))
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

struct DateVisitor;

impl Visitor<'_> for DateVisitor {
    type Value = Date;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a date written YYYY-MM-DD")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
        Date::parse(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(DateVisitor)
    }
}

/// Where a value sits in a request: `phases[2].it_capacity_mw`.
#[derive(Debug, Clone, Copy)]
pub enum Path<'a> {
    /// The request body itself.
    Root,
    /// A field of an object.
    Field(&'a Path<'a>, &'static str),
    /// An item of a list.
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    /// The field `name` of the object here.
    pub fn field(&'a self, name: &'static str) -> Path<'a> {
        Path::Field(self, name)
    }

    /// The item `index` of the list here.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }

    /// Whether this is the body itself.
    pub fn is_root(&self) -> bool {
        matches!(self, Path::Root)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Field(Path::Root, name) => f.write_str(name),
            Path::Field(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// One end of a range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct End {
    /// The bound.
    pub value: Decimal,
    /// Whether the bound itself is allowed.
    pub inclusive: bool,
}

/// The range of a numeric field: its ends, each inclusive or exclusive or
/// absent, and whether the value is a decimal fraction (0.09 for 9%).
///
/// ```
/// use infraval_api::wire::Bounds;
/// use rust_decimal_macros::dec;
/// const OCCUPANCY: Bounds = Bounds::closed(dec!(0), dec!(1)).fraction();
/// assert!(OCCUPANCY.contains(dec!(1)));
/// assert!(!OCCUPANCY.contains(dec!(1.2)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    /// The lower end.
    pub min: Option<End>,
    /// The upper end.
    pub max: Option<End>,
    /// Whether the value is a decimal fraction: a value above the range
    /// that would lie within it divided by 100 is reported as a percentage
    /// slip.
    pub is_fraction: bool,
}

impl Bounds {
    /// Any finite number: for values whose range depends on another field,
    /// checked against it.
    pub const ANY: Bounds = Bounds {
        min: None,
        max: None,
        is_fraction: false,
    };

    /// `[min, max]`.
    pub const fn closed(min: Decimal, max: Decimal) -> Self {
        Bounds::at_least(min).at_most(max)
    }

    /// `[min, ∞)`.
    pub const fn at_least(min: Decimal) -> Self {
        Bounds {
            min: Some(End {
                value: min,
                inclusive: true,
            }),
            max: None,
            is_fraction: false,
        }
    }

    /// `(min, ∞)`.
    pub const fn above(min: Decimal) -> Self {
        Bounds {
            min: Some(End {
                value: min,
                inclusive: false,
            }),
            max: None,
            is_fraction: false,
        }
    }

    /// The same lower end, up to `max` inclusive.
    pub const fn at_most(mut self, max: Decimal) -> Self {
        self.max = Some(End {
            value: max,
            inclusive: true,
        });
        self
    }

    /// The same lower end, up to `max` exclusive.
    pub const fn below(mut self, max: Decimal) -> Self {
        self.max = Some(End {
            value: max,
            inclusive: false,
        });
        self
    }

    /// The same range, of a decimal fraction.
    pub const fn fraction(mut self) -> Self {
        self.is_fraction = true;
        self
    }

    /// Whether `value` lies within the range.
    pub fn contains(&self, value: Decimal) -> bool {
        let above_min = self
            .min
            .is_none_or(|end| value > end.value || (end.inclusive && value == end.value));
        let below_max = self
            .max
            .is_none_or(|end| value < end.value || (end.inclusive && value == end.value));
        above_min && below_max
    }

    /// Checks `value`, saying which end it breaks; a fraction written as a
    /// percentage (9 for 0.09) says so.
    pub fn check(&self, value: Decimal) -> Result<(), ValueError> {
        let f = infraval_core::num::to_f64;
        if let Some(end) = self.min {
            if value < end.value || (!end.inclusive && value == end.value) {
                return Err(self.percent_slip(value).unwrap_or(if end.inclusive {
                    ValueError::BelowMinimum {
                        bound: f(end.value),
                        value: f(value),
                    }
                } else {
                    ValueError::NotAbove {
                        bound: f(end.value),
                        value: f(value),
                    }
                }));
            }
        }
        if let Some(end) = self.max {
            if value > end.value || (!end.inclusive && value == end.value) {
                return Err(self.percent_slip(value).unwrap_or(if end.inclusive {
                    ValueError::AboveMaximum {
                        bound: f(end.value),
                        value: f(value),
                    }
                } else {
                    ValueError::NotBelow {
                        bound: f(end.value),
                        value: f(value),
                    }
                }));
            }
        }
        Ok(())
    }

    fn percent_slip(&self, value: Decimal) -> Option<ValueError> {
        let suggestion = value.checked_div(Decimal::ONE_HUNDRED)?;
        let percent = value.checked_mul(Decimal::ONE_HUNDRED)?;
        let f = infraval_core::num::to_f64;
        (self.is_fraction && !suggestion.is_zero() && self.contains(suggestion)).then(|| {
            ValueError::PercentForFraction {
                value: f(value),
                percent: f(percent.normalize()),
                suggestion: f(suggestion.normalize()),
            }
        })
    }

    /// The range in words, for the field's description: `Range: 0 to 1.`,
    /// `Range: above 0, at most 100,000.`
    pub fn describe(&self) -> String {
        let end = |end: &End, at: &str, beyond: &str| {
            format!(
                "{} {}",
                if end.inclusive { at } else { beyond },
                words(end.value)
            )
        };
        let range = match (&self.min, &self.max) {
            (Some(min), Some(max)) if min.inclusive && max.inclusive => {
                format!("{} to {}", words(min.value), words(max.value))
            }
            (Some(min), Some(max)) => format!(
                "{}, {}",
                end(min, "at least", "above"),
                end(max, "at most", "below")
            ),
            (Some(min), None) => end(min, "at least", "above"),
            (None, Some(max)) => end(max, "at most", "below"),
            (None, None) => String::new(),
        };
        let fraction = if self.is_fraction {
            "A decimal fraction: 0.09 is 9%. "
        } else {
            ""
        };
        if range.is_empty() {
            fraction.trim_end().to_owned()
        } else {
            format!("{fraction}Range: {range}.")
        }
    }

    /// Writes the range into a number's schema.
    pub fn document(&self, schema: &mut Object) {
        if let Some(end) = self.min {
            let number = Some(schema_number(end.value));
            if end.inclusive {
                schema.minimum = number;
            } else {
                schema.exclusive_minimum = number;
            }
        }
        if let Some(end) = self.max {
            let number = Some(schema_number(end.value));
            if end.inclusive {
                schema.maximum = number;
            } else {
                schema.exclusive_maximum = number;
            }
        }
        if self.is_fraction {
            schema.format = Some(SchemaFormat::Custom("fraction".to_owned()));
        }
        append_sentence(&mut schema.description, &self.describe());
    }
}

/// A Decimal written with thousands separators: `100,000`, `0.001`, `−0.5`.
fn words(value: Decimal) -> String {
    let text = value.normalize().to_string();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("−", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 && whole.len() > 4 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{fraction}")
    }
}

/// A Decimal as a schema number: an integer when it is whole.
fn schema_number(value: Decimal) -> utoipa::Number {
    let value = value.normalize();
    if value.scale() == 0 {
        if let Ok(whole) = isize::try_from(value.mantissa()) {
            return utoipa::Number::Int(whole);
        }
    }
    utoipa::Number::Float(infraval_core::num::to_f64(value))
}

fn append_sentence(description: &mut Option<String>, sentence: &str) {
    if sentence.is_empty() {
        return;
    }
    // A schema shared by several operations is documented once per use:
    // say each sentence once.
    *description = Some(match description.take() {
        Some(text) if text.contains(sentence) => text,
        Some(text) if !text.is_empty() => format!("{text} {sentence}"),
        _ => sentence.to_owned(),
    });
}

/// A fixed set of whole numbers, such as the coupon frequencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OneOf(pub &'static [i64]);

/// A list of numbers: at most `max` items (at least `min`), each within
/// `each`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Items {
    /// The range of every item.
    pub each: Bounds,
    /// The fewest items.
    pub min: usize,
    /// The most items.
    pub max: usize,
}

/// A list of anything, `min` to `max` items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Length {
    /// The fewest items.
    pub min: usize,
    /// The most items.
    pub max: usize,
}

impl Length {
    /// `min` to `max` items.
    pub const fn new(min: usize, max: usize) -> Self {
        Length { min, max }
    }
}

impl<T> Rule<Vec<T>> for Length {
    fn check(&self, value: &Vec<T>, at: &Path<'_>, errors: &mut Errors) {
        let len = value.len();
        if len > self.max {
            errors.push(CoreError::invalid(
                at.to_string(),
                ValueError::TooLong { len, cap: self.max },
            ));
        } else if len < self.min {
            errors.push(CoreError::invalid(at.to_string(), ValueError::Empty));
        }
    }

    fn document(&self, property: &mut RefOr<Schema>) {
        if let Some(array) = items(property) {
            array.max_items = Some(self.max);
            if self.min > 0 {
                array.min_items = Some(self.min);
            }
        }
    }
}

/// A nested request object (or a list of them, at most `max_items`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nested {
    /// The most items, for a list.
    pub max_items: Option<usize>,
    /// The fewest items, for a list.
    pub min_items: usize,
}

/// A single nested object.
pub const NESTED: Nested = Nested {
    max_items: None,
    min_items: 0,
};

impl Nested {
    /// A list of at most `max` objects.
    pub const fn list(max: usize) -> Self {
        Nested {
            max_items: Some(max),
            min_items: 0,
        }
    }

    /// The same list, with at least one object.
    pub const fn non_empty(mut self) -> Self {
        self.min_items = 1;
        self
    }
}

/// A request type whose fields' rules are declared with `#[wire(RULE)]`;
/// derive it with `#[derive(Wire)]`.
pub trait Wire: ToSchema {
    /// Checks every field against its rule, adding one error per fault.
    fn check(&self, at: &Path<'_>, errors: &mut Errors);

    /// Writes the rules into this type's schema (and its nested types').
    fn document(doc: &mut Documenter);

    /// Checks the fields of a JSON object that stands for this type:
    /// nested objects are objects.
    fn check_fields(value: &Value, at: &Path<'_>) -> Result<(), BodyError>;

    /// Gives every absent field that has a default (`#[wire(default =
    /// …)]`) its value, in this object and the objects it nests: the
    /// request as the core reads it, and as its canonical form and its
    /// answer's `assumptions` state it.
    fn fill_defaults(&mut self) {}

    /// Checks that `value` is a JSON object and that its nested objects
    /// are objects.
    fn check_shape(value: &Value, at: &Path<'_>) -> Result<(), BodyError> {
        if value.is_object() {
            Self::check_fields(value, at)
        } else {
            Err(not_an_object(value, at))
        }
    }
}

/// The error for a value that stands where an object is expected.
pub fn not_an_object(value: &Value, at: &Path<'_>) -> BodyError {
    let got = match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    if at.is_root() {
        BodyError::NotAnObject { got }
    } else {
        BodyError::InvalidType {
            field: at.to_string(),
            detail: format!("expected a JSON object, got {got}"),
        }
    }
}

/// Checks a whole request against its rules.
pub fn check<T: Wire>(request: &T) -> Result<(), FieldErrors> {
    let mut errors = Vec::new();
    request.check(&Path::Root, &mut errors);
    FieldErrors::from_errors(errors).map_or(Ok(()), Err)
}

/// Checks that a request body (already parsed) has objects wherever the
/// request type has them.
pub fn check_shape<T: Wire>(body: &Value) -> Result<(), BodyError> {
    T::check_shape(body, &Path::Root)
}

/// Writes the rules of `T` (and the types it nests) into `schemas`.
pub fn document<T: Wire>(schemas: &mut Schemas) {
    let mut doc = Documenter {
        schemas,
        done: HashSet::new(),
    };
    T::document(&mut doc);
}

/// Every fault of one request; never empty.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldErrors(Vec<CoreError>);

impl FieldErrors {
    /// The faults, `None` when there are none.
    pub fn from_errors(errors: Vec<CoreError>) -> Option<Self> {
        (!errors.is_empty()).then_some(FieldErrors(errors))
    }

    /// The first fault, which the problem's top-level fields describe.
    pub fn first(&self) -> &CoreError {
        &self.0[0]
    }

    /// Every fault, in the order of the request's fields.
    pub fn all(&self) -> &[CoreError] {
        &self.0
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.first(), f)
    }
}

impl std::error::Error for FieldErrors {}

/// Writes rules into the document's schemas, each named schema once.
pub struct Documenter<'a> {
    schemas: &'a mut Schemas,
    done: HashSet<String>,
}

impl Documenter<'_> {
    /// Whether the schema `name` is still to be documented (and marks it
    /// done).
    pub fn start(&mut self, name: &str) -> bool {
        self.done.insert(name.to_owned())
    }

    /// Edits the property `property` of the object schema `schema`.
    ///
    /// # Panics
    /// When the schema or the property does not exist: a `#[wire]`
    /// attribute on a field the schema does not show (a serde rename, or
    /// `#[schema(ignore)]`), which the OpenAPI tests catch.
    pub fn property(
        &mut self,
        schema: &str,
        property: &str,
        edit: impl FnOnce(&mut RefOr<Schema>),
    ) {
        let found = match self.schemas.get_mut(schema) {
            Some(RefOr::T(Schema::Object(object))) => object.properties.get_mut(property),
            _ => None,
        };
        match found {
            Some(found) => edit(found),
            None => panic!("the schema `{schema}` has no property `{property}` to document"),
        }
    }
}

impl Documenter<'_> {
    /// Edits the `index`th alternative of the one-of schema `schema` (an
    /// untagged enum's variant).
    ///
    /// # Panics
    /// When the schema is not a one-of with that many alternatives.
    pub fn one_of_item(
        &mut self,
        schema: &str,
        index: usize,
        edit: impl FnOnce(&mut RefOr<Schema>),
    ) {
        match self.schemas.get_mut(schema) {
            Some(RefOr::T(Schema::OneOf(one_of))) if index < one_of.items.len() => {
                edit(&mut one_of.items[index]);
            }
            _ => panic!("the schema `{schema}` has no alternative {index} to document"),
        }
    }
}

/// A rule of a field of type `F`.
pub trait Rule<F: ?Sized> {
    /// Checks the field, adding one error per fault.
    fn check(&self, value: &F, at: &Path<'_>, errors: &mut Errors);

    /// Writes the rule into the field's schema.
    fn document(&self, property: &mut RefOr<Schema>);

    /// Documents the types the field nests.
    fn nested(&self, _doc: &mut Documenter) {}

    /// Checks the field's JSON shape: objects where objects belong.
    fn check_shape(&self, _value: &Value, _at: &Path<'_>) -> Result<(), BodyError> {
        Ok(())
    }

    /// Applies the defaults of the objects the field nests.
    fn fill_defaults(&self, _value: &mut F) {}
}

fn check_value(bounds: &Bounds, value: Decimal, at: &Path<'_>, errors: &mut Errors) {
    if let Err(error) = bounds.check(value) {
        errors.push(CoreError::invalid(at.to_string(), error));
    }
}

/// Writes `value` (an `Option` field given its default) as the property's
/// `default`, where the property's schema can carry one: a scalar, a
/// one-of (an optional enum) or an all-of.
pub fn document_default(property: &mut RefOr<Schema>, value: &impl Serialize) {
    let Ok(value) = serde_json::to_value(value) else {
        return;
    };
    match property {
        RefOr::T(Schema::Object(object)) => object.default = Some(value),
        RefOr::T(Schema::OneOf(one_of)) => one_of.default = Some(value),
        RefOr::T(Schema::AllOf(all_of)) => all_of.default = Some(value),
        _ => {}
    }
}

/// The object schema of a scalar property, nullable or not.
fn scalar(property: &mut RefOr<Schema>) -> Option<&mut Object> {
    match property {
        RefOr::T(Schema::Object(object)) => Some(object),
        _ => None,
    }
}

/// The item schema of a list property.
fn items(property: &mut RefOr<Schema>) -> Option<&mut utoipa::openapi::schema::Array> {
    match property {
        RefOr::T(Schema::Array(array)) => Some(array),
        _ => None,
    }
}

impl Rule<Num> for Bounds {
    fn check(&self, value: &Num, at: &Path<'_>, errors: &mut Errors) {
        check_value(self, value.get(), at, errors);
    }

    fn document(&self, property: &mut RefOr<Schema>) {
        if let Some(object) = scalar(property) {
            Bounds::document(self, object);
        }
    }
}

impl Rule<Option<Num>> for Bounds {
    fn check(&self, value: &Option<Num>, at: &Path<'_>, errors: &mut Errors) {
        if let Some(value) = value {
            check_value(self, value.get(), at, errors);
        }
    }

    fn document(&self, property: &mut RefOr<Schema>) {
        <Bounds as Rule<Num>>::document(self, property);
    }
}

impl Rule<Int> for Bounds {
    fn check(&self, value: &Int, at: &Path<'_>, errors: &mut Errors) {
        check_value(self, Decimal::from(value.get()), at, errors);
    }

    fn document(&self, property: &mut RefOr<Schema>) {
        <Bounds as Rule<Num>>::document(self, property);
    }
}

impl Rule<Option<Int>> for Bounds {
    fn check(&self, value: &Option<Int>, at: &Path<'_>, errors: &mut Errors) {
        if let Some(value) = value {
            check_value(self, Decimal::from(value.get()), at, errors);
        }
    }

    fn document(&self, property: &mut RefOr<Schema>) {
        <Bounds as Rule<Num>>::document(self, property);
    }
}

impl Rule<Int> for OneOf {
    fn check(&self, value: &Int, at: &Path<'_>, errors: &mut Errors) {
        if !self.0.contains(&value.get()) {
            errors.push(CoreError::invalid(
                at.to_string(),
                ValueError::NotOneOf {
                    allowed: self.0,
                    value: value.get(),
                },
            ));
        }
    }

    fn document(&self, property: &mut RefOr<Schema>) {
        if let Some(object) = scalar(property) {
            let mut values: Vec<Value> = self.0.iter().map(|v| Value::from(*v)).collect();
            if matches!(&object.schema_type, SchemaType::Array(types) if types.contains(&Type::Null))
            {
                values.push(Value::Null);
            }
            object.enum_values = Some(values);
        }
    }
}

impl Rule<Option<Int>> for OneOf {
    fn check(&self, value: &Option<Int>, at: &Path<'_>, errors: &mut Errors) {
        if let Some(value) = value {
            <OneOf as Rule<Int>>::check(self, value, at, errors);
        }
    }

    fn document(&self, property: &mut RefOr<Schema>) {
        <OneOf as Rule<Int>>::document(self, property);
    }
}

impl Items {
    /// A list of at most `max` numbers, each within `each`.
    pub const fn new(each: Bounds, max: usize) -> Self {
        Items { each, min: 0, max }
    }

    /// The same list, with at least one number.
    pub const fn non_empty(mut self) -> Self {
        self.min = 1;
        self
    }

    fn check_len(&self, len: usize, at: &Path<'_>, errors: &mut Errors) -> bool {
        if len > self.max {
            errors.push(CoreError::invalid(
                at.to_string(),
                ValueError::TooLong { len, cap: self.max },
            ));
            return false;
        }
        if len < self.min {
            errors.push(CoreError::invalid(at.to_string(), ValueError::Empty));
            return false;
        }
        true
    }
}

impl Rule<Vec<Num>> for Items {
    fn check(&self, value: &Vec<Num>, at: &Path<'_>, errors: &mut Errors) {
        if self.check_len(value.len(), at, errors) {
            for (i, item) in value.iter().enumerate() {
                check_value(&self.each, item.get(), &at.index(i), errors);
            }
        }
    }

    fn document(&self, property: &mut RefOr<Schema>) {
        if let Some(array) = items(property) {
            array.max_items = Some(self.max);
            if self.min > 0 {
                array.min_items = Some(self.min);
            }
            if let ArrayItems::RefOrSchema(item) = &mut array.items {
                if let Some(object) = scalar(item) {
                    self.each.document(object);
                }
            }
        }
    }
}

/// A table of numbers: `rows` rows, each a list of numbers as `row` says
/// (e.g. a make-whole table's entries).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid {
    /// How many rows.
    pub rows: Length,
    /// Each row.
    pub row: Items,
}

impl Rule<Vec<Vec<Num>>> for Grid {
    fn check(&self, value: &Vec<Vec<Num>>, at: &Path<'_>, errors: &mut Errors) {
        let before = errors.len();
        <Length as Rule<Vec<Vec<Num>>>>::check(&self.rows, value, at, errors);
        if errors.len() == before {
            for (i, row) in value.iter().enumerate() {
                <Items as Rule<Vec<Num>>>::check(&self.row, row, &at.index(i), errors);
            }
        }
    }

    fn document(&self, property: &mut RefOr<Schema>) {
        <Length as Rule<Vec<Vec<Num>>>>::document(&self.rows, property);
        if let Some(array) = items(property) {
            if let ArrayItems::RefOrSchema(row) = &mut array.items {
                <Items as Rule<Vec<Num>>>::document(&self.row, row);
            }
        }
    }
}

impl Rule<Option<Vec<Num>>> for Items {
    fn check(&self, value: &Option<Vec<Num>>, at: &Path<'_>, errors: &mut Errors) {
        if let Some(value) = value {
            <Items as Rule<Vec<Num>>>::check(self, value, at, errors);
        }
    }

    fn document(&self, property: &mut RefOr<Schema>) {
        <Items as Rule<Vec<Num>>>::document(self, property);
    }
}

impl Nested {
    fn check_len(&self, len: usize, at: &Path<'_>, errors: &mut Errors) -> bool {
        if let Some(cap) = self.max_items {
            if len > cap {
                errors.push(CoreError::invalid(
                    at.to_string(),
                    ValueError::TooLong { len, cap },
                ));
                return false;
            }
        }
        if len < self.min_items {
            errors.push(CoreError::invalid(at.to_string(), ValueError::Empty));
            return false;
        }
        true
    }

    fn document_list(&self, property: &mut RefOr<Schema>) {
        if let Some(array) = items(property) {
            array.max_items = self.max_items;
            if self.min_items > 0 {
                array.min_items = Some(self.min_items);
            }
        }
    }
}

fn check_list_shape<T: Wire>(value: &Value, at: &Path<'_>) -> Result<(), BodyError> {
    match value {
        Value::Array(list) => list
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| T::check_shape(item, &at.index(i))),
        // serde refuses anything else with its own words.
        _ => Ok(()),
    }
}

impl<T: Wire> Rule<T> for Nested {
    fn check(&self, value: &T, at: &Path<'_>, errors: &mut Errors) {
        value.check(at, errors);
    }

    fn fill_defaults(&self, value: &mut T) {
        value.fill_defaults();
    }

    fn document(&self, _property: &mut RefOr<Schema>) {}

    fn nested(&self, doc: &mut Documenter) {
        T::document(doc);
    }

    fn check_shape(&self, value: &Value, at: &Path<'_>) -> Result<(), BodyError> {
        T::check_shape(value, at)
    }
}

impl<T: Wire> Rule<Option<T>> for Nested {
    fn check(&self, value: &Option<T>, at: &Path<'_>, errors: &mut Errors) {
        if let Some(value) = value {
            value.check(at, errors);
        }
    }

    fn fill_defaults(&self, value: &mut Option<T>) {
        if let Some(value) = value {
            value.fill_defaults();
        }
    }

    fn document(&self, _property: &mut RefOr<Schema>) {}

    fn nested(&self, doc: &mut Documenter) {
        T::document(doc);
    }

    fn check_shape(&self, value: &Value, at: &Path<'_>) -> Result<(), BodyError> {
        if value.is_null() {
            Ok(())
        } else {
            T::check_shape(value, at)
        }
    }
}

impl<T: Wire> Rule<Vec<T>> for Nested {
    fn check(&self, value: &Vec<T>, at: &Path<'_>, errors: &mut Errors) {
        if self.check_len(value.len(), at, errors) {
            for (i, item) in value.iter().enumerate() {
                item.check(&at.index(i), errors);
            }
        }
    }

    fn fill_defaults(&self, value: &mut Vec<T>) {
        value.iter_mut().for_each(Wire::fill_defaults);
    }

    fn document(&self, property: &mut RefOr<Schema>) {
        self.document_list(property);
    }

    fn nested(&self, doc: &mut Documenter) {
        T::document(doc);
    }

    fn check_shape(&self, value: &Value, at: &Path<'_>) -> Result<(), BodyError> {
        check_list_shape::<T>(value, at)
    }
}

impl<T: Wire> Rule<Option<Vec<T>>> for Nested {
    fn check(&self, value: &Option<Vec<T>>, at: &Path<'_>, errors: &mut Errors) {
        if let Some(value) = value {
            <Nested as Rule<Vec<T>>>::check(self, value, at, errors);
        }
    }

    fn fill_defaults(&self, value: &mut Option<Vec<T>>) {
        value.iter_mut().flatten().for_each(Wire::fill_defaults);
    }

    fn document(&self, property: &mut RefOr<Schema>) {
        self.document_list(property);
    }

    fn nested(&self, doc: &mut Documenter) {
        T::document(doc);
    }

    fn check_shape(&self, value: &Value, at: &Path<'_>) -> Result<(), BodyError> {
        check_list_shape::<T>(value, at)
    }
}

/// Writes the wire scalars ([`Num`], [`Int`]) inline wherever a schema
/// refers to them, keeping each property's description, and drops their
/// named schemas: a field is documented as `{"type": "number", …}`, or
/// `{"type": ["number", "null"], …}` when it may be absent, not as a
/// reference.
pub fn inline_scalars(schemas: &mut Schemas) {
    let scalars: Vec<(String, Schema)> = [Num::name(), Int::name()]
        .into_iter()
        .filter_map(|name| match schemas.remove(name.as_ref()) {
            Some(RefOr::T(schema)) => Some((format!("#/components/schemas/{name}"), schema)),
            _ => None,
        })
        .collect();
    for schema in schemas.values_mut() {
        inline(schema, &scalars);
    }
}

fn inline(schema: &mut RefOr<Schema>, scalars: &[(String, Schema)]) {
    let replacement = match schema {
        RefOr::Ref(reference) => scalars
            .iter()
            .find(|(location, _)| *location == reference.ref_location)
            .map(|(_, scalar)| with_description(scalar.clone(), &reference.description, false)),
        RefOr::T(Schema::OneOf(one_of)) => match one_of.items.as_slice() {
            // `Option<Num>`: null, or the scalar.
            [RefOr::T(Schema::Object(null)), RefOr::Ref(reference)]
                if null.schema_type == SchemaType::Type(Type::Null) =>
            {
                scalars
                    .iter()
                    .find(|(location, _)| *location == reference.ref_location)
                    .map(|(_, scalar)| {
                        with_description(scalar.clone(), &reference.description, true)
                    })
            }
            _ => None,
        },
        RefOr::T(_) => None,
    };
    if let Some(replacement) = replacement {
        *schema = RefOr::T(replacement);
        return;
    }
    match schema {
        RefOr::T(Schema::Object(object)) => {
            for property in object.properties.values_mut() {
                inline(property, scalars);
            }
        }
        RefOr::T(Schema::Array(array)) => {
            if let ArrayItems::RefOrSchema(item) = &mut array.items {
                inline(item, scalars);
            }
        }
        RefOr::T(Schema::OneOf(one_of)) => {
            for item in &mut one_of.items {
                inline(item, scalars);
            }
        }
        RefOr::T(Schema::AllOf(all_of)) => {
            for item in &mut all_of.items {
                inline(item, scalars);
            }
        }
        _ => {}
    }
}

fn with_description(mut scalar: Schema, description: &str, nullable: bool) -> Schema {
    if let Schema::Object(object) = &mut scalar {
        if !description.is_empty() {
            object.description = Some(description.to_owned());
        }
        if nullable {
            if let SchemaType::Type(t) = &object.schema_type {
                object.schema_type = SchemaType::Array(vec![t.clone(), Type::Null]);
            }
        }
    }
    scalar
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    const OCCUPANCY: Bounds = Bounds::closed(dec!(0), dec!(1)).fraction();
    const MEGAWATTS: Bounds = Bounds::above(dec!(0)).at_most(dec!(100000));

    #[test]
    fn a_closed_range_holds_its_ends_and_nothing_beyond() {
        assert!(OCCUPANCY.check(dec!(0)).is_ok());
        assert!(OCCUPANCY.check(dec!(1)).is_ok());
        assert_eq!(
            OCCUPANCY.check(dec!(250)),
            Err(ValueError::AboveMaximum {
                bound: 1.0,
                value: 250.0
            })
        );
        assert_eq!(
            OCCUPANCY.check(dec!(-0.01)),
            Err(ValueError::BelowMinimum {
                bound: 0.0,
                value: -0.01
            })
        );
    }

    #[test]
    fn an_exclusive_end_refuses_the_bound_itself() {
        assert_eq!(
            MEGAWATTS.check(dec!(0)),
            Err(ValueError::NotAbove {
                bound: 0.0,
                value: 0.0
            })
        );
        assert!(MEGAWATTS.check(dec!(0.000001)).is_ok());
        assert!(MEGAWATTS.check(dec!(100000)).is_ok());
    }

    #[test]
    fn a_fraction_written_as_a_percentage_is_named_as_one() {
        let err = OCCUPANCY.check(dec!(95)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "is a fraction: 95 means 9500%; did you mean 0.95?"
        );
        assert_eq!(
            OCCUPANCY.check(dec!(1.2)).unwrap_err().to_string(),
            "is a fraction: 1.2 means 120%; did you mean 0.012?"
        );
        // Beyond even a percentage: the plain range error.
        assert!(matches!(
            OCCUPANCY.check(dec!(250)),
            Err(ValueError::AboveMaximum { .. })
        ));
        // Not a fraction: no hint.
        assert!(matches!(
            MEGAWATTS.check(dec!(200000)),
            Err(ValueError::AboveMaximum { .. })
        ));
    }

    #[test]
    fn ranges_read_in_words() {
        assert_eq!(
            OCCUPANCY.describe(),
            "A decimal fraction: 0.09 is 9%. Range: 0 to 1."
        );
        assert_eq!(MEGAWATTS.describe(), "Range: above 0, at most 100,000.");
        assert_eq!(
            Bounds::closed(dec!(-0.5), dec!(1)).describe(),
            "Range: −0.5 to 1."
        );
        assert_eq!(words(dec!(10000000000000)), "10,000,000,000,000");
        assert_eq!(words(dec!(1000)), "1000");
        assert_eq!(words(dec!(0.0001)), "0.0001");
    }

    #[test]
    fn a_path_reads_like_the_json_it_names() {
        let root = Path::Root;
        let phases = root.field("phases");
        let second = phases.index(1);
        assert_eq!(
            second.field("it_capacity_mw").to_string(),
            "phases[1].it_capacity_mw"
        );
        assert_eq!(root.to_string(), "");
    }

    #[test]
    fn a_whole_number_reads_from_an_integer_or_a_whole_float() {
        let read = |text: &str| serde_json::from_str::<Int>(text).map_err(|e| e.to_string());
        assert_eq!(read("12"), Ok(Int(12)));
        assert_eq!(read("12.0"), Ok(Int(12)));
        assert_eq!(read("-3"), Ok(Int(-3)));
        let err = read("1.5").unwrap_err();
        assert!(err.contains("expected a whole number"), "{err}");
        assert!(read("\"12\"").is_err());
    }

    #[test]
    fn a_date_reads_only_as_yyyy_mm_dd() {
        let read = |text: &str| serde_json::from_str::<Date>(text).map_err(|e| e.to_string());
        assert_eq!(
            read("\"2032-12-15\""),
            Ok(Date(NaiveDate::from_ymd_opt(2032, 12, 15).unwrap()))
        );
        for bad in [
            "\"2032-13-01\"",
            "\"2032-12-15T00:00:00\"",
            "\"15/12/2032\"",
            "\"+2032-12-15\"",
        ] {
            let err = read(bad).unwrap_err();
            assert!(err.contains("YYYY-MM-DD"), "{bad}: {err}");
        }
    }
}
