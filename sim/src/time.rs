//! Timestamps as Unix seconds (UTC) and the three wire formats Pipedrive uses:
//! v2 RFC 3339 (`2025-03-04T10:20:30Z`), v1 `2025-03-04 10:20:30`, and dates
//! `2025-03-04`. Hand-written because formatting sits on the hot path of
//! every page and a date crate would be a large dependency for this.

pub(crate) const SECONDS_PER_DAY: i64 = 86_400;

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Unix seconds for a UTC date and time.
pub(crate) fn timestamp(year: i64, month: u32, day: u32, h: u32, mi: u32, s: u32) -> i64 {
    days_from_civil(year, month, day) * SECONDS_PER_DAY + (h * 3600 + mi * 60 + s) as i64
}

fn push2(out: &mut Vec<u8>, v: u32) {
    out.push(b'0' + (v / 10) as u8);
    out.push(b'0' + (v % 10) as u8);
}

/// `YYYY-MM-DD` of every day from 1990 to 2049 (22k days, 219 KB), built
/// on first use. Formatting dates is a hot spot of full scans (a dozen per
/// deal); a table lookup beats the calendar arithmetic.
const TABLE_FIRST_DAY: i64 = 7_305; // 1990-01-01
const TABLE_DAYS: usize = 21_915; // through 2049-12-31

fn date_table() -> &'static [[u8; 10]] {
    static TABLE: std::sync::OnceLock<Vec<[u8; 10]>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0..TABLE_DAYS as i64)
            .map(|i| {
                let mut text = Vec::with_capacity(10);
                compute_date(&mut text, TABLE_FIRST_DAY + i);
                let mut fixed = [0u8; 10];
                fixed.copy_from_slice(&text);
                fixed
            })
            .collect()
    })
}

fn push_date(out: &mut Vec<u8>, days: i64) {
    let index = days - TABLE_FIRST_DAY;
    if (0..TABLE_DAYS as i64).contains(&index) {
        out.extend_from_slice(&date_table()[index as usize]);
    } else {
        compute_date(out, days);
    }
}

fn compute_date(out: &mut Vec<u8>, days: i64) {
    let (y, m, d) = civil_from_days(days);
    // Generated data stays within years 1000..9999.
    let y = y.clamp(0, 9999) as u32;
    push2(out, y / 100);
    push2(out, y % 100);
    out.push(b'-');
    push2(out, m);
    out.push(b'-');
    push2(out, d);
}

/// `"YYYY-MM-DD?HH:MM:SS` + `tail`, assembled on the stack and appended
/// with one copy (timestamps are a dozen per deal on every page).
#[inline]
fn write_timestamp(out: &mut Vec<u8>, ts: i64, separator: u8, tail: &[u8]) {
    let mut text = [0u8; 22];
    text[0] = b'"';
    let days = ts.div_euclid(SECONDS_PER_DAY);
    let index = days - TABLE_FIRST_DAY;
    if (0..TABLE_DAYS as i64).contains(&index) {
        text[1..11].copy_from_slice(&date_table()[index as usize]);
    } else {
        let mut date = Vec::with_capacity(10);
        compute_date(&mut date, days);
        text[1..11].copy_from_slice(&date);
    }
    text[11] = separator;
    let secs = ts.rem_euclid(SECONDS_PER_DAY) as u32;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    text[12..20].copy_from_slice(&[
        b'0' + (h / 10) as u8,
        b'0' + (h % 10) as u8,
        b':',
        b'0' + (m / 10) as u8,
        b'0' + (m % 10) as u8,
        b':',
        b'0' + (s / 10) as u8,
        b'0' + (s % 10) as u8,
    ]);
    let len = 20 + tail.len();
    text[20..len].copy_from_slice(tail);
    // Fixed-size copy then truncate: cheaper than a variable-length copy.
    let end = out.len() + len;
    out.extend_from_slice(&text);
    out.truncate(end);
}

/// Appends `"2025-03-04T10:20:30Z"` (with quotes) for a v2 timestamp.
pub(crate) fn write_rfc3339(out: &mut Vec<u8>, ts: i64) {
    write_timestamp(out, ts, b'T', b"Z\"");
}

/// Appends `"2025-03-04 10:20:30"` (with quotes) for a v1 timestamp.
pub(crate) fn write_v1_time(out: &mut Vec<u8>, ts: i64) {
    write_timestamp(out, ts, b' ', b"\"");
}

/// Appends `"2025-03-04"` (with quotes) for a day number.
pub(crate) fn write_date(out: &mut Vec<u8>, days: i64) {
    out.push(b'"');
    push_date(out, days);
    out.push(b'"');
}

/// RFC 3339 text without quotes (used inside cursors).
pub(crate) fn rfc3339_string(ts: i64) -> String {
    let mut out = Vec::with_capacity(22);
    write_rfc3339(&mut out, ts);
    // Only ASCII digits and separators were written.
    String::from_utf8_lossy(&out[1..out.len() - 1]).into_owned()
}

/// `YYYY-MM-DD` for a day number (used inside cursors and records).
pub(crate) fn date_string(days: i64) -> String {
    let mut out = Vec::with_capacity(10);
    push_date(&mut out, days);
    String::from_utf8_lossy(&out).into_owned()
}

/// v1 `YYYY-MM-DD HH:MM:SS` text.
pub(crate) fn v1_time_string(ts: i64) -> String {
    let mut out = Vec::with_capacity(22);
    write_v1_time(&mut out, ts);
    String::from_utf8_lossy(&out[1..out.len() - 1]).into_owned()
}

/// Parses `YYYY-MM-DD` as a day number.
pub(crate) fn parse_date(text: &str) -> Option<i64> {
    let s = text.as_bytes();
    if s.len() != 10 || s[4] != b'-' || s[7] != b'-' {
        return None;
    }
    let year = digits(s, 0..4)? as i64;
    let month = digits(s, 5..7)?;
    let day = digits(s, 8..10)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

/// Parses `HH:MM:SS` (or `HH:MM`) as seconds since midnight.
pub(crate) fn parse_clock(text: &str) -> Option<i64> {
    let s = text.as_bytes();
    let (h, m, sec) = match s.len() {
        5 if s[2] == b':' => (digits(s, 0..2)?, digits(s, 3..5)?, 0),
        8 if s[2] == b':' && s[5] == b':' => (digits(s, 0..2)?, digits(s, 3..5)?, digits(s, 6..8)?),
        _ => return None,
    };
    (h < 24 && m < 60 && sec < 60).then_some((h * 3600 + m * 60 + sec) as i64)
}

/// Any timestamp format the API writes: RFC 3339, or v1's
/// `YYYY-MM-DD HH:MM:SS` (UTC, no zone).
pub(crate) fn parse_any_time(text: &str) -> Option<i64> {
    if let Some(ts) = parse_rfc3339(text) {
        return Some(ts);
    }
    let s = text.as_bytes();
    if s.len() == 19 && matches!(s[10], b' ' | b'T') {
        let day = parse_date(&text[..10])?;
        let clock = parse_clock(&text[11..])?;
        return Some(day * SECONDS_PER_DAY + clock);
    }
    None
}

/// An HTTP `Date` header value: `Sun, 06 Nov 1994 08:49:37 GMT`.
pub(crate) fn http_date(ts: i64) -> String {
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = ts.div_euclid(SECONDS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    let secs = ts.rem_euclid(SECONDS_PER_DAY);
    format!(
        "{}, {d:02} {} {y} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[days.rem_euclid(7) as usize],
        MONTHS[(m - 1) as usize],
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// The wall clock as Unix seconds (only for HTTP `Date` headers; generated
/// data never depends on it).
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn digits(s: &[u8], range: std::ops::Range<usize>) -> Option<u32> {
    let part = s.get(range)?;
    let mut v = 0u32;
    for &c in part {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as u32;
    }
    Some(v)
}

/// Parses an RFC 3339 timestamp such as `2025-01-01T10:20:00Z`,
/// `2025-01-01T10:20:00.250+02:00`, or with a space instead of `T`.
///
/// Fractional seconds round *up* to the next whole second. Records carry whole
/// seconds, so for both `updated_since` (`>=`) and `updated_until` (`<`) the
/// rounded-up bound selects exactly the records the precise bound would.
pub(crate) fn parse_rfc3339(text: &str) -> Option<i64> {
    let s = text.as_bytes();
    if s.len() < 20 || s[4] != b'-' || s[7] != b'-' || s[13] != b':' || s[16] != b':' {
        return None;
    }
    if !matches!(s[10], b'T' | b't' | b' ') {
        return None;
    }
    let year = digits(s, 0..4)? as i64;
    let month = digits(s, 5..7)?;
    let day = digits(s, 8..10)?;
    let hour = digits(s, 11..13)?;
    let minute = digits(s, 14..16)?;
    let second = digits(s, 17..19)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut pos = 19;
    let mut round_up = false;
    if s[pos] == b'.' {
        pos += 1;
        let frac_start = pos;
        while pos < s.len() && s[pos].is_ascii_digit() {
            if s[pos] != b'0' {
                round_up = true;
            }
            pos += 1;
        }
        if pos == frac_start {
            return None;
        }
    }
    let offset_seconds: i64 = match s.get(pos) {
        Some(b'Z') | Some(b'z') if pos + 1 == s.len() => 0,
        Some(&sign @ (b'+' | b'-')) if pos + 6 == s.len() && s[pos + 3] == b':' => {
            let oh = digits(s, pos + 1..pos + 3)? as i64;
            let om = digits(s, pos + 4..pos + 6)? as i64;
            if oh > 23 || om > 59 {
                return None;
            }
            let off = oh * 3600 + om * 60;
            if sign == b'+' {
                off
            } else {
                -off
            }
        }
        _ => return None,
    };
    let ts = timestamp(year, month, day, hour, minute, second.min(59)) - offset_seconds;
    Some(if round_up { ts + 1 } else { ts })
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for days in [-800_000, -1, 0, 1, 18_000, 20_000, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn formats() {
        let ts = timestamp(2025, 3, 4, 10, 20, 30);
        assert_eq!(rfc3339_string(ts), "2025-03-04T10:20:30Z");
        let mut v1 = Vec::new();
        write_v1_time(&mut v1, ts);
        assert_eq!(v1, b"\"2025-03-04 10:20:30\"");
        let mut date = Vec::new();
        write_date(&mut date, ts / SECONDS_PER_DAY);
        assert_eq!(date, b"\"2025-03-04\"");
    }

    #[test]
    fn date_table_matches_arithmetic() {
        for days in [
            TABLE_FIRST_DAY - 1,
            TABLE_FIRST_DAY,
            18_000,
            20_089,
            TABLE_FIRST_DAY + TABLE_DAYS as i64,
        ] {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            push_date(&mut a, days);
            compute_date(&mut b, days);
            assert_eq!(a, b);
        }
        assert_eq!(date_table()[0], *b"1990-01-01");
        assert_eq!(date_table()[TABLE_DAYS - 1], *b"2049-12-31");
    }

    #[test]
    fn other_formats() {
        let ts = timestamp(2025, 3, 4, 10, 20, 30);
        assert_eq!(parse_any_time("2025-03-04 10:20:30"), Some(ts));
        assert_eq!(parse_any_time("2025-03-04T10:20:30Z"), Some(ts));
        assert_eq!(parse_any_time(&v1_time_string(ts)), Some(ts));
        assert_eq!(parse_date("2025-03-04"), Some(ts / SECONDS_PER_DAY));
        assert_eq!(date_string(ts / SECONDS_PER_DAY), "2025-03-04");
        assert_eq!(parse_date("2025-02-30"), None);
        assert_eq!(parse_clock("15:00:00"), Some(54_000));
        assert_eq!(parse_clock("15:00"), Some(54_000));
        assert_eq!(parse_clock("25:00"), None);
    }

    #[test]
    fn parsing() {
        let ts = timestamp(2025, 1, 1, 10, 20, 0);
        assert_eq!(parse_rfc3339("2025-01-01T10:20:00Z"), Some(ts));
        assert_eq!(parse_rfc3339("2025-01-01 10:20:00Z"), Some(ts));
        assert_eq!(parse_rfc3339("2025-01-01T12:20:00+02:00"), Some(ts));
        assert_eq!(parse_rfc3339("2025-01-01T10:20:00.000Z"), Some(ts));
        assert_eq!(parse_rfc3339("2025-01-01T10:19:59.5Z"), Some(ts));
        for bad in [
            "",
            "2025-01-01",
            "2025-13-01T00:00:00Z",
            "2025-02-30T00:00:00Z",
            "2025-01-01T00:00:00",
            "x025-01-01T00:00:00Z",
            "2025-01-01T00:00:00+0200",
            "2025-01-01T00:00:00.Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }
}
