//! Access tokens (HS256 JWT with audience, issuer, expiry and the account's token version),
//! the authenticated [`Caller`], and refresh-token sessions.

use crate::ApiError;
use crate::views::{AccountView, Session as SessionView};
use gongshi_core::account::{AccountStatus, Role};
use gongshi_platform::{Item, Key, Platform, Write};
use gongshi_store::accounts::{self, Account};
use gongshi_store::{digest, sessions};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use lambda_http::Request;
use serde::{Deserialize, Serialize};

const ISSUER: &str = "gongshi";

/// The claims of an access token. Roles are not in the token: they are read from the
/// account on every request, so a change takes effect at once.
#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    aud: String,
    iss: String,
    iat: i64,
    exp: i64,
    ver: u64,
    /// The session the token belongs to (absent in tokens issued before sessions were named).
    #[serde(default)]
    sid: String,
    /// The unit of a unit user, so that a handler can read unit-scoped records in the same
    /// batch get as the account (absent for other callers and in older tokens). The account
    /// read beside it must name the same unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unit: Option<String>,
}

/// What the caller is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallerRole {
    /// A registrant working on their own registration draft (account pending).
    Registrant,
    /// An active account with a role.
    Account(Role),
}

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The account.
    pub account: Account,
    /// Registrant or role.
    pub role: CallerRole,
}

impl Caller {
    /// The username.
    pub fn username(&self) -> &str {
        &self.account.username
    }

    /// 403 unless the caller may decide review queues.
    pub fn require_reviewer(&self) -> Result<(), ApiError> {
        match self.role {
            CallerRole::Account(role) if role.may_review() => Ok(()),
            _ => Err(forbidden()),
        }
    }

    /// 403 unless the caller is an association admin.
    pub fn require_association_admin(&self) -> Result<(), ApiError> {
        match self.role {
            CallerRole::Account(Role::AssociationAdmin) => Ok(()),
            _ => Err(forbidden()),
        }
    }

    /// The registration the caller may edit: a registrant's own. Anything else → 404, so
    /// that other registrations' existence is not revealed.
    pub fn require_registrant_of(&self, registration_id: &str) -> Result<(), ApiError> {
        match (&self.role, &self.account.registration_id) {
            (CallerRole::Registrant, Some(own)) if own == registration_id => Ok(()),
            (CallerRole::Registrant, _) => Err(ApiError::NotFound("registration_not_found", "未找到该注册申请".into())),
            _ => Err(forbidden()),
        }
    }

    /// The unit of a unit user (admin or staff); anyone else → 403.
    pub fn unit_id(&self) -> Result<String, ApiError> {
        match (self.role, &self.account.unit_id) {
            (CallerRole::Account(role), Some(unit)) if role.is_unit() => Ok(unit.clone()),
            _ => Err(forbidden()),
        }
    }

    /// The unit of a unit admin; anyone else → 403 with `message` (code `unit_admin_only`).
    pub fn admin_unit_id(&self, message: &str) -> Result<String, ApiError> {
        match self.role {
            CallerRole::Account(Role::UnitAdmin) => self.unit_id(),
            _ => Err(ApiError::Forbidden("unit_admin_only", message.into())),
        }
    }

    /// Who owns what the caller uploads: the registration draft or the unit.
    pub fn upload_owner(&self) -> Result<String, ApiError> {
        match (&self.role, &self.account.registration_id, &self.account.unit_id) {
            (CallerRole::Registrant, Some(reg), _) => Ok(gongshi_store::registrations::entity(reg)),
            (CallerRole::Account(role), _, Some(unit)) if role.is_unit() => Ok(gongshi_store::entity::unit(unit)),
            _ => Err(forbidden()),
        }
    }
}

/// The 403 answer.
pub fn forbidden() -> ApiError {
    ApiError::Forbidden("forbidden", "当前帐号无权执行此操作".into())
}

fn revoked() -> ApiError {
    ApiError::Unauthorized("token_revoked", "登录已失效，请重新登录".into())
}

/// Verifies the bearer token and loads the caller's account (one table read).
pub async fn authenticate(platform: &Platform, req: &Request) -> Result<Caller, ApiError> {
    let (caller, []) = token(platform, req)?.read(platform, []).await?;
    Ok(caller)
}

/// [`authenticate`] for the one call an account that must set a new password may make:
/// setting it.
pub async fn authenticate_to_change_password(platform: &Platform, req: &Request) -> Result<Caller, ApiError> {
    let claims = verify(platform, req)?;
    let account = accounts::get(platform.table.as_ref(), &claims.sub).await?;
    caller(platform, &claims, account)
}

/// 403 `password_change_required` while the account's password is temporary or too weak.
fn require_no_password_change(caller: &Caller) -> Result<(), ApiError> {
    match &caller.account.password_change {
        Some(change) => Err(ApiError::Forbidden("password_change_required", change.reason.message().into())),
        None => Ok(()),
    }
}

/// Verifies the bearer token and reads the caller's account together with the items under
/// `keys` in one round trip (a batch get), so that a handler reading its record costs one
/// read. The items are `None` where absent; nothing is read for a refused token. Only what
/// the caller may see is to be answered from them: authorise with the returned [`Caller`].
pub async fn authenticate_with<const N: usize>(
    platform: &Platform,
    req: &Request,
    keys: [Key; N],
) -> Result<(Caller, [Option<Item>; N]), ApiError> {
    token(platform, req)?.read(platform, keys).await
}

/// A bearer token whose signature, audience, issuer and expiry hold; nothing is read yet.
/// Verifying it before the body is parsed keeps a 401 ahead of a 422, and reading after
/// lets the one batch get include what the body names (an upload, a branch).
pub struct Token {
    claims: Claims,
}

/// Verifies the request's bearer token (no table read).
pub fn token(platform: &Platform, req: &Request) -> Result<Token, ApiError> {
    Ok(Token {
        claims: verify(platform, req)?,
    })
}

impl Token {
    /// The caller's username, as the token names it (nothing read yet): for keys of the
    /// caller's own items to read in the one batch get.
    pub fn subject(&self) -> &str {
        &self.claims.sub
    }

    /// The caller's account and the items under `keys`, in one batch get (see
    /// [`authenticate_with`]).
    pub async fn read<const N: usize>(self, platform: &Platform, keys: [Key; N]) -> Result<(Caller, [Option<Item>; N]), ApiError> {
        let (account, items): (_, [Option<Item>; N]) = read_beside_account(platform, &self.claims.sub, keys).await?;
        let caller = caller(platform, &self.claims, account)?;
        require_no_password_change(&caller)?;
        Ok((caller, items))
    }

    /// A unit user's account, their unit's id and the unit-scoped items under `keys(unit)`,
    /// in one batch get: the unit comes from the token. A caller of no unit is 403. (A token
    /// issued before it named the unit costs a second read.)
    pub async fn read_in_unit<const N: usize>(
        self,
        platform: &Platform,
        keys: impl FnOnce(&str) -> [Key; N],
    ) -> Result<(Caller, String, [Option<Item>; N]), ApiError> {
        let (caller, unit_id, found) = self.read_all_in_unit(platform, |unit| keys(unit).into()).await?;
        let items =
            <[Option<Item>; N]>::try_from(found).map_err(|_| ApiError::Internal("a batch read answered another number of items".into()))?;
        Ok((caller, unit_id, items))
    }

    /// [`Token::read_in_unit`] for as many keys as the request names (at most 99; a key may
    /// repeat), the items in the order of the keys.
    pub async fn read_all_in_unit(
        self,
        platform: &Platform,
        keys: impl FnOnce(&str) -> Vec<Key>,
    ) -> Result<(Caller, String, Vec<Option<Item>>), ApiError> {
        match self.claims.unit.clone() {
            Some(unit_id) => {
                let (account, items) = read_beside_account(platform, &self.claims.sub, keys(&unit_id)).await?;
                let caller = caller(platform, &self.claims, account)?;
                require_no_password_change(&caller)?;
                if caller.unit_id()? != unit_id {
                    return Err(revoked());
                }
                Ok((caller, unit_id, items))
            }
            None => {
                let (caller, []) = self.read(platform, []).await?;
                let unit_id = caller.unit_id()?;
                let keys = keys(&unit_id);
                let items = if keys.is_empty() {
                    Vec::new()
                } else {
                    read_distinct(platform, &keys).await?
                };
                Ok((caller, unit_id, items))
            }
        }
    }
}

/// [`Token::read_in_unit`] for a request without a body to parse first.
pub async fn authenticate_in_unit<const N: usize>(
    platform: &Platform,
    req: &Request,
    keys: impl FnOnce(&str) -> [Key; N],
) -> Result<(Caller, String, [Option<Item>; N]), ApiError> {
    token(platform, req)?.read_in_unit(platform, keys).await
}

/// The account `username` and the items under `keys`, in one batch get.
async fn read_beside_account<K: AsRef<[Key]>, T: TryFrom<Vec<Option<Item>>>>(
    platform: &Platform,
    username: &str,
    keys: K,
) -> Result<(Option<Account>, T), ApiError> {
    let account_key = accounts::key(username);
    let mut all = vec![account_key];
    all.extend_from_slice(keys.as_ref());
    let mut found = read_distinct(platform, &all).await?;
    let account = found.remove(0).map(gongshi_store::decode::<Account>).transpose()?;
    let items = T::try_from(found).map_err(|_| ApiError::Internal("a batch read answered another number of items".into()))?;
    Ok((account, items))
}

/// The items under `keys` (which may repeat) in one batch get, in the order of the keys. In
/// an idempotent request the batch also reads its idempotency record: a repeat stops here
/// and is answered from it (see [`crate::response::respond_with`]).
pub(crate) async fn read_distinct(platform: &Platform, keys: &[Key]) -> Result<Vec<Option<Item>>, ApiError> {
    let mut distinct: Vec<Key> = Vec::with_capacity(keys.len() + 1);
    for key in keys {
        if !distinct.contains(key) {
            distinct.push(key.clone());
        }
    }
    let idempotency = crate::response::idempotency_key().filter(|k| !distinct.contains(k));
    distinct.extend(idempotency.iter().cloned());
    // One key is a plain get (DynamoDB's GetItem), more a batch get.
    let mut found = match distinct.as_slice() {
        [one] => vec![platform.table.get(one).await.map_err(gongshi_store::StoreError::from)?],
        _ => platform.table.get_many(&distinct).await.map_err(gongshi_store::StoreError::from)?,
    };
    if idempotency.is_some() {
        crate::response::check_idempotency(found.pop().flatten())?;
    }
    Ok(keys
        .iter()
        .map(|key| distinct.iter().position(|k| k == key).and_then(|i| found[i].clone()))
        .collect())
}

/// The items under `keys` in one batch get, for a handler with no caller to authenticate
/// (see [`read_distinct`]: an idempotent repeat stops here).
pub async fn read_each<const N: usize>(platform: &Platform, keys: [Key; N]) -> Result<[Option<Item>; N], ApiError> {
    let found = read_distinct(platform, &keys).await?;
    <[Option<Item>; N]>::try_from(found).map_err(|_| ApiError::Internal("a batch read answered another number of items".into()))
}

/// The token's claims if its signature, audience, issuer and expiry hold.
fn verify(platform: &Platform, req: &Request) -> Result<Claims, ApiError> {
    let header = req.headers().get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let token = header
        .strip_prefix("Bearer ")
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::Unauthorized("authentication_required", "请先登录".into()))?;
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_audience(&[&platform.config.jwt_audience]);
    validation.set_issuer(&[ISSUER]);
    validation.set_required_spec_claims(&["exp", "aud", "iss", "sub"]);
    // Expiry is checked against the injected clock below, not the system clock.
    validation.validate_exp = false;
    let claims = jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(&platform.config.jwt_secret), &validation)
        .map_err(|_| ApiError::Unauthorized("invalid_token", "登录凭证无效，请重新登录".into()))?
        .claims;
    if claims.exp <= platform.clock.now().unix_timestamp() {
        return Err(ApiError::Unauthorized("token_expired", "登录已过期，请重新登录".into()));
    }
    Ok(claims)
}

/// The caller, if the token's account still exists, is not disabled and has not changed
/// its password (token version) since the token was issued.
fn caller(platform: &Platform, claims: &Claims, account: Option<Account>) -> Result<Caller, ApiError> {
    let account = account.ok_or_else(revoked)?;
    if account.token_version != claims.ver || account.is_expired_reservation(platform.clock.now()) || account.session_ended(&claims.sid) {
        return Err(revoked());
    }
    let role = match account.status {
        AccountStatus::Pending => CallerRole::Registrant,
        AccountStatus::Active => CallerRole::Account(account.role),
        AccountStatus::Disabled => return Err(revoked()),
    };
    Ok(Caller { account, role })
}

/// A signed access token of the session `session_id` for the account and its lifetime in
/// seconds.
pub fn issue_access_token(platform: &Platform, account: &Account, session_id: &str) -> Result<(String, i64), ApiError> {
    let now = platform.clock.now().unix_timestamp();
    let ttl = platform.config.access_token_ttl.whole_seconds();
    let claims = Claims {
        sub: account.username.clone(),
        aud: platform.config.jwt_audience.clone(),
        iss: ISSUER.into(),
        iat: now,
        exp: now + ttl,
        ver: account.token_version,
        sid: session_id.to_owned(),
        unit: account.unit_id.clone(),
    };
    let token = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(&platform.config.jwt_secret),
    )
    .map_err(|e| ApiError::Internal(format!("signing a token failed: {e}")))?;
    Ok((token, ttl))
}

/// A refresh token: `<session id>.<secret>.<username, base64url>`. The username lets a
/// refresh or a logout read the session and the account in one batch get.
pub fn refresh_token(session_id: &str, secret: &str, username: &str) -> String {
    use base64::Engine;
    format!(
        "{session_id}.{secret}.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(username)
    )
}

/// The parts of a refresh token: session id, secret and (in tokens issued since it was
/// added) the username; `None` when malformed.
pub fn parse_refresh_token(token: &str) -> Option<(&str, &str, Option<String>)> {
    use base64::Engine;
    let mut parts = token.splitn(3, '.');
    let (id, secret) = (parts.next()?, parts.next()?);
    if id.is_empty() || secret.is_empty() {
        return None;
    }
    match parts.next() {
        None => Some((id, secret, None)),
        Some(encoded) => {
            let username = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(encoded).ok()?;
            Some((id, secret, Some(String::from_utf8(username).ok()?).filter(|u| !u.is_empty())))
        }
    }
}

/// A new session for the account: the response body and the write that stores it (to be
/// committed by the caller, usually in the same transaction as the login's own writes).
pub fn start_session(platform: &Platform, account: &Account) -> Result<(SessionView, Write), ApiError> {
    let now = platform.clock.now();
    let id = platform.ids.id();
    let (access_token, expires_in) = issue_access_token(platform, account, &id)?;
    let secret = platform.ids.secret();
    let session = sessions::Session {
        id: id.clone(),
        username: account.username.clone(),
        secret_digest: digest(&secret),
        created_at: now,
        expires_at: (now + platform.config.refresh_token_ttl).unix_timestamp(),
        token_version: account.token_version,
    };
    let view = SessionView {
        access_token,
        refresh_token: refresh_token(&id, &secret, &account.username),
        expires_in,
        account: AccountView::of(account),
    };
    Ok((view, sessions::create(&session)))
}
