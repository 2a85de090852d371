//! Passwords: the strength policy and argon2id hashing.

use crate::fields::Invalid;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};

/// A password that meets the policy: 8–64 characters with at least one letter and one digit.
/// Deliberately not `Debug`-printable with its content, so it never reaches a log.
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

impl NewPassword {
    /// Checks the policy.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let len = raw.chars().count();
        let has_letter = raw.chars().any(|c| c.is_ascii_alphabetic());
        let has_digit = raw.chars().any(|c| c.is_ascii_digit());
        if !(8..=64).contains(&len) || !has_letter || !has_digit || raw.chars().any(char::is_control) {
            return Err(Invalid::new("password_weak", "密码应为8至64位，且同时包含字母和数字"));
        }
        Ok(Self(raw.to_owned()))
    }

    /// An argon2id PHC string with a fresh salt (OWASP parameters: 19 MiB, 2 passes).
    pub fn hash(&self) -> String {
        hash(&self.0)
    }
}

/// argon2id of any password, policy or not: used to replace a legacy hash with the password
/// the user just proved, whatever the old system allowed.
pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    match Argon2::default().hash_password(password.as_bytes(), &salt) {
        Ok(hash) => hash.to_string(),
        // Only reachable with invalid parameters, which are constants here.
        Err(error) => panic!("argon2 hashing failed: {error}"),
    }
}

/// Whether `password` matches a stored argon2 PHC string. A malformed hash never matches.
pub fn verify(password: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash of nothing anyone knows, verified against when an account does not exist, so that
/// a wrong username costs as long as a wrong password (no timing oracle for usernames).
pub fn verify_against_dummy(password: &str) {
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2Vw2J0Yq3nWvQ2CO8bLwHgYyRHmuX9aX6k8S8m6dN5A";
    let _ = verify(password, DUMMY);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_needs_length_letters_and_digits() {
        assert!(NewPassword::parse("Gongshi2026").is_ok());
        for weak in ["short1", "onlyletters", "1234567890", &"a1".repeat(33)] {
            assert_eq!(
                NewPassword::parse(weak).map(|_| ()).map_err(|e| e.code),
                Err("password_weak"),
                "{weak}"
            );
        }
    }

    #[test]
    fn hash_verifies_only_the_same_password() {
        let hash = NewPassword::parse("Gongshi2026").expect("valid").hash();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify("Gongshi2026", &hash));
        assert!(!verify("Gongshi2027", &hash));
        assert!(!verify("Gongshi2026", "not a hash"));
    }

    #[test]
    fn debug_output_hides_the_password() {
        let password = NewPassword::parse("Gongshi2026").expect("valid");
        assert!(!format!("{password:?}").contains("Gongshi"));
    }
}
