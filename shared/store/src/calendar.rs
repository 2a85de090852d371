//! The association's working-day calendar (statutory holidays and make-up workdays):
//! `CONFIG#CALENDAR` / `CALENDAR`, one item, edited by the association admin.

use crate::{StoreError, from_item, to_item};
use gongshi_core::calendar::WorkCalendar;
use gongshi_platform::{Condition, Key, Table};
use serde::{Deserialize, Serialize};
use time::Date;

/// The stored calendar.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarConfig {
    /// Statutory holidays (法定节假日).
    pub holidays: Vec<Date>,
    /// Weekend days worked instead (调休上班).
    pub makeup_workdays: Vec<Date>,
    /// Optimistic concurrency (0: never saved).
    pub version: u64,
}

impl CalendarConfig {
    /// The calendar to count working days with.
    pub fn calendar(&self) -> WorkCalendar {
        WorkCalendar::new(self.holidays.iter().copied(), self.makeup_workdays.iter().copied())
    }
}

/// The calendar's key (to read it in the caller's batch get).
pub fn key() -> Key {
    Key::new("CONFIG#CALENDAR", "CALENDAR")
}

/// The calendar (empty: weekends only, until the admin configures it).
pub async fn get(table: &dyn Table) -> Result<CalendarConfig, StoreError> {
    Ok(table.get(&key()).await?.map(from_item).transpose()?.unwrap_or_default())
}

/// The calendar of an item read beforehand (absent: weekends only).
pub fn of(item: Option<gongshi_platform::Item>) -> Result<CalendarConfig, StoreError> {
    Ok(item.map(from_item).transpose()?.unwrap_or_default())
}

/// Saves the calendar if nobody saved it since `expected_version` was read.
pub async fn save(table: &dyn Table, config: &CalendarConfig, expected_version: u64) -> Result<(), StoreError> {
    let condition = if expected_version == 0 {
        Condition::NotExists
    } else {
        Condition::equals("version", expected_version)
    };
    table.put(to_item(&key(), config, &[]), condition).await.map_err(Into::into)
}
