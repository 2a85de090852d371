//! Password hashes of the old system (F2). Its format is not known for certain, so each
//! imported account names its own: plain or salted MD5 / SHA-1 (salt before the password),
//! or bcrypt. A legacy hash is only ever verified, once, and then replaced with argon2id.

use crate::fields::Invalid;
use serde::{Deserialize, Serialize};

/// How the old system hashed a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegacyFormat {
    /// hex(md5(password)).
    Md5,
    /// hex(md5(salt ‖ password)).
    Md5Salted,
    /// hex(sha1(password)).
    Sha1,
    /// hex(sha1(salt ‖ password)).
    Sha1Salted,
    /// A `$2a$`/`$2b$`/`$2y$` bcrypt string.
    Bcrypt,
}

impl LegacyFormat {
    /// Parses a format name as written in the import file.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "md5" => Ok(Self::Md5),
            "md5_salted" => Ok(Self::Md5Salted),
            "sha1" => Ok(Self::Sha1),
            "sha1_salted" => Ok(Self::Sha1Salted),
            "bcrypt" => Ok(Self::Bcrypt),
            _ => Err(Invalid::new(
                "hash_format",
                "密码格式应为 md5、md5_salted、sha1、sha1_salted 或 bcrypt",
            )),
        }
    }
}

/// A password hash from the old system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegacyHash {
    /// How it was made.
    pub format: LegacyFormat,
    /// Lower-case hex digest, or the bcrypt string.
    pub hash: String,
    /// The salt of the salted formats (empty otherwise).
    pub salt: String,
}

impl LegacyHash {
    /// Checks that the hash looks like its format (hex of the right length, or bcrypt).
    pub fn parse(format: LegacyFormat, hash: &str, salt: &str) -> Result<Self, Invalid> {
        let hash = hash.trim();
        let hex_len = match format {
            LegacyFormat::Md5 | LegacyFormat::Md5Salted => Some(32),
            LegacyFormat::Sha1 | LegacyFormat::Sha1Salted => Some(40),
            LegacyFormat::Bcrypt => None,
        };
        let well_formed = match hex_len {
            Some(len) => hash.len() == len && hash.bytes().all(|b| b.is_ascii_hexdigit()),
            None => ["$2a$", "$2b$", "$2y$"].iter().any(|p| hash.starts_with(p)) && hash.len() == 60,
        };
        if !well_formed {
            return Err(Invalid::new("hash_malformed", "密码哈希与所注明的格式不符"));
        }
        let salted = matches!(format, LegacyFormat::Md5Salted | LegacyFormat::Sha1Salted);
        if salted && salt.is_empty() {
            return Err(Invalid::new("salt_required", "加盐格式需要提供盐值"));
        }
        Ok(Self {
            format,
            hash: if hex_len.is_some() {
                hash.to_ascii_lowercase()
            } else {
                hash.to_owned()
            },
            salt: if salted { salt.to_owned() } else { String::new() },
        })
    }

    /// Whether `password` is the one this hash was made from.
    pub fn verify(&self, password: &str) -> bool {
        use md5::Digest as _;
        let salted = |salt: &str| [salt.as_bytes(), password.as_bytes()].concat();
        let computed = match self.format {
            LegacyFormat::Md5 => hex::encode(md5::Md5::digest(password.as_bytes())),
            LegacyFormat::Md5Salted => hex::encode(md5::Md5::digest(salted(&self.salt))),
            LegacyFormat::Sha1 => hex::encode(sha1::Sha1::digest(password.as_bytes())),
            LegacyFormat::Sha1Salted => hex::encode(sha1::Sha1::digest(salted(&self.salt))),
            LegacyFormat::Bcrypt => return bcrypt::verify(password, &self.hash).unwrap_or(false),
        };
        constant_time_eq(computed.as_bytes(), self.hash.as_bytes())
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(format: &str, hash: &str, salt: &str) -> LegacyHash {
        LegacyHash::parse(LegacyFormat::parse(format).expect("format"), hash, salt).expect("well-formed")
    }

    #[test]
    fn f02_hex_formats_verify_only_the_right_password() {
        let cases = [
            ("md5", "f72509d243b84a38aad1e6c023d0809d", ""),
            ("md5_salted", "18EA200C8128A2D5B97FFF8FF152934C", "a1b2c3"),
            ("sha1", "9ec1da15efe2a3a69068c10710700d88401a6845", ""),
            ("sha1_salted", "8782615c3432a49b7b5925450f8661c0a3d738ec", "a1b2c3"),
        ];
        for (format, hash, salt) in cases {
            let legacy = check(format, hash, salt);
            assert!(legacy.verify("Legacy123"), "{format}");
            assert!(!legacy.verify("legacy123"), "{format}");
        }
    }

    #[test]
    fn f02_bcrypt_verifies_the_openbsd_vector() {
        let legacy = check("bcrypt", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "");
        assert!(legacy.verify("U*U"));
        assert!(!legacy.verify("U*V"));
    }

    #[test]
    fn f02_malformed_hashes_and_unknown_formats_are_refused() {
        assert_eq!(LegacyFormat::parse("crc32").map_err(|e| e.code), Err("hash_format"));
        let md5 = LegacyFormat::Md5;
        assert_eq!(LegacyHash::parse(md5, "abc", "").map_err(|e| e.code), Err("hash_malformed"));
        assert_eq!(
            LegacyHash::parse(LegacyFormat::Sha1Salted, "9ec1da15efe2a3a69068c10710700d88401a6845", "").map_err(|e| e.code),
            Err("salt_required")
        );
        assert_eq!(
            LegacyHash::parse(LegacyFormat::Bcrypt, "$1$notbcrypt", "").map_err(|e| e.code),
            Err("hash_malformed")
        );
    }
}
