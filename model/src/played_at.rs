//! When a score was played: `playedAt`, an RFC 3339 time in UTC.
//!
//! # What is accepted
//!
//! `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+00:00)`, RFC 3339's `date-time` restricted to UTC:
//! `T` and `Z` in either case (RFC 3339 allows `t` and `z`); the offset `Z`, `+00:00` or
//! `-00:00` (any other offset is refused, not converted: the API speaks UTC only); a
//! fraction of 1 to 9 digits, kept to the millisecond (further digits are cut, never
//! rounded up, so a time never moves later); a real calendar date (`2025-02-29` is not
//! one) from `1970-01-01T00:00:00Z` on; seconds `00` to `59` (a leap second `60` is
//! refused: Unix time has none).
//!
//! # How it is written
//!
//! One canonical form, whatever was sent: `YYYY-MM-DDTHH:MM:SS.sssZ`, always three digits
//! of milliseconds and `Z`, as JavaScript's `Date.prototype.toISOString` writes it. So
//! `2026-05-04T18:30:00+00:00` is stored and answered as `2026-05-04T18:30:00.000Z`, and
//! two sendings of the same instant are the same text.
//!
//! Invariant: a [`PlayedAt`] always holds an instant from [`PlayedAt::MIN`] to
//! [`PlayedAt::MAX`] at millisecond precision; [`PlayedAt::parse`] of its `Display` is
//! itself. The model reads no clock: "now" is always given ([`PlayedAt::check_not_ahead_of`]).

use std::fmt;

use serde::de::{Deserializer, Error as _, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::text::Excerpt;

/// How far ahead of the server's clock a posted `playedAt` may be: the clock skew between a
/// game server and the function that is tolerated (5 minutes). Anything later is refused.
pub const MAX_CLOCK_SKEW_MILLIS: u64 = 5 * 60 * 1000;

const MILLIS_PER_DAY: u64 = 86_400_000;
/// Days from 0000-03-01 to 1970-01-01 in the proleptic Gregorian calendar (the epoch of
/// [`days_from_civil`]).
const UNIX_EPOCH_DAYS: i64 = 719_468;

/// An instant a score was played, in milliseconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PlayedAt(u64);

/// Why a `playedAt` is refused. `Display` completes the sentence "playedAt …".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlayedAtError {
    /// Not of the form `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (the text sent, cut if long).
    Malformed(String),
    /// An offset other than `Z`, `+00:00`, `-00:00` (the offset sent).
    NotUtc(String),
    /// Well formed, but no such date or time of day (`2025-02-29`, `24:00:00`).
    NoSuchTime(String),
    /// Before 1970-01-01T00:00:00Z.
    BeforeEpoch,
    /// Later than the server's clock plus [`MAX_CLOCK_SKEW_MILLIS`] (the clock's time).
    InTheFuture { now: PlayedAt },
}

impl fmt::Display for PlayedAtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlayedAtError::Malformed(text) => write!(
                f,
                "must be an RFC 3339 time in UTC such as 2026-05-04T18:30:00Z, got {:?}",
                Excerpt(text)
            ),
            PlayedAtError::NotUtc(offset) => write!(
                f,
                "must be in UTC (ending in Z or +00:00), got the offset {:?}",
                Excerpt(offset)
            ),
            PlayedAtError::NoSuchTime(text) => {
                write!(f, "must be a real date and time, got {:?}", Excerpt(text))
            }
            PlayedAtError::BeforeEpoch => {
                write!(f, "must be {} or later", PlayedAt::MIN)
            }
            PlayedAtError::InTheFuture { now } => write!(
                f,
                "must not be more than {} minutes ahead of the server's clock ({now})",
                MAX_CLOCK_SKEW_MILLIS / 60_000
            ),
        }
    }
}

impl std::error::Error for PlayedAtError {}

/// The number `bytes[range]` writes when each of its bytes is an ASCII digit (`None`
/// otherwise): the fixed-width fields of a date or time, a few digits each (no overflow).
pub(crate) fn digits(bytes: &[u8], range: std::ops::Range<usize>) -> Option<u64> {
    bytes.get(range)?.iter().try_fold(0u64, |value, &b| {
        b.is_ascii_digit().then(|| value * 10 + u64::from(b - b'0'))
    })
}

impl PlayedAt {
    /// 1970-01-01T00:00:00.000Z.
    pub const MIN: PlayedAt = PlayedAt(0);
    /// 9999-12-31T23:59:59.999Z, the last instant RFC 3339's four-digit years can write.
    pub const MAX: PlayedAt = PlayedAt(253_402_300_799_999);

    /// The instant `millis` milliseconds after the Unix epoch; `None` past [`PlayedAt::MAX`].
    pub fn from_unix_millis(millis: u64) -> Option<PlayedAt> {
        (millis <= PlayedAt::MAX.0).then_some(PlayedAt(millis))
    }

    /// Milliseconds since 1970-01-01T00:00:00Z.
    pub fn unix_millis(self) -> u64 {
        self.0
    }

    /// Reads a `playedAt` under the rules of the module docs.
    pub fn parse(text: &str) -> Result<PlayedAt, PlayedAtError> {
        let malformed = || PlayedAtError::Malformed(text.to_string());
        let bytes = text.as_bytes();
        // YYYY-MM-DDTHH:MM:SS is 19 bytes, each in a fixed place.
        let (head, rest) = (bytes.get(..19).ok_or_else(malformed)?, &bytes[19..]);
        let digits = |range: std::ops::Range<usize>| digits(head, range);
        let separators_fit = head[4] == b'-'
            && head[7] == b'-'
            && matches!(head[10], b'T' | b't')
            && head[13] == b':'
            && head[16] == b':';
        let fields = (
            digits(0..4),
            digits(5..7),
            digits(8..10),
            digits(11..13),
            digits(14..16),
            digits(17..19),
        );
        let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = fields
        else {
            return Err(malformed());
        };
        if !separators_fit {
            return Err(malformed());
        }
        let (millis, offset) = match rest.split_first() {
            Some((b'.', fraction_and_offset)) => {
                let count = fraction_and_offset
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                if !(1..=9).contains(&count) {
                    return Err(malformed());
                }
                let millis = fraction_and_offset[..count]
                    .iter()
                    .chain([b'0', b'0'].iter())
                    .take(3)
                    .fold(0u64, |value, &b| value * 10 + u64::from(b - b'0'));
                (millis, &fraction_and_offset[count..])
            }
            _ => (0, rest),
        };
        match offset {
            b"Z" | b"z" | b"+00:00" | b"-00:00" => {}
            [b'+' | b'-', h1, h2, b':', m1, m2]
                if [h1, h2, m1, m2].iter().all(|b| b.is_ascii_digit()) =>
            {
                // ASCII bytes, each a char: not decoded, nor sliced out of `text` by a
                // panicking index (size rule "no panicking string slices").
                return Err(PlayedAtError::NotUtc(
                    offset.iter().copied().map(char::from).collect(),
                ));
            }
            _ => return Err(malformed()),
        }
        let no_such_time = || PlayedAtError::NoSuchTime(text.to_string());
        if !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 59
        {
            return Err(no_such_time());
        }
        if year < 1970 {
            return Err(PlayedAtError::BeforeEpoch);
        }
        let days = days_from_civil(year as i64, month, day) - UNIX_EPOCH_DAYS;
        let days = u64::try_from(days).map_err(|_| PlayedAtError::BeforeEpoch)?;
        let millis = days * MILLIS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
        PlayedAt::from_unix_millis(millis).ok_or_else(no_such_time)
    }

    /// Midnight (UTC) starting the date `year-month-day`; `None` for no such date or one
    /// outside [`PlayedAt::MIN`]..=[`PlayedAt::MAX`].
    pub(crate) fn from_date(year: i64, month: u64, day: u64) -> Option<PlayedAt> {
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year as u64, month) {
            return None;
        }
        let days = u64::try_from(days_from_civil(year, month, day) - UNIX_EPOCH_DAYS).ok()?;
        PlayedAt::from_unix_millis(days.checked_mul(MILLIS_PER_DAY)?)
    }

    /// The (year, month, day) of this instant's UTC date.
    pub(crate) fn date(self) -> (i64, u64, u64) {
        civil_from_days((self.0 / MILLIS_PER_DAY) as i64 + UNIX_EPOCH_DAYS)
    }

    /// Whole days since 1970-01-01 (a Thursday).
    pub(crate) fn unix_days(self) -> u64 {
        self.0 / MILLIS_PER_DAY
    }

    /// Refuses a time more than [`MAX_CLOCK_SKEW_MILLIS`] after `now` (the server's clock).
    pub fn check_not_ahead_of(self, now: PlayedAt) -> Result<PlayedAt, PlayedAtError> {
        if self.0 > now.0.saturating_add(MAX_CLOCK_SKEW_MILLIS) {
            Err(PlayedAtError::InTheFuture { now })
        } else {
            Ok(self)
        }
    }
}

fn is_leap_year(year: u64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 0000-03-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`, shifted so that the count is never negative for years from 0).
fn days_from_civil(year: i64, month: u64, day: u64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = month as i64;
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day as i64 - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era
}

/// The date of a day count from 0000-03-01 (the inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, u64, u64) {
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month as u64, day as u64)
}

impl fmt::Display for PlayedAt {
    /// The canonical form, `YYYY-MM-DDTHH:MM:SS.sssZ`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = (self.0 / MILLIS_PER_DAY) as i64 + UNIX_EPOCH_DAYS;
        let (year, month, day) = civil_from_days(days);
        // Unsigned (every PlayedAt is from 1970 on): the widget's wasm then formats one
        // integer type, not i64 as well.
        let year = year.unsigned_abs();
        let in_day = self.0 % MILLIS_PER_DAY;
        let (seconds, millis) = (in_day / 1000, in_day % 1000);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60
        )
    }
}

impl Serialize for PlayedAt {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PlayedAt {
    /// The rules of [`PlayedAt::parse`] (no clock: the future is not checked here).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimeVisitor;
        impl Visitor<'_> for TimeVisitor {
            type Value = PlayedAt;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 time in UTC")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<PlayedAt, E> {
                PlayedAt::parse(text).map_err(|e| E::custom(format_args!("playedAt {e}")))
            }
        }
        deserializer
            .deserialize_str(TimeVisitor)
            .map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> PlayedAt {
        PlayedAt::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn every_accepted_spelling_of_an_instant_reads_as_it_and_writes_one_form() {
        let canonical = "2026-05-04T18:30:00.000Z";
        for text in [
            "2026-05-04T18:30:00Z",
            "2026-05-04t18:30:00z",
            "2026-05-04T18:30:00+00:00",
            "2026-05-04T18:30:00-00:00",
            "2026-05-04T18:30:00.0Z",
            "2026-05-04T18:30:00.000000000Z",
            canonical,
        ] {
            assert_eq!(at(text).to_string(), canonical, "{text}");
        }
        assert_eq!(at(canonical).unix_millis(), 1_777_919_400_000);
        assert_eq!(
            at("2026-05-04T18:30:00.5Z").to_string(),
            "2026-05-04T18:30:00.500Z"
        );
        // Digits past the millisecond are cut, never rounded up.
        assert_eq!(
            at("2026-12-31T23:59:59.999999999Z").to_string(),
            "2026-12-31T23:59:59.999Z"
        );
    }

    #[test]
    fn the_bounds_are_the_epoch_and_the_last_four_digit_year() {
        assert_eq!(at("1970-01-01T00:00:00Z"), PlayedAt::MIN);
        assert_eq!(PlayedAt::MIN.to_string(), "1970-01-01T00:00:00.000Z");
        assert_eq!(at("9999-12-31T23:59:59.999Z"), PlayedAt::MAX);
        assert_eq!(PlayedAt::MAX.to_string(), "9999-12-31T23:59:59.999Z");
        assert_eq!(
            PlayedAt::from_unix_millis(PlayedAt::MAX.unix_millis() + 1),
            None
        );
        assert_eq!(
            PlayedAt::parse("1969-12-31T23:59:59.999Z"),
            Err(PlayedAtError::BeforeEpoch)
        );
        assert_eq!(
            PlayedAtError::BeforeEpoch.to_string(),
            "must be 1970-01-01T00:00:00.000Z or later"
        );
    }

    #[test]
    fn calendar_dates_are_checked_leap_years_included() {
        assert_eq!(
            at("2024-02-29T00:00:00Z").to_string(),
            "2024-02-29T00:00:00.000Z"
        );
        assert_eq!(
            at("2000-02-29T12:00:00Z").to_string(),
            "2000-02-29T12:00:00.000Z"
        );
        for text in [
            "2025-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-00-10T00:00:00Z",
            "2026-01-00T00:00:00Z",
            "2026-01-01T24:00:00Z",
            "2026-01-01T23:60:00Z",
            "2016-12-31T23:59:60Z",
        ] {
            assert_eq!(
                PlayedAt::parse(text),
                Err(PlayedAtError::NoSuchTime(text.to_string())),
                "{text}"
            );
        }
    }

    #[test]
    fn every_day_from_the_epoch_writes_and_reads_back_as_itself() {
        // Every day of 1970..2100 and a sample beyond: the calendar arithmetic both ways.
        let days = (0..47_500u64).chain((47_500..2_932_896).step_by(997));
        for day in days {
            let instant = PlayedAt(day * MILLIS_PER_DAY + 45_296_789);
            assert_eq!(at(&instant.to_string()), instant, "{instant}");
        }
    }

    #[test]
    fn malformed_and_non_utc_times_are_refused_with_their_reason() {
        for text in [
            "",
            "2026-05-04",
            "2026-05-04 18:30:00Z",
            "2026-05-04T18:30:00",
            "2026-05-04T18:30Z",
            "2026-5-04T18:30:00Z",
            "2026-05-04T18:30:00.Z",
            "2026-05-04T18:30:00.1234567890Z",
            "2026-05-04T18:30:00ZZ",
            "2026-05-04T18:30:00+0000",
            "+2026-05-04T18:30:00Z",
            "２０２６-05-04T18:30:00Z",
            "1777919400",
        ] {
            assert_eq!(
                PlayedAt::parse(text),
                Err(PlayedAtError::Malformed(text.to_string())),
                "{text:?}"
            );
        }
        assert_eq!(
            PlayedAt::parse("2026-05-04T20:30:00+02:00"),
            Err(PlayedAtError::NotUtc("+02:00".to_string()))
        );
        assert_eq!(
            PlayedAtError::NotUtc("+02:00".to_string()).to_string(),
            "must be in UTC (ending in Z or +00:00), got the offset \"+02:00\""
        );
        assert_eq!(
            PlayedAt::parse("yesterday").unwrap_err().to_string(),
            "must be an RFC 3339 time in UTC such as 2026-05-04T18:30:00Z, got \"yesterday\""
        );
    }

    #[test]
    fn the_future_is_refused_past_the_clock_skew_tolerance_of_the_given_now() {
        let now = at("2026-05-04T18:30:00Z");
        assert_eq!(
            at("2026-05-04T18:35:00Z").check_not_ahead_of(now),
            Ok(at("2026-05-04T18:35:00Z"))
        );
        assert_eq!(
            at("2020-01-01T00:00:00Z").check_not_ahead_of(now),
            Ok(at("2020-01-01T00:00:00Z"))
        );
        let late = at("2026-05-04T18:35:00.001Z").check_not_ahead_of(now);
        assert_eq!(late, Err(PlayedAtError::InTheFuture { now }));
        assert_eq!(
            late.unwrap_err().to_string(),
            "must not be more than 5 minutes ahead of the server's clock (2026-05-04T18:30:00.000Z)"
        );
        assert_eq!(
            PlayedAt::MAX.check_not_ahead_of(PlayedAt::MAX),
            Ok(PlayedAt::MAX)
        );
    }

    #[test]
    fn serde_writes_the_canonical_form_and_reads_by_the_rules() {
        let instant: PlayedAt = serde_json::from_str("\"2026-05-04T18:30:00+00:00\"").unwrap();
        assert_eq!(
            serde_json::to_string(&instant).unwrap(),
            "\"2026-05-04T18:30:00.000Z\""
        );
        let error = serde_json::from_str::<PlayedAt>("\"2026-05-04\"").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("playedAt must be an RFC 3339 time"),
            "{error}"
        );
        assert!(serde_json::from_str::<PlayedAt>("5").is_err());
    }
}
