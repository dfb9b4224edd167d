//! A sum-of-the-parts valuation of a miner turning data-center operator:
//! segment values, a bridge to equity, and diluted shares solved
//! consistently with the convertible notes.
//!
//! # The diluted-share fixed point
//! Whether a convertible note is debt or shares depends on the value per
//! share, which depends on whether the note is debt or shares. A note is
//! taken as converted when the value per share `V` is at or above its
//! conversion price `K`, and as debt below it. Under any regime assignment,
//! with `E₀` the equity value before the notes and `B` the basic shares,
//! ```text
//! V = (E₀ − Σ_debt claimᵢ) / (B + Σ_converted Nᵢ)
//! ```
//! for every settlement: physical settlement adds `Nᵢ` shares; net-share
//! settlement pays the principal `Pᵢ` in cash and `Nᵢ − Pᵢ/V` shares;
//! cash settlement pays `Nᵢ × V`; the three give the same `V`, only the
//! split between claims and shares differs.
//!
//! A self-consistent assignment converts exactly the notes with `Kᵢ ≤ V`,
//! so it is a prefix of the notes sorted by conversion price: [`sum_of_parts`]
//! tries all `n + 1` prefixes and returns every one that is consistent.
//! With each note's debt claim equal to its principal there is exactly one
//! (the right side, as a function of `V`, is continuous and increasing);
//! a redemption amount above par (a put or make-whole premium) can make
//! both regimes consistent, and then both are returned.

use rust_decimal::Decimal;

use crate::convertible::ConvertibleTerms;
pub use crate::convertible::Settlement;
use crate::error::{CoreError, ValueError};
use crate::mining::Hashrate;
use crate::num::{self, Checked, Fraction, Price, Usd};
use crate::project::{self, ProjectInput};
use crate::Result;

/// The most data-center sites in one valuation.
pub const MAX_SITES: usize = 50;
/// The most convertible notes in one valuation.
pub const MAX_CONVERTIBLES: usize = 10;
/// The most scenarios in one call.
pub const MAX_SCENARIOS: usize = 5;
/// The largest valuation multiple accepted (EBITDA or ARR).
pub const MAX_MULTIPLE: u32 = 1_000;
/// The largest redemption amount accepted, as a multiple of principal.
pub const MAX_REDEMPTION_RATIO: u32 = 2;

/// A valuation multiple: `0 ≤ m ≤ 1,000`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Multiple(Decimal);

impl Multiple {
    /// Checks `0 ≤ m ≤ 1,000`.
    pub fn new(m: Decimal) -> Result<Self, ValueError> {
        num::within(m, Decimal::ZERO, Decimal::from(MAX_MULTIPLE)).map(Multiple)
    }

    /// The multiple.
    pub fn get(self) -> Decimal {
        self.0
    }
}

/// A capitalisation rate: `0 < r ≤ 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CapRate(Decimal);

impl CapRate {
    /// Checks `0 < r ≤ 1`.
    pub fn new(r: Decimal) -> Result<Self, ValueError> {
        num::positive(r)
            .and_then(|r| num::at_most(r, Decimal::ONE))
            .map(CapRate)
    }

    /// The rate, a fraction per year.
    pub fn get(self) -> Decimal {
        self.0
    }
}

/// A strictly positive number of shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Shares(Decimal);

impl Shares {
    /// Checks `shares > 0`.
    pub fn new(shares: Decimal) -> Result<Self, ValueError> {
        num::positive(shares).map(Shares)
    }

    /// The share count.
    pub fn get(self) -> Decimal {
        self.0
    }
}

/// How the mining business is valued.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MiningValuation {
    /// `EV = EBITDA × multiple`.
    EbitdaMultiple {
        /// Annual EBITDA, USD.
        ebitda: Usd,
        /// EV / EBITDA.
        multiple: Multiple,
    },
    /// `EV = hashrate × USD per EH/s`.
    PerHashrate {
        /// Fleet hashrate.
        hashrate: Hashrate,
        /// Value per EH/s, USD.
        usd_per_ehs: Usd,
    },
}

impl MiningValuation {
    /// The mining enterprise value, USD.
    ///
    /// # Formula
    /// ```text
    /// EV = ebitda × multiple            or    EV = hashrate_ehs × usd_per_ehs
    /// ```
    pub fn value(self) -> Result<Decimal> {
        match self {
            MiningValuation::EbitdaMultiple { ebitda, multiple } => {
                ebitda.get().mul_or(multiple.get(), "mining value")
            }
            MiningValuation::PerHashrate {
                hashrate,
                usd_per_ehs,
            } => hashrate.ehs().mul_or(usd_per_ehs.get(), "mining value"),
        }
    }
}

/// How a data-center site is valued before its remaining capex.
#[derive(Debug, Clone, PartialEq)]
pub enum SiteMethod {
    /// `value = NOI / cap rate`.
    NoiCapRate {
        /// Stabilised net operating income, USD per year.
        noi: Usd,
        /// Capitalisation rate.
        cap_rate: CapRate,
    },
    /// `value = ARR × multiple`.
    ArrMultiple {
        /// Annual recurring revenue, USD per year.
        arr: Usd,
        /// EV / ARR.
        multiple: Multiple,
    },
    /// The development model of [`crate::project`]: the site is worth the
    /// NPV of its cash flows, which already deduct the construction capex
    /// still to spend, in the years it is spent.
    Development(Box<ProjectInput>),
}

/// A data-center site.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// A label for the waterfall.
    pub name: String,
    /// How the finished site is valued.
    pub method: SiteMethod,
    /// Capex still to spend to finish the site, USD.
    pub remaining_capex: Usd,
}

/// A site's value.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteValue {
    /// The site's label.
    pub name: String,
    /// Value of the finished site, USD.
    pub gross_value: Decimal,
    /// Capex still to spend, USD.
    pub remaining_capex: Decimal,
    /// `gross_value − remaining_capex`, USD; negative when the site is worth
    /// less than it still costs.
    pub value: Decimal,
}

impl Site {
    /// The site's value.
    ///
    /// # Formula
    /// ```text
    /// gross = noi / cap_rate      or    gross = arr × multiple
    /// value = gross − remaining_capex
    /// ```
    /// With the development model, `value = NPV` of the project's cash
    /// flows (capex deducted as it is spent, discounted),
    /// `remaining_capex` is the model's (undiscounted) and
    /// `gross = value + remaining_capex`.
    ///
    /// # Errors
    /// [`CoreError::Inconsistent`] on `remaining_capex` when it is given
    /// with the development model, which computes its own; the model's own
    /// errors, with their fields under `development.`.
    pub fn value(&self) -> Result<SiteValue> {
        let (gross, remaining) = match &self.method {
            SiteMethod::NoiCapRate { noi, cap_rate } => (
                noi.get().div_or(cap_rate.get(), "site value")?,
                self.remaining_capex.get(),
            ),
            SiteMethod::ArrMultiple { arr, multiple } => (
                arr.get().mul_or(multiple.get(), "site value")?,
                self.remaining_capex.get(),
            ),
            SiteMethod::Development(input) => {
                if self.remaining_capex != Usd::ZERO {
                    return Err(CoreError::Inconsistent {
                        field: "remaining_capex".into(),
                        reason:
                            "the development model deducts its own remaining capex; leave this out",
                    });
                }
                let out = project::project(input).map_err(|e| prefix_field(e, "development."))?;
                (
                    out.npv.add_or(out.remaining_capex, "site value")?,
                    out.remaining_capex,
                )
            }
        };
        Ok(SiteValue {
            name: self.name.clone(),
            gross_value: gross,
            remaining_capex: remaining,
            value: gross.sub_or(remaining, "site value")?,
        })
    }
}

/// Bitcoin held on the balance sheet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Treasury {
    /// Bitcoin held.
    pub btc: crate::mining::Btc,
    /// BTC price, USD.
    pub btc_price: Price,
    /// Discount for liquidity, pledges or taxes, a fraction.
    pub haircut: Fraction,
}

impl Treasury {
    /// The treasury's value, USD.
    ///
    /// # Formula
    /// ```text
    /// value = btc × btc_price × (1 − haircut)
    /// ```
    pub fn value(self) -> Result<Decimal> {
        self.btc
            .get()
            .mul_or(self.btc_price.get(), "treasury value")?
            .mul_or(
                Decimal::ONE.sub_or(self.haircut.get(), "treasury value")?,
                "treasury value",
            )
    }
}

/// A convertible note, as the valuation needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvertibleNote {
    /// A label for the waterfall.
    pub name: String,
    /// Principal and conversion terms, as the convertible endpoints validate
    /// them; the conversion shares are `principal / 1,000 × conversion_rate`.
    pub terms: ConvertibleTerms,
    /// The settlement on conversion.
    pub settlement: Settlement,
    /// What holders are owed if they do not convert, USD: the principal, or
    /// more with a put or make-whole premium (`principal ≤ r ≤ 2 × principal`).
    /// `None` means the principal.
    pub redemption_amount: Option<Usd>,
}

impl ConvertibleNote {
    /// What holders are owed as debt; `index` places the note in errors.
    fn debt_claim(&self, index: usize) -> Result<Decimal> {
        let p = self.terms.principal();
        match self.redemption_amount {
            None => Ok(p),
            Some(r) => {
                let r = r.get();
                let max = p.mul_or(Decimal::from(MAX_REDEMPTION_RATIO), "redemption amount")?;
                if r < p || r > max {
                    Err(CoreError::Inconsistent {
                        field: format!("convertibles[{index}].redemption_amount"),
                        reason: "must lie between the principal and twice the principal",
                    })
                } else {
                    Ok(r)
                }
            }
        }
    }
}

/// Shares bought back, which reduce the basic share count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Buyback {
    /// Whole shares retired: `⌊amount / price⌋` for an amount spent at a
    /// price, as [`crate::convertible::dilution::Buyback`] counts them.
    pub shares: Decimal,
    /// Cash still to come out of `cash` for them, USD: zero when `cash` is
    /// already stated after the buyback.
    pub cash_spent: Usd,
}

/// The validated input of [`sum_of_parts`]. Every segment is optional.
#[derive(Debug, Clone, PartialEq)]
pub struct SotpInput {
    /// The mining business.
    pub mining: Option<MiningValuation>,
    /// Data-center sites, at most [`MAX_SITES`].
    pub data_centers: Vec<Site>,
    /// The bitcoin treasury.
    pub treasury: Option<Treasury>,
    /// Cash, USD.
    pub cash: Usd,
    /// Straight (non-convertible) debt, USD.
    pub debt: Usd,
    /// Convertible notes, at most [`MAX_CONVERTIBLES`].
    pub convertibles: Vec<ConvertibleNote>,
    /// Basic shares outstanding before the buyback.
    pub basic_shares: Shares,
    /// A share repurchase.
    pub buyback: Option<Buyback>,
}

/// Whether a note is counted as debt or as converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Regime {
    /// Value per share below the conversion price: the note is a debt claim.
    Debt,
    /// Value per share at or above the conversion price: the note converts.
    Converted,
}

/// One note under one solution.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteOutcome {
    /// The note's label.
    pub name: String,
    /// Debt or converted.
    pub regime: Regime,
    /// The note's settlement on conversion.
    pub settlement: Settlement,
    /// The price at which the regime switches, USD per share:
    /// `1,000 / conversion_rate` with the rate rounded as the indenture
    /// states it (the stated conversion price up to that rounding).
    pub conversion_price: Decimal,
    /// Cash claim on equity value, USD: the redemption amount as debt; the
    /// principal under net-share settlement; `N × V` under cash settlement;
    /// zero under physical settlement.
    pub claim: Decimal,
    /// Shares issued: `N` physical, `N − P / V` net-share, zero otherwise.
    pub shares_issued: Decimal,
}

/// One line of the bridge from segment values to equity value.
#[derive(Debug, Clone, PartialEq)]
pub struct WaterfallStep {
    /// What the line is.
    pub label: String,
    /// Its signed amount, USD.
    pub amount: Decimal,
    /// The running total after it, USD.
    pub cumulative: Decimal,
    /// `amount / diluted_shares`, USD per share.
    pub per_share: Decimal,
}

/// A self-consistent set of regimes and the values it gives.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// Each note, in input order.
    pub notes: Vec<NoteOutcome>,
    /// Equity value after every claim, USD.
    pub equity_value: Decimal,
    /// Basic shares plus shares issued on conversion.
    pub diluted_shares: Decimal,
    /// `equity_value / diluted_shares`, USD; negative when the claims
    /// exceed the asset values (no limited-liability floor is applied).
    pub value_per_share: Decimal,
    /// The bridge from segment values to equity value.
    pub waterfall: Vec<WaterfallStep>,
}

/// A sum-of-the-parts valuation, unrounded.
#[derive(Debug, Clone, PartialEq)]
pub struct Sotp {
    /// Mining enterprise value, USD (zero without the segment).
    pub mining_value: Decimal,
    /// Each site's value.
    pub sites: Vec<SiteValue>,
    /// Sum of the site values, USD.
    pub data_centers_value: Decimal,
    /// `mining_value + data_centers_value`, USD.
    pub enterprise_value: Decimal,
    /// Treasury value after haircut, USD.
    pub treasury_value: Decimal,
    /// Cash after the buyback where it is paid from cash, USD.
    pub cash: Decimal,
    /// Straight debt, USD.
    pub debt: Decimal,
    /// `enterprise_value + treasury + cash − debt`: equity before the notes, USD.
    pub equity_before_convertibles: Decimal,
    /// Whole shares retired by the buyback.
    pub shares_repurchased: Decimal,
    /// Basic shares after the buyback.
    pub basic_shares: Decimal,
    /// Every self-consistent solution, lowest value per share first.
    pub solutions: Vec<Solution>,
}

impl Sotp {
    /// Whether more than one regime assignment is self-consistent.
    pub fn multiple_equilibria(&self) -> bool {
        self.solutions.len() > 1
    }
}

/// Values each segment, bridges to equity and solves for diluted shares.
///
/// # Formula
/// ```text
/// EV      = mining + Σ (site gross − remaining capex)
/// E₀      = EV + btc × price × (1 − haircut) + cash − buyback_cash_spent − debt
/// B       = basic_shares − ⌊buyback_amount / buyback_price⌋
/// V       = (E₀ − Σ_debt claimᵢ) / (B + Σ_converted Nᵢ),   converted ⇔ Kᵢ ≤ V
/// ```
/// See the module documentation for the fixed point.
///
/// # Errors
/// [`CoreError::Inconsistent`] when the buyback retires every share or a
/// redemption amount is outside `[principal, 2 × principal]` (field
/// `convertibles[i].redemption_amount`);
/// [`CoreError::InvalidValue`] when a list is over its cap.
pub fn sum_of_parts(input: &SotpInput) -> Result<Sotp> {
    num::capped_len(&input.data_centers, MAX_SITES)
        .map_err(|e| CoreError::invalid("data_centers", e))?;
    num::capped_len(&input.convertibles, MAX_CONVERTIBLES)
        .map_err(|e| CoreError::invalid("convertibles", e))?;

    let mining_value = input
        .mining
        .map(MiningValuation::value)
        .transpose()?
        .unwrap_or(Decimal::ZERO);
    let sites = input
        .data_centers
        .iter()
        .enumerate()
        .map(|(i, s)| {
            s.value()
                .map_err(|e| prefix_field(e, &format!("data_centers[{i}].")))
        })
        .collect::<Result<Vec<_>>>()?;
    let data_centers_value = sites.iter().try_fold(Decimal::ZERO, |acc, s| {
        acc.add_or(s.value, "data centers value")
    })?;
    let enterprise_value = mining_value.add_or(data_centers_value, "enterprise value")?;
    let treasury_value = input
        .treasury
        .map(Treasury::value)
        .transpose()?
        .unwrap_or(Decimal::ZERO);

    let (shares_repurchased, cash) = match input.buyback {
        Some(b) => (
            b.shares,
            input.cash.get().sub_or(b.cash_spent.get(), "cash")?,
        ),
        None => (Decimal::ZERO, input.cash.get()),
    };
    let basic = input
        .basic_shares
        .get()
        .sub_or(shares_repurchased, "basic shares")?;
    if basic <= Decimal::ZERO {
        return Err(CoreError::Inconsistent {
            field: "buyback".into(),
            reason: "the buyback retires every basic share",
        });
    }
    let debt = input.debt.get();
    let equity_before = enterprise_value
        .add_or(treasury_value, "equity value")?
        .add_or(cash, "equity value")?
        .sub_or(debt, "equity value")?;

    let mut head = vec![("mining".to_string(), mining_value)];
    head.extend(
        sites
            .iter()
            .map(|s| (format!("data center: {}", s.name), s.value)),
    );
    head.push(("bitcoin treasury".to_string(), treasury_value));
    head.push(("cash".to_string(), input.cash.get()));
    if cash != input.cash.get() {
        head.push((
            "buyback paid from cash".to_string(),
            cash.sub_or(input.cash.get(), "cash")?,
        ));
    }
    head.push(("debt".to_string(), Decimal::ZERO.sub_or(debt, "debt")?));

    let solutions = solve_dilution(&input.convertibles, equity_before, basic, &head)?;
    Ok(Sotp {
        mining_value,
        sites,
        data_centers_value,
        enterprise_value,
        treasury_value,
        cash,
        debt,
        equity_before_convertibles: equity_before,
        shares_repurchased,
        basic_shares: basic,
        solutions,
    })
}

struct NoteTerms {
    conversion_price: Decimal,
    shares: Decimal,
    principal: Decimal,
    debt_claim: Decimal,
}

/// Every self-consistent regime assignment of the notes; see the module docs.
fn solve_dilution(
    notes: &[ConvertibleNote],
    equity_before: Decimal,
    basic: Decimal,
    head: &[(String, Decimal)],
) -> Result<Vec<Solution>> {
    let terms = notes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            Ok(NoteTerms {
                conversion_price: n.terms.parity_price(),
                shares: n.terms.shares_underlying(),
                principal: n.terms.principal(),
                debt_claim: n.debt_claim(i)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    // Notes by conversion price, each with its input position.
    let mut order: Vec<(usize, &NoteTerms)> = terms.iter().enumerate().collect();
    order.sort_by_key(|(_, t)| t.conversion_price);

    let mut solutions = Vec::new();
    for converted in 0..=order.len() {
        let (conv, debt) = order.split_at(converted);
        let mut numerator = equity_before;
        for (_, t) in debt {
            numerator = numerator.sub_or(t.debt_claim, "value per share")?;
        }
        let mut denominator = basic;
        for (_, t) in conv {
            denominator = denominator.add_or(t.shares, "value per share")?;
        }
        let v = numerator.div_or(denominator, "value per share")?;
        let above_converted = conv.last().is_none_or(|(_, t)| v >= t.conversion_price);
        let below_debt = debt.first().is_none_or(|(_, t)| v < t.conversion_price);
        if !(above_converted && below_debt) {
            continue;
        }
        let mut outcomes = Vec::with_capacity(notes.len());
        for (i, (note, t)) in notes.iter().zip(&terms).enumerate() {
            let is_converted = conv.iter().any(|(j, _)| *j == i);
            let (claim, shares_issued) = if !is_converted {
                (t.debt_claim, Decimal::ZERO)
            } else {
                match note.settlement {
                    Settlement::Physical => (Decimal::ZERO, t.shares),
                    // V ≥ K > 0 here, so the division is safe.
                    Settlement::NetShare => (
                        t.principal,
                        t.shares
                            .sub_or(t.principal.div_or(v, "net shares")?, "net shares")?,
                    ),
                    Settlement::Cash => (t.shares.mul_or(v, "cash settlement")?, Decimal::ZERO),
                }
            };
            outcomes.push(NoteOutcome {
                name: note.name.clone(),
                regime: if is_converted {
                    Regime::Converted
                } else {
                    Regime::Debt
                },
                settlement: note.settlement,
                conversion_price: t.conversion_price,
                claim,
                shares_issued,
            });
        }
        let equity_value = outcomes
            .iter()
            .try_fold(equity_before, |acc, o| acc.sub_or(o.claim, "equity value"))?;
        let diluted_shares = outcomes.iter().try_fold(basic, |acc, o| {
            acc.add_or(o.shares_issued, "diluted shares")
        })?;
        let value_per_share = equity_value.div_or(diluted_shares, "value per share")?;

        let mut lines: Vec<(String, Decimal)> = head.to_vec();
        for o in &outcomes {
            if !o.claim.is_zero() {
                let how = match (o.regime, o.settlement) {
                    (Regime::Debt, _) => "as debt",
                    (Regime::Converted, Settlement::NetShare) => "principal paid in cash",
                    (Regime::Converted, _) => "settled in cash",
                };
                // bounded: negating a Decimal flips its sign bit; it cannot overflow.
                lines.push((format!("convertible: {} ({how})", o.name), -o.claim));
            }
        }
        let mut cumulative = Decimal::ZERO;
        let mut waterfall = Vec::with_capacity(lines.len());
        for (label, amount) in lines {
            cumulative = cumulative.add_or(amount, "waterfall")?;
            waterfall.push(WaterfallStep {
                label,
                amount,
                cumulative,
                per_share: amount.div_or(diluted_shares, "waterfall")?,
            });
        }
        solutions.push(Solution {
            notes: outcomes,
            equity_value,
            diluted_shares,
            value_per_share,
            waterfall,
        });
    }
    if solutions.is_empty() {
        return Err(CoreError::NoSolution {
            quantity: "diluted shares",
            reason: "no assignment of the notes to debt or shares is self-consistent",
        });
    }
    solutions.sort_by_key(|s| s.value_per_share);
    Ok(solutions)
}

/// A named input set, e.g. bear, base or bull.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The scenario's name.
    pub name: String,
    /// Its inputs.
    pub input: SotpInput,
}

/// Values up to [`MAX_SCENARIOS`] scenarios side by side, in input order.
///
/// # Errors
/// As [`sum_of_parts`], with the field prefixed by `scenarios[i].`.
pub fn scenarios(scenarios: &[Scenario]) -> Result<Vec<(String, Sotp)>> {
    num::capped_len(scenarios, MAX_SCENARIOS).map_err(|e| CoreError::invalid("scenarios", e))?;
    if scenarios.is_empty() {
        return Err(CoreError::invalid("scenarios", ValueError::Empty));
    }
    scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| {
            sum_of_parts(&s.input)
                .map(|v| (s.name.clone(), v))
                .map_err(|e| prefix_field(e, &format!("scenarios[{i}].")))
        })
        .collect()
}

/// Puts `prefix` before the field an error names, for inputs nested in a
/// list (`scenarios[1].` + `cash`).
pub fn prefix_field(err: CoreError, prefix: &str) -> CoreError {
    match err {
        CoreError::InvalidValue { field, error } => CoreError::InvalidValue {
            field: format!("{prefix}{field}"),
            error,
        },
        CoreError::Inconsistent { field, reason } => CoreError::Inconsistent {
            field: format!("{prefix}{field}"),
            reason,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use approx::assert_abs_diff_eq;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    use super::*;
    use crate::convertible::{ConversionFields, Principal};
    use crate::mining::Btc;
    use crate::tolerance::{Exact, CENT_ABS, CONVERSION_PRICE_ABS, PER_SHARE_ABS};

    fn usd(v: Decimal) -> Usd {
        Usd::new(v).unwrap()
    }

    fn terms(principal: Decimal, fields: ConversionFields) -> ConvertibleTerms {
        ConvertibleTerms::new(
            Principal::new(principal).unwrap(),
            fields.validate().unwrap(),
        )
        .unwrap()
    }

    /// Notes of `principal` thousand dollars converting at `price`.
    fn note(principal: Decimal, price: Decimal, settlement: Settlement) -> ConvertibleNote {
        ConvertibleNote {
            name: "notes".into(),
            terms: terms(
                principal * THOUSAND,
                ConversionFields {
                    conversion_price: Some(price),
                    ..Default::default()
                },
            ),
            settlement,
            redemption_amount: None,
        }
    }

    /// Notes come in whole $1,000s, so the small worked examples below are
    /// stated in thousands: of dollars for money, of shares for share counts.
    /// Per-share values are unchanged by the scaling.
    const THOUSAND: Decimal = Decimal::ONE_THOUSAND;

    /// Equity before the notes of `equity` thousand dollars (all of it cash)
    /// and 100 thousand basic shares.
    fn simple(equity: Decimal, notes: Vec<ConvertibleNote>) -> SotpInput {
        SotpInput {
            mining: None,
            data_centers: vec![],
            treasury: None,
            cash: usd(equity * THOUSAND),
            debt: Usd::ZERO,
            convertibles: notes,
            basic_shares: Shares::new(dec!(100) * THOUSAND).unwrap(),
            buyback: None,
        }
    }

    /// CleanSpark-like figures (seed-figures.md): 50 EH/s, the 250 MW
    /// Sandersville site at $400M ARR with $2.5B still to build, the $1.15B
    /// notes at 52.1832 shares per $1,000, the $460M buyback at $15.03.
    fn cleanspark(usd_per_ehs: Decimal, arr_multiple: Decimal) -> SotpInput {
        SotpInput {
            mining: Some(MiningValuation::PerHashrate {
                hashrate: Hashrate::new(dec!(50)).unwrap(),
                usd_per_ehs: usd(usd_per_ehs),
            }),
            data_centers: vec![Site {
                name: "Sandersville".into(),
                method: SiteMethod::ArrMultiple {
                    arr: usd(dec!(400_000_000)),
                    multiple: Multiple::new(arr_multiple).unwrap(),
                },
                remaining_capex: usd(dec!(2_500_000_000)),
            }],
            treasury: Some(Treasury {
                btc: Btc::new(dec!(13_000)).unwrap(),
                btc_price: Price::new(dec!(90_000)).unwrap(),
                haircut: Fraction::new(dec!(0.1)).unwrap(),
            }),
            cash: usd(dec!(500_000_000)),
            debt: usd(dec!(600_000_000)),
            convertibles: vec![ConvertibleNote {
                name: "0% 2032 notes".into(),
                terms: terms(
                    dec!(1_150_000_000),
                    ConversionFields {
                        conversion_rate: Some(dec!(52.1832)),
                        ..Default::default()
                    },
                ),
                settlement: Settlement::Physical,
                redemption_amount: None,
            }],
            basic_shares: Shares::new(dec!(280_000_000)).unwrap(),
            // $460M at $15.03 a share: ⌊30,605,455.755…⌋ whole shares.
            buyback: Some(Buyback {
                shares: dec!(30_605_455),
                cash_spent: Usd::ZERO,
            }),
        }
    }

    #[test]
    fn a_note_below_its_conversion_price_is_debt() {
        // E₀ = 1,000, B = 100, P = 200, K = 10 (N = 20).
        // As debt: V = (1,000 − 200) / 100 = 8 < 10, consistent.
        // Converted: V = 1,000 / 120 = 8.33 < 10, not consistent.
        let out = sum_of_parts(&simple(
            dec!(1000),
            vec![note(dec!(200), dec!(10), Settlement::Physical)],
        ))
        .unwrap();
        assert_eq!(out.solutions.len(), 1);
        let s = &out.solutions[0];
        assert_eq!(s.notes[0].regime, Regime::Debt);
        assert_eq!(s.value_per_share, dec!(8));
        assert_eq!(s.diluted_shares, dec!(100) * THOUSAND);
    }

    #[test]
    fn a_note_above_its_conversion_price_converts_under_each_settlement() {
        // E₀ = 1,000, B = 100, P = 200, K = 5 (N = 40).
        // As debt: V = 800 / 100 = 8 ≥ 5, not consistent.
        // Converted: V = 1,000 / 140 = 7.142857… ≥ 5, consistent, for every settlement:
        //   physical: 40 shares, no claim, 140 diluted shares;
        //   net share: $200 in cash and 40 − 200 / (1,000/140) = 40 − 28 = 12 shares;
        //   cash: 40 × 1,000/140 = $285.714… in cash, no shares.
        let v = dec!(1000) / dec!(140);
        for (settlement, claim, shares) in [
            (Settlement::Physical, dec!(0), dec!(40)),
            (Settlement::NetShare, dec!(200), dec!(12)),
            (Settlement::Cash, dec!(40) * v, dec!(0)),
        ] {
            let out = sum_of_parts(&simple(
                dec!(1000),
                vec![note(dec!(200), dec!(5), settlement)],
            ))
            .unwrap();
            assert_eq!(out.solutions.len(), 1);
            let s = &out.solutions[0];
            assert_eq!(s.notes[0].regime, Regime::Converted);
            assert_abs_diff_eq!(
                Exact(s.notes[0].claim),
                Exact(claim * THOUSAND),
                epsilon = PER_SHARE_ABS
            );
            assert_abs_diff_eq!(
                Exact(s.notes[0].shares_issued),
                Exact(shares * THOUSAND),
                epsilon = PER_SHARE_ABS
            );
            assert_abs_diff_eq!(Exact(s.value_per_share), Exact(v), epsilon = PER_SHARE_ABS);
        }
    }

    #[test]
    fn a_redemption_premium_can_make_both_regimes_self_consistent() {
        // E₀ = 1,000, B = 100, P = 200 redeemable at 300, K = 8 (N = 25).
        // As debt: V = (1,000 − 300) / 100 = 7 < 8, consistent.
        // Converted: V = 1,000 / 125 = 8 ≥ 8, consistent.
        let mut n = note(dec!(200), dec!(8), Settlement::Physical);
        n.redemption_amount = Some(usd(dec!(300) * THOUSAND));
        let out = sum_of_parts(&simple(dec!(1000), vec![n])).unwrap();
        assert!(out.multiple_equilibria());
        assert_eq!(out.solutions[0].notes[0].regime, Regime::Debt);
        assert_eq!(out.solutions[0].value_per_share, dec!(7));
        assert_eq!(out.solutions[1].notes[0].regime, Regime::Converted);
        assert_eq!(out.solutions[1].value_per_share, dec!(8));
    }

    #[test]
    fn a_redemption_amount_below_par_is_refused_naming_the_note() {
        let mut n = note(dec!(200), dec!(8), Settlement::Physical);
        n.redemption_amount = Some(usd(dec!(199) * THOUSAND));
        let err = sum_of_parts(&simple(dec!(1000), vec![n])).unwrap_err();
        assert_eq!(err.field(), Some("convertibles[0].redemption_amount"));
    }

    #[test]
    fn two_notes_split_between_the_regimes() {
        // E₀ = 1,000, B = 100; note A: P = 100, K = 5 (N = 20); note B: P = 300, K = 12 (N = 25).
        // A converted, B debt: V = (1,000 − 300) / 120 = 5.8333…: ≥ 5 and < 12, consistent.
        // Neither converted: V = 600 / 100 = 6 ≥ 5, no. Both: V = 1,000 / 145 = 6.9 < 12, no.
        let out = sum_of_parts(&simple(
            dec!(1000),
            vec![
                note(dec!(300), dec!(12), Settlement::Physical),
                note(dec!(100), dec!(5), Settlement::Physical),
            ],
        ))
        .unwrap();
        assert_eq!(out.solutions.len(), 1);
        let s = &out.solutions[0];
        assert_eq!(s.notes[0].regime, Regime::Debt);
        assert_eq!(s.notes[1].regime, Regime::Converted);
        assert_abs_diff_eq!(
            Exact(s.value_per_share),
            Exact(dec!(700) / dec!(120)),
            epsilon = PER_SHARE_ABS
        );
    }

    #[test]
    fn the_cleanspark_base_case_keeps_the_2032_notes_as_debt() {
        // Mining 50 × $30M = $1.5B; Sandersville 400M × 8 − 2.5B = $0.7B;
        // treasury 13,000 × 90,000 × 0.9 = $1.053B; cash 0.5B; debt 0.6B.
        // E₀ = 1.5 + 0.7 + 1.053 + 0.5 − 0.6 = $3.153B.
        // Buyback: ⌊460,000,000 / 15.03⌋ = 30,605,455 whole shares retired
        // from 280,000,000.
        // Notes: K = 1,000 / 52.1832 = $19.163 per share, N = 1,150,000 × 52.1832 = 60,010,680.
        // As debt: V = (3.153B − 1.15B) / B ≈ $8.03 < 19.16, consistent.
        let out = sum_of_parts(&cleanspark(dec!(30_000_000), dec!(8))).unwrap();
        assert_eq!(out.enterprise_value, dec!(2_200_000_000));
        assert_eq!(out.treasury_value, dec!(1_053_000_000));
        assert_eq!(out.equity_before_convertibles, dec!(3_153_000_000));
        let basic = dec!(249_394_545);
        assert_eq!(out.basic_shares, basic);
        assert_eq!(out.solutions.len(), 1);
        let s = &out.solutions[0];
        assert_eq!(s.notes[0].regime, Regime::Debt);
        assert_abs_diff_eq!(
            Exact(s.notes[0].conversion_price),
            Exact(dec!(19.16325)),
            epsilon = CONVERSION_PRICE_ABS
        );
        assert_abs_diff_eq!(
            Exact(s.value_per_share),
            Exact(dec!(2_003_000_000) / basic),
            epsilon = PER_SHARE_ABS
        );
    }

    #[test]
    fn the_cleanspark_bull_case_converts_the_2032_notes() {
        // Mining 50 × $60M = $3B; Sandersville 400M × 15 − 2.5B = $3.5B;
        // E₀ = 3 + 3.5 + 1.053 + 0.5 − 0.6 = $7.453B.
        // Converted: V = 7.453B / (B + 60,010,680) ≈ $24.09 ≥ 19.16, consistent.
        let out = sum_of_parts(&cleanspark(dec!(60_000_000), dec!(15))).unwrap();
        // 280,000,000 − ⌊460,000,000 / 15.03⌋.
        let basic = dec!(249_394_545);
        let s = &out.solutions[0];
        assert_eq!(out.solutions.len(), 1);
        assert_eq!(s.notes[0].regime, Regime::Converted);
        assert_eq!(s.notes[0].shares_issued, dec!(60_010_680));
        assert_abs_diff_eq!(
            Exact(s.value_per_share),
            Exact(dec!(7_453_000_000) / (basic + dec!(60_010_680))),
            epsilon = PER_SHARE_ABS
        );
    }

    #[test]
    fn the_waterfall_adds_up_to_equity_and_value_per_share() {
        let out = sum_of_parts(&cleanspark(dec!(30_000_000), dec!(8))).unwrap();
        let s = &out.solutions[0];
        let labels: Vec<&str> = s.waterfall.iter().map(|w| w.label.as_str()).collect();
        assert_eq!(
            labels,
            vec![
                "mining",
                "data center: Sandersville",
                "bitcoin treasury",
                "cash",
                "debt",
                "convertible: 0% 2032 notes (as debt)"
            ]
        );
        assert_eq!(s.waterfall.last().unwrap().cumulative, s.equity_value);
        let per_share: Decimal = s.waterfall.iter().map(|w| w.per_share).sum();
        assert_abs_diff_eq!(
            Exact(per_share),
            Exact(s.value_per_share),
            epsilon = PER_SHARE_ABS
        );
    }

    #[test]
    fn a_buyback_from_cash_retires_shares_and_spends_the_cash() {
        // $460M at $15.03 retires ⌊30,605,455.755…⌋ = 30,605,455 shares;
        // cash 500M − 460M = 40M.
        let mut input = cleanspark(dec!(30_000_000), dec!(8));
        input.buyback = Some(Buyback {
            shares: dec!(30_605_455),
            cash_spent: usd(dec!(460_000_000)),
        });
        let out = sum_of_parts(&input).unwrap();
        assert_eq!(out.shares_repurchased, dec!(30_605_455));
        assert_eq!(out.basic_shares, dec!(249_394_545));
        assert_eq!(out.cash, dec!(40_000_000));
        assert_eq!(out.equity_before_convertibles, dec!(2_693_000_000));
    }

    #[test]
    fn a_buyback_of_every_share_is_refused() {
        let mut input = simple(dec!(1000), vec![]);
        input.buyback = Some(Buyback {
            shares: dec!(100) * THOUSAND,
            cash_spent: Usd::ZERO,
        });
        assert_eq!(sum_of_parts(&input).unwrap_err().field(), Some("buyback"));
    }

    #[test]
    fn a_site_is_worth_noi_over_the_cap_rate_less_capex() {
        // 40M / 0.08 = 500M; less 120M = 380M.
        let site = Site {
            name: "A".into(),
            method: SiteMethod::NoiCapRate {
                noi: usd(dec!(40_000_000)),
                cap_rate: CapRate::new(dec!(0.08)).unwrap(),
            },
            remaining_capex: usd(dec!(120_000_000)),
        };
        let v = site.value().unwrap();
        assert_eq!(v.gross_value, dec!(500_000_000));
        assert_eq!(v.value, dec!(380_000_000));
    }

    #[test]
    fn a_development_site_is_worth_its_npv_with_capex_added_back_for_gross() {
        // The project module's Sandersville fixture: $2.5B spent in year 0, $400M of
        // rent from year 1, sold at the end of year 20 at forward NOI / 8%, discounted
        // at 8%. Rent to year 20 plus the exit at 400M / 0.08 is a perpetuity of $400M
        // from year 1, worth 400M / 0.08 = $5B today; NPV = 5B − 2.5B = $2.5B.
        let site = Site {
            name: "Sandersville".into(),
            method: SiteMethod::Development(Box::new(crate::project::tests::sandersville())),
            remaining_capex: Usd::ZERO,
        };
        let v = site.value().unwrap();
        assert_abs_diff_eq!(
            Exact(v.value),
            Exact(dec!(2_500_000_000)),
            epsilon = CENT_ABS
        );
        assert_eq!(v.remaining_capex, dec!(2_500_000_000));
        assert_abs_diff_eq!(
            Exact(v.gross_value),
            Exact(dec!(5_000_000_000)),
            epsilon = CENT_ABS
        );
    }

    #[test]
    fn a_development_site_refuses_a_second_remaining_capex() {
        let mut input = simple(dec!(1000), vec![]);
        input.data_centers = vec![Site {
            name: "Sandersville".into(),
            method: SiteMethod::Development(Box::new(crate::project::tests::sandersville())),
            remaining_capex: usd(dec!(1)),
        }];
        assert_eq!(
            sum_of_parts(&input).unwrap_err().field(),
            Some("data_centers[0].remaining_capex")
        );
    }

    #[test]
    fn mining_by_ebitda_multiple_is_ebitda_times_the_multiple() {
        let m = MiningValuation::EbitdaMultiple {
            ebitda: usd(dec!(250_000_000)),
            multiple: Multiple::new(dec!(6.5)).unwrap(),
        };
        assert_eq!(m.value().unwrap(), dec!(1_625_000_000));
    }

    #[test]
    fn scenarios_run_side_by_side_and_name_the_failing_one() {
        let ok = scenarios(&[
            Scenario {
                name: "bear".into(),
                input: cleanspark(dec!(15_000_000), dec!(5)),
            },
            Scenario {
                name: "base".into(),
                input: cleanspark(dec!(30_000_000), dec!(8)),
            },
            Scenario {
                name: "bull".into(),
                input: cleanspark(dec!(60_000_000), dec!(15)),
            },
        ])
        .unwrap();
        let names: Vec<&str> = ok.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, vec!["bear", "base", "bull"]);
        let v: Vec<Decimal> = ok
            .iter()
            .map(|(_, s)| s.solutions[0].value_per_share)
            .collect();
        assert!(v[0] < v[1] && v[1] < v[2]);

        let mut bad = simple(dec!(1000), vec![]);
        bad.buyback = Some(Buyback {
            shares: dec!(100) * THOUSAND,
            cash_spent: Usd::ZERO,
        });
        let err = scenarios(&[
            Scenario {
                name: "base".into(),
                input: simple(dec!(1000), vec![]),
            },
            Scenario {
                name: "bad".into(),
                input: bad,
            },
        ])
        .unwrap_err();
        assert_eq!(err.field(), Some("scenarios[1].buyback"));
    }

    #[test]
    fn more_than_the_capped_number_of_notes_is_refused() {
        let notes = vec![note(dec!(1), dec!(1), Settlement::Physical); MAX_CONVERTIBLES + 1];
        assert_eq!(
            sum_of_parts(&simple(dec!(1000), notes))
                .unwrap_err()
                .field(),
            Some("convertibles")
        );
    }

    fn arb_settlement() -> impl Strategy<Value = Settlement> {
        prop_oneof![
            Just(Settlement::Physical),
            Just(Settlement::NetShare),
            Just(Settlement::Cash)
        ]
    }

    fn arb_notes() -> impl Strategy<Value = Vec<ConvertibleNote>> {
        prop::collection::vec(
            (1u64..2_000, 1u64..5_000, arb_settlement())
                .prop_map(|(p, k, s)| note(Decimal::from(p), Decimal::from(k) / dec!(100), s)),
            0..4,
        )
    }

    fn segments(
        mining: u64,
        site: u64,
        treasury_btc: u64,
        cash: u64,
        debt: u64,
        notes: Vec<ConvertibleNote>,
    ) -> SotpInput {
        SotpInput {
            mining: Some(MiningValuation::EbitdaMultiple {
                ebitda: usd(Decimal::from(mining) * THOUSAND),
                multiple: Multiple::new(Decimal::ONE).unwrap(),
            }),
            data_centers: vec![Site {
                name: "site".into(),
                method: SiteMethod::ArrMultiple {
                    arr: usd(Decimal::from(site) * THOUSAND),
                    multiple: Multiple::new(Decimal::ONE).unwrap(),
                },
                remaining_capex: Usd::ZERO,
            }],
            treasury: Some(Treasury {
                btc: Btc::new(Decimal::from(treasury_btc) * THOUSAND).unwrap(),
                btc_price: Price::new(Decimal::ONE).unwrap(),
                haircut: Fraction::ZERO,
            }),
            cash: usd(Decimal::from(cash) * THOUSAND),
            debt: usd(Decimal::from(debt) * THOUSAND),
            convertibles: notes,
            basic_shares: Shares::new(dec!(100) * THOUSAND).unwrap(),
            buyback: None,
        }
    }

    fn value_per_share(input: &SotpInput) -> Decimal {
        let out = sum_of_parts(input).unwrap();
        assert_eq!(out.solutions.len(), 1, "notes at par have one fixed point");
        out.solutions[0].value_per_share
    }

    proptest! {
        #[test]
        fn notes_at_par_have_exactly_one_self_consistent_regime(
            equity in 0u64..10_000,
            notes in arb_notes(),
        ) {
            let out = sum_of_parts(&simple(Decimal::from(equity), notes)).unwrap();
            prop_assert_eq!(out.solutions.len(), 1);
        }

        #[test]
        fn value_per_share_is_monotone_in_each_segment_value(
            base in prop::array::uniform5(0u64..5_000),
            segment in 0usize..5,
            bump in 1u64..5_000,
            notes in arb_notes(),
        ) {
            let mut bumped = base;
            bumped[segment] += bump;
            let build = |v: [u64; 5]| segments(v[0], v[1], v[2], v[3], v[4], notes.clone());
            let before = value_per_share(&build(base));
            let after = value_per_share(&build(bumped));
            if segment == 4 {
                // More debt never raises the value per share.
                prop_assert!(after <= before + PER_SHARE_ABS, "{after} > {before}");
            } else {
                prop_assert!(after + PER_SHARE_ABS >= before, "{after} < {before}");
            }
        }
    }
}
