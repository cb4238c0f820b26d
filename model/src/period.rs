//! Boards that reset: `period` (all time, or a calendar day, ISO week or month in UTC), the
//! `at` that names a past one, how long past periods stay readable (the retention), and
//! `view` (every score, or each player's best).
//!
//! # The rules
//!
//! - A period is half-open, `[start, end)`, in UTC: a day from 00:00; an ISO week from
//!   Monday 00:00 (so a year's last days may belong to week 1 of the next ISO year, and a
//!   year may have 53 weeks: the calendar does this, not a rule here); a month from the 1st.
//! - A score belongs to the period holding its `playedAt`; a score without one (the
//!   original documents) belongs to all time only.
//! - `at` (a date `YYYY-MM-DD`, or a time under `playedAt`'s rules) names the period holding
//!   that instant. The period must have started (`at` not after now) and be retained: the
//!   current one and the [`Retention`] − 1 before it. Without `at`, the current period.
//! - A query is *resolved* against the server's clock ([`LeaderboardQuery::resolve_period`]):
//!   `at` becomes the start of the period it names, so the canonical query string (what
//!   ETags and caches key on) names the period, and a board changes its key at the boundary
//!   by itself.
//!
//! The model reads no clock: "now" is always given.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::played_at::digits;
use crate::{LeaderboardQuery, PlayedAt, PlayedAtError, QueryError, QueryErrorKind};

/// `period`: which scores count, by when they were played.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PeriodKind {
    /// Every score, timed or not: the original board.
    #[default]
    All,
    /// One UTC calendar day.
    Day,
    /// One ISO week, Monday 00:00 UTC to the next Monday.
    Week,
    /// One UTC calendar month.
    Month,
}

impl PeriodKind {
    pub const ALL: [PeriodKind; 4] = [
        PeriodKind::All,
        PeriodKind::Day,
        PeriodKind::Week,
        PeriodKind::Month,
    ];
    /// The kinds that reset, shortest first.
    pub const RESETTING: [PeriodKind; 3] = [PeriodKind::Day, PeriodKind::Week, PeriodKind::Month];

    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::All => "all",
            PeriodKind::Day => "day",
            PeriodKind::Week => "week",
            PeriodKind::Month => "month",
        }
    }

    pub fn is_all(&self) -> bool {
        *self == PeriodKind::All
    }
}

impl fmt::Display for PeriodKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PeriodKind {
    type Err = QueryError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PeriodKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| QueryError::new("period", QueryErrorKind::UnknownPeriod(s.to_string())))
    }
}

/// `view`: every score document, or one row per player.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum View {
    /// Every score in the selection (the original's board).
    #[default]
    Scores,
    /// Each player once, with their best score in the selection (mode, region, period):
    /// the first of their scores in leaderboard order (score desc, id asc). Ranks, sorts,
    /// `q` and `around` apply to these rows as to scores.
    Best,
}

impl View {
    pub const ALL: [View; 2] = [View::Scores, View::Best];

    pub fn as_str(self) -> &'static str {
        match self {
            View::Scores => "scores",
            View::Best => "best",
        }
    }

    pub fn is_scores(&self) -> bool {
        *self == View::Scores
    }
}

impl fmt::Display for View {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for View {
    type Err = QueryError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        View::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| QueryError::new("view", QueryErrorKind::UnknownView(s.to_string())))
    }
}

/// One day, ISO week or month: `[start, end)` in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    /// Never [`PeriodKind::All`].
    kind: PeriodKind,
    start: PlayedAt,
    end: PlayedAt,
}

impl Period {
    /// The period of `kind` holding `instant`; `None` for [`PeriodKind::All`] (no bounds) or
    /// past the last period [`PlayedAt`] can write.
    pub fn containing(kind: PeriodKind, instant: PlayedAt) -> Option<Period> {
        let (year, month, _) = instant.date();
        let days = instant.unix_days();
        let start = match kind {
            PeriodKind::All => return None,
            PeriodKind::Day => PlayedAt::from_unix_millis(days * MILLIS_PER_DAY)?,
            // 1970-01-01 was a Thursday: Monday is 3 days after it, so a week starts where
            // (days - 4) is a multiple of 7 (1969-12-29 for the first days, before the epoch:
            // clamped to the epoch, the first week is short).
            PeriodKind::Week => {
                let monday = (days + 3) / 7 * 7;
                PlayedAt::from_unix_millis(monday.saturating_sub(3) * MILLIS_PER_DAY)?
            }
            PeriodKind::Month => PlayedAt::from_date(year, month, 1)?,
        };
        let start = if kind == PeriodKind::Week && days < 4 {
            PlayedAt::MIN
        } else {
            start
        };
        let end = Period::end_of(kind, start)?;
        Some(Period { kind, start, end })
    }

    /// Where the period of `kind` starting at `start` ends (the next one's start).
    fn end_of(kind: PeriodKind, start: PlayedAt) -> Option<PlayedAt> {
        let millis = start.unix_millis();
        match kind {
            PeriodKind::All => None,
            PeriodKind::Day => PlayedAt::from_unix_millis(millis + MILLIS_PER_DAY),
            PeriodKind::Week => {
                let days = start.unix_days();
                // The next Monday: days ≡ 4 (mod 7) are Mondays.
                let next = (days + 3) / 7 * 7 + 7 - 3;
                PlayedAt::from_unix_millis(next * MILLIS_PER_DAY)
            }
            PeriodKind::Month => {
                let (year, month, _) = start.date();
                let (year, month) = if month == 12 {
                    (year + 1, 1)
                } else {
                    (year, month + 1)
                };
                PlayedAt::from_date(year, month, 1)
            }
        }
    }

    pub fn kind(&self) -> PeriodKind {
        self.kind
    }

    /// The first instant of the period.
    pub fn start(&self) -> PlayedAt {
        self.start
    }

    /// The first instant after the period (the next one's start): when it resets.
    pub fn end(&self) -> PlayedAt {
        self.end
    }

    pub fn contains(&self, instant: PlayedAt) -> bool {
        self.start <= instant && instant < self.end
    }

    /// The period just before this one (`None` before the epoch).
    pub fn previous(&self) -> Option<Period> {
        let last_instant = PlayedAt::from_unix_millis(self.start.unix_millis().checked_sub(1)?)?;
        Period::containing(self.kind, last_instant)
    }

    /// The period just after this one (`None` past [`PlayedAt::MAX`]).
    pub fn next(&self) -> Option<Period> {
        Period::containing(self.kind, self.end)
    }
}

const MILLIS_PER_DAY: u64 = 86_400_000;

/// How many periods of each kind stay readable with `at`, the current one included. Scores
/// of older periods still count for all time and for the periods that still hold them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Retention {
    pub days: u32,
    pub weeks: u32,
    pub months: u32,
}

impl Default for Retention {
    /// The least the API promises: the last 31 days, 12 weeks and 12 months.
    fn default() -> Self {
        Retention {
            days: 31,
            weeks: 12,
            months: 12,
        }
    }
}

impl Retention {
    /// How many periods of `kind` are kept, the current one included (at least 1); `None`
    /// for all time, which is never cut.
    pub fn count(&self, kind: PeriodKind) -> Option<u32> {
        match kind {
            PeriodKind::All => None,
            PeriodKind::Day => Some(self.days.max(1)),
            PeriodKind::Week => Some(self.weeks.max(1)),
            PeriodKind::Month => Some(self.months.max(1)),
        }
    }

    /// The retained periods of `kind` at `now`, newest (the current one) first.
    pub fn retained(&self, kind: PeriodKind, now: PlayedAt) -> impl Iterator<Item = Period> {
        let count = self.count(kind).unwrap_or(0) as usize;
        std::iter::successors(Period::containing(kind, now), Period::previous).take(count)
    }

    /// Whether `period` is readable at `now`: started, and one of the retained ones.
    pub fn keeps(&self, period: &Period, now: PlayedAt) -> bool {
        period.start <= now
            && self
                .retained(period.kind, now)
                .last()
                .is_some_and(|oldest| oldest.start <= period.start)
    }

    /// The instant `period` stops being readable: the start of the period `count` after
    /// it (a store may drop its data then, e.g. Redis `EXPIREAT`).
    pub fn expires_at(&self, period: &Period) -> Option<PlayedAt> {
        let count = self.count(period.kind)? as usize;
        std::iter::successors(Some(*period), Period::next)
            .nth(count)
            .map(|p| p.start)
    }
}

/// Reads `at`: a date (`YYYY-MM-DD`, its midnight UTC) or a time under `playedAt`'s rules.
pub(crate) fn parse_at(text: &str) -> Result<PlayedAt, QueryError> {
    let bad = |e: PlayedAtError| QueryError::new("at", QueryErrorKind::BadAt(e));
    let bytes = text.as_bytes();
    if bytes.len() == 10 && bytes[4] == b'-' && bytes[7] == b'-' {
        let number = |range| digits(bytes, range);
        return match (number(0..4), number(5..7), number(8..10)) {
            (Some(year), Some(month), Some(day)) => PlayedAt::from_date(year as i64, month, day)
                .ok_or_else(|| {
                    if year < 1970 {
                        bad(PlayedAtError::BeforeEpoch)
                    } else {
                        bad(PlayedAtError::NoSuchTime(text.to_string()))
                    }
                }),
            _ => Err(bad(PlayedAtError::Malformed(text.to_string()))),
        };
    }
    PlayedAt::parse(text).map_err(bad)
}

/// `at` as the canonical query writes it: a date for a midnight (every resolved `at`: periods
/// start at midnight), otherwise the canonical time.
pub(crate) fn at_text(at: PlayedAt) -> String {
    let mut text = at.to_string();
    if at.unix_millis() % MILLIS_PER_DAY == 0 {
        // The canonical form's date part (`YYYY-MM-DD`): one formatter for both.
        text.truncate(10);
    }
    text
}

impl LeaderboardQuery {
    /// Resolves `period` and `at` against the server's clock `now` and the operator's
    /// `retention`: `at` becomes the start of the period it names (the current one when
    /// absent), so equal boards have equal canonical query strings. Answers the period, or
    /// `None` for all time. `400`s (naming `at`): `at` without a resetting period; a period
    /// that has not started or is no longer retained.
    pub fn resolve_period(
        &mut self,
        now: PlayedAt,
        retention: &Retention,
    ) -> Result<Option<Period>, QueryError> {
        if self.period.is_all() {
            return match self.at {
                Some(_) => Err(QueryError::new("at", QueryErrorKind::AtWithoutPeriod)),
                None => Ok(None),
            };
        }
        let instant = self.at.unwrap_or(now);
        let period = Period::containing(self.period, instant)
            .filter(|p| retention.keeps(p, now))
            .ok_or_else(|| {
                let oldest = retention
                    .retained(self.period, now)
                    .last()
                    .map_or(now, |p| p.start);
                QueryError::new(
                    "at",
                    QueryErrorKind::AtNotRetained {
                        period: self.period,
                        oldest,
                        now,
                    },
                )
            })?;
        self.at = Some(period.start);
        Ok(Some(period))
    }

    /// The period a resolved query reads (`None` for all time): the one holding `at`.
    pub fn period_window(&self) -> Option<Period> {
        Period::containing(self.period, self.at?)
    }
}

/// What the meta says about periods: for each resetting kind, the current period (when it
/// resets) and which retained periods hold scores. Present only when the data holds timed
/// scores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodsMeta {
    pub day: PeriodSummary,
    pub week: PeriodSummary,
    pub month: PeriodSummary,
}

/// One kind of period in the meta.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodSummary {
    /// The current period's first instant.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub current_start: PlayedAt,
    /// When the current period ends and the next begins (it resets).
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub current_end: PlayedAt,
    /// The first instant `at` may name: the oldest retained period's start.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub oldest_start: PlayedAt,
    /// Starts of the retained periods that hold at least one score, newest first.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub with_data: Vec<PlayedAt>,
}

impl PeriodsMeta {
    /// The meta at `now`, given whether each retained period holds scores.
    pub fn new(
        now: PlayedAt,
        retention: &Retention,
        mut has_scores: impl FnMut(&Period) -> bool,
    ) -> Option<PeriodsMeta> {
        let mut summary = |kind: PeriodKind| -> Option<PeriodSummary> {
            let current = Period::containing(kind, now)?;
            let retained: Vec<Period> = retention.retained(kind, now).collect();
            Some(PeriodSummary {
                current_start: current.start,
                current_end: current.end,
                oldest_start: retained.last().map_or(current.start, |p| p.start),
                with_data: retained
                    .iter()
                    .filter(|p| has_scores(p))
                    .map(|p| p.start)
                    .collect(),
            })
        };
        Some(PeriodsMeta {
            day: summary(PeriodKind::Day)?,
            week: summary(PeriodKind::Week)?,
            month: summary(PeriodKind::Month)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> PlayedAt {
        parse_at(text).unwrap()
    }

    fn window(kind: PeriodKind, instant: &str) -> (String, String) {
        let p = Period::containing(kind, at(instant)).unwrap();
        (p.start().to_string(), p.end().to_string())
    }

    #[test]
    fn days_weeks_and_months_are_utc_calendar_periods() {
        assert_eq!(
            window(PeriodKind::Day, "2026-12-03T23:59:59.999Z"),
            (
                "2026-12-03T00:00:00.000Z".into(),
                "2026-12-04T00:00:00.000Z".into()
            )
        );
        // 2026-12-03 is a Thursday: its ISO week is Monday 30 November to Monday 7 December.
        assert_eq!(
            window(PeriodKind::Week, "2026-12-03T12:00:00Z"),
            (
                "2026-11-30T00:00:00.000Z".into(),
                "2026-12-07T00:00:00.000Z".into()
            )
        );
        assert_eq!(
            window(PeriodKind::Week, "2026-11-30"),
            (
                "2026-11-30T00:00:00.000Z".into(),
                "2026-12-07T00:00:00.000Z".into()
            )
        );
        // A Sunday belongs to the week that began the Monday before.
        assert_eq!(
            window(PeriodKind::Week, "2026-11-29T23:59:59Z").0,
            "2026-11-23T00:00:00.000Z"
        );
        assert_eq!(
            window(PeriodKind::Month, "2024-02-29T10:00:00Z"),
            (
                "2024-02-01T00:00:00.000Z".into(),
                "2024-03-01T00:00:00.000Z".into()
            )
        );
        assert_eq!(
            window(PeriodKind::Month, "2026-12-31T23:59:59Z"),
            (
                "2026-12-01T00:00:00.000Z".into(),
                "2027-01-01T00:00:00.000Z".into()
            )
        );
        // ISO week 53 of 2026: Monday 28 December 2026 to Monday 4 January 2027.
        assert_eq!(
            window(PeriodKind::Week, "2027-01-03T08:00:00Z"),
            (
                "2026-12-28T00:00:00.000Z".into(),
                "2027-01-04T00:00:00.000Z".into()
            )
        );
        assert!(Period::containing(PeriodKind::All, at("2026-01-01")).is_none());
    }

    #[test]
    fn every_instant_is_in_exactly_one_period_of_each_kind() {
        for kind in PeriodKind::RESETTING {
            let mut period = Period::containing(kind, at("2023-12-20")).unwrap();
            for _ in 0..120 {
                let next = period.next().unwrap();
                assert_eq!(period.end(), next.start(), "{kind}");
                assert_eq!(next.previous(), Some(period));
                assert!(period.contains(period.start()));
                assert!(!period.contains(period.end()));
                let last = PlayedAt::from_unix_millis(period.end().unix_millis() - 1).unwrap();
                assert_eq!(Period::containing(kind, last), Some(period));
                period = next;
            }
        }
    }

    #[test]
    fn retention_keeps_the_current_period_and_the_ones_before() {
        let now = at("2026-12-03T12:00:00Z");
        let r = Retention::default();
        let days: Vec<_> = r.retained(PeriodKind::Day, now).collect();
        assert_eq!(days.len(), 31);
        assert_eq!(days[0].start().to_string(), "2026-12-03T00:00:00.000Z");
        assert_eq!(days[30].start().to_string(), "2026-11-03T00:00:00.000Z");
        assert!(r.keeps(&days[30], now));
        assert!(!r.keeps(&days[30].previous().unwrap(), now));
        assert!(!r.keeps(&days[0].next().unwrap(), now));
        assert_eq!(
            r.expires_at(&days[0]).unwrap().to_string(),
            "2027-01-03T00:00:00.000Z"
        );
        let months: Vec<_> = r.retained(PeriodKind::Month, now).collect();
        assert_eq!(months[11].start().to_string(), "2026-01-01T00:00:00.000Z");
    }

    fn query(pairs: &[(&str, &str)]) -> Result<LeaderboardQuery, QueryError> {
        LeaderboardQuery::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn resolving_names_the_period_in_the_canonical_query() {
        let now = at("2026-12-03T12:00:00Z");
        let r = Retention::default();
        let mut q = query(&[("period", "Week")]).unwrap();
        assert_eq!(q.to_query_string(), "period=week");
        let p = q.resolve_period(now, &r).unwrap().unwrap();
        assert_eq!(q.to_query_string(), "period=week&at=2026-11-30");
        assert_eq!(q.period_window(), Some(p));
        let mut last_week = query(&[("period", "week"), ("at", "2026-11-25")]).unwrap();
        let p = last_week.resolve_period(now, &r).unwrap().unwrap();
        assert_eq!(p.start().to_string(), "2026-11-23T00:00:00.000Z");
        let mut all = query(&[("view", "best")]).unwrap();
        assert_eq!(all.resolve_period(now, &r), Ok(None));
        assert_eq!(all.to_query_string(), "view=best");
    }

    #[test]
    fn at_outside_the_retention_or_without_a_period_is_refused() {
        let now = at("2026-12-03T12:00:00Z");
        let r = Retention::default();
        for pairs in [
            &[("period", "day"), ("at", "2026-11-02")][..],
            &[("period", "day"), ("at", "2026-12-04")][..],
            &[("period", "month"), ("at", "2025-12-31T23:59:59Z")][..],
            &[("at", "2026-12-01")][..],
        ] {
            let err = query(pairs).unwrap().resolve_period(now, &r).unwrap_err();
            assert_eq!(err.param, "at", "{pairs:?}");
            assert!(!err.to_string().is_empty());
        }
        for bad in [
            "yesterday",
            "2026-13-01",
            "2026-02-30",
            "2026-12-01T10:00:00+01:00",
        ] {
            assert_eq!(
                query(&[("period", "day"), ("at", bad)]).unwrap_err().param,
                "at"
            );
        }
        assert_eq!(query(&[("period", "year")]).unwrap_err().param, "period");
        assert_eq!(query(&[("view", "players")]).unwrap_err().param, "view");
    }

    #[test]
    fn meta_lists_retained_periods_with_scores() {
        let now = at("2026-12-03T12:00:00Z");
        let with = at("2026-12-01T08:00:00Z");
        let meta = PeriodsMeta::new(now, &Retention::default(), |p| p.contains(with)).unwrap();
        assert_eq!(meta.day.current_end.to_string(), "2026-12-04T00:00:00.000Z");
        assert_eq!(meta.day.with_data, vec![at("2026-12-01")]);
        assert_eq!(meta.week.with_data, vec![at("2026-11-30")]);
        assert_eq!(meta.month.with_data, vec![at("2026-12-01")]);
        assert_eq!(meta.month.oldest_start, at("2026-01-01"));
    }
}
