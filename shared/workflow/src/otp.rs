//! One-time SMS codes: issue (only a keyed digest is stored) and check (format, expiry,
//! five tries). Every code-protected step uses these two, so the rules hold everywhere.

use crate::{Error, Result};
use gongshi_core::{FieldError, Fields, Invalid};
use gongshi_platform::Platform;
use gongshi_store::codes::{self, PendingCode};
use time::Duration;

/// Wrong tries a code allows.
pub const TRIES: u32 = 5;

/// Makes a fresh code for `purpose`/`subject` valid for `lifetime` (any earlier one stops
/// working) and returns it, to be sent.
pub async fn issue(p: &Platform, purpose: &str, subject: &str, lifetime: Duration) -> Result<(String, i64)> {
    let code = p.ids.code();
    let expires_at = (p.clock.now() + lifetime).unix_timestamp();
    let pending = PendingCode {
        purpose: purpose.into(),
        subject: subject.into(),
        digest: code_digest(p, &format!("{purpose}#{subject}"), &code),
        tries_left: TRIES,
        expires_at,
        version: 1,
    };
    codes::issue(p.table.as_ref(), &pending).await?;
    Ok((code, expires_at))
}

/// Counts one sending against each `(scope, who, limit)` in turn; the first limit reached
/// answers 429 `rate_limited` with the seconds to wait (nothing further is counted).
pub async fn count_sending(p: &Platform, limits: &[(&str, &str, gongshi_store::rate::Limit)]) -> Result<()> {
    let now = p.clock.now();
    for (scope, who, limit) in limits {
        if let Err(wait) = gongshi_store::rate::hit(p.table.as_ref(), scope, who, *limit, now).await? {
            return Err(Error::TooManyRequests(
                "rate_limited",
                format!("获取验证码过于频繁，请 {wait} 秒后再试"),
                wait,
            ));
        }
    }
    Ok(())
}

/// Refuses a code that is not six digits (field `code`).
pub fn check_format(fields: &mut Fields, raw: &str) {
    let code = raw.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        fields.refuse("code", Invalid::new("code_format", "验证码为6位数字"));
    }
}

fn code_error(code: &'static str, message: impl Into<String>) -> Error {
    Error::Invalid(vec![FieldError::new("code", code, message)])
}

/// The pending code if `raw` matches it; a wrong code spends a try (the last one discards
/// the code). Consume the returned code in the transaction of what it allows.
pub async fn verify(p: &Platform, purpose: &str, subject: &str, raw: &str) -> Result<PendingCode> {
    let now = p.clock.now().unix_timestamp();
    let pending = codes::get(p.table.as_ref(), purpose, subject).await?.filter(|c| c.expires_at > now);
    let Some(pending) = pending else {
        return Err(code_error("code_expired", "验证码已过期或未获取，请重新获取"));
    };
    if code_digest(p, &format!("{purpose}#{subject}"), raw.trim()) != pending.digest {
        if pending.tries_left <= 1 {
            codes::discard(p.table.as_ref(), &pending).await?;
            return Err(code_error("code_exhausted", "验证码错误次数过多，请重新获取"));
        }
        codes::spend_try(p.table.as_ref(), &pending).await?;
        return Err(code_error(
            "code_invalid",
            format!("验证码错误，还可尝试 {} 次", pending.tries_left - 1),
        ));
    }
    Ok(pending)
}

/// A keyed digest of a one-time code for `scope` (e.g. `RESET#<username>`): what is stored
/// instead of the code. Keyed, so a leaked table does not give the 10⁶ codes away.
pub fn code_digest(platform: &Platform, scope: &str, code: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = match Hmac::<sha2::Sha256>::new_from_slice(&platform.config.jwt_secret) {
        Ok(mac) => mac,
        Err(error) => panic!("HMAC accepts keys of any length: {error}"),
    };
    mac.update(scope.as_bytes());
    mac.update(b"\n");
    mac.update(code.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}
