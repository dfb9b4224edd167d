//! Which engine prices a note: the lattice (fast) or the daily Monte Carlo
//! engine (exact for the template's daily and quarterly tests).
//!
//! # The default, `auto`
//! - the lattice, whose effective trigger prices an N-of-M call test within
//!   0.08 per 100 of the exact engine on issue 15's grid in about 2 ms;
//! - the exact engine when the note has a term the lattice does not price:
//!   contingent conversion, a make-whole table, or a fundamental change with
//!   an intensity above 0 (about 0.4 s of CPU for the CleanSpark-like note
//!   at the default 32,768 paths).

use super::lattice::ConvertibleInput;
use super::monte_carlo::{self, Settings};
use crate::error::CoreError;
use crate::Result;

/// The engine a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EngineChoice {
    /// The lattice unless the note has terms only the exact engine prices.
    #[default]
    Auto,
    /// The binomial lattice.
    Lattice,
    /// The daily Monte Carlo engine.
    MonteCarlo,
}

/// The engine that runs, with its settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// The binomial lattice.
    Lattice,
    /// The daily Monte Carlo engine.
    MonteCarlo(Settings),
}

/// The terms of `input` the lattice does not price, by wire name.
pub fn lattice_cannot_price(input: &ConvertibleInput) -> Vec<&'static str> {
    let contract = &input.spec().contract;
    [
        contract
            .contingent_conversion
            .is_some()
            .then_some("contingent_conversion"),
        contract.make_whole.is_some().then_some("make_whole"),
        (contract.fundamental_change_intensity() > 0.0).then_some("fundamental_change"),
    ]
    .into_iter()
    .flatten()
    .collect()
}

impl Engine {
    /// Resolves a request's choice for `input`.
    ///
    /// # Errors
    /// [`CoreError::Inconsistent`] on `engine` when the lattice is asked for
    /// a note with terms it does not price; on `paths` or `seed` when they
    /// are given for the lattice; the exact engine's caps on `paths`.
    pub fn resolve(
        choice: EngineChoice,
        input: &ConvertibleInput,
        settings: Settings,
    ) -> Result<Self> {
        let unpriced = lattice_cannot_price(input);
        let exact = || -> Result<Self> {
            monte_carlo::paths_of(settings, monte_carlo::trading_days(input))?;
            Ok(Engine::MonteCarlo(settings))
        };
        let engine = match choice {
            EngineChoice::MonteCarlo => exact()?,
            EngineChoice::Auto if !unpriced.is_empty() => exact()?,
            EngineChoice::Auto | EngineChoice::Lattice => {
                if !unpriced.is_empty() {
                    return Err(CoreError::Inconsistent {
                        field: "engine".into(),
                        reason: "the lattice does not price contingent_conversion, make_whole \
                                 or a fundamental_change intensity; use `auto` or `monte_carlo`",
                    });
                }
                Engine::Lattice
            }
        };
        if engine == Engine::Lattice && settings != Settings::default() {
            let field = if settings.paths.is_some() {
                "paths"
            } else {
                "seed"
            };
            return Err(CoreError::Inconsistent {
                field: field.into(),
                reason: "applies to the monte_carlo engine only",
            });
        }
        Ok(engine)
    }
}
