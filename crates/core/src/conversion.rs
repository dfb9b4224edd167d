//! A mining site converted to a data center: the mining margin given up.
//!
//! From the conversion's start month the site stops mining; the build
//! follows, then the leases. The margin the fleet would have earned from
//! that month on is an opportunity cost of the project: it is subtracted
//! from each period's cash flow (so it lowers the NPV, IRR, payback and the
//! levered flows), but it is not an operating expense of the data center,
//! so it is not in NOI, tax or the DSCR.
//!
//! # Timeline
//! Months are the project's: month 0 is the build schedule's month 0. The
//! margin given up in month `m` is
//! ```text
//! forgone_m = 0                                         m < start
//!           = per_month × (1 + growth)^⌊(m − start)/12⌋  flat, m ≥ start
//!           = path[m − start], or 0 past the path's end  path, m ≥ start
//! ```
//! A flat margin steps by its growth on each anniversary of the start and
//! runs to the horizon; a path (e.g. a mining projection's monthly margin)
//! ends where it ends, the fleet having retired. Either stops at the
//! horizon: the mining given up has no terminal value of its own.

use rust_decimal::Decimal;

use crate::error::{AtField, CoreError};
use crate::num::{capped_len, within, Num, Usd};
use crate::Result;

/// The latest conversion start month (that of a lease start).
pub const MAX_START_MONTH: u32 = crate::project::MAX_LEASE_MONTHS;
/// The most months of a margin path: 50 years.
pub const MAX_PATH_MONTHS: usize = 600;
/// The growth of a flat margin a year: in `[-1, 1]` (−100% to +100%).
pub const MAX_GROWTH_PER_YEAR: Decimal = Decimal::ONE;
/// The largest margin of one month on a path, in magnitude, USD: $10 trillion.
pub const MAX_MARGIN_PER_MONTH: Decimal = Decimal::from_parts(1_316_134_912, 2_328, 0, false, 0);

/// The mining margin the site gives up, USD a month.
#[derive(Debug, Clone, PartialEq)]
pub enum ForgoneMargin {
    /// A flat margin from the start month to the horizon, stepped by
    /// `growth_per_year` (a fraction in `[-1, 1]`) on each anniversary.
    Flat {
        /// The margin of the first 12 months, USD a month.
        per_month: Usd,
        /// Its change each year, a fraction.
        growth_per_year: Decimal,
    },
    /// The margin of each month from the start month, USD; negative for a
    /// month the fleet would have lost money; zero after the last. At most
    /// [`MAX_PATH_MONTHS`] entries.
    Path(Vec<Decimal>),
}

/// A mining site converted to a data center.
#[derive(Debug, Clone, PartialEq)]
pub struct Conversion {
    /// The first month without mining, in `[0, MAX_START_MONTH]`.
    pub start_month: u32,
    /// The margin given up from `start_month`.
    pub margin: ForgoneMargin,
}

impl Conversion {
    /// Checks the ranges, naming `conversion.<field>`.
    pub fn check(&self) -> Result<()> {
        if self.start_month > MAX_START_MONTH {
            return Err(CoreError::invalid(
                "conversion.start_month",
                crate::error::ValueError::AboveMaximum {
                    bound: MAX_START_MONTH.into(),
                    value: self.start_month.into(),
                },
            ));
        }
        match &self.margin {
            ForgoneMargin::Flat {
                growth_per_year, ..
            } => {
                within(*growth_per_year, -MAX_GROWTH_PER_YEAR, MAX_GROWTH_PER_YEAR)
                    .at("conversion.mining_margin_growth_per_year")?;
            }
            ForgoneMargin::Path(path) => {
                capped_len(path, MAX_PATH_MONTHS).at("conversion.mining_margin_path_per_month")?;
                for (i, v) in path.iter().enumerate() {
                    within(*v, -MAX_MARGIN_PER_MONTH, MAX_MARGIN_PER_MONTH)
                        .at(format!("conversion.mining_margin_path_per_month[{i}]"))?;
                }
            }
        }
        Ok(())
    }

    /// The margin given up in each project month `0..months` (see the
    /// module docs).
    pub fn by_month<N: Num>(&self, months: u32) -> Result<Vec<N>> {
        let mut out = Vec::with_capacity(months as usize);
        match &self.margin {
            ForgoneMargin::Flat {
                per_month,
                growth_per_year,
            } => {
                let growth = N::ONE.add_or(N::from_decimal(*growth_per_year), "mining_margin")?;
                let mut level = N::from_decimal(per_month.get());
                for m in 0..months {
                    if m < self.start_month {
                        out.push(N::ZERO);
                        continue;
                    }
                    let since = m - self.start_month;
                    if since > 0 && since % 12 == 0 {
                        level = level.mul_or(growth, "mining_margin")?;
                    }
                    out.push(level);
                }
            }
            ForgoneMargin::Path(path) => {
                for m in 0..months {
                    let v = m
                        .checked_sub(self.start_month)
                        .and_then(|k| path.get(k as usize))
                        .map_or(N::ZERO, |v| N::from_decimal(*v));
                    out.push(v);
                }
            }
        }
        Ok(out)
    }
}

/// Refuses a project whose rent or build spend starts before the
/// conversion: until `start_month` the site's power is mining's.
///
/// `lease_starts` are `(field, month)` of each lease start (or the
/// single-rate shorthand's `lease_start_month`); `phase_starts` the same of
/// each build phase; `land_cost_given` whether land (spent in month 0) is
/// in the cash flows.
pub(crate) fn check_order(
    start_month: u32,
    lease_starts: impl IntoIterator<Item = (String, u32)>,
    phase_starts: impl IntoIterator<Item = (String, u32)>,
    land_cost_given: bool,
) -> Result<()> {
    for (field, month) in lease_starts {
        if month < start_month {
            return Err(CoreError::Inconsistent {
                field,
                reason: "rent may not start before conversion.start_month: until then the site's power is mining's",
            });
        }
    }
    for (field, month) in phase_starts {
        if month < start_month {
            return Err(CoreError::Inconsistent {
                field,
                reason: "the build may not start before conversion.start_month: the site mines until then, and the build follows",
            });
        }
    }
    if land_cost_given && start_month > 0 {
        return Err(CoreError::Inconsistent {
            field: "land_cost".into(),
            reason: "land is spent in month 0, before conversion.start_month: a converting site owns its land (give 0)",
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn the_largest_margin_is_ten_trillion() {
        assert_eq!(MAX_MARGIN_PER_MONTH, dec!(10_000_000_000_000));
    }

    #[test]
    fn a_flat_margin_starts_at_the_start_month_and_steps_on_each_anniversary() {
        // $100 a month from month 2, +10% a year: months 0-1 nothing, 2-13
        // $100, 14-25 $110, month 26 $121.
        let c = Conversion {
            start_month: 2,
            margin: ForgoneMargin::Flat {
                per_month: Usd::new(dec!(100)).unwrap(),
                growth_per_year: dec!(0.1),
            },
        };
        let m = c.by_month::<Decimal>(27).unwrap();
        assert_eq!(m[0], dec!(0));
        assert_eq!(m[1], dec!(0));
        assert_eq!(m[2], dec!(100));
        assert_eq!(m[13], dec!(100));
        assert_eq!(m[14], dec!(110));
        assert_eq!(m[25], dec!(110));
        assert_eq!(m[26], dec!(121));
    }

    #[test]
    fn projection_month_k_lands_in_project_month_start_plus_k() {
        // A two-month path [7, −3] from month 4: months 4 and 5, then zero.
        let c = Conversion {
            start_month: 4,
            margin: ForgoneMargin::Path(vec![dec!(7), dec!(-3)]),
        };
        let m = c.by_month::<Decimal>(8).unwrap();
        assert_eq!(
            m,
            vec![
                dec!(0),
                dec!(0),
                dec!(0),
                dec!(0),
                dec!(7),
                dec!(-3),
                dec!(0),
                dec!(0)
            ]
        );
    }

    #[test]
    fn a_path_too_long_or_out_of_range_names_its_field() {
        let c = Conversion {
            start_month: 0,
            margin: ForgoneMargin::Path(vec![dec!(1); MAX_PATH_MONTHS + 1]),
        };
        assert_eq!(
            c.check().unwrap_err().field(),
            Some("conversion.mining_margin_path_per_month")
        );
        let c = Conversion {
            start_month: 601,
            margin: ForgoneMargin::Path(vec![]),
        };
        assert_eq!(
            c.check().unwrap_err().field(),
            Some("conversion.start_month")
        );
    }
}
