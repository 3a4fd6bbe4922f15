//! Date and time arithmetic for the ODBC date/time scalar functions: field
//! extraction (DAYOFWEEK, WEEK, ...), TIMESTAMPADD and TIMESTAMPDIFF.
//!
//! Month arithmetic clamps to the end of the month (Jan 31 + 1 month is
//! Feb 28/29), and TIMESTAMPDIFF counts complete intervals consistently with
//! TIMESTAMPADD: the difference is the largest n for which
//! TIMESTAMPADD(unit, n, a) does not pass b.

use crate::diag::{OdbcError, SqlState};
use crate::value::{days_in_month, Date, Time, Timestamp, Value};

use super::cast;
use super::expr::EvalEnv;

const NANOS_PER_SECOND: i128 = 1_000_000_000;

/// The interval of TIMESTAMPADD / TIMESTAMPDIFF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntervalUnit {
    /// Billionths of a second (ODBC's SQL_TSI_FRAC_SECOND).
    FracSecond,
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl IntervalUnit {
    /// `SQL_TSI_DAY` or the bare `DAY` (any case).
    pub fn from_name(name: &str) -> Option<IntervalUnit> {
        let upper = name.to_ascii_uppercase();
        let bare = upper.strip_prefix("SQL_TSI_").unwrap_or(&upper);
        Some(match bare {
            "FRAC_SECOND" => IntervalUnit::FracSecond,
            "SECOND" => IntervalUnit::Second,
            "MINUTE" => IntervalUnit::Minute,
            "HOUR" => IntervalUnit::Hour,
            "DAY" => IntervalUnit::Day,
            "WEEK" => IntervalUnit::Week,
            "MONTH" => IntervalUnit::Month,
            "QUARTER" => IntervalUnit::Quarter,
            "YEAR" => IntervalUnit::Year,
            _ => return None,
        })
    }

    /// Nanoseconds in one unit, for the units of fixed length.
    fn fixed_nanos(self) -> Option<i128> {
        Some(match self {
            IntervalUnit::FracSecond => 1,
            IntervalUnit::Second => NANOS_PER_SECOND,
            IntervalUnit::Minute => 60 * NANOS_PER_SECOND,
            IntervalUnit::Hour => 3_600 * NANOS_PER_SECOND,
            IntervalUnit::Day => 86_400 * NANOS_PER_SECOND,
            IntervalUnit::Week => 7 * 86_400 * NANOS_PER_SECOND,
            IntervalUnit::Month | IntervalUnit::Quarter | IntervalUnit::Year => return None,
        })
    }

    fn months(self) -> i64 {
        match self {
            IntervalUnit::Quarter => 3,
            IntervalUnit::Year => 12,
            _ => 1,
        }
    }
}

fn field_overflow() -> OdbcError {
    OdbcError::new(
        SqlState::DatetimeFieldOverflow,
        "Datetime field overflow: the result is outside years 1 to 9999",
    )
}

fn not_a_datetime(value: &Value) -> OdbcError {
    OdbcError::new(
        SqlState::InvalidCharacterValueForCast,
        format!(
            "Invalid character value for cast: {} is not a date or time",
            value.to_text().unwrap_or_default()
        ),
    )
}

/// The date and time parts a value carries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DateTimeParts {
    pub date: Option<Date>,
    pub time: Option<Time>,
    pub nanos: u32,
}

/// Splits a DATE, TIME, TIMESTAMP or text in one of their forms.
pub fn parts(value: &Value) -> Result<DateTimeParts, OdbcError> {
    Ok(match value {
        Value::Date(date) => DateTimeParts {
            date: Some(*date),
            time: None,
            nanos: 0,
        },
        Value::Time(time) => DateTimeParts {
            date: None,
            time: Some(*time),
            nanos: 0,
        },
        Value::Timestamp(ts) => DateTimeParts {
            date: Some(ts.date),
            time: Some(ts.time),
            nanos: ts.nanos,
        },
        Value::Text(text) => {
            if let Some(ts) = Timestamp::parse(text) {
                DateTimeParts {
                    date: Some(ts.date),
                    time: Some(ts.time),
                    nanos: ts.nanos,
                }
            } else if let Some(time) = Time::parse(text) {
                DateTimeParts {
                    date: None,
                    time: Some(time),
                    nanos: 0,
                }
            } else {
                return Err(not_a_datetime(value));
            }
        }
        other => return Err(not_a_datetime(other)),
    })
}

/// The date of a value that must have one (YEAR, MONTH, DAYNAME, ...).
pub fn date_of(value: &Value) -> Result<Date, OdbcError> {
    parts(value)?.date.ok_or_else(|| not_a_datetime(value))
}

/// The time of day of a value; a DATE is at midnight.
pub fn time_of(value: &Value) -> Result<Time, OdbcError> {
    Ok(parts(value)?.time.unwrap_or(Time {
        hour: 0,
        minute: 0,
        second: 0,
    }))
}

/// A value as a timestamp for TIMESTAMPADD / TIMESTAMPDIFF: per ODBC a
/// DATE's time is 00:00:00 and a TIME's date is the current date.
pub fn timestamp_of(value: &Value, env: &EvalEnv) -> Result<Timestamp, OdbcError> {
    let p = parts(value)?;
    Ok(Timestamp {
        date: p.date.unwrap_or(env.now.date),
        time: p.time.unwrap_or(Time {
            hour: 0,
            minute: 0,
            second: 0,
        }),
        nanos: p.nanos,
    })
}

/// ODBC DAYOFWEEK: Sunday = 1 .. Saturday = 7.
pub fn day_of_week(date: Date) -> i64 {
    i64::from(date.iso_weekday() % 7) + 1
}

/// ODBC WEEK: weeks start on Sunday and week 1 is the one containing
/// January 1 (the convention of DAYOFWEEK's Sunday = 1 and of SQL Server's
/// DATEPART(week), which ODBC applications most often expect).
pub fn week_of_year(date: Date) -> i64 {
    let jan1 = Date {
        year: date.year,
        month: 1,
        day: 1,
    };
    let jan1_offset = day_of_week(jan1) - 1; // days of week 1 before Jan 1
    (i64::from(date.day_of_year()) - 1 + jan1_offset) / 7 + 1
}

pub fn quarter(date: Date) -> i64 {
    (i64::from(date.month) - 1) / 3 + 1
}

pub fn day_name(date: Date) -> &'static str {
    const NAMES: [&str; 7] = [
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
    ];
    NAMES[(day_of_week(date) - 1) as usize % 7]
}

pub fn month_name(date: Date) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[(usize::from(date.month) + 11) % 12]
}

fn total_nanos(ts: Timestamp) -> i128 {
    i128::from(ts.seconds_since_epoch()) * NANOS_PER_SECOND + i128::from(ts.nanos)
}

fn from_total_nanos(total: i128) -> Result<Timestamp, OdbcError> {
    let seconds =
        i64::try_from(total.div_euclid(NANOS_PER_SECOND)).map_err(|_| field_overflow())?;
    let nanos = total.rem_euclid(NANOS_PER_SECOND) as u32;
    Timestamp::from_seconds_since_epoch(seconds, nanos).ok_or_else(field_overflow)
}

fn add_months(ts: Timestamp, months: i64) -> Result<Timestamp, OdbcError> {
    let index = i64::from(ts.date.year)
        .checked_mul(12)
        .and_then(|m| m.checked_add(i64::from(ts.date.month) - 1))
        .and_then(|m| m.checked_add(months))
        .ok_or_else(field_overflow)?;
    let year = i32::try_from(index.div_euclid(12)).map_err(|_| field_overflow())?;
    let month = (index.rem_euclid(12) + 1) as u8;
    let day = ts.date.day.min(days_in_month(year, month));
    let date = Date::new(year, month, day).ok_or_else(field_overflow)?;
    Ok(Timestamp { date, ..ts })
}

/// TIMESTAMPADD(unit, count, ts).
pub fn timestamp_add(
    unit: IntervalUnit,
    count: i64,
    ts: Timestamp,
) -> Result<Timestamp, OdbcError> {
    match unit.fixed_nanos() {
        Some(unit_nanos) => from_total_nanos(total_nanos(ts) + i128::from(count) * unit_nanos),
        None => add_months(
            ts,
            count
                .checked_mul(unit.months())
                .ok_or_else(field_overflow)?,
        ),
    }
}

/// TIMESTAMPDIFF(unit, a, b): the number of whole units by which b is
/// greater than a (negative when b is earlier), truncated toward zero.
pub fn timestamp_diff(unit: IntervalUnit, a: Timestamp, b: Timestamp) -> Result<i64, OdbcError> {
    let count = match unit.fixed_nanos() {
        Some(unit_nanos) => (total_nanos(b) - total_nanos(a)) / unit_nanos,
        None => {
            let month_index =
                |ts: Timestamp| i64::from(ts.date.year) * 12 + i64::from(ts.date.month);
            let mut months = month_index(b) - month_index(a);
            // The raw month distance overshoots by one when the day and time
            // of b have not yet reached a's (after end-of-month clamping).
            if months > 0 && add_months(a, months)? > b {
                months -= 1;
            } else if months < 0 && add_months(a, months)? < b {
                months += 1;
            }
            i128::from(months / unit.months())
        }
    };
    i64::try_from(count).map_err(|_| {
        OdbcError::new(
            SqlState::NumericOutOfRange,
            "Numeric value out of range: the TIMESTAMPDIFF result does not fit BIGINT",
        )
    })
}

/// The integer count argument of TIMESTAMPADD.
pub fn interval_count(value: &Value) -> Result<i64, OdbcError> {
    cast::to_i64(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        Timestamp::parse(s).unwrap()
    }

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn unit_names_with_and_without_prefix() {
        assert_eq!(
            IntervalUnit::from_name("SQL_TSI_DAY"),
            Some(IntervalUnit::Day)
        );
        assert_eq!(
            IntervalUnit::from_name("sql_tsi_frac_second"),
            Some(IntervalUnit::FracSecond)
        );
        assert_eq!(
            IntervalUnit::from_name("quarter"),
            Some(IntervalUnit::Quarter)
        );
        assert_eq!(IntervalUnit::from_name("SQL_TSI_FORTNIGHT"), None);
        assert_eq!(IntervalUnit::from_name("DAYS"), None);
    }

    #[test]
    fn day_of_week_starts_on_sunday() {
        assert_eq!(day_of_week(date("2025-06-15")), 1); // Sunday
        assert_eq!(day_of_week(date("2025-06-16")), 2); // Monday
        assert_eq!(day_of_week(date("2025-06-21")), 7); // Saturday
        assert_eq!(day_name(date("2025-06-15")), "Sunday");
        assert_eq!(day_name(date("2025-06-18")), "Wednesday");
        assert_eq!(month_name(date("2025-09-01")), "September");
        assert_eq!(month_name(date("2025-01-31")), "January");
        assert_eq!(month_name(date("2025-12-31")), "December");
    }

    #[test]
    fn weeks_count_from_the_week_of_january_first() {
        // 2025-01-01 is a Wednesday: Jan 1-4 are week 1, Sunday Jan 5 starts week 2.
        assert_eq!(week_of_year(date("2025-01-01")), 1);
        assert_eq!(week_of_year(date("2025-01-04")), 1);
        assert_eq!(week_of_year(date("2025-01-05")), 2);
        assert_eq!(week_of_year(date("2025-12-31")), 53);
        // 2023-01-01 is a Sunday.
        assert_eq!(week_of_year(date("2023-01-07")), 1);
        assert_eq!(week_of_year(date("2023-01-08")), 2);
        assert_eq!(quarter(date("2025-03-31")), 1);
        assert_eq!(quarter(date("2025-04-01")), 2);
        assert_eq!(quarter(date("2025-12-01")), 4);
    }

    #[test]
    fn adding_months_clamps_to_month_end() {
        let add = |unit, n, s: &str| timestamp_add(unit, n, ts(s)).unwrap().to_string();
        assert_eq!(
            add(IntervalUnit::Month, 1, "2025-01-31 10:00:00"),
            "2025-02-28 10:00:00"
        );
        assert_eq!(
            add(IntervalUnit::Month, 1, "2024-01-31 10:00:00"),
            "2024-02-29 10:00:00"
        );
        assert_eq!(
            add(IntervalUnit::Month, -1, "2024-03-31 00:00:00"),
            "2024-02-29 00:00:00"
        );
        assert_eq!(
            add(IntervalUnit::Year, 1, "2024-02-29 00:00:00"),
            "2025-02-28 00:00:00"
        );
        assert_eq!(
            add(IntervalUnit::Year, 4, "2024-02-29 00:00:00"),
            "2028-02-29 00:00:00"
        );
        assert_eq!(
            add(IntervalUnit::Quarter, 1, "2025-11-30 00:00:00"),
            "2026-02-28 00:00:00"
        );
        assert_eq!(
            add(IntervalUnit::Month, 13, "2025-12-15 00:00:00"),
            "2027-01-15 00:00:00"
        );
        assert_eq!(
            add(IntervalUnit::Month, -12, "2025-01-15 00:00:00"),
            "2024-01-15 00:00:00"
        );
    }

    #[test]
    fn adding_fixed_units_crosses_days_months_and_leap_days() {
        let add = |unit, n, s: &str| timestamp_add(unit, n, ts(s)).unwrap().to_string();
        assert_eq!(
            add(IntervalUnit::Day, 1, "2024-02-28 12:00:00"),
            "2024-02-29 12:00:00"
        );
        assert_eq!(
            add(IntervalUnit::Day, 1, "2023-02-28 12:00:00"),
            "2023-03-01 12:00:00"
        );
        assert_eq!(
            add(IntervalUnit::Day, -1, "2024-03-01 00:00:00"),
            "2024-02-29 00:00:00"
        );
        assert_eq!(
            add(IntervalUnit::Week, 1, "2025-12-29 00:00:00"),
            "2026-01-05 00:00:00"
        );
        assert_eq!(
            add(IntervalUnit::Hour, 25, "2025-12-31 00:00:00"),
            "2026-01-01 01:00:00"
        );
        assert_eq!(
            add(IntervalUnit::Minute, -1, "2025-01-01 00:00:00"),
            "2024-12-31 23:59:00"
        );
        assert_eq!(
            add(IntervalUnit::Second, -1, "2025-01-01 00:00:00"),
            "2024-12-31 23:59:59"
        );
        assert_eq!(
            add(IntervalUnit::Second, 86_400 * 366, "2024-01-01 00:00:00"),
            "2025-01-01 00:00:00"
        );
        assert_eq!(
            add(
                IntervalUnit::FracSecond,
                1_500_000_000,
                "2025-01-01 00:00:00"
            ),
            "2025-01-01 00:00:01.5"
        );
        assert_eq!(
            add(IntervalUnit::FracSecond, -1, "2025-01-01 00:00:00"),
            "2024-12-31 23:59:59.999999999"
        );
    }

    #[test]
    fn results_outside_the_calendar_overflow() {
        let err = timestamp_add(IntervalUnit::Year, 10_000, ts("2025-01-01")).unwrap_err();
        assert_eq!(err.state, SqlState::DatetimeFieldOverflow);
        let err = timestamp_add(IntervalUnit::Day, -1, ts("0001-01-01")).unwrap_err();
        assert_eq!(err.state, SqlState::DatetimeFieldOverflow);
        let err = timestamp_add(IntervalUnit::Week, i64::MAX, ts("2025-01-01")).unwrap_err();
        assert_eq!(err.state, SqlState::DatetimeFieldOverflow);
        let err = timestamp_add(IntervalUnit::Quarter, i64::MAX, ts("2025-01-01")).unwrap_err();
        assert_eq!(err.state, SqlState::DatetimeFieldOverflow);
    }

    #[test]
    fn differences_count_complete_units() {
        let diff = |unit, a: &str, b: &str| timestamp_diff(unit, ts(a), ts(b)).unwrap();
        assert_eq!(diff(IntervalUnit::Day, "2024-02-28", "2024-03-01"), 2);
        assert_eq!(diff(IntervalUnit::Day, "2023-02-28", "2023-03-01"), 1);
        assert_eq!(diff(IntervalUnit::Day, "2024-03-01", "2024-02-28"), -2);
        assert_eq!(
            diff(
                IntervalUnit::Day,
                "2025-01-01 10:00:00",
                "2025-01-02 09:59:59"
            ),
            0
        );
        assert_eq!(
            diff(
                IntervalUnit::Hour,
                "2025-01-01 10:00:00",
                "2025-01-02 09:59:59"
            ),
            23
        );
        assert_eq!(diff(IntervalUnit::Week, "2025-01-01", "2025-01-15"), 2);
        assert_eq!(
            diff(
                IntervalUnit::Second,
                "2025-01-01 00:00:00",
                "2025-01-01 00:01:00.5"
            ),
            60
        );
        assert_eq!(
            diff(
                IntervalUnit::FracSecond,
                "2025-01-01 00:00:00",
                "2025-01-01 00:00:01.25"
            ),
            1_250_000_000
        );
        assert_eq!(diff(IntervalUnit::Year, "2023-12-31", "2024-01-01"), 0);
        assert_eq!(diff(IntervalUnit::Year, "2020-02-29", "2021-02-28"), 1);
        assert_eq!(diff(IntervalUnit::Year, "2021-03-01", "2020-02-29"), -1);
        assert_eq!(diff(IntervalUnit::Month, "2024-01-31", "2024-02-29"), 1);
        assert_eq!(diff(IntervalUnit::Month, "2024-02-29", "2024-03-28"), 0);
        assert_eq!(diff(IntervalUnit::Month, "2024-02-29", "2024-03-29"), 1);
        assert_eq!(
            diff(
                IntervalUnit::Month,
                "2024-03-29 10:00:00",
                "2024-02-29 10:00:01"
            ),
            0
        );
        assert_eq!(
            diff(
                IntervalUnit::Month,
                "2024-03-29 10:00:00",
                "2024-02-29 10:00:00"
            ),
            -1
        );
        assert_eq!(diff(IntervalUnit::Quarter, "2025-01-15", "2025-07-14"), 1);
        assert_eq!(diff(IntervalUnit::Quarter, "2025-01-15", "2025-07-15"), 2);
        let e = timestamp_diff(IntervalUnit::FracSecond, ts("0001-01-01"), ts("9999-12-31"))
            .unwrap_err();
        assert_eq!(e.state, SqlState::NumericOutOfRange);
    }

    #[test]
    fn add_then_diff_round_trips() {
        for start in [
            "2024-01-31 08:00:00",
            "2024-02-29 23:59:59",
            "2025-12-31 00:00:00",
            "2023-03-31 12:00:00",
        ] {
            for unit in [
                IntervalUnit::Day,
                IntervalUnit::Month,
                IntervalUnit::Quarter,
                IntervalUnit::Year,
                IntervalUnit::Hour,
            ] {
                for n in [-25, -1, 0, 1, 2, 13] {
                    let a = ts(start);
                    let b = timestamp_add(unit, n, a).unwrap();
                    assert_eq!(
                        timestamp_diff(unit, a, b).unwrap(),
                        n,
                        "{unit:?} {n} from {start}"
                    );
                }
            }
        }
    }

    #[test]
    fn values_become_timestamps_per_odbc() {
        let env = EvalEnv {
            now: ts("2025-06-15 12:30:00"),
            user: String::new(),
            database: String::new(),
            subqueries: Default::default(),
            last_insert_id: Value::Null,
        };
        let t = Time::new(8, 0, 0).unwrap();
        assert_eq!(
            timestamp_of(&Value::Time(t), &env).unwrap(),
            Timestamp {
                date: date("2025-06-15"),
                time: t,
                nanos: 0
            }
        );
        assert_eq!(
            timestamp_of(&Value::Date(date("2024-02-29")), &env).unwrap(),
            ts("2024-02-29 00:00:00")
        );
        assert_eq!(
            timestamp_of(&Value::Text("2024-02-29 01:02:03".into()), &env).unwrap(),
            ts("2024-02-29 01:02:03")
        );
        assert_eq!(
            timestamp_of(&Value::Text("08:00".into()), &env)
                .unwrap()
                .time,
            t
        );
        assert!(timestamp_of(&Value::Text("soon".into()), &env).is_err());
        assert!(date_of(&Value::Time(t)).is_err());
        assert_eq!(
            time_of(&Value::Date(date("2024-02-29"))).unwrap(),
            Time::new(0, 0, 0).unwrap()
        );
    }
}
