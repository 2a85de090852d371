//! What a use case can answer instead of its outcome. The HTTP layer maps each variant to
//! one status (`From<Error> for gongshi_http::ApiError`); scheduled functions log it.

use gongshi_core::FieldError;
use gongshi_platform::{BlobError, TableError};
use gongshi_store::StoreError;

/// Why a use case did not complete. Nothing was changed unless the variant says otherwise.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Fields refused (HTTP 422).
    #[error("invalid: {0:?}")]
    Invalid(Vec<FieldError>),
    /// Refused with a code and message and no field to point at (HTTP 422).
    #[error("{0}: {1}")]
    Unprocessable(&'static str, String),
    /// Absent, or not the caller's to see (HTTP 404).
    #[error("{0}: {1}")]
    NotFound(&'static str, String),
    /// A duplicate, a lost race or a late request (HTTP 409).
    #[error("{0}: {1}")]
    Conflict(&'static str, String),
    /// A body or file too large (HTTP 413).
    #[error("too large: {0}")]
    TooLarge(String),
    /// Too many attempts; retry after the seconds given (HTTP 429).
    #[error("{0}: {1}")]
    TooManyRequests(&'static str, String, u64),
    /// A dependency (the table, the blob store) could not be reached or throttled the call
    /// (HTTP 503 with `Retry-After`); the request may be retried as it is.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// A bug or damaged data (HTTP 500).
    #[error("internal: {0}")]
    Internal(String),
}

/// The result of a use case.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// One refused field.
    pub fn field(field: &str, code: &str, message: &str) -> Self {
        Self::Invalid(vec![FieldError::new(field, code, message)])
    }
}

impl From<StoreError> for Error {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict => Self::Conflict("state_conflict", "数据已被他人修改或状态已变化，请刷新后重试".into()),
            StoreError::Table(TableError::Unavailable(detail)) => Self::Unavailable(detail),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<TableError> for Error {
    fn from(error: TableError) -> Self {
        StoreError::from(error).into()
    }
}

impl From<gongshi_platform::NotifyError> for Error {
    /// A message that must reach its reader (a code) and could not be sent: the SMS or
    /// e-mail service is unavailable, so the request is too.
    fn from(error: gongshi_platform::NotifyError) -> Self {
        Self::Unavailable(error.to_string())
    }
}

impl From<BlobError> for Error {
    fn from(error: BlobError) -> Self {
        match error {
            BlobError::Unavailable(detail) => Self::Unavailable(detail),
            other => Self::Internal(other.to_string()),
        }
    }
}

/// A write whose failed condition means something to the user: only a failed condition
/// becomes `conflict` (409); an unavailable or throttled table stays 503, anything else 500.
pub trait OnConflict<T> {
    /// The result, with a failed condition answered by `conflict()`.
    fn on_conflict<E>(self, conflict: impl FnOnce() -> E) -> std::result::Result<T, E>
    where
        E: From<Error>;
}

impl<T> OnConflict<T> for std::result::Result<T, TableError> {
    fn on_conflict<E>(self, conflict: impl FnOnce() -> E) -> std::result::Result<T, E>
    where
        E: From<Error>,
    {
        self.map_err(|error| match error {
            TableError::ConditionFailed => conflict(),
            other => Error::from(other).into(),
        })
    }
}

impl<T> OnConflict<T> for std::result::Result<T, StoreError> {
    fn on_conflict<E>(self, conflict: impl FnOnce() -> E) -> std::result::Result<T, E>
    where
        E: From<Error>,
    {
        self.map_err(|error| match error {
            StoreError::Conflict => conflict(),
            other => Error::from(other).into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_failed_condition_is_a_conflict() {
        let lost: std::result::Result<(), TableError> = Err(TableError::ConditionFailed);
        let down: std::result::Result<(), TableError> = Err(TableError::Unavailable("throttled".into()));
        let bad: std::result::Result<(), TableError> = Err(TableError::Invalid("bug".into()));
        let conflict = || Error::Conflict("x", "lost".into());
        assert!(matches!(lost.on_conflict(conflict), Err(Error::Conflict("x", _))));
        assert!(matches!(down.on_conflict(conflict), Err(Error::Unavailable(_))));
        assert!(matches!(bad.on_conflict(conflict), Err(Error::Internal(_))));
    }
}
