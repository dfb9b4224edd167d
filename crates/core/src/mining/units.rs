//! The validated quantities of mining: hashrates, difficulty, bitcoin,
//! efficiency, power draw, and a fleet reconciled with its machine count.

use rust_decimal::Decimal;

use super::th_per_eh;
use crate::error::{AtField, CoreError, ValueError};
use crate::num::{self, Checked, Megawatts};
use crate::tolerance::MINER_HASHRATE_REL;
use crate::Result;

/// The largest block subsidy accepted, BTC: the genesis subsidy.
pub const MAX_BLOCK_SUBSIDY_BTC: u32 = 50;

/// A strictly positive hashrate in EH/s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hashrate(Decimal);

impl Hashrate {
    /// Checks `ehs > 0`.
    pub fn new(ehs: Decimal) -> Result<Self, ValueError> {
        num::positive(ehs).map(Hashrate)
    }

    /// The hashrate, EH/s.
    pub fn ehs(self) -> Decimal {
        self.0
    }
}

/// A strictly positive mining difficulty (the ratio to difficulty 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difficulty(Decimal);

impl Difficulty {
    /// Checks `difficulty > 0`.
    pub fn new(difficulty: Decimal) -> Result<Self, ValueError> {
        num::positive(difficulty).map(Difficulty)
    }

    /// The difficulty.
    pub fn get(self) -> Decimal {
        self.0
    }

    /// The network hashrate this difficulty implies.
    ///
    /// # Formula
    /// ```text
    /// H [H/s]  = difficulty × 2^32 / 600
    /// H [EH/s] = difficulty × 2^32 / (600 × 10^18)
    /// ```
    /// A block at difficulty D takes D × 2^32 hashes on average, and one is
    /// found every 600 seconds. Difficulty 150 × 10¹² is about 1,074 EH/s.
    pub fn hashrate_ehs(self) -> Result<Decimal> {
        let hashes_per_block = self
            .0
            .mul_or(Decimal::from(1u64 << 32), "network hashrate")?;
        // 600 s × 10^18 H/EH, built by multiplication: 6 × 10^20 needs 69 bits.
        let denominator = Decimal::from(600u64).mul_or(
            Decimal::from(1_000_000_000_000_000_000u64),
            "network hashrate",
        )?;
        hashes_per_block.div_or(denominator, "network hashrate")
    }

    /// The difficulty tuned to a network hashrate, the inverse of
    /// [`Difficulty::hashrate_ehs`].
    ///
    /// # Formula
    /// ```text
    /// difficulty = H [EH/s] × 600 × 10^18 / 2^32
    /// ```
    pub fn from_hashrate_ehs(ehs: Decimal) -> Result<Decimal> {
        ehs.mul_or(Decimal::from(600u64), "difficulty")?
            .mul_or(Decimal::from(1_000_000_000_000_000_000u64), "difficulty")?
            .div_or(Decimal::from(1u64 << 32), "difficulty")
    }
}

/// The network, stated by its hashrate or by its difficulty.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Network {
    /// The network hashrate.
    Hashrate(Hashrate),
    /// The difficulty, converted with [`Difficulty::hashrate_ehs`].
    Difficulty(Difficulty),
}

impl Network {
    /// The network hashrate, EH/s; `field` names the input if it converts to
    /// zero (a difficulty so small that its hashrate rounds away).
    pub(super) fn hashrate(self, field: &str) -> Result<Hashrate> {
        match self {
            Network::Hashrate(h) => Ok(h),
            Network::Difficulty(d) => Hashrate::new(d.hashrate_ehs()?).at(field),
        }
    }
}

/// A non-negative amount of bitcoin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Btc(Decimal);

impl Btc {
    /// No bitcoin.
    pub const ZERO: Btc = Btc(Decimal::ZERO);

    /// Checks `btc ≥ 0`.
    pub fn new(btc: Decimal) -> Result<Self, ValueError> {
        num::non_negative(btc).map(Btc)
    }

    /// A block subsidy: checks `0 ≤ btc ≤ 50`.
    pub fn subsidy(btc: Decimal) -> Result<Self, ValueError> {
        num::within(btc, Decimal::ZERO, Decimal::from(MAX_BLOCK_SUBSIDY_BTC)).map(Btc)
    }

    /// The amount, BTC.
    pub fn get(self) -> Decimal {
        self.0
    }
}

/// A strictly positive efficiency, joules per terahash (= W per TH/s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct JoulesPerTerahash(Decimal);

impl JoulesPerTerahash {
    /// Checks `j_per_th > 0`.
    pub fn new(j_per_th: Decimal) -> Result<Self, ValueError> {
        num::positive(j_per_th).map(JoulesPerTerahash)
    }

    /// The efficiency, J/TH.
    pub fn get(self) -> Decimal {
        self.0
    }
}

/// The fleet's power draw while running.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PowerDraw {
    /// From the fleet's efficiency: `power_mw = J/TH × fleet EH/s` (see
    /// [`power_mw`](super::power_mw)).
    Efficiency(JoulesPerTerahash),
    /// Stated directly.
    Megawatts(Megawatts),
}

/// A count of machines and their average hashrate, to check a fleet figure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Miners {
    count: u64,
    th_per_miner: Decimal,
}

impl Miners {
    /// Checks `count > 0` (field `miner_count`) and `th_per_miner > 0`
    /// (field `th_per_miner`).
    pub fn new(count: u64, th_per_miner: Decimal) -> Result<Self> {
        if count == 0 {
            return Err(CoreError::invalid(
                "miner_count",
                ValueError::NotAbove {
                    bound: 0.0,
                    value: 0.0,
                },
            ));
        }
        let th_per_miner = num::positive(th_per_miner).at("th_per_miner")?;
        Ok(Miners {
            count,
            th_per_miner,
        })
    }

    /// The number of machines.
    pub fn count(self) -> u64 {
        self.count
    }

    /// The average hashrate per machine, TH/s.
    pub fn th_per_miner(self) -> Decimal {
        self.th_per_miner
    }

    /// `count × th_per_miner / 10^6`, EH/s.
    pub fn hashrate_ehs(self) -> Result<Decimal> {
        Decimal::from(self.count)
            .mul_or(self.th_per_miner, "miner hashrate")?
            .div_or(th_per_eh(), "miner hashrate")
    }
}

/// A fleet hashrate, reconciled with a miner count when one is given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fleet {
    hashrate: Hashrate,
    miners: Option<Miners>,
}

impl Fleet {
    /// Accepts the fleet hashrate, and checks it against the miners when
    /// they are given.
    ///
    /// # Formula
    /// ```text
    /// |miner_count × th_per_miner / 10^6 − fleet_hashrate_ehs| ≤ 2% × fleet_hashrate_ehs
    /// ```
    /// ([`MINER_HASHRATE_REL`]); otherwise [`CoreError::Inconsistent`]
    /// on `th_per_miner`.
    pub fn new(hashrate: Hashrate, miners: Option<Miners>) -> Result<Self> {
        if let Some(m) = miners {
            let implied = m.hashrate_ehs()?;
            let gap = implied.sub_or(hashrate.ehs(), "miner hashrate gap")?.abs();
            let allowed = hashrate
                .ehs()
                .mul_or(MINER_HASHRATE_REL, "miner hashrate gap")?;
            if gap > allowed {
                return Err(CoreError::Inconsistent {
                    field: "th_per_miner".into(),
                    reason: "miner_count × th_per_miner / 10^6 differs from fleet_hashrate_ehs by more than 2%",
                });
            }
        }
        Ok(Fleet { hashrate, miners })
    }

    /// The fleet hashrate.
    pub fn hashrate(self) -> Hashrate {
        self.hashrate
    }

    /// The miners, when given.
    pub fn miners(self) -> Option<Miners> {
        self.miners
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::mining::tests::hashrate;

    #[test]
    fn a_difficulty_converts_to_hashes_per_600_seconds() {
        // 150e12 × 2^32 / 600 H/s = 150e12 × 4,294,967,296 / 600 / 1e18 EH/s
        //                         = 4,294,967,296 / 4 / 1e6 = 1,073.741824 EH/s.
        let d = Difficulty::new(dec!(150_000_000_000_000)).unwrap();
        assert_eq!(d.hashrate_ehs().unwrap(), dec!(1073.741824));
    }

    #[test]
    fn a_hashrate_converts_back_to_its_difficulty() {
        // 1,073.741824 EH/s × 600 × 1e18 / 4,294,967,296 = 150e12.
        assert_eq!(
            Difficulty::from_hashrate_ehs(dec!(1073.741824)).unwrap(),
            dec!(150_000_000_000_000)
        );
    }

    #[test]
    fn an_absurd_difficulty_overflows_into_an_error() {
        let d = Difficulty::new(Decimal::MAX).unwrap();
        assert!(matches!(d.hashrate_ehs(), Err(CoreError::Overflow { .. })));
    }

    #[test]
    fn miners_reconcile_with_the_fleet_within_two_percent() {
        // 245,199 miners × 204 TH/s = 50,020,596 TH/s = 50.02 EH/s: 0.04% from 50.0.
        let ok = Fleet::new(
            hashrate(dec!(50)),
            Some(Miners::new(245_199, dec!(204)).unwrap()),
        );
        assert!(ok.is_ok());
        // 1,000 × 1,020 TH/s = 1.02 EH/s against 1 EH/s: exactly 2%, accepted.
        assert!(Fleet::new(
            hashrate(dec!(1)),
            Some(Miners::new(1000, dec!(1020)).unwrap())
        )
        .is_ok());
        // 1,000 × 1,021 TH/s = 1.021 EH/s: 2.1%, refused.
        let err = Fleet::new(
            hashrate(dec!(1)),
            Some(Miners::new(1000, dec!(1021)).unwrap()),
        )
        .unwrap_err();
        assert!(
            matches!(err, CoreError::Inconsistent { ref field, .. } if field == "th_per_miner")
        );
    }

    #[test]
    fn zero_miners_are_refused_naming_the_count() {
        assert_eq!(
            Miners::new(0, dec!(200)).unwrap_err().field(),
            Some("miner_count")
        );
    }
}
