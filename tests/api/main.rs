//! API flow tests: the whole system in-process on embedded storage with a fake clock,
//! asserting what a user sees (status, body), what is stored and what is sent.

mod appeals;
mod authorization;
mod branches;
mod certificates;
mod change_requests;
mod clients;
mod faults;
mod files;
mod gateway;
mod hardening;
mod legacy;
mod login;
mod notices;
mod publicity;
mod qualifications;
mod races;
mod recovery;
mod registration;
mod returns;
mod review;
mod round_trips;
mod store_boundary;
mod ttl_stream;
mod unit_accounts;
mod unit_home;
mod uploads;
