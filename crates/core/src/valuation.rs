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
//!
//! # Warrants, RSUs and capped calls
//! RSUs add their count to the shares whatever `V`. Warrants and options
//! count by the treasury-stock method at `V`: the exercise proceeds
//! `count × strike` are assumed to buy back shares at `V`, so a warrant
//! adds `count × max(V − strike, 0) / V` shares (none out of the money,
//! none once expired). A capped call bought on a note's shares pays
//! `N × max(min(V, cap) − lower_strike, 0)` whatever the note's regime, as
//! [`CappedCall::payoff`] computes it for `/v1/convertibles/dilution`; it
//! hands back `payoff / V` shares when the note settles in shares, and pays
//! the cash otherwise. Both are the same value: multiplying the share count
//! by `V`, each regime's fixed point is a root of
//! ```text
//! g(V) = V × (B + rsus + Σ_converted Nᵢ) + Σ_w count_w × max(V − strike_w, 0)
//!        − Σ_calls payoff(V) − (E₀ − Σ_debt claimᵢ)
//! ```
//! which is continuous and linear between the strikes and caps. Each
//! regime's interval of `V` is cut at those kinks and the root of each
//! linear piece that lies in it is kept, so every consistent `V` is
//! returned. The slope of `g` is at least `B + rsus − Σ_calls N`: when the
//! basic shares exceed the shares under the capped calls (as they do at any
//! issuer) `g` is increasing in each regime and, with notes at par,
//! continuous across the regimes too, so the fixed point stays unique.
//!
//! # Make-whole shares
//! A note may carry a make-whole event ([`MakeWholeEvent`]: the indenture's
//! table, a call notice or fundamental change, and its date). Its
//! conversions then deliver `conversion_rate + m(V)` shares per $1,000, with
//! `m(V)` = [`MakeWholeTable::additional_shares_per_1000`] at the event's
//! date and the solved `V` (the one interpolation `/price` and `/dilution`
//! use; zero outside the table's prices, capped at the maximum rate). The
//! note converts when `(N + M(V)) × V ≥ P` (`M` = `P / 1,000 × m`), which
//! is `V ≥ K` or, below `K`, inside the table's prices where the extra
//! shares lift the conversion value above par; it is no longer a prefix of
//! the notes by conversion price. `M` is linear between the table's prices
//! and where the cap starts to bind, so `g` becomes quadratic per piece.
//! The line is cut at every conversion price, strike, cap, table price,
//! cap crossing and root of `(N + M(V)) × V = P`; between two cuts each
//! note's regime is fixed and `g` is one quadratic, solved in closed form;
//! each root is kept when `g`, recomputed at it under the regimes that hold
//! there, is zero within [`crate::tolerance::FIXED_POINT_REL`]. Every
//! consistent `V` is returned, as without make-whole; without any
//! make-whole event the prefix solver above runs unchanged.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::convertible::dilution::MAX_SHARES;
pub use crate::convertible::dilution::{CappedCall, MakeWholeCause, MakeWholeEvent};
pub use crate::convertible::make_whole::MakeWholeTable;
use crate::convertible::ConvertibleTerms;
pub use crate::convertible::Settlement;
use crate::error::{CoreError, ValueError};
use crate::gpu_cloud::{self, GpuCloudInput};
use crate::mining::{self, FleetLife, Hashrate, ProjectionInput};
use crate::num::{self, Checked, Fraction, Megawatts, Price, Usd};
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
/// The most warrant or option tranches in one valuation.
pub const MAX_WARRANTS: usize = 20;
/// The most capped calls on one note.
pub const MAX_CAPPED_CALLS: usize = 4;

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
    /// The GPU-cloud model of [`crate::gpu_cloud`]: the site is worth the
    /// NPV of its cash flows, which deduct the fleets still to buy; its
    /// remaining capex is the first fleet's.
    GpuCloud(Box<GpuCloudInput>),
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
    /// Critical IT capacity, for the EV per MW multiple; the development
    /// model states its own.
    pub it_capacity_mw: Option<Megawatts>,
}

impl Site {
    /// The site's critical IT capacity, MW, where it is known.
    ///
    /// # Errors
    /// [`CoreError::Inconsistent`] on `it_capacity_mw` when it is given with
    /// the development model, which states its own.
    fn it_capacity_mw(&self) -> Result<Option<Decimal>> {
        match (&self.method, self.it_capacity_mw) {
            (SiteMethod::Development(_), Some(_)) => Err(CoreError::Inconsistent {
                field: "it_capacity_mw".into(),
                reason: "the development model states its own `it_capacity_mw`; leave this out",
            }),
            (SiteMethod::Development(input), None) => Ok(Some(input.build.it_capacity.get())),
            (SiteMethod::GpuCloud(_), Some(_)) => Err(CoreError::Inconsistent {
                field: "it_capacity_mw".into(),
                reason: "the GPU-cloud model states its own `it_capacity_mw`; leave this out",
            }),
            (SiteMethod::GpuCloud(input), None) => Ok(Some(input.it_capacity_mw()?)),
            (_, mw) => Ok(mw.map(Megawatts::get)),
        }
    }
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
    /// `gross = value + remaining_capex`. With the GPU-cloud model, `value =
    /// NPV` likewise, `remaining_capex` is the first fleet's capex (year 0)
    /// and the refreshes are in the NPV.
    ///
    /// # Errors
    /// [`CoreError::Inconsistent`] on `remaining_capex` when it is given
    /// with the development or GPU-cloud model, which computes its own; the
    /// model's own errors, with their fields under `development.` or
    /// `gpu_cloud.`.
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
            SiteMethod::GpuCloud(input) => {
                if self.remaining_capex != Usd::ZERO {
                    return Err(CoreError::Inconsistent {
                        field: "remaining_capex".into(),
                        reason: "the GPU-cloud model deducts its own fleet capex; leave this out",
                    });
                }
                let out = gpu_cloud::gpu_cloud(input).map_err(|e| prefix_field(e, "gpu_cloud."))?;
                let first_fleet = out.years.first().map_or(Decimal::ZERO, |y| y.capex);
                (out.npv.add_or(first_fleet, "site value")?, first_fleet)
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
    /// Capped calls the issuer bought on the note's shares, at most
    /// [`MAX_CAPPED_CALLS`].
    pub capped_calls: Vec<CappedCall>,
    /// The make-whole event that conversions in this valuation are made
    /// in connection with (a call notice in a bull scenario that assumes
    /// the issuer calls, or a takeover): each $1,000 converts into
    /// `conversion_rate + table(date, V)` shares. `None`: no additional
    /// shares.
    pub make_whole: Option<MakeWholeEvent>,
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

/// A tranche of warrants or options, counted by the treasury-stock method.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Warrant {
    /// Shares the tranche exercises into, `0 < count ≤ 10¹⁵`.
    pub count: Shares,
    /// Exercise price, USD per share.
    pub strike: Price,
    /// The last day it can be exercised; on a later valuation date it adds
    /// no shares. `None`: it does not expire within the valuation.
    pub expiry_date: Option<NaiveDate>,
}

impl Warrant {
    /// `count × max(V − strike, 0)`, USD: what exercise at `V` is worth,
    /// the proceeds `count × strike` buying back shares at `V`.
    fn intrinsic(&self, v: Decimal) -> Result<Decimal> {
        let spread = v.sub_or(self.strike.get(), "warrant shares")?;
        self.count
            .get()
            .mul_or(spread.max(Decimal::ZERO), "warrant shares")
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
    /// The mining fleet over its life, for [`Sotp::fleet_life`]; it does
    /// not change the value.
    pub mining_projection: Option<ProjectionInput>,
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
    /// Warrants and options, at most [`MAX_WARRANTS`] tranches.
    pub warrants: Vec<Warrant>,
    /// Restricted stock units, always counted as shares: `0 ≤ rsus ≤ 10¹⁵`.
    pub rsus: Decimal,
    /// The valuation date, against which warrants expire; needed when a
    /// warrant has an `expiry_date`.
    pub valuation_date: Option<NaiveDate>,
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
    /// What the note's capped calls pay the issuer at `V`, USD.
    pub capped_call_payoff: Decimal,
    /// Shares they hand back, `payoff / V` under share settlement (zero
    /// under cash settlement, where the payoff is cash added to equity).
    pub capped_call_shares_handed_back: Decimal,
    /// Make-whole additional shares per $1,000 at `V` and the event's
    /// date; zero without a make-whole event or as debt.
    pub additional_shares_per_1000: Decimal,
    /// The part of `shares_issued` due to them, `principal / 1,000 ×
    /// additional_shares_per_1000` under share settlement (zero under cash
    /// settlement, whose claim includes their value).
    pub make_whole_shares: Decimal,
}

/// One warrant tranche under one solution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WarrantOutcome {
    /// Whether it had expired by the valuation date.
    pub expired: bool,
    /// `count × max(V − strike, 0) / V`; zero when expired.
    pub shares_added: Decimal,
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
    /// Each warrant tranche, in input order.
    pub warrants: Vec<WarrantOutcome>,
    /// Equity value after every claim, plus capped-call cash, USD.
    pub equity_value: Decimal,
    /// Basic shares + RSUs + shares issued on conversion + warrant shares −
    /// shares the capped calls hand back.
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
    /// `enterprise_value / hashrate_ehs`, USD per EH/s, when mining is
    /// valued per hashrate, or else over the fleet of the mining projection
    /// ([`FleetLife::fleet_hashrate_ehs`]); `None` otherwise.
    pub ev_per_ehs: Option<Decimal>,
    /// `enterprise_value / Σ it_capacity_mw`, USD per MW of critical IT
    /// capacity, when every site states its capacity (`None` otherwise, or
    /// without sites).
    pub ev_per_it_mw: Option<Decimal>,
    /// Bitcoin the fleet mines over its life, from the mining projection
    /// (`None` without one).
    pub fleet_life: Option<FleetLife>,
    /// `mining_value / fleet_life.btc_mined`, USD per BTC: what the
    /// valuation pays for each bitcoin the fleet will mine; `None` without
    /// a projection or without bitcoin.
    pub mining_value_per_btc_mined: Option<Decimal>,
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

    let ev_per_ehs = match input.mining {
        Some(MiningValuation::PerHashrate { hashrate, .. }) => {
            Some(enterprise_value.div_or(hashrate.ehs(), "ev_per_ehs")?)
        }
        _ => None,
    };
    let mut it_mw = Some(Decimal::ZERO);
    for (i, site) in input.data_centers.iter().enumerate() {
        let mw = site
            .it_capacity_mw()
            .map_err(|e| prefix_field(e, &format!("data_centers[{i}].")))?;
        it_mw = match (it_mw, mw) {
            (Some(total), Some(mw)) => Some(total.add_or(mw, "ev_per_it_mw")?),
            _ => None,
        };
    }
    let ev_per_it_mw = match it_mw {
        Some(mw) if !input.data_centers.is_empty() && mw > Decimal::ZERO => {
            Some(enterprise_value.div_or(mw, "ev_per_it_mw")?)
        }
        _ => None,
    };

    let fleet_life = input
        .mining_projection
        .as_ref()
        .map(|p| mining_fleet_life(p, input.mining))
        .transpose()?;
    let mining_value_per_btc_mined = match &fleet_life {
        Some(life) if life.btc_mined > Decimal::ZERO => {
            Some(mining_value.div_or(life.btc_mined, "mining_value_per_btc_mined")?)
        }
        _ => None,
    };
    // Valued by EBITDA, the mining projection still states the fleet.
    let ev_per_ehs = match (ev_per_ehs, &fleet_life) {
        (None, Some(life)) if life.fleet_hashrate_ehs > Decimal::ZERO => {
            Some(enterprise_value.div_or(life.fleet_hashrate_ehs, "ev_per_ehs")?)
        }
        (v, _) => v,
    };

    let options = Options::new(input, basic)?;
    let solutions = solve_dilution(&input.convertibles, equity_before, &options, &head)?;
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
        ev_per_ehs,
        ev_per_it_mw,
        fleet_life,
        mining_value_per_btc_mined,
    })
}

/// The mining fleet over its life, from its projection; the fleet must be
/// the one the segment is valued on when it is valued per hashrate.
///
/// # Errors
/// The projection's errors, with the field under `mining.projection.`;
/// [`CoreError::Inconsistent`] on `mining.hashrate_ehs` when it differs
/// from the projection's fleet ([`FleetLife::fleet_hashrate_ehs`]).
fn mining_fleet_life(
    projection: &ProjectionInput,
    valuation: Option<MiningValuation>,
) -> Result<FleetLife> {
    let at = "mining.projection.";
    let run = mining::projection(projection).map_err(|e| prefix_field(e, at))?;
    let life = mining::fleet_life(projection, &run).map_err(|e| prefix_field(e, at))?;
    if let Some(MiningValuation::PerHashrate { hashrate, .. }) = valuation {
        if hashrate.ehs() != life.fleet_hashrate_ehs {
            return Err(CoreError::Inconsistent {
                field: "mining.hashrate_ehs".into(),
                reason: "differs from the fleet of `mining.projection` (the total of its cohorts \
                         within their useful life, or the peak of its `fleet_hashrate_ehs`), so \
                         the value per EH/s and the bitcoin per PH/s would be of two fleets",
            });
        }
    }
    Ok(life)
}

struct NoteTerms<'a> {
    conversion_price: Decimal,
    shares: Decimal,
    principal: Decimal,
    debt_claim: Decimal,
    make_whole: Option<&'a MakeWholeEvent>,
}

impl NoteTerms<'_> {
    /// Make-whole additional shares per $1,000 at `v`; zero without an event.
    fn additional_per_1000(&self, v: Decimal) -> Result<Decimal> {
        match self.make_whole {
            Some(mw) => mw.table.additional_shares_per_1000(mw.date, v),
            None => Ok(Decimal::ZERO),
        }
    }

    /// `P / 1,000 × additional`: the make-whole shares of the whole issue.
    fn make_whole_shares(&self, additional_per_1000: Decimal) -> Result<Decimal> {
        self.principal
            .div_or(THOUSAND, "make-whole shares")?
            .mul_or(additional_per_1000, "make-whole shares")
    }

    /// `N + M(V)`: what converting the whole issue delivers at `v`.
    fn conversion_shares(&self, v: Decimal) -> Result<Decimal> {
        if self.make_whole.is_none() {
            return Ok(self.shares);
        }
        let extra = self.make_whole_shares(self.additional_per_1000(v)?)?;
        self.shares.add_or(extra, "conversion shares")
    }

    /// Whether the note converts at `v`: `V ≥ K`, or with make-whole shares
    /// `(N + M(V)) × V ≥ P`.
    fn converts(&self, v: Decimal) -> Result<bool> {
        if v >= self.conversion_price {
            return Ok(true);
        }
        if self.make_whole.is_none() || v <= Decimal::ZERO {
            return Ok(false);
        }
        Ok(self.conversion_shares(v)?.mul_or(v, "conversion value")? >= self.principal)
    }
}

const THOUSAND: Decimal = Decimal::from_parts(1000, 0, 0, false, 0);

/// The claims on shares that depend on `V` or on no regime: RSUs, live
/// warrants and each note's capped calls.
struct Options<'a> {
    /// Basic shares after the buyback, plus RSUs.
    shares: Decimal,
    /// Each warrant, `None` when expired.
    warrants: Vec<Option<&'a Warrant>>,
}

impl<'a> Options<'a> {
    fn new(input: &'a SotpInput, basic: Decimal) -> Result<Self> {
        num::capped_len(&input.warrants, MAX_WARRANTS)
            .map_err(|e| CoreError::invalid("warrants", e))?;
        let rsus = num::within(input.rsus, Decimal::ZERO, MAX_SHARES)
            .map_err(|e| CoreError::invalid("rsus", e))?;
        let warrants = input
            .warrants
            .iter()
            .enumerate()
            .map(|(i, w)| match (w.expiry_date, input.valuation_date) {
                (None, _) => Ok(Some(w)),
                (Some(expiry), Some(today)) => Ok((expiry >= today).then_some(w)),
                (Some(_), None) => Err(CoreError::Inconsistent {
                    field: format!("warrants[{i}].expiry_date"),
                    reason: "needs `valuation_date` to tell whether the warrant has expired",
                }),
            })
            .collect::<Result<Vec<_>>>()?;
        for (i, n) in input.convertibles.iter().enumerate() {
            num::capped_len(&n.capped_calls, MAX_CAPPED_CALLS)
                .map_err(|e| CoreError::invalid(format!("convertibles[{i}].capped_calls"), e))?;
        }
        Ok(Options {
            shares: basic.add_or(rsus, "diluted shares")?,
            warrants,
        })
    }

    /// Every price at which a warrant or a capped call changes slope.
    fn kinks(&self, notes: &[ConvertibleNote]) -> Vec<Decimal> {
        let mut out: Vec<Decimal> = self
            .warrants
            .iter()
            .flatten()
            .map(|w| w.strike.get())
            .collect();
        for n in notes {
            for cc in &n.capped_calls {
                out.push(cc.lower_strike());
                out.push(cc.cap_price());
            }
        }
        out
    }
}

/// `g(V)` of the module documentation for one regime: `shares` are
/// `B + rsus + Σ_converted N`, `equity` is `E₀ − Σ_debt claims`.
fn excess(
    v: Decimal,
    shares: Decimal,
    equity: Decimal,
    options: &Options,
    notes: &[ConvertibleNote],
) -> Result<Decimal> {
    let mut g = v.mul_or(shares, "value per share")?;
    for w in options.warrants.iter().flatten() {
        g = g.add_or(w.intrinsic(v)?, "value per share")?;
    }
    for n in notes {
        for cc in &n.capped_calls {
            g = g.sub_or(
                cc.payoff(n.terms.shares_underlying(), v)?,
                "value per share",
            )?;
        }
    }
    g.sub_or(equity, "value per share")
}

/// The roots of `g` for `V` in `[lo, hi)` (unbounded where `None`), found
/// piece by piece between the kinks, where `g` is linear.
fn roots_between(
    lo: Option<Decimal>,
    hi: Option<Decimal>,
    shares: Decimal,
    equity: Decimal,
    options: &Options,
    notes: &[ConvertibleNote],
) -> Result<Vec<Decimal>> {
    if let (Some(lo), Some(hi)) = (lo, hi) {
        if lo >= hi {
            // An empty range: two notes with one conversion price leave no
            // value per share at which one converts and the other does not.
            return Ok(vec![]);
        }
    }
    let in_range = |v: Decimal| lo.is_none_or(|lo| v >= lo) && hi.is_none_or(|hi| v < hi);
    let all_kinks = options.kinks(notes);
    if all_kinks.is_empty() {
        // No warrant or capped call: V = (E₀ − claims) / (B + rsus + Σ N).
        let v = equity.div_or(shares, "value per share")?;
        return Ok(if in_range(v) { vec![v] } else { vec![] });
    }
    let inside = |k: &Decimal| lo.is_none_or(|lo| *k > lo) && hi.is_none_or(|hi| *k < hi);
    let mut cuts: Vec<Option<Decimal>> = vec![lo];
    let mut kinks: Vec<Decimal> = all_kinks.into_iter().filter(inside).collect();
    kinks.sort();
    kinks.dedup();
    cuts.extend(kinks.into_iter().map(Some));
    cuts.push(hi);
    let g = |v: Decimal| excess(v, shares, equity, options, notes);
    let mut roots = Vec::new();
    for piece in cuts.windows(2) {
        let (a, b) = (piece[0], piece[1]);
        // Two points on the piece's line; beyond a kink the line is the
        // next piece's, so points stay within the piece.
        let (x0, x1) = match (a, b) {
            (Some(a), Some(b)) => (a, b),
            (Some(a), None) => (a, a.add_or(Decimal::ONE, "value per share")?),
            (None, Some(b)) => (b.sub_or(Decimal::ONE, "value per share")?, b),
            (None, None) => (Decimal::ZERO, Decimal::ONE),
        };
        let (g0, g1) = (g(x0)?, g(x1)?);
        let slope = g1
            .sub_or(g0, "value per share")?
            .div_or(x1.sub_or(x0, "value per share")?, "value per share")?;
        if slope.is_zero() {
            // g is constant here: either no root or a whole interval of
            // them, which only a lower strike far below the notes' parity
            // on more shares than are outstanding can produce.
            continue;
        }
        // g(V) = slope × V − c with c = slope × x0 − g(x0).
        let c = slope
            .mul_or(x0, "value per share")?
            .sub_or(g0, "value per share")?;
        let v = c.div_or(slope, "value per share")?;
        if a.is_none_or(|a| v >= a) && b.is_none_or(|b| v < b) {
            roots.push(v);
        }
    }
    Ok(roots)
}

/// Every self-consistent regime assignment of the notes; see the module docs.
fn solve_dilution(
    notes: &[ConvertibleNote],
    equity_before: Decimal,
    options: &Options,
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
                make_whole: n.make_whole.as_ref(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    if terms.iter().any(|t| t.make_whole.is_some()) {
        return solve_with_make_whole(notes, &terms, equity_before, options, head);
    }
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
        let mut denominator = options.shares;
        for (_, t) in conv {
            denominator = denominator.add_or(t.shares, "value per share")?;
        }
        let lo = conv.last().map(|(_, t)| t.conversion_price);
        let hi = debt.first().map(|(_, t)| t.conversion_price);
        for v in roots_between(lo, hi, denominator, numerator, options, notes)? {
            solutions.push(solution_at(
                v,
                conv,
                notes,
                &terms,
                equity_before,
                options,
                head,
            )?);
        }
    }
    consistent(solutions)
}

/// The real roots of the quadratic through `f` at three points of the open
/// piece `(a, b)` (unbounded where `None`), kept when they lie in the
/// closed piece up to [`crate::tolerance::FIXED_POINT_REL`] of its ends
/// (and then moved onto the end). `f` must be one quadratic (or line) on
/// the piece; the caller cuts the line where it is not.
///
/// # Formula
/// With samples `x₀ < x₁ < x₂`, `t = x − x₁` and the divided differences
/// `d₀₁`, `d₁₂`:
/// ```text
/// f(x₁ + t) = A t² + B t + C,   A = (d₁₂ − d₀₁) / (x₂ − x₀),
/// B = (d₀₁ (x₂ − x₁) + d₁₂ (x₁ − x₀)) / (x₂ − x₀),   C = f(x₁)
/// q = −(B + sign(B) √(B² − 4AC)) / 2,   t = q / A  and  t = C / q
/// ```
/// (the cancellation-free pair of roots; `t = −C / B` when `A = 0`).
fn piece_roots(
    a: Option<Decimal>,
    b: Option<Decimal>,
    f: impl Fn(Decimal) -> Result<Decimal>,
) -> Result<Vec<Decimal>> {
    const Q: &str = "value per share";
    let one = Decimal::ONE;
    let two = Decimal::TWO;
    let (x0, x1, x2) = match (a, b) {
        (Some(a), Some(b)) => {
            let quarter = b.sub_or(a, Q)?.div_or(Decimal::from(4), Q)?;
            (
                a.add_or(quarter, Q)?,
                a.add_or(quarter.mul_or(two, Q)?, Q)?,
                b.sub_or(quarter, Q)?,
            )
        }
        (Some(a), None) => (
            a.add_or(one, Q)?,
            a.add_or(two, Q)?,
            a.add_or(Decimal::from(3), Q)?,
        ),
        (None, Some(b)) => (
            b.sub_or(Decimal::from(3), Q)?,
            b.sub_or(two, Q)?,
            b.sub_or(one, Q)?,
        ),
        (None, None) => (Decimal::ZERO, one, two),
    };
    let narrow = match (a, b) {
        (Some(a), Some(b)) => {
            b.sub_or(a, Q)? <= crate::tolerance::FIXED_POINT_REL * (Decimal::ONE + a.abs())
        }
        _ => false,
    };
    if narrow || !(x0 < x1 && x1 < x2) {
        // A piece too narrow to fit a quadratic on in 28 digits (two cuts
        // a rounding apart) holds no root apart from its ends, which the
        // neighbouring pieces find, moved onto them.
        return Ok(vec![]);
    }
    let (g0, g1, g2) = (f(x0)?, f(x1)?, f(x2)?);
    let d01 = g1.sub_or(g0, Q)?.div_or(x1.sub_or(x0, Q)?, Q)?;
    let d12 = g2.sub_or(g1, Q)?.div_or(x2.sub_or(x1, Q)?, Q)?;
    let span = x2.sub_or(x0, Q)?;
    let qa = d12.sub_or(d01, Q)?.div_or(span, Q)?;
    let qb = d01
        .mul_or(x2.sub_or(x1, Q)?, Q)?
        .add_or(d12.mul_or(x1.sub_or(x0, Q)?, Q)?, Q)?
        .div_or(span, Q)?;
    let qc = g1;
    let mut ts = Vec::new();
    if qa.is_zero() {
        ts.extend((-qc).checked_div(qb));
    } else {
        let disc = qb
            .mul_or(qb, Q)?
            .sub_or(Decimal::from(4).mul_or(qa, Q)?.mul_or(qc, Q)?, Q)?;
        if disc >= Decimal::ZERO {
            let root = sqrt(disc)?;
            let signed = if qb < Decimal::ZERO { -root } else { root };
            let q = Decimal::ZERO
                .sub_or(qb.add_or(signed, Q)?, Q)?
                .div_or(two, Q)?;
            // A quotient too large for a `Decimal` is a root beyond any
            // share price (a line's rounding leaves `A` at about 1e-25 and
            // puts its second root there): there is nothing to keep.
            ts.extend(q.checked_div(qa));
            ts.extend(qc.checked_div(q));
        }
    }
    let mut out = Vec::new();
    for t in ts {
        let Some(v) = x1.checked_add(t) else { continue };
        // Within the tolerance of an end counts as on it.
        let near = |end: Decimal| {
            v.checked_sub(end).is_some_and(|gap| {
                gap.abs() <= crate::tolerance::FIXED_POINT_REL * (Decimal::ONE + end.abs())
            })
        };
        let v = match (a, b) {
            (Some(a), _) if v < a => {
                if !near(a) {
                    continue;
                }
                a
            }
            (_, Some(b)) if v > b => {
                if !near(b) {
                    continue;
                }
                b
            }
            _ => v,
        };
        out.push(v);
    }
    Ok(out)
}

/// `√x` for `x ≥ 0` in `Decimal`: Newton's iteration from the `f64` root,
/// which doubles the correct digits each step, so a few steps reach the
/// 28 digits (`rust_decimal`'s own `sqrt` starts from `x / 2` and can cycle
/// until it panics).
fn sqrt(x: Decimal) -> Result<Decimal> {
    const Q: &str = "value per share (square root)";
    if x <= Decimal::ZERO {
        return Ok(Decimal::ZERO);
    }
    let mut r = Decimal::try_from(num::to_f64(x).sqrt()).unwrap_or(x);
    if r <= Decimal::ZERO {
        r = x;
    }
    for _ in 0..8 {
        let next = r.add_or(x.div_or(r, Q)?, Q)?.div_or(Decimal::TWO, Q)?;
        if next == r {
            break;
        }
        r = next;
    }
    Ok(r)
}

/// The pieces between sorted cuts: the open intervals, unbounded at the
/// ends.
fn pieces(cuts: &[Decimal]) -> Vec<(Option<Decimal>, Option<Decimal>)> {
    let ends: Vec<Option<Decimal>> = std::iter::once(None)
        .chain(cuts.iter().copied().map(Some))
        .chain(std::iter::once(None))
        .collect();
    ends.windows(2).map(|w| (w[0], w[1])).collect()
}

/// A point inside the piece `(a, b)`, where each note's regime is that of
/// the whole piece.
fn inside(a: Option<Decimal>, b: Option<Decimal>) -> Result<Decimal> {
    const Q: &str = "value per share";
    match (a, b) {
        (Some(a), Some(b)) => a.add_or(b, Q)?.div_or(Decimal::TWO, Q),
        (Some(a), None) => a.add_or(Decimal::ONE, Q),
        (None, Some(b)) => b.sub_or(Decimal::ONE, Q),
        (None, None) => Ok(Decimal::ZERO),
    }
}

/// `g(V)` of the module documentation with the notes marked in `converted`
/// delivering `N + M(V)` shares and the others owed their debt claim.
fn excess_under(
    v: Decimal,
    converted: &[bool],
    terms: &[NoteTerms],
    equity_before: Decimal,
    options: &Options,
    notes: &[ConvertibleNote],
) -> Result<Decimal> {
    let mut shares = options.shares;
    let mut equity = equity_before;
    for (t, &c) in terms.iter().zip(converted) {
        if c {
            shares = shares.add_or(t.conversion_shares(v)?, "value per share")?;
        } else {
            equity = equity.sub_or(t.debt_claim, "value per share")?;
        }
    }
    excess(v, shares, equity, options, notes)
}

/// Every self-consistent `V` when some note has a make-whole event; see the
/// module documentation's *Make-whole shares*.
fn solve_with_make_whole(
    notes: &[ConvertibleNote],
    terms: &[NoteTerms],
    equity_before: Decimal,
    options: &Options,
    head: &[(String, Decimal)],
) -> Result<Vec<Solution>> {
    const Q: &str = "value per share";
    // Where some share count changes slope or jumps.
    let mut cuts = options.kinks(notes);
    for t in terms {
        cuts.push(t.conversion_price);
        let Some(mw) = t.make_whole else { continue };
        let prices = mw.table.stock_prices();
        cuts.extend_from_slice(prices);
        let cap = mw.table.cap_per_1000();
        for w in prices.windows(2) {
            let u0 = mw
                .table
                .uncapped_additional_shares_per_1000(mw.date, w[0])?;
            let u1 = mw
                .table
                .uncapped_additional_shares_per_1000(mw.date, w[1])?;
            if (u0 < cap && u1 > cap) || (u0 > cap && u1 < cap) {
                // p = p₀ + (cap − u₀) / (u₁ − u₀) × (p₁ − p₀)
                let share = cap.sub_or(u0, Q)?.div_or(u1.sub_or(u0, Q)?, Q)?;
                cuts.push(w[0].add_or(share.mul_or(w[1].sub_or(w[0], Q)?, Q)?, Q)?);
            }
        }
    }
    cuts.sort();
    cuts.dedup();
    // Where a note with make-whole shares starts or stops converting:
    // `(N + M(V)) × V = P`, one quadratic on each piece so far.
    let mut boundaries = Vec::new();
    for t in terms.iter().filter(|t| t.make_whole.is_some()) {
        for (a, b) in pieces(&cuts) {
            let value = |v: Decimal| {
                t.conversion_shares(v)?
                    .mul_or(v, "conversion value")?
                    .sub_or(t.principal, "conversion value")
            };
            for v in piece_roots(a, b, value)? {
                // Kept when the conversion value is par there within the
                // tolerance; a rounding artefact far out is dropped.
                let scale = v
                    .abs()
                    .checked_mul(t.shares)
                    .and_then(|size| size.checked_add(Decimal::ONE + t.principal));
                let near_par = value(v).ok().zip(scale).is_some_and(|(gap, scale)| {
                    gap.abs() <= crate::tolerance::FIXED_POINT_REL * scale
                });
                if near_par {
                    boundaries.push(v);
                }
            }
        }
    }
    cuts.extend(boundaries);
    cuts.sort();
    cuts.dedup();

    let regimes =
        |v: Decimal| -> Result<Vec<bool>> { terms.iter().map(|t| t.converts(v)).collect() };
    let mut found: Vec<(Decimal, Vec<bool>)> = Vec::new();
    for (a, b) in pieces(&cuts) {
        let converted = regimes(inside(a, b)?)?;
        let g = |v: Decimal| excess_under(v, &converted, terms, equity_before, options, notes);
        for v in piece_roots(a, b, g)? {
            // Recompute at the root under the regimes that hold there: a
            // root moved onto a cut may belong to the neighbouring piece.
            // A root the `Decimal` arithmetic cannot even evaluate g at
            // (a line's rounded curvature of 1e-25 puts one near 1e25) is
            // no share price: it is dropped, not reported as an overflow.
            let check = || -> Result<Option<Vec<bool>>> {
                let here = regimes(v)?;
                let residual = excess_under(v, &here, terms, equity_before, options, notes)?;
                let scale = Decimal::ONE
                    .add_or(equity_before.abs(), Q)?
                    .add_or(v.abs().mul_or(options.shares, Q)?, Q)?;
                let ok = residual.abs() <= crate::tolerance::FIXED_POINT_REL.mul_or(scale, Q)?;
                Ok(ok.then_some(here))
            };
            match check() {
                Ok(Some(here)) => found.push((v, here)),
                Ok(None) | Err(CoreError::Overflow { .. }) => {}
                Err(e) => return Err(e),
            }
        }
    }
    found.sort_by_key(|(v, _)| *v);
    let mut solutions: Vec<Solution> = Vec::new();
    let mut last: Option<&(Decimal, Vec<bool>)> = None;
    for entry in &found {
        if let Some((v0, r0)) = last {
            let close = entry.0.checked_sub(*v0).is_some_and(|gap| {
                gap.abs() <= crate::tolerance::FIXED_POINT_REL * (Decimal::ONE + v0.abs())
            });
            if close && *r0 == entry.1 {
                continue;
            }
        }
        last = Some(entry);
        let conv: Vec<(usize, &NoteTerms)> = terms
            .iter()
            .enumerate()
            .filter(|(i, _)| entry.1[*i])
            .collect();
        solutions.push(solution_at(
            entry.0,
            &conv,
            notes,
            terms,
            equity_before,
            options,
            head,
        )?);
    }
    consistent(solutions)
}

/// Every consistent solution, lowest value per share first; none is a
/// `no_solution` error. Both solvers (with and without make-whole shares)
/// end here.
fn consistent(mut solutions: Vec<Solution>) -> Result<Vec<Solution>> {
    if solutions.is_empty() {
        return Err(CoreError::NoSolution {
            quantity: "diluted shares",
            reason: "no assignment of the notes to debt or shares is self-consistent",
        });
    }
    solutions.sort_by_key(|s| s.value_per_share);
    Ok(solutions)
}

/// The claims, shares and waterfall at a consistent `V` with the notes in
/// `conv` converted.
fn solution_at(
    v: Decimal,
    conv: &[(usize, &NoteTerms)],
    notes: &[ConvertibleNote],
    terms: &[NoteTerms],
    equity_before: Decimal,
    options: &Options,
    head: &[(String, Decimal)],
) -> Result<Solution> {
    let mut outcomes = Vec::with_capacity(notes.len());
    for (i, (note, t)) in notes.iter().zip(terms).enumerate() {
        let is_converted = conv.iter().any(|(j, _)| *j == i);
        let additional = if is_converted {
            t.additional_per_1000(v)?
        } else {
            Decimal::ZERO
        };
        let make_whole_shares = match note.settlement {
            Settlement::Cash => Decimal::ZERO,
            _ => t.make_whole_shares(additional)?,
        };
        let (claim, shares_issued) = if !is_converted {
            (t.debt_claim, Decimal::ZERO)
        } else {
            let delivered = t.conversion_shares(v)?;
            match note.settlement {
                Settlement::Physical => (Decimal::ZERO, delivered),
                // Converted means V ≥ K > 0 or (N + M) × V ≥ P > 0, so V > 0.
                Settlement::NetShare => (
                    t.principal,
                    delivered.sub_or(t.principal.div_or(v, "net shares")?, "net shares")?,
                ),
                Settlement::Cash => (delivered.mul_or(v, "cash settlement")?, Decimal::ZERO),
            }
        };
        let mut capped_call_payoff = Decimal::ZERO;
        for cc in &note.capped_calls {
            capped_call_payoff =
                capped_call_payoff.add_or(cc.payoff(t.shares, v)?, "capped call payoff")?;
        }
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
            capped_call_payoff,
            capped_call_shares_handed_back: CappedCall::shares_handed_back(
                capped_call_payoff,
                v,
                note.settlement,
            )?,
            additional_shares_per_1000: additional,
            make_whole_shares,
        });
    }
    let warrants = options
        .warrants
        .iter()
        .map(|w| {
            Ok(match w {
                None => WarrantOutcome {
                    expired: true,
                    shares_added: Decimal::ZERO,
                },
                Some(w) => {
                    let intrinsic = w.intrinsic(v)?;
                    WarrantOutcome {
                        expired: false,
                        // Positive only when V > strike > 0.
                        shares_added: if intrinsic.is_zero() {
                            Decimal::ZERO
                        } else {
                            intrinsic.div_or(v, "warrant shares")?
                        },
                    }
                }
            })
        })
        .collect::<Result<Vec<_>>>()?;

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
        if o.settlement == Settlement::Cash && !o.capped_call_payoff.is_zero() {
            lines.push((
                format!("capped call on {} (paid in cash)", o.name),
                o.capped_call_payoff,
            ));
        }
    }
    let equity_value = lines[head.len()..]
        .iter()
        .try_fold(equity_before, |acc, (_, a)| acc.add_or(*a, "equity value"))?;
    let mut diluted_shares = options.shares;
    for o in &outcomes {
        diluted_shares = diluted_shares
            .add_or(o.shares_issued, "diluted shares")?
            .sub_or(o.capped_call_shares_handed_back, "diluted shares")?;
    }
    for w in &warrants {
        diluted_shares = diluted_shares.add_or(w.shares_added, "diluted shares")?;
    }
    if diluted_shares <= Decimal::ZERO {
        return Err(CoreError::NoSolution {
            quantity: "diluted shares",
            reason: "the capped calls hand back at least every share outstanding",
        });
    }
    let value_per_share = equity_value.div_or(diluted_shares, "value per share")?;

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
    Ok(Solution {
        notes: outcomes,
        warrants,
        equity_value,
        diluted_shares,
        value_per_share,
        waterfall,
    })
}

/// A named input set, e.g. bear, base or bull.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The scenario's name.
    pub name: String,
    /// Its inputs.
    pub input: SotpInput,
    /// Its probability, for a weighted value per share: given for every
    /// scenario or for none.
    pub probability: Option<Fraction>,
}

/// `Σ pᵢ × Vᵢ` over the scenarios, USD per share, with `Vᵢ` the scenario's
/// lowest self-consistent value per share (the one reported at its top
/// level); `None` when no scenario carries a probability.
///
/// # Errors
/// [`CoreError::Inconsistent`] on `scenarios[i].probability`, the first
/// scenario without one when others have one, or the last scenario's when
/// the probabilities do not add up to 1 within
/// [`crate::tolerance::PROBABILITY_SUM_ABS`].
pub fn probability_weighted(
    scenarios: &[Scenario],
    results: &[(String, Sotp)],
) -> Result<Option<Decimal>> {
    if scenarios.iter().all(|s| s.probability.is_none()) {
        return Ok(None);
    }
    if let Some(i) = scenarios.iter().position(|s| s.probability.is_none()) {
        return Err(CoreError::Inconsistent {
            field: format!("scenarios[{i}].probability"),
            reason: "give every scenario a probability, or none",
        });
    }
    let mut total = Decimal::ZERO;
    let mut weighted = Decimal::ZERO;
    for (s, (_, out)) in scenarios.iter().zip(results) {
        let p = s.probability.map_or(Decimal::ZERO, Fraction::get);
        total = total.add_or(p, "probabilities")?;
        let v = out
            .solutions
            .first()
            .map_or(Decimal::ZERO, |sol| sol.value_per_share);
        weighted = weighted.add_or(
            p.mul_or(v, "weighted value per share")?,
            "weighted value per share",
        )?;
    }
    // bounded: at most MAX_SCENARIOS probabilities, each at most 1.
    if (total - Decimal::ONE).abs() > crate::tolerance::PROBABILITY_SUM_ABS {
        return Err(CoreError::Inconsistent {
            field: format!("scenarios[{}].probability", scenarios.len() - 1),
            reason: "the scenarios' probabilities must add up to 1",
        });
    }
    Ok(Some(weighted))
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

/// Puts `prefix` before every field an error names, for inputs nested in a
/// list or an object (`scenarios[1].` + `cash`): the field at fault, and the
/// alternatives and dependencies between fields, each member of a
/// `+`-joined set on its own (`mining.ebitda+mining.ebitda_multiple`). The
/// field a date is compared with (`DateOrder::other_field`) is left as the
/// rule names it: a sibling for some rules, a top-level field for others.
pub fn prefix_field(err: CoreError, prefix: &str) -> CoreError {
    let prefixed = |name: &str| -> crate::FieldName {
        name.split('+')
            .map(|part| format!("{prefix}{part}"))
            .collect::<Vec<_>>()
            .join("+")
            .into()
    };
    match err {
        CoreError::ExactlyOneOf { expected, given } => CoreError::ExactlyOneOf {
            expected: expected.iter().map(|n| prefixed(n)).collect(),
            given: given.iter().map(|n| prefixed(n)).collect(),
        },
        CoreError::MissingDependency { field, requires } => CoreError::MissingDependency {
            field: prefixed(&field),
            requires: prefixed(&requires),
        },
        CoreError::InvalidValue { field, error } => CoreError::InvalidValue {
            field: format!("{prefix}{field}"),
            error,
        },
        CoreError::Inconsistent { field, reason } => CoreError::Inconsistent {
            field: format!("{prefix}{field}"),
            reason,
        },
        CoreError::DateOrder {
            field,
            date,
            relation,
            other_field,
            other,
        } => CoreError::DateOrder {
            field: format!("{prefix}{field}"),
            date,
            relation,
            other_field,
            other,
        },
        other @ (CoreError::Overflow { .. }
        | CoreError::NoSolution { .. }
        | CoreError::Unattainable { .. }
        | CoreError::SolutionOutOfRange { .. }) => other,
    }
}

#[cfg(test)]
mod tests {
    use approx::{abs_diff_eq, assert_abs_diff_eq};
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    use super::*;
    use crate::convertible::{ConversionFields, Principal};
    use crate::mining::Btc;
    use crate::tolerance::{Exact, BTC_ABS, CENT_ABS, CONVERSION_PRICE_ABS, PER_SHARE_ABS};

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
            capped_calls: vec![],
            make_whole: None,
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
            mining_projection: None,
            data_centers: vec![],
            treasury: None,
            cash: usd(equity * THOUSAND),
            debt: Usd::ZERO,
            convertibles: notes,
            basic_shares: Shares::new(dec!(100) * THOUSAND).unwrap(),
            buyback: None,
            warrants: vec![],
            rsus: Decimal::ZERO,
            valuation_date: None,
        }
    }

    /// CleanSpark-like figures (seed-figures.md): 50 EH/s, the 250 MW
    /// Sandersville site at $400M ARR with $2.5B still to build, the $1.15B
    /// notes at 52.1832 shares per $1,000, the $460M buyback at $15.03.
    fn cleanspark(usd_per_ehs: Decimal, arr_multiple: Decimal) -> SotpInput {
        SotpInput {
            mining_projection: None,
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
                it_capacity_mw: None,
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
                capped_calls: vec![],
                make_whole: None,
            }],
            basic_shares: Shares::new(dec!(280_000_000)).unwrap(),
            // $460M at $15.03 a share: ⌊30,605,455.755…⌋ whole shares.
            buyback: Some(Buyback {
                shares: dec!(30_605_455),
                cash_spent: Usd::ZERO,
            }),
            warrants: vec![],
            rsus: Decimal::ZERO,
            valuation_date: None,
        }
    }

    /// $3.1B of cash, no notes, 100M basic shares: worth $31 a share alone.
    fn warranted(warrants: Vec<Warrant>) -> SotpInput {
        SotpInput {
            cash: usd(dec!(3_100_000_000)),
            basic_shares: Shares::new(dec!(100_000_000)).unwrap(),
            warrants,
            ..simple(dec!(0), vec![])
        }
    }

    fn warrant(count: Decimal, strike: Decimal, expiry_date: Option<NaiveDate>) -> Warrant {
        Warrant {
            count: Shares::new(count).unwrap(),
            strike: Price::new(strike).unwrap(),
            expiry_date,
        }
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_readme_examples_keep_their_answers_without_make_whole() {
        // README "Sum of the parts", first example: the net-share notes stay
        // debt, V = (3,153M − 1,150M) / (280M − 30,605,455) = 2,003M / 249,394,545.
        let mut input = cleanspark(dec!(30_000_000), dec!(8));
        input.convertibles[0].settlement = Settlement::NetShare;
        let s = &sum_of_parts(&input).unwrap().solutions[0];
        assert_eq!(s.notes[0].regime, Regime::Debt);
        assert_abs_diff_eq!(
            Exact(s.value_per_share),
            Exact(dec!(2_003_000_000) / dec!(249_394_545)),
            epsilon = PER_SHARE_ABS
        );
        assert_eq!(s.value_per_share.round_dp(4), dec!(8.0315));

        // README's TeraWulf-like example, by hand there:
        // V = (E₀ − 900M) / 475M with E₀ = 300M + 700M / 0.065 − 1.5B + 0.7B − 0.5B.
        let wulf = terms(
            dec!(900_000_000),
            ConversionFields {
                conversion_rate: Some(dec!(50.1567)),
                ..Default::default()
            },
        );
        let input = SotpInput {
            mining_projection: None,
            mining: Some(MiningValuation::PerHashrate {
                hashrate: Hashrate::new(dec!(12)).unwrap(),
                usd_per_ehs: usd(dec!(25_000_000)),
            }),
            data_centers: vec![Site {
                name: "Lake Mariner".into(),
                method: SiteMethod::NoiCapRate {
                    noi: usd(dec!(700_000_000)),
                    cap_rate: CapRate::new(dec!(0.065)).unwrap(),
                },
                remaining_capex: usd(dec!(1_500_000_000)),
                it_capacity_mw: None,
            }],
            treasury: None,
            cash: usd(dec!(700_000_000)),
            debt: usd(dec!(500_000_000)),
            convertibles: vec![ConvertibleNote {
                name: "0% notes due 2032".into(),
                capped_calls: vec![CappedCall::new(&wulf, dec!(30), None).unwrap()],
                terms: wulf,
                settlement: Settlement::NetShare,
                redemption_amount: None,
                make_whole: None,
            }],
            basic_shares: Shares::new(dec!(390_000_000)).unwrap(),
            buyback: None,
            warrants: vec![
                warrant(dec!(73_000_000), dec!(10), Some(day("2030-09-30"))),
                warrant(dec!(5_000_000), dec!(4), Some(day("2026-03-31"))),
            ],
            rsus: dec!(12_000_000),
            valuation_date: Some(day("2026-06-30")),
        };
        let out = sum_of_parts(&input).unwrap();
        assert_eq!(out.solutions.len(), 1);
        let e0 = dec!(300_000_000) + dec!(700_000_000) / dec!(0.065) - dec!(1_300_000_000);
        assert_abs_diff_eq!(
            Exact(out.solutions[0].value_per_share),
            Exact((e0 - dec!(900_000_000) + dec!(730_000_000)) / dec!(475_000_000)),
            epsilon = dec!(0.000000001)
        );
        assert_eq!(out.solutions[0].value_per_share.round_dp(4), dec!(20.2089));
    }

    /// A 2 × 2 make-whole table for a note converting at $50 (20 shares per
    /// $1,000): effective dates 2026-01-01 and 2027-01-01, prices $20 and
    /// $40, 30 and 20 additional shares on the first date (10 and 0 on the
    /// second); the total rate capped at `max_rate`.
    fn made_whole(max_rate: Decimal, cause: MakeWholeCause) -> ConvertibleNote {
        let mut n = note(dec!(1_000), dec!(50), Settlement::Physical);
        let table = MakeWholeTable::new(
            crate::convertible::make_whole::MakeWholeFields {
                effective_dates: vec![day("2026-01-01"), day("2027-01-01")],
                stock_prices: vec![dec!(20), dec!(40)],
                additional_shares_per_1000: vec![vec![dec!(30), dec!(20)], vec![dec!(10), dec!(0)]],
                max_conversion_rate: max_rate,
            },
            n.terms.conversion_rate(),
        )
        .unwrap();
        n.make_whole = Some(MakeWholeEvent {
            table,
            date: day("2026-01-01"),
            cause,
        });
        n
    }

    #[test]
    fn a_call_between_the_table_prices_solves_the_quadratic_of_the_extra_shares() {
        // In thousands: 100 basic shares, $1,000 of notes at 20 per $1,000
        // (N = 20, K = $50), E₀ = 4,350. On the first date, between $20 and
        // $40, m(V) = 30 − (V − 20) × 10 / 20 = 40 − V / 2 per $1,000, so the
        // issue converts into N + M = 20 + 40 − V / 2 = 60 − V / 2 shares:
        // (60 − V/2) × V ≥ 1,000 holds on all of [20, 40] (its roots are 20 and 100).
        // Converted: V × (100 + 60 − V/2) = 4,350  ⇔  V² − 320 V + 8,700 = 0,
        //   V = 160 − √(25,600 − 8,700) = 160 − 130 = 30 (the other root, 290,
        //   is off the table, where m = 0).
        // Elsewhere nothing is consistent: as debt V = 3,350 / 100 = 33.5, in
        // [20, 40] where the note converts; converted above $40 (m = 0, so
        // only from K = 50): V = 4,350 / 120 = 36.25 < 50.
        let out = sum_of_parts(&simple(
            dec!(4_350),
            vec![made_whole(dec!(60), MakeWholeCause::Call)],
        ))
        .unwrap();
        assert_eq!(out.solutions.len(), 1);
        let s = &out.solutions[0];
        assert_abs_diff_eq!(
            Exact(s.value_per_share),
            Exact(dec!(30)),
            epsilon = PER_SHARE_ABS
        );
        assert_eq!(s.notes[0].regime, Regime::Converted);
        // m(30) = 25: 25 × 1 = 25 thousand extra shares, 45 in all, 145 diluted.
        assert_abs_diff_eq!(
            Exact(s.notes[0].additional_shares_per_1000),
            Exact(dec!(25)),
            epsilon = PER_SHARE_ABS
        );
        assert_abs_diff_eq!(
            Exact(s.notes[0].make_whole_shares),
            Exact(dec!(25) * THOUSAND),
            epsilon = PER_SHARE_ABS
        );
        assert_abs_diff_eq!(
            Exact(s.notes[0].shares_issued),
            Exact(dec!(45) * THOUSAND),
            epsilon = PER_SHARE_ABS
        );
        assert_abs_diff_eq!(
            Exact(s.diluted_shares),
            Exact(dec!(145) * THOUSAND),
            epsilon = PER_SHARE_ABS
        );
        // Without the event the note is debt: V = 33.5.
        let mut plain = made_whole(dec!(60), MakeWholeCause::Call);
        plain.make_whole = None;
        let out = sum_of_parts(&simple(dec!(4_350), vec![plain])).unwrap();
        assert_eq!(out.solutions[0].value_per_share, dec!(33.5));
    }

    #[test]
    fn above_the_tables_last_price_a_conversion_gets_no_extra_shares() {
        // E₀ = 12,000: converted from K = 50 with m = 0 above $40,
        // V = 12,000 / (100 + 20) = 100.
        let out = sum_of_parts(&simple(
            dec!(12_000),
            vec![made_whole(dec!(60), MakeWholeCause::FundamentalChange)],
        ))
        .unwrap();
        assert_eq!(out.solutions.len(), 1);
        let s = &out.solutions[0];
        assert_eq!(s.value_per_share, dec!(100));
        assert_eq!(s.notes[0].additional_shares_per_1000, Decimal::ZERO);
        assert_eq!(s.notes[0].make_whole_shares, Decimal::ZERO);
        assert_eq!(s.notes[0].shares_issued, dec!(20) * THOUSAND);
    }

    #[test]
    fn at_the_cap_a_conversion_gets_the_maximum_rate() {
        // max rate 45: at most 25 extra. 40 − V/2 ≥ 25 below V = 30 (a cut the
        // solver adds), so on [20, 30] the issue converts into 45 shares and
        // 45 V ≥ 1,000 holds. E₀ = 3,770: V × (100 + 45) = 3,770, V = 26.
        // On [30, 40] V² − 320 V + 7,540 = 0 gives 160 − √18,060 = 25.61…,
        // outside; as debt V = 2,770 / 100 = 27.7, where 45 × 27.7 ≥ 1,000
        // converts: not consistent.
        let out = sum_of_parts(&simple(
            dec!(3_770),
            vec![made_whole(dec!(45), MakeWholeCause::Call)],
        ))
        .unwrap();
        assert_eq!(out.solutions.len(), 1);
        let s = &out.solutions[0];
        assert_abs_diff_eq!(
            Exact(s.value_per_share),
            Exact(dec!(26)),
            epsilon = PER_SHARE_ABS
        );
        assert_eq!(s.notes[0].additional_shares_per_1000, dec!(25));
        assert_eq!(s.notes[0].shares_issued, dec!(45) * THOUSAND);
    }

    #[test]
    fn ten_million_warrants_at_twenty_with_the_value_at_thirty_add_a_third_of_ten_million() {
        // E = $3.1B, B = 100M, 10M warrants at K = $20.
        // Treasury-stock method at V: the proceeds 10M × $20 = $200M buy back
        // 200M / V shares, so the warrants add 10M − 200M / V = 10M × (V − 20) / V.
        // Fixed point, V > 20:  V × (100M + 10M × (V − 20) / V) = 3.1B
        //   ⇔ 100M × V + 10M × V − 200M = 3.1B  ⇔  110M × V = 3.3B  ⇔  V = 30.
        // Check: 10M × (30 − 20) / 30 = 3,333,333.33… shares;
        //   3.1B / 103,333,333.33… = 30. The fixed point holds.
        let out =
            sum_of_parts(&warranted(vec![warrant(dec!(10_000_000), dec!(20), None)])).unwrap();
        assert_eq!(out.solutions.len(), 1);
        let s = &out.solutions[0];
        assert_abs_diff_eq!(
            Exact(s.value_per_share),
            Exact(dec!(30)),
            epsilon = PER_SHARE_ABS
        );
        assert_abs_diff_eq!(
            Exact(s.warrants[0].shares_added),
            Exact(dec!(10_000_000) / dec!(3)),
            epsilon = PER_SHARE_ABS
        );
        assert_abs_diff_eq!(
            Exact(s.diluted_shares),
            Exact(dec!(100_000_000) + dec!(10_000_000) / dec!(3)),
            epsilon = PER_SHARE_ABS
        );
        assert_abs_diff_eq!(
            Exact(s.equity_value / s.diluted_shares),
            Exact(s.value_per_share),
            epsilon = PER_SHARE_ABS
        );
    }

    #[test]
    fn out_of_the_money_or_expired_warrants_add_no_shares() {
        // Without the warrants V = 3.1B / 100M = 31: a $40 strike is out of the money.
        let out =
            sum_of_parts(&warranted(vec![warrant(dec!(10_000_000), dec!(40), None)])).unwrap();
        assert_eq!(out.solutions[0].value_per_share, dec!(31));
        assert_eq!(out.solutions[0].warrants[0].shares_added, dec!(0));

        // The $20 warrants of the hand case, expired the day before the valuation.
        let mut input = warranted(vec![warrant(
            dec!(10_000_000),
            dec!(20),
            Some(day("2026-06-29")),
        )]);
        input.valuation_date = Some(day("2026-06-30"));
        let s = &sum_of_parts(&input).unwrap().solutions[0];
        assert!(s.warrants[0].expired);
        assert_eq!(s.value_per_share, dec!(31));

        // On their expiry date they can still be exercised: V = 30 as above.
        input.valuation_date = Some(day("2026-06-29"));
        let s = &sum_of_parts(&input).unwrap().solutions[0];
        assert!(!s.warrants[0].expired);
        assert_abs_diff_eq!(
            Exact(s.value_per_share),
            Exact(dec!(30)),
            epsilon = PER_SHARE_ABS
        );
    }

    #[test]
    fn an_expiry_date_without_a_valuation_date_is_refused_naming_the_warrant() {
        let input = warranted(vec![
            warrant(dec!(1), dec!(20), None),
            warrant(dec!(1), dec!(20), Some(day("2030-01-01"))),
        ]);
        assert_eq!(
            sum_of_parts(&input).unwrap_err().field(),
            Some("warrants[1].expiry_date")
        );
    }

    #[test]
    fn rsus_always_add_their_count() {
        // 3.1B / (100M + 24M) = 25, and a $30 warrant stays out of the money at 25.
        let mut input = warranted(vec![warrant(dec!(10_000_000), dec!(30), None)]);
        input.rsus = dec!(24_000_000);
        let s = &sum_of_parts(&input).unwrap().solutions[0];
        assert_eq!(s.value_per_share, dec!(25));
        assert_eq!(s.diluted_shares, dec!(124_000_000));
    }

    /// The converting note of the settlement test (E₀ = 1,000, B = 100,
    /// P = 200, K = 5, N = 40, in thousands) with a capped call from the
    /// conversion price to a $10 cap.
    fn hedged(settlement: Settlement) -> SotpInput {
        let mut n = note(dec!(200), dec!(5), settlement);
        n.capped_calls = vec![CappedCall::new(&n.terms, dec!(10), None).unwrap()];
        simple(dec!(1000), vec![n])
    }

    #[test]
    fn a_capped_call_hands_back_shares_inside_the_fixed_point() {
        // Converted, 5 < V < 10: the call pays 40 × (V − 5) and hands back 40 × (V − 5) / V.
        // V × (140 − 40 × (V − 5) / V) = 1,000  ⇔  140 V − 40 V + 200 = 1,000  ⇔  V = 8.
        // Payoff 40 × 3 = 120 (thousand USD), handed back 120 / 8 = 15 (thousand shares);
        // diluted 100 + 40 − 15 = 125 and 1,000 / 125 = 8: the fixed point holds.
        // Without the call V would be 1,000 / 140 = 7.14.
        let out = sum_of_parts(&hedged(Settlement::Physical)).unwrap();
        assert_eq!(out.solutions.len(), 1);
        let s = &out.solutions[0];
        assert_eq!(s.notes[0].regime, Regime::Converted);
        assert_abs_diff_eq!(
            Exact(s.value_per_share),
            Exact(dec!(8)),
            epsilon = PER_SHARE_ABS
        );
        assert_abs_diff_eq!(
            Exact(s.notes[0].capped_call_payoff),
            Exact(dec!(120) * THOUSAND),
            epsilon = PER_SHARE_ABS
        );
        assert_abs_diff_eq!(
            Exact(s.notes[0].capped_call_shares_handed_back),
            Exact(dec!(15) * THOUSAND),
            epsilon = PER_SHARE_ABS
        );
        assert_abs_diff_eq!(
            Exact(s.diluted_shares),
            Exact(dec!(125) * THOUSAND),
            epsilon = PER_SHARE_ABS
        );
    }

    #[test]
    fn under_cash_settlement_the_capped_call_pays_cash_and_gives_the_same_value() {
        // Converted at V = 8: the notes take 40 × 8 = 320 in cash, the call pays 120;
        // equity 1,000 − 320 + 120 = 800 over 100 shares = 8.
        let s = &sum_of_parts(&hedged(Settlement::Cash)).unwrap().solutions[0];
        assert_abs_diff_eq!(
            Exact(s.value_per_share),
            Exact(dec!(8)),
            epsilon = PER_SHARE_ABS
        );
        assert_eq!(s.notes[0].capped_call_shares_handed_back, dec!(0));
        assert_abs_diff_eq!(
            Exact(s.equity_value),
            Exact(dec!(800) * THOUSAND),
            epsilon = PER_SHARE_ABS
        );
        assert_eq!(
            s.waterfall.last().unwrap().label,
            "capped call on notes (paid in cash)"
        );
    }

    #[test]
    fn a_capped_call_above_its_cap_pays_the_capped_amount() {
        // Cap $6: above it the call pays 40 × (6 − 5) = 40 whatever V.
        // 140 V = 1,000 + 40  ⇔  V = 1,040 / 140 = 7.428571… ≥ 6.
        let mut n = note(dec!(200), dec!(5), Settlement::Physical);
        n.capped_calls = vec![CappedCall::new(&n.terms, dec!(6), None).unwrap()];
        let s = &sum_of_parts(&simple(dec!(1000), vec![n]))
            .unwrap()
            .solutions[0];
        assert_abs_diff_eq!(
            Exact(s.value_per_share),
            Exact(dec!(1040) / dec!(140)),
            epsilon = PER_SHARE_ABS
        );
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
            it_capacity_mw: None,
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
            it_capacity_mw: None,
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
            it_capacity_mw: None,
        }];
        assert_eq!(
            sum_of_parts(&input).unwrap_err().field(),
            Some("data_centers[0].remaining_capex")
        );
    }

    #[test]
    fn a_gpu_cloud_site_is_worth_its_npv_and_counts_its_megawatts() {
        // The GPU-cloud module's hand-built fleet: NPV $1,576,812.19 (see its
        // test), $25M of GPUs bought at year 0, 1,000 GPUs × 1.4 kW = 1.4 MW.
        let mut input = simple(dec!(0), vec![]);
        input.data_centers = vec![Site {
            name: "GPU cloud".into(),
            method: SiteMethod::GpuCloud(Box::new(crate::gpu_cloud::tests::small_fleet())),
            remaining_capex: Usd::ZERO,
            it_capacity_mw: None,
        }];
        let out = sum_of_parts(&input).unwrap();
        let site = &out.sites[0];
        assert_eq!(site.value.round_dp(2), dec!(1_576_812.19));
        assert_eq!(site.remaining_capex, dec!(25_000_000));
        assert_eq!(site.gross_value.round_dp(2), dec!(26_576_812.19));
        assert_eq!(out.enterprise_value, site.value);
        assert_eq!(
            out.ev_per_it_mw.map(|v| v.round_dp(2)),
            Some((site.value / dec!(1.4)).round_dp(2))
        );
        input.data_centers[0].it_capacity_mw = Some(Megawatts::new(dec!(2)).unwrap());
        assert_eq!(
            sum_of_parts(&input).unwrap_err().field(),
            Some("data_centers[0].it_capacity_mw")
        );
    }

    #[test]
    fn the_unit_multiples_divide_the_enterprise_value() {
        // EV = 50 × $30M + (400M × 8 − 2.5B) = $2.2B over 50 EH/s = $44M per EH/s;
        // with Sandersville's 250 MW: 2.2B / 250 = $8.8M per MW.
        let mut input = cleanspark(dec!(30_000_000), dec!(8));
        assert_eq!(sum_of_parts(&input).unwrap().ev_per_it_mw, None);
        input.data_centers[0].it_capacity_mw = Some(Megawatts::new(dec!(250)).unwrap());
        let out = sum_of_parts(&input).unwrap();
        assert_eq!(out.ev_per_ehs, Some(dec!(44_000_000)));
        assert_eq!(out.ev_per_it_mw, Some(dec!(8_800_000)));
        assert_eq!(
            sum_of_parts(&simple(dec!(1), vec![])).unwrap().ev_per_ehs,
            None
        );
    }

    /// The CleanSpark scenario's 50 EH/s over two years of a 1,000 EH/s
    /// network at its difficulty, 3.125 BTC a block, no halving, no fees.
    fn with_projection(fleet_ehs: Decimal) -> SotpInput {
        let mut input = cleanspark(dec!(30_000_000), dec!(8));
        input.mining_projection = Some(ProjectionInput {
            start_date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            months: mining::ProjectionMonths::new(24).unwrap(),
            fleet: mining::ProjectionFleet::Single {
                fleet: Hashrate::new(fleet_ehs).unwrap(),
                additions_ehs: vec![],
                efficiency: None,
            },
            ..crate::mining::tests::projection_input()
        });
        input
    }

    #[test]
    fn the_fleet_life_divides_bitcoin_mined_by_the_fleet_and_the_mining_value_by_bitcoin() {
        // 50 / 1,000 of 144 blocks a day × 730 days × 3.125 BTC = 16,425 BTC over
        // 50,000 PH/s: 0.3285 BTC per PH/s; mining 50 × $30M = $1.5B / 16,425 BTC =
        // $91,324.20 per BTC.
        let out = sum_of_parts(&with_projection(dec!(50))).unwrap();
        let life = out.fleet_life.unwrap();
        assert_abs_diff_eq!(Exact(life.btc_mined), Exact(dec!(16425)), epsilon = BTC_ABS);
        assert_abs_diff_eq!(
            Exact(life.btc_mined_per_phs.unwrap()),
            Exact(dec!(0.3285)),
            epsilon = BTC_ABS
        );
        // 1,500,000,000 / 16,425 = 91,324.200913242009…
        assert_abs_diff_eq!(
            Exact(out.mining_value_per_btc_mined.unwrap()),
            Exact(dec!(91324.200913242)),
            epsilon = CENT_ABS
        );
        // The multiples sit beside the valuation and leave it alone.
        let plain = sum_of_parts(&cleanspark(dec!(30_000_000), dec!(8))).unwrap();
        assert_eq!(out.solutions, plain.solutions);
        assert_eq!(plain.fleet_life, None);
        assert_eq!(plain.mining_value_per_btc_mined, None);
    }

    #[test]
    fn valued_by_ebitda_the_projection_still_gives_ev_per_ehs() {
        // EBITDA $250M × 6 = $1.5B, as 50 × $30M: EV $2.2B over the projection's
        // 50 EH/s = $44M per EH/s.
        let mut input = with_projection(dec!(50));
        input.mining = Some(MiningValuation::EbitdaMultiple {
            ebitda: usd(dec!(250_000_000)),
            multiple: Multiple::new(dec!(6)).unwrap(),
        });
        assert_eq!(
            sum_of_parts(&input).unwrap().ev_per_ehs,
            Some(dec!(44_000_000))
        );
        input.mining_projection = None;
        assert_eq!(sum_of_parts(&input).unwrap().ev_per_ehs, None);
    }

    #[test]
    fn a_projection_of_another_fleet_than_the_segment_hashrate_is_refused() {
        let err = sum_of_parts(&with_projection(dec!(40))).unwrap_err();
        assert_eq!(err.field(), Some("mining.hashrate_ehs"));
        assert!(matches!(err, CoreError::Inconsistent { .. }));
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
                probability: None,
            },
            Scenario {
                name: "base".into(),
                input: cleanspark(dec!(30_000_000), dec!(8)),
                probability: None,
            },
            Scenario {
                name: "bull".into(),
                input: cleanspark(dec!(60_000_000), dec!(15)),
                probability: None,
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
                probability: None,
            },
            Scenario {
                name: "bad".into(),
                input: bad,
                probability: None,
            },
        ])
        .unwrap_err();
        assert_eq!(err.field(), Some("scenarios[1].buyback"));
    }

    fn weighted(probabilities: [Option<Decimal>; 3]) -> Result<Option<Decimal>> {
        // Values per share 31, 30 (the warrant hand case) and 25 (the RSU case).
        let inputs = [
            warranted(vec![]),
            warranted(vec![warrant(dec!(10_000_000), dec!(20), None)]),
            SotpInput {
                rsus: dec!(24_000_000),
                ..warranted(vec![])
            },
        ];
        let list: Vec<Scenario> = inputs
            .into_iter()
            .zip(probabilities)
            .map(|(input, p)| Scenario {
                name: "s".into(),
                input,
                probability: p.map(|p| Fraction::new(p).unwrap()),
            })
            .collect();
        let out = scenarios(&list)?;
        probability_weighted(&list, &out)
    }

    #[test]
    fn probabilities_weight_the_values_per_share() {
        // 0.25 × 31 + 0.5 × 30 + 0.25 × 25 = 7.75 + 15 + 6.25 = 29.
        let v = weighted([Some(dec!(0.25)), Some(dec!(0.5)), Some(dec!(0.25))])
            .unwrap()
            .unwrap();
        assert_abs_diff_eq!(Exact(v), Exact(dec!(29)), epsilon = PER_SHARE_ABS);
        assert_eq!(weighted([None, None, None]).unwrap(), None);
    }

    #[test]
    fn probabilities_given_for_some_or_not_adding_up_to_one_are_refused() {
        let some = weighted([Some(dec!(0.5)), None, Some(dec!(0.5))]).unwrap_err();
        assert_eq!(some.field(), Some("scenarios[1].probability"));
        let short = weighted([Some(dec!(0.25)), Some(dec!(0.5)), Some(dec!(0.2))]).unwrap_err();
        assert_eq!(short.field(), Some("scenarios[2].probability"));
        // Thirds to ten decimals are within the tolerance.
        let third = Some(dec!(0.3333333333));
        assert!(weighted([third, third, third]).unwrap().is_some());
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
            mining_projection: None,
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
                it_capacity_mw: None,
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
            warrants: vec![],
            rsus: Decimal::ZERO,
            valuation_date: None,
        }
    }

    fn value_per_share(input: &SotpInput) -> Decimal {
        let out = sum_of_parts(input).unwrap();
        assert_eq!(out.solutions.len(), 1, "notes at par have one fixed point");
        out.solutions[0].value_per_share
    }

    #[test]
    fn two_notes_at_one_conversion_price_with_a_capped_call_have_one_answer() {
        // Found by the proptest below: the regime "one of the two converts"
        // spans the empty range [6.61, 6.61), which used to divide by its zero
        // width. By hand: no cash, $2,000 of notes that do not convert and
        // 100,000 shares, so V = (0 − 2,000) / 100,000 = −0.02.
        let mut a = note(dec!(1), dec!(6.61), Settlement::Physical);
        let b = a.clone();
        let lower = a.terms.parity_price();
        a.capped_calls = vec![CappedCall::new(&a.terms, lower + dec!(0.01), None).unwrap()];
        assert_eq!(
            value_per_share(&simple(Decimal::ZERO, vec![a, b])),
            dec!(-0.02)
        );
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
        fn warrants_rsus_and_capped_calls_keep_one_fixed_point_that_holds(
            equity in 0u64..10_000,
            notes in arb_notes(),
            warrants in prop::collection::vec((1u64..50, 1u64..5_000), 0..4),
            rsus in 0u64..50,
            caps in prop::collection::vec(1u64..5_000, 0..4),
        ) {
            // Capped calls on at most 4 × 2,000 / 0.01… shares could exceed the
            // 100 basic; keep their notes small so B > Σ N under the calls.
            let mut notes = notes;
            for (n, cap) in notes.iter_mut().zip(&caps) {
                let lower = n.terms.parity_price();
                let cap = lower + Decimal::from(*cap) / dec!(100);
                if n.terms.shares_underlying() < dec!(20) * THOUSAND {
                    n.capped_calls = vec![CappedCall::new(&n.terms, cap, None).unwrap()];
                }
            }
            let mut input = simple(Decimal::from(equity), notes);
            input.rsus = Decimal::from(rsus) * THOUSAND;
            input.warrants = warrants
                .iter()
                .map(|(c, k)| warrant(Decimal::from(*c) * THOUSAND, Decimal::from(*k) / dec!(100), None))
                .collect();
            let out = sum_of_parts(&input).unwrap();
            prop_assert_eq!(out.solutions.len(), 1);
            let s = &out.solutions[0];
            let v = s.value_per_share;
            // The fixed point: re-deriving each count at V gives V back.
            let mut shares = dec!(100) * THOUSAND + input.rsus;
            for w in &input.warrants {
                if v > w.strike.get() {
                    shares += w.count.get() * (v - w.strike.get()) / v;
                }
            }
            for (n, o) in input.convertibles.iter().zip(&s.notes) {
                shares += o.shares_issued;
                if let Some(cc) = n.capped_calls.first() {
                    let paid = n.terms.shares_underlying()
                        * (v.min(cc.cap_price()) - cc.lower_strike()).max(Decimal::ZERO);
                    if n.settlement != Settlement::Cash {
                        shares -= paid / v;
                    }
                }
            }
            prop_assert!(abs_diff_eq!(Exact(s.diluted_shares), Exact(shares), epsilon = PER_SHARE_ABS));
            prop_assert!(abs_diff_eq!(Exact(s.equity_value / shares), Exact(v), epsilon = PER_SHARE_ABS));
        }

        #[test]
        fn make_whole_solutions_hold_when_the_shares_are_rederived_at_v(
            equity in 0u64..20_000,
            price in 10u64..80,
            lowest in 1u64..40,
            width in 1u64..60,
            entries in prop::array::uniform4(0u64..60),
            headroom in 0u64..80,
            settlement in arb_settlement(),
            others in arb_notes(),
        ) {
            let mut n = note(dec!(1_000), Decimal::from(price), settlement);
            let rate = n.terms.conversion_rate();
            let table = MakeWholeTable::new(
                crate::convertible::make_whole::MakeWholeFields {
                    effective_dates: vec![day("2026-01-01"), day("2027-01-01")],
                    stock_prices: vec![Decimal::from(lowest), Decimal::from(lowest + width)],
                    additional_shares_per_1000: vec![
                        vec![Decimal::from(entries[0]), Decimal::from(entries[1])],
                        vec![Decimal::from(entries[2]), Decimal::from(entries[3])],
                    ],
                    max_conversion_rate: rate + Decimal::from(headroom),
                },
                rate,
            )
            .unwrap();
            // Half way through the year: the date interpolation is exercised too.
            let date = day("2026-07-02");
            n.make_whole = Some(MakeWholeEvent { table: table.clone(), date, cause: MakeWholeCause::Call });
            let mut notes = vec![n];
            notes.extend(others);
            let input = simple(Decimal::from(equity), notes);
            let out = match sum_of_parts(&input) {
                Ok(out) => out,
                // The extra shares jump at the table's ends, so g can jump
                // over zero there: no consistent V is then a true answer.
                Err(CoreError::NoSolution { .. }) => return Ok(()),
                Err(e) => return Err(TestCaseError::fail(e.to_string())),
            };
            for s in &out.solutions {
                let v = s.value_per_share;
                let mut shares = dec!(100) * THOUSAND;
                let mut equity_left = Decimal::from(equity) * THOUSAND;
                for (k, (note, o)) in input.convertibles.iter().zip(&s.notes).enumerate() {
                    let p = note.terms.principal();
                    let n = note.terms.shares_underlying();
                    // The table's own interpolation at V, read directly.
                    let m = if k == 0 {
                        table.additional_shares_per_1000(date, v).unwrap() * p / THOUSAND
                    } else {
                        Decimal::ZERO
                    };
                    let converts = v >= note.terms.parity_price() || (m > Decimal::ZERO && (n + m) * v >= p);
                    prop_assert_eq!(o.regime == Regime::Converted, converts, "note {} at V = {}", k, v);
                    if !converts {
                        equity_left -= p;
                        continue;
                    }
                    match note.settlement {
                        Settlement::Physical => shares += n + m,
                        Settlement::NetShare => {
                            shares += n + m - p / v;
                            equity_left -= p;
                        }
                        Settlement::Cash => equity_left -= (n + m) * v,
                    }
                }
                // The root comes from a square root in 28 digits: 1e-9 a
                // share is well inside the 4 decimals reported.
                prop_assert!(abs_diff_eq!(Exact(s.diluted_shares), Exact(shares), epsilon = dec!(0.000001)),
                    "{} vs {}", s.diluted_shares, shares);
                prop_assert!(abs_diff_eq!(Exact(equity_left / shares), Exact(v), epsilon = dec!(0.000000001)),
                    "{} vs {}", equity_left / shares, v);
            }
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

    #[test]
    fn prefix_field_prefixes_every_field_each_variant_names() {
        let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 1, d).unwrap();
        let at = "scenarios[2].data_centers[0].development.";
        // (what the nested input answers, what the outer request must answer)
        let cases = vec![
            (
                CoreError::invalid("cost_per_mw", ValueError::Empty),
                CoreError::invalid(
                    "scenarios[2].data_centers[0].development.cost_per_mw",
                    ValueError::Empty,
                ),
            ),
            (
                CoreError::Inconsistent {
                    field: "leases[1].it_mw".into(),
                    reason: "why",
                },
                CoreError::Inconsistent {
                    field: "scenarios[2].data_centers[0].development.leases[1].it_mw".into(),
                    reason: "why",
                },
            ),
            (
                CoreError::DateOrder {
                    field: "cohorts[0].purchase_date".into(),
                    date: day(2),
                    relation: "on or before",
                    other_field: "start_date",
                    other: day(1),
                },
                CoreError::DateOrder {
                    field: "scenarios[2].data_centers[0].development.cohorts[0].purchase_date"
                        .into(),
                    date: day(2),
                    relation: "on or before",
                    other_field: "start_date",
                    other: day(1),
                },
            ),
            (
                CoreError::exactly_one_of(
                    &["rate_per_kw_month", "noi+cap_rate"],
                    &["rate_per_kw_month", "noi+cap_rate"],
                ),
                CoreError::ExactlyOneOf {
                    expected: vec![
                        "scenarios[2].data_centers[0].development.rate_per_kw_month".into(),
                        "scenarios[2].data_centers[0].development.noi+scenarios[2].data_centers[0].development.cap_rate".into(),
                    ],
                    given: vec![
                        "scenarios[2].data_centers[0].development.rate_per_kw_month".into(),
                        "scenarios[2].data_centers[0].development.noi+scenarios[2].data_centers[0].development.cap_rate".into(),
                    ],
                },
            ),
            (
                CoreError::exactly_one_of(&["a", "b"], &[]),
                CoreError::ExactlyOneOf {
                    expected: vec![
                        "scenarios[2].data_centers[0].development.a".into(),
                        "scenarios[2].data_centers[0].development.b".into(),
                    ],
                    given: vec![],
                },
            ),
            (
                CoreError::missing_dependency("stabilized_occupancy", "months_to_stabilize"),
                CoreError::MissingDependency {
                    field: "scenarios[2].data_centers[0].development.stabilized_occupancy".into(),
                    requires: "scenarios[2].data_centers[0].development.months_to_stabilize"
                        .into(),
                },
            ),
            // Errors that name no request field are left as they are.
            (
                CoreError::Overflow { quantity: "npv" },
                CoreError::Overflow { quantity: "npv" },
            ),
            (
                CoreError::NoSolution {
                    quantity: "irr",
                    reason: "r",
                },
                CoreError::NoSolution {
                    quantity: "irr",
                    reason: "r",
                },
            ),
        ];
        for (nested, outer) in cases {
            assert_eq!(prefix_field(nested, at), outer);
        }
        // The words say the path too.
        let err = prefix_field(
            CoreError::missing_dependency("stabilized_occupancy", "months_to_stabilize"),
            "project.",
        );
        assert_eq!(
            err.to_string(),
            "`project.stabilized_occupancy` requires `project.months_to_stabilize`"
        );
        assert_eq!(err.field(), Some("project.stabilized_occupancy"));
        assert_eq!(
            prefix_field(CoreError::exactly_one_of(&["a", "b"], &["a", "b"]), "x.").to_string(),
            "give exactly one of `x.a`, `x.b`; got `x.a`, `x.b`"
        );
    }
}
