//! Times as the pages show them: a machine-readable instant for `<time datetime>` (which the page's script turns
//! into the reader's local time) and a UTC text that reads well without the script.

/// An instant for a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Date {
    /// RFC 3339 in UTC, e.g. `2026-12-01T20:46:00Z`.
    pub iso: String,
    /// E.g. `1 Dec 2026, 20:46 UTC`.
    pub text: String,
}

/// Whether `text` reads as an ISO 8601 date or instant (`2026-11-28`, `2026-11-28T07:30:00Z`), which a browser can
/// show in the reader's own time.
pub fn looks_iso(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// `seconds` since the Unix epoch as a [`Date`].
pub fn date(seconds: i64) -> Date {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    let (h, min, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let month = MONTHS[(m - 1).clamp(0, 11) as usize];
    Date {
        iso: format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}Z"),
        text: format!("{d} {month} {y}, {h:02}:{min:02} UTC"),
    }
}

/// Days since 1970-01-01 -> (year, month 1–12, day 1–31), proleptic Gregorian (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_in_utc() {
        assert_eq!(date(0).iso, "1970-01-01T00:00:00Z");
        let d = date(1_796_157_960);
        assert_eq!(d.iso, "2026-12-01T20:46:00Z");
        assert_eq!(d.text, "1 Dec 2026, 20:46 UTC");
        assert_eq!(date(951_782_400).iso, "2000-02-29T00:00:00Z", "leap day");
        assert_eq!(date(-1).iso, "1969-12-31T23:59:59Z");
        assert!(looks_iso("2026-11-28T07:30:00Z") && looks_iso("2026-11-28"));
        assert!(!looks_iso("28 November 2026") && !looks_iso("2026"));
    }
}
