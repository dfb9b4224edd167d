//! Power for a mining fleet: the market price and its spread within a
//! period, a fixed-price contract, demand-response credits, and the
//! economic shut-off that decides which cohorts hash in which hours.
//!
//! # Hours within a period
//! A period's market price is one number (a month of a path, or the flat
//! price); its spread over the hours is an optional *price profile*: a few
//! buckets, each a share of the hours and a multiple of the period's price
//! (a duration curve: `[{0.95, 0.8}, {0.05, 4.8}]` is 95% of hours at 0.8×
//! and 5% at 4.8×, averaging 1×). The model does not know *when* in the
//! period the expensive hours fall: each bucket's hours are spread evenly
//! over the period, so a cohort earns the period's average hashprice in
//! every hour it hashes. Without a profile every hour is at the period's
//! price, and a cohort hashes all of a period or none of it.
//!
//! # The economic shut-off
//! With `shutoff: economic`, a cohort hashes in a bucket only while what
//! it earns covers what its power would fetch:
//! ```text
//! hashprice × (1 − pool_fee)  ≥  J/TH × (price × multiple + demand_response_per_mwh) × 24 / 1,000
//! ```
//! (both sides USD per PH/s per day). The market price, not a contract
//! price, is the cost that counts: contracted power a cohort does not use
//! is sold back at the market price, so using it gives that price up.
//!
//! # A fixed-price contract
//! `mw` of load bought every hour at `price_per_mwh`, used or not (as the
//! fixed-price contracts of Texas miners are); load above it is bought at
//! the market price, and contracted power the fleet does not use is sold
//! back at the market price (Riot's "power curtailment credits").

use rust_decimal::Decimal;

use super::hours_per_day;
use crate::error::{CoreError, ValueError};
use crate::num::{self, Checked, Fraction, Megawatts, Usd};
use crate::Result;

/// The most buckets in a price profile.
pub const MAX_PRICE_BUCKETS: usize = 24;

/// The largest price multiple accepted in a profile: ERCOT's offer cap of
/// $5,000/MWh is 100 times a $50 month.
pub const MAX_PRICE_MULTIPLE: u32 = 100;

/// One bucket of a price profile: a share of the hours at a multiple of
/// the period's price.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PriceBucket {
    share_of_hours: Decimal,
    price_multiple: Decimal,
}

impl PriceBucket {
    /// Checks `0 < share_of_hours ≤ 1` (field `share_of_hours`) and
    /// `0 ≤ price_multiple ≤ 100` (field `price_multiple`); the error
    /// names the offending one.
    pub fn new(
        share_of_hours: Decimal,
        price_multiple: Decimal,
    ) -> Result<Self, (&'static str, ValueError)> {
        let share = num::positive(share_of_hours)
            .and_then(|s| num::at_most(s, Decimal::ONE))
            .map_err(|e| ("share_of_hours", e))?;
        let multiple = num::within(
            price_multiple,
            Decimal::ZERO,
            Decimal::from(MAX_PRICE_MULTIPLE),
        )
        .map_err(|e| ("price_multiple", e))?;
        Ok(PriceBucket {
            share_of_hours: share,
            price_multiple: multiple,
        })
    }
}

/// How a period's price spreads over its hours: buckets whose shares of
/// the hours add up to 1.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceProfile(Vec<PriceBucket>);

impl PriceProfile {
    /// Checks `1 ≤ buckets ≤ 24` and that the shares add up to exactly 1
    /// ([`CoreError::Inconsistent`] on `power_price_profile`).
    pub fn new(buckets: Vec<PriceBucket>) -> Result<Self> {
        if buckets.is_empty() {
            return Err(CoreError::invalid("power_price_profile", ValueError::Empty));
        }
        num::capped_len(&buckets, MAX_PRICE_BUCKETS)
            .map_err(|e| CoreError::invalid("power_price_profile", e))?;
        let mut total = Decimal::ZERO;
        for b in &buckets {
            total = total.add_or(b.share_of_hours, "power_price_profile")?;
        }
        if total != Decimal::ONE {
            return Err(CoreError::Inconsistent {
                field: "power_price_profile".into(),
                reason: "the shares of hours must add up to 1",
            });
        }
        Ok(PriceProfile(buckets))
    }

    /// The number of buckets.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: a profile has at least one bucket.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn flat() -> Self {
        PriceProfile(vec![PriceBucket {
            share_of_hours: Decimal::ONE,
            price_multiple: Decimal::ONE,
        }])
    }
}

/// A fixed-price power contract for part of the load.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PowerContract {
    /// Load bought every hour, MW.
    pub mw: Megawatts,
    /// Its price, USD per MWh.
    pub price_per_mwh: Usd,
}

/// Whether cohorts switch off when power costs more than they earn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Shutoff {
    /// Every cohort hashes every hour (today's model).
    #[default]
    Never,
    /// A cohort hashes only in the hours its hashprice covers its hashcost.
    Economic,
}

/// Everything about power beyond its market price.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PowerTerms {
    /// The spread of the price within a period; `None` for a flat price.
    pub profile: Option<PriceProfile>,
    /// A fixed-price contract for part of the load.
    pub contract: Option<PowerContract>,
    /// Paid for each MWh of load curtailed (a demand-response programme),
    /// USD per MWh.
    pub demand_response_per_mwh: Option<Usd>,
    /// Paid each month for standing ready to curtail, USD.
    pub demand_response_per_month: Option<Usd>,
    /// The shut-off rule.
    pub shutoff: Shutoff,
}

impl PowerTerms {
    /// Refuses terms that need a market price, a BTC price or an
    /// efficiency they do not have, naming the field.
    pub(super) fn check(
        &self,
        has_power_price: bool,
        has_btc_price: bool,
        has_efficiency: bool,
    ) -> Result<()> {
        let needs_price: [(&'static str, bool); 3] = [
            ("power_contract", self.contract.is_some()),
            ("power_price_profile", self.profile.is_some()),
            ("shutoff", self.shutoff == Shutoff::Economic),
        ];
        for (field, given) in needs_price {
            if given && !has_power_price {
                return Err(CoreError::missing_dependency(field, "power_price_per_mwh"));
            }
        }
        if self.shutoff == Shutoff::Economic {
            if !has_btc_price {
                return Err(CoreError::missing_dependency("shutoff", "btc_price"));
            }
            if !has_efficiency {
                return Err(CoreError::missing_dependency(
                    "shutoff",
                    "efficiency_j_per_th",
                ));
            }
        }
        if self.demand_response_per_mwh.is_some() && self.shutoff != Shutoff::Economic {
            return Err(CoreError::missing_dependency(
                "demand_response_credit_per_mwh",
                "shutoff",
            ));
        }
        Ok(())
    }
}

/// One cohort over one period, as the dispatch sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Unit {
    /// Its hashrate, EH/s.
    pub hashrate_ehs: Decimal,
    /// Its power draw while hashing, MW (`J/TH × EH/s`); `None` leaves its
    /// power unknown.
    pub power_mw: Option<Decimal>,
    /// Bitcoin it mines hashing all its days in the period, before uptime
    /// and pool fee.
    pub gross_btc: Decimal,
    /// Its days in service in the period.
    pub days: Decimal,
}

/// A period's prices and terms.
#[derive(Debug, Clone, Copy)]
pub(super) struct Period<'a> {
    /// The period's length, days.
    pub days: Decimal,
    /// Share of the time machines are up.
    pub uptime: Fraction,
    /// Share of the reward the pool keeps.
    pub pool_fee: Fraction,
    /// BTC price, USD.
    pub btc_price: Option<Decimal>,
    /// Market power price, USD per MWh.
    pub power_price: Option<Decimal>,
    /// The terms.
    pub terms: &'a PowerTerms,
}

/// What one cohort did in a period.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct UnitOutcome {
    /// Bitcoin mined, net of uptime and pool fee.
    pub btc: Decimal,
    /// Hours switched off by the shut-off.
    pub curtailed_hours: Decimal,
    /// Power cost charged to it, USD (its market purchases, and its share
    /// of the contract by hashrate-days); `None` without a price or an
    /// efficiency.
    pub power_cost: Option<Decimal>,
    /// Its share of the fleet's hashrate-days in service, the key for
    /// costs that do not follow consumption.
    pub weight: Decimal,
}

/// What the fleet did in a period.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Dispatch {
    /// One per unit, in order.
    pub units: Vec<UnitOutcome>,
    /// Power cost, USD: contract payments plus market purchases; `None`
    /// without a price or an efficiency.
    pub power_cost: Option<Decimal>,
    /// Contracted power sold back at the market price, USD.
    pub power_sold_back: Decimal,
    /// Demand-response credits per MWh curtailed, USD (the monthly amount
    /// is the caller's).
    pub demand_response: Decimal,
    /// Energy drawn, MWh.
    pub energy_mwh: Decimal,
}

/// Which cohorts hash in which hours of a period, and what that costs.
///
/// # Formula
/// For cohort `c` (hashrate `h`, power `mw = J/TH × h`, `d` days in
/// service) and bucket `b` (share `s_b`, price `p_b = price × multiple_b`):
/// ```text
/// hashes(c, b)  = never shut off, or gross_btc × btc_price × (1 − pool_fee)
///                                     ≥ mw × (p_b + dr_per_mwh) × 24 × d
/// btc_c         = gross_btc × uptime × (1 − pool_fee) × Σ_{b hashing} s_b
/// E_cb          = mw × 24 × uptime × d × s_b   MWh, when hashing
/// curtailed_c   = 24 × d × Σ_{b not hashing} s_b  hours
/// ```
/// Without a contract, `power_c = Σ_b E_cb × p_b`. With `C` MW at `k`:
/// ```text
/// K_b = C × 24 × days × s_b;  E_b = Σ_c E_cb
/// power      = C × 24 × days × k + Σ_b max(E_b − K_b, 0) × p_b
/// sold back  = Σ_b max(K_b − E_b, 0) × p_b
/// power_c    = Σ_b max(E_b − K_b, 0) × p_b × E_cb / E_b  +  C × 24 × days × k × weight_c
/// ```
/// `weight_c = h × d / Σ h × d`. Demand response pays `dr_per_mwh` for
/// every MWh curtailed (`mw × 24 × uptime × d × s_b` in each bucket a
/// cohort sits out). Dividing both sides of `hashes` by `h × d × 1,000`
/// gives the hashprice-against-hashcost rule of the module docs.
pub(super) fn dispatch(period: &Period<'_>, units: &[Unit]) -> Result<Dispatch> {
    let flat = PriceProfile::flat();
    let profile = &period.terms.profile.as_ref().unwrap_or(&flat).0;
    let keep = Decimal::ONE.sub_or(period.pool_fee.get(), "btc_mined")?;
    let dr_rate = period
        .terms
        .demand_response_per_mwh
        .map_or(Decimal::ZERO, Usd::get);
    let economic = period.terms.shutoff == Shutoff::Economic;

    let mut hashrate_days = Decimal::ZERO;
    for u in units {
        hashrate_days = hashrate_days.add_or(u.hashrate_ehs.mul_or(u.days, "weight")?, "weight")?;
    }
    // Per bucket, once: its price, and what a MW-day of hashing gives up
    // in it, `(price + dr_per_mwh) × 24`.
    let prices = period
        .power_price
        .map(|price| {
            profile
                .iter()
                .map(|b| {
                    let p = price.mul_or(b.price_multiple, "power price")?;
                    let forgone = p
                        .add_or(dr_rate, "hashcost")?
                        .mul_or(hours_per_day(), "hashcost")?;
                    Ok((p, forgone))
                })
                .collect::<Result<Vec<_>>>()
        })
        .transpose()?;

    // Per unit and bucket (row-major): the MWh it draws while hashing, zero
    // while curtailed.
    let buckets = profile.len();
    let mut energy = vec![Decimal::ZERO; units.len() * buckets];
    let mut outcomes = Vec::with_capacity(units.len());
    let mut demand_response = Decimal::ZERO;
    let mut energy_mwh = Decimal::ZERO;
    for (i, u) in units.iter().enumerate() {
        let running_mwh = u
            .power_mw
            .map(|mw| {
                mw.mul_or(hours_per_day(), "energy")?
                    .mul_or(period.uptime.get(), "energy")?
                    .mul_or(u.days, "energy")
            })
            .transpose()?;
        // What it earns over the period against its MW-days: it hashes in a
        // bucket while `earned ≥ mw × days × forgone_b`.
        let test = match (economic, period.btc_price, u.power_mw, &prices) {
            (true, Some(price), Some(mw), Some(_)) => Some((
                u.gross_btc
                    .mul_or(price, "hashprice")?
                    .mul_or(keep, "hashprice")?,
                mw.mul_or(u.days, "hashcost")?,
            )),
            _ => None,
        };
        let mut hashing_share = Decimal::ZERO;
        let mut curtailed_share = Decimal::ZERO;
        for (b, bucket) in profile.iter().enumerate() {
            let hashes = match (test, &prices) {
                (Some((earned, mw_days)), Some(prices)) => {
                    earned >= mw_days.mul_or(prices[b].1, "hashcost")?
                }
                _ => true,
            };
            let mwh = match running_mwh {
                Some(m) if buckets == 1 => m,
                Some(m) => m.mul_or(bucket.share_of_hours, "energy")?,
                None => Decimal::ZERO,
            };
            if hashes {
                hashing_share = hashing_share.add_or(bucket.share_of_hours, "hashing hours")?;
                energy[i * buckets + b] = mwh;
                energy_mwh = energy_mwh.add_or(mwh, "energy")?;
            } else {
                curtailed_share =
                    curtailed_share.add_or(bucket.share_of_hours, "curtailed_hours")?;
                if !dr_rate.is_zero() {
                    demand_response = demand_response
                        .add_or(mwh.mul_or(dr_rate, "demand response")?, "demand response")?;
                }
            }
        }
        let btc = u
            .gross_btc
            .mul_or(period.uptime.get(), "btc_mined")?
            .mul_or(keep, "btc_mined")?;
        let btc = if hashing_share == Decimal::ONE {
            btc
        } else {
            btc.mul_or(hashing_share, "btc_mined")?
        };
        outcomes.push(UnitOutcome {
            btc,
            curtailed_hours: curtailed_share
                .mul_or(hours_per_day(), "curtailed_hours")?
                .mul_or(u.days, "curtailed_hours")?,
            power_cost: None,
            weight: if hashrate_days.is_zero() {
                Decimal::ZERO
            } else {
                u.hashrate_ehs
                    .mul_or(u.days, "weight")?
                    .div_or(hashrate_days, "weight")?
            },
        });
    }

    let known = units.iter().all(|u| u.power_mw.is_some());
    let Some(prices) = prices.filter(|_| known) else {
        return Ok(Dispatch {
            units: outcomes,
            power_cost: None,
            power_sold_back: Decimal::ZERO,
            demand_response,
            energy_mwh,
        });
    };
    let mut costs = vec![Decimal::ZERO; units.len()];
    let mut total = Decimal::ZERO;
    let mut sold_back = Decimal::ZERO;
    let contract_mwh = period
        .terms
        .contract
        .map(|c| {
            c.mw.get()
                .mul_or(hours_per_day(), "power_cost")?
                .mul_or(period.days, "power_cost")
        })
        .transpose()?;
    for (b, bucket) in profile.iter().enumerate() {
        let bucket_energy = |i: usize| energy[i * buckets + b];
        // Without a contract every MWh is bought at the bucket's price; with
        // one, only what exceeds it, at the average price per MWh drawn.
        let price_per_mwh_drawn = match contract_mwh {
            None => prices[b].0,
            Some(k) => {
                let k_b = k.mul_or(bucket.share_of_hours, "power_cost")?;
                let mut e_b = Decimal::ZERO;
                for i in 0..units.len() {
                    e_b = e_b.add_or(bucket_energy(i), "power_cost")?;
                }
                let bought = e_b.sub_or(k_b, "power_cost")?;
                if bought > Decimal::ZERO {
                    bought
                        .mul_or(prices[b].0, "power_cost")?
                        .div_or(e_b, "power_cost")?
                } else {
                    sold_back = sold_back.add_or(
                        bought.abs().mul_or(prices[b].0, "power_sold_back")?,
                        "power_sold_back",
                    )?;
                    Decimal::ZERO
                }
            }
        };
        if price_per_mwh_drawn.is_zero() {
            continue;
        }
        for (i, cost) in costs.iter_mut().enumerate() {
            let c = bucket_energy(i).mul_or(price_per_mwh_drawn, "power_cost")?;
            *cost = cost.add_or(c, "power_cost")?;
            total = total.add_or(c, "power_cost")?;
        }
    }
    if let (Some(k), Some(contract)) = (contract_mwh, period.terms.contract) {
        let payment = k.mul_or(contract.price_per_mwh.get(), "power_cost")?;
        total = total.add_or(payment, "power_cost")?;
        for (cost, o) in costs.iter_mut().zip(&outcomes) {
            *cost = cost.add_or(payment.mul_or(o.weight, "power_cost")?, "power_cost")?;
        }
    }
    for (o, c) in outcomes.iter_mut().zip(costs) {
        o.power_cost = Some(c);
    }
    Ok(Dispatch {
        units: outcomes,
        power_cost: Some(total),
        power_sold_back: sold_back,
        demand_response,
        energy_mwh,
    })
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn bucket(share: Decimal, multiple: Decimal) -> PriceBucket {
        PriceBucket::new(share, multiple).unwrap()
    }

    /// 10 EH/s at 20 J/TH (200 MW) and 10 EH/s at 30 J/TH (300 MW), each mining
    /// 50 BTC gross over a 30-day month, at $100,000, always up, no pool fee.
    fn two_cohorts() -> [Unit; 2] {
        let unit = |e: Decimal| Unit {
            hashrate_ehs: dec!(10),
            power_mw: Some(e * dec!(10)),
            gross_btc: dec!(50),
            days: dec!(30),
        };
        [unit(dec!(20)), unit(dec!(30))]
    }

    fn period(price: Decimal, terms: &PowerTerms) -> Period<'_> {
        Period {
            days: dec!(30),
            uptime: Fraction::ONE,
            pool_fee: Fraction::ZERO,
            btc_price: Some(dec!(100000)),
            power_price: Some(price),
            terms,
        }
    }

    #[test]
    fn a_cohort_whose_power_costs_more_than_it_earns_sits_the_month_out() {
        // Each cohort earns 50 × 100,000 = $5,000,000 a month. At $30/MWh the 20 J/TH
        // cohort's power costs 200 MW × 720 h × 30 = $4,320,000 ≤ $5M: on; the 30 J/TH
        // cohort's 300 × 720 × 30 = $6,480,000 > $5M: off, all 720 hours curtailed.
        let terms = PowerTerms {
            shutoff: Shutoff::Economic,
            ..PowerTerms::default()
        };
        let out = dispatch(&period(dec!(30), &terms), &two_cohorts()).unwrap();
        assert_eq!(out.units[0].btc, dec!(50));
        assert_eq!(out.units[0].curtailed_hours, Decimal::ZERO);
        assert_eq!(out.units[0].power_cost, Some(dec!(4320000)));
        assert_eq!(out.units[1].btc, Decimal::ZERO);
        assert_eq!(out.units[1].curtailed_hours, dec!(720));
        assert_eq!(out.units[1].power_cost, Some(Decimal::ZERO));
        assert_eq!(out.power_cost, Some(dec!(4320000)));

        let never = PowerTerms::default();
        let out = dispatch(&period(dec!(30), &never), &two_cohorts()).unwrap();
        assert_eq!(out.units[1].btc, dec!(50));
        assert_eq!(out.power_cost, Some(dec!(10800000)));
    }

    #[test]
    fn a_price_spike_curtails_only_its_hours_and_the_hours_add_up() {
        // Price $25 a month: 90% of hours at 0.6× ($15), 10% at 4.6× ($115).
        // 20 J/TH breaks even at 5,000,000 / (200 MW × 720 h) = $34.72/MWh, so it hashes
        // the cheap 648 hours and sits out the 72 dear ones: btc 50 × 0.9 = 45, power
        // 200 × 648 × 15 = $1,944,000; 30 J/TH breaks even at $23.15: the same hours.
        // Curtailed: 72 + 72 = 144 hours, 720 − 648 each.
        let profile = PriceProfile::new(vec![
            bucket(dec!(0.9), dec!(0.6)),
            bucket(dec!(0.1), dec!(4.6)),
        ])
        .unwrap();
        let terms = PowerTerms {
            profile: Some(profile),
            shutoff: Shutoff::Economic,
            ..PowerTerms::default()
        };
        let out = dispatch(&period(dec!(25), &terms), &two_cohorts()).unwrap();
        for u in &out.units {
            assert_eq!(u.btc, dec!(45));
            assert_eq!(u.curtailed_hours, dec!(72));
        }
        assert_eq!(out.units[0].power_cost, Some(dec!(1944000)));
        assert_eq!(out.units[1].power_cost, Some(dec!(2916000)));
    }

    #[test]
    fn contracted_power_left_unused_is_sold_back_and_demand_response_pays_per_mwh() {
        // 400 MW contracted at $30 for 720 h: $8,640,000 paid whatever happens.
        // At a $40 market the 30 J/TH cohort (300 MW) is off: its opportunity cost is
        // the $40 it could sell the power for, plus a $10/MWh demand-response credit.
        // The 20 J/TH cohort: 5,000,000 ≥ 200 × 720 × (40 + 10) = 7,200,000? No: off too.
        // Nothing runs: 400 × 720 = 288,000 MWh sold back at $40 = $11,520,000;
        // demand response pays (200 + 300) × 720 × $10 = $3,600,000.
        let terms = PowerTerms {
            contract: Some(PowerContract {
                mw: Megawatts::new(dec!(400)).unwrap(),
                price_per_mwh: Usd::new(dec!(30)).unwrap(),
            }),
            demand_response_per_mwh: Some(Usd::new(dec!(10)).unwrap()),
            shutoff: Shutoff::Economic,
            ..PowerTerms::default()
        };
        let out = dispatch(&period(dec!(40), &terms), &two_cohorts()).unwrap();
        assert!(out.units.iter().all(|u| u.btc.is_zero()));
        assert_eq!(out.power_cost, Some(dec!(8640000)));
        assert_eq!(out.power_sold_back, dec!(11520000));
        assert_eq!(out.demand_response, dec!(3600000));
        // The contract is charged by hashrate-days: half each.
        assert_eq!(out.units[0].power_cost, Some(dec!(4320000)));

        // At $10 both run (30 J/TH: 30 × (10 + 10) × 24 × 10 × 30 = $4,320,000 ≤ $5M):
        // 500 MW against 400 contracted, 100 × 720 = 72,000 MWh bought at $10 = $720,000,
        // shared 144,000 : 216,000 MWh by consumption; nothing sold back.
        let out = dispatch(&period(dec!(10), &terms), &two_cohorts()).unwrap();
        assert_eq!(out.power_cost, Some(dec!(9360000)));
        assert_eq!(out.power_sold_back, Decimal::ZERO);
        assert_eq!(out.units[0].power_cost, Some(dec!(4608000)));
        assert_eq!(out.units[1].power_cost, Some(dec!(4752000)));
    }

    #[test]
    fn a_profile_must_cover_every_hour_once() {
        let short = PriceProfile::new(vec![bucket(dec!(0.9), dec!(1))]);
        assert_eq!(short.unwrap_err().field(), Some("power_price_profile"));
        assert_eq!(
            PriceBucket::new(dec!(0), dec!(1)).unwrap_err().0,
            "share_of_hours"
        );
        assert_eq!(
            PriceBucket::new(dec!(0.5), dec!(101)).unwrap_err().0,
            "price_multiple"
        );
    }

    #[test]
    fn terms_that_need_a_price_say_which() {
        let terms = PowerTerms {
            shutoff: Shutoff::Economic,
            ..PowerTerms::default()
        };
        assert_eq!(
            terms.check(false, true, true).unwrap_err().field(),
            Some("shutoff")
        );
        assert!(terms.check(true, true, true).is_ok());
        let credits = PowerTerms {
            demand_response_per_mwh: Some(Usd::new(dec!(10)).unwrap()),
            ..PowerTerms::default()
        };
        assert_eq!(
            credits.check(true, true, true).unwrap_err().field(),
            Some("demand_response_credit_per_mwh")
        );
    }
}
