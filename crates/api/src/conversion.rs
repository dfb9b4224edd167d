//! A mining site converted to a data center, on the wire: the `conversion`
//! object of `POST /v1/colocation/project`.

use infraval_core::conversion::{Conversion, ForgoneMargin};
use infraval_core::error::AtField;
use infraval_core::mining::{self, ProjectionInput};
use infraval_core::num::Usd;
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::bounds;
use crate::mining::projection::{projection_work_units, ProjectionRequest};
use crate::project::under;
use crate::wire::{Int, Num, Wire, NESTED};

/// The most work units a nested `mining_projection` may cost (see
/// `POST /v1/mining/projection`: `⌈months × (32 + cohorts × price
/// buckets) / 8,000⌉`), so that a project, and each site of a sum of the
/// parts, runs at most one unit of projection work, about what one project
/// at its caps costs. 120 months of one fleet is one unit.
pub const MAX_NESTED_PROJECTION_WORK_UNITS: u64 = 1;

/// The most sites of one sum of the parts whose `development` takes its
/// margin from a nested `mining_projection`. Each runs once, while the
/// request is converted (before the heavy-work limit admits it), so ten
/// one-unit projections are the most one request does there.
pub const MAX_NESTED_PROJECTIONS_PER_VALUATION: usize = 10;

/// Refuses more than [`MAX_NESTED_PROJECTIONS_PER_VALUATION`] conversions
/// from a projection among `(path, development)` sites, naming the first
/// one over.
pub(crate) fn check_nested_projections<'a>(
    sites: impl Iterator<Item = (String, Option<&'a crate::project::ProjectRequest>)>,
) -> Result<(), CoreError> {
    let mut count = 0;
    for (at, development) in sites {
        let projected = development
            .and_then(|d| d.conversion.as_ref())
            .is_some_and(|c| c.mining_projection.is_some());
        if projected {
            count += 1;
            if count > MAX_NESTED_PROJECTIONS_PER_VALUATION {
                return Err(CoreError::Inconsistent {
                    field: format!("{at}.conversion.mining_projection"),
                    reason: "a sum of the parts takes at most 10 sites converted from a mining_projection; give the others mining_margin_path_per_month",
                });
            }
        }
    }
    Ok(())
}

/// A mining site converted to a data center.
///
/// From `start_month` (a project month, counted like the build schedule's
/// month 0) the site stops mining; the build follows, then the leases:
/// no phase and no lease (or `lease_start_month`) may start before it, and
/// `land_cost` (spent in month 0) must be 0 when it is after month 0. The
/// mining margin given up from `start_month` on is a cost of the project:
/// each period's `mining_margin_forgone` (shown positive) is subtracted
/// from its `cash_flow`, so it lowers the NPV, IRR, payback, equity
/// multiple and, with `financing`, the levered cash flows. It is an
/// opportunity cost, not an expense of the data center: it is not in NOI,
/// tax, the underwritten NOI or the DSCR. It stops at the horizon (the
/// mining given up has no terminal value).
///
/// Give exactly one source of the margin: `mining_margin_per_month` (flat,
/// optionally stepped by `mining_margin_growth_per_year` on each
/// anniversary of `start_month`, to the horizon),
/// `mining_margin_path_per_month` (month by month from `start_month`;
/// zero after its last entry, the fleet having retired), or
/// `mining_projection`, whose monthly `margin` is the path (its month 1 is
/// project month `start_month`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct ConversionRequest {
    /// The first project month without mining.
    #[wire(bounds::CONVERSION_START_MONTH)]
    pub start_month: Int,
    /// The mining margin given up, USD a month, flat from `start_month`.
    #[wire(bounds::MINING_MARGIN_PER_MONTH)]
    pub mining_margin_per_month: Option<Num>,
    /// The change of `mining_margin_per_month` on each anniversary of
    /// `start_month`, a fraction a year (−0.2: a fifth less each year, as
    /// the network grows). Default 0 with `mining_margin_per_month`.
    #[wire(bounds::MINING_MARGIN_GROWTH_PER_YEAR, default_with = |r: &Self| r.mining_margin_per_month.map(|_| Num::ZERO))]
    pub mining_margin_growth_per_year: Option<Num>,
    /// The mining margin given up in each month from `start_month`, USD
    /// (negative for a month the fleet would have lost money); zero after
    /// the last entry. At most 600.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[wire(bounds::MINING_MARGIN_PATH_PER_MONTH)]
    pub mining_margin_path_per_month: Vec<Num>,
    /// A `POST /v1/mining/projection` request for the site's fleet: its
    /// monthly `margin` (revenue and credits less power and other opex) is
    /// the margin given up, its month 1 in project month `start_month`,
    /// zero after its last month. It needs a power price (a projection
    /// without one has no margin) and may cost at most one work unit:
    /// `months × (32 + cohorts × price buckets) ≤ 8,000`. A sum of the
    /// parts takes at most 10 sites converted this way.
    #[wire(NESTED)]
    pub mining_projection: Option<ProjectionRequest>,
}

fn projection_margins(req: ProjectionRequest) -> Result<Vec<Decimal>, CoreError> {
    const AT: &str = "conversion.mining_projection";
    let input = ProjectionInput::try_from(req).map_err(|e| under(AT, e))?;
    if projection_work_units(&input) > MAX_NESTED_PROJECTION_WORK_UNITS {
        return Err(CoreError::Inconsistent {
            field: AT.into(),
            reason: "a nested projection may cost at most one work unit: months × (32 + cohorts × price buckets) ≤ 8,000",
        });
    }
    let out = mining::projection(&input).map_err(|e| under(AT, e))?;
    out.months
        .into_iter()
        .map(|m| {
            m.margin.ok_or(CoreError::Inconsistent {
                field: "conversion.mining_projection.power_price_per_mwh".into(),
                reason: "a projection without a power price has no margin: give power_price_per_mwh or power_price_path_per_mwh",
            })
        })
        .collect()
}

impl TryFrom<ConversionRequest> for Conversion {
    type Error = CoreError;

    fn try_from(req: ConversionRequest) -> Result<Self, CoreError> {
        let which = crate::mining::exactly_one(&[
            (
                "conversion.mining_margin_per_month",
                req.mining_margin_per_month.is_some(),
            ),
            (
                "conversion.mining_margin_path_per_month",
                !req.mining_margin_path_per_month.is_empty(),
            ),
            (
                "conversion.mining_projection",
                req.mining_projection.is_some(),
            ),
        ])?;
        if which != 0 && req.mining_margin_growth_per_year.is_some() {
            return Err(CoreError::missing_dependency(
                "conversion.mining_margin_growth_per_year",
                "conversion.mining_margin_per_month",
            ));
        }
        let margin = match (req.mining_margin_per_month, req.mining_projection) {
            (Some(flat), _) => ForgoneMargin::Flat {
                per_month: Usd::new(flat.get()).at("conversion.mining_margin_per_month")?,
                growth_per_year: req
                    .mining_margin_growth_per_year
                    .map_or(Decimal::ZERO, Num::get),
            },
            (None, Some(projection)) => ForgoneMargin::Path(projection_margins(projection)?),
            (None, None) => ForgoneMargin::Path(
                req.mining_margin_path_per_month
                    .into_iter()
                    .map(Num::get)
                    .collect(),
            ),
        };
        let conversion = Conversion {
            start_month: req.start_month.to_u32(),
            margin,
        };
        conversion.check()?;
        Ok(conversion)
    }
}
