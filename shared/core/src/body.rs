//! Request bodies as JSON: what is malformed (400) and what is a wrong field (422, named).
//! Pure, so that the parser can be fuzzed (tests/fuzz) without the HTTP stack.

use crate::FieldError;
use serde::de::DeserializeOwned;

/// Why a body was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    /// Longer than the limit (413).
    TooLarge,
    /// Empty or only whitespace (400 `body_required`).
    Empty,
    /// Not JSON at all (400 `malformed_json`).
    Malformed,
    /// JSON of the wrong shape: each field named (422).
    Invalid(Vec<FieldError>),
}

/// The body as `T`: syntax first, then the shape from the parsed value, so that any wrong
/// type — also a number where an enum's string belongs — names its field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8], limit: usize) -> Result<T, BodyError> {
    if bytes.len() > limit {
        return Err(BodyError::TooLarge);
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(BodyError::Empty);
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|_| BodyError::Malformed)?;
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        let field = missing_field(&inner.to_string()).map(|missing| {
            if path == "." {
                missing.clone()
            } else {
                format!("{path}.{missing}")
            }
        });
        BodyError::Invalid(vec![match field {
            Some(field) => FieldError::new(field, "required", "此项为必填项"),
            None => FieldError::new(if path == "." { "body".into() } else { path }, "invalid_value", "格式或取值不正确"),
        }])
    })
}

fn missing_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    Some(rest.split('`').next()?.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Input {
        name: String,
        kind: Kind,
        items: Vec<Item>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Initial,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        code: String,
    }

    fn fields(result: Result<Input, BodyError>) -> Vec<String> {
        match result {
            Err(BodyError::Invalid(errors)) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn bodies_name_the_field_that_is_wrong_or_missing() {
        assert_eq!(fields(parse_json(br#"{"name":"a","kind":1,"items":[]}"#, 1024)), ["kind"]);
        assert_eq!(fields(parse_json(br#"{"name":"a","kind":"initial"}"#, 1024)), ["items"]);
        assert_eq!(
            fields(parse_json(br#"{"name":"a","kind":"initial","items":[{}]}"#, 1024)),
            ["items[0].code"]
        );
        assert_eq!(fields(parse_json(br#""text""#, 1024)), ["body"]);
    }

    #[test]
    fn bodies_that_are_empty_too_large_or_not_json_are_told_apart() {
        assert_eq!(parse_json::<Input>(b"  \n", 1024).expect_err("empty"), BodyError::Empty);
        assert_eq!(parse_json::<Input>(b"{\"name\": ", 1024).expect_err("cut"), BodyError::Malformed);
        assert_eq!(parse_json::<Input>(&[b' '; 2048], 1024).expect_err("long"), BodyError::TooLarge);
    }
}
