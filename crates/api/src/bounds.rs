//! The range of every numeric request field, each declared once.
//!
//! A field names its range with `#[wire(bounds::NAME)]` (see
//! [`crate::wire`]); the OpenAPI schema's `minimum`, `maximum`,
//! `exclusiveMinimum` and `exclusiveMaximum` and the check run on every
//! request both read it. Fields of the same quantity share a range: every
//! `it_capacity_mw` is [`IT_CAPACITY_MW`].
//!
//! Decimal fractions (0.09 for 9%) are marked as such: a value above the
//! range that would lie within it divided by 100 is answered as a
//! percentage slip ("`discount_rate` is a fraction: 9 means 900%; did you
//! mean 0.09?"). Each is capped at 1 unless the quantity really exceeds
//! 100%, as its doc says.
//!
//! Where the core has a constant for a limit, the range is built from it.

use infraval_core::{build_cost, conversion, convertible, financing, gpu_cloud, mining, project};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::wire::{Bounds, Grid, Items, Length, Nested, OneOf};

/// A whole number as a Decimal, for ranges built from the core's integer
/// limits.
const fn whole(n: u64) -> Decimal {
    // Both halves fit in u32 by construction.
    #[allow(clippy::cast_possible_truncation)]
    Decimal::from_parts(n as u32, (n >> 32) as u32, 0, false, 0)
}

/// The largest amount of money in one field, USD: $10 trillion.
pub const MAX_USD: Decimal = dec!(10_000_000_000_000);

/// An amount of money, USD: 0 to $10 trillion.
pub const USD: Bounds = Bounds::closed(dec!(0), MAX_USD);
/// A strictly positive amount of money, USD: above 0, at most $10 trillion.
pub const POSITIVE_USD: Bounds = Bounds::above(dec!(0)).at_most(MAX_USD);

/// A fraction of something, in [0, 1]: occupancy, uptime, costs as a
/// share of another cost, haircuts.
pub const FRACTION: Bounds = Bounds::closed(dec!(0), dec!(1)).fraction();
/// An income tax rate: 0 to 0.6 (no jurisdiction taxes company income
/// above about half).
pub const TAX_RATE: Bounds = Bounds::closed(dec!(0), dec!(0.6)).fraction();
/// A mining pool's fee: 0 to 0.1 (pools keep 0% to 4%; a 2% fee written
/// as 2 is refused).
pub const POOL_FEE: Bounds = Bounds::closed(dec!(0), dec!(0.1)).fraction();
/// A fraction that must be above 0: cap rates.
pub const POSITIVE_FRACTION: Bounds = Bounds::above(dec!(0)).at_most(dec!(1)).fraction();

/// Critical IT capacity (and utility power), MW: above 0, at most 100,000
/// (far beyond any campus on Earth).
pub const IT_CAPACITY_MW: Bounds = Bounds::above(dec!(0)).at_most(dec!(100_000));
/// Power usage effectiveness: 1 to 5.
pub const PUE: Bounds = Bounds::closed(dec!(1), infraval_core::colocation::MAX_PUE);
/// Rent or opex, USD per kW-month: above 0, at most 100,000.
pub const RATE_PER_KW_MONTH: Bounds = Bounds::above(dec!(0)).at_most(dec!(100_000));
/// Opex, USD per kW-month: 0 to 100,000.
pub const OPEX_PER_KW_MONTH: Bounds = Bounds::closed(dec!(0), dec!(100_000));
/// A power price, USD per MWh: 0 to 100,000.
pub const POWER_PRICE_PER_MWH: Bounds = Bounds::closed(dec!(0), dec!(100_000));
/// Hard build cost, USD per MW: 0 to $1 billion.
pub const COST_PER_MW: Bounds = Bounds::closed(dec!(0), dec!(1_000_000_000));

/// Construction phases: 1 to 50.
pub const PHASES: Nested = Nested::list(build_cost::MAX_PHASES).non_empty();
/// A phase's first month of spend: 0 to 599 (a phase ends by month 600).
pub const START_MONTH: Bounds =
    Bounds::closed(dec!(0), whole(build_cost::MAX_SCHEDULE_MONTHS as u64 - 1));
/// A phase's months of spend: 1 to 600.
pub const DURATION_MONTHS: Bounds =
    Bounds::closed(dec!(1), whole(build_cost::MAX_SCHEDULE_MONTHS as u64));

/// Occupancy in each lease year: 1 to 50 fractions.
pub const OCCUPANCY_BY_YEAR: Items = Items::new(FRACTION, project::MAX_RAMP_YEARS).non_empty();
/// Months of a lease-up, or the month the lease starts after: up to 600.
pub const MONTHS_TO_STABILIZE: Bounds =
    Bounds::closed(dec!(1), whole(project::MAX_LEASE_MONTHS as u64));
/// The first month of rent: 0 to 600.
pub const LEASE_START_MONTH: Bounds =
    Bounds::closed(dec!(0), whole(project::MAX_LEASE_MONTHS as u64));
/// The annual rent escalator: −0.5 to 0.5.
pub const RENT_ESCALATOR: Bounds = Bounds::closed(dec!(-0.5), project::MAX_ESCALATOR).fraction();

/// The month a converted mining site stops mining: 0 to 600 (the latest
/// lease start).
pub const CONVERSION_START_MONTH: Bounds =
    Bounds::closed(dec!(0), whole(conversion::MAX_START_MONTH as u64));
/// A mining margin given up, USD a month: 0 to $10 trillion.
pub const MINING_MARGIN_PER_MONTH: Bounds = USD;
/// The yearly change of a flat mining margin: −1 to 1 (−100% to +100%).
pub const MINING_MARGIN_GROWTH_PER_YEAR: Bounds =
    Bounds::closed(dec!(-1), conversion::MAX_GROWTH_PER_YEAR).fraction();
/// A monthly mining margin path, USD a month, each −$10 trillion to $10
/// trillion (a month may lose money): at most 600 entries.
pub const MINING_MARGIN_PATH_PER_MONTH: Items = Items::new(
    Bounds::closed(dec!(-10_000_000_000_000), conversion::MAX_MARGIN_PER_MONTH),
    conversion::MAX_PATH_MONTHS,
);
/// Depreciation life, years: 1 to 50.
pub const DEPRECIATION_YEARS: Bounds =
    Bounds::closed(dec!(1), whole(project::MAX_DEPRECIATION_YEARS as u64));
/// A discount rate a year: −0.5 to 1. Below −0.5 the discount factors of a
/// 50-year model overflow; above 100% a year no site is financed.
pub const DISCOUNT_RATE: Bounds = Bounds::closed(dec!(-0.5), dec!(1)).fraction();
/// The model's horizon, years: 1 to 50.
pub const HORIZON_YEARS: Bounds = Bounds::closed(dec!(1), whole(project::MAX_HORIZON_YEARS as u64));
/// An EV multiple (of EBITDA, NOI or ARR): above 0, at most 100.
pub const MULTIPLE: Bounds = Bounds::above(dec!(0)).at_most(project::MAX_EXIT_MULTIPLE);
/// An EV multiple that may be 0 (a segment worth nothing): 0 to 100.
pub const MULTIPLE_OR_ZERO: Bounds = Bounds::closed(dec!(0), project::MAX_EXIT_MULTIPLE);

/// GPUs in a GPU cloud's fleet: 1 to 10,000,000.
pub const GPU_COUNT: Bounds = Bounds::closed(dec!(1), whole(gpu_cloud::MAX_GPU_COUNT));
/// Capex per GPU (GPU, server and network share), USD: 0 to 1,000,000.
pub const CAPEX_PER_GPU: Bounds = Bounds::closed(dec!(0), dec!(1_000_000));
/// Rent of a GPU, USD per GPU-hour: above 0, at most 1,000.
pub const PRICE_PER_GPU_HOUR: Bounds = Bounds::above(dec!(0)).at_most(dec!(1_000));
/// Months of a utilisation ramp: 0 (none) to 120.
pub const MONTHS_TO_RAMP: Bounds =
    Bounds::closed(dec!(0), whole(gpu_cloud::MAX_RAMP_MONTHS as u64));
/// A GPU fleet's useful life, years: 1 to 10 (GPU clouds depreciate over
/// 4 to 6).
pub const USEFUL_LIFE_YEARS: Bounds =
    Bounds::closed(dec!(1), whole(gpu_cloud::MAX_USEFUL_LIFE_YEARS as u64));
/// All-in IT power per GPU at full load, kW: above 0, at most 20.
pub const POWER_KW_PER_GPU: Bounds = Bounds::above(dec!(0)).at_most(gpu_cloud::MAX_KW_PER_GPU);
/// Other opex, USD per GPU per month: 0 to 100,000.
pub const OPEX_PER_GPU_MONTH: Bounds = Bounds::closed(dec!(0), dec!(100_000));
/// A GPU cloud's horizon, years: 1 to 30.
pub const GPU_CLOUD_HORIZON_YEARS: Bounds =
    Bounds::closed(dec!(1), whole(gpu_cloud::MAX_HORIZON_YEARS as u64));
/// Spot utilisation of each operating year: 1 to 30 fractions.
pub const UTILIZATION_BY_YEAR: Items =
    Items::new(FRACTION, gpu_cloud::MAX_HORIZON_YEARS as usize).non_empty();
/// Later deliveries of GPUs: at most 10.
pub const GPU_DELIVERIES: Nested = Nested::list(gpu_cloud::MAX_DELIVERIES);
/// The operating year a delivery first serves: 1 to 30 (and by the
/// horizon).
pub const DELIVERY_YEAR: Bounds =
    Bounds::closed(dec!(1), whole(gpu_cloud::MAX_HORIZON_YEARS as u64));
/// GPU contracts on one fleet: at most 20.
pub const GPU_CONTRACTS: Nested = Nested::list(gpu_cloud::MAX_CONTRACTS);
/// A GPU contract's first operating year, or its term in years: 1 to 30
/// (the contract also ends by the horizon).
pub const CONTRACT_YEARS: Bounds =
    Bounds::closed(dec!(1), whole(gpu_cloud::MAX_HORIZON_YEARS as u64));

/// A loan's interest rate a year: 0 to 0.5.
pub const LOAN_RATE: Bounds = Bounds::closed(dec!(0), financing::MAX_LOAN_RATE).fraction();
/// A term loan's amortisation, years: 1 to 40.
pub const AMORTIZATION_YEARS: Bounds =
    Bounds::closed(dec!(1), whole(financing::MAX_AMORTIZATION_YEARS as u64));
/// The DSCR a term loan is sized to: 1 to 10.
pub const TARGET_DSCR: Bounds =
    Bounds::closed(financing::MIN_TARGET_DSCR, financing::MAX_TARGET_DSCR);
/// A term loan's fees, a fraction of the loan: 0 to 0.1.
pub const LOAN_FEES: Bounds = Bounds::closed(dec!(0), financing::MAX_FEES).fraction();

/// A sensitivity axis's values: 1 to 10,000, each within the range of
/// the axis's variable (checked against it, so not stated here).
pub const AXIS_VALUES: Items =
    Items::new(Bounds::ANY, infraval_core::sensitivity::MAX_CELLS).non_empty();
/// The grids asked of a sensitivity: 1 to 9.
pub const OUTPUTS: Length = Length::new(1, infraval_core::sensitivity::MAX_OUTPUTS);
/// A range's equal steps on a sensitivity axis: 1 to 9,999 (2 to 10,000
/// values).
pub const AXIS_STEPS: Bounds = Bounds::closed(
    dec!(1),
    whole(infraval_core::sensitivity::MAX_CELLS as u64 - 1),
);

/// A note issue's principal, USD: one $1,000 note to $1 trillion.
pub const PRINCIPAL: Bounds = Bounds::closed(
    convertible::terms::DENOMINATION,
    convertible::terms::MAX_PRINCIPAL,
);
/// Shares per $1,000 of principal: 0.001 to 10,000,000.
pub const CONVERSION_RATE: Bounds = Bounds::closed(
    convertible::terms::MIN_CONVERSION_RATE,
    convertible::terms::MAX_CONVERSION_RATE,
);
/// A conversion price, USD per share: 0.0001 to 1,000,000.
pub const CONVERSION_PRICE: Bounds = Bounds::closed(
    convertible::terms::MIN_CONVERSION_PRICE,
    convertible::terms::MAX_SHARE_PRICE,
);
/// A share price, USD: above 0, at most 1,000,000.
pub const SHARE_PRICE: Bounds = Bounds::above(dec!(0)).at_most(convertible::terms::MAX_SHARE_PRICE);
/// A conversion premium over the reference price: 0 to 1 (a conversion
/// price double the share price; issues price at 20% to 100%).
pub const CONVERSION_PREMIUM: Bounds = Bounds::closed(dec!(0), dec!(1)).fraction();
/// The share price a conversion premium is set over, USD: 0.0001 to
/// 500,000, so that with a premium of up to 100% the conversion price
/// stays within its own range.
pub const REFERENCE_PRICE: Bounds =
    Bounds::closed(convertible::terms::MIN_CONVERSION_PRICE, dec!(500_000));
/// A share count: above 0, at most 10¹⁵.
pub const SHARES: Bounds = Bounds::above(dec!(0)).at_most(convertible::dilution::MAX_SHARES);
/// Share prices listed for dilution: 1 to 1,000, each a share price.
pub const SHARE_PRICE_LIST: Items =
    Items::new(SHARE_PRICE, convertible::dilution::MAX_SHARE_PRICE_POINTS).non_empty();
/// Equal steps of a share-price range: 1 to 999 (2 to 1,000 prices).
pub const SHARE_PRICE_STEPS: Bounds = Bounds::closed(
    dec!(1),
    whole(convertible::dilution::MAX_SHARE_PRICE_POINTS as u64 - 1),
);
/// Whole shares bought back: 1 to 10¹⁵.
pub const BUYBACK_SHARES: Bounds = Bounds::closed(dec!(1), convertible::dilution::MAX_SHARES);
/// Money spent on a buyback, USD: above 0, at most $1 trillion.
pub const BUYBACK_AMOUNT: Bounds =
    Bounds::above(dec!(0)).at_most(convertible::terms::MAX_PRINCIPAL);

/// A note's clean price per 100 of face, for its yield: above 0, at most
/// 10,000.
pub const PRICE_PER_100: Bounds =
    Bounds::above(dec!(0)).at_most(convertible::yield_::MAX_PRICE_PER_100);
/// An annual coupon rate: 0 to 0.25 (convertible coupons run 0% to about
/// 12%; a 1% coupon written as 1 is refused, not priced at 100%).
pub const COUPON_RATE: Bounds = Bounds::closed(dec!(0), dec!(0.25)).fraction();
/// Coupons a year, for a yield: 1, 2, 4 or 12.
pub const COUPON_FREQUENCY: OneOf = OneOf(&[1, 2, 4, 12]);
/// Coupons a year on the lattice, 0 for a zero-coupon note.
pub const LATTICE_COUPON_FREQUENCY: OneOf = OneOf(&[0, 1, 2, 4, 12]);

/// An amount on the lattice (face, share price, dividend, call or put
/// price), USD: above 0, at most 10⁹.
pub const LATTICE_AMOUNT: Bounds = Bounds::above(dec!(0)).at_most(dec!(1_000_000_000));
/// A cash dividend per share, USD: 0 to 10⁹.
pub const DIVIDEND_AMOUNT: Bounds = Bounds::closed(dec!(0), dec!(1_000_000_000));
/// A soft call's trigger, a ratio to the conversion price (1.3 for 130%):
/// above 0, at most 5. Above 1 by design: the share must trade above the
/// conversion price.
pub const TRIGGER: Bounds = Bounds::above(dec!(0)).at_most(dec!(5)).fraction();
/// The risk-free rate, continuously compounded: −0.05 to 0.25 (a 1% rate
/// written as 1 is refused, not priced at 100%).
pub const RISK_FREE_RATE: Bounds = Bounds::closed(dec!(-0.05), dec!(0.25)).fraction();
/// The issuer's credit spread, continuously compounded: 0 to 0.5 (50%, a
/// distressed issuer's).
pub const CREDIT_SPREAD: Bounds = Bounds::closed(dec!(0), dec!(0.5)).fraction();
/// The share's continuous dividend yield: 0 to 0.25.
pub const DIVIDEND_YIELD: Bounds = Bounds::closed(dec!(0), dec!(0.25)).fraction();
/// Recovery on default, a fraction of face: 0 to 0.8 (unsecured notes
/// recover 20% to 50% in default).
pub const RECOVERY_RATE: Bounds = Bounds::closed(dec!(0), dec!(0.8)).fraction();
/// The share's annual volatility: 0.01 to 5. Above 1 (100%) is real for
/// small-cap miners; 5 is the lattice's limit, and below 1% the tree's
/// drift outruns its moves.
pub const VOLATILITY: Bounds = Bounds::closed(dec!(0.01), dec!(5)).fraction();
/// Lattice steps: 10 to 20,000.
pub const STEPS: Bounds = Bounds::closed(
    whole(convertible::lattice::MIN_STEPS as u64),
    whole(convertible::lattice::MAX_STEPS as u64),
);
/// Dividends, calls or puts on the lattice: at most 1,000 of each.
pub const SCHEDULE: Nested = Nested::list(convertible::lattice::MAX_SCHEDULE_ITEMS);
/// An N-of-M test's days (`trigger_days`, `window_days`): 1 to 64 trading
/// days.
pub const TEST_DAYS: Bounds = Bounds::closed(
    dec!(1),
    whole(convertible::contract::MAX_WINDOW_DAYS as u64),
);
/// A funding rate of a hedge (stock borrow fee, short rebate, financing),
/// a year: −0.05 to 1 (a hard-to-borrow fee can reach 100%).
pub const FUNDING_RATE: Bounds = Bounds::closed(dec!(-0.05), dec!(1)).fraction();
/// A hedge's holding period, days: 1 to 3,650.
pub const HOLDING_PERIOD_DAYS: Bounds =
    Bounds::closed(dec!(1), whole(convertible::hedge::MAX_HOLDING_DAYS as u64));
/// A make-whole table's effective dates: 1 to 100.
pub const MAKE_WHOLE_DATES: Length = Length::new(1, convertible::make_whole::MAX_MAKE_WHOLE_DATES);
/// A make-whole table's additional shares per $1,000, one row per
/// effective date (1 to 100), one entry per stock price (1 to 100), each
/// 0 to 10,000,000 (the largest conversion rate); the total rate is capped
/// at `max_conversion_rate` when read.
pub const MAKE_WHOLE_ENTRIES: Grid = Grid {
    rows: MAKE_WHOLE_DATES,
    row: Items::new(
        Bounds::closed(dec!(0), convertible::terms::MAX_CONVERSION_RATE),
        convertible::make_whole::MAX_MAKE_WHOLE_PRICES,
    )
    .non_empty(),
};
/// A make-whole table's stock prices: 1 to 100, each a share price.
pub const MAKE_WHOLE_PRICES: Items =
    Items::new(SHARE_PRICE, convertible::make_whole::MAX_MAKE_WHOLE_PRICES).non_empty();
/// Takeovers a year, a Poisson intensity: 0 to 1.
pub const TAKEOVER_INTENSITY: Bounds = Bounds::closed(dec!(0), dec!(1));
/// Monte Carlo paths: 1,024 to 1,048,576.
pub const PATHS: Bounds = Bounds::closed(
    whole(convertible::monte_carlo::MIN_PATHS as u64),
    whole(convertible::monte_carlo::MAX_PATHS as u64),
);
/// A Monte Carlo seed: 0 to 2⁵³ − 1 (every JSON reader keeps it exact).
pub const SEED: Bounds = Bounds::closed(dec!(0), whole((1 << 53) - 1));
/// Share prices of a profile: 1 to 500, each an amount on the lattice.
pub const PROFILE_PRICES: Items =
    Items::new(LATTICE_AMOUNT, convertible::pricing::MAX_PROFILE_POINTS).non_empty();

/// A hashrate, EH/s: above 0, at most 1,000,000 (a thousand times today's
/// network).
pub const HASHRATE_EHS: Bounds = Bounds::above(dec!(0)).at_most(dec!(1_000_000));
/// Hashrate added in a month, EH/s (negative for retirements): −1,000,000
/// to 1,000,000.
pub const HASHRATE_CHANGE_EHS: Bounds = Bounds::closed(dec!(-1_000_000), dec!(1_000_000));
/// The network difficulty: above 0, at most 10¹⁸.
pub const DIFFICULTY: Bounds = Bounds::above(dec!(0)).at_most(dec!(1_000_000_000_000_000_000));
/// A number of machines: 1 to 10⁹.
pub const MINER_COUNT: Bounds = Bounds::closed(dec!(1), dec!(1_000_000_000));
/// Hashrate per machine, TH/s: above 0, at most 10,000.
pub const TH_PER_MINER: Bounds = Bounds::above(dec!(0)).at_most(dec!(10_000));
/// A block subsidy, BTC: 0 to 50.
pub const BLOCK_SUBSIDY_BTC: Bounds =
    Bounds::closed(dec!(0), whole(mining::MAX_BLOCK_SUBSIDY_BTC as u64));
/// A block height: 0 to 10,000,000 (the subsidy is gone by 6,930,000).
pub const BLOCK_HEIGHT: Bounds = Bounds::closed(dec!(0), dec!(10_000_000));
/// Fees per block, BTC: 0 to 100.
pub const FEES_PER_BLOCK_BTC: Bounds = Bounds::closed(dec!(0), dec!(100));
/// Days of production: above 0, at most 3,660.
pub const PERIOD_DAYS: Bounds =
    Bounds::above(dec!(0)).at_most(whole(mining::MAX_PERIOD_DAYS as u64));
/// A BTC price, USD: above 0, at most 10⁹.
pub const BTC_PRICE: Bounds = Bounds::above(dec!(0)).at_most(dec!(1_000_000_000));
/// Bitcoin held: 0 to 21,000,000, the supply cap.
pub const BTC: Bounds = Bounds::closed(dec!(0), dec!(21_000_000));
/// Fleet efficiency, J/TH: above 0, at most 1,000.
pub const EFFICIENCY_J_PER_TH: Bounds = Bounds::above(dec!(0)).at_most(dec!(1_000));
/// A fleet's power draw, MW: above 0, at most 100,000.
pub const POWER_MW: Bounds = Bounds::above(dec!(0)).at_most(dec!(100_000));
/// Growth a month of the network or the BTC price: −0.5 to 0.5. Both have
/// moved 40% in a month; 50% a month for ten years is 10²¹-fold.
pub const GROWTH_PER_MONTH: Bounds = Bounds::closed(dec!(-0.5), dec!(0.5)).fraction();
/// Months of a projection: 1 to 120.
pub const PROJECTION_MONTHS: Bounds =
    Bounds::closed(dec!(1), whole(mining::MAX_PROJECTION_MONTHS as u64));
const MONTHS: usize = mining::MAX_PROJECTION_MONTHS as usize;
/// Hashrate added at the start of each month: at most 120 entries.
pub const FLEET_ADDITIONS_EHS: Items = Items::new(HASHRATE_CHANGE_EHS, MONTHS);
/// The network hashrate of each month: at most 120.
pub const NETWORK_HASHRATE_PATH_EHS: Items = Items::new(HASHRATE_EHS, MONTHS);
/// The difficulty of each month: at most 120.
pub const DIFFICULTY_PATH: Items = Items::new(DIFFICULTY, MONTHS);
/// The BTC price of each month: at most 120.
pub const BTC_PRICE_PATH: Items = Items::new(BTC_PRICE, MONTHS);

/// Fees as a share of the block reward: 0 to 0.9 (fees have been at most
/// about half of a block's reward).
pub const FEE_SHARE: Bounds = Bounds::closed(dec!(0), mining::MAX_FEE_SHARE).fraction();
/// Fees per block for each month: at most 120.
pub const FEES_PER_BLOCK_BTC_PATH: Items = Items::new(FEES_PER_BLOCK_BTC, MONTHS);
/// The fee share of each month: at most 120.
pub const FEE_SHARE_PATH: Items = Items::new(FEE_SHARE, MONTHS);
/// The power price of each month: at most 120.
pub const POWER_PRICE_PATH_PER_MWH: Items = Items::new(POWER_PRICE_PER_MWH, MONTHS);
/// A fleet's cohorts: at most 50.
pub const COHORTS: Nested = Nested::list(mining::MAX_COHORTS);
/// A machine price, USD per TH/s: 0 to 1,000 (new machines sell for $10
/// to $30).
pub const USD_PER_TH: Bounds = Bounds::closed(dec!(0), dec!(1_000));
/// A useful life, months: 1 to 120.
pub const USEFUL_LIFE_MONTHS: Bounds =
    Bounds::closed(dec!(1), whole(mining::MAX_USEFUL_LIFE_MONTHS as u64));
/// Buckets of a power price profile: at most 24.
pub const PRICE_PROFILE: Nested = Nested::list(mining::MAX_PRICE_BUCKETS);
/// A bucket's share of the hours: above 0, at most 1.
pub const SHARE_OF_HOURS: Bounds = POSITIVE_FRACTION;
/// A bucket's price as a multiple of the period's: 0 to 100.
pub const PRICE_MULTIPLE: Bounds =
    Bounds::closed(dec!(0), whole(mining::MAX_PRICE_MULTIPLE as u64));
/// Months of a hashprice forward curve: at most 120.
pub const HASHPRICE_FORWARD: Nested = Nested::list(MONTHS);
/// A hashprice, USD per PH/s per day: 0 to 10,000 (it has ranged from
/// about $35 to $400).
pub const HASHPRICE_USD_PER_PH_DAY: Bounds = Bounds::closed(dec!(0), dec!(10_000));

/// Scenarios valued side by side: 1 to 5.
pub const SCENARIOS: Nested = Nested::list(infraval_core::valuation::MAX_SCENARIOS).non_empty();
/// Data-center sites in a scenario: at most 50.
pub const SITES: Nested = Nested::list(infraval_core::valuation::MAX_SITES);
/// Convertible notes in a scenario: at most 10.
pub const CONVERTIBLES: Nested = Nested::list(infraval_core::valuation::MAX_CONVERTIBLES);
/// Warrant or option tranches in a scenario: at most 20.
pub const WARRANTS: Nested = Nested::list(infraval_core::valuation::MAX_WARRANTS);
/// Capped calls on one note: at most 4.
pub const CAPPED_CALLS: Nested = Nested::list(infraval_core::valuation::MAX_CAPPED_CALLS);
/// RSUs outstanding: 0 to 10¹⁵ shares.
pub const RSUS: Bounds = Bounds::closed(dec!(0), convertible::dilution::MAX_SHARES);
/// What is owed on a note if holders do not convert, USD: above 0, at most
/// twice the largest principal (it lies between the note's principal and
/// twice it).
pub const REDEMPTION_AMOUNT: Bounds = Bounds::above(dec!(0)).at_most(dec!(2_000_000_000_000));

/// Leases on one site: 1 to 50.
pub const LEASES: Nested = Nested::list(infraval_core::lease::MAX_LEASES).non_empty();
/// A lease's term or an extension's length, months: 1 to 600.
pub const TERM_MONTHS: Bounds =
    Bounds::closed(dec!(1), whole(infraval_core::lease::MAX_TERM_MONTHS as u64));
/// A lease's extensions: 0 to 10.
pub const EXTENSION_COUNT: Bounds =
    Bounds::closed(dec!(0), whole(infraval_core::lease::MAX_EXTENSIONS as u64));
/// Months dark when a tenant does not renew: 0 to 600 (and at most the
/// extension's months).
pub const DOWNTIME_MONTHS: Bounds =
    Bounds::closed(dec!(0), whole(infraval_core::lease::MAX_TERM_MONTHS as u64));
/// A lease start, months from month 0 of construction: 0 to 600.
pub const LEASE_START: Bounds =
    Bounds::closed(dec!(0), whole(infraval_core::lease::MAX_TERM_MONTHS as u64));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_built_from_core_limits_hold_the_documented_values() {
        assert_eq!(MAX_USD, Decimal::from(10_000_000_000_000_u64));
        assert_eq!(START_MONTH.max.map(|e| e.value), Some(dec!(599)));
        assert_eq!(STEPS.min.map(|e| e.value), Some(dec!(10)));
        assert_eq!(STEPS.max.map(|e| e.value), Some(dec!(20000)));
        assert_eq!(
            SHARES.max.map(|e| e.value),
            Some(dec!(1_000_000_000_000_000))
        );
        assert_eq!(
            PRINCIPAL.max.map(|e| e.value),
            Some(dec!(1_000_000_000_000))
        );
        assert_eq!(whole(u64::from(u32::MAX) + 1), dec!(4294967296));
    }
}
