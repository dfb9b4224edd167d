//! The terms of a convertible note issue: principal and conversion terms.
//!
//! An indenture fixes a conversion *rate*: shares delivered per $1,000 of
//! principal, stated to four decimal places. The conversion price is the
//! same term seen the other way, `1,000 / rate`. Offering documents often
//! start from a reference share price and a premium instead; all three
//! routes are accepted, and exactly one must be given.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::error::{AtField, CoreError, ValueError};
use crate::num::{self, Checked, Price};
use crate::Result;

/// The note denomination, USD: conversion rates are quoted per $1,000 of
/// principal and notes are issued in multiples of it.
pub const DENOMINATION: Decimal = Decimal::from_parts(1_000, 0, 0, false, 0);

/// Decimal places of a conversion rate, as indentures state it.
pub const RATE_DECIMALS: u32 = 4;

/// The largest principal accepted, USD: $1 trillion, beyond any issue.
pub const MAX_PRINCIPAL: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);

/// The largest per-share price accepted anywhere in the convertible
/// modules (conversion, reference, strike, cap, buyback and scenario
/// prices), USD: $1,000,000.
pub const MAX_SHARE_PRICE: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

/// The smallest conversion price accepted, USD: $0.0001, i.e. a rate of
/// at most 10,000,000 shares per $1,000.
pub const MIN_CONVERSION_PRICE: Decimal = Decimal::from_parts(1, 0, 0, false, 4);

/// The smallest conversion rate accepted, shares per $1,000: 0.001, i.e. a
/// conversion price of at most $1,000,000.
pub const MIN_CONVERSION_RATE: Decimal = Decimal::from_parts(1, 0, 0, false, 3);

/// The largest conversion rate accepted, shares per $1,000: 10,000,000.
pub const MAX_CONVERSION_RATE: Decimal = Decimal::from_parts(10_000_000, 0, 0, false, 0);

/// The largest conversion premium accepted: 10, i.e. 1,000% over the
/// reference price.
pub const MAX_CONVERSION_PREMIUM: Decimal = Decimal::from_parts(10, 0, 0, false, 0);

/// Rounds a conversion rate as indentures state it: to [`RATE_DECIMALS`]
/// places, halves away from zero.
pub fn round_rate(rate: Decimal) -> Decimal {
    rate.round_dp_with_strategy(RATE_DECIMALS, RoundingStrategy::MidpointAwayFromZero)
}

/// Checks a per-share price: `0 < value ≤ MAX_SHARE_PRICE`.
pub fn share_price(value: Decimal) -> Result<Price, ValueError> {
    num::at_most(value, MAX_SHARE_PRICE).and_then(Price::new)
}

/// The principal of a note issue, USD: positive, at most [`MAX_PRINCIPAL`],
/// and a whole number of $1,000 notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Principal(Decimal);

impl Principal {
    /// Checks `0 < value ≤ MAX_PRINCIPAL` and that `value` is a whole
    /// multiple of the $1,000 denomination; errors name the field
    /// `principal`.
    pub fn new(value: Decimal) -> Result<Self> {
        let value = num::positive(value)
            .and_then(|v| num::at_most(v, MAX_PRINCIPAL))
            .at("principal")?;
        // bounded: `%` by a non-zero constant cannot overflow or divide by zero.
        if !(value % DENOMINATION).is_zero() {
            return Err(CoreError::Inconsistent {
                field: "principal".into(),
                reason: "must be a whole multiple of the $1,000 note denomination",
            });
        }
        Ok(Principal(value))
    }

    /// The principal, USD.
    pub fn get(self) -> Decimal {
        self.0
    }
}

/// A conversion rate, shares per $1,000 of principal.
///
/// Keeps the value it was built from and the value rounded to
/// [`RATE_DECIMALS`] places ([`round_rate`]); the rounded one is the
/// contractual rate that every share count uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConversionRate {
    rounded: Decimal,
    unrounded: Decimal,
}

impl ConversionRate {
    /// Checks `MIN_CONVERSION_RATE ≤ value ≤ MAX_CONVERSION_RATE` and rounds.
    pub fn new(value: Decimal) -> Result<Self, ValueError> {
        let value = num::positive(value)
            .and_then(|v| num::within(v, MIN_CONVERSION_RATE, MAX_CONVERSION_RATE))?;
        Ok(ConversionRate {
            rounded: round_rate(value),
            unrounded: value,
        })
    }

    /// The rate implied by a conversion price: `1,000 / price`, rounded.
    ///
    /// The price must already lie in `[MIN_CONVERSION_PRICE, MAX_SHARE_PRICE]`.
    fn from_price(price: Price) -> Result<Self> {
        let unrounded = DENOMINATION.div_or(price.get(), "conversion_rate")?;
        Ok(ConversionRate {
            rounded: round_rate(unrounded),
            unrounded,
        })
    }

    /// The contractual rate, rounded to four decimals.
    pub fn rounded(self) -> Decimal {
        self.rounded
    }

    /// The rate before rounding.
    pub fn unrounded(self) -> Decimal {
        self.unrounded
    }
}

/// A conversion premium over the reference share price, a decimal fraction
/// (0.275 for 27.5%): greater than −1, at most [`MAX_CONVERSION_PREMIUM`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ConversionPremium(Decimal);

impl ConversionPremium {
    /// Checks `−1 < value ≤ MAX_CONVERSION_PREMIUM`.
    pub fn new(value: Decimal) -> Result<Self, ValueError> {
        if value <= Decimal::NEGATIVE_ONE {
            return Err(ValueError::NotAbove {
                bound: -1.0,
                value: num::to_f64(value),
            });
        }
        num::at_most(value, MAX_CONVERSION_PREMIUM).map(ConversionPremium)
    }

    /// The premium as a decimal fraction.
    pub fn get(self) -> Decimal {
        self.0
    }
}

/// How the conversion terms were stated: exactly one of three routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conversion {
    /// A conversion rate, shares per $1,000 of principal.
    Rate(ConversionRate),
    /// A conversion price, USD per share.
    Price(Price),
    /// A reference share price and a premium over it.
    Premium {
        /// The share price the premium is set over, USD.
        reference_price: Price,
        /// The premium, a decimal fraction.
        conversion_premium: ConversionPremium,
    },
}

/// The conversion fields as a request carries them, before we know which
/// route was taken. [`ConversionFields::validate`] turns them into a
/// [`Conversion`], naming the fields at fault.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConversionFields {
    /// Shares per $1,000 of principal.
    pub conversion_rate: Option<Decimal>,
    /// USD per share.
    pub conversion_price: Option<Decimal>,
    /// The reference share price, USD; needs `conversion_premium`.
    pub reference_price: Option<Decimal>,
    /// The premium over `reference_price`, a decimal fraction; needs
    /// `reference_price`.
    pub conversion_premium: Option<Decimal>,
}

/// The three routes, as [`CoreError::ExactlyOneOf`] names them.
const ROUTES: [&str; 3] = [
    "conversion_rate",
    "conversion_price",
    "reference_price+conversion_premium",
];

impl ConversionFields {
    /// Checks that exactly one route is given, then each of its values.
    ///
    /// Errors:
    /// - [`CoreError::ExactlyOneOf`] when none or more than one route is
    ///   given; `given` lists what was sent (`reference_price` or
    ///   `conversion_premium` alone when only half of the pair was);
    /// - [`CoreError::MissingDependency`] when only half of
    ///   `reference_price`/`conversion_premium` is given and nothing else;
    /// - [`CoreError::InvalidValue`] for a value out of range.
    pub fn validate(self) -> Result<Conversion> {
        let pair_given = match (self.reference_price, self.conversion_premium) {
            (Some(_), Some(_)) => Some(ROUTES[2]),
            (Some(_), None) => Some("reference_price"),
            (None, Some(_)) => Some("conversion_premium"),
            (None, None) => None,
        };
        let given: Vec<&'static str> = [
            self.conversion_rate.map(|_| ROUTES[0]),
            self.conversion_price.map(|_| ROUTES[1]),
            pair_given,
        ]
        .into_iter()
        .flatten()
        .collect();
        if given.len() != 1 {
            return Err(CoreError::exactly_one_of(&ROUTES, &given));
        }
        match (
            self.conversion_rate,
            self.conversion_price,
            self.reference_price,
            self.conversion_premium,
        ) {
            (Some(rate), _, _, _) => Ok(Conversion::Rate(
                ConversionRate::new(rate).at("conversion_rate")?,
            )),
            (_, Some(price), _, _) => Ok(Conversion::Price(conversion_price(price)?)),
            (_, _, Some(reference_price), Some(premium)) => Ok(Conversion::Premium {
                reference_price: share_price(reference_price).at("reference_price")?,
                conversion_premium: ConversionPremium::new(premium).at("conversion_premium")?,
            }),
            (_, _, Some(_), None) => Err(CoreError::missing_dependency(
                "reference_price",
                "conversion_premium",
            )),
            (_, _, None, _) => Err(CoreError::missing_dependency(
                "conversion_premium",
                "reference_price",
            )),
        }
    }
}

/// Checks a conversion price: `MIN_CONVERSION_PRICE ≤ value ≤ MAX_SHARE_PRICE`.
fn conversion_price(value: Decimal) -> Result<Price> {
    num::positive(value)
        .and_then(|v| num::within(v, MIN_CONVERSION_PRICE, MAX_SHARE_PRICE))
        .and_then(Price::new)
        .at("conversion_price")
}

/// The validated terms of a convertible note issue and the figures that
/// follow from them.
///
/// Built once by [`ConvertibleTerms::new`]; the dilution and pricing code
/// take it as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConvertibleTerms {
    principal: Principal,
    conversion_rate: ConversionRate,
    conversion_price: Decimal,
    reference_price: Option<Price>,
    conversion_premium: Option<ConversionPremium>,
    notes_count: Decimal,
    shares_underlying: Decimal,
    parity_price: Decimal,
}

impl ConvertibleTerms {
    /// Derives the full terms from a principal and one conversion route.
    ///
    /// # Formula
    /// ```text
    /// conversion_price   = given price
    ///                    | reference_price × (1 + conversion_premium)
    ///                    | 1,000 / conversion_rate  (given a rate)     USD/share
    /// rate_unrounded     = 1,000 / conversion_price  (or the given rate)
    /// conversion_rate    = rate_unrounded rounded to 4 decimals,
    ///                      halves away from zero                   shares/$1,000
    /// notes_count        = principal / 1,000
    /// shares_underlying  = notes_count × conversion_rate             shares
    /// parity_price       = 1,000 / conversion_rate                   USD/share
    /// ```
    /// `parity_price` is where a note's conversion value equals its $1,000
    /// principal under the rounded rate. Given a rate, the stated
    /// conversion price is the parity price: one rate, the rounded one,
    /// gives both. Given a price (or a reference price and premium), the
    /// two differ by the rounding of the rate.
    ///
    /// # Errors
    /// [`CoreError::Inconsistent`] on `conversion_premium` when
    /// `reference_price × (1 + premium)` falls outside
    /// `[MIN_CONVERSION_PRICE, MAX_SHARE_PRICE]`; [`CoreError::Overflow`]
    /// never in practice, given the caps.
    ///
    /// # Example
    /// CleanSpark's 2025 notes (seed-figures.md):
    /// ```
    /// use infraval_core::convertible::{ConversionFields, ConvertibleTerms, Principal};
    /// use rust_decimal::Decimal;
    ///
    /// let conversion = ConversionFields {
    ///     reference_price: Some(Decimal::new(1503, 2)),
    ///     conversion_premium: Some(Decimal::new(275, 3)),
    ///     ..Default::default()
    /// }
    /// .validate()
    /// .unwrap();
    /// let terms =
    ///     ConvertibleTerms::new(Principal::new(Decimal::from(1_150_000_000)).unwrap(), conversion)
    ///         .unwrap();
    /// assert_eq!(terms.conversion_price(), Decimal::new(1916325, 5));
    /// assert_eq!(terms.conversion_rate(), Decimal::new(521832, 4));
    /// assert_eq!(terms.shares_underlying(), Decimal::from(60_010_680));
    /// ```
    pub fn new(principal: Principal, conversion: Conversion) -> Result<Self> {
        let (conversion_price, conversion_rate, reference_price, conversion_premium) =
            match conversion {
                // A given rate is rounded to the contractual four decimals,
                // and both prices follow that one rate: as given, a rate
                // with more decimals made the conversion price disagree
                // with the parity price.
                Conversion::Rate(rate) => {
                    let price = DENOMINATION.div_or(rate.rounded(), "conversion_price")?;
                    (price, rate, None, None)
                }
                Conversion::Price(price) => {
                    (price.get(), ConversionRate::from_price(price)?, None, None)
                }
                Conversion::Premium {
                    reference_price,
                    conversion_premium,
                } => {
                    let price = Decimal::ONE
                        .add_or(conversion_premium.get(), "conversion_price")?
                        .mul_or(reference_price.get(), "conversion_price")?;
                    let price = num::within(price, MIN_CONVERSION_PRICE, MAX_SHARE_PRICE)
                        .and_then(Price::new)
                        .map_err(|_| CoreError::Inconsistent {
                            field: "conversion_premium".into(),
                            reason: "reference_price × (1 + conversion_premium) must lie \
                                     between $0.0001 and $1,000,000 per share",
                        })?;
                    (
                        price.get(),
                        ConversionRate::from_price(price)?,
                        Some(reference_price),
                        Some(conversion_premium),
                    )
                }
            };
        let notes_count = principal.get().div_or(DENOMINATION, "notes_count")?;
        let shares_underlying =
            notes_count.mul_or(conversion_rate.rounded(), "shares_underlying")?;
        let parity_price = DENOMINATION.div_or(conversion_rate.rounded(), "parity_price")?;
        Ok(ConvertibleTerms {
            principal,
            conversion_rate,
            conversion_price,
            reference_price,
            conversion_premium,
            notes_count,
            shares_underlying,
            parity_price,
        })
    }

    /// The principal, USD.
    pub fn principal(&self) -> Decimal {
        self.principal.get()
    }

    /// The contractual conversion rate, shares per $1,000, four decimals.
    pub fn conversion_rate(&self) -> Decimal {
        self.conversion_rate.rounded()
    }

    /// The conversion rate before rounding, shares per $1,000.
    pub fn conversion_rate_unrounded(&self) -> Decimal {
        self.conversion_rate.unrounded()
    }

    /// The stated conversion price, USD per share: as given, or
    /// `reference_price × (1 + premium)`, or, given a rate, `1,000 /`
    /// [`Self::conversion_rate`] (the rounded rate).
    pub fn conversion_price(&self) -> Decimal {
        self.conversion_price
    }

    /// The reference share price, USD, when the premium route was taken.
    pub fn reference_price(&self) -> Option<Decimal> {
        self.reference_price.map(Price::get)
    }

    /// The conversion premium, a decimal fraction, when a reference price
    /// is known.
    pub fn conversion_premium(&self) -> Option<Decimal> {
        self.conversion_premium.map(ConversionPremium::get)
    }

    /// Notes outstanding at the $1,000 denomination.
    pub fn notes_count(&self) -> Decimal {
        self.notes_count
    }

    /// Shares the whole issue converts into: `principal / 1,000 × rate`.
    pub fn shares_underlying(&self) -> Decimal {
        self.shares_underlying
    }

    /// The share price at which a note's conversion value equals its
    /// principal under the rounded rate, USD: `1,000 / conversion_rate`.
    pub fn parity_price(&self) -> Decimal {
        self.parity_price
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn terms(fields: ConversionFields) -> Result<ConvertibleTerms> {
        ConvertibleTerms::new(Principal::new(dec!(1_150_000_000))?, fields.validate()?)
    }

    fn cleanspark() -> ConvertibleTerms {
        terms(ConversionFields {
            reference_price: Some(dec!(15.03)),
            conversion_premium: Some(dec!(0.275)),
            ..Default::default()
        })
        .unwrap()
    }

    #[test]
    fn the_cleanspark_reference_price_and_premium_give_the_seed_terms() {
        // seed-figures.md: 15.03 × 1.275 = 19.16325 USD per share.
        // 1000 / 19.16325 = 52.183215...: 19.16325 × 52.1832 = 999.9997074,
        // and 19.16325 × 52.18325 = 1000.00066..., so the rate rounds to 52.1832.
        // 1,150,000,000 / 1,000 = 1,150,000 notes × 52.1832 = 60,010,680 shares.
        let t = cleanspark();
        assert_eq!(t.conversion_price(), dec!(19.16325));
        assert_eq!(t.conversion_rate(), dec!(52.1832));
        assert_eq!(t.shares_underlying(), dec!(60_010_680));
        assert_eq!(t.notes_count(), dec!(1_150_000));
        assert_eq!(t.reference_price(), Some(dec!(15.03)));
        assert_eq!(t.conversion_premium(), Some(dec!(0.275)));
    }

    #[test]
    fn the_unrounded_rate_is_kept_beside_the_rounded_one() {
        let t = cleanspark();
        let unrounded = t.conversion_rate_unrounded();
        // 1000 − 999.9997074 = 0.0002926 short; 0.0002926 / 19.16325 = 0.0000153.
        assert!(
            unrounded > dec!(52.18321) && unrounded < dec!(52.18322),
            "{unrounded}"
        );
    }

    #[test]
    fn the_parity_price_follows_the_rounded_rate_not_the_stated_price() {
        // 1000 / 52.1832 = 19.1632556..., a hair above the stated 19.16325.
        let p = cleanspark().parity_price();
        assert!(p > dec!(19.163255) && p < dec!(19.163256), "{p}");
    }

    #[test]
    fn a_conversion_price_gives_the_same_rate_as_the_premium_route() {
        let t = terms(ConversionFields {
            conversion_price: Some(dec!(19.16325)),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(t.conversion_rate(), dec!(52.1832));
        assert_eq!(t.conversion_premium(), None);
    }

    #[test]
    fn a_given_rate_is_kept_and_its_price_is_one_thousand_over_it() {
        // 1000 / 50 = 20; 1,150,000 × 50 = 57,500,000.
        let t = terms(ConversionFields {
            conversion_rate: Some(dec!(50)),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(t.conversion_price(), dec!(20));
        assert_eq!(t.shares_underlying(), dec!(57_500_000));
    }

    #[test]
    fn a_given_rate_with_more_than_four_decimals_gives_one_price_for_conversion_and_parity() {
        // 52.18325 rounds half away from zero to 52.1833; both prices are
        // 1000 / 52.1833 = 19.1632188..., not 1000 / 52.18325 = 19.1632372...
        let t = terms(ConversionFields {
            conversion_rate: Some(dec!(52.18325)),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(t.conversion_rate(), dec!(52.1833));
        assert_eq!(t.conversion_price(), t.parity_price());
        assert_eq!(t.conversion_price(), dec!(1000) / dec!(52.1833));
        let price = t.conversion_price();
        assert!(
            price > dec!(19.163218) && price < dec!(19.163219),
            "{price}"
        );
    }

    #[test]
    fn a_given_rate_with_more_than_four_decimals_is_rounded_half_away_from_zero() {
        let rate = ConversionRate::new(dec!(52.18325)).unwrap();
        assert_eq!(rate.rounded(), dec!(52.1833));
        assert_eq!(rate.unrounded(), dec!(52.18325));
    }

    #[test]
    fn rate_and_price_together_are_refused_naming_both() {
        let err = terms(ConversionFields {
            conversion_rate: Some(dec!(52.1832)),
            conversion_price: Some(dec!(19.16)),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(
            err,
            CoreError::exactly_one_of(&ROUTES, &["conversion_rate", "conversion_price"])
        );
    }

    #[test]
    fn no_conversion_route_at_all_is_refused() {
        let err = terms(ConversionFields::default()).unwrap_err();
        assert!(matches!(err, CoreError::ExactlyOneOf { ref given, .. } if given.is_empty()));
    }

    #[test]
    fn a_rate_with_half_of_the_premium_pair_names_the_half() {
        let err = terms(ConversionFields {
            conversion_rate: Some(dec!(52.1832)),
            reference_price: Some(dec!(15.03)),
            ..Default::default()
        })
        .unwrap_err();
        assert!(
            matches!(err, CoreError::ExactlyOneOf { ref given, .. } if given == &["conversion_rate", "reference_price"])
        );
    }

    #[test]
    fn a_reference_price_alone_requires_the_premium() {
        let err = terms(ConversionFields {
            reference_price: Some(dec!(15.03)),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(
            err,
            CoreError::missing_dependency("reference_price", "conversion_premium")
        );
    }

    #[test]
    fn a_premium_of_minus_one_or_less_is_refused() {
        let err = terms(ConversionFields {
            reference_price: Some(dec!(15.03)),
            conversion_premium: Some(dec!(-1)),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(err.field(), Some("conversion_premium"));
    }

    #[test]
    fn a_zero_or_negative_price_is_refused_naming_the_field() {
        for bad in [dec!(0), dec!(-19.16)] {
            let err = terms(ConversionFields {
                conversion_price: Some(bad),
                ..Default::default()
            })
            .unwrap_err();
            assert_eq!(err.field(), Some("conversion_price"));
        }
    }

    #[test]
    fn a_principal_that_is_not_whole_notes_is_refused() {
        let err = Principal::new(dec!(1_150_000_500)).unwrap_err();
        assert_eq!(err.field(), Some("principal"));
        assert_eq!(
            Principal::new(dec!(0)).unwrap_err().field(),
            Some("principal")
        );
    }

    #[test]
    fn the_principal_cap_is_one_trillion_dollars() {
        assert_eq!(MAX_PRINCIPAL, dec!(1_000_000_000_000));
        assert!(Principal::new(dec!(1_000_000_000_000)).is_ok());
        assert!(Principal::new(dec!(1_000_000_001_000)).is_err());
    }
}
