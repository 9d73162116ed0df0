//! Parsing of the `Retry-After` response header (RFC 9110 §10.2.3).
//!
//! The header holds either `delta-seconds` (`1*DIGIT`) or an HTTP-date in one of the three
//! forms of RFC 9110 §5.6.7: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete
//! RFC 850 form (`Sunday, 06-Nov-94 08:49:37 GMT`) and ANSI C asctime
//! (`Sun Nov  6 08:49:37 1994`). Everything here is pure and total: no JS types, no clock
//! reads (the caller passes `now`), and no panics on any input.

use super::text::{pieces, trim_ows};

const MS_PER_DAY: f64 = 86_400_000.0;
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const LONG_DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// Parses a `Retry-After` header value into a wait in milliseconds, relative to `now_unix_ms`
/// (the current wall-clock time, ms since the Unix epoch, as JS `Date.now()` gives it).
///
/// `delta-seconds` saturates instead of overflowing (the caller compares against its own
/// maximum); an HTTP-date gives `max(0, date - now)`, so a date in the past gives `Some(0.0)`.
/// Surrounding whitespace is ignored.
/// Returns None when the value is neither delta-seconds nor an HTTP-date.
#[must_use]
pub fn parse_retry_after(value: &str, now_unix_ms: f64) -> Option<f64> {
    // HTTP's optional whitespace is spaces and tabs; `str::trim` would also bring Unicode's
    // whitespace tables into the wasm.
    let value = trim_ows(value);
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        let secs = value.bytes().fold(0u64, |acc, b| {
            acc.saturating_mul(10).saturating_add(u64::from(b - b'0'))
        });
        return Some(secs as f64 * 1000.0);
    }
    let date = http_date_to_unix_ms(value, now_unix_ms)?;
    // `f64::max` ignores a NaN operand, so a non-finite `now` cannot leak a NaN wait.
    Some((date - now_unix_ms).max(0.0))
}

/// Parses an HTTP-date (IMF-fixdate, RFC 850 or asctime) into ms since the Unix epoch.
///
/// `now_unix_ms` is only used for the RFC 850 two-digit year: as RFC 9110 §5.6.7 requires,
/// a year that would put the date more than 50 years after `now` is taken as the most recent
/// past year with the same last two digits. Names are matched case-insensitively and the
/// day-name must be a known (short or long) name but need not match the date; ranges are
/// validated (including leap years), and a leap second `:60` counts as `:59`.
/// Returns None for anything else.
#[must_use]
pub fn http_date_to_unix_ms(value: &str, now_unix_ms: f64) -> Option<f64> {
    let parts: Vec<&str> = value.split_ascii_whitespace().collect();
    // `two_digit` marks an RFC 850 year that still needs its century.
    let (weekday, day, month, year, two_digit, time) = match parts.as_slice() {
        // IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`
        [wd, d, mon, y, t, gmt] if is_gmt(gmt) => (wd.strip_suffix(",")?, *d, *mon, *y, false, *t),
        // RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT` (a four-digit year is accepted too)
        [wd, date, t, gmt] if is_gmt(gmt) => {
            let mut it = pieces(date, b'-');
            let (d, mon, y) = (it.next()?, it.next()?, it.next()?);
            if it.next().is_some() {
                return None;
            }
            (wd.strip_suffix(",")?, d, mon, y, y.len() == 2, *t)
        }
        // asctime: `Sun Nov  6 08:49:37 1994`
        [wd, mon, d, t, y] => (*wd, *d, *mon, *y, false, *t),
        _ => return None,
    };
    if !DAYS
        .iter()
        .chain(&LONG_DAYS)
        .any(|n| n.eq_ignore_ascii_case(weekday))
    {
        return None;
    }
    let day = digits(day, 1, 2)?;
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month))? as u32 + 1;
    let mut year = i64::from(if two_digit {
        digits(year, 2, 2)?
    } else {
        digits(year, 4, 4)?
    });
    let mut hms = pieces(time, b':');
    let (h, m, s) = (hms.next()?, hms.next()?, hms.next()?);
    let (h, m, s) = (digits(h, 2, 2)?, digits(m, 2, 2)?, digits(s, 2, 2)?);
    if hms.next().is_some() || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let second_of_day = i64::from(h * 3600 + m * 60 + s.min(59));
    let to_ms = |y: i64| (days_from_civil(y, month, day) * 86_400 + second_of_day) as f64 * 1000.0;
    if two_digit {
        // The latest year ending in `yy` that does not put the date over 50 years after now.
        let limit = now_unix_ms + 50.0 * 365.2425 * MS_PER_DAY;
        let hi = year_of_unix_ms(limit);
        year = hi - (hi - year).rem_euclid(100);
        if to_ms(year) > limit {
            year -= 100;
        }
    }
    if day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(to_ms(year))
}

fn is_gmt(s: &str) -> bool {
    s.eq_ignore_ascii_case("GMT")
}

/// `s` as a number if it is `min..=max` ASCII digits (at most 4, so it fits a `u32`).
fn digits(s: &str, min: usize, max: usize) -> Option<u32> {
    // Every caller asks for 1 to 4 digits, which neither overflow nor are empty.
    debug_assert!(min >= 1 && max <= 9);
    if !(min..=max).contains(&s.len()) {
        return None;
    }
    s.bytes().try_fold(0, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let mp = i64::from((month + 9) % 12); // March = 0
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// `(year, month, day)` of a count of days since 1970-01-01 (Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// The calendar year of a Unix time in ms; non-finite or absurd times are clamped.
#[allow(clippy::manual_clamp)] // f64::clamp's assertion message would pull in float formatting.
fn year_of_unix_ms(ms: f64) -> i64 {
    // NaN counts as the epoch; the bounds (±2.7 billion years) keep the day arithmetic far from
    // overflow. max/min rather than `f64::clamp`, whose assertion would pull in float formatting.
    let days = (ms / MS_PER_DAY).floor();
    let days = if days.is_nan() {
        0
    } else {
        days.max(-1e12).min(1e12) as i64
    };
    civil_from_days(days).0
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `Sun, 06 Nov 1994 08:49:37 GMT`, the RFC 9110 example date.
    const RFC_EXAMPLE_MS: f64 = 784_111_777_000.0;
    /// 2024-01-01T00:00:00Z.
    const NOW_2024: f64 = 1_704_067_200_000.0;

    /// (IMF-fixdate, RFC 850, asctime) renderings of a Unix time in seconds.
    fn formats(secs: i64) -> (String, String, String) {
        let days = secs.div_euclid(86_400);
        let sod = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let wd = (days + 4).rem_euclid(7) as usize; // 1970-01-01 was a Thursday
        let (mon, hms) = (
            MONTHS[m as usize - 1],
            format!("{:02}:{:02}:{:02}", sod / 3600, sod / 60 % 60, sod % 60),
        );
        (
            format!("{}, {d:02} {mon} {y:04} {hms} GMT", DAYS[wd]),
            format!("{}, {d:02}-{mon}-{:02} {hms} GMT", LONG_DAYS[wd], y % 100),
            format!("{} {mon} {d:>2} {hms} {y:04}", DAYS[wd]),
        )
    }

    #[test]
    fn rfc_examples_in_all_three_formats() {
        for v in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(
                http_date_to_unix_ms(v, NOW_2024),
                Some(RFC_EXAMPLE_MS),
                "{v}"
            );
            assert_eq!(
                parse_retry_after(v, RFC_EXAMPLE_MS - 1500.0),
                Some(1500.0),
                "{v}"
            );
        }
        assert_eq!(formats(784_111_777).0, "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(formats(784_111_777).2, "Sun Nov  6 08:49:37 1994");
        // RFC 9110 §10.2.3
        assert_eq!(parse_retry_after("120", NOW_2024), Some(120_000.0));
        assert_eq!(
            parse_retry_after("Fri, 31 Dec 1999 23:59:59 GMT", NOW_2024),
            Some(0.0)
        );
        assert_eq!(
            http_date_to_unix_ms("Fri, 31 Dec 1999 23:59:59 GMT", NOW_2024),
            Some(946_684_799_000.0)
        );
    }

    #[test]
    fn delta_seconds() {
        assert_eq!(parse_retry_after("0", NOW_2024), Some(0.0));
        assert_eq!(parse_retry_after(" \t120 ", NOW_2024), Some(120_000.0));
        assert_eq!(parse_retry_after("007", NOW_2024), Some(7000.0));
        let huge = parse_retry_after("99999999999999999999999999999", NOW_2024);
        assert_eq!(huge, Some(u64::MAX as f64 * 1000.0));
        for bad in ["-1", "+1", "1.5", "1e3", "", "   ", "abc", "12 3", "１２"] {
            assert_eq!(parse_retry_after(bad, NOW_2024), None, "{bad:?}");
        }
    }

    #[test]
    fn dates_are_validated() {
        let ok = |v: &str| http_date_to_unix_ms(v, NOW_2024).is_some();
        assert!(ok("  sun, 06 nov 1994 08:49:37 gmt  "));
        assert!(ok("Thu, 29 Feb 2024 00:00:00 GMT"));
        assert!(ok("Tue, 29 Feb 2000 00:00:00 GMT"));
        assert!(
            ok("Mon, 06 Nov 1994 08:49:37 GMT"),
            "day-name need not match"
        );
        for bad in [
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 31 Nov 1994 08:49:37 GMT",
            "Sun, 00 Nov 1994 08:49:37 GMT",
            "Wed, 29 Feb 2023 08:49:37 GMT",
            "Thu, 29 Feb 1900 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Xyz, 06 Nov 1994 08:49:37 GMT",
            "Sun 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:60:37 GMT",
            "Sun, 06 Nov 1994 08:49:61 GMT",
            "Sun, 06 Nov 1994 8:49:37 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Sun, 06 Nov 1994 08:49:37:00 GMT",
            "Sun, 06 Nov 94 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Nov 1994 08:49:37",
            "Sunday, 06-Nov-94-1 08:49:37 GMT",
            "Sunday, 06-Nov-994 08:49:37 GMT",
            "Sun Nov 31 08:49:37 1994",
            "Sun Nov  6 08:49:37 94",
            "Sun, 06 Nov 1994 08:49:37 GMT extra",
        ] {
            assert_eq!(http_date_to_unix_ms(bad, NOW_2024), None, "{bad:?}");
            assert_eq!(parse_retry_after(bad, NOW_2024), None, "{bad:?}");
        }
    }

    #[test]
    fn leap_second_counts_as_59() {
        let a = http_date_to_unix_ms("Sat, 31 Dec 2016 23:59:60 GMT", NOW_2024);
        assert_eq!(
            a,
            http_date_to_unix_ms("Sat, 31 Dec 2016 23:59:59 GMT", NOW_2024)
        );
    }

    #[test]
    fn past_and_future_dates() {
        let at = http_date_to_unix_ms("Mon, 01 Jan 2024 00:01:30 GMT", 0.0);
        assert_eq!(at, Some(NOW_2024 + 90_000.0));
        assert_eq!(
            parse_retry_after("Mon, 01 Jan 2024 00:01:30 GMT", NOW_2024),
            Some(90_000.0)
        );
        assert_eq!(
            parse_retry_after("Sun, 31 Dec 2023 23:59:59 GMT", NOW_2024),
            Some(0.0)
        );
        assert_eq!(
            parse_retry_after("Mon, 01 Jan 2024 00:00:00 GMT", NOW_2024),
            Some(0.0)
        );
        assert_eq!(
            parse_retry_after("Mon, 01 Jan 2024 00:00:01 GMT", f64::NAN),
            Some(0.0)
        );
    }

    #[test]
    fn rfc850_two_digit_years() {
        let year = |v: &str, now: f64| {
            let ms = http_date_to_unix_ms(v, now).expect(v);
            civil_from_days((ms / MS_PER_DAY).floor() as i64).0
        };
        assert_eq!(year("Sunday, 06-Nov-94 08:49:37 GMT", NOW_2024), 1994);
        assert_eq!(year("Monday, 01-Jan-30 00:00:00 GMT", NOW_2024), 2030);
        assert_eq!(year("Monday, 01-Jan-73 00:00:00 GMT", NOW_2024), 2073);
        assert_eq!(year("Monday, 01-Jun-74 00:00:00 GMT", NOW_2024), 1974); // > 50 years ahead
        assert_eq!(year("Monday, 01-Jan-75 00:00:00 GMT", NOW_2024), 1975);
        assert_eq!(year("Monday, 01-Jan-00 00:00:00 GMT", NOW_2024), 2000);
        // from 1960, "00" is 40 years ahead and "11" 51 years ahead
        assert_eq!(
            year("Monday, 01-Jan-00 00:00:00 GMT", -315_619_200_000.0),
            2000
        );
        assert_eq!(
            year("Monday, 01-Jan-11 00:00:00 GMT", -315_619_200_000.0),
            1911
        );
        assert_eq!(year("Sunday, 06-Nov-1994 08:49:37 GMT", 0.0), 1994);
        // 29 Feb is only valid once the century is chosen: 2000 is leap, 1900 is not
        assert!(http_date_to_unix_ms("Tuesday, 29-Feb-00 00:00:00 GMT", NOW_2024).is_some());
        assert!(
            http_date_to_unix_ms("Thursday, 29-Feb-00 00:00:00 GMT", -2_208_988_800_000.0)
                .is_none()
        );
    }

    #[test]
    fn civil_round_trip() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
            assert!((1..=days_in_month(y, m)).contains(&d));
        }
    }

    proptest! {
        #[test]
        fn never_panics(s in any::<String>(), now in any::<f64>()) {
            let _ = parse_retry_after(&s, now);
            let _ = http_date_to_unix_ms(&s, now);
        }

        #[test]
        fn never_panics_on_date_like_input(
            s in "[A-Za-z]{0,9},? ?[0-9]{0,3}[ -]?[A-Za-z]{0,4}[ -]?[0-9]{0,5} [0-9:]{0,9} ?[GMT0-9]{0,4}",
            now in any::<f64>(),
        ) {
            let _ = parse_retry_after(&s, now);
        }

        #[test]
        fn delta_seconds_round_trip(n in any::<u32>(), now in any::<f64>()) {
            prop_assert_eq!(parse_retry_after(&n.to_string(), now), Some(f64::from(n) * 1000.0));
        }

        #[test]
        fn imf_fixdate_round_trip(
            ts in 0i64..7_258_118_400, // 1970-01-01 .. 2200-01-01
            d in 0i64..100_000_000,
            frac in 0.0f64..1000.0,
        ) {
            let (imf, rfc850, asctime) = formats(ts);
            let now = (ts - d) as f64 * 1000.0 - frac;
            let wait = parse_retry_after(&imf, now).expect("parses");
            prop_assert!((wait - d as f64 * 1000.0).abs() < 1000.0, "{} -> {}", imf, wait);
            prop_assert_eq!(http_date_to_unix_ms(&imf, now), Some(ts as f64 * 1000.0));
            prop_assert_eq!(http_date_to_unix_ms(&asctime, now), Some(ts as f64 * 1000.0));
            prop_assert_eq!(http_date_to_unix_ms(&rfc850, now), Some(ts as f64 * 1000.0));
        }
    }
}
