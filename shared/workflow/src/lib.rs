//! The rules of the publicity workflow, between the HTTP glue (`gongshi-http`) and the
//! records (`gongshi-store`): use cases that take parsed inputs (`gongshi_core` newtypes),
//! return typed outcomes and fail with [`Error`], so that every function and scheduled run
//! applies one rule from one place.
//!
//! | module | what it answers |
//! |---|---|
//! | [`appeals`] | what a decision on an account appeal does: the new contact, the temporary password |
//! | [`applications`] | the conditional transition every application step goes through |
//! | [`expiry`] | where and how an application expires (the three layers) |
//! | [`publicity`] | what a decision does to the person's publicity |
//! | [`eligibility`] | whether a unit may apply for a person, and the type |
//! | [`changes`] | what a decision on an information change request does |
//! | [`clauses`] | the commitment clauses in force and the consent |
//! | [`notify`] | the texts sent when an application ends or a practitioner moves |
//! | [`otp`] | one-time SMS codes: issue and verify |
//! | [`uploads`] | presigned uploads and the check of their bytes |

pub mod appeals;
pub mod applications;
pub mod changes;
pub mod clauses;
pub mod eligibility;
pub mod error;
pub mod expiry;
pub mod notify;
pub mod otp;
pub mod publicity;
pub mod uploads;

pub use error::{Error, OnConflict, Result};
