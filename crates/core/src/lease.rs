//! Leases as they are written: each with its tenant, IT load, start, term,
//! rent and escalator, extensions, who bears opex, and the tenant's credit.
//!
//! [`schedule`] turns a site's leases into expected rent, leased kW-months
//! and landlord opex by calendar year, which the project model
//! ([`crate::project`]) uses in place of its single-rate lease-up.
//!
//! # Conventions
//! Months are counted from month 0 of construction; lease month `j` is
//! `start_month + j`, and lease year `k = j / 12`.
//! - **Rent** of a leased month is `IT kW × rate × (1 + escalator)^k`: the
//!   escalator applies on each lease anniversary, extensions included.
//! - **Extensions.** After the `term_months`, `count` extensions of
//!   `months` each may follow. In the first `downtime_months` of each
//!   extension the space is leased with probability `renewal_probability`
//!   (the tenant renews; otherwise the space is dark for the downtime and
//!   then re-let at the same escalated rent); afterwards it is leased. The
//!   model carries the expectation: a downtime month is `renewal_probability`
//!   leased. After the last extension the space is empty.
//! - **Structure.** `TripleNet`: the tenant bears opex, the landlord none.
//!   `ModifiedGross`: the landlord bears `opex_per_kw_month` per leased kW.
//!   Project-level opex (a fraction of rent or per kW-month) applies on top
//!   under either.
//! - **Credit.** The tenant defaults at a lease anniversary with
//!   `annual_default_probability`, so it pays in lease year `k` with
//!   probability `S_k = (1 − d)^k`. Of defaulted rent, `recovery` is
//!   recovered; a backstop pays the rest until it has paid its cap, in
//!   month order. Expected rent = `rent × (S_k + (1 − S_k) × recovery) +
//!   backstop paid`. Opex and power follow the leased kW, paid or not.

use rust_decimal::Decimal;

use crate::error::{AtField, CoreError, ValueError};
use crate::num::{capped_len, within, Checked, Fraction, Megawatts, Price, Usd};
use crate::Result;

/// The most leases on one site.
pub const MAX_LEASES: usize = 50;
/// The longest lease term or extension, months.
pub const MAX_TERM_MONTHS: u32 = 600;
/// The most extensions of one lease.
pub const MAX_EXTENSIONS: u32 = 10;
/// The escalator's range, a fraction a year: ±50%.
pub const MAX_ESCALATOR: Decimal = Decimal::from_parts(5, 0, 0, false, 1);

/// Who bears the site's operating costs for the leased space.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Structure {
    /// The tenant bears (or reimburses) opex.
    TripleNet,
    /// The landlord bears opex, USD per leased kW-month.
    ModifiedGross {
        /// Opex the landlord bears, USD per leased kW per month.
        opex_per_kw_month: Usd,
    },
}

/// Renewal options.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Extensions {
    /// How many, in `[0, MAX_EXTENSIONS]`.
    pub count: u32,
    /// Months of each, in `[1, MAX_TERM_MONTHS]`.
    pub months: u32,
    /// Probability the tenant renews at each.
    pub renewal_probability: Fraction,
    /// Months dark if it does not, in `[0, months]`.
    pub downtime_months: u32,
}

/// The tenant's credit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Credit {
    /// Probability of default a year.
    pub annual_default_probability: Fraction,
    /// Share of defaulted rent recovered.
    pub recovery: Fraction,
    /// A guarantor's backstop of defaulted rent, USD in total; none is no
    /// backstop.
    pub backstop: Option<Usd>,
}

/// One lease.
#[derive(Debug, Clone, PartialEq)]
pub struct Lease {
    /// The tenant's name, for the reader.
    pub tenant: String,
    /// IT load leased.
    pub it_capacity: Megawatts,
    /// First month of rent, from month 0 of construction, in
    /// `[0, MAX_TERM_MONTHS]`.
    pub start_month: u32,
    /// Initial term, months, in `[1, MAX_TERM_MONTHS]`.
    pub term_months: u32,
    /// First-year rent, USD per kW-month.
    pub rate_per_kw_month: Price,
    /// Annual escalator, in `[-MAX_ESCALATOR, MAX_ESCALATOR]`.
    pub escalator: Decimal,
    /// Renewal options, if any.
    pub extensions: Option<Extensions>,
    /// Who bears opex.
    pub structure: Structure,
    /// The tenant's credit; none is a tenant that always pays.
    pub credit: Option<Credit>,
}

/// A site's leases by calendar year. Money in USD.
#[derive(Debug, Clone, PartialEq)]
pub struct LeaseYears {
    /// Expected rent collected (backstop included), by year.
    pub rent: Vec<Decimal>,
    /// Leased kW-months, by year.
    pub kw_months: Vec<Decimal>,
    /// Opex the landlord bears under modified-gross leases, by year.
    pub landlord_opex: Vec<Decimal>,
    /// Backstop paid, by year.
    pub backstop: Vec<Decimal>,
}

fn month_range(field: String, value: u32, min: u32, max: u32) -> Result<()> {
    if value < min {
        return Err(CoreError::invalid(
            field,
            ValueError::BelowMinimum {
                bound: min.into(),
                value: value.into(),
            },
        ));
    }
    if value > max {
        return Err(CoreError::invalid(
            field,
            ValueError::AboveMaximum {
                bound: max.into(),
                value: value.into(),
            },
        ));
    }
    Ok(())
}

/// Checks the leases against each other and the site.
pub fn check(leases: &[Lease], it_capacity: Megawatts) -> Result<()> {
    capped_len(leases, MAX_LEASES).at("leases")?;
    let mut total = Decimal::ZERO;
    for (i, lease) in leases.iter().enumerate() {
        let at = |f: &str| format!("leases[{i}].{f}");
        month_range(at("start_month"), lease.start_month, 0, MAX_TERM_MONTHS)?;
        month_range(at("term_months"), lease.term_months, 1, MAX_TERM_MONTHS)?;
        within(lease.escalator, -MAX_ESCALATOR, MAX_ESCALATOR).at(at("rent_escalator"))?;
        if let Some(e) = &lease.extensions {
            month_range(at("extensions.count"), e.count, 0, MAX_EXTENSIONS)?;
            month_range(at("extensions.months"), e.months, 1, MAX_TERM_MONTHS)?;
            month_range(
                at("extensions.downtime_months"),
                e.downtime_months,
                0,
                MAX_TERM_MONTHS,
            )?;
            if e.downtime_months > e.months {
                return Err(CoreError::Inconsistent {
                    field: at("extensions.downtime_months"),
                    reason: "the downtime is at most the extension's months",
                });
            }
        }
        total = total.add_or(lease.it_capacity.get(), "leases")?;
    }
    if total > it_capacity.get() {
        return Err(CoreError::Inconsistent {
            field: "leases".into(),
            reason: "the leases' it_capacity_mw add up to more than it_capacity_mw",
        });
    }
    Ok(())
}

/// The leased share of lease month `j` (1, a renewal probability, or 0).
fn leased(lease: &Lease, j: u32) -> Decimal {
    if j < lease.term_months {
        return Decimal::ONE;
    }
    let Some(e) = &lease.extensions else {
        return Decimal::ZERO;
    };
    let after = j - lease.term_months;
    if after / e.months >= e.count {
        return Decimal::ZERO;
    }
    if after % e.months < e.downtime_months {
        e.renewal_probability.get()
    } else {
        Decimal::ONE
    }
}

/// Expected rent, leased kW-months and landlord opex of `years` calendar
/// years (see the module docs).
pub fn schedule(leases: &[Lease], years: u32) -> Result<LeaseYears> {
    schedule_by(leases, years, 12)
}

/// [`schedule`] by periods of `period_months` months (12 or 1): `periods`
/// of them.
pub fn schedule_by(leases: &[Lease], periods: u32, period_months: u32) -> Result<LeaseYears> {
    let n = periods as usize;
    let period_months = period_months.max(1);
    let mut out = LeaseYears {
        rent: vec![Decimal::ZERO; n],
        kw_months: vec![Decimal::ZERO; n],
        landlord_opex: vec![Decimal::ZERO; n],
        backstop: vec![Decimal::ZERO; n],
    };
    let end_month = periods
        .checked_mul(period_months)
        .ok_or(CoreError::Overflow { quantity: "leases" })?;
    for lease in leases {
        let kw = lease.it_capacity.kw()?;
        let monthly = kw.mul_or(lease.rate_per_kw_month.get(), "rent")?;
        let growth = Decimal::ONE.add_or(lease.escalator, "rent")?;
        let default_survival = lease.credit.map(|c| {
            (
                Decimal::ONE - c.annual_default_probability.get(),
                c.recovery.get(),
            )
        });
        let mut backstop_left = lease
            .credit
            .and_then(|c| c.backstop)
            .map_or(Decimal::ZERO, Usd::get);
        let opex_rate = match lease.structure {
            Structure::TripleNet => Decimal::ZERO,
            Structure::ModifiedGross { opex_per_kw_month } => opex_per_kw_month.get(),
        };
        let (mut escalation, mut survival) = (Decimal::ONE, Decimal::ONE);
        for month in lease.start_month..end_month {
            let j = month - lease.start_month;
            if j > 0 && j % 12 == 0 {
                escalation = escalation.mul_or(growth, "rent")?;
                if let Some((s, _)) = default_survival {
                    survival = survival.mul_or(s, "rent")?;
                }
            }
            let share = leased(lease, j);
            if share.is_zero() {
                continue;
            }
            let year = (month / period_months) as usize;
            let contract = monthly.mul_or(escalation, "rent")?.mul_or(share, "rent")?;
            let (rent, backstop) = match default_survival {
                None => (contract, Decimal::ZERO),
                Some((_, recovery)) => {
                    let paid = contract.mul_or(survival, "rent")?;
                    let defaulted = contract.sub_or(paid, "rent")?;
                    let recovered = defaulted.mul_or(recovery, "rent")?;
                    let unrecovered = defaulted.sub_or(recovered, "rent")?;
                    let backstop = unrecovered.min(backstop_left);
                    backstop_left = backstop_left.sub_or(backstop, "backstop")?;
                    (paid.add_or(recovered, "rent")?, backstop)
                }
            };
            let kw_months = kw.mul_or(share, "kw_months")?;
            if let (Some(r), Some(k), Some(o), Some(b)) = (
                out.rent.get_mut(year),
                out.kw_months.get_mut(year),
                out.landlord_opex.get_mut(year),
                out.backstop.get_mut(year),
            ) {
                *r = r.add_or(rent.add_or(backstop, "rent")?, "rent")?;
                *k = k.add_or(kw_months, "kw_months")?;
                *o = o.add_or(kw_months.mul_or(opex_rate, "opex")?, "opex")?;
                *b = b.add_or(backstop, "backstop")?;
            }
        }
    }
    Ok(out)
}

/// First-year rent a year of all leases, fully leased and paid, USD, and
/// the landlord's opex a year on them.
pub fn stabilized(leases: &[Lease]) -> Result<(Decimal, Decimal, Decimal)> {
    let twelve = Decimal::from(12);
    let (mut rent, mut kw_months, mut opex) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for lease in leases {
        let kw = lease.it_capacity.kw()?;
        let k = kw.mul_or(twelve, "stabilized_arr")?;
        rent = rent.add_or(
            k.mul_or(lease.rate_per_kw_month.get(), "stabilized_arr")?,
            "stabilized_arr",
        )?;
        kw_months = kw_months.add_or(k, "stabilized_arr")?;
        if let Structure::ModifiedGross { opex_per_kw_month } = lease.structure {
            opex = opex.add_or(
                k.mul_or(opex_per_kw_month.get(), "stabilized_noi")?,
                "stabilized_noi",
            )?;
        }
    }
    Ok((rent, kw_months, opex))
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn lease() -> Lease {
        Lease {
            tenant: "Tenant".into(),
            it_capacity: Megawatts::new(dec!(1)).unwrap(),
            start_month: 0,
            term_months: 24,
            rate_per_kw_month: Price::new(dec!(100)).unwrap(),
            escalator: dec!(0.1),
            extensions: None,
            structure: Structure::TripleNet,
            credit: None,
        }
    }

    #[test]
    fn a_two_year_lease_escalates_on_its_anniversary_and_ends() {
        // 1,000 kW × $100 × 12 = 1,200,000; year 1 × 1.1 = 1,320,000; then 0.
        let out = schedule(&[lease()], 3).unwrap();
        assert_eq!(out.rent, vec![dec!(1200000), dec!(1320000), Decimal::ZERO]);
        assert_eq!(out.kw_months[0], dec!(12000));
    }

    #[test]
    fn an_extension_with_downtime_carries_the_renewal_probability() {
        // One 12-month extension after 24 months, 6 months of downtime at
        // 75% renewal: year 2 = 1,000 × 100 × 1.21 × (6 × 0.75 + 6) =
        // 121,000 × 10.5 = 1,270,500.
        let mut l = lease();
        l.extensions = Some(Extensions {
            count: 1,
            months: 12,
            renewal_probability: Fraction::new(dec!(0.75)).unwrap(),
            downtime_months: 6,
        });
        let out = schedule(&[l], 4).unwrap();
        assert_eq!(out.rent[2], dec!(1270500));
        assert_eq!(out.rent[3], Decimal::ZERO);
    }

    #[test]
    fn a_backstop_covers_unrecovered_defaulted_rent_up_to_its_cap() {
        // 10% default a year, 40% recovery: in year 1 the tenant pays with
        // probability 0.9, so 1,320,000 × 0.1 = 132,000 a year defaults,
        // 52,800 is recovered and 79,200 is unrecovered; a 50,000 backstop
        // covers 50,000 of it. Rent = 1,188,000 + 52,800 + 50,000.
        let mut l = lease();
        l.credit = Some(Credit {
            annual_default_probability: Fraction::new(dec!(0.1)).unwrap(),
            recovery: Fraction::new(dec!(0.4)).unwrap(),
            backstop: Some(Usd::new(dec!(50000)).unwrap()),
        });
        let out = schedule(&[l], 2).unwrap();
        assert_eq!(out.rent[0], dec!(1200000));
        assert_eq!(out.rent[1], dec!(1290800));
        assert_eq!(out.backstop[1], dec!(50000));
    }

    #[test]
    fn modified_gross_leaves_the_opex_with_the_landlord() {
        let mut l = lease();
        l.structure = Structure::ModifiedGross {
            opex_per_kw_month: Usd::new(dec!(20)).unwrap(),
        };
        // 12,000 kW-months × $20 = 240,000.
        assert_eq!(schedule(&[l], 1).unwrap().landlord_opex[0], dec!(240000));
    }
}
