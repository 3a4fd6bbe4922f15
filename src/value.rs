//! Values as the SQL engine sees them, with the date and time types Pipedrive
//! uses and their textual forms (ISO / ODBC canonical and RFC 3339).

use std::cmp::Ordering;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time {
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

/// A timestamp in UTC (Pipedrive reports every time in UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    pub date: Date,
    pub time: Time,
    pub nanos: u32,
}

/// One SQL value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Double(f64),
    Text(String),
    Date(Date),
    Time(Time),
    Timestamp(Timestamp),
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month)
        {
            Some(Date { year, month, day })
        } else {
            None
        }
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for arithmetic.
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(i32::try_from(year).ok()?, month, day)
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        Date::new(
            s.get(0..4)?.parse().ok()?,
            s.get(5..7)?.parse().ok()?,
            s.get(8..10)?.parse().ok()?,
        )
    }

    /// ISO day of week, Monday = 1 .. Sunday = 7.
    pub fn iso_weekday(self) -> u8 {
        // 1970-01-01 was a Thursday (4).
        ((self.days_since_epoch() + 3).rem_euclid(7) + 1) as u8
    }

    pub fn day_of_year(self) -> u16 {
        (self.days_since_epoch()
            - Date {
                year: self.year,
                month: 1,
                day: 1,
            }
            .days_since_epoch()
            + 1) as u16
    }
}

impl Time {
    pub fn new(hour: u8, minute: u8, second: u8) -> Option<Time> {
        (hour < 24 && minute < 60 && second < 60).then_some(Time {
            hour,
            minute,
            second,
        })
    }

    /// Parses `HH:MM` or `HH:MM:SS`.
    pub fn parse(s: &str) -> Option<Time> {
        let mut parts = s.trim().split(':');
        let hour = parts.next()?.parse().ok()?;
        let minute = parts.next()?.parse().ok()?;
        let second = match parts.next() {
            Some(sec) => sec.split('.').next()?.parse().ok()?,
            None => 0,
        };
        if parts.next().is_some() {
            return None;
        }
        Time::new(hour, minute, second)
    }

    pub fn seconds_of_day(self) -> i64 {
        i64::from(self.hour) * 3600 + i64::from(self.minute) * 60 + i64::from(self.second)
    }
}

impl Timestamp {
    pub fn from_date(date: Date) -> Timestamp {
        Timestamp {
            date,
            time: Time {
                hour: 0,
                minute: 0,
                second: 0,
            },
            nanos: 0,
        }
    }

    pub fn seconds_since_epoch(self) -> i64 {
        self.date.days_since_epoch() * 86_400 + self.time.seconds_of_day()
    }

    pub fn from_seconds_since_epoch(secs: i64, nanos: u32) -> Option<Timestamp> {
        let date = Date::from_days_since_epoch(secs.div_euclid(86_400))?;
        let sod = secs.rem_euclid(86_400);
        let time = Time::new((sod / 3600) as u8, (sod / 60 % 60) as u8, (sod % 60) as u8)?;
        Some(Timestamp { date, time, nanos })
    }

    /// Parses the forms Pipedrive and SQL literals use: RFC 3339
    /// (`2025-03-04T10:20:30Z`, with fraction or offset, converted to UTC),
    /// `YYYY-MM-DD HH:MM:SS[.fff]` and a bare `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Timestamp> {
        let s = s.trim();
        let date = Date::parse(s.get(0..10)?)?;
        let rest = &s[10..];
        if rest.is_empty() {
            return Some(Timestamp::from_date(date));
        }
        let rest = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' '))?;
        // Split off a zone designator: Z, +HH:MM or -HH:MM.
        let (clock, offset_secs) =
            if let Some(clock) = rest.strip_suffix('Z').or_else(|| rest.strip_suffix('z')) {
                (clock, 0)
            } else if let Some(pos) = rest.rfind(['+', '-']) {
                let zone = &rest[pos + 1..];
                let (zh, zm) = zone
                    .split_once(':')
                    .unwrap_or((zone.get(0..2)?, zone.get(2..).unwrap_or("0")));
                let mut secs = zh.parse::<i64>().ok()? * 3600 + zm.parse::<i64>().ok()? * 60;
                if &rest[pos..=pos] == "-" {
                    secs = -secs;
                }
                (&rest[..pos], secs)
            } else {
                (rest, 0)
            };
        let (hms, fraction) = match clock.split_once('.') {
            Some((hms, frac)) => (hms, Some(frac)),
            None => (clock, None),
        };
        let time = Time::parse(hms)?;
        let nanos = match fraction {
            Some(f) if !f.is_empty() && f.len() <= 9 && f.bytes().all(|c| c.is_ascii_digit()) => {
                f.parse::<u32>().ok()? * 10u32.pow(9 - f.len() as u32)
            }
            Some(_) => return None,
            None => 0,
        };
        let ts = Timestamp { date, time, nanos };
        if offset_secs == 0 {
            Some(ts)
        } else {
            Timestamp::from_seconds_since_epoch(ts.seconds_since_epoch() - offset_secs, nanos)
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}:{:02}", self.hour, self.minute, self.second)
    }
}

impl fmt::Display for Timestamp {
    /// ODBC canonical form `YYYY-MM-DD HH:MM:SS[.fffffffff]`, fraction trimmed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.date, self.time)?;
        if self.nanos > 0 {
            let frac = format!("{:09}", self.nanos);
            write!(f, ".{}", frac.trim_end_matches('0'))?;
        }
        Ok(())
    }
}

/// Formats a double the way SQL clients expect: integral values without a
/// trailing `.0`, others in the shortest form that round-trips.
pub fn format_double(d: f64) -> String {
    if d.is_finite() && d.fract() == 0.0 && d.abs() < 1e15 {
        format!("{}", d as i64)
    } else {
        format!("{d}")
    }
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The value as text, as SQL_C_CHAR conversion and string functions see it.
    pub fn to_text(&self) -> Option<String> {
        match self {
            Value::Null => None,
            Value::Bool(b) => Some(if *b { "1" } else { "0" }.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Double(d) => Some(format_double(*d)),
            Value::Text(s) => Some(s.clone()),
            Value::Date(d) => Some(d.to_string()),
            Value::Time(t) => Some(t.to_string()),
            Value::Timestamp(ts) => Some(ts.to_string()),
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Bool(b) => Some(f64::from(u8::from(*b))),
            Value::Int(i) => Some(*i as f64),
            Value::Double(d) => Some(*d),
            _ => None,
        }
    }

    /// SQL comparison of two non-NULL values of comparable types; `None` when
    /// either is NULL or the types cannot be compared.
    pub fn sql_cmp(&self, other: &Value) -> Option<Ordering> {
        use Value::*;
        match (self, other) {
            (Null, _) | (_, Null) => None,
            (Int(a), Int(b)) => Some(a.cmp(b)),
            (Bool(a), Bool(b)) => Some(a.cmp(b)),
            (Text(a), Text(b)) => Some(a.cmp(b)),
            (Date(a), Date(b)) => Some(a.cmp(b)),
            (Time(a), Time(b)) => Some(a.cmp(b)),
            (Timestamp(a), Timestamp(b)) => Some(a.cmp(b)),
            (Date(a), Timestamp(b)) => Some(crate::value::Timestamp::from_date(*a).cmp(b)),
            (Timestamp(a), Date(b)) => Some(a.cmp(&crate::value::Timestamp::from_date(*b))),
            (Int(a), Double(b)) => (*a as f64).partial_cmp(b),
            (Double(a), Int(b)) => a.partial_cmp(&(*b as f64)),
            (Double(a), Double(b)) => a.partial_cmp(b),
            (Bool(_), Int(_) | Double(_)) | (Int(_) | Double(_), Bool(_)) => {
                self.as_f64()?.partial_cmp(&other.as_f64()?)
            }
            // Text against a typed value: compare in the typed domain when the
            // text converts (as SQL does for literals), else not comparable.
            (Text(t), other) => Value::coerce_text_like(t, other)?.sql_cmp(other),
            (this, Text(t)) => this.sql_cmp(&Value::coerce_text_like(t, this)?),
            _ => None,
        }
    }

    fn coerce_text_like(text: &str, like: &Value) -> Option<Value> {
        match like {
            Value::Int(_) => text
                .trim()
                .parse::<i64>()
                .ok()
                .map(Value::Int)
                .or_else(|| text.trim().parse::<f64>().ok().map(Value::Double)),
            Value::Double(_) | Value::Bool(_) => text.trim().parse::<f64>().ok().map(Value::Double),
            Value::Date(_) => match Timestamp::parse(text)? {
                ts if ts.time.seconds_of_day() == 0 && ts.nanos == 0 => Some(Value::Date(ts.date)),
                ts => Some(Value::Timestamp(ts)),
            },
            Value::Timestamp(_) => Timestamp::parse(text).map(Value::Timestamp),
            Value::Time(_) => Time::parse(text).map(Value::Time),
            _ => None,
        }
    }

    /// Total order used by ORDER BY and DISTINCT: NULLs first (as the driver
    /// reports via SQL_NULL_COLLATION = SQL_NC_LOW), then by value.
    pub fn order_cmp(&self, other: &Value) -> Ordering {
        match (self.is_null(), other.is_null()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => self
                .sql_cmp(other)
                .unwrap_or_else(|| self.type_rank().cmp(&other.type_rank())),
        }
    }

    fn type_rank(&self) -> u8 {
        match self {
            Value::Null => 0,
            Value::Bool(_) => 1,
            Value::Int(_) | Value::Double(_) => 2,
            Value::Text(_) => 3,
            Value::Date(_) | Value::Timestamp(_) => 4,
            Value::Time(_) => 5,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_days_round_trip() {
        for days in [-719_162i64, -1, 0, 1, 59, 365, 11_016, 20_000, 2_932_896] {
            let d = Date::from_days_since_epoch(days).unwrap();
            assert_eq!(d.days_since_epoch(), days, "{d}");
        }
        assert_eq!(Date::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
        assert_eq!(Date::new(2000, 3, 1).unwrap().days_since_epoch(), 11_017);
    }

    #[test]
    fn dates_are_validated() {
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2023-13-01").is_none());
        assert!(Date::parse("2023-1-01").is_none());
    }

    #[test]
    fn timestamps_parse_pipedrive_forms() {
        let a = Timestamp::parse("2025-03-04T10:20:30Z").unwrap();
        let b = Timestamp::parse("2025-03-04 10:20:30").unwrap();
        assert_eq!(a, b);
        let c = Timestamp::parse("2025-03-04T12:20:30+02:00").unwrap();
        assert_eq!(a, c);
        let d = Timestamp::parse("2025-03-04T10:20:30.250Z").unwrap();
        assert_eq!(d.nanos, 250_000_000);
        assert_eq!(d.to_string(), "2025-03-04 10:20:30.25");
        assert_eq!(
            Timestamp::parse("2025-03-04").unwrap().to_string(),
            "2025-03-04 00:00:00"
        );
        assert!(Timestamp::parse("2025-03-04X10:20:30").is_none());
        assert!(Timestamp::parse("2025-03-04T25:20:30Z").is_none());
    }

    #[test]
    fn weekday_and_day_of_year() {
        assert_eq!(Date::new(2026, 11, 28).unwrap().iso_weekday(), 6); // a Saturday
        assert_eq!(Date::new(2024, 12, 31).unwrap().day_of_year(), 366);
    }

    #[test]
    fn comparison_is_by_type() {
        assert_eq!(
            Value::Int(10).sql_cmp(&Value::Int(9)),
            Some(Ordering::Greater)
        );
        assert_eq!(
            Value::Text("10".into()).sql_cmp(&Value::Text("9".into())),
            Some(Ordering::Less)
        );
        assert_eq!(
            Value::Int(10).sql_cmp(&Value::Double(10.0)),
            Some(Ordering::Equal)
        );
        assert_eq!(Value::Null.sql_cmp(&Value::Int(1)), None);
        let day = Value::Date(Date::new(2025, 1, 2).unwrap());
        assert_eq!(
            day.sql_cmp(&Value::Text("2025-01-02".into())),
            Some(Ordering::Equal)
        );
        assert_eq!(Value::Int(3).sql_cmp(&Value::Text("abc".into())), None);
    }

    #[test]
    fn doubles_format_without_noise() {
        assert_eq!(format_double(5.0), "5");
        assert_eq!(format_double(0.1), "0.1");
        assert_eq!(format_double(-2.5), "-2.5");
    }
}
