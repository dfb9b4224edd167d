//! Content negotiation: which representation of an operation's answer the
//! client's `Accept` header asks for.
//!
//! Every operation answers JSON, the default; an operation whose entry in
//! the operation list declares a chart also answers `image/svg+xml`.
//! Errors are problem+json whatever `Accept` says.

use std::future::{ready, Ready};
use std::marker::PhantomData;

use actix_web::dev::Payload;
use actix_web::http::header::{self, Header, QualityItem};
use actix_web::mime::{self, Mime};
use actix_web::{FromRequest, HttpRequest};
use infraval_api::chart::SVG_MEDIA_TYPE;
use infraval_api::Operation;

use crate::error::ApiError;

/// A representation of an operation's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Representation {
    /// The response body as `application/json`.
    Json,
    /// The operation's chart of it, `image/svg+xml`.
    Svg,
}

impl Representation {
    /// Its media type.
    pub const fn media_type(self) -> &'static str {
        match self {
            Representation::Json => "application/json",
            Representation::Svg => SVG_MEDIA_TYPE,
        }
    }
}

/// The representations `Op` answers with, the default (JSON) first.
pub fn offered<Op: Operation>() -> &'static [Representation] {
    if Op::CHART.is_some() {
        &[Representation::Json, Representation::Svg]
    } else {
        &[Representation::Json]
    }
}

/// How well `range` (a media range of `Accept`) matches `media_type`: the
/// number of its parts that are not wildcards, `None` when it does not
/// match.
fn specificity(range: &Mime, media_type: &Mime) -> Option<u8> {
    if range.type_() == mime::STAR && range.subtype() == mime::STAR {
        Some(0)
    } else if range.type_() != media_type.type_() {
        None
    } else if range.subtype() == mime::STAR {
        Some(1)
    } else {
        (range.subtype() == media_type.subtype()).then_some(2)
    }
}

/// The representation to answer with, out of `offered` (the default
/// first), for the media ranges of an `Accept` header (RFC 9110 §12.5.1):
/// each offered type takes the quality of the most specific range that
/// matches it; the highest quality above zero wins, ties going to the
/// earlier offered. No ranges (no header) means anything, so the default.
pub fn choose(
    accepted: &[QualityItem<Mime>],
    offered: &[Representation],
) -> Option<Representation> {
    if accepted.is_empty() {
        return offered.first().copied();
    }
    let mut best = None;
    for &representation in offered {
        let media_type: Mime = representation
            .media_type()
            .parse()
            .expect("offered media types parse");
        let quality = accepted
            .iter()
            .filter_map(|item| specificity(&item.item, &media_type).map(|s| (s, item.quality)))
            .max_by_key(|&(s, _)| s)
            .map(|(_, q)| q);
        if let Some(q) = quality.filter(|q| *q > header::Quality::ZERO) {
            if best.is_none_or(|(_, best_q)| q > best_q) {
                best = Some((representation, q));
            }
        }
    }
    best.map(|(representation, _)| representation)
}

/// The representation a request for `Op` accepts, as an extractor: a
/// request whose `Accept` names none that `Op` offers (or does not parse)
/// is refused with 406 before its body is read.
#[derive(Debug)]
pub struct Wanted<Op> {
    /// The representation to answer with.
    pub representation: Representation,
    op: PhantomData<fn() -> Op>,
}

impl<Op: Operation> FromRequest for Wanted<Op> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let offered = offered::<Op>();
        let refused = || ApiError::NotAcceptable {
            accept: req
                .headers()
                .get_all(header::ACCEPT)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .collect::<Vec<_>>()
                .join(", "),
            offered: offered.iter().map(|r| r.media_type()).collect(),
        };
        let wanted = header::Accept::parse(req)
            .ok()
            .and_then(|accept| choose(&accept.0, offered))
            .map(|representation| Wanted {
                representation,
                op: PhantomData,
            })
            .ok_or_else(refused);
        ready(wanted)
    }
}

#[cfg(test)]
mod tests {
    use super::Representation::{Json, Svg};
    use super::*;

    const BOTH: &[Representation] = &[Json, Svg];
    const JSON_ONLY: &[Representation] = &[Json];

    fn accept(value: &str) -> Vec<QualityItem<Mime>> {
        let req = actix_web::test::TestRequest::default()
            .insert_header((header::ACCEPT, value))
            .to_http_request();
        header::Accept::parse(&req).expect("parses").0
    }

    #[test]
    fn no_accept_header_and_any_type_mean_json() {
        assert_eq!(choose(&[], BOTH), Some(Json));
        assert_eq!(choose(&accept("*/*"), BOTH), Some(Json));
        assert_eq!(choose(&accept("application/*"), BOTH), Some(Json));
    }

    #[test]
    fn svg_is_answered_when_named_or_ranked_above_json() {
        assert_eq!(choose(&accept("image/svg+xml"), BOTH), Some(Svg));
        assert_eq!(choose(&accept("image/*"), BOTH), Some(Svg));
        assert_eq!(choose(&accept("image/svg+xml, */*;q=0.8"), BOTH), Some(Svg));
        assert_eq!(
            choose(&accept("application/json;q=0.5, image/svg+xml;q=0.9"), BOTH),
            Some(Svg)
        );
        // A browser's image request.
        assert_eq!(
            choose(
                &accept("image/avif,image/webp,image/svg+xml,*/*;q=0.8"),
                BOTH
            ),
            Some(Svg)
        );
    }

    #[test]
    fn equal_qualities_go_to_json_and_the_most_specific_range_decides() {
        assert_eq!(
            choose(&accept("image/svg+xml, application/json"), BOTH),
            Some(Json)
        );
        // `*/*` would take SVG at 1, but its own range says 0.1.
        assert_eq!(
            choose(&accept("*/*, image/svg+xml;q=0.1"), BOTH),
            Some(Json)
        );
        assert_eq!(
            choose(&accept("image/svg+xml;q=0.1, application/json;q=0.2"), BOTH),
            Some(Json)
        );
    }

    #[test]
    fn a_type_refused_with_q_zero_is_never_answered() {
        assert_eq!(
            choose(&accept("*/*, application/json;q=0"), BOTH),
            Some(Svg)
        );
        assert_eq!(
            choose(&accept("*/*, application/json;q=0"), JSON_ONLY),
            None
        );
        assert_eq!(choose(&accept("application/json;q=0"), BOTH), None);
    }

    #[test]
    fn a_type_no_operation_produces_is_not_acceptable() {
        assert_eq!(choose(&accept("image/png"), BOTH), None);
        assert_eq!(choose(&accept("text/html"), BOTH), None);
        assert_eq!(choose(&accept("image/svg+xml"), JSON_ONLY), None);
        assert_eq!(choose(&accept("application/problem+json"), BOTH), None);
    }
}
