//! One-time SMS codes: issue (only a keyed digest is stored) and check (format, expiry,
//! five tries). Every code-protected step uses these two, so the rules hold everywhere.

use crate::{Error, Result};
use gongshi_core::{FieldError, Fields, Invalid};
use gongshi_platform::Platform;
use gongshi_store::codes::{self, PendingCode};
use time::Duration;

/// Wrong tries a code allows.
pub const TRIES: u32 = 5;

/// A fresh code for `purpose`/`subject` valid for `lifetime` (any earlier one stops
/// working): the code, its expiry and its write, to commit with the counting of its sending
/// ([`sending_counted`]) and then send.
pub fn issue_write(p: &Platform, purpose: &str, subject: &str, lifetime: Duration) -> (String, i64, gongshi_platform::Write) {
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
    (code, expires_at, codes::issue_write(&pending))
}

/// The keys of the counters of `limits`, to read in the request's batch get.
pub fn counter_keys(limits: &[(&str, &str, gongshi_store::rate::Limit)]) -> Vec<gongshi_platform::Key> {
    limits.iter().map(|(scope, who, _)| gongshi_store::rate::key(scope, who)).collect()
}

/// One sending counted against each `(scope, who, limit)` whose counter was read beforehand
/// (`stored`, in the order of `limits`): the writes that count it, to commit with the code;
/// the first limit reached answers 429 `rate_limited` with the seconds to wait.
pub fn sending_counted(
    p: &Platform,
    limits: &[(&str, &str, gongshi_store::rate::Limit)],
    stored: Vec<Option<gongshi_platform::Item>>,
) -> Result<Vec<gongshi_platform::Write>> {
    let now = p.clock.now();
    let mut writes = Vec::with_capacity(limits.len());
    for ((scope, who, limit), item) in limits.iter().zip(stored) {
        match gongshi_store::rate::plan(item, scope, who, *limit, now)? {
            Ok(write) => writes.push(write),
            Err(wait) => return Err(limited(wait)),
        }
    }
    Ok(writes)
}

/// 409 when another sending counted against the same limit between this one's read and its
/// write (the transaction's counter condition failed): the client may send again.
pub fn counters_changed() -> Error {
    Error::Conflict("rate_changed", "请求过于频繁，请稍后重试".into())
}

fn limited(wait: u64) -> Error {
    Error::TooManyRequests("rate_limited", format!("获取验证码过于频繁，请 {wait} 秒后再试"), wait)
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

/// The pending code if `raw` matches the code item read beforehand (in the request's batch
/// get, under `codes::key(purpose, subject)`); a wrong code spends a try (the last one
/// discards the code). Consume the returned code in the transaction of what it allows.
pub async fn verify_read(
    p: &Platform,
    item: Option<gongshi_platform::Item>,
    purpose: &str,
    subject: &str,
    raw: &str,
) -> Result<PendingCode> {
    match check(p, item, purpose, subject, raw)? {
        Checked::Right(pending) => Ok(pending),
        Checked::Wrong(error, write) => {
            if let Some(write) = write {
                p.table.transact(vec![write]).await.map_err(gongshi_store::StoreError::from)?;
            }
            Err(error)
        }
    }
}

/// What [`check`] found.
pub enum Checked {
    /// The code matches: consume it in the transaction of what it allows.
    Right(PendingCode),
    /// It does not (or there is none): the error to answer and the write that spends a try
    /// or discards the code, to commit with whatever else the refusal writes.
    Wrong(Error, Option<gongshi_platform::Write>),
}

/// [`verify_read`] without writing: the code item read beforehand, checked.
pub fn check(p: &Platform, item: Option<gongshi_platform::Item>, purpose: &str, subject: &str, raw: &str) -> Result<Checked> {
    let now = p.clock.now().unix_timestamp();
    let pending = codes::of(item)?.filter(|c| c.expires_at > now);
    let Some(pending) = pending else {
        return Ok(Checked::Wrong(code_error("code_expired", "验证码已过期或未获取，请重新获取"), None));
    };
    if code_digest(p, &format!("{purpose}#{subject}"), raw.trim()) != pending.digest {
        if pending.tries_left <= 1 {
            return Ok(Checked::Wrong(
                code_error("code_exhausted", "验证码错误次数过多，请重新获取"),
                Some(codes::discard_write(&pending)),
            ));
        }
        return Ok(Checked::Wrong(
            code_error("code_invalid", format!("验证码错误，还可尝试 {} 次", pending.tries_left - 1)),
            Some(codes::spend_try_write(&pending)),
        ));
    }
    Ok(Checked::Right(pending))
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
