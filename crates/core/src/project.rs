//! Development returns of one data-center site: a yearly cash-flow model
//! from the first construction dollar to an exit.
//!
//! This is the model the sum-of-the-parts valuation uses for data-center
//! sites: build a [`ProjectInput`] and call [`project`].
//!
//! # Timeline
//! Periods are years. Year `t` covers months `[12t, 12t + 12)` counted
//! from month 0, the start of construction (the build schedule's month 0).
//! Year 0's cash flow is undiscounted; year `t`'s is discounted by
//! `(1 + discount_rate)^t`, i.e. as if it fell at the end of year `t`
//! (year 0 at its start). The model runs to `horizon_years` inclusive, then
//! sells the site at the end of that year.

use rust_decimal::Decimal;

use crate::build_cost::BuildCostInput;
use crate::cash_flow;
use crate::colocation::{Pue, HOURS_PER_YEAR, MONTHS_PER_YEAR};
use crate::conversion::{self, Conversion};
use crate::error::{AtField, CoreError, ValueError};
use crate::financing::{self, Financing, Levered};
use crate::lease::{self, Lease};
use crate::num::{capped_len, to_f64, within, Checked, Fraction, Num, Price, Usd};
use crate::Result;

/// The longest horizon, years.
pub const MAX_HORIZON_YEARS: u32 = 50;
/// The latest month a lease may start, and the longest linear lease-up.
pub const MAX_LEASE_MONTHS: u32 = 600;
/// The most entries of an occupancy-by-year ramp.
pub const MAX_RAMP_YEARS: usize = 50;
/// The rent escalator's range, a fraction a year: ±50%.
pub const MAX_ESCALATOR: Decimal = Decimal::from_parts(5, 0, 0, false, 1);
/// The highest EV/EBITDA exit multiple accepted.
pub const MAX_EXIT_MULTIPLE: Decimal = Decimal::from_parts(100, 0, 0, false, 0);
/// The longest depreciation life, years.
pub const MAX_DEPRECIATION_YEARS: u32 = 50;

/// How the leased share of the site grows from the lease start.
#[derive(Debug, Clone, PartialEq)]
pub struct LeaseUp(Ramp);

#[derive(Debug, Clone, PartialEq)]
enum Ramp {
    ByYear(Vec<Fraction>),
    Linear { months: u32, stabilized: Fraction },
}

impl LeaseUp {
    /// Occupancy in each lease year (the 12 months from the lease start,
    /// the next 12, …); the last value holds afterwards. 1 to
    /// [`MAX_RAMP_YEARS`] values.
    pub fn by_year(occupancy: Vec<Fraction>) -> Result<Self> {
        capped_len(&occupancy, MAX_RAMP_YEARS).at("occupancy_by_year")?;
        if occupancy.is_empty() {
            return Err(CoreError::invalid("occupancy_by_year", ValueError::Empty));
        }
        Ok(LeaseUp(Ramp::ByYear(occupancy)))
    }

    /// A straight line from nothing to `stabilized` occupancy: lease month
    /// `j` (0-based) is `stabilized × min(j + 1, months) / months` leased.
    /// `months` in `[1, MAX_LEASE_MONTHS]`.
    pub fn linear(months: u32, stabilized: Fraction) -> Result<Self> {
        if months == 0 || months > MAX_LEASE_MONTHS {
            return Err(CoreError::invalid(
                "months_to_stabilize",
                ValueError::outside(months.into(), 1.into(), MAX_LEASE_MONTHS.into()),
            ));
        }
        Ok(LeaseUp(Ramp::Linear { months, stabilized }))
    }

    /// Fully leased from the first lease month.
    pub fn full() -> Self {
        LeaseUp(Ramp::ByYear(vec![Fraction::ONE]))
    }

    /// The occupancy once the ramp is over.
    pub fn stabilized(&self) -> Fraction {
        match &self.0 {
            Ramp::ByYear(v) => v.last().copied().unwrap_or(Fraction::ONE),
            Ramp::Linear { stabilized, .. } => *stabilized,
        }
    }

    /// Replaces the stabilized occupancy (the last ramp value, or the
    /// linear ramp's target).
    pub fn set_stabilized(&mut self, occupancy: Fraction) {
        match &mut self.0 {
            Ramp::ByYear(v) => {
                if let Some(last) = v.last_mut() {
                    *last = occupancy;
                }
            }
            Ramp::Linear { stabilized, .. } => *stabilized = occupancy,
        }
    }
}

/// Operating expenses, excluding pass-through power.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Opex {
    /// A fraction of rent revenue.
    FractionOfRent(Fraction),
    /// USD per leased kW per month, flat (not escalated).
    PerKwMonth(Usd),
}

/// Power bought for the tenant and billed on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PowerPassThrough {
    /// Power usage effectiveness: metered energy is leased IT load × PUE.
    pub pue: Pue,
    /// Power price, USD per MWh, flat.
    pub price_per_mwh: Usd,
    /// Markup on the power bill, a fraction; 0 makes power revenue-neutral.
    pub margin: Fraction,
}

/// Income tax on NOI less straight-line depreciation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tax {
    /// Tax rate, a fraction.
    pub rate: Fraction,
    /// Depreciation life of the build cost less land, years, in
    /// `[1, MAX_DEPRECIATION_YEARS]`, from the year the lease starts.
    pub depreciation_years: u32,
}

/// How the site is sold at the end of the horizon.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Exit {
    /// Forward NOI (the year after the horizon) over a cap rate in `(0, 1]`.
    CapRate(Decimal),
    /// Forward EBITDA (taken as NOI) times an EV/EBITDA multiple in
    /// `(0, MAX_EXIT_MULTIPLE]`.
    Multiple(Decimal),
}

/// The model's period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Periods {
    /// Years (the default): year `t` is months `[12t, 12t + 12)`.
    #[default]
    Yearly,
    /// Months: cash flows month by month, discounted at the monthly rate
    /// `(1 + discount_rate)^(1/12) − 1`; at most [`MAX_MONTHLY_HORIZON_YEARS`].
    Monthly,
}

/// The longest horizon with monthly periods, years: (49 + 1) × 12 = 600
/// monthly cash flows, within [`cash_flow::MAX_PERIODS`].
pub const MAX_MONTHLY_HORIZON_YEARS: u32 = 49;

/// Everything the project model needs about one site.
///
/// Fields whose type does not carry its own range are checked by
/// [`project`], which names the field at fault.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectInput {
    /// Capacity, build cost and its phasing (see [`crate::build_cost`]).
    pub build: BuildCostInput,
    /// Rent in the first lease year, USD per kW of IT load per month.
    pub rate_per_kw_month: Price,
    /// The lease-up ramp.
    pub lease_up: LeaseUp,
    /// First month of rent, counted from month 0 of construction, in
    /// `[0, MAX_LEASE_MONTHS]`.
    pub lease_start_month: u32,
    /// Annual rent escalator, a fraction in `[-0.5, 0.5]`, applied on each
    /// lease anniversary.
    pub rent_escalator: Decimal,
    /// Operating expenses.
    pub opex: Opex,
    /// Pass-through power, if the model should show it.
    pub power: Option<PowerPassThrough>,
    /// Maintenance capex, a fraction of rent revenue, from the lease start.
    pub maintenance_capex: Fraction,
    /// Income tax, if any.
    pub tax: Option<Tax>,
    /// Discount rate a year, in `[-0.99, 100]`.
    pub discount_rate: Decimal,
    /// The last year of the model, in `[1, MAX_HORIZON_YEARS]`.
    pub horizon_years: u32,
    /// The sale at the end of the horizon; none means no terminal value.
    pub exit: Option<Exit>,
    /// Construction and term debt; none is an all-equity (unlevered) project.
    pub financing: Option<Financing>,
    /// Leases as written (see [`crate::lease`]). When any is given they
    /// replace `rate_per_kw_month`, `lease_up`, `lease_start_month` and
    /// `rent_escalator`, which are then not read.
    pub leases: Vec<Lease>,
    /// Yearly or monthly periods.
    pub periods: Periods,
    /// A mining site converted: the mining margin given up from its start
    /// month is subtracted from each period's cash flow (see
    /// [`crate::conversion`]). None: not a conversion.
    pub conversion: Option<Conversion>,
}

/// One year of the cash-flow table. Money in USD, unrounded.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectYear {
    /// Year index, 0 at the start of construction.
    pub year: u32,
    /// Average leased share of the IT capacity over the year.
    pub occupancy: Decimal,
    /// Rent.
    pub rent_revenue: Decimal,
    /// Power billed to tenants (cost × (1 + margin)).
    pub power_revenue: Decimal,
    /// Rent plus power revenue.
    pub revenue: Decimal,
    /// Operating expenses including the power bought.
    pub opex: Decimal,
    /// Net operating income: revenue − opex.
    pub noi: Decimal,
    /// Construction capex still to be spent in the year.
    pub capex: Decimal,
    /// Maintenance capex.
    pub maintenance_capex: Decimal,
    /// Income tax.
    pub tax: Decimal,
    /// Sale proceeds (the horizon year only).
    pub exit_value: Decimal,
    /// Mining margin given up in the year (a cost, shown positive); zero
    /// without a conversion.
    pub mining_margin_forgone: Decimal,
    /// NOI − capex − maintenance capex − tax + exit value − mining margin
    /// forgone.
    pub cash_flow: Decimal,
    /// Running total of the cash flow.
    pub cumulative: Decimal,
}

/// The project model's results.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    /// Years 0 to the horizon.
    pub years: Vec<ProjectYear>,
    /// Total build cost, USD.
    pub total_cost: Decimal,
    /// Build cost not yet spent, USD.
    pub remaining_capex: Decimal,
    /// Net present value of the cash flows at the discount rate, USD.
    pub npv: Decimal,
    /// Internal rate of return a year, or why there is none.
    pub irr: Result<Decimal, CoreError>,
    /// Years until the cumulative cash flow turns non-negative, if it does.
    pub payback_years: Option<Decimal>,
    /// Rent a year at stabilized occupancy and first-year rate, USD.
    pub stabilized_arr: Decimal,
    /// NOI a year at stabilized occupancy and first-year rate, USD.
    pub stabilized_noi: Decimal,
    /// Stabilized NOI / total cost; none when the total cost is zero.
    pub yield_on_cost: Option<Decimal>,
    /// Yield on cost − exit cap rate; only with a cap-rate exit.
    pub development_spread: Option<Decimal>,
    /// Sale proceeds at the horizon, USD.
    pub exit_value: Decimal,
    /// Σ positive cash flows / Σ |negative cash flows|; none without outflows.
    pub equity_multiple: Option<Decimal>,
    /// The year the site stabilises: the year holding the later of the
    /// last month of build spend and the month the lease-up reaches its
    /// stabilized occupancy. The term loan funds at its end.
    pub stabilization_year: u32,
    /// The debt and the equity's cash flows, with financing.
    pub levered: Option<Levered>,
    /// With monthly periods: the monthly cash flows the NPV, IRR and
    /// payback are computed on (`years` is then their yearly summary).
    pub monthly_cash_flows: Option<Vec<Decimal>>,
    /// With a conversion: the mining margin given up over the horizon,
    /// undiscounted, and its present value at the discount rate (each
    /// period's amount discounted like its cash flow), USD.
    pub mining_margin_forgone: Option<(Decimal, Decimal)>,
}

impl ProjectInput {
    /// The month the site stabilises, from month 0 of construction: the
    /// later of the last month of build spend and the first month at the
    /// lease-up's stabilized occupancy (lease start + months to stabilize
    /// − 1 for a linear ramp; lease start + 12 × (values − 1) for a ramp by
    /// year).
    pub fn stabilization_month(&self) -> u32 {
        let build_end = self.build.phases.end_month().saturating_sub(1);
        if !self.leases.is_empty() {
            let last_start = self.leases.iter().map(|l| l.start_month).max().unwrap_or(0);
            return build_end.max(last_start);
        }
        let ramp = match &self.lease_up.0 {
            Ramp::ByYear(v) => 12 * u32::try_from(v.len().saturating_sub(1)).unwrap_or(0),
            Ramp::Linear { months, .. } => months.saturating_sub(1),
        };
        // bounded: lease_start ≤ 600, ramp ≤ 600 or 12 × 49.
        (self.build.phases.end_month().saturating_sub(1)).max(self.lease_start_month + ramp)
    }

    /// The first month of rent: the lease start, or the earliest lease's.
    pub fn first_rent_month(&self) -> u32 {
        self.leases
            .iter()
            .map(|l| l.start_month)
            .min()
            .unwrap_or(self.lease_start_month)
    }

    fn check(&self) -> Result<()> {
        if self.horizon_years == 0 || self.horizon_years > MAX_HORIZON_YEARS {
            return Err(CoreError::invalid(
                "horizon_years",
                ValueError::outside(
                    self.horizon_years.into(),
                    1.into(),
                    MAX_HORIZON_YEARS.into(),
                ),
            ));
        }
        if self.lease_start_month > MAX_LEASE_MONTHS {
            return Err(CoreError::invalid(
                "lease_start_month",
                ValueError::outside(
                    self.lease_start_month.into(),
                    0.into(),
                    MAX_LEASE_MONTHS.into(),
                ),
            ));
        }
        within(self.rent_escalator, -MAX_ESCALATOR, MAX_ESCALATOR).at("rent_escalator")?;
        cash_flow::discount_rate(self.discount_rate).at("discount_rate")?;
        if let Some(tax) = &self.tax {
            if tax.depreciation_years == 0 || tax.depreciation_years > MAX_DEPRECIATION_YEARS {
                return Err(CoreError::invalid(
                    "depreciation_years",
                    ValueError::outside(
                        tax.depreciation_years.into(),
                        1.into(),
                        MAX_DEPRECIATION_YEARS.into(),
                    ),
                ));
            }
        }
        match self.exit {
            Some(Exit::CapRate(c)) => {
                crate::num::positive(c)
                    .and_then(|c| crate::num::at_most(c, Decimal::ONE))
                    .at("exit_cap_rate")?;
            }
            Some(Exit::Multiple(m)) => {
                crate::num::positive(m)
                    .and_then(|m| crate::num::at_most(m, MAX_EXIT_MULTIPLE))
                    .at("exit_multiple")?;
            }
            None => {}
        }
        if let Some(f) = &self.financing {
            f.check()?;
        }
        if self.periods == Periods::Monthly && self.horizon_years > MAX_MONTHLY_HORIZON_YEARS {
            return Err(CoreError::Inconsistent {
                field: "horizon_years".into(),
                reason: "monthly periods run at most 49 years (600 monthly cash flows)",
            });
        }
        if !self.leases.is_empty() {
            lease::check(&self.leases, self.build.it_capacity)?;
        }
        if let Some(c) = &self.conversion {
            c.check()?;
            let lease_starts: Vec<(String, u32)> = if self.leases.is_empty() {
                vec![("lease_start_month".into(), self.lease_start_month)]
            } else {
                self.leases
                    .iter()
                    .enumerate()
                    .map(|(i, l)| (format!("leases[{i}].start_month"), l.start_month))
                    .collect()
            };
            conversion::check_order(
                c.start_month,
                lease_starts,
                self.build
                    .phases
                    .get()
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (format!("phases[{i}].start_month"), p.start_month)),
                self.build.land_cost.get() > Decimal::ZERO,
            )?;
        }
        if self.build.phases.end_month() > (self.horizon_years + 1) * 12 {
            return Err(CoreError::Inconsistent {
                field: "horizon_years".into(),
                reason: "the build must be finished by the end of the horizon",
            });
        }
        Ok(())
    }
}

/// The per-model constants, computed once per run.
struct Model<'a, N> {
    input: &'a ProjectInput,
    /// IT kW × first-year rate: rent per fully leased month.
    kw_rate: N,
    kw: N,
    /// (1 + escalator)^k for lease years k.
    escalation: Vec<N>,
    /// Power cost per leased kW-month, USD.
    power_per_kw_month: N,
    power_markup: N,
    opex_fraction: Option<N>,
    opex_per_kw_month: Option<N>,
    months_per_year: N,
    /// The by-year ramp's values, or the linear ramp's target alone.
    ramp: Vec<N>,
    /// With leases: rent, leased kW-months and landlord opex by year.
    leases: Option<(Vec<N>, Vec<N>, Vec<N>)>,
    /// The same by month, with leases and monthly periods.
    lease_months: Option<(Vec<N>, Vec<N>, Vec<N>)>,
}

/// Rent, power and opex of one year: NOI and its parts.
struct Operations<N> {
    occupancy: N,
    rent: N,
    power_revenue: N,
    opex: N,
    noi: N,
}

impl<N: Num> Model<'_, N> {
    /// Occupied months of year `year`, split by lease year: at most two
    /// lease years meet in one calendar year. Returns `(lease_year,
    /// occupied_months)` pairs, occupied months being in `[0, 12]`.
    fn occupied_months(&self, year: u32) -> Result<[(u32, N); 2]> {
        let start = self.input.lease_start_month;
        let (first, end) = (year * 12, year * 12 + 12);
        let mut groups = [(0u32, 0u64, 0u64); 2];
        let mut used = 0usize;
        if end > start {
            // Lease months [lo, hi) fall in this year; they cross at most
            // one lease anniversary, at `split`.
            // bounded: max(first, start) ≥ start and end > start; year ≤ 51
            // and start ≤ MAX_LEASE_MONTHS, so no u32 over- or underflow.
            let lo = first.max(start) - start;
            let hi = end - start;
            let split = (lo / 12 + 1) * 12;
            let linear = match self.input.lease_up.0 {
                Ramp::Linear { months, .. } => Some(months),
                Ramp::ByYear(_) => None,
            };
            for (a, b) in [(lo, hi.min(split)), (split, hi)] {
                if a >= b {
                    continue;
                }
                let weight = linear.map_or(0, |m| ramp_sum(b, m) - ramp_sum(a, m));
                if let Some(g) = groups.get_mut(used) {
                    *g = (a / 12, weight, u64::from(b - a));
                    used += 1;
                }
            }
        }
        let mut out = [(0u32, N::ZERO); 2];
        for (slot, &(k, weight, count)) in out.iter_mut().zip(groups.iter().take(used)) {
            let idx = (k as usize).min(self.ramp.len().saturating_sub(1));
            let occ = self.ramp.get(idx).copied().unwrap_or(N::ONE);
            let months = match &self.input.lease_up.0 {
                Ramp::ByYear(_) => occ.mul_or(N::from_u64(count), "occupancy")?,
                Ramp::Linear { months, .. } => occ
                    .mul_or(N::from_u64(weight), "occupancy")?
                    .div_or(N::from_u64((*months).into()), "occupancy")?,
            };
            *slot = (k, months);
        }
        Ok(out)
    }

    /// Rent, power and opex of month `month` (monthly periods).
    fn month_operations(&self, month: u32) -> Result<Operations<N>> {
        if let Some((rent, kw_months, landlord)) = &self.lease_months {
            let at = |v: &Vec<N>| v.get(month as usize).copied().unwrap_or(N::ZERO);
            let kw_months = at(kw_months);
            let occupancy = kw_months.div_or(self.kw, "occupancy")?;
            let mut ops = self.year_of(occupancy, at(rent), kw_months)?;
            ops.opex = ops.opex.add_or(at(landlord), "opex")?;
            ops.noi = ops.noi.sub_or(at(landlord), "noi")?;
            return Ok(ops);
        }
        let start = self.input.lease_start_month;
        if month < start {
            return self.year_of(N::ZERO, N::ZERO, N::ZERO);
        }
        let j = month - start;
        let k = (j / 12) as usize;
        let occupancy = match &self.input.lease_up.0 {
            Ramp::ByYear(_) => self
                .ramp
                .get(k.min(self.ramp.len().saturating_sub(1)))
                .copied()
                .unwrap_or(N::ONE),
            Ramp::Linear { months, .. } => {
                let target = self.ramp.first().copied().unwrap_or(N::ONE);
                target
                    .mul_or(N::from_u64(u64::from((j + 1).min(*months))), "occupancy")?
                    .div_or(N::from_u64(u64::from(*months)), "occupancy")?
            }
        };
        let factor = self.escalation.get(k).copied().unwrap_or(N::ONE);
        let rent = self
            .kw_rate
            .mul_or(occupancy, "rent")?
            .mul_or(factor, "rent")?;
        self.year_of(occupancy, rent, self.kw.mul_or(occupancy, "rent")?)
    }

    fn operations(&self, year: u32) -> Result<Operations<N>> {
        if let Some((rent, kw_months, landlord)) = &self.leases {
            let at = |v: &Vec<N>| v.get(year as usize).copied().unwrap_or(N::ZERO);
            let kw_months = at(kw_months);
            let full = self.kw.mul_or(self.months_per_year, "occupancy")?;
            let occupancy = kw_months.div_or(full, "occupancy")?;
            let mut ops = self.year_of(occupancy, at(rent), kw_months)?;
            ops.opex = ops.opex.add_or(at(landlord), "opex")?;
            ops.noi = ops.noi.sub_or(at(landlord), "noi")?;
            return Ok(ops);
        }
        let groups = self.occupied_months(year)?;
        let mut occupied = N::ZERO;
        let mut escalated = N::ZERO;
        for (k, months) in groups {
            if months == N::ZERO {
                continue;
            }
            let factor = self.escalation.get(k as usize).copied().unwrap_or(N::ONE);
            occupied = occupied.add_or(months, "occupancy")?;
            escalated = escalated.add_or(months.mul_or(factor, "rent")?, "rent")?;
        }
        let rent = self.kw_rate.mul_or(escalated, "rent")?;
        let kw_months = self.kw.mul_or(occupied, "rent")?;
        self.year_of(
            occupied.div_or(self.months_per_year, "occupancy")?,
            rent,
            kw_months,
        )
    }

    fn year_of(&self, occupancy: N, rent: N, kw_months: N) -> Result<Operations<N>> {
        let power_cost = kw_months.mul_or(self.power_per_kw_month, "power")?;
        let power_revenue = power_cost.mul_or(self.power_markup, "power")?;
        let base_opex = match (self.opex_fraction, self.opex_per_kw_month) {
            (Some(f), _) => rent.mul_or(f, "opex")?,
            (None, Some(usd)) => kw_months.mul_or(usd, "opex")?,
            (None, None) => N::ZERO,
        };
        let opex = base_opex.add_or(power_cost, "opex")?;
        let noi = rent.add_or(power_revenue, "noi")?.sub_or(opex, "noi")?;
        Ok(Operations {
            occupancy,
            rent,
            power_revenue,
            opex,
            noi,
        })
    }
}

/// `Σ_{i=1}^{n} min(i, m)`: lease months `0..n` of a linear ramp over
/// `m` months, in units of `stabilized / m`.
fn ramp_sum(n: u32, m: u32) -> u64 {
    let (n, m) = (u64::from(n), u64::from(m));
    if n <= m {
        n * (n + 1) / 2
    } else {
        m * (m + 1) / 2 + (n - m) * m
    }
}

/// One row of a run, in the run's number type.
struct Row<N> {
    year: u32,
    ops: Operations<N>,
    capex: N,
    maintenance_capex: N,
    tax: N,
    exit_value: N,
    mining_margin_forgone: N,
    cash_flow: N,
    cumulative: N,
}

/// Everything a run computes before the cash-flow metrics.
pub(crate) struct Run<N> {
    rows: Vec<Row<N>>,
    flows: Vec<N>,
    total_cost: N,
    stabilized_arr: N,
    stabilized_noi: N,
    yield_on_cost: Option<N>,
    development_spread: Option<N>,
    exit_value: N,
    equity_multiple: Option<N>,
    /// With financing: the NOI of the year after stabilisation and the
    /// value the loan-to-value test uses.
    underwriting: Option<(N, N)>,
    /// With a conversion: the mining margin given up in each period.
    forgone: Option<Vec<N>>,
}

/// The model itself, in any [`Num`]; `keep_rows` keeps the table.
fn run<N: Num>(input: &ProjectInput, keep_rows: bool) -> Result<Run<N>> {
    input.check()?;
    let costs = input.build.costs::<N>()?;
    let horizon = input.horizon_years;
    let kw = N::from_decimal(input.build.it_capacity.kw()?);
    let growth = N::ONE.add_or(N::from_decimal(input.rent_escalator), "rent")?;
    let mut escalation = Vec::with_capacity(horizon as usize + 2);
    let mut factor = N::ONE;
    for _ in 0..horizon + 2 {
        escalation.push(factor);
        factor = factor.mul_or(growth, "rent")?;
    }
    let (power_per_kw_month, power_markup) = match &input.power {
        Some(p) => (
            N::from_decimal(
                HOURS_PER_YEAR
                    .div_or(MONTHS_PER_YEAR, "power")?
                    .mul_or(p.pue.get(), "power")?
                    .mul_or(p.price_per_mwh.get(), "power")?
                    .div_or(Decimal::ONE_THOUSAND, "power")?,
            ),
            N::from_decimal(Decimal::ONE.add_or(p.margin.get(), "power")?),
        ),
        None => (N::ZERO, N::ONE),
    };
    let (opex_fraction, opex_per_kw_month) = match input.opex {
        Opex::FractionOfRent(f) => (Some(N::from_decimal(f.get())), None),
        Opex::PerKwMonth(usd) => (None, Some(N::from_decimal(usd.get()))),
    };
    let model = Model {
        input,
        kw_rate: kw.mul_or(N::from_decimal(input.rate_per_kw_month.get()), "rent")?,
        kw,
        escalation,
        power_per_kw_month,
        power_markup,
        opex_fraction,
        opex_per_kw_month,
        months_per_year: N::from_decimal(MONTHS_PER_YEAR),
        ramp: match &input.lease_up.0 {
            Ramp::ByYear(v) => v.iter().map(|f| N::from_decimal(f.get())).collect(),
            Ramp::Linear { stabilized, .. } => vec![N::from_decimal(stabilized.get())],
        },
        leases: if input.leases.is_empty() {
            None
        } else {
            let years = lease::schedule(&input.leases, horizon + 2)?;
            let n = |v: Vec<Decimal>| v.into_iter().map(N::from_decimal).collect::<Vec<N>>();
            Some((n(years.rent), n(years.kw_months), n(years.landlord_opex)))
        },
        lease_months: if input.leases.is_empty() || input.periods == Periods::Yearly {
            None
        } else {
            let months = lease::schedule_by(&input.leases, (horizon + 2) * 12, 1)?;
            let n = |v: Vec<Decimal>| v.into_iter().map(N::from_decimal).collect::<Vec<N>>();
            Some((n(months.rent), n(months.kw_months), n(months.landlord_opex)))
        },
    };
    let monthly = input.periods == Periods::Monthly;
    let per_year: u32 = if monthly { 12 } else { 1 };
    let periods = (horizon + 1) * per_year;
    let capex: Vec<N> = if monthly {
        input.build.monthly_remaining(&costs, periods)?
    } else {
        input.build.yearly_remaining(&costs, horizon + 1)?
    };
    let total_cost = costs.total;
    let (depreciation, depreciation_years, tax_rate) = match &input.tax {
        Some(tax) => (
            costs
                .total
                .sub_or(N::from_decimal(input.build.land_cost.get()), "tax")?
                .div_or(N::from_u64(tax.depreciation_years.into()), "tax")?
                .div_or(N::from_u64(per_year.into()), "tax")?,
            tax.depreciation_years,
            Some(N::from_decimal(tax.rate.get())),
        ),
        None => (N::ZERO, 0, None),
    };
    let maintenance = N::from_decimal(input.maintenance_capex.get());
    let lease_start_year = input.first_rent_month() / 12;
    let exit_value = match input.exit {
        None => N::ZERO,
        Some(exit) => {
            let forward = model.operations(horizon + 1)?.noi.larger(N::ZERO);
            match exit {
                Exit::CapRate(c) => forward.div_or(N::from_decimal(c), "exit_value")?,
                Exit::Multiple(m) => forward.mul_or(N::from_decimal(m), "exit_value")?,
            }
        }
    };

    // The mining margin given up in each period (months summed into years).
    let forgone: Option<Vec<N>> = match &input.conversion {
        None => None,
        Some(c) => {
            let months = c.by_month::<N>((horizon + 1) * 12)?;
            if monthly {
                Some(months)
            } else {
                let mut years = Vec::with_capacity(horizon as usize + 1);
                for chunk in months.chunks(12) {
                    let mut total = N::ZERO;
                    for m in chunk {
                        total = total.add_or(*m, "mining_margin_forgone")?;
                    }
                    years.push(total);
                }
                Some(years)
            }
        }
    };

    let mut rows = Vec::with_capacity(if keep_rows { periods as usize } else { 0 });
    let mut flows = Vec::with_capacity(periods as usize);
    let mut cumulative = N::ZERO;
    let (mut inflows, mut outflows) = (N::ZERO, N::ZERO);
    // `period` is the year, or the month with monthly periods; `year` the
    // year it falls in.
    for (period, capex) in (0..periods).zip(capex) {
        let year = period / per_year;
        let ops = if monthly {
            model.month_operations(period)?
        } else {
            model.operations(year)?
        };
        let maintenance_capex = ops.rent.mul_or(maintenance, "maintenance_capex")?;
        let tax = match tax_rate {
            Some(rate) => {
                let depreciating =
                    year >= lease_start_year && year - lease_start_year < depreciation_years;
                let taxable = if depreciating {
                    ops.noi.sub_or(depreciation, "tax")?
                } else {
                    ops.noi
                };
                taxable.mul_or(rate, "tax")?.larger(N::ZERO)
            }
            None => N::ZERO,
        };
        let exit = if period + 1 == periods {
            exit_value
        } else {
            N::ZERO
        };
        let mining_margin_forgone = forgone
            .as_ref()
            .and_then(|f| f.get(period as usize).copied())
            .unwrap_or(N::ZERO);
        let cash_flow = ops
            .noi
            .sub_or(capex, "cash_flow")?
            .sub_or(maintenance_capex, "cash_flow")?
            .sub_or(tax, "cash_flow")?
            .add_or(exit, "cash_flow")?
            .sub_or(mining_margin_forgone, "cash_flow")?;
        cumulative = cumulative.add_or(cash_flow, "cumulative")?;
        if cash_flow.is_negative() {
            outflows = outflows.sub_or(cash_flow, "equity_multiple")?;
        } else {
            inflows = inflows.add_or(cash_flow, "equity_multiple")?;
        }
        flows.push(cash_flow);
        if keep_rows {
            rows.push(Row {
                year: period,
                ops,
                capex,
                maintenance_capex,
                tax,
                exit_value: exit,
                mining_margin_forgone,
                cash_flow,
                cumulative,
            });
        }
    }

    let (stabilized_arr, stabilized_noi) = if input.leases.is_empty() {
        let stabilized = N::from_decimal(input.lease_up.stabilized().get());
        let stabilized_months = stabilized.mul_or(model.months_per_year, "stabilized_noi")?;
        let stabilized_arr = model.kw_rate.mul_or(stabilized_months, "stabilized_arr")?;
        let noi = model
            .year_of(
                stabilized,
                stabilized_arr,
                kw.mul_or(stabilized_months, "stabilized_noi")?,
            )?
            .noi;
        (stabilized_arr, noi)
    } else {
        let (rent, kw_months, landlord) = lease::stabilized(&input.leases)?;
        let (rent, kw_months) = (N::from_decimal(rent), N::from_decimal(kw_months));
        let full = kw.mul_or(model.months_per_year, "stabilized_noi")?;
        let noi = model
            .year_of(kw_months.div_or(full, "stabilized_noi")?, rent, kw_months)?
            .noi
            .sub_or(N::from_decimal(landlord), "stabilized_noi")?;
        (rent, noi)
    };
    let yield_on_cost = if total_cost == N::ZERO {
        None
    } else {
        Some(stabilized_noi.div_or(total_cost, "yield_on_cost")?)
    };
    let development_spread = match (yield_on_cost, input.exit) {
        (Some(y), Some(Exit::CapRate(c))) => {
            Some(y.sub_or(N::from_decimal(c), "development_spread")?)
        }
        _ => None,
    };
    let equity_multiple = if outflows == N::ZERO {
        None
    } else {
        Some(inflows.div_or(outflows, "equity_multiple")?)
    };
    let underwriting = match &input.financing {
        None => None,
        Some(_) => {
            let noi = if monthly {
                let month = input.stabilization_month().min(periods - 1);
                let mut total = N::ZERO;
                for m in month + 1..=month + 12 {
                    total = total.add_or(model.month_operations(m)?.noi, "underwritten_noi")?;
                }
                total
            } else {
                let year = (input.stabilization_month() / 12).min(horizon);
                model.operations(year + 1)?.noi
            };
            let value = match input.exit {
                Some(Exit::CapRate(c)) => {
                    noi.larger(N::ZERO).div_or(N::from_decimal(c), "value")?
                }
                Some(Exit::Multiple(m)) => {
                    noi.larger(N::ZERO).mul_or(N::from_decimal(m), "value")?
                }
                None => total_cost,
            };
            Some((noi, value))
        }
    };
    Ok(Run {
        forgone,
        underwriting,
        rows,
        flows,
        total_cost: costs.total,
        stabilized_arr,
        stabilized_noi,
        yield_on_cost,
        development_spread,
        exit_value,
        equity_multiple,
    })
}

/// Runs the yearly cash-flow model of one site.
///
/// # Formula
/// For each year `t` in `0..=H` (see the module docs for the timeline):
/// ```text
/// occupied_months_t = Σ over the year's months m ≥ lease_start of occupancy(m)
/// rent_t     = IT kW × rate × Σ_k occupied_months_{t,k} × (1 + escalator)^k
///              (k = lease year: 0 for the first 12 lease months, …)
/// power_cost = leased kW-months × 730 h × PUE × power_price_per_mwh / 1,000
/// power_rev  = power_cost × (1 + margin)
/// opex_t     = rent_t × fraction, or leased kW-months × $/kW-month; + power_cost
/// NOI_t      = rent_t + power_rev_t − opex_t
/// capex_t    = remaining build spend in the year (build_cost schedule)
/// maint_t    = rent_t × maintenance_capex
/// tax_t      = max(0, (NOI_t − depreciation_t) × tax_rate)
///              depreciation = (total cost − land) / life, from the lease-start year
/// exit_H     = max(0, NOI_{H+1}) / exit_cap_rate, or max(0, NOI_{H+1}) × multiple
/// CF_t       = NOI_t − capex_t − maint_t − tax_t + exit_t
/// ```
/// Then `npv = Σ CF_t / (1 + r)^t`, `irr`, `payback_years` (exit included)
/// from [`crate::cash_flow`], and
/// ```text
/// stabilized_arr     = IT kW × stabilized occupancy × rate × 12     (untrended)
/// stabilized_noi     = that year's NOI by the same rules
/// yield_on_cost      = stabilized_noi / total cost
/// development_spread = yield_on_cost − exit_cap_rate
/// equity_multiple    = Σ CF⁺ / Σ |CF⁻|    (unlevered: all capital is equity)
/// ```
/// No loss carry-forward; no tax on the exit; opex per kW-month and power
/// prices are flat in nominal terms.
pub fn project(input: &ProjectInput) -> Result<Project> {
    let run = run::<Decimal>(input, true)?;
    let stabilization_year = (input.stabilization_month() / 12).min(input.horizon_years);
    let monthly = input.periods == Periods::Monthly;
    let (per_year, rate) = if monthly {
        (12, monthly_rate(input.discount_rate)?)
    } else {
        (1, input.discount_rate)
    };
    let stabilization_period = if monthly {
        input
            .stabilization_month()
            .min((input.horizon_years + 1) * 12 - 1)
    } else {
        stabilization_year
    };
    let levered = match (&input.financing, run.underwriting) {
        (Some(f), Some((underwritten_noi, value))) => {
            let capex: Vec<Decimal> = run.rows.iter().map(|r| r.capex).collect();
            let noi: Vec<Decimal> = run.rows.iter().map(|r| r.ops.noi).collect();
            Some(financing::lever(
                f,
                &financing::Unlevered {
                    periods_per_year: per_year,
                    capex: &capex,
                    noi: &noi,
                    cash_flow: &run.flows,
                    stabilization_period,
                    underwritten_noi,
                    value,
                    discount_rate_per_period: rate,
                },
            )?)
        }
        _ => None,
    };
    let rows = if monthly {
        yearly_summary(run.rows)?
    } else {
        run.rows
    };
    let years = rows
        .into_iter()
        .map(|r| {
            Ok(ProjectYear {
                year: r.year,
                occupancy: r.ops.occupancy,
                rent_revenue: r.ops.rent,
                power_revenue: r.ops.power_revenue,
                revenue: r.ops.rent.add_or(r.ops.power_revenue, "revenue")?,
                opex: r.ops.opex,
                noi: r.ops.noi,
                capex: r.capex,
                maintenance_capex: r.maintenance_capex,
                tax: r.tax,
                exit_value: r.exit_value,
                mining_margin_forgone: r.mining_margin_forgone,
                cash_flow: r.cash_flow,
                cumulative: r.cumulative,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let irr = cash_flow::irr(&run.flows);
    let payback = cash_flow::payback(&run.flows)?;
    let mining_margin_forgone = match &run.forgone {
        None => None,
        Some(f) => {
            let mut total = Decimal::ZERO;
            for v in f {
                total = total.add_or(*v, "mining_margin_forgone")?;
            }
            Some((total, cash_flow::npv(rate, f)?))
        }
    };
    Ok(Project {
        mining_margin_forgone,
        npv: cash_flow::npv(rate, &run.flows)?,
        irr: if monthly {
            irr.and_then(annualized)
        } else {
            irr
        },
        payback_years: match payback {
            Some(p) if monthly => Some(p.div_or(Decimal::from(12), "payback_years")?),
            other => other,
        },
        years,
        total_cost: run.total_cost,
        remaining_capex: run
            .total_cost
            .sub_or(input.build.already_spent.get(), "remaining_capex")?,
        stabilized_arr: run.stabilized_arr,
        stabilized_noi: run.stabilized_noi,
        yield_on_cost: run.yield_on_cost,
        development_spread: run.development_spread,
        exit_value: run.exit_value,
        equity_multiple: run.equity_multiple,
        stabilization_year,
        levered,
        monthly_cash_flows: if monthly { Some(run.flows) } else { None },
    })
}

/// The monthly rate equivalent to an annual one: `(1 + r)^(1/12) − 1`.
fn monthly_rate(annual: Decimal) -> Result<Decimal> {
    use rust_decimal::MathematicalOps;
    let growth = Decimal::ONE.add_or(annual, "discount_rate")?;
    growth
        .checked_powd(Decimal::ONE / Decimal::from(12))
        .ok_or(CoreError::Overflow {
            quantity: "discount_rate",
        })?
        .sub_or(Decimal::ONE, "discount_rate")
}

/// A monthly IRR as a rate a year: `(1 + r)^12 − 1`.
fn annualized(monthly: Decimal) -> Result<Decimal> {
    let growth = Decimal::ONE.add_or(monthly, "irr")?;
    let mut out = Decimal::ONE;
    for _ in 0..12 {
        out = out.mul_or(growth, "irr")?;
    }
    out.sub_or(Decimal::ONE, "irr")
}

/// Months summed into years: money adds up, occupancy is the months' mean
/// and the cumulative is the year-end one.
fn yearly_summary(months: Vec<Row<Decimal>>) -> Result<Vec<Row<Decimal>>> {
    let mut years: Vec<Row<Decimal>> = Vec::with_capacity(months.len() / 12 + 1);
    for m in months {
        let year = m.year / 12;
        match years.last_mut() {
            Some(y) if y.year == year => {
                y.ops.occupancy = y.ops.occupancy.add_or(m.ops.occupancy, "occupancy")?;
                y.ops.rent = y.ops.rent.add_or(m.ops.rent, "rent")?;
                y.ops.power_revenue = y.ops.power_revenue.add_or(m.ops.power_revenue, "power")?;
                y.ops.opex = y.ops.opex.add_or(m.ops.opex, "opex")?;
                y.ops.noi = y.ops.noi.add_or(m.ops.noi, "noi")?;
                y.capex = y.capex.add_or(m.capex, "capex")?;
                y.maintenance_capex = y
                    .maintenance_capex
                    .add_or(m.maintenance_capex, "maintenance_capex")?;
                y.tax = y.tax.add_or(m.tax, "tax")?;
                y.exit_value = y.exit_value.add_or(m.exit_value, "exit_value")?;
                y.mining_margin_forgone = y
                    .mining_margin_forgone
                    .add_or(m.mining_margin_forgone, "mining_margin_forgone")?;
                y.cash_flow = y.cash_flow.add_or(m.cash_flow, "cash_flow")?;
                y.cumulative = m.cumulative;
            }
            _ => years.push(Row { year, ..m }),
        }
    }
    for y in &mut years {
        y.ops.occupancy = y.ops.occupancy.div_or(Decimal::from(12), "occupancy")?;
    }
    Ok(years)
}

/// The given metrics of the project, computed by the same model in `f64`:
/// the sensitivity grid's fast path. Each agrees with [`project`]'s exact
/// result to about 1e-12 relative (a test checks 1e-9), far below a cent
/// on any site; money is not rounded here.
///
/// Levered metrics are read from the exact model (the debt is Decimal
/// only), run once when any is asked for.
pub fn metrics_f64(input: &ProjectInput, metrics: &[Metric]) -> Result<Vec<Result<Decimal>>> {
    if input.periods == Periods::Monthly {
        let exact = project(input)?;
        return Ok(metrics.iter().map(|m| m.of(&exact)).collect());
    }
    let exact = if metrics.iter().any(|m| m.is_levered()) {
        Some(project(input)?)
    } else {
        None
    };
    let run = run::<f64>(input, false)?;
    let value = |metric: Metric| -> Result<Decimal> {
        let missing = |reason| CoreError::NoSolution {
            quantity: metric.name(),
            reason,
        };
        let v = match metric {
            Metric::Npv => cash_flow::npv_in(to_f64(input.discount_rate), &run.flows)?,
            Metric::Irr => cash_flow::irr_f64(&run.flows)?,
            Metric::PaybackYears => {
                cash_flow::payback_in(&run.flows)?.ok_or(missing(PAYBACK_MISSING))?
            }
            Metric::YieldOnCost => run.yield_on_cost.ok_or(missing(YIELD_MISSING))?,
            Metric::DevelopmentSpread => run.development_spread.ok_or(missing(SPREAD_MISSING))?,
            Metric::StabilizedNoi => run.stabilized_noi,
            Metric::Arr => run.stabilized_arr,
            Metric::ExitValue => run.exit_value,
            Metric::EquityMultiple => run.equity_multiple.ok_or(missing(MULTIPLE_MISSING))?,
            Metric::LeveredIrr
            | Metric::LeveredNpv
            | Metric::MinDscr
            | Metric::AvgDscr
            | Metric::LeveredEquityMultiple
            | Metric::PeakEquity => {
                return match &exact {
                    Some(p) => metric.of(p),
                    None => Err(missing(UNLEVERED)),
                }
            }
        };
        v.into_decimal(metric.name())
    };
    Ok(metrics.iter().map(|m| value(*m)).collect())
}

const PAYBACK_MISSING: &str = "the cumulative cash flow never turns non-negative";
const YIELD_MISSING: &str = "the total cost is zero";
const SPREAD_MISSING: &str = "needs a cap-rate exit and a non-zero total cost";
const MULTIPLE_MISSING: &str = "the cash flows have no outflow";
const UNLEVERED: &str = "needs a project with financing";
const DSCR_MISSING: &str = "the term loan has no scheduled payment within the horizon";

/// An input of the project model that goal seek and sensitivity can vary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variable {
    /// First-year rent, USD per kW-month, > 0.
    RatePerKwMonth,
    /// Hard build cost, USD per MW, ≥ 0.
    CostPerMw,
    /// Stabilized occupancy (the ramp's last value or target), in [0, 1].
    StabilizedOccupancy,
    /// Annual rent escalator, in [-0.5, 0.5].
    RentEscalator,
    /// Discount rate, in [-0.99, 100].
    DiscountRate,
    /// Exit cap rate, in (0, 1]; the base must exit on a cap rate.
    ExitCapRate,
    /// Exit EV/EBITDA multiple, in (0, 100]; the base must exit on a multiple.
    ExitMultiple,
    /// Opex as a fraction of rent, in [0, 1]; the base's opex must be a fraction.
    OpexFraction,
    /// Opex, USD per leased kW-month, ≥ 0; the base's opex must be per kW-month.
    OpexPerKwMonth,
    /// Pass-through power price, USD per MWh, ≥ 0; the base must have power.
    PowerPricePerMwh,
    /// The flat mining margin given up, USD a month, ≥ 0; the base must be a
    /// conversion with `mining_margin_per_month`.
    MiningMarginPerMonth,
}

impl Variable {
    /// The variable's wire name, which is also the field named in errors.
    pub fn name(self) -> &'static str {
        match self {
            Variable::RatePerKwMonth => "rate_per_kw_month",
            Variable::CostPerMw => "cost_per_mw",
            Variable::StabilizedOccupancy => "stabilized_occupancy",
            Variable::RentEscalator => "rent_escalator",
            Variable::DiscountRate => "discount_rate",
            Variable::ExitCapRate => "exit_cap_rate",
            Variable::ExitMultiple => "exit_multiple",
            Variable::OpexFraction => "opex_fraction",
            Variable::OpexPerKwMonth => "opex_per_kw_month",
            Variable::PowerPricePerMwh => "power_price_per_mwh",
            Variable::MiningMarginPerMonth => "mining_margin_per_month",
        }
    }

    /// Why the variable cannot be varied on `base`, if it cannot.
    pub fn unsupported_by(self, base: &ProjectInput) -> Option<&'static str> {
        if !base.leases.is_empty() {
            match self {
                Variable::RatePerKwMonth | Variable::StabilizedOccupancy | Variable::RentEscalator => {
                    return Some(
                        "rate_per_kw_month, stabilized_occupancy and rent_escalator need a single-rate project (no leases)",
                    )
                }
                _ => {}
            }
        }
        if self == Variable::MiningMarginPerMonth {
            return match &base.conversion {
                Some(Conversion {
                    margin: conversion::ForgoneMargin::Flat { .. },
                    ..
                }) => None,
                _ => Some("mining_margin_per_month needs a base project converted with a flat conversion.mining_margin_per_month"),
            };
        }
        match (self, base.exit, base.opex, base.power) {
            (Variable::ExitCapRate, Some(Exit::CapRate(_)), _, _)
            | (Variable::ExitMultiple, Some(Exit::Multiple(_)), _, _)
            | (Variable::OpexFraction, _, Opex::FractionOfRent(_), _)
            | (Variable::OpexPerKwMonth, _, Opex::PerKwMonth(_), _)
            | (Variable::PowerPricePerMwh, _, _, Some(_)) => None,
            (Variable::ExitCapRate, ..) => {
                Some("exit_cap_rate needs a base project that exits on a cap rate")
            }
            (Variable::ExitMultiple, ..) => {
                Some("exit_multiple needs a base project that exits on a multiple")
            }
            (Variable::OpexFraction, ..) => {
                Some("opex_fraction needs a base project whose opex is a fraction of rent")
            }
            (Variable::OpexPerKwMonth, ..) => {
                Some("opex_per_kw_month needs a base project whose opex is per kW-month")
            }
            (Variable::PowerPricePerMwh, ..) => {
                Some("power_price_per_mwh needs a base project with power pass-through")
            }
            _ => None,
        }
    }

    /// Sets the variable on `input`, checking its range. Values the model
    /// checks itself (rates, exits) are checked when it runs.
    pub fn set(self, input: &mut ProjectInput, value: Decimal) -> Result<()> {
        let field = self.name();
        match self {
            Variable::RatePerKwMonth => input.rate_per_kw_month = Price::new(value).at(field)?,
            Variable::CostPerMw => input.build.cost_per_mw = Usd::new(value).at(field)?,
            Variable::StabilizedOccupancy => input
                .lease_up
                .set_stabilized(Fraction::new(value).at(field)?),
            Variable::RentEscalator => input.rent_escalator = value,
            Variable::DiscountRate => input.discount_rate = value,
            Variable::ExitCapRate => input.exit = Some(Exit::CapRate(value)),
            Variable::ExitMultiple => input.exit = Some(Exit::Multiple(value)),
            Variable::OpexFraction => {
                input.opex = Opex::FractionOfRent(Fraction::new(value).at(field)?)
            }
            Variable::OpexPerKwMonth => input.opex = Opex::PerKwMonth(Usd::new(value).at(field)?),
            Variable::PowerPricePerMwh => {
                let price = Usd::new(value).at(field)?;
                if let Some(p) = &mut input.power {
                    p.price_per_mwh = price;
                }
            }
            Variable::MiningMarginPerMonth => {
                let margin = Usd::new(value).at(field)?;
                if let Some(Conversion {
                    margin: conversion::ForgoneMargin::Flat { per_month, .. },
                    ..
                }) = &mut input.conversion
                {
                    *per_month = margin;
                }
            }
        }
        Ok(())
    }
}

/// A result of the project model that goal seek and sensitivity can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    /// Net present value, USD.
    Npv,
    /// Internal rate of return, a fraction a year.
    Irr,
    /// Payback, years.
    PaybackYears,
    /// Stabilized NOI / total cost.
    YieldOnCost,
    /// Yield on cost − exit cap rate.
    DevelopmentSpread,
    /// Stabilized NOI, USD a year.
    StabilizedNoi,
    /// Stabilized rent, USD a year.
    Arr,
    /// Exit value, USD.
    ExitValue,
    /// Equity multiple.
    EquityMultiple,
    /// IRR of the levered (equity) cash flows, a fraction a year; needs
    /// financing.
    LeveredIrr,
    /// NPV of the levered cash flows at the discount rate, USD.
    LeveredNpv,
    /// Lowest DSCR of the term loan.
    MinDscr,
    /// Mean DSCR of the term loan.
    AvgDscr,
    /// Equity multiple of the levered cash flows.
    LeveredEquityMultiple,
    /// Largest cumulative equity outlay, USD.
    PeakEquity,
}

impl Metric {
    /// The metric's wire name.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Npv => "npv",
            Metric::Irr => "irr",
            Metric::PaybackYears => "payback_years",
            Metric::YieldOnCost => "yield_on_cost",
            Metric::DevelopmentSpread => "development_spread",
            Metric::StabilizedNoi => "stabilized_noi",
            Metric::Arr => "arr",
            Metric::ExitValue => "exit_value",
            Metric::EquityMultiple => "equity_multiple",
            Metric::LeveredIrr => "levered_irr",
            Metric::LeveredNpv => "levered_npv",
            Metric::MinDscr => "min_dscr",
            Metric::AvgDscr => "avg_dscr",
            Metric::LeveredEquityMultiple => "levered_equity_multiple",
            Metric::PeakEquity => "peak_equity",
        }
    }

    /// Whether the metric reads the debt (and so needs financing).
    pub fn is_levered(self) -> bool {
        matches!(
            self,
            Metric::LeveredIrr
                | Metric::LeveredNpv
                | Metric::MinDscr
                | Metric::AvgDscr
                | Metric::LeveredEquityMultiple
                | Metric::PeakEquity
        )
    }

    /// Whether the metric is money (USD), as opposed to a rate or a ratio.
    pub fn is_money(self) -> bool {
        matches!(
            self,
            Metric::Npv
                | Metric::StabilizedNoi
                | Metric::Arr
                | Metric::ExitValue
                | Metric::LeveredNpv
                | Metric::PeakEquity
        )
    }

    /// The metric's value, or why the project has none.
    pub fn of(self, project: &Project) -> Result<Decimal> {
        let missing = |reason| CoreError::NoSolution {
            quantity: self.name(),
            reason,
        };
        match self {
            Metric::Npv => Ok(project.npv),
            Metric::Irr => project.irr.clone(),
            Metric::PaybackYears => project.payback_years.ok_or(missing(PAYBACK_MISSING)),
            Metric::YieldOnCost => project.yield_on_cost.ok_or(missing(YIELD_MISSING)),
            Metric::DevelopmentSpread => project.development_spread.ok_or(missing(SPREAD_MISSING)),
            Metric::StabilizedNoi => Ok(project.stabilized_noi),
            Metric::Arr => Ok(project.stabilized_arr),
            Metric::ExitValue => Ok(project.exit_value),
            Metric::EquityMultiple => project.equity_multiple.ok_or(missing(MULTIPLE_MISSING)),
            Metric::LeveredIrr
            | Metric::LeveredNpv
            | Metric::MinDscr
            | Metric::AvgDscr
            | Metric::LeveredEquityMultiple
            | Metric::PeakEquity => {
                let levered = project.levered.as_ref().ok_or(missing(UNLEVERED))?;
                match self {
                    Metric::LeveredIrr => levered.levered_irr.clone(),
                    Metric::LeveredNpv => Ok(levered.levered_npv),
                    Metric::MinDscr => levered.min_dscr.ok_or(missing(DSCR_MISSING)),
                    Metric::AvgDscr => levered.avg_dscr.ok_or(missing(DSCR_MISSING)),
                    Metric::LeveredEquityMultiple => {
                        levered.equity_multiple.ok_or(missing(MULTIPLE_MISSING))
                    }
                    _ => Ok(levered.peak_equity),
                }
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use approx::{abs_diff_eq, assert_abs_diff_eq};
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    use super::*;
    use crate::build_cost::{Phase, Phases, SpendCurve};
    use crate::num::{to_f64, Megawatts};
    use crate::tolerance::{
        Exact, CENT_ABS, DECIMAL_DIGITS_ABS, F64_MODEL_REL, IRR_NPV_REL, MONEY_HAND_CALC_ABS,
    };

    /// The 250 MW Sandersville site at $10M/MW, all spent in year 0, rent
    /// of $400M a year from year 1, fully leased, no opex, no growth.
    pub(crate) fn sandersville() -> ProjectInput {
        let mw = Megawatts::new(dec!(250)).unwrap();
        ProjectInput {
            build: BuildCostInput {
                it_capacity: mw,
                cost_per_mw: Usd::new(dec!(10000000)).unwrap(),
                contingency: Fraction::ZERO,
                soft_costs: Fraction::ZERO,
                land_cost: Usd::ZERO,
                already_spent: Usd::ZERO,
                phases: Phases::at_start(mw),
                curve: SpendCurve::StraightLine,
            },
            // 400,000,000 / (250,000 kW × 12) = 133.333… a kW-month.
            rate_per_kw_month: Price::new(dec!(400000000) / dec!(3000000)).unwrap(),
            lease_up: LeaseUp::full(),
            lease_start_month: 12,
            rent_escalator: Decimal::ZERO,
            opex: Opex::FractionOfRent(Fraction::ZERO),
            power: None,
            maintenance_capex: Fraction::ZERO,
            tax: None,
            discount_rate: dec!(0.08),
            horizon_years: 20,
            exit: Some(Exit::CapRate(dec!(0.08))),
            financing: None,
            leases: Vec::new(),
            periods: Periods::Yearly,
            conversion: None,
        }
    }

    #[test]
    fn the_reference_site_yields_sixteen_percent_on_cost() {
        // seed-figures.md: $400M / $2.5B = 16% at 100% occupancy, zero opex
        // and zero growth; spread over an 8% exit cap rate is 8 points.
        let out = project(&sandersville()).unwrap();
        assert_eq!(out.total_cost, dec!(2500000000));
        assert_abs_diff_eq!(
            Exact(out.stabilized_arr),
            Exact(dec!(400000000)),
            epsilon = MONEY_HAND_CALC_ABS
        );
        assert_abs_diff_eq!(
            Exact(out.yield_on_cost.unwrap()),
            Exact(dec!(0.16)),
            epsilon = DECIMAL_DIGITS_ABS
        );
        assert_abs_diff_eq!(
            Exact(out.development_spread.unwrap()),
            Exact(dec!(0.08)),
            epsilon = DECIMAL_DIGITS_ABS
        );
    }

    #[test]
    fn the_cash_flows_match_a_hand_built_table() {
        // Year 0: -2,500M. Years 1-20: +400M. Exit at 20 on forward NOI
        // 400M / 0.08 = 5,000M. Payback: after year 6 the total is -100M,
        // a quarter of year 7's 400M → 6.25 years.
        let out = project(&sandersville()).unwrap();
        assert_eq!(out.years.len(), 21);
        assert_eq!(out.years[0].cash_flow, dec!(-2500000000));
        assert_abs_diff_eq!(
            Exact(out.years[1].cash_flow),
            Exact(dec!(400000000)),
            epsilon = MONEY_HAND_CALC_ABS
        );
        assert_abs_diff_eq!(
            Exact(out.exit_value),
            Exact(dec!(5000000000)),
            epsilon = MONEY_HAND_CALC_ABS
        );
        assert_abs_diff_eq!(
            Exact(out.payback_years.unwrap()),
            Exact(dec!(6.25)),
            epsilon = DECIMAL_DIGITS_ABS
        );
        // NPV at 8%: -2,500 + 400 × a(20, 8%) + 5,000 / 1.08^20, with
        // a(20, 8%) = (1 - 1.08^-20) / 0.08 = 9.818147 and
        // 1.08^-20 = 0.214548: -2,500 + 3,927.259 + 1,072.741 = 2,500.000M.
        // (At a rate equal to the cap rate, a perpetuity of 400 is worth
        // 5,000 whatever the horizon: 5,000 - 2,500 = 2,500M exactly.)
        assert_abs_diff_eq!(Exact(out.npv), Exact(dec!(2500000000)), epsilon = CENT_ABS);
        // Equity multiple: (20 × 400 + 5,000) / 2,500 = 5.2.
        assert_abs_diff_eq!(
            Exact(out.equity_multiple.unwrap()),
            Exact(dec!(5.2)),
            epsilon = DECIMAL_DIGITS_ABS
        );
    }

    #[test]
    fn with_no_exit_and_a_perpetual_horizon_the_irr_approaches_the_yield() {
        // -2,500 then 400 a year for 50 years: IRR solves
        // 2,500 = 400 × (1 - (1 + r)^-50) / r; r = 16% gives
        // 400 × 6.2463 = 2,498.5 (close), so the IRR is just under 16%.
        let mut input = sandersville();
        input.exit = None;
        input.horizon_years = 50;
        input.lease_start_month = 12;
        let irr = to_f64(project(&input).unwrap().irr.unwrap());
        assert!((0.159..0.16).contains(&irr), "{irr}");
    }

    #[test]
    fn the_npv_at_the_irr_is_zero() {
        let out = project(&sandersville()).unwrap();
        let irr = out.irr.unwrap();
        let flows: Vec<Decimal> = out.years.iter().map(|y| y.cash_flow).collect();
        let residual = to_f64(cash_flow::npv(irr, &flows).unwrap()).abs();
        // Σ|flows| = 2,500M + 20 × 400M + 5,000M = 15,500M.
        assert!(residual <= IRR_NPV_REL * 15_500_000_000.0, "{residual}");
    }

    #[test]
    fn a_linear_lease_up_averages_the_months() {
        // 12-month ramp from month 12: lease months 0..11 are 1/12 … 12/12
        // leased, average 78/144 = 0.541666… in year 1, then 1.
        let mut input = sandersville();
        input.lease_up = LeaseUp::linear(12, Fraction::ONE).unwrap();
        let out = project(&input).unwrap();
        assert_eq!(out.years[1].occupancy.round_dp(6), dec!(0.541667));
        assert_eq!(out.years[2].occupancy, Decimal::ONE);
    }

    #[test]
    fn a_mid_year_lease_start_splits_the_escalator() {
        // Lease from month 6 at 3% a year: year 0 has 6 months at 1.00,
        // year 1 has 6 at 1.00 and 6 at 1.03 → 12.18 rent-months.
        let mut input = sandersville();
        input.lease_start_month = 6;
        input.rent_escalator = dec!(0.03);
        let rate = input.rate_per_kw_month.get();
        let out = project(&input).unwrap();
        let expected = dec!(250000) * rate * dec!(12.18);
        assert_abs_diff_eq!(
            Exact(out.years[1].rent_revenue),
            Exact(expected),
            epsilon = MONEY_HAND_CALC_ABS
        );
        assert_eq!(out.years[0].occupancy, dec!(0.5));
    }

    #[test]
    fn power_at_cost_is_revenue_neutral_and_a_margin_is_not() {
        // 250,000 kW × 730 h × 1.3 / 1,000 × $60 = $14,235,000 a month,
        // × 12 = $170,820,000 a year.
        let mut input = sandersville();
        input.power = Some(PowerPassThrough {
            pue: Pue::new(dec!(1.3)).unwrap(),
            price_per_mwh: Usd::new(dec!(60)).unwrap(),
            margin: Fraction::ZERO,
        });
        let base = project(&sandersville()).unwrap();
        let at_cost = project(&input).unwrap();
        assert_eq!(at_cost.years[2].power_revenue, dec!(170820000));
        assert_eq!(at_cost.years[2].noi, base.years[2].noi);
        input.power = input.power.map(|p| PowerPassThrough {
            margin: Fraction::new(dec!(0.1)).unwrap(),
            ..p
        });
        let marked_up = project(&input).unwrap();
        assert_eq!(marked_up.years[2].noi - base.years[2].noi, dec!(17082000));
    }

    #[test]
    fn opex_and_tax_come_off_the_cash_flow() {
        // Opex 25% of 400M = 100M → NOI 300M. Depreciation 2,500M / 20 =
        // 125M; tax 21% × 175M = 36.75M; maintenance 2% × 400M = 8M.
        // Cash flow = 300 - 36.75 - 8 = 255.25M.
        let mut input = sandersville();
        input.opex = Opex::FractionOfRent(Fraction::new(dec!(0.25)).unwrap());
        input.maintenance_capex = Fraction::new(dec!(0.02)).unwrap();
        input.tax = Some(Tax {
            rate: Fraction::new(dec!(0.21)).unwrap(),
            depreciation_years: 20,
        });
        let out = project(&input).unwrap();
        let y = &out.years[3];
        assert_abs_diff_eq!(
            Exact(y.noi),
            Exact(dec!(300000000)),
            epsilon = MONEY_HAND_CALC_ABS
        );
        assert_abs_diff_eq!(
            Exact(y.tax),
            Exact(dec!(36750000)),
            epsilon = MONEY_HAND_CALC_ABS
        );
        assert_abs_diff_eq!(
            Exact(y.cash_flow),
            Exact(dec!(255250000)),
            epsilon = MONEY_HAND_CALC_ABS
        );
    }

    #[test]
    fn phased_capex_lands_in_the_years_it_is_spent() {
        let mut input = sandersville();
        input.build.phases = Phases::new(vec![
            Phase {
                it_capacity: Megawatts::new(dec!(100)).unwrap(),
                start_month: 0,
                duration_months: 12,
            },
            Phase {
                it_capacity: Megawatts::new(dec!(150)).unwrap(),
                start_month: 12,
                duration_months: 12,
            },
        ])
        .unwrap();
        input.lease_start_month = 24;
        let out = project(&input).unwrap();
        assert_eq!(out.years[0].capex, dec!(1000000000));
        assert_eq!(out.years[1].capex, dec!(1500000000));
        assert_eq!(out.years[2].capex, Decimal::ZERO);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn the_f64_path_agrees_with_the_exact_model(
            rate in 50i64..300,
            cost_m in 5i64..20,
            escalator_bp in 0i64..500,
            opex_bp in 0i64..5000,
            ramp in 1u32..48,
            start in 0u32..36,
        ) {
            let mut input = sandersville();
            input.rate_per_kw_month = Price::new(Decimal::from(rate)).unwrap();
            input.build.cost_per_mw = Usd::new(Decimal::from(cost_m * 1_000_000)).unwrap();
            input.rent_escalator = Decimal::new(escalator_bp, 4);
            input.opex = Opex::FractionOfRent(Fraction::new(Decimal::new(opex_bp, 4)).unwrap());
            input.lease_up = LeaseUp::linear(ramp, Fraction::new(dec!(0.9)).unwrap()).unwrap();
            input.lease_start_month = start;
            input.tax = Some(Tax { rate: Fraction::new(dec!(0.21)).unwrap(), depreciation_years: 15 });
            let exact = project(&input).unwrap();
            let all = [
                Metric::Npv, Metric::Irr, Metric::PaybackYears, Metric::YieldOnCost,
                Metric::DevelopmentSpread, Metric::StabilizedNoi, Metric::Arr,
                Metric::ExitValue, Metric::EquityMultiple,
            ];
            let fast = metrics_f64(&input, &all).unwrap();
            // Scale for NPV: the largest cash flow, since NPV can be near 0.
            let scale = exact.years.iter().map(|y| to_f64(y.cash_flow).abs()).fold(1.0, f64::max);
            for (metric, fast) in all.iter().zip(fast) {
                match (metric.of(&exact), fast) {
                    (Ok(a), Ok(b)) => {
                        let (a, b) = (to_f64(a), to_f64(b));
                        let scale = if *metric == Metric::Npv { scale } else { a.abs().max(1.0) };
                        prop_assert!(abs_diff_eq!(a, b, epsilon = F64_MODEL_REL * scale), "{:?}: {} vs {}", metric, a, b);
                    }
                    (Err(_), Err(_)) => {}
                    (a, b) => prop_assert!(false, "{:?}: {:?} vs {:?}", metric, a, b),
                }
            }
        }
    }

    #[test]
    fn one_triple_net_lease_is_the_single_rate_shorthand() {
        // The shorthand (fully leased from month 12, flat rent) and one
        // lease of the whole site on the same terms, long enough to cover
        // the exit's forward year, give the same project.
        let shorthand = project(&sandersville()).unwrap();
        let mut input = sandersville();
        input.leases = vec![Lease {
            tenant: "Whole site".into(),
            it_capacity: input.build.it_capacity,
            start_month: 12,
            term_months: 600,
            rate_per_kw_month: input.rate_per_kw_month,
            escalator: Decimal::ZERO,
            extensions: None,
            structure: lease::Structure::TripleNet,
            credit: None,
        }];
        let leased = project(&input).unwrap();
        // The rate is 133.33… a kW-month, so the two sum the same rent in
        // a different order: equal to far below a cent.
        let cents = |v: Decimal| v.round_dp(10);
        for (a, b) in leased.years.iter().zip(&shorthand.years) {
            assert_eq!(cents(a.noi), cents(b.noi), "year {}", a.year);
            assert_eq!(cents(a.cash_flow), cents(b.cash_flow), "year {}", a.year);
            assert_eq!(a.occupancy, b.occupancy, "year {}", a.year);
        }
        assert_eq!(cents(leased.npv), cents(shorthand.npv));
        assert_eq!(
            cents(leased.stabilized_noi),
            cents(shorthand.stabilized_noi)
        );
        assert_eq!(cents(leased.exit_value), cents(shorthand.exit_value));
    }

    #[test]
    fn leases_over_the_site_capacity_are_refused() {
        let mut input = sandersville();
        let mw = Megawatts::new(dec!(200)).unwrap();
        let one = Lease {
            tenant: "A".into(),
            it_capacity: mw,
            start_month: 12,
            term_months: 120,
            rate_per_kw_month: input.rate_per_kw_month,
            escalator: Decimal::ZERO,
            extensions: None,
            structure: lease::Structure::TripleNet,
            credit: None,
        };
        input.leases = vec![one.clone(), one];
        assert_eq!(project(&input).unwrap_err().field(), Some("leases"));
    }

    #[test]
    fn monthly_periods_discount_each_month_at_the_equivalent_monthly_rate() {
        // −2,500M in month 0; 400M / 12 a month in months 12 to 251; the
        // exit's 5,000M in month 251, the horizon's last month. With
        // v = 1.08^(−1/12): NPV = −2,500M + (400M / 12) × v^12 (1 − v^240)
        // / (1 − v) + 5,000M × v^251 = 2,291,743,045.07 (python decimal,
        // 40 digits, the closed form and the 240-term sum agreeing).
        let mut input = sandersville();
        input.periods = Periods::Monthly;
        let out = project(&input).unwrap();
        let flows = out.monthly_cash_flows.as_ref().unwrap();
        assert_eq!(flows.len(), 252);
        assert_eq!(flows[0], dec!(-2500000000));
        assert_eq!(flows[11], Decimal::ZERO);
        assert_abs_diff_eq!(
            Exact(out.npv),
            Exact(dec!(2291743045.07)),
            epsilon = CENT_ABS
        );
        // The yearly summary is the yearly model's table here: flat rent,
        // all capex in month 0, the exit in the horizon year.
        let yearly = project(&sandersville()).unwrap();
        for (m, y) in out.years.iter().zip(&yearly.years) {
            assert_abs_diff_eq!(Exact(m.noi), Exact(y.noi), epsilon = MONEY_HAND_CALC_ABS);
            assert_abs_diff_eq!(
                Exact(m.cash_flow),
                Exact(y.cash_flow),
                epsilon = MONEY_HAND_CALC_ABS
            );
        }
        // Payback: the cumulative −2,500M + (m − 11) × 33.33M is 0 at
        // month point m = 86, so 86 / 12 = 7.1666… years.
        assert_abs_diff_eq!(
            Exact(out.payback_years.unwrap()),
            Exact(dec!(86) / dec!(12)),
            epsilon = DECIMAL_DIGITS_ABS
        );
    }

    #[test]
    fn a_monthly_horizon_over_forty_nine_years_is_refused() {
        let mut input = sandersville();
        input.periods = Periods::Monthly;
        input.horizon_years = 50;
        assert_eq!(project(&input).unwrap_err().field(), Some("horizon_years"));
    }

    #[test]
    fn a_horizon_over_fifty_years_is_refused() {
        let mut input = sandersville();
        input.horizon_years = 51;
        assert_eq!(project(&input).unwrap_err().field(), Some("horizon_years"));
    }

    #[test]
    fn a_build_longer_than_the_horizon_is_refused() {
        let mut input = sandersville();
        input.build.phases = Phases::new(vec![Phase {
            it_capacity: Megawatts::new(dec!(250)).unwrap(),
            start_month: 0,
            duration_months: 60,
        }])
        .unwrap();
        input.horizon_years = 3;
        assert_eq!(project(&input).unwrap_err().field(), Some("horizon_years"));
    }

    #[test]
    fn a_zero_exit_cap_rate_is_refused() {
        let mut input = sandersville();
        input.exit = Some(Exit::CapRate(Decimal::ZERO));
        assert_eq!(project(&input).unwrap_err().field(), Some("exit_cap_rate"));
    }

    /// A 1 MW mining site converted: it mines until month 6 and gives up
    /// $1M a month of margin from then on; the build ($12M, straight line
    /// over months 6 to 17) follows, and rent of $4,000 a kW-month (1,000 kW,
    /// $4M a month, fully leased) from month 18. Three years (0 to 2), 10%
    /// discount rate, no opex, tax or exit.
    fn converted_site(start_month: u32, margin: conversion::ForgoneMargin) -> ProjectInput {
        let mw = Megawatts::new(dec!(1)).unwrap();
        let mut p = sandersville();
        p.build.it_capacity = mw;
        p.build.cost_per_mw = Usd::new(dec!(12000000)).unwrap();
        p.build.phases = Phases::new(vec![Phase {
            it_capacity: mw,
            start_month: 6,
            duration_months: 12,
        }])
        .unwrap();
        p.rate_per_kw_month = Price::new(dec!(4000)).unwrap();
        p.lease_start_month = 18;
        p.discount_rate = dec!(0.1);
        p.horizon_years = 2;
        p.exit = None;
        p.conversion = Some(Conversion {
            start_month,
            margin,
        });
        p
    }

    fn flat(per_month: Decimal) -> conversion::ForgoneMargin {
        conversion::ForgoneMargin::Flat {
            per_month: Usd::new(per_month).unwrap(),
            growth_per_year: Decimal::ZERO,
        }
    }

    #[test]
    fn a_converted_site_pays_the_margin_it_gives_up_as_the_hand_calculation_says() {
        // By year (months 12t to 12t + 11):
        //   forgone  6 × 1M = 6M (months 6-11), 12M, 12M: 30M in all
        //   capex    6 × 1M = 6M (months 6-11), 6M (months 12-17), 0
        //   rent     0, 6 × 4M = 24M (months 18-23), 12 × 4M = 48M
        //   NOI      0, 24M, 48M (no opex): the margin is not in NOI
        //   CF       −6M − 6M = −12M; 24M − 6M − 12M = 6M; 48M − 12M = 36M
        // NPV at 10% = −12M + 6M / 1.1 + 36M / 1.21
        //            = −12,000,000 + 5,454,545.4545… + 29,752,066.1157…
        //            = (−12 × 1.21 + 6 × 1.1 + 36)M / 1.21 = 28.08M / 1.21
        //            = 23,206,611.5702…
        // IRR: −12 + 6x + 36x² = 0 with x = 1 / (1 + r): 6x² + x − 2 = 0,
        // x = (−1 + √49) / 12 = 1/2, so r = 1 (100%). Check:
        // −12 + 6/2 + 36/4 = 0.
        // Forgone PV = 6M + 12M / 1.1 + 12M / 1.21
        //            = 6,000,000 + 10,909,090.9090… + 9,917,355.3719…
        //            = (6 × 1.21 + 12 × 1.1 + 12)M / 1.21 = 32.46M / 1.21
        //            = 26,826,446.2809…
        let out = project(&converted_site(6, flat(dec!(1000000)))).unwrap();
        let m = |n: i64| Decimal::from(n) * dec!(1000000);
        let forgone: Vec<Decimal> = out.years.iter().map(|y| y.mining_margin_forgone).collect();
        assert_eq!(forgone, vec![m(6), m(12), m(12)]);
        let capex: Vec<Decimal> = out.years.iter().map(|y| y.capex).collect();
        assert_eq!(capex, vec![m(6), m(6), Decimal::ZERO]);
        let noi: Vec<Decimal> = out.years.iter().map(|y| y.noi).collect();
        assert_eq!(noi, vec![Decimal::ZERO, m(24), m(48)]);
        let flows: Vec<Decimal> = out.years.iter().map(|y| y.cash_flow).collect();
        assert_eq!(flows, vec![m(-12), m(6), m(36)]);
        assert_abs_diff_eq!(
            Exact(out.npv),
            Exact(dec!(28080000) / dec!(1.21)),
            epsilon = MONEY_HAND_CALC_ABS
        );
        assert_abs_diff_eq!(
            Exact(out.irr.unwrap()),
            Exact(Decimal::ONE),
            epsilon = DECIMAL_DIGITS_ABS
        );
        let (total, pv) = out.mining_margin_forgone.unwrap();
        assert_eq!(total, m(30));
        assert_abs_diff_eq!(
            Exact(pv),
            Exact(dec!(32460000) / dec!(1.21)),
            epsilon = MONEY_HAND_CALC_ABS
        );
        // The f64 fast path subtracts the same margin.
        let fast = metrics_f64(&converted_site(6, flat(m(1))), &[Metric::Npv]).unwrap();
        assert_abs_diff_eq!(
            Exact(fast[0].clone().unwrap()),
            Exact(dec!(28080000) / dec!(1.21)),
            epsilon = MONEY_HAND_CALC_ABS
        );
    }

    #[test]
    fn without_a_conversion_nothing_is_forgone() {
        let mut input = converted_site(6, flat(dec!(1000000)));
        input.conversion = None;
        let out = project(&input).unwrap();
        assert_eq!(out.mining_margin_forgone, None);
        assert!(out.years.iter().all(|y| y.mining_margin_forgone.is_zero()));
        // −6M, 24M − 6M = 18M, 48M.
        let flows: Vec<Decimal> = out.years.iter().map(|y| y.cash_flow).collect();
        assert_eq!(flows, vec![dec!(-6000000), dec!(18000000), dec!(48000000)]);
    }

    #[test]
    fn projection_month_k_lands_in_project_month_start_plus_k() {
        // A two-month path [5M, 3M] from month 17 lands in months 17 and 18
        // (then zero: the fleet retired). Monthly periods: the build spends
        // $1M in each of months 6-17, rent is $4M a month from month 18, so
        // month 16 = −1M, month 17 = −1M − 5M = −6M, month 18 = 4M − 3M = 1M,
        // month 19 = 4M. Years: forgone 0, 8M (months 17 and 18 are both in
        // year 1), 0.
        let mut input = converted_site(
            6,
            conversion::ForgoneMargin::Path(vec![dec!(5000000), dec!(3000000)]),
        );
        // The path starts at the conversion; shift it to month 17 by
        // converting there and building from 17 in one month of $12M.
        input.conversion.as_mut().unwrap().start_month = 17;
        input.build.phases = Phases::new(vec![Phase {
            it_capacity: input.build.it_capacity,
            start_month: 17,
            duration_months: 1,
        }])
        .unwrap();
        input.periods = Periods::Monthly;
        let out = project(&input).unwrap();
        let flows = out.monthly_cash_flows.unwrap();
        let m = |n: i64| Decimal::from(n) * dec!(1000000);
        assert_eq!(flows[16], Decimal::ZERO);
        assert_eq!(flows[17], m(-12) - m(5));
        assert_eq!(flows[18], m(4) - m(3));
        assert_eq!(flows[19], m(4));
        let forgone: Vec<Decimal> = out.years.iter().map(|y| y.mining_margin_forgone).collect();
        assert_eq!(forgone, vec![Decimal::ZERO, m(8), Decimal::ZERO]);
        assert_eq!(out.mining_margin_forgone.unwrap().0, m(8));
    }

    #[test]
    fn rent_and_build_may_not_start_before_the_conversion() {
        // The lease from month 18 is before a conversion at 19.
        let mut input = converted_site(6, flat(dec!(1)));
        input.conversion.as_mut().unwrap().start_month = 19;
        input.build.phases = Phases::new(vec![Phase {
            it_capacity: input.build.it_capacity,
            start_month: 19,
            duration_months: 1,
        }])
        .unwrap();
        assert_eq!(
            project(&input).unwrap_err().field(),
            Some("lease_start_month")
        );
        // The build from month 6 is before a conversion at 7.
        let mut input = converted_site(7, flat(dec!(1)));
        assert_eq!(
            project(&input).unwrap_err().field(),
            Some("phases[0].start_month")
        );
        // Land, spent in month 0, is before it too.
        input.conversion.as_mut().unwrap().start_month = 6;
        input.build.land_cost = Usd::new(dec!(1)).unwrap();
        assert_eq!(project(&input).unwrap_err().field(), Some("land_cost"));
    }
}
