//! Small text values: names, postcodes, e-mail addresses, usernames.

use crate::fields::Invalid;
use serde::{Deserialize, Serialize};

/// A person's or organisation's name, or another short label: trimmed, 2–50 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Name(String);

/// Whether `c` is a bidirectional control (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069):
/// it can make text read otherwise than it is stored (`\u{202e}gpj.exe` shows as `exe.jpg`).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` shows nothing: zero-width and invisible formatting characters (U+00AD,
/// U+180E, U+200B–U+200D, U+2060–U+2064, U+FEFF) and the bidi controls.
pub fn is_invisible(c: char) -> bool {
    is_bidi_control(c)
        || matches!(
            c,
            '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
        )
}

impl Name {
    /// Parses a name of 2 to 50 characters (after trimming), without control characters or
    /// bidi controls, of which at least one shows (not only invisible characters).
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let name = raw.trim();
        let chars = name.chars().count();
        if name.chars().any(|c| c.is_control() || is_bidi_control(c)) {
            return Err(Invalid::new("name_charset", "不能包含控制字符或文字方向控制字符"));
        }
        if name.chars().all(|c| c.is_whitespace() || is_invisible(c)) {
            return Err(Invalid::new("name_length", "长度应为2至50个字符"));
        }
        if !(2..=50).contains(&chars) {
            return Err(Invalid::new("name_length", "长度应为2至50个字符"));
        }
        Ok(Self(name.to_owned()))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A 6-digit postcode.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Postcode(String);

impl Postcode {
    /// Parses a postcode of exactly 6 digits.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let code = raw.trim();
        if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(code.to_owned()))
        } else {
            Err(Invalid::new("postcode_format", "邮政编码应为6位数字"))
        }
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address with RFC 5321-ish syntax: one `@`, a dotted domain, no spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    /// Parses an address; the domain is lower-cased.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let bad = || Invalid::new("email_format", "电子邮箱格式不正确");
        let raw = raw.trim();
        let (local, domain) = raw.split_once('@').ok_or_else(bad)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = domain.len() <= 253
            && labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            && labels
                .last()
                .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
        if local_ok && domain_ok {
            Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
        } else {
            Err(bad())
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A login name: 4–32 characters of letters, digits and `_`, starting with a letter.
/// Stored lower-cased so that `Admin` and `admin` are one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Username(String);

impl Username {
    /// Parses a username.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let name = raw.trim().to_ascii_lowercase();
        let ok = (4..=32).contains(&name.len())
            && name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if ok {
            Ok(Self(name))
        } else {
            Err(Invalid::new("username_format", "用户名应为4至32位字母、数字或下划线，并以字母开头"))
        }
    }

    /// The normalised name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            Name::parse("  厦门市特种设备检验检测院 ").map(|n| n.as_str().to_owned()),
            Ok("厦门市特种设备检验检测院".into())
        );
        assert_eq!(Name::parse("王").map_err(|e| e.code), Err("name_length"));
        assert_eq!(Name::parse(&"检".repeat(51)).map_err(|e| e.code), Err("name_length"));
        assert_eq!(Name::parse("王\u{0}五").map_err(|e| e.code), Err("name_charset"));
    }

    #[test]
    fn names_of_invisible_characters_or_with_bidi_controls_are_refused() {
        assert_eq!(Name::parse("\u{200b}\u{200b}\u{200b}").map_err(|e| e.code), Err("name_length"));
        assert_eq!(Name::parse("\u{feff}\u{2060}").map_err(|e| e.code), Err("name_length"));
        assert_eq!(Name::parse("王\u{202e}五").map_err(|e| e.code), Err("name_charset"));
        assert_eq!(Name::parse("王\u{2067}五").map_err(|e| e.code), Err("name_charset"));
        assert!(Address::parse("\u{200b}\u{200b}\u{200b}").is_err());
        assert!(Name::parse("王五").is_ok());
    }

    #[test]
    fn postcodes_are_six_digits() {
        assert!(Postcode::parse("361000").is_ok());
        for bad in ["36100", "3610000", "36100a", ""] {
            assert!(Postcode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn emails_need_local_part_and_dotted_domain() {
        assert_eq!(
            Email::parse("Li.Si@Example.COM").map(|e| e.as_str().to_owned()),
            Ok("Li.Si@example.com".into())
        );
        for bad in [
            "lisi",
            "lisi@",
            "@example.com",
            "li si@example.com",
            "lisi@example",
            "lisi@exa_mple.com",
            "a..b@example.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn usernames_are_lowercased_and_checked() {
        assert_eq!(Username::parse("XmTest_01").map(|u| u.as_str().to_owned()), Ok("xmtest_01".into()));
        for bad in ["abc", "1abc", "ab cd", "用户名称", &"a".repeat(33)] {
            assert!(Username::parse(bad).is_err(), "{bad}");
        }
    }
}

/// A postal address or other free text line: trimmed, 2–100 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Address(String);

impl Address {
    /// Parses an address line of 2 to 100 characters.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let text = raw.trim();
        if text.chars().any(|c| c.is_control() || is_bidi_control(c))
            || text.chars().all(|c| c.is_whitespace() || is_invisible(c))
            || !(2..=100).contains(&text.chars().count())
        {
            return Err(Invalid::new("address_length", "长度应为2至100个字符"));
        }
        Ok(Self(text.to_owned()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
