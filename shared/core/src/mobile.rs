//! Mainland mobile numbers.

use crate::fields::Invalid;
use serde::{Deserialize, Serialize};

/// An 11-digit mainland mobile number (`1[3-9]` followed by 9 digits), stored without prefix.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Mobile(String);

impl Mobile {
    /// Parses a number; spaces and dashes are ignored and a `+86`, `0086` or `86` prefix is stripped.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let compact: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let number = ["+86", "0086", "86"]
            .iter()
            .find_map(|prefix| compact.strip_prefix(prefix).filter(|rest| rest.len() == 11))
            .unwrap_or(&compact);
        let b = number.as_bytes();
        if b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && b.iter().all(u8::is_ascii_digit) {
            Ok(Self(number.to_owned()))
        } else {
            Err(Invalid::new("mobile_format", "手机号码格式不正确，应为11位中国大陆手机号"))
        }
    }

    /// The 11 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number in E.164 form for SMS gateways: `+8613800138000`.
    pub fn e164(&self) -> String {
        format!("+86{}", self.0)
    }

    /// `138****8000`, for lists and logs.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_stripped() {
        for raw in ["13800138000", "+8613800138000", "008613800138000", "8613800138000", "138-0013-8000"] {
            assert_eq!(Mobile::parse(raw).map(|m| m.as_str().to_owned()), Ok("13800138000".into()), "{raw}");
        }
    }

    #[test]
    fn non_mobile_numbers_are_refused() {
        for raw in ["12800138000", "1380013800", "138001380000", "0591-87654321", "1380013800a", ""] {
            assert_eq!(Mobile::parse(raw).map_err(|e| e.code), Err("mobile_format"), "{raw}");
        }
    }

    #[test]
    fn masked_and_e164_forms() {
        let m = Mobile::parse("13800138000").expect("valid");
        assert_eq!(m.masked(), "138****8000");
        assert_eq!(m.e164(), "+8613800138000");
    }
}
