//! Seeds the association's first accounts on an empty local data directory.

use gongshi_core::account::{AccountStatus, Role};
use gongshi_core::password::NewPassword;
use gongshi_platform::Platform;
use gongshi_store::accounts::{self, Account};

/// The accounts seeded for local use: an association admin and a reviewer.
pub const SEEDED: [(&str, Role, &str); 2] = [
    ("admin", Role::AssociationAdmin, "协会管理员"),
    ("reviewer", Role::Reviewer, "协会审核员"),
];

/// Creates the seeded accounts that do not exist yet, with `password`. Returns the names created.
pub async fn seed_association_accounts(platform: &Platform, password: &str) -> Result<Vec<&'static str>, String> {
    let password = NewPassword::parse(password).map_err(|e| format!("seed password refused: {}", e.message))?;
    let now = platform.clock.now();
    let mut created = Vec::new();
    for (username, role, display_name) in SEEDED {
        if accounts::get(platform.table.as_ref(), username)
            .await
            .map_err(|e| e.to_string())?
            .is_some()
        {
            continue;
        }
        let account = Account {
            username: username.into(),
            role,
            status: AccountStatus::Active,
            password_hash: password.hash(),
            display_name: display_name.into(),
            unit_id: None,
            registration_id: None,
            token_version: 1,
            failed_logins: 0,
            locked_until: None,
            created_at: now,
            version: 1,
            expires_at: None,
            branch_id: None,
            legacy_hash: None,
            password_change: None,
            ended_sessions: Vec::new(),
        };
        platform
            .table
            .transact(vec![accounts::create(&account, now)])
            .await
            .map_err(|e| e.to_string())?;
        created.push(username);
    }
    Ok(created)
}
