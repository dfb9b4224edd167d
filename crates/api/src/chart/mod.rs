//! Charts of operations' answers: SVG drawn by plotters.
//!
//! An operation declares its chart in its entry of the operation list
//! (`chart: CONST`, one of the constants here); the server then answers
//! `Accept: image/svg+xml` with it, and the OpenAPI document lists
//! `image/svg+xml` as a second content type of the 200 answer, with the
//! chart's [`Chart::description`]. A chart is a pure function of the
//! request (for the inputs its title states) and the response (for the
//! series). Text is SVG `<text>` in the generic `sans-serif` family, so
//! drawing needs no font files and no system library.

mod dilution;
mod format;
mod layout;
mod mining;
mod profile;
mod project;
mod sensitivity;
mod valuation;

#[cfg(test)]
mod tests;

use plotters::drawing::DrawingAreaErrorKind;
use rust_decimal::Decimal;

use crate::convertible::dilution::{DilutionRequest, DilutionResponse};
use crate::convertible::pricing::{ProfileRequest, ProfileResponse};
use crate::mining::projection::{ProjectionRequest, ProjectionResponse};
use crate::project::{ProjectRequest, ProjectResponse};
use crate::sensitivity::{SensitivityRequest, SensitivityResponse};
use crate::valuation::{SumOfPartsRequest, SumOfPartsResponse};

/// The media type of a chart.
pub const SVG_MEDIA_TYPE: &str = "image/svg+xml";

/// How an operation draws its answer.
pub struct Chart<Request, Response> {
    /// What the chart shows, for the OpenAPI document.
    pub description: &'static str,
    /// Draws the chart of `response`, the answer to `request`.
    pub draw: fn(&Request, &Response) -> Result<Svg, ChartError>,
}

impl<Request, Response> Clone for Chart<Request, Response> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Request, Response> Copy for Chart<Request, Response> {}

impl<Request, Response> std::fmt::Debug for Chart<Request, Response> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Chart")
            .field("description", &self.description)
            .finish_non_exhaustive()
    }
}

/// A drawn chart: a standalone SVG document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Svg(String);

impl Svg {
    /// The document's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The document's text, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

/// Why a chart could not be drawn: a bug, never the caller's fault (every
/// valid answer has a chart).
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// plotters refused to draw.
    #[error("drawing the chart failed: {0}")]
    Draw(#[from] DrawingAreaErrorKind<std::io::Error>),
}

/// Price, bond floor and parity of a note against the share price.
pub const PROFILE: Chart<ProfileRequest, ProfileResponse> = Chart {
    description: "A line chart of the fair value, the bond floor and parity (conversion \
value), per 100 of face, against the share price, with the conversion price marked; the \
title states the conversion price, volatility, credit spread, rate and maturity.",
    draw: profile::draw,
};

/// A heatmap of one output of a sensitivity grid.
pub const SENSITIVITY: Chart<SensitivityRequest, SensitivityResponse> = Chart {
    description: "A heatmap of the first output in `outputs` (list the one to draw first) \
over the row and column values, with a colour scale; each cell is labelled with its value \
when the cells are large enough to hold one (up to about 16 columns and 30 rows), and a cell \
without a value is grey and labelled with its error code.",
    draw: sensitivity::draw,
};

/// Cash-flow bars with the cumulative line.
pub const PROJECT: Chart<ProjectRequest, ProjectResponse> = Chart {
    description: "Each year's cash flow as a bar (green in, red out) and the cumulative \
cash flow as a line, in USD; the title states NPV and IRR and the site's capacity, cost, \
rent and exit.",
    draw: project::draw,
};

/// BTC mined per month, and the margin.
pub const MINING_PROJECTION: Chart<ProjectionRequest, ProjectionResponse> = Chart {
    description: "Two panels over the months: bitcoin mined each month (bars, halving months \
marked), and revenue and margin in USD (lines; the margin only when power is priced).",
    draw: mining::draw,
};

/// Diluted shares and dilution against the share price.
pub const DILUTION: Chart<DilutionRequest, DilutionResponse> = Chart {
    description: "Two panels against the share price, one line per settlement asked for: \
diluted shares outstanding (with the basic shares as a reference), and dilution as a \
percentage of the basic shares; the conversion price, and the cap of a capped call, marked.",
    draw: dilution::draw,
};

/// A waterfall from segment values to value per share.
pub const SUM_OF_PARTS: Chart<SumOfPartsRequest, SumOfPartsResponse> = Chart {
    description: "A waterfall per scenario, in USD per diluted share: each line of the \
bridge (segments, treasury, cash, debt, convertibles) as a rising or falling bar, ending \
in the value per share; under several self-consistent solutions, the lowest.",
    draw: valuation::draw,
};

/// A wire number read as a plotting coordinate.
trait Coord {
    fn coord(&self) -> f64;
}

impl Coord for Decimal {
    fn coord(&self) -> f64 {
        infraval_core::num::to_f64(*self)
    }
}

impl Coord for crate::wire::Num {
    fn coord(&self) -> f64 {
        self.to_f64()
    }
}

impl Coord for crate::wire::Int {
    #[allow(clippy::cast_precision_loss)] // wire integers are bounded far below 2^53
    fn coord(&self) -> f64 {
        self.get() as f64
    }
}
