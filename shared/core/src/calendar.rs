//! Working days (工作日): weekends and statutory holidays are off, except make-up workdays
//! (调休上班) that fall on a weekend. Used for deadlines such as "reply within 3 working days".

use std::collections::BTreeSet;
use time::{Date, Duration, OffsetDateTime, UtcOffset, Weekday};

/// China Standard Time (UTC+8, no daylight saving): the offset of every date the system
/// shows, counts or prints.
pub const CHINA: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// The date in China at `now`: today for deadlines, validity, expiry warnings and document
/// numbers (between 00:00 and 08:00 China time the UTC date is still yesterday's).
pub fn china_today(now: OffsetDateTime) -> Date {
    now.to_offset(CHINA).date()
}

/// An instant as China reads it, to the minute: `2026-12-02 16:42` (exports, forms, texts).
pub fn china_time(at: OffsetDateTime) -> String {
    let at = at.to_offset(CHINA);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute()
    )
}

/// A calendar of holidays and make-up workdays, configured by the association admin.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    holidays: BTreeSet<Date>,
    makeup_workdays: BTreeSet<Date>,
}

impl WorkCalendar {
    /// A calendar with these statutory holidays and make-up workdays.
    pub fn new(holidays: impl IntoIterator<Item = Date>, makeup_workdays: impl IntoIterator<Item = Date>) -> Self {
        Self {
            holidays: holidays.into_iter().collect(),
            makeup_workdays: makeup_workdays.into_iter().collect(),
        }
    }

    /// Whether people work on `date`.
    pub fn is_working_day(&self, date: Date) -> bool {
        if self.makeup_workdays.contains(&date) {
            return true;
        }
        !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) && !self.holidays.contains(&date)
    }

    /// The `n`th working day after `start` (not counting `start` itself): the last day of a
    /// "within n working days" deadline.
    pub fn add_working_days(&self, start: Date, n: u32) -> Date {
        let mut date = start;
        let mut left = n;
        while left > 0 {
            date += Duration::days(1);
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        date
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn china_today_turns_at_midnight_china_time() {
        assert_eq!(china_today(datetime!(2026-12-01 15:59:59 UTC)), date!(2026 - 12 - 01));
        assert_eq!(china_today(datetime!(2026-12-01 16:00:00 UTC)), date!(2026 - 12 - 02));
        assert_eq!(china_today(datetime!(2026-12-01 07:00:00 UTC)), date!(2026 - 12 - 01));
    }

    /// China's 2025 National Day: 1–8 October off, Sunday 28 September and Saturday
    /// 11 October worked instead.
    fn national_day_2025() -> WorkCalendar {
        let holidays = (1..=8).map(|d| Date::from_calendar_date(2025, time::Month::October, d).expect("date"));
        WorkCalendar::new(holidays, [date!(2025 - 09 - 28), date!(2025 - 10 - 11)])
    }

    #[test]
    fn f05_three_working_days_skip_a_weekend() {
        // Thursday + 3 working days = Tuesday (Friday, Monday, Tuesday).
        assert_eq!(
            WorkCalendar::default().add_working_days(date!(2026 - 11 - 26), 3),
            date!(2026 - 12 - 01)
        );
    }

    #[test]
    fn f05_statutory_holiday_days_do_not_count() {
        // Tuesday 30 September 2025 + 3: the holiday runs to 8 October; 9 and 10 October
        // (Thu, Fri) count, and the make-up Saturday 11 October is the third.
        assert_eq!(
            national_day_2025().add_working_days(date!(2025 - 09 - 30), 3),
            date!(2025 - 10 - 11)
        );
    }

    #[test]
    fn f05_make_up_workday_on_a_weekend_counts() {
        let calendar = national_day_2025();
        assert!(calendar.is_working_day(date!(2025 - 09 - 28)), "Sunday, but worked");
        assert!(!calendar.is_working_day(date!(2025 - 10 - 03)), "Friday, but a holiday");
        // Friday 26 September + 1 = Sunday 28 September (make-up workday).
        assert_eq!(calendar.add_working_days(date!(2025 - 09 - 26), 1), date!(2025 - 09 - 28));
    }
}
