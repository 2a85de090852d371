//! The names of the things records point at: owners of uploads, audit trails' entities.
//! Every key and entity name is built in this crate; nothing else writes a `PREFIX#`.

/// A unit as an owner or audited entity: `UNIT#<id>`.
pub fn unit(id: &str) -> String {
    format!("UNIT#{id}")
}

/// The unit id of an owner named by [`unit`], if it names a unit.
pub fn unit_of(owner: &str) -> Option<&str> {
    owner.strip_prefix("UNIT#")
}

/// The unit's accounts index (gsi1 partition): its profile, its accounts by username, then
/// its branches.
pub fn unit_accounts(unit_id: &str) -> String {
    format!("UNITACCT#{unit_id}")
}

/// An account as an audited entity: `ACCT#<username>`.
pub fn account(username: &str) -> String {
    format!("ACCT#{username}")
}

/// A change request as an owner of its proofs and an audited entity: `CHANGE#<id>`.
pub fn change_request(id: &str) -> String {
    format!("CHANGE#{id}")
}

/// A qualification certificate as the user of its scan: `QUAL#<id>`.
pub fn qualification(id: &str) -> String {
    format!("QUAL#{id}")
}

/// A publicity (公示证书) as an audited entity: `PUB#<certificate no>`.
pub fn publicity(certificate_no: &str) -> String {
    format!("PUB#{certificate_no}")
}

/// The commitment clauses as an audited entity.
pub const CLAUSES: &str = "CONFIG#CLAUSES";

/// The practitioner registry's imports as an audited entity.
pub const PRACTITIONER_IMPORT: &str = "IMPORT#PRACTITIONERS";
