//! A GPU cloud: an operator that rents GPUs by the hour rather than space
//! by the kW. A yearly model of one fleet, refreshed at the end of its
//! useful life, from the purchase to the horizon.
//!
//! # Timeline
//! The first fleet is bought at time 0 (year 0, undiscounted). Years `1`
//! to `horizon_years` are years of operation, each discounted by
//! `(1 + discount_rate)^t` as if its cash flow fell at its end. A fleet
//! bought at time `T` serves years `T + 1` to `T + L` (`L` the useful life)
//! and is retired at `T + L`, when its residual value is received; with a
//! refresh the next fleet is bought on the same date, so a 4-year life over
//! a 10-year horizon refreshes at years 4 and 8. At the horizon the fleet
//! in service is valued at its book value (straight-line to the residual),
//! or at `exit_multiple × NOI` of the last year.
//!
//! # Contracted and spot capacity
//! Most GPU capacity is sold under term contracts (IREN–Microsoft,
//! Nebius–Microsoft, CoreWeave's take-or-pay contracts); the rest is sold
//! by the hour. Each [`Contract`] holds `gpu_count` GPUs for its term at a
//! fixed price (escalating yearly if asked). Under take-or-pay the
//! contracted GPU-hours are paid whether used or not, so they are outside
//! the spot utilisation; the GPUs no contract holds that year are sold at
//! the spot price (falling with the fleet's age) at the spot utilisation.
//! A contract outlives a fleet only through a refresh: the next fleet
//! serves it at the contract's price.
//!
//! # Deliveries
//! Later tranches of GPUs ([`Delivery`]) each run on their own clock from
//! the year they first serve, at their own capex and price.

use rust_decimal::Decimal;

use crate::cash_flow;
use crate::colocation::{Pue, HOURS_PER_YEAR, MONTHS_PER_YEAR};
use crate::error::{AtField, CoreError, ValueError};
use crate::num::{Checked, Fraction, Usd};
use crate::Result;

/// The longest horizon, years.
pub const MAX_HORIZON_YEARS: u32 = 30;
/// The longest useful life of a fleet, years.
pub const MAX_USEFUL_LIFE_YEARS: u32 = 10;
/// The most GPUs in one fleet.
pub const MAX_GPU_COUNT: u64 = 10_000_000;
/// The longest utilisation ramp, months.
pub const MAX_RAMP_MONTHS: u32 = 120;
/// The most all-in IT power per GPU, kW (a rack-scale system draws about
/// 1.5 to 2 kW per GPU).
pub const MAX_KW_PER_GPU: Decimal = Decimal::from_parts(20, 0, 0, false, 0);

/// The most contracts on one fleet.
pub const MAX_CONTRACTS: usize = 20;
/// The most later deliveries of GPUs.
pub const MAX_DELIVERIES: usize = 10;

/// A later tranche of GPUs, bought at the end of the year before
/// `delivery_year` and in service from it. It ages, depreciates, retires
/// (for `residual_fraction` of its cost) and, with a refresh, is renewed at
/// its own capex and price, on its own `useful_life_years` clock.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Delivery {
    /// GPUs delivered, 1 to [`MAX_GPU_COUNT`] (the fleet and its
    /// deliveries hold at most [`MAX_GPU_COUNT`] in all).
    pub gpu_count: u64,
    /// The first operating year the tranche serves, 1 to the horizon.
    pub delivery_year: u32,
    /// Capex per GPU of the tranche, USD.
    pub capex_per_gpu: Usd,
    /// Spot rent of a new GPU of the tranche, USD per GPU-hour.
    pub price_per_gpu_hour: Usd,
}

/// The first fleet or a delivery: GPUs with their own purchase year,
/// terms, and renewal terms while `refresh` is on.
struct Tranche {
    gpus: u64,
    first_year: u32,
    terms: (Usd, Usd),
    renewal: Option<(Usd, Usd)>,
}

/// A tranche's generation in service in one year.
struct InService {
    gpus: u64,
    capex: Decimal,
    residual: Decimal,
    price: Decimal,
    /// Years served by this generation, this one included (1 to life).
    served: u32,
    /// Capex of the generation that replaces it, if it is renewed.
    next_capex: Option<Decimal>,
}

/// How much of the spot (uncontracted) GPU-hours is sold in each year.
#[derive(Debug, Clone, PartialEq)]
pub enum SpotUtilization {
    /// A straight-line ramp from nothing to `utilization` over
    /// `months_to_ramp` months from the start of operations (0: none).
    /// Month `j` (0-based) sells `utilization × min(j + 1, months) /
    /// months`. Not repeated at a refresh: the customers stay.
    Ramp {
        /// Utilisation once the ramp is over: GPU-hours sold / GPU-hours.
        utilization: Fraction,
        /// Months of the ramp, 0 to [`MAX_RAMP_MONTHS`].
        months_to_ramp: u32,
    },
    /// The utilisation of operating years 1, 2, …; the last value holds
    /// afterwards. 1 to [`MAX_HORIZON_YEARS`] values.
    ByYear(Vec<Fraction>),
}

impl SpotUtilization {
    /// Utilisation once ramped: the ramp's target, or the path's last
    /// value.
    fn stabilized(&self) -> Decimal {
        match self {
            SpotUtilization::Ramp { utilization, .. } => utilization.get(),
            SpotUtilization::ByYear(path) => path.last().map_or(Decimal::ZERO, |u| u.get()),
        }
    }

    /// Spot GPU-hours sold in year `year` (1-based) by `gpus` spot GPUs:
    /// `gpus × 8,760 × u × Σ_j min(j + 1, R) / (12 R)` over the year's 12
    /// months `j` on a ramp, `gpus × 8,760 × u_year` on a path.
    fn hours(&self, gpus: Decimal, year: u32) -> Result<Decimal> {
        let per_gpu = gpus.mul_or(HOURS_PER_YEAR, "gpu_hours_sold")?;
        match self {
            SpotUtilization::Ramp {
                utilization,
                months_to_ramp: ramp,
            } => {
                let full = per_gpu.mul_or(utilization.get(), "gpu_hours_sold")?;
                let first = (year - 1) * 12;
                if *ramp == 0 || first >= *ramp {
                    return Ok(full);
                }
                let sold_months: u32 = (first..first + 12).map(|j| (j + 1).min(*ramp)).sum();
                full.mul_or(Decimal::from(sold_months), "gpu_hours_sold")?
                    .div_or(
                        MONTHS_PER_YEAR.mul_or(Decimal::from(*ramp), "gpu_hours_sold")?,
                        "gpu_hours_sold",
                    )
            }
            SpotUtilization::ByYear(path) => {
                let last = path.len().saturating_sub(1);
                let u = path
                    .get((year as usize - 1).min(last))
                    .map_or(Decimal::ZERO, |u| u.get());
                per_gpu.mul_or(u, "gpu_hours_sold")
            }
        }
    }
}

/// GPUs sold for a term at a fixed price.
#[derive(Debug, Clone, PartialEq)]
pub struct Contract {
    /// GPUs the contract holds, 1 to the fleet's `gpu_count`.
    pub gpu_count: u64,
    /// Price in the contract's first year, USD per contracted GPU-hour.
    pub price_per_gpu_hour: Usd,
    /// Yearly change of the price: contract year `k` (0-based) is priced
    /// at `price × (1 + escalator)^k`; −0.5 to 0.5.
    pub escalator_per_year: Decimal,
    /// The first operating year of the contract, 1-based.
    pub start_year: u32,
    /// Whole years the contract runs, from `start_year`.
    pub term_years: u32,
    /// Paid by the customer the day the contract starts (the end of year
    /// `start_year − 1`), then drawn down against the contract's revenue
    /// in proportion to it. At most the contract's revenue over its term.
    pub prepayment: Usd,
    /// Take-or-pay: every contracted GPU-hour is paid whether used or
    /// not. Otherwise only the used share (`contracted_utilization`) is.
    pub take_or_pay: bool,
}

impl Contract {
    /// The last operating year of the contract.
    fn end_year(&self) -> u32 {
        self.start_year + self.term_years - 1
    }

    fn in_force(&self, year: u32) -> bool {
        (self.start_year..=self.end_year()).contains(&year)
    }

    /// GPU-hours paid in `year` (0 outside the term): `gpu_count × 8,760`,
    /// times `used` unless take-or-pay.
    fn paid_hours(&self, year: u32, used: Fraction) -> Result<Decimal> {
        if !self.in_force(year) {
            return Ok(Decimal::ZERO);
        }
        let hours = Decimal::from(self.gpu_count).mul_or(HOURS_PER_YEAR, "contracted_gpu_hours")?;
        if self.take_or_pay {
            Ok(hours)
        } else {
            hours.mul_or(used.get(), "contracted_gpu_hours")
        }
    }

    /// Revenue in `year`: the paid hours at `price × (1 + escalator)^k`.
    fn revenue(&self, year: u32, used: Fraction) -> Result<Decimal> {
        let hours = self.paid_hours(year, used)?;
        if hours.is_zero() {
            return Ok(Decimal::ZERO);
        }
        let mut price = self.price_per_gpu_hour.get();
        let step = Decimal::ONE.add_or(self.escalator_per_year, "contracted_revenue")?;
        for _ in self.start_year..year {
            price = price.mul_or(step, "contracted_revenue")?;
        }
        hours.mul_or(price, "contracted_revenue")
    }

    /// Revenue over the whole term.
    fn term_revenue(&self, used: Fraction) -> Result<Decimal> {
        (self.start_year..=self.end_year()).try_fold(Decimal::ZERO, |acc, t| {
            acc.add_or(self.revenue(t, used)?, "contracted_revenue")
        })
    }
}

/// What the fleet in service at the horizon is worth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Terminal {
    /// Its book value: cost less straight-line depreciation to the
    /// residual (the residual itself when it retires at the horizon).
    BookValue,
    /// The business sold as a going concern at this multiple of the last
    /// year's NOI (never below zero).
    ExitMultiple(Decimal),
}

/// The validated input of [`gpu_cloud`].
#[derive(Debug, Clone, PartialEq)]
pub struct GpuCloudInput {
    /// GPUs in the fleet, 1 to [`MAX_GPU_COUNT`].
    pub gpu_count: u64,
    /// Capex per GPU of the first fleet, USD (GPU, server and network share).
    pub capex_per_gpu: Usd,
    /// Rent of a new GPU of the first fleet, USD per GPU-hour sold.
    pub price_per_gpu_hour: Usd,
    /// Fall in the rent a year of a fleet's age: year `a` of a fleet's life
    /// (0-based) rents at `price × (1 − decline)^a`.
    pub price_decline_per_year: Fraction,
    /// The share of spot GPU-hours sold, year by year.
    pub utilization: SpotUtilization,
    /// GPUs sold for a term, at most [`MAX_CONTRACTS`]; the rest are spot.
    pub contracts: Vec<Contract>,
    /// Share of contracted GPU-hours the customers use: the contracted
    /// GPUs draw power for it, and without take-or-pay pay for it.
    pub contracted_utilization: Fraction,
    /// Later tranches of GPUs, at most [`MAX_DELIVERIES`].
    pub deliveries: Vec<Delivery>,
    /// Years each fleet serves, 1 to [`MAX_USEFUL_LIFE_YEARS`].
    pub useful_life_years: u32,
    /// What a retired fleet sells for, a fraction of its capex.
    pub residual_fraction: Fraction,
    /// The fleet that replaces a retired one, if any; without it the
    /// operator stops at the end of the first fleet's life.
    pub refresh: Option<Refresh>,
    /// All-in IT power per GPU at full load, kW (GPU, server, network).
    pub power_kw_per_gpu: Decimal,
    /// Power usage effectiveness of the site.
    pub pue: Pue,
    /// Power price, USD per MWh.
    pub power_price_per_mwh: Usd,
    /// Share of full power an unsold GPU draws: 0 draws power only for the
    /// hours sold, 1 draws full power all year.
    pub idle_power_fraction: Fraction,
    /// Other opex, USD per GPU per month, while a fleet is in service.
    pub other_opex_per_gpu_month: Usd,
    /// Other opex as a fraction of revenue (sales, support).
    pub opex_fraction_of_revenue: Fraction,
    /// Income tax on NOI less depreciation, never below zero (no loss
    /// carry-forward); none on residual or terminal proceeds.
    pub tax_rate: Fraction,
    /// Discount rate a year.
    pub discount_rate: Decimal,
    /// The last year of operation, 1 to [`MAX_HORIZON_YEARS`].
    pub horizon_years: u32,
    /// How the fleet in service at the horizon is valued.
    pub terminal: Terminal,
}

/// The fleet bought at each end of life.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Refresh {
    /// Capex per GPU of each new fleet, USD.
    pub capex_per_gpu: Usd,
    /// Rent of a new GPU of each new fleet, USD per GPU-hour (the new
    /// generation, declining with its own age).
    pub price_per_gpu_hour: Usd,
}

/// One year of the model. Money is exact (unrounded) USD.
#[derive(Debug, Clone, PartialEq)]
pub struct GpuCloudYear {
    /// 0 for the purchase, then 1 to the horizon.
    pub year: u32,
    /// GPU-hours sold (contracted and spot) / the fleet's GPU-hours.
    pub utilization: Decimal,
    /// GPU-hours sold: contracted (paid) and spot.
    pub gpu_hours_sold: Decimal,
    /// The spot rent that year of the first fleet's GPUs (0 when it is
    /// not in service), USD per GPU-hour.
    pub price_per_gpu_hour: Decimal,
    /// GPUs held by the contracts in force.
    pub contracted_gpus: u64,
    /// Contracted GPU-hours paid for.
    pub contracted_gpu_hours: Decimal,
    /// Spot GPU-hours sold.
    pub spot_gpu_hours: Decimal,
    /// Revenue of the contracts in force.
    pub contracted_revenue: Decimal,
    /// Spot GPU-hours × spot price.
    pub spot_revenue: Decimal,
    /// Contracted plus spot revenue.
    pub revenue: Decimal,
    /// GPUs in service: the first fleet's and the deliveries'.
    pub gpus_in_service: u64,
    /// Energy bought × power price.
    pub power_cost: Decimal,
    /// Other opex, per GPU and as a share of revenue.
    pub other_opex: Decimal,
    /// Revenue − power − other opex.
    pub noi: Decimal,
    /// Straight-line depreciation of the fleet in service to its residual.
    pub depreciation: Decimal,
    /// `max(0, (NOI − depreciation) × tax_rate)`.
    pub tax: Decimal,
    /// Fleet bought at the end of the year (year 0: the first fleet).
    pub capex: Decimal,
    /// Residual value of a fleet retired at the end of the year.
    pub residual_proceeds: Decimal,
    /// Value of the fleet in service at the horizon (last year only).
    pub terminal_value: Decimal,
    /// Prepayments of contracts starting the next year, received at the
    /// end of this one.
    pub prepayment_received: Decimal,
    /// Prepayments applied against this year's contracted revenue (billed
    /// revenue not received in cash).
    pub prepayment_drawn: Decimal,
    /// NOI − tax − capex + residual + terminal value + prepayment received
    /// − prepayment drawn.
    pub cash_flow: Decimal,
    /// Running total of the cash flow.
    pub cumulative: Decimal,
}

/// The model's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct GpuCloud {
    /// Years 0 to the horizon.
    pub years: Vec<GpuCloudYear>,
    /// NPV of the cash flows at the discount rate.
    pub npv: Decimal,
    /// IRR of the cash flows, or why there is none.
    pub irr: Result<Decimal>,
    /// Years until the cumulative cash flow turns non-negative.
    pub payback_years: Option<Decimal>,
    /// Capex over the horizon, every fleet included.
    pub total_capex: Decimal,
    /// Revenue over the horizon.
    pub revenue_total: Decimal,
    /// Contracted revenue over the horizon.
    pub contracted_revenue_total: Decimal,
    /// `contracted_revenue_total / revenue_total`; none without revenue.
    pub contracted_share: Option<Decimal>,
    /// Σ positive cash flows / Σ |negative cash flows|; none without outflows.
    pub equity_multiple: Option<Decimal>,
    /// Revenue a year of the whole first fleet when new, sold at the spot
    /// price and the stabilised spot utilisation (contracts ignored).
    pub stabilized_revenue: Decimal,
    /// NOI a year on the same footing as `stabilized_revenue`.
    pub stabilized_noi: Decimal,
    /// Stabilised NOI / stabilised revenue; none without revenue.
    pub noi_margin: Option<Decimal>,
    /// `gpu_count × power_kw_per_gpu / 1,000`, MW of IT load.
    pub it_capacity_mw: Decimal,
    /// The years at whose end a new fleet is bought (year 0 excluded).
    pub refresh_years: Vec<u32>,
}

fn out_of_range(field: impl Into<String>, value: u64, max: u64, min: u64) -> CoreError {
    CoreError::invalid(
        field,
        ValueError::outside(value as f64, min as f64, max as f64),
    )
}

impl GpuCloudInput {
    /// Checks the counts and caps the wire's bounds also state.
    fn check(&self) -> Result<()> {
        if self.gpu_count == 0 || self.gpu_count > MAX_GPU_COUNT {
            return Err(out_of_range("gpu_count", self.gpu_count, MAX_GPU_COUNT, 1));
        }
        let life = u64::from(self.useful_life_years);
        if !(1..=u64::from(MAX_USEFUL_LIFE_YEARS)).contains(&life) {
            return Err(out_of_range(
                "useful_life_years",
                life,
                MAX_USEFUL_LIFE_YEARS.into(),
                1,
            ));
        }
        let horizon = u64::from(self.horizon_years);
        if !(1..=u64::from(MAX_HORIZON_YEARS)).contains(&horizon) {
            return Err(out_of_range(
                "horizon_years",
                horizon,
                MAX_HORIZON_YEARS.into(),
                1,
            ));
        }
        match &self.utilization {
            SpotUtilization::Ramp { months_to_ramp, .. } => {
                if *months_to_ramp > MAX_RAMP_MONTHS {
                    return Err(out_of_range(
                        "months_to_ramp",
                        (*months_to_ramp).into(),
                        MAX_RAMP_MONTHS.into(),
                        0,
                    ));
                }
            }
            SpotUtilization::ByYear(path) => {
                let len = path.len() as u64;
                if !(1..=u64::from(MAX_HORIZON_YEARS)).contains(&len) {
                    return Err(out_of_range(
                        "utilization_by_year",
                        len,
                        MAX_HORIZON_YEARS.into(),
                        1,
                    ));
                }
            }
        }
        self.check_deliveries()?;
        self.check_contracts()?;
        crate::num::within(self.power_kw_per_gpu, Decimal::ZERO, MAX_KW_PER_GPU)
            .and_then(crate::num::positive)
            .map_err(|e| CoreError::invalid("power_kw_per_gpu", e))?;
        cash_flow::discount_rate(self.discount_rate)
            .map_err(|e| CoreError::invalid("discount_rate", e))?;
        if let Terminal::ExitMultiple(m) = self.terminal {
            crate::num::within(m, Decimal::ZERO, crate::project::MAX_EXIT_MULTIPLE)
                .map_err(|e| CoreError::invalid("exit_multiple", e))?;
        }
        Ok(())
    }

    /// Checks each contract's counts and years, that the contracts in
    /// force never hold more than the fleet, and that no prepayment
    /// exceeds its contract's revenue.
    fn check_contracts(&self) -> Result<()> {
        let count = self.contracts.len() as u64;
        if count > MAX_CONTRACTS as u64 {
            return Err(out_of_range("contracts", count, MAX_CONTRACTS as u64, 0));
        }
        for (i, c) in self.contracts.iter().enumerate() {
            let at = |f: &str| format!("contracts[{i}].{f}");
            if c.gpu_count == 0 || c.gpu_count > MAX_GPU_COUNT {
                return Err(out_of_range(at("gpu_count"), c.gpu_count, MAX_GPU_COUNT, 1));
            }
            if c.gpu_count > self.total_gpus() {
                return Err(CoreError::Inconsistent {
                    field: at("gpu_count"),
                    reason: "a contract holds at most the fleet's GPUs, deliveries included",
                });
            }
            crate::num::within(
                c.escalator_per_year,
                -crate::project::MAX_ESCALATOR,
                crate::project::MAX_ESCALATOR,
            )
            .map_err(|e| CoreError::invalid(at("escalator_per_year"), e))?;
            let horizon = u64::from(self.horizon_years);
            if c.start_year == 0 || c.start_year > MAX_HORIZON_YEARS {
                return Err(out_of_range(
                    at("start_year"),
                    c.start_year.into(),
                    MAX_HORIZON_YEARS.into(),
                    1,
                ));
            }
            if u64::from(c.start_year) > horizon {
                return Err(CoreError::Inconsistent {
                    field: at("start_year"),
                    reason: "a contract starts by horizon_years",
                });
            }
            let longest = horizon - u64::from(c.start_year) + 1;
            if !(1..=longest).contains(&u64::from(c.term_years)) {
                return Err(CoreError::Inconsistent {
                    field: at("term_years"),
                    reason: "a contract runs at least a year and ends by horizon_years",
                });
            }
            if c.prepayment.get() > c.term_revenue(self.contracted_utilization)? {
                return Err(CoreError::Inconsistent {
                    field: at("prepayment_usd"),
                    reason: "a prepayment is at most the contract's revenue over its term",
                });
            }
        }
        for t in 1..=self.horizon_years {
            let in_service = self.gpus_in_service(t);
            let mut held = 0u64;
            for (i, c) in self.contracts.iter().enumerate() {
                if c.in_force(t) {
                    held += c.gpu_count;
                    if in_service == 0 {
                        return Err(CoreError::Inconsistent {
                            field: format!("contracts[{i}].term_years"),
                            reason: "the contract outlives the fleet's useful life and there is no refresh to serve it",
                        });
                    }
                    if held > in_service {
                        return Err(CoreError::Inconsistent {
                            field: format!("contracts[{i}].gpu_count"),
                            reason: "the contracts in force in one year hold more GPUs than are in service",
                        });
                    }
                }
            }
        }
        Ok(())
    }

    /// Checks the deliveries' counts and years.
    fn check_deliveries(&self) -> Result<()> {
        let count = self.deliveries.len() as u64;
        if count > MAX_DELIVERIES as u64 {
            return Err(out_of_range("deliveries", count, MAX_DELIVERIES as u64, 0));
        }
        let mut total = self.gpu_count;
        for (i, d) in self.deliveries.iter().enumerate() {
            let at = |f: &str| format!("deliveries[{i}].{f}");
            if d.gpu_count == 0 || d.gpu_count > MAX_GPU_COUNT {
                return Err(out_of_range(at("gpu_count"), d.gpu_count, MAX_GPU_COUNT, 1));
            }
            total += d.gpu_count;
            if total > MAX_GPU_COUNT {
                return Err(CoreError::Inconsistent {
                    field: at("gpu_count"),
                    reason: "the fleet and its deliveries hold at most 10,000,000 GPUs",
                });
            }
            if d.delivery_year == 0 || d.delivery_year > MAX_HORIZON_YEARS {
                return Err(out_of_range(
                    at("delivery_year"),
                    d.delivery_year.into(),
                    MAX_HORIZON_YEARS.into(),
                    1,
                ));
            }
            if d.delivery_year > self.horizon_years {
                return Err(CoreError::Inconsistent {
                    field: at("delivery_year"),
                    reason: "a delivery serves from a year within horizon_years",
                });
            }
        }
        Ok(())
    }

    /// The first fleet's GPUs and every delivery's.
    fn total_gpus(&self) -> u64 {
        self.deliveries
            .iter()
            .fold(self.gpu_count, |n, d| n + d.gpu_count)
    }

    /// The first fleet, then the deliveries.
    fn tranches(&self) -> Vec<Tranche> {
        let renew = |terms: (Usd, Usd)| self.refresh.map(|_| terms);
        let mut all = vec![Tranche {
            gpus: self.gpu_count,
            first_year: 1,
            terms: (self.capex_per_gpu, self.price_per_gpu_hour),
            renewal: self
                .refresh
                .map(|r| (r.capex_per_gpu, r.price_per_gpu_hour)),
        }];
        all.extend(self.deliveries.iter().map(|d| Tranche {
            gpus: d.gpu_count,
            first_year: d.delivery_year,
            terms: (d.capex_per_gpu, d.price_per_gpu_hour),
            renewal: renew((d.capex_per_gpu, d.price_per_gpu_hour)),
        }));
        all
    }

    /// GPUs in service in year `t`.
    fn gpus_in_service(&self, t: u32) -> u64 {
        self.tranches()
            .iter()
            .filter(|tr| {
                t >= tr.first_year
                    && ((t - tr.first_year) / self.useful_life_years == 0 || tr.renewal.is_some())
            })
            .map(|tr| tr.gpus)
            .sum()
    }

    /// The generation of tranche `tr` in service in year `t`, if any: the
    /// tranche's generation `g = ⌊(t − first) / L⌋` of age `(t − first)
    /// mod L`.
    fn in_service(&self, tr: &Tranche, t: u32) -> Result<Option<InService>> {
        if t < tr.first_year {
            return Ok(None);
        }
        let life = self.useful_life_years;
        let (g, age) = ((t - tr.first_year) / life, (t - tr.first_year) % life);
        let terms = |g: u32| if g == 0 { Some(tr.terms) } else { tr.renewal };
        let Some((capex_per_gpu, new_price)) = terms(g) else {
            return Ok(None);
        };
        let gpus = Decimal::from(tr.gpus);
        let capex = gpus.mul_or(capex_per_gpu.get(), "capex")?;
        let residual = capex.mul_or(self.residual_fraction.get(), "residual_proceeds")?;
        let mut price = new_price.get();
        for _ in 0..age {
            price = price.mul_or(
                Decimal::ONE.sub_or(self.price_decline_per_year.get(), "price")?,
                "price",
            )?;
        }
        let next_capex = match terms(g + 1) {
            Some((c, _)) => Some(gpus.mul_or(c.get(), "capex")?),
            None => None,
        };
        Ok(Some(InService {
            gpus: tr.gpus,
            capex,
            residual,
            price,
            served: age + 1,
            next_capex,
        }))
    }

    /// `(gpu_count + Σ deliveries) × power_kw_per_gpu / 1,000`.
    pub fn it_capacity_mw(&self) -> Result<Decimal> {
        Decimal::from(self.total_gpus())
            .mul_or(self.power_kw_per_gpu, "it_capacity_mw")?
            .div_or(Decimal::ONE_THOUSAND, "it_capacity_mw")
    }

    /// Revenue, power cost, other opex and NOI of a year of `gpus` in
    /// service selling `hours` of spot GPU-hours for `spot_revenue`, with
    /// `contracted` revenue and `contracted_used` GPU-hours used by the
    /// contracts' customers.
    fn operations(
        &self,
        gpus: u64,
        hours: Decimal,
        spot_revenue: Decimal,
        contracted: Decimal,
        contracted_used: Decimal,
    ) -> Result<[Decimal; 4]> {
        let n = Decimal::from(gpus);
        let revenue = contracted.add_or(spot_revenue, "revenue")?;
        let used = contracted_used.add_or(hours, "power_cost")?;
        let idle = self.idle_power_fraction.get();
        // Full-power hours: the hours used, plus the idle share of the rest.
        let powered_hours = n
            .mul_or(HOURS_PER_YEAR, "power_cost")?
            .sub_or(used, "power_cost")?
            .mul_or(idle, "power_cost")?
            .add_or(used, "power_cost")?;
        let energy_mwh = powered_hours
            .mul_or(self.power_kw_per_gpu, "power_cost")?
            .mul_or(self.pue.get(), "power_cost")?
            .div_or(Decimal::ONE_THOUSAND, "power_cost")?;
        let power_cost = energy_mwh.mul_or(self.power_price_per_mwh.get(), "power_cost")?;
        let other_opex = n
            .mul_or(self.other_opex_per_gpu_month.get(), "other_opex")?
            .mul_or(MONTHS_PER_YEAR, "other_opex")?
            .add_or(
                revenue.mul_or(self.opex_fraction_of_revenue.get(), "other_opex")?,
                "other_opex",
            )?;
        let noi = revenue
            .sub_or(power_cost, "noi")?
            .sub_or(other_opex, "noi")?;
        Ok([revenue, power_cost, other_opex, noi])
    }

    /// Prepayments received at the end of `year`: those of the contracts
    /// starting the year after.
    fn prepayment_received(&self, year: u32) -> Result<Decimal> {
        self.contracts
            .iter()
            .filter(|c| c.start_year == year + 1)
            .try_fold(Decimal::ZERO, |acc, c| {
                acc.add_or(c.prepayment.get(), "prepayment_received")
            })
    }

    /// Prepayments drawn in `year`: each contract's prepayment × its
    /// revenue that year / its revenue over the term.
    fn prepayment_drawn(&self, year: u32) -> Result<Decimal> {
        let used = self.contracted_utilization;
        let mut drawn = Decimal::ZERO;
        for c in &self.contracts {
            if c.prepayment.get().is_zero() || !c.in_force(year) {
                continue;
            }
            let share = c
                .prepayment
                .get()
                .mul_or(c.revenue(year, used)?, "prepayment_drawn")?
                .div_or(c.term_revenue(used)?, "prepayment_drawn")?;
            drawn = drawn.add_or(share, "prepayment_drawn")?;
        }
        Ok(drawn)
    }
}

/// The GPU cloud's yearly cash flows and returns.
///
/// # Formula
/// For year `t ≥ 1`, served by fleet `g = ⌊(t − 1) / L⌋` of age
/// `a = (t − 1) mod L` years (`L` the useful life), with `C_g` its capex
/// (`gpu_count × capex_per_gpu`) and `R_g = residual_fraction × C_g`;
/// `K_t` the GPUs of the contracts in force, `u_c` the contracted
/// utilisation:
/// ```text
/// paid_t     = Σ in force  gpus_k × 8,760 × (1 if take-or-pay else u_c)
/// contract_t = Σ in force  paid_k × price_k × (1 + escalator_k)^(t − start_k)
/// hours_t    = (gpu_count − K_t) × 8,760 × utilisation_t   (spot; ramp months averaged)
/// price_t    = price_g × (1 − price_decline_per_year)^a
/// revenue_t  = contract_t + hours_t × price_t
/// used_t     = K_t × 8,760 × u_c + hours_t
/// power_t    = (used_t + idle × (gpu_count × 8,760 − used_t)) × kW × PUE / 1,000 × $/MWh
/// opex_t     = gpu_count × other_opex_per_gpu_month × 12 + opex_fraction × revenue_t
/// NOI_t      = revenue_t − power_t − opex_t
/// dep_t      = (C_g − R_g) / L
/// tax_t      = max(0, (NOI_t − dep_t) × tax_rate)
/// capex_t    = C_{t/L} when L divides t, t < horizon and the fleet is refreshed; C_0 at t = 0
/// residual_t = R_{t/L − 1} when L divides t, 0 < t < horizon and fleet t/L − 1 served
/// terminal_H = C_g − (C_g − R_g) × (H − gL) / L   or   max(0, multiple × NOI_H)
/// prepaid_t  = Σ prepayment_k of contracts starting at t + 1
/// drawn_t    = Σ in force  prepayment_k × contract_k,t / Σ_s contract_k,s
/// CF_t       = NOI_t − tax_t − capex_t + residual_t + terminal_t + prepaid_t − drawn_t
/// ```
/// Tax is on NOI as earned: a prepayment is taxed as it is drawn.
/// Without a refresh, years after the first fleet's life are empty.
///
/// With [`Delivery`] tranches, each tranche (the first fleet from year 1,
/// each delivery from its `delivery_year`) runs the fleet lines above on
/// its own clock: bought at the end of the year before it first serves,
/// aged, depreciated, retired and renewed (at its own capex and price)
/// every `L` years. `gpu_count` in power and opex becomes `N_t`, the GPUs
/// in service; revenue, depreciation, residuals, capex and book values add
/// up over the tranches; the contracts take GPUs from each tranche `j` in
/// proportion, leaving `n_j − K_t × n_j / N_t` of it spot at its own
/// price.
/// NPV, IRR and payback are those of [`cash_flow`].
pub fn gpu_cloud(input: &GpuCloudInput) -> Result<GpuCloud> {
    input.check()?;
    let life = input.useful_life_years;
    let horizon = input.horizon_years;
    let tranches = input.tranches();
    // Bought at the end of year `y`: the tranches first serving `y + 1`.
    let bought = |y: u32| -> Result<Decimal> {
        tranches
            .iter()
            .filter(|tr| tr.first_year == y + 1)
            .try_fold(Decimal::ZERO, |acc, tr| {
                acc.add_or(
                    Decimal::from(tr.gpus).mul_or(tr.terms.0.get(), "capex")?,
                    "capex",
                )
            })
    };
    let first_capex = bought(0)?;
    let prepaid = input.prepayment_received(0)?;
    let first_flow = prepaid.sub_or(first_capex, "cash_flow")?;
    let mut years = vec![GpuCloudYear {
        year: 0,
        utilization: Decimal::ZERO,
        gpu_hours_sold: Decimal::ZERO,
        price_per_gpu_hour: Decimal::ZERO,
        contracted_gpus: 0,
        contracted_gpu_hours: Decimal::ZERO,
        spot_gpu_hours: Decimal::ZERO,
        contracted_revenue: Decimal::ZERO,
        spot_revenue: Decimal::ZERO,
        revenue: Decimal::ZERO,
        gpus_in_service: 0,
        power_cost: Decimal::ZERO,
        other_opex: Decimal::ZERO,
        noi: Decimal::ZERO,
        depreciation: Decimal::ZERO,
        tax: Decimal::ZERO,
        capex: first_capex,
        residual_proceeds: Decimal::ZERO,
        terminal_value: Decimal::ZERO,
        prepayment_received: prepaid,
        prepayment_drawn: Decimal::ZERO,
        cash_flow: first_flow,
        cumulative: first_flow,
    }];
    let slots = HOURS_PER_YEAR.mul_or(Decimal::from(input.gpu_count), "utilization")?;
    let mut refresh_years = Vec::new();
    for t in 1..=horizon {
        let mut row = GpuCloudYear {
            year: t,
            ..years[0].clone()
        };
        row.prepayment_received = input.prepayment_received(t)?;
        row.capex = if t < horizon {
            bought(t)?
        } else {
            Decimal::ZERO
        };
        let mut serving = Vec::new();
        for (i, tr) in tranches.iter().enumerate() {
            if let Some(s) = input.in_service(tr, t)? {
                serving.push((i, s));
            }
        }
        let gpus: u64 = serving.iter().map(|(_, s)| s.gpus).sum();
        if gpus > 0 {
            let used_share = input.contracted_utilization;
            let mut contracted_gpus = 0u64;
            let (mut paid, mut contracted, mut contracted_used) =
                (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
            for c in input.contracts.iter().filter(|c| c.in_force(t)) {
                contracted_gpus += c.gpu_count;
                paid = paid.add_or(c.paid_hours(t, used_share)?, "contracted_gpu_hours")?;
                contracted = contracted.add_or(c.revenue(t, used_share)?, "contracted_revenue")?;
                contracted_used = contracted_used.add_or(
                    Decimal::from(c.gpu_count)
                        .mul_or(HOURS_PER_YEAR, "power_cost")?
                        .mul_or(used_share.get(), "power_cost")?,
                    "power_cost",
                )?;
            }
            // The contracts take GPUs from each tranche in proportion to
            // its size; the rest of each is spot at its own price.
            let (mut spot_hours, mut spot_revenue, mut depreciation) =
                (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
            for (i, s) in &serving {
                let own = Decimal::from(s.gpus);
                let spot_gpus = own.sub_or(
                    Decimal::from(contracted_gpus)
                        .mul_or(own, "spot_gpu_hours")?
                        .div_or(Decimal::from(gpus), "spot_gpu_hours")?,
                    "spot_gpu_hours",
                )?;
                let hours = input.utilization.hours(spot_gpus, t)?;
                spot_hours = spot_hours.add_or(hours, "spot_gpu_hours")?;
                spot_revenue = spot_revenue.add_or(hours.mul_or(s.price, "revenue")?, "revenue")?;
                depreciation = depreciation.add_or(
                    s.capex
                        .sub_or(s.residual, "depreciation")?
                        .div_or(Decimal::from(life), "depreciation")?,
                    "depreciation",
                )?;
                if *i == 0 {
                    row.price_per_gpu_hour = s.price;
                }
            }
            let [revenue, power_cost, other_opex, noi] =
                input.operations(gpus, spot_hours, spot_revenue, contracted, contracted_used)?;
            let hours = paid.add_or(spot_hours, "gpu_hours_sold")?;
            row.gpus_in_service = gpus;
            row.contracted_gpus = contracted_gpus;
            row.contracted_gpu_hours = paid;
            row.spot_gpu_hours = spot_hours;
            row.contracted_revenue = contracted;
            row.spot_revenue = spot_revenue;
            row.prepayment_drawn = input.prepayment_drawn(t)?;
            row.utilization = hours.div_or(
                HOURS_PER_YEAR.mul_or(Decimal::from(gpus), "utilization")?,
                "utilization",
            )?;
            row.gpu_hours_sold = hours;
            row.revenue = revenue;
            row.power_cost = power_cost;
            row.other_opex = other_opex;
            row.noi = noi;
            row.depreciation = depreciation;
            row.tax = noi
                .sub_or(depreciation, "tax")?
                .mul_or(input.tax_rate.get(), "tax")?
                .max(Decimal::ZERO);
            let mut renewed = false;
            for (_, s) in &serving {
                if s.served == life && t < horizon {
                    row.residual_proceeds = row
                        .residual_proceeds
                        .add_or(s.residual, "residual_proceeds")?;
                    if let Some(next) = s.next_capex {
                        row.capex = row.capex.add_or(next, "capex")?;
                        renewed = true;
                    }
                }
                if t == horizon {
                    if let Terminal::BookValue = input.terminal {
                        let book = s.capex.sub_or(
                            s.capex
                                .sub_or(s.residual, "terminal_value")?
                                .mul_or(Decimal::from(s.served), "terminal_value")?
                                .div_or(Decimal::from(life), "terminal_value")?,
                            "terminal_value",
                        )?;
                        row.terminal_value = row.terminal_value.add_or(book, "terminal_value")?;
                    }
                }
            }
            if renewed {
                refresh_years.push(t);
            }
            if t == horizon {
                if let Terminal::ExitMultiple(m) = input.terminal {
                    row.terminal_value = noi.mul_or(m, "terminal_value")?.max(Decimal::ZERO);
                }
            }
        }
        row.cash_flow = row
            .noi
            .sub_or(row.tax, "cash_flow")?
            .sub_or(row.capex, "cash_flow")?
            .add_or(row.residual_proceeds, "cash_flow")?
            .add_or(row.terminal_value, "cash_flow")?
            .add_or(row.prepayment_received, "cash_flow")?
            .sub_or(row.prepayment_drawn, "cash_flow")?;
        let before = years.last().map_or(Decimal::ZERO, |y| y.cumulative);
        row.cumulative = before.add_or(row.cash_flow, "cumulative")?;
        years.push(row);
    }
    let flows: Vec<Decimal> = years.iter().map(|y| y.cash_flow).collect();
    let total_capex = years
        .iter()
        .try_fold(Decimal::ZERO, |acc, y| acc.add_or(y.capex, "total_capex"))?;
    let (mut inflows, mut outflows) = (Decimal::ZERO, Decimal::ZERO);
    for f in &flows {
        if *f < Decimal::ZERO {
            outflows = outflows.sub_or(*f, "equity_multiple")?;
        } else {
            inflows = inflows.add_or(*f, "equity_multiple")?;
        }
    }
    let equity_multiple = if outflows > Decimal::ZERO {
        Some(inflows.div_or(outflows, "equity_multiple")?)
    } else {
        None
    };
    let stabilized_hours = slots.mul_or(input.utilization.stabilized(), "stabilized_noi")?;
    let [stabilized_revenue, _, _, stabilized_noi] = input.operations(
        input.gpu_count,
        stabilized_hours,
        stabilized_hours.mul_or(input.price_per_gpu_hour.get(), "stabilized_noi")?,
        Decimal::ZERO,
        Decimal::ZERO,
    )?;
    let revenue_total = years.iter().try_fold(Decimal::ZERO, |acc, y| {
        acc.add_or(y.revenue, "revenue_total")
    })?;
    let contracted_revenue_total = years.iter().try_fold(Decimal::ZERO, |acc, y| {
        acc.add_or(y.contracted_revenue, "contracted_revenue_total")
    })?;
    let contracted_share = if revenue_total > Decimal::ZERO {
        Some(contracted_revenue_total.div_or(revenue_total, "contracted_share")?)
    } else {
        None
    };
    let noi_margin = if stabilized_revenue > Decimal::ZERO {
        Some(stabilized_noi.div_or(stabilized_revenue, "noi_margin")?)
    } else {
        None
    };
    Ok(GpuCloud {
        npv: cash_flow::npv(input.discount_rate, &flows)?,
        irr: cash_flow::irr(&flows),
        payback_years: cash_flow::payback(&flows)?,
        years,
        total_capex,
        revenue_total,
        contracted_revenue_total,
        contracted_share,
        equity_multiple,
        stabilized_revenue,
        stabilized_noi,
        noi_margin,
        it_capacity_mw: input.it_capacity_mw()?,
        refresh_years,
    })
}

/// An input of the GPU cloud that goal seek can vary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GpuVariable {
    /// Rent of a new GPU of the first fleet, USD per GPU-hour, > 0; a
    /// refresh renting at the first fleet's price (the default) moves with
    /// it. Contracts and deliveries keep theirs.
    PricePerGpuHour,
    /// Capex per GPU of the first fleet, USD, ≥ 0; a refresh bought at the
    /// first fleet's capex (the default) moves with it. Deliveries keep
    /// theirs.
    CapexPerGpu,
    /// Spot utilisation once ramped, in [0, 1]; the base must give
    /// `utilization` (not `utilization_by_year`).
    Utilization,
    /// Fall in the rent a year of a fleet's age, in [0, 1].
    PriceDeclinePerYear,
    /// Power price, USD per MWh, ≥ 0.
    PowerPricePerMwh,
    /// Discount rate a year.
    DiscountRate,
}

impl GpuVariable {
    /// The variable's wire name, which is also the field named in errors.
    pub fn name(self) -> &'static str {
        match self {
            GpuVariable::PricePerGpuHour => "price_per_gpu_hour",
            GpuVariable::CapexPerGpu => "capex_per_gpu",
            GpuVariable::Utilization => "utilization",
            GpuVariable::PriceDeclinePerYear => "price_decline_per_year",
            GpuVariable::PowerPricePerMwh => "power_price_per_mwh",
            GpuVariable::DiscountRate => "discount_rate",
        }
    }
}

/// A result of the GPU cloud that goal seek can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GpuMetric {
    /// Net present value, USD.
    Npv,
    /// Internal rate of return, a fraction a year.
    Irr,
    /// Payback, years.
    PaybackYears,
    /// Equity multiple.
    EquityMultiple,
}

impl GpuMetric {
    /// The metric's wire name.
    pub fn name(self) -> &'static str {
        match self {
            GpuMetric::Npv => "npv",
            GpuMetric::Irr => "irr",
            GpuMetric::PaybackYears => "payback_years",
            GpuMetric::EquityMultiple => "equity_multiple",
        }
    }

    /// The metric's value in `out`.
    pub fn of(self, out: &GpuCloud) -> Result<Decimal> {
        let missing = |reason| CoreError::NoSolution {
            quantity: self.name(),
            reason,
        };
        match self {
            GpuMetric::Npv => Ok(out.npv),
            GpuMetric::Irr => out.irr.clone(),
            GpuMetric::PaybackYears => out
                .payback_years
                .ok_or(missing("the cumulative cash flow never turns positive")),
            GpuMetric::EquityMultiple => out
                .equity_multiple
                .ok_or(missing("nothing is invested, so there is no multiple")),
        }
    }
}

/// The GPU cloud's range searched when none is given, per variable.
///
/// | variable | bracket |
/// | --- | --- |
/// | `price_per_gpu_hour` | [0.01, 100] |
/// | `capex_per_gpu` | [0, 1,000,000] |
/// | `utilization`, `price_decline_per_year` | [0, 1] |
/// | `power_price_per_mwh` | [0, 10,000] |
/// | `discount_rate` | [0, 1] |
pub fn gpu_default_bracket(variable: GpuVariable) -> (Decimal, Decimal) {
    let d = Decimal::new;
    match variable {
        GpuVariable::PricePerGpuHour => (d(1, 2), d(100, 0)),
        GpuVariable::CapexPerGpu => (Decimal::ZERO, d(1_000_000, 0)),
        GpuVariable::Utilization | GpuVariable::PriceDeclinePerYear | GpuVariable::DiscountRate => {
            (Decimal::ZERO, Decimal::ONE)
        }
        GpuVariable::PowerPricePerMwh => (Decimal::ZERO, d(10_000, 0)),
    }
}

impl crate::goal_seek::Seekable for GpuCloudInput {
    type Variable = GpuVariable;
    type Metric = GpuMetric;

    fn unsupported(&self, variable: GpuVariable) -> Option<&'static str> {
        match (variable, &self.utilization) {
            (GpuVariable::Utilization, SpotUtilization::ByYear(_)) => {
                Some("utilization needs a base with `utilization`, not `utilization_by_year`")
            }
            _ => None,
        }
    }

    fn set(&mut self, variable: GpuVariable, value: Decimal) -> Result<()> {
        let field = variable.name();
        match variable {
            GpuVariable::PricePerGpuHour => {
                let price = Usd::new(value).at(field)?;
                if let Some(r) = &mut self.refresh {
                    if r.price_per_gpu_hour == self.price_per_gpu_hour {
                        r.price_per_gpu_hour = price;
                    }
                }
                self.price_per_gpu_hour = price;
            }
            GpuVariable::CapexPerGpu => {
                let capex = Usd::new(value).at(field)?;
                if let Some(r) = &mut self.refresh {
                    if r.capex_per_gpu == self.capex_per_gpu {
                        r.capex_per_gpu = capex;
                    }
                }
                self.capex_per_gpu = capex;
            }
            GpuVariable::Utilization => {
                let u = Fraction::new(value).at(field)?;
                if let SpotUtilization::Ramp { utilization, .. } = &mut self.utilization {
                    *utilization = u;
                }
            }
            GpuVariable::PriceDeclinePerYear => {
                self.price_decline_per_year = Fraction::new(value).at(field)?
            }
            GpuVariable::PowerPricePerMwh => {
                self.power_price_per_mwh = Usd::new(value).at(field)?
            }
            GpuVariable::DiscountRate => self.discount_rate = value,
        }
        Ok(())
    }

    fn metric(&self, metric: GpuMetric) -> Result<Decimal> {
        metric.of(&gpu_cloud(self)?)
    }

    fn metric_name(metric: GpuMetric) -> &'static str {
        metric.name()
    }

    fn default_bracket(variable: GpuVariable) -> (Decimal, Decimal) {
        gpu_default_bracket(variable)
    }

    fn tolerance_of(metric: GpuMetric) -> Decimal {
        match metric {
            GpuMetric::Npv => crate::tolerance::GOAL_SEEK_MONEY_ABS,
            _ => crate::tolerance::GOAL_SEEK_RATIO_ABS,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use approx::assert_abs_diff_eq;
    use rust_decimal::MathematicalOps;
    use rust_decimal_macros::dec;

    use super::*;

    fn usd(v: Decimal) -> Usd {
        Usd::new(v).unwrap()
    }

    fn fraction(v: Decimal) -> Fraction {
        Fraction::new(v).unwrap()
    }

    /// 1,000 GPUs at $25,000, a 3-year life with 10% residual, refreshed
    /// once in a 6-year horizon; $2.50 an hour falling 20% a year of age;
    /// 80% utilisation reached over 12 months; 1.4 kW at PUE 1.25 and
    /// $50/MWh; $100 per GPU-month plus 5% of revenue; 25% tax; 10%.
    pub(crate) fn small_fleet() -> GpuCloudInput {
        GpuCloudInput {
            gpu_count: 1_000,
            capex_per_gpu: usd(dec!(25_000)),
            price_per_gpu_hour: usd(dec!(2.5)),
            price_decline_per_year: fraction(dec!(0.2)),
            utilization: SpotUtilization::Ramp {
                utilization: fraction(dec!(0.8)),
                months_to_ramp: 12,
            },
            contracts: Vec::new(),
            contracted_utilization: Fraction::ONE,
            deliveries: Vec::new(),
            useful_life_years: 3,
            residual_fraction: fraction(dec!(0.1)),
            refresh: Some(Refresh {
                capex_per_gpu: usd(dec!(25_000)),
                price_per_gpu_hour: usd(dec!(2.5)),
            }),
            power_kw_per_gpu: dec!(1.4),
            pue: Pue::new(dec!(1.25)).unwrap(),
            power_price_per_mwh: usd(dec!(50)),
            idle_power_fraction: Fraction::ZERO,
            other_opex_per_gpu_month: usd(dec!(100)),
            opex_fraction_of_revenue: fraction(dec!(0.05)),
            tax_rate: fraction(dec!(0.25)),
            discount_rate: dec!(0.1),
            horizon_years: 6,
            terminal: Terminal::BookValue,
        }
    }

    /// One fleet of 1,000 GPUs at $30,000 on a 5-year life to a 5-year
    /// horizon, no residual, refresh, tax, decline, ramp or idle power;
    /// 80% utilisation; 1 kW at PUE 1.25 and $40/MWh; $100 per GPU-month;
    /// 10%.
    fn closed_form_fleet() -> GpuCloudInput {
        let mut f = small_fleet();
        f.capex_per_gpu = usd(dec!(30_000));
        f.price_decline_per_year = Fraction::ZERO;
        f.utilization = SpotUtilization::Ramp {
            utilization: fraction(dec!(0.8)),
            months_to_ramp: 0,
        };
        f.useful_life_years = 5;
        f.horizon_years = 5;
        f.residual_fraction = Fraction::ZERO;
        f.refresh = None;
        f.power_kw_per_gpu = dec!(1);
        f.power_price_per_mwh = usd(dec!(40));
        f.opex_fraction_of_revenue = Fraction::ZERO;
        f.tax_rate = Fraction::ZERO;
        f
    }

    /// The hand figure: NPV = 0 when, per GPU,
    /// ```text
    /// price × 8,760 × 0.8 × a = 30,000 + (8,760 × 0.8 × 1 × 1.25 / 1,000 × 40 + 100 × 12) × a
    /// a     = (1 − 1.1^−5) / 0.1 = 3.790786769408448
    /// price = (30,000 / a + 1,200) / 7,008 + 0.05
    ///       = (7,913.924423842 + 1,200) / 7,008 + 0.05 = 1.350502914361
    /// ```
    const CLOSED_FORM_PRICE: Decimal = dec!(1.350502914361);

    fn seek_price(metric: GpuMetric, target: Decimal) -> crate::goal_seek::GoalSeek {
        crate::goal_seek::goal_seek(&crate::goal_seek::GoalSeekInput {
            base: closed_form_fleet(),
            variable: GpuVariable::PricePerGpuHour,
            metric,
            target,
            bracket: None,
        })
        .unwrap()
    }

    #[test]
    fn the_break_even_price_per_gpu_hour_is_the_annuity_closed_form() {
        use approx::assert_relative_eq;

        use crate::tolerance::{Exact, GOAL_SEEK_MONEY_ABS, GOAL_SEEK_VALUE_REL};
        let out = seek_price(GpuMetric::Npv, Decimal::ZERO);
        assert_relative_eq!(
            Exact(out.value),
            Exact(CLOSED_FORM_PRICE),
            max_relative = GOAL_SEEK_VALUE_REL
        );
        assert_abs_diff_eq!(
            Exact(out.achieved),
            Exact(Decimal::ZERO),
            epsilon = GOAL_SEEK_MONEY_ABS
        );
    }

    #[test]
    fn the_price_for_an_irr_equal_to_the_discount_rate_is_the_break_even_price() {
        use approx::assert_relative_eq;

        use crate::tolerance::{Exact, GOAL_SEEK_VALUE_REL};
        let out = seek_price(GpuMetric::Irr, dec!(0.1));
        assert_relative_eq!(
            Exact(out.value),
            Exact(CLOSED_FORM_PRICE),
            max_relative = GOAL_SEEK_VALUE_REL
        );
    }

    #[test]
    fn a_refresh_at_the_first_fleets_price_moves_with_it_and_one_priced_apart_does_not() {
        use crate::goal_seek::Seekable;
        let mut fleet = small_fleet();
        fleet.set(GpuVariable::PricePerGpuHour, dec!(3)).unwrap();
        assert_eq!(fleet.refresh.unwrap().price_per_gpu_hour, usd(dec!(3)));
        let mut fleet = small_fleet();
        if let Some(r) = &mut fleet.refresh {
            r.price_per_gpu_hour = usd(dec!(2.75));
        }
        fleet.set(GpuVariable::PricePerGpuHour, dec!(3)).unwrap();
        assert_eq!(fleet.refresh.unwrap().price_per_gpu_hour, usd(dec!(2.75)));
    }

    #[test]
    fn utilization_by_year_cannot_be_sought() {
        let mut base = small_fleet();
        base.utilization = SpotUtilization::ByYear(vec![fraction(dec!(0.5))]);
        let err = crate::goal_seek::goal_seek(&crate::goal_seek::GoalSeekInput {
            base,
            variable: GpuVariable::Utilization,
            metric: GpuMetric::Irr,
            target: dec!(0.1),
            bracket: None,
        })
        .unwrap_err();
        assert_eq!(err.field(), Some("variable"));
    }

    #[test]
    fn a_small_fleet_matches_a_hand_built_table_line_by_line() {
        // Capex C = 1,000 × 25,000 = 25,000,000; residual R = 2,500,000;
        // depreciation (C − R) / 3 = 7,500,000 a year.
        // Hours at 80%: 1,000 × 8,760 × 0.8 = 7,008,000. Year 1 ramps over
        // 12 months: Σ min(j + 1, 12) = 78 of 144 month-twelfths, so
        // 7,008,000 × 78 / 144 = 3,796,000 hours.
        // Energy = hours × 1.4 kW × 1.25 / 1,000: year 1 6,643 MWh
        // ($332,150), a full year 12,264 MWh ($613,200).
        // Other opex = 1,000 × 100 × 12 = 1,200,000 + 5% of revenue.
        //
        // year price revenue      power    opex       NOI         tax (25% × (NOI − 7.5M))
        // 1    2.50  9,490,000   332,150  1,674,500   7,483,350   0 (−16,650 taxable)
        // 2    2.00  14,016,000  613,200  1,900,800  11,502,000   1,000,500
        // 3    1.60  11,212,800  613,200  1,760,640   8,838,960     334,740
        // 4    2.50  17,520,000  613,200  2,076,000  14,830,800   1,832,700  (new fleet, age 0)
        // 5    2.00  14,016,000  613,200  1,900,800  11,502,000   1,000,500
        // 6    1.60  11,212,800  613,200  1,760,640   8,838,960     334,740
        // Year 3: refresh capex 25,000,000, residual 2,500,000 received.
        // Year 6: the second fleet is at its end of life: terminal = book
        // value = R = 2,500,000.
        let rows = [
            // (rev, power, opex, noi, tax, capex, residual, terminal, cf)
            (
                dec!(0),
                dec!(0),
                dec!(0),
                dec!(0),
                dec!(0),
                dec!(25_000_000),
                dec!(0),
                dec!(0),
                dec!(-25_000_000),
            ),
            (
                dec!(9_490_000),
                dec!(332_150),
                dec!(1_674_500),
                dec!(7_483_350),
                dec!(0),
                dec!(0),
                dec!(0),
                dec!(0),
                dec!(7_483_350),
            ),
            (
                dec!(14_016_000),
                dec!(613_200),
                dec!(1_900_800),
                dec!(11_502_000),
                dec!(1_000_500),
                dec!(0),
                dec!(0),
                dec!(0),
                dec!(10_501_500),
            ),
            (
                dec!(11_212_800),
                dec!(613_200),
                dec!(1_760_640),
                dec!(8_838_960),
                dec!(334_740),
                dec!(25_000_000),
                dec!(2_500_000),
                dec!(0),
                dec!(-13_995_780),
            ),
            (
                dec!(17_520_000),
                dec!(613_200),
                dec!(2_076_000),
                dec!(14_830_800),
                dec!(1_832_700),
                dec!(0),
                dec!(0),
                dec!(0),
                dec!(12_998_100),
            ),
            (
                dec!(14_016_000),
                dec!(613_200),
                dec!(1_900_800),
                dec!(11_502_000),
                dec!(1_000_500),
                dec!(0),
                dec!(0),
                dec!(0),
                dec!(10_501_500),
            ),
            (
                dec!(11_212_800),
                dec!(613_200),
                dec!(1_760_640),
                dec!(8_838_960),
                dec!(334_740),
                dec!(0),
                dec!(0),
                dec!(2_500_000),
                dec!(11_004_220),
            ),
        ];
        let out = gpu_cloud(&small_fleet()).unwrap();
        assert_eq!(out.years.len(), rows.len());
        for (y, want) in out.years.iter().zip(rows) {
            let got = (
                y.revenue,
                y.power_cost,
                y.other_opex,
                y.noi,
                y.tax,
                y.capex,
                y.residual_proceeds,
                y.terminal_value,
                y.cash_flow,
            );
            assert_eq!(got, want, "year {}", y.year);
        }
        let depreciation: Vec<Decimal> = out.years.iter().map(|y| y.depreciation).collect();
        assert_eq!(
            depreciation,
            [
                dec!(0),
                dec!(7_500_000),
                dec!(7_500_000),
                dec!(7_500_000),
                dec!(7_500_000),
                dec!(7_500_000),
                dec!(7_500_000)
            ]
        );
        assert_eq!(out.years[1].gpu_hours_sold, dec!(3_796_000));
        assert_eq!(out.years[2].gpu_hours_sold, dec!(7_008_000));
        assert_eq!(out.refresh_years, [3]);
        assert_eq!(out.total_capex, dec!(50_000_000));
        assert_eq!(out.it_capacity_mw, dec!(1.4));
        // NPV at 10%, each flow over 1.1^t:
        // −25,000,000 + 7,483,350/1.1 + 10,501,500/1.21 − 13,995,780/1.331
        // + 12,998,100/1.4641 + 10,501,500/1.61051 + 11,004,220/1.771561
        // = −25,000,000 + 6,803,045.4545 + 8,678,925.6198 − 10,515,236.6642
        // + 8,877,877.1942 + 6,520,605.2741 + 6,211,595.3106 = 1,576,812.19
        assert_eq!(out.npv.round_dp(2), dec!(1_576_812.19));
        // The IRR zeroes the NPV (bisection on these flows: 11.858152%,
        // the only sign change of the NPV between −99% and 400%).
        let irr = out.irr.unwrap();
        assert_abs_diff_eq!(crate::num::to_f64(irr), 0.118_581_52, epsilon = 1e-7);
        let at_irr = cash_flow::npv(
            irr,
            &out.years.iter().map(|y| y.cash_flow).collect::<Vec<_>>(),
        )
        .unwrap();
        assert!(at_irr.abs() < dec!(0.01), "{at_irr}");
        // Stabilised: 7,008,000 h × 2.50 = 17,520,000; NOI 14,830,800.
        assert_eq!(out.stabilized_revenue, dec!(17_520_000));
        assert_eq!(out.stabilized_noi, dec!(14_830_800));
        // Cumulative: −25,000,000 + 7,483,350 + 10,501,500 = −7,015,150 after
        // year 2, −21,010,930 after 3, −8,012,830 after 4, 2,488,670 after
        // 5: payback = 4 + 8,012,830 / 10,501,500.
        assert_eq!(
            out.payback_years,
            Some(dec!(4) + dec!(8_012_830) / dec!(10_501_500))
        );
    }

    /// With no tax, no price decline and a horizon both lives divide, the
    /// two fleets earn the same NOI every year and differ only in the
    /// fleets bought: a 4-year life buys at years 4 and 8, a 6-year life at
    /// 6, each purchase `C` paid and `R` received, so
    /// `NPV₆ − NPV₄ = (C − R)(v⁴ − v⁶ + v⁸)`, `v = 1 / (1 + r)`: positive
    /// whenever the fleet loses value and the rate is not negative.
    #[test]
    fn a_six_year_life_beats_a_four_year_life_by_the_fleet_it_does_not_buy() {
        for (rate, residual) in [
            (dec!(0.1), dec!(0.1)),
            (dec!(0), dec!(0.25)),
            (dec!(0.3), dec!(0)),
        ] {
            let mut four = small_fleet();
            four.tax_rate = Fraction::ZERO;
            four.price_decline_per_year = Fraction::ZERO;
            four.residual_fraction = fraction(residual);
            four.discount_rate = rate;
            four.horizon_years = 12;
            four.useful_life_years = 4;
            let mut six = four.clone();
            six.useful_life_years = 6;
            let (npv4, npv6) = (gpu_cloud(&four).unwrap().npv, gpu_cloud(&six).unwrap().npv);
            let v = Decimal::ONE / (Decimal::ONE + rate);
            let lost = dec!(25_000_000) * (Decimal::ONE - residual);
            let want = lost * (v.powu(4) - v.powu(6) + v.powu(8));
            assert_abs_diff_eq!(
                crate::num::to_f64(npv6 - npv4),
                crate::num::to_f64(want),
                epsilon = 1e-4
            );
            assert!(npv6 > npv4);
        }
    }

    #[test]
    fn without_a_refresh_the_operator_stops_at_the_end_of_life() {
        let mut input = small_fleet();
        input.refresh = None;
        let out = gpu_cloud(&input).unwrap();
        assert_eq!(out.years[3].residual_proceeds, dec!(2_500_000));
        assert_eq!(out.years[3].capex, dec!(0));
        for y in &out.years[4..] {
            assert_eq!(
                (y.revenue, y.cash_flow, y.terminal_value),
                (dec!(0), dec!(0), dec!(0))
            );
        }
        assert!(out.refresh_years.is_empty());
    }

    #[test]
    fn mid_life_the_horizon_takes_the_book_value_or_the_exit_multiple() {
        let mut input = small_fleet();
        input.horizon_years = 4;
        // The second fleet has served 1 of 3 years: 25M − 22.5M / 3.
        let out = gpu_cloud(&input).unwrap();
        assert_eq!(out.years[4].terminal_value, dec!(17_500_000));
        input.terminal = Terminal::ExitMultiple(dec!(5));
        let out = gpu_cloud(&input).unwrap();
        assert_eq!(out.years[4].terminal_value, dec!(5) * dec!(14_830_800));
    }

    #[test]
    fn idle_gpus_draw_their_share_of_full_power() {
        let mut input = small_fleet();
        input.idle_power_fraction = Fraction::ONE;
        let out = gpu_cloud(&input).unwrap();
        // Always on: 1,000 × 8,760 × 1.4 × 1.25 / 1,000 × 50 = 766,500.
        assert_eq!(out.years[1].power_cost, dec!(766_500));
        assert_eq!(out.years[2].power_cost, dec!(766_500));
    }

    /// 1,000 GPUs at $20,000 (10% residual) on a 3-year life with no
    /// refresh, 3 years; 600 under a 2-year take-or-pay contract from
    /// year 1 at $2.50 escalating 3%, prepaid 20% of its revenue; the other
    /// 400 spot at $2.00 falling 10% a year at 75%; 1 kW at PUE 1.25 and
    /// $40/MWh; $100 per GPU-month; 20% tax; 10%.
    fn contracted_fleet() -> GpuCloudInput {
        GpuCloudInput {
            gpu_count: 1_000,
            capex_per_gpu: usd(dec!(20_000)),
            price_per_gpu_hour: usd(dec!(2)),
            price_decline_per_year: fraction(dec!(0.1)),
            utilization: SpotUtilization::Ramp {
                utilization: fraction(dec!(0.75)),
                months_to_ramp: 0,
            },
            contracts: vec![Contract {
                gpu_count: 600,
                price_per_gpu_hour: usd(dec!(2.5)),
                escalator_per_year: dec!(0.03),
                start_year: 1,
                term_years: 2,
                prepayment: usd(dec!(5_334_840)),
                take_or_pay: true,
            }],
            contracted_utilization: Fraction::ONE,
            deliveries: Vec::new(),
            useful_life_years: 3,
            residual_fraction: fraction(dec!(0.1)),
            refresh: None,
            power_kw_per_gpu: dec!(1),
            pue: Pue::new(dec!(1.25)).unwrap(),
            power_price_per_mwh: usd(dec!(40)),
            idle_power_fraction: Fraction::ZERO,
            other_opex_per_gpu_month: usd(dec!(100)),
            opex_fraction_of_revenue: Fraction::ZERO,
            tax_rate: fraction(dec!(0.2)),
            discount_rate: dec!(0.1),
            horizon_years: 3,
            terminal: Terminal::BookValue,
        }
    }

    #[test]
    fn contracted_and_spot_gpus_match_a_hand_built_table() {
        // Contract: 600 × 8,760 = 5,256,000 h paid a year (take-or-pay), at
        // $2.50 in year 1 (13,140,000) and $2.575 in year 2 (13,534,200);
        // over the term 26,674,200, so the 20% prepayment is 5,334,840,
        // received at year 0 and drawn 20% of each year's contract revenue:
        // 2,628,000 and 2,706,840. Year 3: no contract, all 1,000 are spot.
        // Spot hours: 400 × 8,760 × 0.75 = 2,628,000 (years 1, 2),
        // 1,000 × 8,760 × 0.75 = 6,570,000 (year 3), at 2.00, 1.80, 1.62.
        // Power: (contracted 5,256,000 + spot 2,628,000) = 7,884,000 h ×
        // 1 kW × 1.25 / 1,000 = 9,855 MWh × $40 = 394,200; year 3
        // 6,570,000 h → 8,212.5 MWh → 328,500. Opex 1,000 × 100 × 12.
        // Depreciation (20,000,000 − 2,000,000) / 3 = 6,000,000.
        //
        // year contract    spot        revenue     power    NOI         tax (20% × (NOI − 6M))
        // 1    13,140,000  5,256,000   18,396,000  394,200  16,801,800  2,160,360
        // 2    13,534,200  4,730,400   18,264,600  394,200  16,670,400  2,134,080
        // 3    0           10,643,400  10,643,400  328,500   9,114,900    622,980
        // CF: year 0 −20,000,000 + 5,334,840 = −14,665,160;
        // 1: 16,801,800 − 2,160,360 − 2,628,000 = 12,013,440;
        // 2: 16,670,400 − 2,134,080 − 2,706,840 = 11,829,480;
        // 3: 9,114,900 − 622,980 + 2,000,000 (the retired fleet's
        //    residual, its book value at the horizon) = 10,491,920.
        let out = gpu_cloud(&contracted_fleet()).unwrap();
        let rows: Vec<_> = out
            .years
            .iter()
            .map(|y| {
                [
                    Decimal::from(y.contracted_gpus),
                    y.contracted_gpu_hours,
                    y.spot_gpu_hours,
                    y.contracted_revenue,
                    y.spot_revenue,
                    y.revenue,
                    y.power_cost,
                    y.other_opex,
                    y.noi,
                    y.tax,
                    y.prepayment_received,
                    y.prepayment_drawn,
                    y.cash_flow,
                ]
            })
            .collect();
        let zero = Decimal::ZERO;
        assert_eq!(
            rows,
            [
                [
                    zero,
                    zero,
                    zero,
                    zero,
                    zero,
                    zero,
                    zero,
                    zero,
                    zero,
                    zero,
                    dec!(5_334_840),
                    zero,
                    dec!(-14_665_160)
                ],
                [
                    dec!(600),
                    dec!(5_256_000),
                    dec!(2_628_000),
                    dec!(13_140_000),
                    dec!(5_256_000),
                    dec!(18_396_000),
                    dec!(394_200),
                    dec!(1_200_000),
                    dec!(16_801_800),
                    dec!(2_160_360),
                    zero,
                    dec!(2_628_000),
                    dec!(12_013_440)
                ],
                [
                    dec!(600),
                    dec!(5_256_000),
                    dec!(2_628_000),
                    dec!(13_534_200),
                    dec!(4_730_400),
                    dec!(18_264_600),
                    dec!(394_200),
                    dec!(1_200_000),
                    dec!(16_670_400),
                    dec!(2_134_080),
                    zero,
                    dec!(2_706_840),
                    dec!(11_829_480)
                ],
                [
                    zero,
                    zero,
                    dec!(6_570_000),
                    zero,
                    dec!(10_643_400),
                    dec!(10_643_400),
                    dec!(328_500),
                    dec!(1_200_000),
                    dec!(9_114_900),
                    dec!(622_980),
                    zero,
                    zero,
                    dec!(10_491_920)
                ],
            ]
        );
        assert_eq!(out.years[3].terminal_value, dec!(2_000_000));
        // Sold / all hours: (5,256,000 + 2,628,000) / 8,760,000 = 0.9.
        assert_eq!(out.years[1].utilization, dec!(0.9));
        assert_eq!(out.years[2].price_per_gpu_hour, dec!(1.8));
        // Contracted 26,674,200 of 47,304,000 in all.
        assert_eq!(out.revenue_total, dec!(47_304_000));
        assert_eq!(out.contracted_revenue_total, dec!(26_674_200));
        assert_eq!(
            out.contracted_share,
            Some(dec!(26_674_200) / dec!(47_304_000))
        );
        // NPV at 10%: −14,665,160 + 12,013,440 / 1.1 + 11,829,480 / 1.21
        // + 10,491,920 / 1.331 = −14,665,160 + 10,921,309.0909
        // + 9,776,429.7521 + 7,882,734.7859 = 13,915,313.63.
        assert_eq!(out.npv.round_dp(2), dec!(13_915_313.63));
    }

    #[test]
    fn a_contract_not_taken_or_paid_earns_and_draws_power_for_the_hours_used() {
        let mut input = contracted_fleet();
        input.contracts[0].take_or_pay = false;
        input.contracts[0].prepayment = Usd::ZERO;
        input.contracted_utilization = fraction(dec!(0.5));
        let out = gpu_cloud(&input).unwrap();
        // Half the 5,256,000 contracted hours are used and paid:
        // 2,628,000 × 2.50 = 6,570,000; power for 2,628,000 + 2,628,000
        // spot hours = 5,256,000 × 1.25 / 1,000 × 40 = 262,800.
        assert_eq!(out.years[1].contracted_gpu_hours, dec!(2_628_000));
        assert_eq!(out.years[1].contracted_revenue, dec!(6_570_000));
        assert_eq!(out.years[1].power_cost, dec!(262_800));
        assert_eq!(out.years[0].cash_flow, dec!(-20_000_000));
    }

    #[test]
    fn contracts_beyond_the_fleet_or_its_life_are_refused_by_name() {
        let field = |input: GpuCloudInput| {
            gpu_cloud(&input)
                .unwrap_err()
                .field()
                .map(str::to_owned)
                .unwrap()
        };
        let mut input = contracted_fleet();
        input.contracts[0].gpu_count = 1_001;
        assert_eq!(field(input), "contracts[0].gpu_count");
        // Two contracts of 600 overlap in year 2: 1,200 > 1,000.
        let mut input = contracted_fleet();
        let mut second = input.contracts[0].clone();
        second.start_year = 2;
        second.term_years = 1;
        second.prepayment = Usd::ZERO;
        input.contracts.push(second.clone());
        assert_eq!(field(input), "contracts[1].gpu_count");
        // Back to back they fit: 600 in years 1 and 2, then 600 in year 3.
        let mut input = contracted_fleet();
        second.start_year = 3;
        input.contracts.push(second);
        assert!(gpu_cloud(&input).is_ok());
        // A 4-year contract outlives a 3-year fleet that is not refreshed.
        let mut input = contracted_fleet();
        input.horizon_years = 4;
        input.contracts[0].term_years = 4;
        assert_eq!(field(input.clone()), "contracts[0].term_years");
        input.refresh = Some(Refresh {
            capex_per_gpu: usd(dec!(20_000)),
            price_per_gpu_hour: usd(dec!(2)),
        });
        assert!(gpu_cloud(&input).is_ok());
        // Past the horizon, or prepaid beyond its revenue.
        let mut input = contracted_fleet();
        input.contracts[0].term_years = 3;
        input.contracts[0].start_year = 2;
        assert_eq!(field(input), "contracts[0].term_years");
        let mut input = contracted_fleet();
        input.contracts[0].prepayment = usd(dec!(26_674_200.01));
        assert_eq!(field(input), "contracts[0].prepayment_usd");
    }

    #[test]
    fn a_utilisation_path_sells_each_years_share_and_holds_the_last() {
        let mut input = small_fleet();
        input.utilization = SpotUtilization::ByYear(vec![fraction(dec!(0.5)), fraction(dec!(0.9))]);
        let out = gpu_cloud(&input).unwrap();
        // Hours: 1,000 × 8,760 × 0.5 = 4,380,000 in year 1, then
        // × 0.9 = 7,884,000 in every later year (the last value holds).
        // Year 1: revenue 4,380,000 × 2.50 = 10,950,000; power 4,380,000 ×
        // 1.4 × 1.25 / 1,000 = 7,665 MWh × 50 = 383,250; opex 1,200,000
        // + 5% × 10,950,000 = 1,747,500; NOI 8,819,250.
        // Year 2: 7,884,000 × 2.00 = 15,768,000; 13,797 MWh → 689,850;
        // opex 1,200,000 + 788,400 = 1,988,400; NOI 13,089,750.
        // Year 4 (new fleet): 7,884,000 × 2.50 = 19,710,000.
        let hours: Vec<_> = out.years.iter().map(|y| y.gpu_hours_sold).collect();
        assert_eq!(
            hours,
            [
                dec!(0),
                dec!(4_380_000),
                dec!(7_884_000),
                dec!(7_884_000),
                dec!(7_884_000),
                dec!(7_884_000),
                dec!(7_884_000)
            ]
        );
        let y1 = &out.years[1];
        assert_eq!(
            (y1.revenue, y1.power_cost, y1.other_opex, y1.noi),
            (
                dec!(10_950_000),
                dec!(383_250),
                dec!(1_747_500),
                dec!(8_819_250)
            )
        );
        let y2 = &out.years[2];
        assert_eq!(
            (y2.revenue, y2.power_cost, y2.other_opex, y2.noi),
            (
                dec!(15_768_000),
                dec!(689_850),
                dec!(1_988_400),
                dec!(13_089_750)
            )
        );
        assert_eq!(out.years[4].revenue, dec!(19_710_000));
        // Stabilised at the last value: 7,884,000 × 2.50.
        assert_eq!(out.stabilized_revenue, dec!(19_710_000));
        // A one-value path is the same model as a flat utilisation.
        let mut flat = small_fleet();
        flat.utilization = SpotUtilization::Ramp {
            utilization: fraction(dec!(0.8)),
            months_to_ramp: 0,
        };
        let mut path = flat.clone();
        path.utilization = SpotUtilization::ByYear(vec![fraction(dec!(0.8))]);
        assert_eq!(gpu_cloud(&flat).unwrap(), gpu_cloud(&path).unwrap());
    }

    /// 1,000 GPUs at $20,000 renting at $2.00 (10% decline a year), a
    /// 2-year life with 10% residual, refreshed, over 3 years; 500 more
    /// delivered for year 2 at $30,000 renting at $3.00; 75% spot
    /// utilisation; 1 kW at PUE 1.25 and $40/MWh; $100 per GPU-month; no
    /// tax; 10%.
    fn delivered_fleet() -> GpuCloudInput {
        let mut input = contracted_fleet();
        input.contracts.clear();
        input.tax_rate = Fraction::ZERO;
        input.useful_life_years = 2;
        input.refresh = Some(Refresh {
            capex_per_gpu: usd(dec!(20_000)),
            price_per_gpu_hour: usd(dec!(2)),
        });
        input.deliveries = vec![Delivery {
            gpu_count: 500,
            delivery_year: 2,
            capex_per_gpu: usd(dec!(30_000)),
            price_per_gpu_hour: usd(dec!(3)),
        }];
        input
    }

    #[test]
    fn a_later_delivery_ages_and_retires_on_its_own_clock() {
        // First fleet A: 20,000,000 at year 0, residual 2,000,000,
        // depreciation 9,000,000 a year; it rents at 2.00 in year 1, 1.80
        // in year 2, retires at year 2 (residual in, a new 20,000,000 fleet
        // bought) and the new one rents at 2.00 in year 3, worth
        // 20,000,000 − 18,000,000 × 1 / 2 = 11,000,000 at the horizon.
        // Delivery B: 500 × 30,000 = 15,000,000 bought at the end of year
        // 1, residual 1,500,000, depreciation 6,750,000; it rents at 3.00
        // in year 2 and 2.70 in year 3, when it retires at the horizon:
        // book value 1,500,000.
        // Spot hours: A 1,000 × 8,760 × 0.75 = 6,570,000; B 3,285,000.
        // year GPUs revenue                                  power    opex       NOI
        // 1    1,000 6,570,000 × 2.00 = 13,140,000              328,500  1,200,000  11,611,500
        // 2    1,500 11,826,000 + 3,285,000 × 3.00 = 21,681,000 492,750  1,800,000  19,388,250
        // 3    1,500 13,140,000 + 3,285,000 × 2.70 = 22,009,500 492,750  1,800,000  19,716,750
        // (power: 9,855,000 h × 1.25 / 1,000 = 12,318.75 MWh × $40.)
        // CF: 0: −20,000,000; 1: 11,611,500 − 15,000,000 = −3,388,500;
        // 2: 19,388,250 + 2,000,000 − 20,000,000 = 1,388,250;
        // 3: 19,716,750 + 11,000,000 + 1,500,000 = 32,216,750.
        let out = gpu_cloud(&delivered_fleet()).unwrap();
        let rows: Vec<_> = out
            .years
            .iter()
            .map(|y| {
                [
                    Decimal::from(y.gpus_in_service),
                    y.revenue,
                    y.power_cost,
                    y.other_opex,
                    y.noi,
                    y.depreciation,
                    y.capex,
                    y.residual_proceeds,
                    y.terminal_value,
                    y.cash_flow,
                ]
            })
            .collect();
        let zero = Decimal::ZERO;
        assert_eq!(
            rows,
            [
                [
                    zero,
                    zero,
                    zero,
                    zero,
                    zero,
                    zero,
                    dec!(20_000_000),
                    zero,
                    zero,
                    dec!(-20_000_000)
                ],
                [
                    dec!(1_000),
                    dec!(13_140_000),
                    dec!(328_500),
                    dec!(1_200_000),
                    dec!(11_611_500),
                    dec!(9_000_000),
                    dec!(15_000_000),
                    zero,
                    zero,
                    dec!(-3_388_500)
                ],
                [
                    dec!(1_500),
                    dec!(21_681_000),
                    dec!(492_750),
                    dec!(1_800_000),
                    dec!(19_388_250),
                    dec!(15_750_000),
                    dec!(20_000_000),
                    dec!(2_000_000),
                    zero,
                    dec!(1_388_250)
                ],
                [
                    dec!(1_500),
                    dec!(22_009_500),
                    dec!(492_750),
                    dec!(1_800_000),
                    dec!(19_716_750),
                    dec!(15_750_000),
                    zero,
                    zero,
                    dec!(12_500_000),
                    dec!(32_216_750)
                ],
            ]
        );
        let first_fleet_price: Vec<_> = out.years.iter().map(|y| y.price_per_gpu_hour).collect();
        assert_eq!(first_fleet_price, [dec!(0), dec!(2), dec!(1.8), dec!(2)]);
        assert_eq!(out.refresh_years, [2]);
        assert_eq!(out.total_capex, dec!(55_000_000));
        assert_eq!(out.it_capacity_mw, dec!(1.5));
        // NPV at 10%: −20,000,000 − 3,388,500 / 1.1 + 1,388,250 / 1.21
        // + 32,216,750 / 1.331 = −20,000,000 − 3,080,454.5455
        // + 1,147,314.0496 + 24,204,921.1119 = 2,271,780.62.
        assert_eq!(out.npv.round_dp(2), dec!(2_271_780.62));

        // A 300-GPU contract in year 2 takes GPUs from both tranches in
        // proportion: 200 of A's 1,000 and 100 of B's 500. Spot: 800 ×
        // 8,760 × 0.75 = 5,256,000 h × 1.80 = 9,460,800 and 400 × 8,760 ×
        // 0.75 = 2,628,000 h × 3.00 = 7,884,000; the contract earns 300 ×
        // 8,760 × 2.50 = 6,570,000.
        let mut input = delivered_fleet();
        input.contracts = vec![Contract {
            gpu_count: 300,
            price_per_gpu_hour: usd(dec!(2.5)),
            escalator_per_year: Decimal::ZERO,
            start_year: 2,
            term_years: 1,
            prepayment: Usd::ZERO,
            take_or_pay: true,
        }];
        let out = gpu_cloud(&input).unwrap();
        assert_eq!(out.years[2].spot_revenue, dec!(17_344_800));
        assert_eq!(out.years[2].contracted_revenue, dec!(6_570_000));
        // In year 1 only A's 1,000 serve: a 1,200-GPU contract then is
        // refused, though the fleet reaches 1,500 in year 2.
        input.contracts[0].gpu_count = 1_200;
        input.contracts[0].start_year = 1;
        assert_eq!(
            gpu_cloud(&input).unwrap_err().field(),
            Some("contracts[0].gpu_count")
        );
        input.contracts[0].start_year = 2;
        assert!(gpu_cloud(&input).is_ok());
    }

    #[test]
    fn counts_beyond_their_caps_are_refused_by_name() {
        let mut input = small_fleet();
        input.horizon_years = MAX_HORIZON_YEARS + 1;
        assert_eq!(
            gpu_cloud(&input).unwrap_err().field(),
            Some("horizon_years")
        );
        let mut input = small_fleet();
        input.useful_life_years = 0;
        assert_eq!(
            gpu_cloud(&input).unwrap_err().field(),
            Some("useful_life_years")
        );
        let mut input = small_fleet();
        input.gpu_count = MAX_GPU_COUNT + 1;
        assert_eq!(gpu_cloud(&input).unwrap_err().field(), Some("gpu_count"));
        // Deliveries: at most 10,000,000 GPUs with the fleet, and within
        // the horizon.
        let mut input = small_fleet();
        input.deliveries = vec![Delivery {
            gpu_count: MAX_GPU_COUNT,
            delivery_year: 2,
            capex_per_gpu: usd(dec!(1)),
            price_per_gpu_hour: usd(dec!(1)),
        }];
        assert_eq!(
            gpu_cloud(&input).unwrap_err().field(),
            Some("deliveries[0].gpu_count")
        );
        input.deliveries[0].gpu_count = 1;
        input.deliveries[0].delivery_year = 7;
        assert_eq!(
            gpu_cloud(&input).unwrap_err().field(),
            Some("deliveries[0].delivery_year")
        );
        input.deliveries = vec![input.deliveries[0]; MAX_DELIVERIES + 1];
        assert_eq!(gpu_cloud(&input).unwrap_err().field(), Some("deliveries"));
    }
}
