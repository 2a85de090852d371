//! Gongshi's domain: values that exist only once parsed (`Uscc`, `IdNumber`, `Mobile`, …),
//! field-level validation errors, password hashing and the registration model.
//!
//! Everything here is synchronous and pure, so it is easy to read, test and fuzz. Use cases
//! in `functions/` take these types, never raw strings.

pub mod account;
pub mod body;
pub mod calendar;
pub mod correction;
pub mod fields;
pub mod id_number;
pub mod legacy;
pub mod mobile;
pub mod notice;
pub mod password;
pub mod practice;
pub mod registration;
pub mod registry;
pub mod review;
pub mod text;
pub mod upload;
pub mod uscc;

pub use calendar::{china_time, china_today};
pub use fields::{FieldError, Fields, Invalid};
pub use id_number::IdNumber;
pub use mobile::Mobile;
pub use text::{Address, Email, Name, Postcode, Username};
pub use uscc::Uscc;
