//! Optional API keys for `/v1/*`.
//!
//! `INFRAVAL_API_KEYS_FILE` holds one lowercase or uppercase hex SHA-256
//! digest of a key per line (blank lines and `#` comments ignored), so the
//! keys themselves never sit on the server's disk. A request to `/v1/*`
//! must then carry `Authorization: Bearer <key>`; the key's digest is
//! compared with every stored digest in constant time. Health, readiness,
//! docs, the spec and metrics stay open. Keys are never logged.

use std::path::Path;

use actix_web::dev::ServiceRequest;
use actix_web::http::header;
use actix_web::web;
use sha2::{Digest, Sha256};
use subtle::{Choice, ConstantTimeEq};

use crate::error::ApiError;

/// The accepted keys' SHA-256 digests.
#[derive(Debug, Clone)]
pub struct ApiKeys(Vec<[u8; 32]>);

/// Why the keys file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeysFileError {
    /// The file could not be read.
    #[error("cannot read the API keys file {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A line is not a 64-digit hex SHA-256 digest.
    #[error("line {line} of the API keys file is not a hex SHA-256 digest (64 hex digits)")]
    BadDigest {
        /// The 1-based line number.
        line: usize,
    },
    /// The file lists no key, which would lock every client out.
    #[error("the API keys file lists no key")]
    Empty,
}

fn hex_digest(text: &str) -> Option<[u8; 32]> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        let hi = (pair[0] as char).to_digit(16)?;
        let lo = (pair[1] as char).to_digit(16)?;
        out[i] = u8::try_from(hi * 16 + lo).ok()?;
    }
    Some(out)
}

impl ApiKeys {
    /// Parses the keys file's text.
    pub fn parse(text: &str) -> Result<Self, KeysFileError> {
        let mut digests = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            digests.push(hex_digest(line).ok_or(KeysFileError::BadDigest { line: i + 1 })?);
        }
        if digests.is_empty() {
            return Err(KeysFileError::Empty);
        }
        Ok(ApiKeys(digests))
    }

    /// Reads and parses the keys file.
    pub fn load(path: &Path) -> Result<Self, KeysFileError> {
        let text = std::fs::read_to_string(path).map_err(|source| KeysFileError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text)
    }

    /// Whether an `Authorization` header value carries an accepted key.
    ///
    /// Every stored digest is compared in full with `subtle`'s constant-time
    /// equality, whatever matches, so the time taken does not depend on
    /// which digest (or which byte) differs.
    pub fn allows(&self, authorization: Option<&[u8]>) -> bool {
        let Some(key) = authorization.and_then(|h| h.strip_prefix(b"Bearer ")) else {
            return false;
        };
        let digest: [u8; 32] = Sha256::digest(key).into();
        self.0
            .iter()
            .fold(Choice::from(0), |found, stored| {
                found | stored.ct_eq(&digest)
            })
            .into()
    }
}

/// Refuses a `/v1/*` request without an accepted key, when keys are set.
pub fn check(req: &ServiceRequest) -> Result<(), ApiError> {
    let Some(keys) = req.app_data::<web::Data<ApiKeys>>() else {
        return Ok(());
    };
    let path = req.path();
    if !(path == "/v1" || path.starts_with("/v1/")) {
        return Ok(());
    }
    let authorization = req
        .headers()
        .get(header::AUTHORIZATION)
        .map(|v| v.as_bytes());
    if keys.allows(authorization) {
        Ok(())
    } else {
        Err(ApiError::Unauthorized)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // SHA-256("s3cret") from a reference implementation:
    // `printf %s s3cret | sha256sum`.
    const S3CRET: &str = "1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0";

    #[test]
    fn the_right_bearer_key_is_allowed_and_others_are_not() {
        let keys = ApiKeys::parse(&format!("# ops team\n{}\n", S3CRET.to_uppercase())).unwrap();
        assert!(keys.allows(Some(b"Bearer s3cret")));
        assert!(!keys.allows(Some(b"Bearer s3cre")));
        assert!(!keys.allows(Some(b"s3cret")));
        assert!(!keys.allows(None));
    }

    #[test]
    fn a_line_that_is_not_a_digest_is_refused_with_its_number() {
        assert!(matches!(
            ApiKeys::parse("# keys\nnot-a-digest\n"),
            Err(KeysFileError::BadDigest { line: 2 })
        ));
        assert!(matches!(
            ApiKeys::parse("\n# none\n"),
            Err(KeysFileError::Empty)
        ));
    }
}
