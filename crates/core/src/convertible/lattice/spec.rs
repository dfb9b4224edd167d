//! The note's terms and market before the lattice: the spec, its limits,
//! and its validation into a [`ConvertibleInput`].

use chrono::NaiveDate;

use crate::convertible::contract::{self, ContractTerms, TriggerTest};
use crate::convertible::schedule::{self, CouponPeriod, DayCount, ScheduleStart};
use crate::error::{AtField, CoreError, ValueError};
use crate::num::{finite_f64, positive_f64, within_f64};
use crate::Result;

/// The most lattice steps a request may ask for (and the most that automatic
/// refinement may use).
pub const MAX_STEPS: usize = 20_000;
/// The fewest lattice steps a request may ask for.
pub const MIN_STEPS: usize = 10;
/// The step count used when the request gives none and the note has no
/// call or put schedule.
///
/// Chosen so that the price is within 0.01 per 100 of the 20,000-step value
/// for the reference cases (see the `convertible_convergence` tests and the
/// benchmark).
pub const DEFAULT_STEPS: usize = 1_000;
/// The step count used when the request gives none and the note has a call
/// or put schedule.
///
/// The start of a call window and a put date each leave an error that falls
/// like `1/N` and flips sign with the parity of their step: ±0.014 per 100
/// at 1,000 steps on the CleanSpark note hard-called from 2026, up to 0.009
/// at 2,000 (see the module's *Calls on the lattice*), more at higher
/// volatility (0.014 at 80%); with a put on
/// 2029-12-15 alone it reads 110.597 to 110.619 for 996 to 1,005 steps
/// (110.605 converged). 2,000 steps keep every callable and puttable case
/// of the `convertible_convergence` tests within 0.01 per 100 of 20,000
/// steps, at 0.8 to 1.6 ms for the tree on one core (1,000 steps: 0.3 to
/// 0.55 ms).
pub const DEFAULT_CALL_PUT_STEPS: usize = 2_000;
/// The highest volatility accepted (500%).
pub const MAX_VOLATILITY: f64 = 5.0;
/// The largest credit spread accepted (10,000 bp).
pub const MAX_CREDIT_SPREAD: f64 = 1.0;
/// The risk-free rate must lie in `[MIN_RISK_FREE_RATE, MAX_RATE]`.
pub const MIN_RISK_FREE_RATE: f64 = -0.5;
/// The largest risk-free rate, dividend yield and coupon rate accepted.
pub const MAX_RATE: f64 = 1.0;
/// The most items in each of the call schedule, the put schedule and the
/// dividend list.
pub const MAX_SCHEDULE_ITEMS: usize = 1_000;
/// The largest face, stock price, price per 100 or conversion rate accepted.
pub const MAX_AMOUNT: f64 = 1e9;
/// The largest soft-call trigger, as a multiple of the conversion price.
pub const MAX_TRIGGER: f64 = 100.0;

/// The credit model of the lattice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Model {
    /// Tsiveriotis-Fernandes: cash part discounted at `r + s`, equity part at `r`.
    #[default]
    TsiveriotisFernandes,
    /// Jump to default with intensity `s / (1 − recovery)`.
    HazardRate,
}

/// A discrete cash dividend.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CashDividend {
    /// Ex-dividend date, after the valuation date and on or before maturity.
    pub ex_date: NaiveDate,
    /// Amount per share, USD, ≥ 0.
    pub amount: f64,
}

/// A period in which the issuer may call the note.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CallPeriod {
    /// First call date (inclusive), within the note's life.
    pub from_date: NaiveDate,
    /// Last call date (inclusive), on or after `from_date`, on or before maturity.
    pub to_date: NaiveDate,
    /// Call price per 100 of face, clean (accrued is paid on top). > 0.
    pub price_per_100: f64,
    /// Soft call: callable only while `S ≥ trigger × conversion price`
    /// (e.g. 1.3). `None` for a hard call.
    pub trigger: Option<f64>,
    /// The soft call's N-of-M test (20 of 30 trading days in the template);
    /// `None`: a single observation, the trigger read on the day itself.
    pub test: Option<TriggerTest>,
}

impl CallPeriod {
    /// The trigger as the lattice reads it, a multiple of the conversion
    /// price: a soft call's trigger raised by its N-of-M test's effective
    /// factor at volatility `volatility` (see
    /// [`TriggerTest::effective_trigger_factor`]); `None` for a hard call.
    pub fn lattice_trigger(&self, volatility: f64) -> Option<f64> {
        self.trigger.map(|t| {
            t * self
                .test
                .map_or(1.0, |test| test.effective_trigger_factor(volatility))
        })
    }
}

/// A date on which the holder may put the note back to the issuer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PutDate {
    /// Put date, within the note's life.
    pub date: NaiveDate,
    /// Put price per 100 of face, clean (accrued is paid on top). > 0.
    pub price_per_100: f64,
}

/// Everything needed to price a note, before validation. Field names match the
/// wire names, so validation errors name the request's fields.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvertibleSpec {
    /// Face of one note, USD (> 0, usually 1,000).
    pub face: f64,
    /// Issue date: coupons accrue from it. On or before the valuation date.
    pub issue_date: NaiveDate,
    /// Maturity date, after the valuation date, at most 60 years after the
    /// issue date ([`schedule::MAX_SCHEDULE_YEARS`]).
    pub maturity_date: NaiveDate,
    /// Valuation date: time 0 of the lattice.
    pub valuation_date: NaiveDate,
    /// Annual coupon rate, a fraction in `[0, 1]` (0.04 is 4%).
    pub coupon_rate: f64,
    /// Coupons per year: 0 (zero coupon), 1, 2, 4 or 12.
    pub coupon_frequency: u32,
    /// How coupons accrue.
    pub coupon_day_count: DayCount,
    /// Shares received per 1,000 of face on conversion (> 0).
    pub conversion_rate_per_1000: f64,
    /// First date on which the holder may convert; `None` means the valuation date.
    pub conversion_start_date: Option<NaiveDate>,
    /// Share price today, USD (> 0).
    pub stock_price: f64,
    /// Annual lognormal volatility of the share, in `(0, 5]`.
    pub volatility: f64,
    /// Risk-free rate, continuously compounded, in `[−0.5, 1]`.
    pub risk_free_rate: f64,
    /// Issuer credit spread over the risk-free rate, continuously compounded, in `[0, 1]`.
    pub credit_spread: f64,
    /// Continuous dividend yield of the share, in `[0, 1]`.
    pub dividend_yield: f64,
    /// Discrete cash dividends (at most 1,000).
    pub dividends: Vec<CashDividend>,
    /// Issuer call periods (at most 1,000).
    pub call_schedule: Vec<CallPeriod>,
    /// Holder put dates (at most 1,000).
    pub put_schedule: Vec<PutDate>,
    /// The credit model.
    pub model: Model,
    /// Recovery on default as a fraction of face, in `[0, 1)`; used by
    /// [`Model::HazardRate`] only.
    pub recovery_rate: f64,
    /// Lattice steps, in `[10, 20,000]`; `None` means [`DEFAULT_STEPS`], or
    /// [`DEFAULT_CALL_PUT_STEPS`] with a call or put schedule.
    pub steps: Option<usize>,
    /// The template's contingent terms: contingent conversion, make-whole
    /// shares and the fundamental change.
    pub contract: ContractTerms,
}

/// A validated [`ConvertibleSpec`] with its coupon schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvertibleInput {
    pub(super) spec: ConvertibleSpec,
    pub(super) periods: Vec<CouponPeriod>,
    steps: usize,
}

/// The market data that greeks and solvers move, kept apart from the terms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Market {
    pub(crate) volatility: f64,
    pub(crate) risk_free_rate: f64,
    pub(crate) credit_spread: f64,
}

impl Market {
    /// The default intensity `h` and the diffusion volatility of the stock
    /// before default: `(0, σ)` under TF; under the hazard-rate model
    /// `h = credit_spread / (1 − recovery)` and `√(σ² − h)`, so that the
    /// total variance stays σ².
    ///
    /// # Errors
    /// [`CoreError::Inconsistent`] on `volatility` when `σ² ≤ h`.
    pub(crate) fn diffusion(self, model: Model, recovery: f64) -> Result<(f64, f64)> {
        match model {
            Model::TsiveriotisFernandes => Ok((0.0, self.volatility)),
            Model::HazardRate => {
                let h = self.credit_spread / (1.0 - recovery);
                let var = self.volatility * self.volatility - h;
                if var <= 0.0 {
                    return Err(CoreError::Inconsistent {
                        field: "volatility".into(),
                        reason: "the hazard_rate model needs volatility² above the hazard rate \
                                 credit_spread / (1 − recovery_rate); use tsiveriotis_fernandes",
                    });
                }
                Ok((h, var.sqrt()))
            }
        }
    }
}

fn check_positive(value: f64, max: f64, field: &str) -> Result<f64> {
    let v = positive_f64(value).at(field)?;
    if v > max {
        return Err(CoreError::invalid(
            field,
            ValueError::AboveMaximum { bound: max, value },
        ));
    }
    Ok(v)
}

pub(crate) fn date_within(
    date: NaiveDate,
    field: String,
    first: (NaiveDate, &'static str),
    last: (NaiveDate, &'static str),
) -> Result<()> {
    if date < first.0 {
        return Err(CoreError::DateOrder {
            field,
            date,
            relation: "on or after",
            other_field: first.1,
            other: first.0,
        });
    }
    if date > last.0 {
        return Err(CoreError::DateOrder {
            field,
            date,
            relation: "on or before",
            other_field: last.1,
            other: last.0,
        });
    }
    Ok(())
}

impl ConvertibleInput {
    /// Validates a spec, naming the field at fault.
    ///
    /// Checks every number is finite and in its documented range, the dates are
    /// in order (issue ≤ valuation < maturity ≤ issue + 60 years; calls, puts
    /// and conversion start within the note's life; dividends after valuation
    /// and on or before maturity), the lists are within their caps, the steps
    /// within `[10, 20,000]`, and the dividends' present value below the
    /// stock price.
    pub fn new(spec: ConvertibleSpec) -> Result<Self> {
        check_positive(spec.face, MAX_AMOUNT, "face")?;
        if spec.maturity_date <= spec.valuation_date {
            return Err(CoreError::DateOrder {
                field: "maturity_date".into(),
                date: spec.maturity_date,
                relation: "after",
                other_field: "valuation_date",
                other: spec.valuation_date,
            });
        }
        if spec.issue_date > spec.valuation_date {
            return Err(CoreError::DateOrder {
                field: "issue_date".into(),
                date: spec.issue_date,
                relation: "on or before",
                other_field: "valuation_date",
                other: spec.valuation_date,
            });
        }
        // The coupon schedule's cap, for a zero-coupon note too: maturity at
        // most 60 years after issue, so at most 60 after valuation.
        schedule::check_horizon(ScheduleStart::Issue(spec.issue_date), spec.maturity_date)?;
        let life = (
            (spec.issue_date, "issue_date"),
            (spec.maturity_date, "maturity_date"),
        );
        within_f64(spec.coupon_rate, 0.0, MAX_RATE).at("coupon_rate")?;
        if ![0, 1, 2, 4, 12].contains(&spec.coupon_frequency) {
            return Err(CoreError::Inconsistent {
                field: "coupon_frequency".into(),
                reason: "must be 0, 1, 2, 4 or 12",
            });
        }
        if spec.coupon_frequency == 0 && spec.coupon_rate > 0.0 {
            return Err(CoreError::Inconsistent {
                field: "coupon_frequency".into(),
                reason: "must be 1, 2, 4 or 12 when coupon_rate is above 0",
            });
        }
        check_positive(
            spec.conversion_rate_per_1000,
            MAX_AMOUNT,
            "conversion_rate_per_1000",
        )?;
        if let Some(start) = spec.conversion_start_date {
            date_within(start, "conversion_start_date".into(), life.0, life.1)?;
        }
        check_positive(spec.stock_price, MAX_AMOUNT, "stock_price")?;
        let vol = positive_f64(spec.volatility).at("volatility")?;
        if vol > MAX_VOLATILITY {
            return Err(CoreError::invalid(
                "volatility",
                ValueError::AboveMaximum {
                    bound: MAX_VOLATILITY,
                    value: vol,
                },
            ));
        }
        within_f64(spec.risk_free_rate, MIN_RISK_FREE_RATE, MAX_RATE).at("risk_free_rate")?;
        within_f64(spec.credit_spread, 0.0, MAX_CREDIT_SPREAD).at("credit_spread")?;
        within_f64(spec.dividend_yield, 0.0, MAX_RATE).at("dividend_yield")?;
        let recovery = finite_f64(spec.recovery_rate).at("recovery_rate")?;
        if recovery < 0.0 {
            return Err(CoreError::invalid(
                "recovery_rate",
                ValueError::BelowMinimum {
                    bound: 0.0,
                    value: recovery,
                },
            ));
        }
        if recovery >= 1.0 {
            return Err(CoreError::invalid(
                "recovery_rate",
                ValueError::NotBelow {
                    bound: 1.0,
                    value: recovery,
                },
            ));
        }
        for (list, len) in [
            ("dividends", spec.dividends.len()),
            ("call_schedule", spec.call_schedule.len()),
            ("put_schedule", spec.put_schedule.len()),
        ] {
            if len > MAX_SCHEDULE_ITEMS {
                return Err(CoreError::invalid(
                    list,
                    ValueError::TooLong {
                        len,
                        cap: MAX_SCHEDULE_ITEMS,
                    },
                ));
            }
        }
        for (i, d) in spec.dividends.iter().enumerate() {
            if d.ex_date <= spec.valuation_date {
                return Err(CoreError::DateOrder {
                    field: format!("dividends[{i}].ex_date"),
                    date: d.ex_date,
                    relation: "after",
                    other_field: "valuation_date",
                    other: spec.valuation_date,
                });
            }
            date_within(d.ex_date, format!("dividends[{i}].ex_date"), life.0, life.1)?;
            within_f64(d.amount, 0.0, MAX_AMOUNT).at(format!("dividends[{i}].amount"))?;
        }
        for (i, c) in spec.call_schedule.iter().enumerate() {
            date_within(
                c.from_date,
                format!("call_schedule[{i}].from_date"),
                life.0,
                life.1,
            )?;
            date_within(
                c.to_date,
                format!("call_schedule[{i}].to_date"),
                life.0,
                life.1,
            )?;
            if c.to_date < c.from_date {
                return Err(CoreError::DateOrder {
                    field: format!("call_schedule[{i}].to_date"),
                    date: c.to_date,
                    relation: "on or after",
                    other_field: "from_date",
                    other: c.from_date,
                });
            }
            check_positive(
                c.price_per_100,
                MAX_AMOUNT,
                &format!("call_schedule[{i}].price"),
            )?;
            if let Some(t) = c.trigger {
                check_positive(t, MAX_TRIGGER, &format!("call_schedule[{i}].trigger"))?;
            }
            if let Some(test) = c.test {
                if c.trigger.is_none() {
                    return Err(CoreError::Inconsistent {
                        field: format!("call_schedule[{i}].trigger_days"),
                        reason: "an N-of-M test needs a soft call's `trigger`",
                    });
                }
                test.check(&format!("call_schedule[{i}]"))?;
            }
        }
        for (i, p) in spec.put_schedule.iter().enumerate() {
            date_within(p.date, format!("put_schedule[{i}].date"), life.0, life.1)?;
            check_positive(
                p.price_per_100,
                MAX_AMOUNT,
                &format!("put_schedule[{i}].price"),
            )?;
        }
        contract::check(
            &spec.contract,
            spec.issue_date,
            spec.maturity_date,
            MAX_TRIGGER,
        )?;
        let default = if spec.call_schedule.is_empty() && spec.put_schedule.is_empty() {
            DEFAULT_STEPS
        } else {
            DEFAULT_CALL_PUT_STEPS
        };
        let steps = spec.steps.unwrap_or(default);
        if steps > MAX_STEPS {
            return Err(CoreError::invalid(
                "steps",
                ValueError::AboveMaximum {
                    bound: MAX_STEPS as f64,
                    value: steps as f64,
                },
            ));
        }
        if steps < MIN_STEPS {
            return Err(CoreError::invalid(
                "steps",
                ValueError::BelowMinimum {
                    bound: MIN_STEPS as f64,
                    value: steps as f64,
                },
            ));
        }
        let periods = schedule::coupon_periods(
            spec.issue_date,
            spec.maturity_date,
            spec.coupon_rate,
            spec.coupon_frequency,
            spec.coupon_day_count,
        )?;
        let input = ConvertibleInput {
            spec,
            periods,
            steps,
        };
        input.check_stock_above_dividends(input.spec.stock_price, "stock_price")?;
        Ok(input)
    }

    /// The validated spec.
    pub fn spec(&self) -> &ConvertibleSpec {
        &self.spec
    }

    /// The lattice steps requested (or the default).
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// The same note and market with another step count, validated.
    pub fn with_steps(&self, steps: usize) -> Result<Self> {
        let mut spec = self.spec.clone();
        spec.steps = Some(steps);
        ConvertibleInput::new(spec)
    }

    /// Shares received on converting 100 of face.
    pub fn conversion_shares_per_100(&self) -> f64 {
        self.spec.conversion_rate_per_1000 / 10.0
    }

    /// The conversion price, USD per share: `1000 / conversion_rate_per_1000`.
    pub fn conversion_price(&self) -> f64 {
        1000.0 / self.spec.conversion_rate_per_1000
    }

    /// Years from valuation to maturity, Act/365F.
    pub fn years_to_maturity(&self) -> f64 {
        schedule::years_between(self.spec.valuation_date, self.spec.maturity_date)
    }

    /// The coupon periods of the note.
    pub fn coupon_periods(&self) -> &[CouponPeriod] {
        &self.periods
    }

    /// Interest accrued on the valuation date, per 100 of face.
    pub fn accrued_per_100(&self) -> f64 {
        schedule::accrued_per_100(
            &self.periods,
            self.spec.valuation_date,
            self.spec.coupon_rate,
            self.spec.coupon_day_count,
        )
    }

    /// The bond floor per 100: remaining flows discounted at `r + s`.
    pub fn bond_floor_per_100(&self) -> f64 {
        schedule::bond_floor_per_100(
            &self.periods,
            self.spec.valuation_date,
            self.spec.maturity_date,
            self.spec.risk_free_rate + self.spec.credit_spread,
        )
    }

    /// Present value of the discrete dividends, per share, at the risk-free rate.
    pub fn dividends_pv(&self) -> f64 {
        self.dividends_pv_after(0.0, self.spec.risk_free_rate)
    }

    /// PV at time `t` (years) of the dividends with ex-date after `t`.
    fn dividends_pv_after(&self, t: f64, rate: f64) -> f64 {
        self.spec
            .dividends
            .iter()
            .map(|d| (d.amount, self.time_of(d.ex_date)))
            .filter(|&(_, te)| te > t)
            .map(|(amount, te)| amount * (-rate * (te - t)).exp())
            .sum()
    }

    pub(crate) fn check_stock_above_dividends(&self, stock_price: f64, field: &str) -> Result<()> {
        if stock_price <= self.dividends_pv() {
            return Err(CoreError::Inconsistent {
                field: field.into(),
                reason: "must exceed the present value of the discrete dividends",
            });
        }
        Ok(())
    }

    /// The lowest stock price at which a live call forces conversion: the
    /// larger of `call price / shares` and a soft call's trigger level, over
    /// the call periods not yet over.
    pub(crate) fn call_barrier(&self, volatility: f64) -> Option<f64> {
        let shares = self.conversion_shares_per_100();
        self.spec
            .call_schedule
            .iter()
            .filter(|c| c.to_date >= self.spec.valuation_date)
            .map(|c| {
                let forced = c.price_per_100 / shares;
                c.lattice_trigger(volatility)
                    .map_or(forced, |t| forced.max(t * self.conversion_price()))
            })
            .min_by(f64::total_cmp)
    }

    /// The times (years) strictly inside the note's remaining life at which
    /// an exercise right starts, ends or falls: call window starts and ends,
    /// put dates and the conversion start.
    pub(super) fn exercise_times(&self) -> Vec<f64> {
        let spec = &self.spec;
        let calls = spec
            .call_schedule
            .iter()
            .flat_map(|c| [c.from_date, c.to_date]);
        let puts = spec.put_schedule.iter().map(|p| p.date);
        let life = self.years_to_maturity();
        calls
            .chain(puts)
            .chain(spec.conversion_start_date)
            .map(|d| self.time_of(d))
            .filter(|&t| t > 0.0 && t < life)
            .collect()
    }

    pub(crate) fn time_of(&self, date: NaiveDate) -> f64 {
        schedule::years_between(self.spec.valuation_date, date)
    }

    pub(crate) fn market(&self) -> Market {
        Market {
            volatility: self.spec.volatility,
            risk_free_rate: self.spec.risk_free_rate,
            credit_spread: self.spec.credit_spread,
        }
    }

    /// Interest accrued at `t` years after valuation, per 100: 0 on a
    /// payment date, as in [`ConvertibleInput::accrued_per_100`] (a call or
    /// put on a coupon date is decided ex that coupon, which the holder
    /// receives anyway; see the lattice's `decide`).
    pub(crate) fn accrued_at(&self, t: f64) -> f64 {
        for p in &self.periods {
            let start = self.time_of(p.accrual_start);
            let end = self.time_of(p.payment_date);
            if start <= t && t < end {
                return p.amount_per_100 * (t - start) / (end - start);
            }
        }
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convertible::lattice::tests::{base_spec, date};

    fn field_of(spec: ConvertibleSpec) -> String {
        ConvertibleInput::new(spec)
            .unwrap_err()
            .field()
            .unwrap_or_default()
            .to_string()
    }

    #[test]
    fn bad_inputs_are_refused_naming_the_field() {
        type Change = Box<dyn Fn(&mut ConvertibleSpec)>;
        let cases: Vec<(&str, Change)> = vec![
            (
                "maturity_date",
                Box::new(|s| s.maturity_date = s.valuation_date),
            ),
            ("volatility", Box::new(|s| s.volatility = 0.0)),
            ("volatility", Box::new(|s| s.volatility = 5.01)),
            ("volatility", Box::new(|s| s.volatility = f64::NAN)),
            ("credit_spread", Box::new(|s| s.credit_spread = -0.001)),
            ("recovery_rate", Box::new(|s| s.recovery_rate = 1.0)),
            ("recovery_rate", Box::new(|s| s.recovery_rate = -0.1)),
            ("stock_price", Box::new(|s| s.stock_price = f64::INFINITY)),
            ("steps", Box::new(|s| s.steps = Some(MAX_STEPS + 1))),
            ("steps", Box::new(|s| s.steps = Some(2))),
            ("coupon_frequency", Box::new(|s| s.coupon_frequency = 3)),
            (
                "conversion_start_date",
                Box::new(|s| s.conversion_start_date = Some(date(2033, 1, 1))),
            ),
            (
                "call_schedule[0].to_date",
                Box::new(|s| {
                    s.call_schedule = vec![CallPeriod {
                        from_date: date(2028, 12, 15),
                        to_date: date(2033, 1, 1),
                        price_per_100: 100.0,
                        trigger: None,
                        test: None,
                    }]
                }),
            ),
            (
                "put_schedule[0].date",
                Box::new(|s| {
                    s.put_schedule = vec![PutDate {
                        date: date(2024, 1, 1),
                        price_per_100: 100.0,
                    }]
                }),
            ),
            (
                "dividends[0].ex_date",
                Box::new(|s| {
                    s.dividends = vec![CashDividend {
                        ex_date: s.valuation_date,
                        amount: 0.1,
                    }]
                }),
            ),
            (
                "stock_price",
                Box::new(|s| {
                    s.dividends = vec![CashDividend {
                        ex_date: date(2026, 6, 1),
                        amount: 20.0,
                    }]
                }),
            ),
        ];
        for (field, change) in cases {
            let mut spec = base_spec();
            change(&mut spec);
            assert_eq!(field_of(spec), field);
        }
    }
}
