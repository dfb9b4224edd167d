//! How many new shares a convertible issue becomes, across share prices.
//!
//! For each share price `S` the notes are assumed to be converted (at
//! maturity, or early on a rational holder's choice) exactly when their
//! conversion value exceeds their principal, i.e. when `S` is above the
//! parity price `1,000 / conversion_rate`. What the issuer then delivers
//! depends on the [`Settlement`]; a capped call bought at issue hands some
//! of those shares back, and a buyback funded from the proceeds has already
//! retired others.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::make_whole::MakeWholeTable;
use super::terms::{self, ConvertibleTerms, MAX_PRINCIPAL};
use crate::error::{AtField, CoreError, ValueError};
use crate::num::{self, Checked, Price};
use crate::Result;

/// The most share prices one request may ask about.
pub const MAX_SHARE_PRICE_POINTS: usize = 1_000;

/// The largest share count accepted (basic shares outstanding, shares
/// bought back): 10¹⁵ shares.
pub const MAX_SHARES: Decimal = Decimal::from_parts(2_764_472_320, 232_830, 0, false, 0);

/// What the issuer delivers when a note is converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settlement {
    /// All of the conversion shares: `conversion_rate` shares per note.
    Physical,
    /// The principal in cash and the conversion value above it in shares.
    NetShare,
    /// The whole conversion value in cash: no shares.
    Cash,
}

/// A positive number of shares, at most [`MAX_SHARES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ShareCount(Decimal);

impl ShareCount {
    /// Checks `0 < value ≤ MAX_SHARES`.
    pub fn new(value: Decimal) -> Result<Self, ValueError> {
        num::positive(value)
            .and_then(|v| num::at_most(v, MAX_SHARES))
            .map(ShareCount)
    }

    /// The number of shares.
    pub fn get(self) -> Decimal {
        self.0
    }
}

/// Share prices to evaluate as an evenly spaced range, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceRange {
    /// The first price, USD per share.
    pub from: Decimal,
    /// The last price, USD per share; greater than `from`.
    pub to: Decimal,
    /// Equal steps from `from` to `to`: `steps + 1` prices, at most
    /// [`MAX_SHARE_PRICE_POINTS`].
    pub steps: u32,
}

/// Strictly increasing share prices, between 1 and
/// [`MAX_SHARE_PRICE_POINTS`] of them, each in `(0, MAX_SHARE_PRICE]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharePrices(Vec<Price>);

impl SharePrices {
    /// Checks a list given as `share_prices`: errors name
    /// `share_prices` (empty, too long) or `share_prices[i]` (a bad price,
    /// or one not above the price before it).
    pub fn list(prices: &[Decimal]) -> Result<Self> {
        if prices.is_empty() {
            return Err(CoreError::invalid("share_prices", ValueError::Empty));
        }
        num::capped_len(prices, MAX_SHARE_PRICE_POINTS).at("share_prices")?;
        let mut out: Vec<Price> = Vec::with_capacity(prices.len());
        for (i, &p) in prices.iter().enumerate() {
            let price = terms::share_price(p).at(format!("share_prices[{i}]"))?;
            if out.last().is_some_and(|last| *last >= price) {
                return Err(CoreError::invalid(
                    format!("share_prices[{i}]"),
                    ValueError::NotIncreasing,
                ));
            }
            out.push(price);
        }
        Ok(SharePrices(out))
    }

    /// Expands a range given as `share_prices: {from, to, steps}`.
    ///
    /// # Formula
    /// `price_i = from + (to − from) × i / steps` for `i = 0..=steps`.
    pub fn range(range: PriceRange) -> Result<Self> {
        let from = terms::share_price(range.from).at("share_prices.from")?;
        let to = terms::share_price(range.to).at("share_prices.to")?;
        if to <= from {
            return Err(CoreError::Inconsistent {
                field: "share_prices.to".into(),
                reason: "must be greater than `share_prices.from`",
            });
        }
        if range.steps == 0 {
            return Err(CoreError::invalid(
                "share_prices.steps",
                ValueError::BelowMinimum {
                    bound: 1.0,
                    value: 0.0,
                },
            ));
        }
        let points = usize::try_from(range.steps)
            .ok()
            .and_then(|s| s.checked_add(1))
            .unwrap_or(usize::MAX);
        if points > MAX_SHARE_PRICE_POINTS {
            return Err(CoreError::invalid(
                "share_prices.steps",
                ValueError::TooLong {
                    len: points,
                    cap: MAX_SHARE_PRICE_POINTS,
                },
            ));
        }
        let span = to.get().sub_or(from.get(), "share_prices")?;
        let steps = Decimal::from(range.steps);
        let mut out = Vec::with_capacity(points);
        for i in 0..=range.steps {
            let price = if i == range.steps {
                to.get()
            } else {
                span.mul_or(Decimal::from(i), "share_prices")?
                    .div_or(steps, "share_prices")?
                    .add_or(from.get(), "share_prices")?
            };
            out.push(Price::new(price).at("share_prices")?);
        }
        Ok(SharePrices(out))
    }

    /// The prices, in increasing order.
    pub fn as_slice(&self) -> &[Price] {
        &self.0
    }
}

/// A capped call bought by the issuer on the shares underlying the notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CappedCall {
    lower_strike: Price,
    cap_price: Price,
}

impl CappedCall {
    /// Checks the strikes; the lower strike defaults to the terms' parity
    /// price (`1,000 / conversion_rate`), so that below the cap the call
    /// hands back exactly what net-share settlement issues.
    ///
    /// Errors name `capped_call.cap_price` or `capped_call.lower_strike`;
    /// the cap must be above the lower strike.
    pub fn new(
        terms: &ConvertibleTerms,
        cap_price: Decimal,
        lower_strike: Option<Decimal>,
    ) -> Result<Self> {
        let cap_price = terms::share_price(cap_price).at("capped_call.cap_price")?;
        let lower_strike = match lower_strike {
            Some(k) => terms::share_price(k).at("capped_call.lower_strike")?,
            None => Price::new(terms.parity_price()).at("capped_call.lower_strike")?,
        };
        if cap_price <= lower_strike {
            return Err(CoreError::Inconsistent {
                field: "capped_call.cap_price".into(),
                reason: "must be greater than the lower strike (by default the conversion price)",
            });
        }
        Ok(CappedCall {
            lower_strike,
            cap_price,
        })
    }

    /// The lower strike, USD per share.
    pub fn lower_strike(&self) -> Decimal {
        self.lower_strike.get()
    }

    /// The cap, USD per share.
    pub fn cap_price(&self) -> Decimal {
        self.cap_price.get()
    }

    /// What the call pays the issuer on `shares` underlying shares at share
    /// price `s`, USD: `shares × max(min(s, cap) − lower_strike, 0)`.
    ///
    /// An option on the shares, not on conversion: it pays whenever the
    /// share price is above its lower strike, converted or not.
    pub fn payoff(&self, shares: Decimal, s: Decimal) -> Result<Decimal> {
        let intrinsic = s
            .min(self.cap_price())
            .sub_or(self.lower_strike(), "capped_call_payoff")?;
        shares.mul_or(intrinsic.max(Decimal::ZERO), "capped_call_payoff")
    }

    /// The shares a payoff of `payoff` USD hands back at share price `s`:
    /// `payoff / s` when the notes settle in shares (physical or net
    /// share), none under cash settlement, where the call pays cash.
    pub fn shares_handed_back(
        payoff: Decimal,
        s: Decimal,
        settlement: Settlement,
    ) -> Result<Decimal> {
        match settlement {
            Settlement::Cash => Ok(Decimal::ZERO),
            _ if payoff.is_zero() => Ok(Decimal::ZERO),
            Settlement::Physical | Settlement::NetShare => {
                payoff.div_or(s, "capped_call_offset_shares")
            }
        }
    }
}

/// A share buyback funded from the note proceeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Buyback {
    shares: Decimal,
}

impl Buyback {
    /// A buyback of `amount` USD at `price` per share retires
    /// `⌊amount / price⌋` shares: only whole shares can be bought, and the
    /// remainder of the amount is left unspent.
    ///
    /// Errors name `buyback.amount` (in `(0, MAX_PRINCIPAL]`) or
    /// `buyback.price_per_share` (in `(0, MAX_SHARE_PRICE]`).
    pub fn by_amount(amount: Decimal, price: Decimal) -> Result<Self> {
        let amount = num::positive(amount)
            .and_then(|a| num::at_most(a, MAX_PRINCIPAL))
            .at("buyback.amount")?;
        let price = terms::share_price(price).at("buyback.price_per_share")?;
        let shares = amount.div_or(price.get(), "buyback.shares")?.floor();
        Ok(Buyback { shares })
    }

    /// A buyback of a given whole number of shares, named `buyback.shares`.
    pub fn by_shares(shares: Decimal) -> Result<Self> {
        let shares = ShareCount::new(shares).at("buyback.shares")?.get();
        if !shares.fract().is_zero() {
            return Err(CoreError::Inconsistent {
                field: "buyback.shares".into(),
                reason: "must be a whole number of shares",
            });
        }
        Ok(Buyback { shares })
    }

    /// The shares retired.
    pub fn shares(&self) -> Decimal {
        self.shares
    }
}

/// The validated input of [`dilution`].
#[derive(Debug, Clone, PartialEq)]
pub struct DilutionInput {
    /// The note terms.
    pub terms: ConvertibleTerms,
    /// Shares outstanding before the buyback and any conversion.
    pub basic_shares_outstanding: ShareCount,
    /// The share prices to evaluate.
    pub share_prices: SharePrices,
    /// What the issuer delivers on conversion.
    pub settlement: Settlement,
    /// A capped call bought at issue, if any.
    pub capped_call: Option<CappedCall>,
    /// A buyback funded from the proceeds, if any.
    pub buyback: Option<Buyback>,
    /// Conversions on a make-whole date (a call notice or a fundamental
    /// change), which receive the table's additional shares; `None` for
    /// conversions with none.
    pub make_whole: Option<MakeWholeEvent>,
}

/// What makes the conversions make-whole conversions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MakeWholeCause {
    /// The issuer's notice of redemption (a call) on the date.
    Call,
    /// A make-whole fundamental change (a takeover) effective on the date.
    FundamentalChange,
}

/// Conversions in connection with a call notice or a fundamental change on
/// `date`: each $1,000 converts into `conversion_rate +
/// table.additional_shares_per_1000(date, S)` shares.
#[derive(Debug, Clone, PartialEq)]
pub struct MakeWholeEvent {
    /// The indenture's table.
    pub table: MakeWholeTable,
    /// The call notice or the fundamental change's effective date.
    pub date: NaiveDate,
    /// Which of the two it is.
    pub cause: MakeWholeCause,
}

/// The dilution at one share price. Share counts are unrounded: net-share
/// settlement issues fractional shares in aggregate (each holder gets cash
/// for its own fraction).
#[derive(Debug, Clone, PartialEq)]
pub struct DilutionPoint {
    /// The share price, USD.
    pub share_price: Decimal,
    /// Value of the shares underlying the whole issue, USD.
    pub conversion_value: Decimal,
    /// Whether the notes convert: conversion value above principal.
    pub converts: bool,
    /// Shares delivered to noteholders, make-whole shares included.
    pub shares_issued: Decimal,
    /// Additional shares per $1,000 from the make-whole table at this
    /// price and the event's date (0 without one).
    pub additional_shares_per_1000: Decimal,
    /// The part of `shares_issued` due to the make-whole table: what is
    /// issued less what the same conversion would issue without the
    /// additional shares (under physical settlement, all of them:
    /// `principal / 1,000 × additional_shares_per_1000`).
    pub make_whole_shares: Decimal,
    /// What the capped call pays the issuer, USD.
    pub capped_call_payoff: Decimal,
    /// Shares the capped call hands back (zero under cash settlement, where
    /// it pays cash).
    pub capped_call_offset_shares: Decimal,
    /// `shares_issued − capped_call_offset_shares`; negative only when a
    /// lower strike below the parity price pays out more than is issued.
    pub net_shares_issued: Decimal,
    /// Shares retired by the buyback.
    pub shares_repurchased: Decimal,
    /// `basic − repurchased + net_shares_issued`.
    pub diluted_shares_outstanding: Decimal,
    /// `(diluted − basic) / basic`: negative when the buyback retired more
    /// than the notes issue.
    pub dilution_fraction: Decimal,
    /// The diluted share count for EPS by the if-converted method
    /// (ASC 260 as amended by ASU 2020-06), taking this price as the
    /// period's average.
    pub if_converted_diluted_shares: Decimal,
}

/// The dilution across share prices, and the prices that summarise it.
#[derive(Debug, Clone, PartialEq)]
pub struct Dilution {
    /// One entry per requested share price, in order.
    pub points: Vec<DilutionPoint>,
    /// Shares the whole issue converts into.
    pub shares_underlying: Decimal,
    /// Shares retired by the buyback (zero without one).
    pub shares_repurchased: Decimal,
    /// The price above which net-share settlement starts to issue shares:
    /// the parity price `1,000 / conversion_rate`, USD.
    pub net_share_start_price: Decimal,
    /// With a capped call: `parity_price + cap_price − lower_strike`, USD.
    pub effective_conversion_price: Option<Decimal>,
    /// With a buyback: the lowest share price above which the notes issue
    /// at least as many shares as the buyback retired, USD.
    pub buyback_break_even_price: Option<Decimal>,
}

/// Shares issued, capped-call offsets and diluted share counts across share
/// prices.
///
/// # Formula
/// With `N` shares underlying, principal `P`, parity price
/// `C = P / N = 1,000 / rate`, basic shares `B`, repurchased shares `R`,
/// share price `S > 0` (USD), capped call strikes `K < H` (lower, cap):
/// ```text
/// conversion_value  = N × S                                 USD
/// converts          = N × S > P          (equivalently S > C)
/// shares_issued     = physical:  N                if converts, else 0
///                     net_share: (N × S − P) / S  if converts, else 0
///                     cash:      0
/// capped_call_payoff = N × max(min(S, H) − K, 0)                       USD
/// offset_shares     = capped_call_payoff / S   (0 under cash settlement)
/// net_shares_issued = shares_issued − offset_shares
/// diluted           = B − R + net_shares_issued
/// dilution_fraction = (diluted − B) / B
/// if_converted      = B − R + { N (physical), shares_issued (net_share), 0 (cash) }
/// ```
/// The if-converted count follows ASC 260 after ASU 2020-06: share
/// settlement is presumed, so physically settled notes add all `N` shares
/// whatever the price; notes whose principal must be paid in cash add only
/// the shares for the conversion spread at the average price; notes that
/// must be settled in cash add none. Anti-dilution (which depends on
/// earnings) is not tested, and the capped call is left out, as purchased
/// calls are anti-dilutive.
///
/// The summary prices:
/// ```text
/// net_share_start_price      = C
/// effective_conversion_price = C + H − K
/// buyback_break_even_price   = physical:  C              if R ≤ N
///                              net_share: P / (N − R)    if R < N
/// ```
/// Above the cap the issuer's cost, `N × (S − C) − N × (H − K)`, is that of
/// an unhedged note converting at `C + H − K`; with the lower strike at the
/// parity price this is the cap, as offering documents state it. The
/// break-even solves `shares_issued(S) = R` and is absent when the notes
/// never issue that many shares, or without a buyback.
///
/// # Errors
/// [`CoreError::Inconsistent`] on `buyback` when it would retire as many
/// shares as are outstanding; [`CoreError::Overflow`] never in practice,
/// given the caps.
pub fn dilution(input: &DilutionInput) -> Result<Dilution> {
    let terms = &input.terms;
    let n = terms.shares_underlying();
    let principal = terms.principal();
    let basic = input.basic_shares_outstanding.get();
    let repurchased = input.buyback.map_or(Decimal::ZERO, |b| b.shares());
    if repurchased >= basic {
        return Err(CoreError::Inconsistent {
            field: "buyback".into(),
            reason: "retires at least as many shares as `basic_shares_outstanding`",
        });
    }
    let after_buyback = basic.sub_or(repurchased, "diluted_shares_outstanding")?;

    let points = input
        .share_prices
        .as_slice()
        .iter()
        .map(|&price| point(input, price.get(), after_buyback, repurchased))
        .collect::<Result<Vec<_>>>()?;

    let parity = terms.parity_price();
    let effective_conversion_price = input
        .capped_call
        .map(|cc| {
            parity
                .add_or(cc.cap_price(), "effective_conversion_price")?
                .sub_or(cc.lower_strike(), "effective_conversion_price")
        })
        .transpose()?;
    let buyback_break_even_price = match input.buyback {
        Some(b) if !b.shares().is_zero() => match input.settlement {
            Settlement::Physical if b.shares() <= n => Some(parity),
            Settlement::NetShare if b.shares() < n => Some(principal.div_or(
                n.sub_or(b.shares(), "buyback_break_even_price")?,
                "buyback_break_even_price",
            )?),
            _ => None,
        },
        _ => None,
    };

    Ok(Dilution {
        points,
        shares_underlying: n,
        shares_repurchased: repurchased,
        net_share_start_price: parity,
        effective_conversion_price,
        buyback_break_even_price,
    })
}

fn point(
    input: &DilutionInput,
    s: Decimal,
    after_buyback: Decimal,
    repurchased: Decimal,
) -> Result<DilutionPoint> {
    let terms = &input.terms;
    let n = terms.shares_underlying();
    let principal = terms.principal();
    let basic = input.basic_shares_outstanding.get();

    let additional_shares_per_1000 = match &input.make_whole {
        Some(event) => event.table.additional_shares_per_1000(event.date, s)?,
        None => Decimal::ZERO,
    };
    let extra = principal
        .div_or(Decimal::ONE_THOUSAND, "make_whole_shares")?
        .mul_or(additional_shares_per_1000, "make_whole_shares")?;
    let delivered = n.add_or(extra, "shares_issued")?;
    // Holders convert when what they receive beats the principal (the
    // redemption price on a call, the put on a fundamental change).
    let conversion_value = n.mul_or(s, "conversion_value")?;
    let converts = delivered.mul_or(s, "conversion_value")? > principal;
    let spread_shares = |shares: Decimal| -> Result<Decimal> {
        let value = shares.mul_or(s, "shares_issued")?;
        if value <= principal {
            return Ok(Decimal::ZERO);
        }
        value
            .sub_or(principal, "shares_issued")?
            .div_or(s, "shares_issued")
    };
    let (shares_issued, without_make_whole) = match (input.settlement, converts) {
        (_, false) | (Settlement::Cash, true) => (Decimal::ZERO, Decimal::ZERO),
        (Settlement::Physical, true) => (delivered, n),
        (Settlement::NetShare, true) => (spread_shares(delivered)?, spread_shares(n)?),
    };
    let make_whole_shares = shares_issued.sub_or(without_make_whole, "make_whole_shares")?;
    let capped_call_payoff = match input.capped_call {
        Some(cc) => cc.payoff(n, s)?,
        None => Decimal::ZERO,
    };
    let capped_call_offset_shares =
        CappedCall::shares_handed_back(capped_call_payoff, s, input.settlement)?;
    let net_shares_issued = shares_issued.sub_or(capped_call_offset_shares, "net_shares_issued")?;
    let diluted_shares_outstanding =
        after_buyback.add_or(net_shares_issued, "diluted_shares_outstanding")?;
    let dilution_fraction = diluted_shares_outstanding
        .sub_or(basic, "dilution_fraction")?
        .div_or(basic, "dilution_fraction")?;
    let if_converted_incremental = match input.settlement {
        Settlement::Physical => n,
        Settlement::NetShare => shares_issued,
        Settlement::Cash => Decimal::ZERO,
    };
    let if_converted_diluted_shares =
        after_buyback.add_or(if_converted_incremental, "if_converted_diluted_shares")?;

    Ok(DilutionPoint {
        share_price: s,
        conversion_value,
        converts,
        shares_issued,
        additional_shares_per_1000,
        make_whole_shares,
        capped_call_payoff,
        capped_call_offset_shares,
        net_shares_issued,
        shares_repurchased: repurchased,
        diluted_shares_outstanding,
        dilution_fraction,
        if_converted_diluted_shares,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    use approx::{abs_diff_eq, assert_abs_diff_eq};

    use super::*;
    use crate::convertible::terms::{ConversionFields, Principal};
    use crate::tolerance::{Exact, DILUTION_FRACTION_ABS, QUOTED_PRICE_ABS, SHARES_ABS};

    fn cleanspark_terms() -> ConvertibleTerms {
        let conversion = ConversionFields {
            reference_price: Some(dec!(15.03)),
            conversion_premium: Some(dec!(0.275)),
            ..Default::default()
        }
        .validate()
        .unwrap();
        ConvertibleTerms::new(Principal::new(dec!(1_150_000_000)).unwrap(), conversion).unwrap()
    }

    fn input(settlement: Settlement, prices: &[Decimal]) -> DilutionInput {
        DilutionInput {
            terms: cleanspark_terms(),
            basic_shares_outstanding: ShareCount::new(dec!(280_000_000)).unwrap(),
            share_prices: SharePrices::list(prices).unwrap(),
            settlement,
            capped_call: None,
            buyback: None,
            make_whole: None,
        }
    }

    fn seed_buyback() -> Buyback {
        Buyback::by_amount(dec!(460_000_000), dec!(15.03)).unwrap()
    }

    /// Share counts through a division, against hand figures.
    fn close(a: Decimal, b: Decimal) -> bool {
        abs_diff_eq!(Exact(a), Exact(b), epsilon = SHARES_ABS)
    }

    /// An illustrative table for the 2032 notes: effective 2025-12-15 and
    /// 2028-12-15, prices $15 and $30, 14 and 0 additional shares per
    /// $1,000 on the first row, 8 and 0 on the second; cap 66.5336 (14.3504
    /// above 52.1832).
    fn make_whole(date: NaiveDate) -> MakeWholeEvent {
        use crate::convertible::make_whole::MakeWholeFields;
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        MakeWholeEvent {
            table: MakeWholeTable::new(
                MakeWholeFields {
                    effective_dates: vec![d(2025, 12, 15), d(2028, 12, 15)],
                    stock_prices: vec![dec!(15), dec!(30)],
                    additional_shares_per_1000: vec![
                        vec![dec!(14), dec!(0)],
                        vec![dec!(8), dec!(0)],
                    ],
                    max_conversion_rate: dec!(66.5336),
                },
                dec!(52.1832),
            )
            .unwrap(),
            date,
            cause: MakeWholeCause::Call,
        }
    }

    #[test]
    fn a_call_notice_adds_the_tables_shares_to_a_physical_conversion() {
        // On 2025-12-15 at $25: 14 + (0 − 14) × (25 − 15) / 15 = 4.666...
        // per $1,000; 1,150,000 notes × 4.666... = 5,366,666.67 make-whole
        // shares on top of 60,010,680.
        let mut inp = input(Settlement::Physical, &[dec!(25)]);
        inp.make_whole = Some(make_whole(NaiveDate::from_ymd_opt(2025, 12, 15).unwrap()));
        let p = &dilution(&inp).unwrap().points[0];
        assert!(close(p.additional_shares_per_1000, dec!(4.666666666667)));
        assert!(close(p.make_whole_shares, dec!(5_366_666.666667)));
        assert!(close(p.shares_issued, dec!(65_377_346.666667)));
    }

    #[test]
    fn make_whole_shares_can_make_notes_below_parity_convert() {
        // At $19 (parity $19.16325) on 2027-06-15, 547 of the 1,096 days
        // between the rows: row one 14 × (30 − 19) / 15 = 10.266667, row
        // two 8 × 11 / 15 = 5.866667; 10.266667 − 4.4 × 547 / 1,096 =
        // 8.070681 per $1,000. (52.1832 + 8.070681) × 19 = 1,144.82 > 1,000:
        // the notes convert. Net share: 1,150,000 × 144.82 / 19 shares, all
        // of them make-whole shares since without them nothing is issued.
        let mut inp = input(Settlement::NetShare, &[dec!(19)]);
        inp.make_whole = Some(make_whole(NaiveDate::from_ymd_opt(2027, 6, 15).unwrap()));
        let p = &dilution(&inp).unwrap().points[0];
        let per_1000 = dec!(14) * dec!(11) / dec!(15)
            - (dec!(14) - dec!(8)) * dec!(11) / dec!(15) * dec!(547) / dec!(1096);
        assert!(close(p.additional_shares_per_1000, per_1000));
        assert!(p.converts);
        let issued =
            dec!(1_150_000) * ((dec!(52.1832) + per_1000) * dec!(19) - dec!(1000)) / dec!(19);
        assert!(
            close(p.shares_issued, issued),
            "{} vs {issued}",
            p.shares_issued
        );
        assert_eq!(p.make_whole_shares, p.shares_issued);
        // Without the table: nothing.
        inp.make_whole = None;
        let p = &dilution(&inp).unwrap().points[0];
        assert_eq!(p.shares_issued, Decimal::ZERO);
    }

    #[test]
    fn the_seed_buyback_retires_30_605_455_whole_shares() {
        // 460,000,000 / 15.03 = 30,605,455.755...; 15.03 × 30,605,455 =
        // 459,999,988.65 and one more share would cost 460,000,003.68.
        assert_eq!(seed_buyback().shares(), dec!(30_605_455));
    }

    #[test]
    fn physical_settlement_with_the_seed_buyback_adds_about_29_4_million_shares() {
        // 60,010,680 issued − 30,605,455 retired = 29,405,225 net new shares.
        let mut inp = input(Settlement::Physical, &[dec!(30)]);
        inp.buyback = Some(seed_buyback());
        let out = dilution(&inp).unwrap();
        let p = &out.points[0];
        assert_eq!(p.shares_issued, dec!(60_010_680));
        assert_eq!(p.shares_repurchased, dec!(30_605_455));
        assert_eq!(
            p.diluted_shares_outstanding - dec!(280_000_000),
            dec!(29_405_225)
        );
        // 29,405,225 / 280,000,000 = 0.10501866...
        assert_abs_diff_eq!(
            Exact(p.dilution_fraction),
            Exact(dec!(0.105018660714)),
            epsilon = DILUTION_FRACTION_ABS
        );
    }

    #[test]
    fn net_share_settlement_at_thirty_dollars_issues_the_spread_in_shares() {
        // Each $1,000 note is worth 52.1832 × 30 = 1,565.496 USD and issues
        // (1,565.496 − 1,000) / 30 = 18.849866... shares; 1,150,000 notes issue
        // 1,150,000 × 565.496 / 30 = 650,320,400 / 30 = 21,677,346.666... shares.
        let out = dilution(&input(Settlement::NetShare, &[dec!(30)])).unwrap();
        let p = &out.points[0];
        assert_eq!(p.conversion_value, dec!(1_800_320_400));
        let per_note = (dec!(1565.496) - dec!(1000)) / dec!(30);
        assert!(close(p.shares_issued, per_note * dec!(1_150_000)));
        assert!(close(p.shares_issued, dec!(21_677_346.666667)));
        assert!(close(
            p.if_converted_diluted_shares - dec!(280_000_000),
            p.shares_issued
        ));
    }

    #[test]
    fn dilution_is_zero_at_and_below_the_conversion_price_under_every_settlement() {
        for settlement in [Settlement::Physical, Settlement::NetShare, Settlement::Cash] {
            let out = dilution(&input(settlement, &[dec!(10), dec!(19.16325)])).unwrap();
            for p in &out.points {
                assert!(!p.converts);
                assert_eq!(p.shares_issued, Decimal::ZERO);
                assert_eq!(p.dilution_fraction, Decimal::ZERO);
            }
        }
    }

    #[test]
    fn a_capped_call_at_the_conversion_price_cancels_net_share_dilution_up_to_the_cap() {
        // Strike = parity price C, cap H = 30.06 (a 100% premium on 15.03).
        // Between C and H the call hands back N × (S − C) / S: all issued.
        // At S = 40: issued N − P/40 = 60,010,680 − 28,750,000 = 31,260,680;
        // handed back N × (30.06 − C) / 40 = (60,010,680 × 30.06 − 1.15e9) / 40
        // = (1,803,921,040.8 − 1,150,000,000) / 40 = 16,348,026.02;
        // net 31,260,680 − 16,348,026.02 = 14,912,653.98.
        let mut inp = input(Settlement::NetShare, &[dec!(25), dec!(30.06), dec!(40)]);
        inp.capped_call = Some(CappedCall::new(&inp.terms, dec!(30.06), None).unwrap());
        let out = dilution(&inp).unwrap();
        assert!(close(out.points[0].net_shares_issued, Decimal::ZERO));
        assert!(close(out.points[1].net_shares_issued, Decimal::ZERO));
        assert!(close(out.points[2].net_shares_issued, dec!(14_912_653.98)));
        // With K = C the effective conversion price is the cap.
        assert_eq!(out.effective_conversion_price, Some(dec!(30.06)));
    }

    #[test]
    fn a_capped_call_struck_below_parity_pays_before_the_notes_convert() {
        // Hand calculation: $1,000,000,000 at 20 shares per $1,000 is
        // 1,000,000 notes × 20 = 20,000,000 shares, conversion price $50.
        // At S = 49 the notes do not convert (20,000,000 × 49 = 980,000,000
        // < 1,000,000,000) and issue nothing, but the call struck at 45
        // (cap 80) pays 20,000,000 × (min(49, 80) − 45) = 20,000,000 × 4 =
        // $80,000,000, handed back as 80,000,000 / 49 = 1,632,653.0612...
        // shares under net-share settlement. (It answered 0 while the
        // payoff waited for conversion.)
        let conversion = ConversionFields {
            conversion_rate: Some(dec!(20)),
            ..Default::default()
        }
        .validate()
        .unwrap();
        let terms = ConvertibleTerms::new(Principal::new(dec!(1_000_000_000)).unwrap(), conversion)
            .unwrap();
        let mut inp = input(Settlement::NetShare, &[dec!(49)]);
        inp.capped_call = Some(CappedCall::new(&terms, dec!(80), Some(dec!(45))).unwrap());
        inp.terms = terms;
        let p = &dilution(&inp).unwrap().points[0];
        assert!(!p.converts);
        assert_eq!(p.shares_issued, Decimal::ZERO);
        assert_eq!(p.capped_call_payoff, dec!(80_000_000));
        assert!(close(p.capped_call_offset_shares, dec!(1_632_653.061224)));
        assert!(close(p.net_shares_issued, dec!(-1_632_653.061224)));
    }

    #[test]
    fn the_capped_call_pays_cash_and_hands_back_no_shares_under_cash_settlement() {
        let mut inp = input(Settlement::Cash, &[dec!(25)]);
        inp.capped_call = Some(CappedCall::new(&inp.terms, dec!(30.06), None).unwrap());
        let p = &dilution(&inp).unwrap().points[0];
        assert!(p.capped_call_payoff > Decimal::ZERO);
        assert_eq!(p.capped_call_offset_shares, Decimal::ZERO);
        assert_eq!(p.if_converted_diluted_shares, dec!(280_000_000));
    }

    #[test]
    fn the_net_share_break_even_is_principal_over_the_unretired_shares() {
        // 1,150,000,000 / (60,010,680 − 30,605,455) = 1,150,000,000 / 29,405,225
        // = 39.1087...; there, N − P/S = 60,010,680 − 29,405,225 = 30,605,455 = R.
        let mut inp = input(Settlement::NetShare, &[dec!(30)]);
        inp.buyback = Some(seed_buyback());
        let out = dilution(&inp).unwrap();
        let be = out.buyback_break_even_price.unwrap();
        assert_abs_diff_eq!(Exact(be), Exact(dec!(39.1087)), epsilon = QUOTED_PRICE_ABS);
        let at_be = dilution(&DilutionInput {
            share_prices: SharePrices::list(&[be]).unwrap(),
            ..inp
        })
        .unwrap();
        assert!(close(at_be.points[0].shares_issued, dec!(30_605_455)));
    }

    #[test]
    fn the_physical_break_even_is_the_parity_price_and_cash_has_none() {
        let mut inp = input(Settlement::Physical, &[dec!(30)]);
        inp.buyback = Some(seed_buyback());
        let parity = inp.terms.parity_price();
        assert_eq!(
            dilution(&inp).unwrap().buyback_break_even_price,
            Some(parity)
        );
        inp.settlement = Settlement::Cash;
        assert_eq!(dilution(&inp).unwrap().buyback_break_even_price, None);
    }

    #[test]
    fn the_if_converted_count_adds_every_underlying_share_under_physical_settlement() {
        let out = dilution(&input(Settlement::Physical, &[dec!(5)])).unwrap();
        assert_eq!(
            out.points[0].if_converted_diluted_shares,
            dec!(280_000_000) + dec!(60_010_680)
        );
    }

    #[test]
    fn a_buyback_of_every_share_is_refused() {
        let mut inp = input(Settlement::Physical, &[dec!(30)]);
        inp.buyback = Some(Buyback::by_shares(dec!(280_000_000)).unwrap());
        assert_eq!(dilution(&inp).unwrap_err().field(), Some("buyback"));
    }

    #[test]
    fn the_share_cap_is_ten_to_the_fifteenth() {
        assert_eq!(MAX_SHARES, dec!(1_000_000_000_000_000));
    }

    #[test]
    fn a_fractional_share_count_to_buy_back_is_refused() {
        assert_eq!(
            Buyback::by_shares(dec!(10.5)).unwrap_err().field(),
            Some("buyback.shares")
        );
    }

    #[test]
    fn prices_out_of_order_are_refused_at_the_first_offending_index() {
        let err = SharePrices::list(&[dec!(10), dec!(20), dec!(20)]).unwrap_err();
        assert_eq!(
            err,
            CoreError::invalid("share_prices[2]", ValueError::NotIncreasing)
        );
    }

    #[test]
    fn a_zero_price_is_refused_naming_its_index() {
        let err = SharePrices::list(&[dec!(0)]).unwrap_err();
        assert_eq!(err.field(), Some("share_prices[0]"));
    }

    #[test]
    fn a_range_expands_to_steps_plus_one_evenly_spaced_prices() {
        let prices = SharePrices::range(PriceRange {
            from: dec!(10),
            to: dec!(40),
            steps: 3,
        })
        .unwrap();
        let got: Vec<Decimal> = prices.as_slice().iter().map(|p| p.get()).collect();
        assert_eq!(got, vec![dec!(10), dec!(20), dec!(30), dec!(40)]);
    }

    #[test]
    fn a_range_over_the_cap_is_refused() {
        let err = SharePrices::range(PriceRange {
            from: dec!(1),
            to: dec!(100),
            steps: 1_000,
        })
        .unwrap_err();
        assert_eq!(
            err,
            CoreError::invalid(
                "share_prices.steps",
                ValueError::TooLong {
                    len: 1_001,
                    cap: 1_000
                }
            )
        );
        assert!(SharePrices::range(PriceRange {
            from: dec!(1),
            to: dec!(100),
            steps: 999,
        })
        .is_ok());
    }

    #[test]
    fn a_list_over_the_cap_is_refused() {
        let prices: Vec<Decimal> = (1..=1_001).map(Decimal::from).collect();
        let err = SharePrices::list(&prices).unwrap_err();
        assert_eq!(err.field(), Some("share_prices"));
    }

    #[test]
    fn a_cap_at_or_below_the_lower_strike_is_refused() {
        let t = cleanspark_terms();
        assert_eq!(
            CappedCall::new(&t, dec!(19), None).unwrap_err().field(),
            Some("capped_call.cap_price")
        );
    }

    fn price_list() -> impl Strategy<Value = Vec<Decimal>> {
        // Cents from $0.01 to $200.00, sorted and deduplicated.
        proptest::collection::btree_set(1u32..20_000, 1..40).prop_map(|set| {
            set.into_iter()
                .map(|c| Decimal::new(i64::from(c), 2))
                .collect()
        })
    }

    fn settlement() -> impl Strategy<Value = Settlement> {
        prop_oneof![
            Just(Settlement::Physical),
            Just(Settlement::NetShare),
            Just(Settlement::Cash)
        ]
    }

    proptest! {
        #[test]
        fn shares_issued_never_fall_as_the_share_price_rises(
            prices in price_list(),
            settlement in settlement(),
        ) {
            let out = dilution(&input(settlement, &prices)).unwrap();
            for pair in out.points.windows(2) {
                prop_assert!(pair[0].shares_issued <= pair[1].shares_issued);
            }
        }

        #[test]
        fn net_share_settlement_never_issues_more_than_physical(prices in price_list()) {
            let net = dilution(&input(Settlement::NetShare, &prices)).unwrap();
            let phys = dilution(&input(Settlement::Physical, &prices)).unwrap();
            for (a, b) in net.points.iter().zip(&phys.points) {
                prop_assert!(a.shares_issued <= b.shares_issued);
            }
        }

        #[test]
        fn a_capped_call_never_increases_net_shares(
            prices in price_list(),
            settlement in settlement(),
            cap_cents in 2_000u32..100_000,
            strike_cents in prop::option::of(100u32..3_000),
        ) {
            let plain = input(settlement, &prices);
            let strike = strike_cents.map(|c| Decimal::new(i64::from(c), 2));
            let cap = Decimal::new(i64::from(cap_cents), 2);
            prop_assume!(strike.is_none_or(|k| k < cap));
            let mut hedged = plain.clone();
            hedged.capped_call = Some(CappedCall::new(&plain.terms, cap, strike).unwrap());
            let a = dilution(&plain).unwrap();
            let b = dilution(&hedged).unwrap();
            for (p, q) in a.points.iter().zip(&b.points) {
                prop_assert!(q.net_shares_issued <= p.net_shares_issued);
            }
        }

        #[test]
        fn cash_settlement_issues_no_shares(prices in price_list(), with_cap in any::<bool>()) {
            let mut inp = input(Settlement::Cash, &prices);
            if with_cap {
                inp.capped_call = Some(CappedCall::new(&inp.terms, dec!(30.06), None).unwrap());
            }
            for p in dilution(&inp).unwrap().points {
                prop_assert_eq!(p.shares_issued, Decimal::ZERO);
                prop_assert_eq!(p.net_shares_issued, Decimal::ZERO);
            }
        }
    }
}
