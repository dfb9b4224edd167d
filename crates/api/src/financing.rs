//! A data-center project's debt, on the wire: the `financing` object of
//! `POST /v1/colocation/project` and its levered answer.

use infraval_core::error::AtField;
use infraval_core::financing::{
    ConstructionLoan, DebtPeriod, Financing, Levered, SizedBy, TermLoan, TermSizing,
};
use infraval_core::num::Fraction;
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::wire::{Int, Num, Wire, NESTED};
use crate::{bounds, num};

/// DSCRs and equity multiples are rounded to this many decimals.
const RATIO_DECIMALS: u32 = 4;
/// Rates (the levered IRR) are rounded to this many decimals.
const RATE_DECIMALS: u32 = 8;

/// Construction and term debt. Give either loan or both.
///
/// Conventions (periods are years, or months with `periods: "monthly"`,
/// when loan rates apply a twelfth a month and the underwritten NOI is the
/// 12 months after the stabilisation month): the construction loan is
/// drawn as `loan_to_cost` of each period's capex and bears interest from
/// the period after each draw. The
/// site stabilises in the year holding the later of the last month of
/// build spend and the month the lease-up reaches its stabilized
/// occupancy; the term loan funds at the end of that year (if it is before
/// the horizon) and repays the construction loan. It is sized to the
/// lesser of `max_loan_to_value` × value and the loan whose level payments
/// the underwritten NOI covers `target_dscr` times. The underwritten NOI
/// is the NOI of the year after stabilisation (contracted rent at its
/// escalated rate, less opex); the value is that NOI over the exit cap
/// rate, or times the exit multiple, or the total build cost when the
/// project has no exit. What is owed at the horizon is repaid from the
/// sale. Interest is not deducted for tax.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct FinancingRequest {
    /// The loan that funds the build.
    #[wire(NESTED)]
    pub construction_loan: Option<ConstructionLoanRequest>,
    /// The amortising loan that refinances it at stabilisation.
    #[wire(NESTED)]
    pub term_loan: Option<TermLoanRequest>,
}

/// A construction loan: interest-only, drawn pro rata with capex.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct ConstructionLoanRequest {
    /// Share of each year's capex the loan funds (construction lenders
    /// lend 0.5 to 0.75).
    #[wire(bounds::FRACTION)]
    pub loan_to_cost: Num,
    /// Interest rate a year.
    #[wire(bounds::LOAN_RATE)]
    pub rate: Num,
    /// Add interest to the balance (true, the default) or pay it in cash
    /// from the equity (false).
    #[wire(default = true)]
    pub capitalize_interest: Option<bool>,
}

/// A term loan: level payments of interest and principal.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct TermLoanRequest {
    /// Interest rate a year.
    #[wire(bounds::LOAN_RATE)]
    pub rate: Num,
    /// Amortisation term, years; a balloon repays what is left at the
    /// horizon.
    #[wire(bounds::AMORTIZATION_YEARS)]
    pub amortization_years: Int,
    /// Debt-service coverage the loan is sized to: underwritten NOI /
    /// annual debt service.
    #[wire(bounds::TARGET_DSCR)]
    pub target_dscr: Num,
    /// Most the loan may be of the value, a fraction.
    #[wire(bounds::FRACTION)]
    pub max_loan_to_value: Num,
    /// Upfront fees, a fraction of the loan, paid at funding. Default 0.
    #[wire(bounds::LOAN_FEES, default = Decimal::ZERO)]
    pub fees: Option<Num>,
}

impl TryFrom<FinancingRequest> for Financing {
    type Error = CoreError;

    fn try_from(req: FinancingRequest) -> Result<Self, CoreError> {
        let construction_loan = match req.construction_loan {
            None => None,
            Some(c) => Some(ConstructionLoan {
                loan_to_cost: Fraction::new(c.loan_to_cost.get())
                    .at("financing.construction_loan.loan_to_cost")?,
                rate: c.rate.get(),
                capitalize_interest: c.capitalize_interest.unwrap_or(true),
            }),
        };
        let term_loan = match req.term_loan {
            None => None,
            Some(t) => Some(TermLoan {
                rate: t.rate.get(),
                amortization_years: t.amortization_years.to_u32(),
                target_dscr: t.target_dscr.get(),
                max_loan_to_value: Fraction::new(t.max_loan_to_value.get())
                    .at("financing.term_loan.max_loan_to_value")?,
                fees: t.fees.map_or(Decimal::ZERO, Num::get),
            }),
        };
        let financing = Financing {
            construction_loan,
            term_loan,
        };
        financing.check()?;
        Ok(financing)
    }
}

/// Which test set the term loan's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SizedByName {
    /// `max_loan_to_value` × value.
    LoanToValue,
    /// The `target_dscr` on the underwritten NOI.
    Dscr,
}

/// How the term loan was sized. Money is USD rounded to cents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TermLoanSizingResponse {
    /// The period it funds: the stabilisation year, or its month with
    /// monthly periods.
    pub funding_period: u32,
    /// NOI of the year after stabilisation, USD a year.
    pub underwritten_noi: Num,
    /// Value for the loan-to-value test.
    pub value: Num,
    /// `max_loan_to_value` × value.
    pub loan_to_value_amount: Num,
    /// Underwritten NOI / (`target_dscr` × annual debt constant).
    pub dscr_amount: Num,
    /// The loan: the lesser of the two.
    pub amount: Num,
    /// Which test set it.
    pub sized_by: SizedByName,
    /// Level payment a period (a year, or a month with monthly periods).
    pub payment: Num,
    /// Fees paid at funding.
    pub fees: Num,
}

/// One period of the debt schedule (a year, or a month with monthly
/// periods). Money is USD rounded to cents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DebtPeriodResponse {
    /// Period index: the year, or the month with monthly periods.
    pub period: u32,
    /// Construction loan drawn.
    pub construction_draw: Num,
    /// Construction interest accrued.
    pub construction_interest: Num,
    /// The part of it paid in cash (the rest is capitalised).
    pub construction_interest_paid: Num,
    /// Construction loan repaid.
    pub construction_repayment: Num,
    /// Construction balance at the year's end.
    pub construction_balance: Num,
    /// Term loan funded.
    pub term_funding: Num,
    /// Term loan fees paid.
    pub term_fees: Num,
    /// Term loan interest.
    pub term_interest: Num,
    /// Term principal repaid, scheduled and balloon.
    pub term_principal: Num,
    /// Term balance at the year's end.
    pub term_balance: Num,
    /// Scheduled term payment: interest + scheduled principal.
    pub debt_service: Num,
    /// NOI / debt service, 4 decimals; absent without debt service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dscr: Option<Num>,
    /// The equity's cash flow: the project's cash flow + draws + term
    /// funding − fees − cash interest − principal repaid.
    pub levered_cash_flow: Num,
    /// Running total of the levered cash flow.
    pub cumulative: Num,
}

/// The debt and the equity's returns. Money is USD rounded to cents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FinancingResponse {
    /// The year the site stabilises (see the request's conventions).
    pub stabilization_year: u32,
    /// IRR of the levered cash flows, a fraction a year, 8 decimals;
    /// absent when they have none (e.g. no outflow).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub levered_irr: Option<Num>,
    /// NPV of the levered cash flows at the project's discount rate.
    pub levered_npv: Num,
    /// Lowest DSCR of the term loan, 4 decimals; absent without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_dscr: Option<Num>,
    /// Mean DSCR over the years with a scheduled term payment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avg_dscr: Option<Num>,
    /// Σ positive levered cash flows / Σ |negative ones|, 4 decimals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equity_multiple: Option<Num>,
    /// Largest cumulative equity outlay: max(0, −lowest cumulative levered
    /// cash flow).
    pub peak_equity: Num,
    /// Largest construction loan balance.
    pub peak_construction_balance: Num,
    /// The term loan's sizing; absent without a term loan or when the site
    /// stabilises only in the horizon year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_loan: Option<TermLoanSizingResponse>,
    /// One row a period, 0 to the horizon's last.
    pub debt_schedule: Vec<DebtPeriodResponse>,
}

fn ratio(d: Decimal) -> Num {
    num::round(d, RATIO_DECIMALS)
}

impl FinancingResponse {
    /// The levered answer of a project whose stabilisation year is given.
    pub fn new(levered: Levered, stabilization_year: u32) -> Self {
        FinancingResponse {
            stabilization_year,
            levered_irr: levered
                .levered_irr
                .ok()
                .map(|r| num::round(r, RATE_DECIMALS)),
            levered_npv: num::cents(levered.levered_npv),
            min_dscr: levered.min_dscr.map(ratio),
            avg_dscr: levered.avg_dscr.map(ratio),
            equity_multiple: levered.equity_multiple.map(ratio),
            peak_equity: num::cents(levered.peak_equity),
            peak_construction_balance: num::cents(levered.peak_construction_balance),
            term_loan: levered.term_loan.map(sizing),
            debt_schedule: levered.debt_schedule.into_iter().map(row).collect(),
        }
    }
}

fn sizing(s: TermSizing) -> TermLoanSizingResponse {
    TermLoanSizingResponse {
        funding_period: s.funding_period,
        underwritten_noi: num::cents(s.underwritten_noi),
        value: num::cents(s.value),
        loan_to_value_amount: num::cents(s.loan_to_value_amount),
        dscr_amount: num::cents(s.dscr_amount),
        amount: num::cents(s.amount),
        sized_by: match s.sized_by {
            SizedBy::LoanToValue => SizedByName::LoanToValue,
            SizedBy::Dscr => SizedByName::Dscr,
        },
        payment: num::cents(s.payment),
        fees: num::cents(s.fees),
    }
}

fn row(r: DebtPeriod) -> DebtPeriodResponse {
    DebtPeriodResponse {
        period: r.period,
        construction_draw: num::cents(r.construction_draw),
        construction_interest: num::cents(r.construction_interest),
        construction_interest_paid: num::cents(r.construction_interest_paid),
        construction_repayment: num::cents(r.construction_repayment),
        construction_balance: num::cents(r.construction_balance),
        term_funding: num::cents(r.term_funding),
        term_fees: num::cents(r.term_fees),
        term_interest: num::cents(r.term_interest),
        term_principal: num::cents(r.term_principal),
        term_balance: num::cents(r.term_balance),
        debt_service: num::cents(r.debt_service),
        dscr: r.dscr.map(ratio),
        levered_cash_flow: num::cents(r.levered_cash_flow),
        cumulative: num::cents(r.cumulative),
    }
}
