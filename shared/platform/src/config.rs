//! Settings, read once per process into a typed struct.

use gongshi_core::practice::Periods;
use time::Duration;

/// Runtime settings. Secrets come from the environment (SSM/Secrets Manager in AWS, a file
/// under the data directory locally), never from the repository.
#[derive(Clone)]
pub struct Config {
    /// HMAC key for access tokens (HS256).
    pub jwt_secret: Vec<u8>,
    /// The `aud` claim of access tokens.
    pub jwt_audience: String,
    /// Base URL of the site, for links in messages and locally signed blob URLs.
    pub public_base_url: String,
    /// Lifetime of an access token.
    pub access_token_ttl: Duration,
    /// Lifetime of a refresh token (a session).
    pub refresh_token_ttl: Duration,
    /// How long an unsubmitted registration draft is kept.
    pub draft_lifetime: Duration,
    /// Lifetime of a presigned upload or download URL.
    pub presign_ttl: Duration,
    /// Largest accepted upload.
    pub max_upload_bytes: u64,
    /// Failed logins in a row before the account is locked.
    pub login_max_failures: u32,
    /// Wrong logins one caller address may make in a (China) day over all usernames (50;
    /// `GONGSHI_LOGIN_ADDRESS_FAILURES_PER_DAY` overrides it, e.g. for load tests from one
    /// address).
    pub login_address_failures: u32,
    /// How long a locked account stays locked.
    pub login_lockout: Duration,
    /// Registration drafts one caller address may start in a (China) day (20;
    /// `GONGSHI_DRAFTS_PER_ADDRESS_PER_DAY` overrides it, e.g. for tests from one address).
    pub drafts_per_address: u32,
    /// Registration drafts for one unit credit code in a (China) day.
    pub drafts_per_uscc: u32,
    /// The periods of practice publicity (7-day deadline, 24-hour code, 90-day renewal window).
    pub periods: Periods,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("jwt_secret", &"***")
            .field("jwt_audience", &self.jwt_audience)
            .field("public_base_url", &self.public_base_url)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// The defaults of docs/DOMAIN.md (Periods and limits) with the given secret and base URL.
    pub fn new(jwt_secret: Vec<u8>, public_base_url: impl Into<String>) -> Self {
        Self {
            jwt_secret,
            jwt_audience: "gongshi-api".into(),
            public_base_url: public_base_url.into(),
            access_token_ttl: Duration::minutes(15),
            refresh_token_ttl: Duration::days(7),
            draft_lifetime: Duration::days(30),
            presign_ttl: Duration::minutes(10),
            max_upload_bytes: 10 * 1024 * 1024,
            login_max_failures: 5,
            login_address_failures: std::env::var("GONGSHI_LOGIN_ADDRESS_FAILURES_PER_DAY")
                .ok()
                .and_then(|v| v.parse().ok())
                .filter(|n| *n > 0)
                .unwrap_or(50),
            login_lockout: Duration::minutes(15),
            drafts_per_address: std::env::var("GONGSHI_DRAFTS_PER_ADDRESS_PER_DAY")
                .ok()
                .and_then(|v| v.parse().ok())
                .filter(|n| *n > 0)
                .unwrap_or(20),
            drafts_per_uscc: 3,
            periods: Periods::default().with_overrides(|name| std::env::var(name).ok()),
        }
    }

    /// From the environment: `GONGSHI_JWT_SECRET` (≥ 32 bytes) and `GONGSHI_PUBLIC_BASE_URL`.
    pub fn from_env() -> Result<Self, String> {
        let secret = std::env::var("GONGSHI_JWT_SECRET").map_err(|_| "GONGSHI_JWT_SECRET is not set".to_owned())?;
        if secret.len() < 32 {
            return Err("GONGSHI_JWT_SECRET must be at least 32 bytes".into());
        }
        let base = std::env::var("GONGSHI_PUBLIC_BASE_URL").unwrap_or_else(|_| "http://127.0.0.1:8080".into());
        Ok(Self::new(secret.into_bytes(), base))
    }
}
