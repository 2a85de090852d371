//! 公民身份号码 (GB 11643).

use crate::fields::Invalid;
use serde::{Deserialize, Serialize};
use time::{Date, Month};

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";

/// A citizen ID number with a valid check character and a real, past birth date.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IdNumber(String);

impl IdNumber {
    /// Parses an ID number; a lowercase `x` is normalised. `today` bounds the birth date.
    pub fn parse(raw: &str, today: Date) -> Result<Self, Invalid> {
        let id = raw.trim().to_ascii_uppercase();
        let bytes = id.as_bytes();
        if bytes.len() != 18 || !bytes[..17].iter().all(u8::is_ascii_digit) || !(bytes[17].is_ascii_digit() || bytes[17] == b'X') {
            return Err(Invalid::new("id_number_format", "身份证号码应为18位，前17位为数字，末位为数字或X"));
        }
        let digit = |i: usize| u32::from(bytes[i] - b'0');
        let number = |range: std::ops::Range<usize>| range.fold(0u32, |acc, i| acc * 10 + digit(i));
        let birth = Month::try_from(number(10..12) as u8)
            .ok()
            .and_then(|month| Date::from_calendar_date(number(6..10) as i32, month, number(12..14) as u8).ok());
        match birth {
            Some(date) if date <= today && date.year() >= 1800 => {}
            _ => {
                return Err(Invalid::new("id_number_birth_date", "身份证号码中的出生日期无效"));
            }
        }
        let sum: u32 = (0..17).map(|i| digit(i) * WEIGHTS[i]).sum();
        if CHECK[(sum % 11) as usize] != bytes[17] {
            return Err(Invalid::new("id_number_checksum", "身份证号码校验位不正确，请核对"));
        }
        Ok(Self(id))
    }

    /// The full number, for the few places that must show it (forms, reviewers).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// First 3 and last 4 characters visible: `110***********002X` (see [`mask`]).
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

/// The one masking policy for ID numbers wherever one is shown to someone who may not see
/// it whole (units, the public, SMS texts, exports): the first 3 and the last 4 characters
/// visible, every other character a `*`; a value too short for that is all stars.
pub fn mask(id_number: &str) -> String {
    let chars: Vec<char> = id_number.chars().collect();
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 26);

    #[test]
    fn valid_numbers_from_the_standard_parse() {
        assert!(IdNumber::parse("11010519491231002X", TODAY).is_ok());
        assert!(
            IdNumber::parse("440524188001010014", TODAY).is_ok(),
            "born 1880, still a valid number"
        );
        assert_eq!(
            IdNumber::parse("11010519491231002x", TODAY).map(|i| i.as_str().to_owned()),
            Ok("11010519491231002X".into())
        );
    }

    #[test]
    fn wrong_check_character_is_refused() {
        assert_eq!(
            IdNumber::parse("110105194912310021", TODAY).map_err(|e| e.code),
            Err("id_number_checksum")
        );
    }

    #[test]
    fn impossible_or_future_birth_dates_are_refused() {
        assert_eq!(
            IdNumber::parse("110105194902301234", TODAY).map_err(|e| e.code),
            Err("id_number_birth_date")
        );
        assert_eq!(
            IdNumber::parse("110105203001011234", TODAY).map_err(|e| e.code),
            Err("id_number_birth_date")
        );
    }

    #[test]
    fn malformed_numbers_are_refused() {
        for bad in ["", "1101051949123100", "1101051949123100XX", "A1010519491231002X"] {
            assert_eq!(IdNumber::parse(bad, TODAY).map_err(|e| e.code), Err("id_number_format"), "{bad}");
        }
    }

    #[test]
    fn masking_keeps_first_three_and_last_four() {
        let id = IdNumber::parse("11010519491231002X", TODAY).expect("valid");
        assert_eq!(id.masked(), "110***********002X");
    }
}
