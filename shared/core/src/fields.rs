//! Field-level validation errors: every bad input names its field, a stable code and a
//! Chinese message, and all of a form's errors are reported at once.

use serde::Serialize;
use utoipa::ToSchema;

/// Why one value was refused, before it is attached to a field name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// Stable machine-readable code, e.g. `uscc_format`.
    pub code: &'static str,
    /// Message for the user, in Chinese.
    pub message: String,
}

impl Invalid {
    /// A refusal with a code and a Chinese message.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

/// One refused field of a request, as shown next to the form item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
pub struct FieldError {
    /// The request field, by its JSON name (`uscc`, `contact.mobile`, `licence`).
    pub field: String,
    /// Stable machine-readable code.
    pub code: String,
    /// Message for the user, in Chinese.
    pub message: String,
}

impl FieldError {
    /// A field error from its parts.
    pub fn new(field: impl Into<String>, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

/// Collects the errors of one form while its fields are parsed.
///
/// ```
/// use gongshi_core::{Fields, Mobile};
/// let mut fields = Fields::default();
/// let mobile = fields.check("mobile", Mobile::parse("12345"));
/// assert!(mobile.is_none());
/// assert_eq!(fields.into_errors()[0].field, "mobile");
/// ```
#[derive(Debug, Default)]
pub struct Fields {
    errors: Vec<FieldError>,
}

impl Fields {
    /// Keeps the parsed value, or records the refusal under `field` and returns `None`.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, Invalid>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(invalid) => {
                self.errors.push(FieldError::new(field, invalid.code, invalid.message));
                None
            }
        }
    }

    /// Records a refusal that is not the result of parsing (e.g. a cross-field rule).
    pub fn refuse(&mut self, field: &str, invalid: Invalid) {
        self.errors.push(FieldError::new(field, invalid.code, invalid.message));
    }

    /// True when nothing was refused.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// The errors collected so far.
    pub fn into_errors(self) -> Vec<FieldError> {
        self.errors
    }
}
