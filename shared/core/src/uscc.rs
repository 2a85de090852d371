//! 统一社会信用代码 (GB 32100-2015).

use crate::fields::Invalid;
use serde::{Deserialize, Serialize};

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// A well-formed unified social credit code: 18 characters of the GB 32100 alphabet with
/// digits in positions 3–8. The check character may still be wrong: real pilot codes fail
/// it, so a failed checksum is a warning for manual review ([`Uscc::checksum_valid`]),
/// not a refusal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Uscc(String);

impl Uscc {
    /// Parses a code; surrounding spaces are trimmed and letters upper-cased.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let code = raw.trim().to_ascii_uppercase();
        if code.len() != 18 || !code.is_ascii() {
            return Err(Invalid::new("uscc_length", "统一社会信用代码应为18位"));
        }
        if let Some(bad) = code.bytes().find(|b| !ALPHABET.contains(b)) {
            return Err(Invalid::new(
                "uscc_charset",
                format!("统一社会信用代码含有不允许的字符“{}”（不使用 I、O、Z、S、V）", bad as char),
            ));
        }
        if !code.as_bytes()[2..8].iter().all(u8::is_ascii_digit) {
            return Err(Invalid::new("uscc_region", "统一社会信用代码第3至8位应为行政区划码（数字）"));
        }
        Ok(Self(code))
    }

    /// Whether the 18th character matches the GB 32100 check computation.
    pub fn checksum_valid(&self) -> bool {
        let bytes = self.0.as_bytes();
        let value = |b: u8| ALPHABET.iter().position(|&a| a == b).unwrap_or(0) as u32;
        let sum: u32 = bytes[..17].iter().zip(WEIGHTS).map(|(&b, w)| value(b) * w).sum();
        let check = (31 - sum % 31) % 31;
        ALPHABET[check as usize] == bytes[17]
    }

    /// The warning shown to reviewers when the checksum fails.
    pub fn checksum_warning(&self) -> Option<Invalid> {
        (!self.checksum_valid()).then(|| Invalid::new("uscc_checksum", "统一社会信用代码校验位不符，请人工核对营业执照"))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Uscc {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value).map_err(|e| e.message)
    }
}

impl From<Uscc> for String {
    fn from(value: Uscc) -> Self {
        value.0
    }
}

impl std::fmt::Display for Uscc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_codes_from_the_standard_pass_the_checksum() {
        for code in [
            "91350100M000100Y43",
            "91350200776049653A",
            "913502000728319549",
            "123502001549897397",
        ] {
            let uscc = Uscc::parse(code).expect(code);
            assert!(uscc.checksum_valid(), "{code}");
            assert!(uscc.checksum_warning().is_none());
        }
    }

    #[test]
    fn pilot_code_with_bad_check_character_is_accepted_with_a_warning() {
        let uscc = Uscc::parse("91350203M0001QAY9B").expect("well-formed");
        assert!(!uscc.checksum_valid());
        assert_eq!(uscc.checksum_warning().map(|w| w.code), Some("uscc_checksum"));
    }

    #[test]
    fn lowercase_and_spaces_are_normalised() {
        assert_eq!(
            Uscc::parse(" 91350200776049653a ").map(|u| u.to_string()),
            Ok("91350200776049653A".into())
        );
    }

    #[test]
    fn malformed_codes_are_refused_with_a_reason() {
        assert_eq!(Uscc::parse("9135010").map_err(|e| e.code), Err("uscc_length"));
        assert_eq!(Uscc::parse("91350100M000100YO3").map_err(|e| e.code), Err("uscc_charset"));
        assert_eq!(Uscc::parse("91A50100M000100Y43").map_err(|e| e.code), Err("uscc_region"));
        assert_eq!(Uscc::parse("统一社会信用代码统一社会信").map_err(|e| e.code), Err("uscc_length"));
    }
}
