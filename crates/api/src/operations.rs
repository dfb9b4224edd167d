//! The operations of the API, each declared once.
//!
//! One entry per operation holds its method name, type name, stable id,
//! path, tag, request, validated input and response types, its docs (the
//! doc comment: summary, then description, as OpenAPI gives them), where
//! it runs, the function that computes it, when it is not one unit its
//! work estimate, and the chart it draws, if any. The server's routes and
//! content negotiation, the OpenAPI paths, the metrics route labels, the
//! 404/405 table, the client's methods and batch dispatch all come from
//! this list. Adding an endpoint is one entry here
//! and one core function.
//!
//! The table is the body of [`for_each_operation`], so other crates (the
//! client) expand it with their own macro; here it becomes one
//! [`Operation`](crate::operation::Operation) implementation per entry.

/// Calls `$callback!` with the table of every operation.
///
/// Each entry is its doc comment, then `name = Type { id, path, tag,
/// request: Request => Input, response: Response, "200 description",
/// runs: Inline | Blocking, compute: fn, work_units: fn (optional),
/// chart: Chart (optional), model: "id" or model_of: fn(&Input) -> &str,
/// conventions: "id" }`. The model and conventions ids are stated in every
/// answer's `meta` ([`crate::provenance`]). An operation with a `chart` also answers
/// `Accept: image/svg+xml` with the chart of its answer.
/// The client expands it into one method per operation:
///
/// ```text
/// macro_rules! methods { ($($(#[doc = $d:literal])* $name:ident = $op:ident { $($_:tt)* })*) => { /* … */ } }
/// infraval_api::for_each_operation!(methods);
/// ```
#[macro_export]
macro_rules! for_each_operation {
    ($callback:ident) => {
        $callback! {
            /// Annual recurring revenue of a colocation site, or the rent or capacity behind it.
            ///
            /// Give two of capacity (`it_capacity_mw`, or `utility_power_mw` with
            /// `pue`), `rate_per_kw_month` and `arr`; the third is solved and named in
            /// `solved`. `arr = it_capacity_mw × 1,000 × occupancy × rate_per_kw_month
            /// × 12`, IT load = utility power / PUE. With `power_price_per_mwh` (and
            /// `pue`) the tenant's pass-through power bill, leased kW × PUE × 8,760 h ×
            /// price / 1,000, is returned apart from rent. Exact decimal arithmetic;
            /// money rounded to cents, the rate and MW to 4 decimals.
            colocation_arr = ColocationArr {
                id: "colocation.arr",
                path: "/v1/colocation/arr",
                tag: "colocation",
                request: $crate::colocation::ArrRequest => infraval_core::colocation::SolveArrInput,
                response: $crate::colocation::ArrResponse, "The site's ARR, rent and capacity",
                runs: Inline,
                compute: $crate::colocation::arr,
                model: "colocation.arr.exact_decimal",
                conventions: "monthly_rent_x12/cents",
            }

            /// Development returns of a data-center site: cash flows, NPV, IRR, payback, yield on cost.
            ///
            /// A yearly model from month 0 of construction to an exit at the end of
            /// `horizon_years` (≤ 50): phased build capex, lease-up, escalating rent,
            /// opex, pass-through power, maintenance capex, tax and an exit on forward
            /// NOI (cap rate or multiple). A project whose cash flows never change sign
            /// has no IRR and is answered 422 `no_solution`.
            colocation_project = ColocationProject {
                id: "colocation.project",
                path: "/v1/colocation/project",
                tag: "colocation",
                request: $crate::project::ProjectRequest => infraval_core::project::ProjectInput,
                response: $crate::project::ProjectResponse, "The cash-flow table and returns",
                runs: Inline,
                compute: $crate::project::returns,
                chart: $crate::chart::PROJECT,
                model: "project.yearly_dcf",
                conventions: "yearly/end_of_year_discounting/cents",
            }

            /// Goal seek: the value of one project input that makes a result hit a target.
            ///
            /// E.g. the `rate_per_kw_month` for a 12% IRR, or the `cost_per_mw` at
            /// which the NPV is zero. Brent's method inside the bracket (a grid scan
            /// for a crossing when the ends do not straddle the target); the answer
            /// states the bracket, the tolerance and the value achieved. A target
            /// the metric never reaches in the bracket is 422 `target_unattainable`.
            colocation_goal_seek = ColocationGoalSeek {
                id: "colocation.goal-seek",
                path: "/v1/colocation/goal-seek",
                tag: "colocation",
                request: $crate::goal_seek::GoalSeekRequest => infraval_core::goal_seek::GoalSeekInput,
                response: $crate::goal_seek::GoalSeekResponse, "The value found",
                runs: Inline,
                compute: $crate::goal_seek::goal_seek,
                model: "project.yearly_dcf+brent",
                conventions: "yearly/end_of_year_discounting",
            }

            /// Sensitivity grid: project results over every pair of values of two inputs.
            ///
            /// At most 10,000 cells. A cell that fails (e.g. no IRR) carries its error
            /// code and the rest of the grid is computed. Cells are computed by the
            /// project model in binary floating point, which agrees with the exact
            /// model far below a cent.
            colocation_sensitivity = ColocationSensitivity {
                id: "colocation.sensitivity",
                path: "/v1/colocation/sensitivity",
                tag: "colocation",
                request: $crate::sensitivity::SensitivityRequest => infraval_core::sensitivity::SensitivityInput,
                response: $crate::sensitivity::SensitivityResponse, "One grid per output",
                runs: Blocking,
                compute: $crate::sensitivity::sensitivity,
                work_units: $crate::sensitivity::sensitivity_work_units,
                chart: $crate::chart::SENSITIVITY,
                model: "project.yearly_dcf.f64",
                conventions: "yearly/end_of_year_discounting",
            }

            /// Returns of a GPU cloud: GPU-hours sold, NOI, refreshes, NPV, IRR, payback.
            ///
            /// A yearly model of an operator that rents GPUs by the hour: one fleet
            /// bought at year 0, `gpu_count × 8,760 × utilisation` GPU-hours sold a
            /// year (after a linear ramp) at a rent that falls with the fleet's age,
            /// less power (for the hours sold, plus an idle share), other opex and
            /// tax on NOI less straight-line depreciation to the residual. At the end
            /// of each useful life (1 to 10 years) the fleet is sold for its residual
            /// and, with `refresh`, replaced; the fleet in service at the horizon
            /// (≤ 30 years) is worth its book value, or an exit multiple of the last
            /// NOI. Cash flows that never change sign have no IRR and are answered
            /// 422 `no_solution`.
            gpu_cloud_project = GpuCloudProject {
                id: "gpu_cloud.project",
                path: "/v1/gpu-cloud/project",
                tag: "gpu-cloud",
                request: $crate::gpu_cloud::GpuCloudRequest => infraval_core::gpu_cloud::GpuCloudInput,
                response: $crate::gpu_cloud::GpuCloudResponse, "The cash-flow table and returns",
                runs: Inline,
                compute: $crate::gpu_cloud::project,
                model: "gpu_cloud.yearly_fleet_dcf",
                conventions: "yearly/end_of_year_discounting/cents",
            }

            /// Goal seek on the GPU cloud: the value of one input that makes a result hit a target.
            ///
            /// E.g. the `price_per_gpu_hour` for a 15% IRR, the `capex_per_gpu` at
            /// which the NPV is zero, or the `utilization` that breaks even. The
            /// colocation goal seek's solver (Brent's method inside the bracket, ends
            /// moved inward where the model has no answer, a grid scan when they do
            /// not straddle the target); the answer states the bracket, the tolerance
            /// and the value achieved. A target the model does not reach inside the
            /// bracket is 422 `target_unattainable`.
            gpu_cloud_goal_seek = GpuCloudGoalSeek {
                id: "gpu_cloud.goal-seek",
                path: "/v1/gpu-cloud/goal-seek",
                tag: "gpu-cloud",
                request: $crate::goal_seek::GpuGoalSeekRequest => infraval_core::goal_seek::GoalSeekInput<infraval_core::gpu_cloud::GpuCloudInput>,
                response: $crate::goal_seek::GpuGoalSeekResponse, "The value found",
                runs: Inline,
                compute: $crate::goal_seek::gpu_goal_seek,
                model: "gpu_cloud.yearly_fleet_dcf+brent",
                conventions: "yearly/end_of_year_discounting",
            }

            /// What a site costs to build, per kW and per MW, and when the money is spent.
            ///
            /// `total = it_capacity_mw × cost_per_mw × (1 + contingency + soft_costs) +
            /// land_cost`. Each phase costs its MW share, spent straight-line over its
            /// months (or along an S-curve, `x²(3 − 2x)`); land is spent in month 0;
            /// `already_spent` comes off the earliest months. Money is rounded to cents
            /// and the schedule adds up to the total exactly.
            build_cost = BuildCost {
                id: "build-cost",
                path: "/v1/build-cost",
                tag: "build-cost",
                request: $crate::build_cost::BuildCostRequest => infraval_core::build_cost::BuildCostInput,
                response: $crate::build_cost::BuildCostResponse, "Totals and the monthly schedule",
                runs: Inline,
                compute: $crate::build_cost::schedule,
                model: "build_cost.phased_schedule",
                conventions: "monthly/cents",
            }

            /// The full terms of a convertible note issue.
            ///
            /// Give `principal` and exactly one of `conversion_rate` (shares per
            /// $1,000), `conversion_price`, or `reference_price` with
            /// `conversion_premium`. `conversion_price = reference_price × (1 +
            /// conversion_premium)`; `conversion_rate = 1,000 / conversion_price`,
            /// rounded to 4 decimals (halves away from zero) as indentures state it,
            /// with the unrounded rate alongside; `shares_underlying = principal /
            /// 1,000 × conversion_rate`.
            convertible_terms = ConvertibleTerms {
                id: "convertibles.terms",
                path: "/v1/convertibles/terms",
                tag: "convertibles",
                request: $crate::convertible::terms::TermsRequest => infraval_core::convertible::ConvertibleTerms,
                response: $crate::convertible::terms::TermsResponse, "The issue's terms",
                runs: Inline,
                compute: $crate::convertible::terms::full_terms,
                model: "terms.indenture",
                conventions: "per_1000_face/rate_4dp_half_away",
            }

            /// Shares issued, capped-call offsets and diluted share counts across share prices.
            ///
            /// Notes convert when their conversion value `shares_underlying × S`
            /// exceeds principal. Physical settlement then issues every underlying
            /// share; net-share settlement pays principal in cash and issues
            /// `(conversion_value − principal) / S` shares; cash settlement issues
            /// none. A capped call pays `shares_underlying × (min(S, cap) −
            /// lower_strike)⁺`, handed back in shares except under cash settlement. A
            /// buyback of `amount` at `price` retires `⌊amount / price⌋` shares.
            /// `diluted = basic − repurchased + issued − handed back`. The
            /// if-converted count follows ASC 260 after ASU 2020-06. With
            /// `make_whole` and a `call_date` or `fundamental_change_date`, the
            /// conversions are make-whole conversions on that date: each $1,000
            /// converts into `conversion_rate + additional` shares (the table
            /// interpolated as `/price` reads it), the notes convert when that is
            /// worth more than principal, and `make_whole_shares` says how many of
            /// the shares issued the table added.
            convertible_dilution = ConvertibleDilution {
                id: "convertibles.dilution",
                path: "/v1/convertibles/dilution",
                tag: "convertibles",
                request: $crate::convertible::dilution::DilutionRequest => infraval_core::convertible::dilution::DilutionInput,
                response: $crate::convertible::dilution::DilutionResponse, "The dilution at each share price",
                runs: Inline,
                compute: $crate::convertible::dilution::dilution,
                chart: $crate::chart::DILUTION,
                model: "dilution.asc260_if_converted",
                conventions: "shares/per_share_usd",
            }

            /// Yield to maturity, current yield and the accreted value schedule of a note.
            ///
            /// The yield is nominal, compounded `frequency` times a year (semiannual
            /// by default, bond-equivalent), solved in exact decimal arithmetic from
            /// the full price: `clean + accrued = Σ CF_j / (1 + y/f)^(j − 1 + w)`, with
            /// coupon dates stepped back from maturity and `w` the share of the first
            /// period still to run (actual days). The schedule carries the value of
            /// the remaining cash flows at that yield from settlement to 100 at
            /// maturity: for a zero bought at a discount, its accretion to face.
            convertible_yield = ConvertibleYield {
                id: "convertibles.yield",
                path: "/v1/convertibles/yield",
                tag: "convertibles",
                request: $crate::convertible::yield_::YieldRequest => infraval_core::convertible::yield_::YieldInput,
                response: $crate::convertible::yield_::YieldResponse, "The note's yields and accretion",
                runs: Inline,
                compute: $crate::convertible::yield_::yield_,
                model: "yield.exact_decimal",
                conventions: "actual_days/compounded_per_coupon/per_100_face",
            }

            /// Fair value of a convertible note on a credit-risky lattice, with greeks.
            ///
            /// A Cox-Ross-Rubinstein tree of `steps` steps (default 1,000; 2,000 with a
            /// call or put schedule) from the
            /// valuation date to maturity; the holder may convert at any step from
            /// `conversion_start_date`, and receives `max(100 + final coupon, parity)`
            /// at maturity. `tsiveriotis_fernandes` (default) splits the value into a
            /// cash part discounted at `risk_free_rate + credit_spread` and an equity
            /// part discounted at `risk_free_rate`; `hazard_rate` defaults with
            /// intensity `credit_spread / (1 − recovery_rate)`, the stock then falling
            /// to 0 and the note paying `recovery_rate × face`. Calls (clean, plus
            /// accrued; soft with a `trigger`) and puts apply on their dates, moved to
            /// the nearest step after the step count is lowered (by up to a tenth) to
            /// bring those dates on or near a step; the tree is centred within half a
            /// step of the share price so that a call's barrier lies on a node layer.
            /// Prices are per 100 of face, dirty, and per note; time
            /// is Act/365F; rates are continuously compounded. Delta, gamma and theta
            /// come from the tree; vega (per vol point), rho and CS01 (per basis point)
            /// from central bumps; under `tsiveriotis_fernandes` vega on trees of half
            /// the steps, rho and CS01 on trees of a quarter (at least 250 steps, or
            /// all of them when fewer).
            /// `convergence` compares the price with the one at half the steps.
            ///
            /// The template's terms: a call period's N-of-M test (`trigger_days` of
            /// `window_days` trading days, weekdays), `contingent_conversion`,
            /// `make_whole` and `fundamental_change`. `engine` `auto` (default) uses
            /// the lattice, which reads an N-of-M test through an effective trigger
            /// `trigger × exp(0.8 σ √(N/252))`, unless the note has terms only the
            /// exact engine prices; `monte_carlo` simulates daily paths (seeded,
            /// antithetic, two control variates) and answers its standard error,
            /// the call, conversion and put probabilities and the expected life.
            /// Greeks always come from the lattice. Yields to put, call, maturity
            /// and worst, the breakeven and the event table come with every price.
            convertible_price = ConvertiblePrice {
                id: "convertibles.price",
                path: "/v1/convertibles/price",
                tag: "convertibles",
                request: $crate::convertible::pricing::PriceRequest => $crate::convertible::pricing::PriceInput,
                response: $crate::convertible::pricing::PriceResponse, "The note's fair value, greeks and convergence",
                runs: Blocking,
                compute: $crate::convertible::pricing::price,
                work_units: $crate::convertible::pricing::price_work_units,
                model_of: $crate::convertible::pricing::price_model,
                conventions: "act365f/continuous/per_100_face_dirty",
            }

            /// The volatility or the credit spread that reproduces a market price.
            ///
            /// The body is a price request plus `solve_for` and `market_price_per_100`
            /// (dirty); the solved field may be omitted, or given as the starting
            /// value. The search covers the solved field's own range, the one a
            /// price request accepts: volatility in [0.01, 5] or the spread in
            /// [0, 0.5] (the hazard-rate model keeps `volatility² > hazard rate`); an
            /// end where the tree cannot be built at the requested steps moves inward
            /// to where it can. The price is scanned on a 16-interval grid and every
            /// crossing solved by Brent's method to within 1e-6 per 100: `roots` lists
            /// them all, and the answer is the one nearest the starting value (the
            /// lowest without one). A price that no value in the range reaches is a
            /// 422 `solution_out_of_range` naming the solved field and its range,
            /// with the lowest and highest price seen and any end that moved.
            convertible_implied = ConvertibleImplied {
                id: "convertibles.implied",
                path: "/v1/convertibles/implied",
                tag: "convertibles",
                request: $crate::convertible::implied::ImpliedRequest => $crate::convertible::implied::ImpliedInput,
                response: $crate::convertible::implied::ImpliedResponse, "The solved volatility or spread",
                runs: Blocking,
                compute: $crate::convertible::implied::implied,
                work_units: $crate::convertible::implied::implied_work_units,
                model_of: $crate::convertible::implied::implied_model,
                conventions: "act365f/continuous/per_100_face_dirty",
            }

            /// Price, bond floor, parity and delta of a note across share prices.
            ///
            /// Up to 500 share prices, and prices × steps^1.5 at most 45,000,000
            /// (e.g. 500 prices at 2,000 steps, 45 at 10,000, 15 at 20,000). The
            /// lattice's per-step data is built once and rolled back for each price
            /// (for a callable note the tree is re-centred on the call barrier at each
            /// price); delta comes from the tree.
            convertible_profile = ConvertibleProfile {
                id: "convertibles.profile",
                path: "/v1/convertibles/profile",
                tag: "convertibles",
                request: $crate::convertible::pricing::ProfileRequest => $crate::convertible::pricing::ProfileInput,
                response: $crate::convertible::pricing::ProfileResponse, "The price profile",
                runs: Blocking,
                compute: $crate::convertible::pricing::profile,
                work_units: $crate::convertible::pricing::profile_work_units,
                chart: $crate::chart::PROFILE,
                model_of: $crate::convertible::pricing::profile_model,
                conventions: "act365f/continuous/per_100_face_dirty",
            }

            /// Fair value and cost of a capped call: a call spread from the lower strike to the cap.
            ///
            /// Black-Scholes-Merton on the issuer's stock with a continuous dividend
            /// yield and the discrete dividends escrowed (`S* = S − Σ D e^{−r t}`):
            /// `value_per_share = C(lower_strike) − C(cap_price)`, `C(K) = S* e^{−qT}
            /// N(d1) − K e^{−rT} N(d2)`, T in Act/365F years to `expiry_date`. The
            /// calls are written on `shares`, or on the notes' underlying shares
            /// (`principal / 1,000 × conversion_rate`, the terms as `/terms` takes
            /// them), when the cost per $1,000 note and as a fraction of principal
            /// are given too, and the lower strike defaults to the parity price.
            /// Delta, gamma, vega (per vol point) and theta (per day) per share.
            convertible_capped_call = ConvertibleCappedCall {
                id: "convertibles.capped-call",
                path: "/v1/convertibles/capped-call",
                tag: "convertibles",
                request: $crate::convertible::capped_call::CappedCallPriceRequest => $crate::convertible::capped_call::CappedCallPriceInput,
                response: $crate::convertible::capped_call::CappedCallPriceResponse, "The capped call's value and cost",
                runs: Inline,
                compute: $crate::convertible::capped_call::capped_call,
                model: "capped_call.black_scholes_merton.call_spread",
                conventions: "act365f/continuous/per_share_usd",
            }

            /// Carry of a delta-hedged note: financing, rebate, dividends, return on capital, gamma breakevens.
            ///
            /// The note is priced as `/price` prices it (greeks from the lattice);
            /// the position is long `position_face` of notes, `haircut` of their
            /// value funded with capital and the rest at `financing_rate`, and short
            /// `delta` shares. `carry_per_day = coupon − financing + rebate − borrow
            /// fee − dividends on the short` (each an annual rate over 365 days);
            /// over the period, less the discrete dividends with ex-date in it.
            /// `return_on_capital = carry_per_period / (haircut × bond value)`. The
            /// gamma breakevens are the day's share moves `±√(−2 (θ + carry) / Γ)`
            /// at which the hedged position's `θ + carry + ½ Γ ΔS²` is zero (second
            /// order in ΔS); `null` when the position earns standing still.
            convertible_hedge = ConvertibleHedge {
                id: "convertibles.hedge",
                path: "/v1/convertibles/hedge",
                tag: "convertibles",
                request: $crate::convertible::hedge::HedgeRequest => $crate::convertible::hedge::HedgeInput,
                response: $crate::convertible::hedge::HedgeResponse, "The hedged position's carry",
                runs: Blocking,
                compute: $crate::convertible::hedge::hedge,
                work_units: $crate::convertible::hedge::hedge_work_units,
                model_of: $crate::convertible::hedge::hedge_model,
                conventions: "act365f/continuous/carry_per_365_days",
            }

            /// Production and unit economics of a mining fleet.
            ///
            /// `btc_per_day = fleet / network × 144 × (subsidy + fees) × uptime × (1 − pool_fee)`,
            /// with the network from its hashrate or from `difficulty × 2^32 / 600`,
            /// and the subsidy given or `50 × 2^−⌊height / 210,000⌋`. The fleet is one
            /// hashrate or up to 50 `cohorts` (hashrate, J/TH, purchase cost, date, useful
            /// life, residual). With a BTC price, an efficiency (or power draw) and a
            /// power price it adds hashprice, hashcost (`J/TH × $/MWh × 24 / 1,000` per
            /// PH/s per day), power cost, breakevens, the daily margin and cost per BTC:
            /// power only, cash (power + other opex, CoinShares' cash cost) and all-in
            /// (plus depreciation of machines and site and stock compensation,
            /// CoinShares' all-in cost), per cohort and in total. Power may spread over
            /// the hours (a price profile), come partly under a fixed-price contract whose
            /// unused power is sold back, earn demand-response credits, and switch cohorts
            /// off while their hashcost exceeds the hashprice (`shutoff: economic`).
            /// Bitcoin is rounded to satoshis, money to cents.
            mining_production = MiningProduction {
                id: "mining.production",
                path: "/v1/mining/production",
                tag: "mining",
                request: $crate::mining::production::ProductionRequest => infraval_core::mining::ProductionInput,
                response: $crate::mining::production::ProductionResponse, "The fleet's production and unit economics",
                runs: Inline,
                compute: $crate::mining::production::production,
                model: "mining.expected_share_of_blocks",
                conventions: "daily/144_blocks/satoshis_cents",
            }

            /// A monthly projection of bitcoin mined, revenue, power cost and margin.
            ///
            /// Up to 120 calendar months from `start_date`. The network grows by a
            /// monthly rate or follows a hashrate or difficulty path, held for each month;
            /// a block clock runs the difficulty behind it (blocks at `144 × H / D` a day,
            /// retargets every 2,016 blocks to the epoch's average hashrate) and counts
            /// halvings in blocks. The fleet grows by monthly additions, or is up to 50
            /// cohorts hashing from their purchase dates and depreciated straight line.
            /// Fees are per block or a share of the reward, constant or monthly; the BTC
            /// and power prices are flat, grow, or follow paths; power terms and the
            /// economic shut-off are as in production, month by month, with curtailed
            /// hours, credits shown apart, cash and all-in cost per BTC per cohort and in
            /// total, and an optional hashprice forward curve with hedged fractions.
            mining_projection = MiningProjection {
                id: "mining.projection",
                path: "/v1/mining/projection",
                tag: "mining",
                request: $crate::mining::projection::ProjectionRequest => infraval_core::mining::ProjectionInput,
                response: $crate::mining::projection::ProjectionResponse, "The monthly table and its totals",
                runs: Blocking,
                compute: $crate::mining::projection::projection,
                work_units: $crate::mining::projection::projection_work_units,
                chart: $crate::chart::MINING_PROJECTION,
                model: "mining.monthly_block_clock",
                conventions: "calendar_month/2016_block_retarget/satoshis_cents",
            }

            /// Sum-of-the-parts value per share, with diluted shares solved consistently.
            ///
            /// Each scenario adds its segments (mining by EBITDA multiple or $ per
            /// EH/s; data-center sites by NOI / cap rate or ARR × multiple, less
            /// remaining capex; the bitcoin treasury after a haircut; cash), deducts
            /// straight debt, and solves the convertible notes: a note is debt when
            /// the value per share is below its conversion price and converts (into
            /// shares, net shares or cash, by its settlement) at or above it. Every
            /// self-consistent solution is returned; `fixed_point` says whether there
            /// is one or several. Buybacks reduce the basic shares. Up to five
            /// scenarios (bear, base, bull) are valued side by side. Beside the
            /// value: EV per EH/s, EV per MW of IT capacity and, from an optional
            /// `mining.projection` (the `/v1/mining/projection` request), the
            /// bitcoin the fleet mines over its life, per PH/s and per dollar of
            /// mining value; each projection adds its work to the request's.
            sum_of_parts = SumOfParts {
                id: "valuations.sum-of-parts",
                path: "/v1/valuations/sum-of-parts",
                tag: "valuations",
                request: $crate::valuation::SumOfPartsRequest => Vec<infraval_core::valuation::Scenario>,
                response: $crate::valuation::SumOfPartsResponse, "Each scenario's valuation",
                runs: Blocking,
                compute: $crate::valuation::sum_of_parts,
                work_units: $crate::valuation::sum_of_parts_work_units,
                chart: $crate::chart::SUM_OF_PARTS,
                model: "sum_of_parts.fixed_point",
                conventions: "usd/per_share",
            }
        }
    };
}

use crate::operation::declare_operations;

for_each_operation!(declare_operations);
