//! Project debt: a construction loan drawn with the build, refinanced at
//! stabilisation by an amortising term loan, and the equity's (levered)
//! cash flows that remain.
//!
//! The project model ([`crate::project`]) calls [`lever`] with its
//! per-period capex, NOI and unlevered cash flows; this module adds the
//! debt and knows nothing else of the site.
//!
//! # Conventions
//! Periods are the project model's: point `t` carries period `t`'s flows,
//! and `rate_per_period = annual rate / periods_per_year` (simple, as loan
//! rates are quoted).
//! - **Construction loan.** Each period it lends `loan_to_cost × capex_t`,
//!   so it is drawn pro rata with the build spend and the equity pays the
//!   rest. It is interest-only: period `t`'s interest is
//!   `rate_per_period × balance_{t−1}` (a draw starts to bear interest the
//!   period after it is made). With `capitalize_interest` the interest is
//!   added to the balance (beyond the loan-to-cost), otherwise the equity
//!   pays it in cash. The balance is repaid in full at stabilisation, or at
//!   the horizon when the site never stabilises before it or there is no
//!   term loan.
//! - **Stabilisation** is the period holding the later of the last month
//!   of build spend and the month the lease-up reaches its stabilized
//!   occupancy (the project model works out that month). The term loan
//!   funds at that point, if it falls before the horizon.
//! - **Term loan sizing.** The underwritten NOI is the NOI of the year
//!   after stabilisation (the next period for yearly models, the next 12
//!   months for monthly ones): the NOI the leases in place produce, escalators
//!   included. The value for the loan-to-value test is that NOI capitalised
//!   at the project's exit (over the exit cap rate, or times the exit
//!   multiple), or the total build cost when the project has no exit. The
//!   loan is the lesser of `max_loan_to_value × value` and
//!   `underwritten NOI / (target_dscr × annual debt constant)`, never
//!   below 0, with `annual debt constant = periods_per_year × level payment
//!   per $1` on `amortization_years × periods_per_year` payments.
//! - **Fees** are a fraction of the term loan, paid at funding out of the
//!   proceeds.
//! - **Term loan service.** Level payments from the period after funding;
//!   period interest is `rate_per_period × opening balance`, principal the
//!   rest of the payment. Whatever is outstanding at the horizon is repaid
//!   there (a balloon, paid from the sale).
//! - **DSCR** of a period is `NOI_t / (term interest_t + scheduled
//!   principal_t)` over the periods with a scheduled term payment (the
//!   balloon and construction interest are not debt service here).
//!   `min_dscr` and `avg_dscr` (the arithmetic mean) are over those periods.
//! - **Levered cash flow** is the unlevered cash flow plus loan draws and
//!   term loan proceeds, less fees, cash interest and principal repaid. Tax
//!   stays as in the unlevered model: interest is not deducted.

use rust_decimal::Decimal;

use crate::cash_flow;
use crate::error::{AtField, CoreError, ValueError};
use crate::num::{within, Checked, Fraction};
use crate::Result;

/// The longest term-loan amortisation, years.
pub const MAX_AMORTIZATION_YEARS: u32 = 40;
/// The highest loan interest rate accepted, a fraction a year: 50%.
pub const MAX_LOAN_RATE: Decimal = Decimal::from_parts(5, 0, 0, false, 1);
/// The highest target DSCR accepted.
pub const MAX_TARGET_DSCR: Decimal = Decimal::from_parts(10, 0, 0, false, 0);
/// The lowest target DSCR accepted: a lender sizes to at least 1×.
pub const MIN_TARGET_DSCR: Decimal = Decimal::ONE;
/// The highest term-loan fee accepted, a fraction of the loan: 10%.
pub const MAX_FEES: Decimal = Decimal::from_parts(1, 0, 0, false, 1);

/// The loan that funds the build.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConstructionLoan {
    /// Share of each period's capex the loan funds.
    pub loan_to_cost: Fraction,
    /// Interest rate a year, in `[0, MAX_LOAN_RATE]`.
    pub rate: Decimal,
    /// Whether interest is added to the balance (true) or paid in cash.
    pub capitalize_interest: bool,
}

/// The amortising loan that refinances the construction loan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TermLoan {
    /// Interest rate a year, in `[0, MAX_LOAN_RATE]`.
    pub rate: Decimal,
    /// Amortisation term, years, in `[1, MAX_AMORTIZATION_YEARS]`.
    pub amortization_years: u32,
    /// DSCR the loan is sized to, in `[MIN_TARGET_DSCR, MAX_TARGET_DSCR]`.
    pub target_dscr: Decimal,
    /// Most the loan may be of the value.
    pub max_loan_to_value: Fraction,
    /// Fees, a fraction of the loan in `[0, MAX_FEES]`, paid at funding.
    pub fees: Decimal,
}

/// A project's debt: either loan, or both.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Financing {
    /// The construction loan, if any.
    pub construction_loan: Option<ConstructionLoan>,
    /// The term loan, if any.
    pub term_loan: Option<TermLoan>,
}

impl Financing {
    /// Checks the ranges the field types do not carry.
    pub fn check(&self) -> Result<()> {
        if let Some(c) = &self.construction_loan {
            within(c.rate, Decimal::ZERO, MAX_LOAN_RATE).at("financing.construction_loan.rate")?;
        }
        if let Some(t) = &self.term_loan {
            within(t.rate, Decimal::ZERO, MAX_LOAN_RATE).at("financing.term_loan.rate")?;
            if t.amortization_years == 0 || t.amortization_years > MAX_AMORTIZATION_YEARS {
                let (bound, value) = if t.amortization_years == 0 {
                    (1, 0)
                } else {
                    (MAX_AMORTIZATION_YEARS, t.amortization_years)
                };
                let error = if value == 0 {
                    ValueError::BelowMinimum {
                        bound: bound.into(),
                        value: value.into(),
                    }
                } else {
                    ValueError::AboveMaximum {
                        bound: bound.into(),
                        value: value.into(),
                    }
                };
                return Err(CoreError::invalid(
                    "financing.term_loan.amortization_years",
                    error,
                ));
            }
            within(t.target_dscr, MIN_TARGET_DSCR, MAX_TARGET_DSCR)
                .at("financing.term_loan.target_dscr")?;
            within(t.fees, Decimal::ZERO, MAX_FEES).at("financing.term_loan.fees")?;
        }
        if self.construction_loan.is_none() && self.term_loan.is_none() {
            return Err(CoreError::invalid("financing", ValueError::Empty));
        }
        Ok(())
    }
}

/// What the project model hands to [`lever`].
#[derive(Debug, Clone, Copy)]
pub struct Unlevered<'a> {
    /// Periods a year: 1 (yearly) or 12 (monthly).
    pub periods_per_year: u32,
    /// Construction capex of each period, USD.
    pub capex: &'a [Decimal],
    /// NOI of each period, USD.
    pub noi: &'a [Decimal],
    /// Unlevered cash flow of each period, USD.
    pub cash_flow: &'a [Decimal],
    /// The stabilisation period (see the module docs).
    pub stabilization_period: u32,
    /// NOI of the year after stabilisation, USD.
    pub underwritten_noi: Decimal,
    /// The value for the loan-to-value test, USD.
    pub value: Decimal,
    /// Discount rate a period, for the levered NPV.
    pub discount_rate_per_period: Decimal,
}

/// Which test set the term loan's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizedBy {
    /// The loan-to-value cap.
    LoanToValue,
    /// The target DSCR.
    Dscr,
}

/// How the term loan was sized.
#[derive(Debug, Clone, PartialEq)]
pub struct TermSizing {
    /// The period it funds.
    pub funding_period: u32,
    /// Underwritten NOI, USD a year.
    pub underwritten_noi: Decimal,
    /// Value for the LTV test, USD.
    pub value: Decimal,
    /// `max_loan_to_value × value`, USD.
    pub loan_to_value_amount: Decimal,
    /// `underwritten NOI / (target_dscr × annual constant)`, USD.
    pub dscr_amount: Decimal,
    /// The loan: the lesser of the two, at least 0, USD.
    pub amount: Decimal,
    /// Which one it is.
    pub sized_by: SizedBy,
    /// Level payment a period, USD.
    pub payment: Decimal,
    /// Fees paid at funding, USD.
    pub fees: Decimal,
}

/// One period of the debt schedule. Money in USD, unrounded.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DebtPeriod {
    /// Period index, as the project's.
    pub period: u32,
    /// Construction loan drawn.
    pub construction_draw: Decimal,
    /// Construction interest accrued.
    pub construction_interest: Decimal,
    /// The part of it paid in cash (the rest is capitalised).
    pub construction_interest_paid: Decimal,
    /// Construction loan repaid.
    pub construction_repayment: Decimal,
    /// Construction balance at the end of the period.
    pub construction_balance: Decimal,
    /// Term loan funded.
    pub term_funding: Decimal,
    /// Term loan fees paid.
    pub term_fees: Decimal,
    /// Term loan interest.
    pub term_interest: Decimal,
    /// Term loan principal repaid, scheduled and balloon.
    pub term_principal: Decimal,
    /// Term balance at the end of the period.
    pub term_balance: Decimal,
    /// Scheduled term payment (interest + scheduled principal).
    pub debt_service: Decimal,
    /// NOI / debt service, when there is debt service.
    pub dscr: Option<Decimal>,
    /// Unlevered cash flow + debt flows: the equity's cash flow.
    pub levered_cash_flow: Decimal,
    /// Running total of the levered cash flow.
    pub cumulative: Decimal,
}

/// The equity's view of a financed project.
#[derive(Debug, Clone, PartialEq)]
pub struct Levered {
    /// One row a period.
    pub debt_schedule: Vec<DebtPeriod>,
    /// The term loan's sizing, when it funded.
    pub term_loan: Option<TermSizing>,
    /// Largest construction balance, USD.
    pub peak_construction_balance: Decimal,
    /// IRR of the levered cash flows, a fraction a year
    /// (`(1 + IRR per period)^periods_per_year − 1`), or why there is none.
    pub levered_irr: Result<Decimal, CoreError>,
    /// NPV of the levered cash flows at the project's discount rate, USD.
    pub levered_npv: Decimal,
    /// Σ levered CF⁺ / Σ |levered CF⁻|; none without an outflow.
    pub equity_multiple: Option<Decimal>,
    /// Largest cumulative equity outlay, `max(0, −min cumulative)`, USD.
    pub peak_equity: Decimal,
    /// Lowest DSCR; none without term debt service.
    pub min_dscr: Option<Decimal>,
    /// Mean DSCR; none without term debt service.
    pub avg_dscr: Option<Decimal>,
}

/// `(1 + r)^n` by repeated checked multiplication (`n` ≤ 601 here).
fn growth(rate: Decimal, n: u32) -> Result<Decimal> {
    let base = Decimal::ONE.add_or(rate, "debt_constant")?;
    let mut out = Decimal::ONE;
    for _ in 0..n {
        out = out.mul_or(base, "debt_constant")?;
    }
    Ok(out)
}

/// Level payment per $1 of loan over `n` periods at `r` a period:
/// `r / (1 − (1 + r)^−n)`, or `1 / n` at `r = 0`.
pub fn payment_per_dollar(rate: Decimal, n: u32) -> Result<Decimal> {
    if n == 0 {
        return Err(CoreError::invalid(
            "financing.term_loan.amortization_years",
            ValueError::BelowMinimum {
                bound: 1.0,
                value: 0.0,
            },
        ));
    }
    if rate.is_zero() {
        return Decimal::ONE.div_or(Decimal::from(n), "debt_constant");
    }
    let discount = Decimal::ONE.div_or(growth(rate, n)?, "debt_constant")?;
    rate.div_or(
        Decimal::ONE.sub_or(discount, "debt_constant")?,
        "debt_constant",
    )
}

/// Adds the debt to a project's unlevered cash flows.
///
/// # Formula
/// See the module docs; in short, for each period `t`:
/// ```text
/// draw_t      = loan_to_cost × capex_t
/// c_interest  = rate_c / ppy × C_{t−1}        (capitalised or paid)
/// at S:  L    = max(0, min(LTV × value, NOI_uw / (target_dscr × ppy × pmt(rate_t / ppy, ppy × years))))
///        repay C_S; fees = fees × L
/// t > S: pay  = L × pmt(…); interest = rate_t / ppy × T_{t−1}; principal = pay − interest
/// at H:  balloon = T_H (and C_H, if still outstanding)
/// LCF_t = CF_t + draw_t − c_interest_paid_t − c_repaid_t + L_t − fees_t − t_interest_t − t_principal_t
/// ```
pub fn lever(financing: &Financing, project: &Unlevered<'_>) -> Result<Levered> {
    financing.check()?;
    let n = project.cash_flow.len();
    if project.capex.len() != n || project.noi.len() != n || n == 0 {
        return Err(CoreError::Inconsistent {
            field: "financing".into(),
            reason: "capex, NOI and cash flows must cover the same periods",
        });
    }
    let horizon = u32::try_from(n - 1).map_err(|_| CoreError::Overflow {
        quantity: "periods",
    })?;
    let ppy = Decimal::from(project.periods_per_year);
    let stabilization = project.stabilization_period;
    let term_funds = financing.term_loan.is_some() && stabilization < horizon;
    let construction_due = if term_funds { stabilization } else { horizon };

    let mut rows: Vec<DebtPeriod> = Vec::with_capacity(n);
    let mut construction = Decimal::ZERO;
    let mut peak_construction = Decimal::ZERO;
    let mut term = Decimal::ZERO;
    let mut sizing: Option<TermSizing> = None;
    let mut term_rate = Decimal::ZERO;
    let mut scheduled_left = 0u32;
    let mut cumulative = Decimal::ZERO;
    let (mut inflows, mut outflows) = (Decimal::ZERO, Decimal::ZERO);
    let mut peak_equity = Decimal::ZERO;
    let mut dscrs: Vec<Decimal> = Vec::new();
    let mut levered = Vec::with_capacity(n);

    for (t, ((&capex, &noi), &cash_flow)) in project
        .capex
        .iter()
        .zip(project.noi)
        .zip(project.cash_flow)
        .enumerate()
    {
        let t = u32::try_from(t).map_err(|_| CoreError::Overflow {
            quantity: "periods",
        })?;
        let mut row = DebtPeriod {
            period: t,
            ..DebtPeriod::default()
        };
        if let Some(c) = &financing.construction_loan {
            if t <= construction_due {
                let rate = c.rate.div_or(ppy, "construction_interest")?;
                row.construction_interest = construction.mul_or(rate, "construction_interest")?;
                if c.capitalize_interest {
                    construction =
                        construction.add_or(row.construction_interest, "construction_balance")?;
                } else {
                    row.construction_interest_paid = row.construction_interest;
                }
                row.construction_draw = capex.mul_or(c.loan_to_cost.get(), "construction_draw")?;
                construction =
                    construction.add_or(row.construction_draw, "construction_balance")?;
                peak_construction = peak_construction.max(construction);
                if t == construction_due {
                    row.construction_repayment = construction;
                    construction = Decimal::ZERO;
                }
            }
            row.construction_balance = construction;
        }
        if let Some(tl) = &financing.term_loan {
            if term_funds && t > stabilization && !term.is_zero() {
                let pay = sizing.as_ref().map_or(Decimal::ZERO, |s| s.payment);
                row.term_interest = term.mul_or(term_rate, "term_interest")?;
                if scheduled_left > 0 {
                    let principal = pay
                        .sub_or(row.term_interest, "term_principal")?
                        .min(term)
                        .max(Decimal::ZERO);
                    row.term_principal = principal;
                    row.debt_service = row.term_interest.add_or(principal, "debt_service")?;
                    scheduled_left -= 1;
                    if scheduled_left == 0 {
                        // The last payment clears what rounding left.
                        row.term_principal = term;
                        row.debt_service = row.term_interest.add_or(term, "debt_service")?;
                    }
                } else {
                    row.debt_service = row.term_interest;
                }
                term = term.sub_or(row.term_principal, "term_balance")?;
                if t == horizon && !term.is_zero() {
                    row.term_principal = row.term_principal.add_or(term, "term_principal")?;
                    term = Decimal::ZERO;
                }
                if !row.debt_service.is_zero() {
                    let dscr = noi.div_or(row.debt_service, "dscr")?;
                    row.dscr = Some(dscr);
                    dscrs.push(dscr);
                }
            }
            if term_funds && t == stabilization {
                term_rate = tl.rate.div_or(ppy, "term_interest")?;
                let periods = tl
                    .amortization_years
                    .checked_mul(project.periods_per_year)
                    .ok_or(CoreError::Overflow {
                        quantity: "amortization",
                    })?;
                let per_dollar = payment_per_dollar(term_rate, periods)?;
                let constant = per_dollar.mul_or(ppy, "debt_constant")?;
                let ltv_amount = project
                    .value
                    .mul_or(tl.max_loan_to_value.get(), "term_loan")?;
                let dscr_amount = project
                    .underwritten_noi
                    .div_or(tl.target_dscr.mul_or(constant, "term_loan")?, "term_loan")?;
                let (amount, sized_by) = if dscr_amount < ltv_amount {
                    (dscr_amount, SizedBy::Dscr)
                } else {
                    (ltv_amount, SizedBy::LoanToValue)
                };
                let amount = amount.max(Decimal::ZERO);
                let fees = amount.mul_or(tl.fees, "term_fees")?;
                row.term_funding = amount;
                row.term_fees = fees;
                term = amount;
                scheduled_left = periods;
                sizing = Some(TermSizing {
                    funding_period: t,
                    underwritten_noi: project.underwritten_noi,
                    value: project.value,
                    loan_to_value_amount: ltv_amount,
                    dscr_amount,
                    amount,
                    sized_by,
                    payment: amount.mul_or(per_dollar, "term_payment")?,
                    fees,
                });
            }
            row.term_balance = term;
        }
        let lcf = cash_flow
            .add_or(row.construction_draw, "levered_cash_flow")?
            .sub_or(row.construction_interest_paid, "levered_cash_flow")?
            .sub_or(row.construction_repayment, "levered_cash_flow")?
            .add_or(row.term_funding, "levered_cash_flow")?
            .sub_or(row.term_fees, "levered_cash_flow")?
            .sub_or(row.term_interest, "levered_cash_flow")?
            .sub_or(row.term_principal, "levered_cash_flow")?;
        cumulative = cumulative.add_or(lcf, "levered_cumulative")?;
        peak_equity = peak_equity.max(-cumulative);
        if lcf.is_sign_negative() {
            outflows = outflows.sub_or(lcf, "equity_multiple")?;
        } else {
            inflows = inflows.add_or(lcf, "equity_multiple")?;
        }
        row.levered_cash_flow = lcf;
        row.cumulative = cumulative;
        levered.push(lcf);
        rows.push(row);
    }

    let min_dscr = dscrs.iter().copied().reduce(Decimal::min);
    let avg_dscr = if dscrs.is_empty() {
        None
    } else {
        let total = dscrs
            .iter()
            .try_fold(Decimal::ZERO, |acc, d| acc.add_or(*d, "avg_dscr"))?;
        Some(total.div_or(Decimal::from(dscrs.len()), "avg_dscr")?)
    };
    Ok(Levered {
        levered_irr: cash_flow::irr(&levered)
            .and_then(|r| growth(r, project.periods_per_year)?.sub_or(Decimal::ONE, "irr")),
        levered_npv: cash_flow::npv(project.discount_rate_per_period, &levered)?,
        equity_multiple: if outflows.is_zero() {
            None
        } else {
            Some(inflows.div_or(outflows, "equity_multiple")?)
        },
        peak_equity,
        min_dscr,
        avg_dscr,
        debt_schedule: rows,
        term_loan: sizing,
        peak_construction_balance: peak_construction,
    })
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn a_level_payment_at_zero_rate_is_the_principal_over_the_term() {
        assert_eq!(payment_per_dollar(Decimal::ZERO, 4).unwrap(), dec!(0.25));
    }

    #[test]
    fn a_two_period_level_payment_matches_the_annuity_formula() {
        // r = 10%, n = 2: 0.1 / (1 − 1/1.21) = 0.1 × 1.21 / 0.21 = 0.576190476…
        let p = payment_per_dollar(dec!(0.1), 2).unwrap();
        assert_eq!(p.round_dp(12), dec!(0.576190476190));
    }

    #[test]
    fn financing_with_neither_loan_is_refused() {
        let f = Financing {
            construction_loan: None,
            term_loan: None,
        };
        assert_eq!(f.check().unwrap_err().field(), Some("financing"));
    }
}
