//! Leases as written, on the wire: the `leases[]` of
//! `POST /v1/colocation/project`.

use infraval_core::error::AtField;
use infraval_core::lease::{Credit, Extensions, Lease, Structure};
use infraval_core::num::{Fraction, Megawatts, Price, Usd};
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::bounds;
use crate::wire::{Int, Num, Wire, NESTED};

/// The longest tenant name, characters.
pub const MAX_TENANT_CHARS: usize = 100;

/// Who bears the site's opex for the leased space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LeaseStructureName {
    /// The tenant bears (reimburses) opex (the default).
    #[default]
    TripleNet,
    /// The landlord bears `landlord_opex_per_kw_month`.
    ModifiedGross,
}

/// Renewal options of a lease.
///
/// In the first `downtime_months` of each extension the space is leased
/// with probability `renewal_probability` (otherwise dark, then re-let at
/// the same escalated rent); the model carries the expectation.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct ExtensionsRequest {
    /// How many extensions follow the initial term.
    #[wire(bounds::EXTENSION_COUNT)]
    pub count: Int,
    /// Months of each extension.
    #[wire(bounds::TERM_MONTHS)]
    pub months: Int,
    /// Probability the tenant renews at each.
    #[wire(bounds::FRACTION)]
    pub renewal_probability: Num,
    /// Months dark if it does not; at most `months`. Default 0.
    #[wire(bounds::DOWNTIME_MONTHS)]
    pub downtime_months: Option<Int>,
}

/// One lease, as written.
///
/// Rent of a leased month is `it_capacity_mw × 1,000 × rate_per_kw_month ×
/// (1 + rent_escalator)^lease_year`, escalating on each anniversary,
/// extensions included. Credit: the tenant defaults at an anniversary with
/// `annual_default_probability`, so pays in lease year `k` with probability
/// `(1 − p)^k`; `default_recovery` of defaulted rent is recovered, and a
/// backstop pays the rest until it has paid `backstop_usd` in total.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct LeaseRequest {
    /// The tenant, at most 100 characters.
    pub tenant: String,
    /// IT load leased, MW; the leases add up to at most `it_capacity_mw`.
    #[wire(bounds::IT_CAPACITY_MW)]
    pub it_capacity_mw: Num,
    /// First month of rent, from month 0 of construction.
    #[wire(bounds::LEASE_START)]
    pub start_month: Int,
    /// Initial term, months.
    #[wire(bounds::TERM_MONTHS)]
    pub term_months: Int,
    /// First-year rent, USD per kW of IT load per month.
    #[wire(bounds::RATE_PER_KW_MONTH)]
    pub rate_per_kw_month: Num,
    /// Annual escalator, on each lease anniversary. Default 0.
    #[wire(bounds::RENT_ESCALATOR, default = Decimal::ZERO)]
    pub rent_escalator: Option<Num>,
    /// Renewal options. Default: none.
    #[wire(NESTED)]
    pub extensions: Option<ExtensionsRequest>,
    /// `triple_net` (the default) or `modified_gross`.
    #[wire(default = LeaseStructureName::TripleNet)]
    pub structure: Option<LeaseStructureName>,
    /// Opex the landlord bears under `modified_gross`, USD per leased kW
    /// per month; needed with it, refused without.
    #[wire(bounds::OPEX_PER_KW_MONTH)]
    pub landlord_opex_per_kw_month: Option<Num>,
    /// Probability the tenant defaults, a year. Default 0.
    #[wire(bounds::FRACTION)]
    pub annual_default_probability: Option<Num>,
    /// Share of defaulted rent recovered. Default 0; needs
    /// `annual_default_probability`.
    #[wire(bounds::FRACTION)]
    pub default_recovery: Option<Num>,
    /// A guarantor's backstop of defaulted rent (e.g. Google's for
    /// Fluidstack at TeraWulf), USD in total. Default: none; needs
    /// `annual_default_probability`.
    #[wire(bounds::USD)]
    pub backstop_usd: Option<Num>,
}

impl LeaseRequest {
    /// Converts lease `i`, naming faults `leases[i].<field>`.
    pub fn into_lease(self, i: usize) -> Result<Lease, CoreError> {
        let at = |f: &str| format!("leases[{i}].{f}");
        if self.tenant.chars().count() > MAX_TENANT_CHARS {
            return Err(CoreError::Inconsistent {
                field: at("tenant"),
                reason: "a tenant name is at most 100 characters",
            });
        }
        let structure = match (
            self.structure.unwrap_or_default(),
            self.landlord_opex_per_kw_month,
        ) {
            (LeaseStructureName::TripleNet, None) => Structure::TripleNet,
            (LeaseStructureName::ModifiedGross, Some(o)) => Structure::ModifiedGross {
                opex_per_kw_month: Usd::new(o.get()).at(at("landlord_opex_per_kw_month"))?,
            },
            (LeaseStructureName::TripleNet, Some(_)) => {
                return Err(CoreError::Inconsistent {
                    field: at("landlord_opex_per_kw_month"),
                    reason: "only a modified_gross lease leaves opex with the landlord",
                })
            }
            (LeaseStructureName::ModifiedGross, None) => {
                return Err(CoreError::Inconsistent {
                    field: at("landlord_opex_per_kw_month"),
                    reason: "a modified_gross lease needs the opex the landlord bears",
                })
            }
        };
        let credit = match self.annual_default_probability {
            None => {
                if self.default_recovery.is_some() || self.backstop_usd.is_some() {
                    return Err(CoreError::Inconsistent {
                        field: at("annual_default_probability"),
                        reason: "default_recovery and backstop_usd need annual_default_probability",
                    });
                }
                None
            }
            Some(p) => Some(Credit {
                annual_default_probability: Fraction::new(p.get())
                    .at(at("annual_default_probability"))?,
                recovery: match self.default_recovery {
                    Some(r) => Fraction::new(r.get()).at(at("default_recovery"))?,
                    None => Fraction::ZERO,
                },
                backstop: match self.backstop_usd {
                    Some(b) => Some(Usd::new(b.get()).at(at("backstop_usd"))?),
                    None => None,
                },
            }),
        };
        let extensions = match self.extensions {
            None => None,
            Some(e) => Some(Extensions {
                count: e.count.to_u32(),
                months: e.months.to_u32(),
                renewal_probability: Fraction::new(e.renewal_probability.get())
                    .at(at("extensions.renewal_probability"))?,
                downtime_months: e.downtime_months.map_or(0, Int::to_u32),
            }),
        };
        Ok(Lease {
            tenant: self.tenant,
            it_capacity: Megawatts::new(self.it_capacity_mw.get()).at(at("it_capacity_mw"))?,
            start_month: self.start_month.to_u32(),
            term_months: self.term_months.to_u32(),
            rate_per_kw_month: Price::new(self.rate_per_kw_month.get())
                .at(at("rate_per_kw_month"))?,
            escalator: self.rent_escalator.map_or(Decimal::ZERO, Num::get),
            extensions,
            structure,
            credit,
        })
    }
}
