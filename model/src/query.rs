//! The leaderboard request: parsing and validation from query-string pairs (the function),
//! and the canonical query string (the widget builds its URLs with it; the function keys
//! its ETags on it).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::period::{at_text, parse_at};
use crate::{PeriodKind, PlayedAt, QueryError, QueryErrorKind, View};

/// Entries per page when `pageSize` is absent, as in the original function.
pub const DEFAULT_PAGE_SIZE: u32 = 10;
/// `pageSize` is clamped to `1..=MAX_PAGE_SIZE`, as in the original function.
pub const MAX_PAGE_SIZE: u32 = 50;
/// Longest `mode` or `region` accepted, in bytes.
pub const MAX_FILTER_LEN: usize = 100;
/// Longest `q` accepted, in bytes.
pub const MAX_SEARCH_LEN: usize = 64;
/// Longest `around` (a profile id) accepted, in bytes.
pub const MAX_AROUND_LEN: usize = 128;

/// The column the whole filtered set is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SortKey {
    /// By score; ties by record id. The original's only order.
    #[default]
    Score,
    /// By player name, case-insensitively; equal names in score order.
    Player,
    /// By game mode; equal modes in score order.
    Mode,
    /// By game region; equal regions in score order.
    Region,
}

impl SortKey {
    pub const ALL: [SortKey; 4] = [
        SortKey::Score,
        SortKey::Player,
        SortKey::Mode,
        SortKey::Region,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Score => "score",
            SortKey::Player => "player",
            SortKey::Mode => "mode",
            SortKey::Region => "region",
        }
    }

    /// The order a column sorts in when `order` is not given: best scores first,
    /// names and places A to Z.
    pub fn default_order(self) -> SortOrder {
        match self {
            SortKey::Score => SortOrder::Desc,
            SortKey::Player | SortKey::Mode | SortKey::Region => SortOrder::Asc,
        }
    }
}

impl fmt::Display for SortKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SortKey {
    type Err = QueryError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SortKey::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| QueryError::new("sort", QueryErrorKind::UnknownSort(s.to_string())))
    }
}

/// Ascending or descending.
///
/// For `sort=score`, `desc` is the leaderboard order (best first, ties by record id) and
/// `asc` is its exact reverse. For the other keys, `asc` is A to Z with equal keys in
/// leaderboard order, and `desc` is its exact reverse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SortOrder {
    Asc,
    #[default]
    Desc,
}

impl SortOrder {
    pub fn as_str(self) -> &'static str {
        match self {
            SortOrder::Asc => "asc",
            SortOrder::Desc => "desc",
        }
    }

    pub fn reversed(self) -> SortOrder {
        match self {
            SortOrder::Asc => SortOrder::Desc,
            SortOrder::Desc => SortOrder::Asc,
        }
    }
}

impl fmt::Display for SortOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SortOrder {
    type Err = QueryError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("asc") {
            Ok(SortOrder::Asc)
        } else if s.eq_ignore_ascii_case("desc") {
            Ok(SortOrder::Desc)
        } else {
            Err(QueryError::new(
                "order",
                QueryErrorKind::UnknownOrder(s.to_string()),
            ))
        }
    }
}

/// A validated leaderboard request.
///
/// Filters are `None` for "all" (absent or empty in the query string, as in the original).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LeaderboardQuery {
    /// 1-based page.
    pub page: u32,
    /// Entries per page, `1..=MAX_PAGE_SIZE`.
    pub page_size: u32,
    pub mode: Option<String>,
    pub region: Option<String>,
    pub sort: SortKey,
    /// Resolved: the sort key's default order when the request gave none.
    pub order: SortOrder,
    /// Case-insensitive prefix of the player's name.
    pub q: Option<String>,
    /// A profile id: answer with the page holding that player's best entry.
    pub around: Option<String>,
    /// Which scores count by when they were played (`all`: every score, the default).
    pub period: PeriodKind,
    /// An instant in the period to read (the current one when `None`). After
    /// [`LeaderboardQuery::resolve_period`], the start of the period read.
    pub at: Option<PlayedAt>,
    /// Every score, or each player's best.
    pub view: View,
}

impl Default for LeaderboardQuery {
    fn default() -> Self {
        LeaderboardQuery {
            page: 1,
            page_size: DEFAULT_PAGE_SIZE,
            mode: None,
            region: None,
            sort: SortKey::Score,
            order: SortKey::Score.default_order(),
            q: None,
            around: None,
            period: PeriodKind::All,
            at: None,
            view: View::Scores,
        }
    }
}

impl LeaderboardQuery {
    /// Parses decoded query-string pairs. Unknown parameters are ignored (cache busters,
    /// tracking tags); for a repeated parameter the first occurrence counts; an empty value
    /// means "not given", as in the original function.
    pub fn from_pairs<I, K, V>(pairs: I) -> Result<Self, QueryError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut raw = RawQuery::default();
        for (key, value) in pairs {
            let value = value.as_ref();
            let slot = match key.as_ref() {
                "page" => &mut raw.page,
                "pageSize" => &mut raw.page_size,
                "mode" => &mut raw.mode,
                "region" => &mut raw.region,
                "sort" => &mut raw.sort,
                "order" => &mut raw.order,
                "q" => &mut raw.q,
                "around" => &mut raw.around,
                "period" => &mut raw.period,
                "at" => &mut raw.at,
                "view" => &mut raw.view,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(value.to_string());
            }
        }
        raw.validate()
    }

    /// The canonical query string (without `?`): parameters in a fixed order, defaults left
    /// out, values percent-encoded. Equal queries give equal strings.
    pub fn to_query_string(&self) -> String {
        let mut out = String::new();
        let mut push = |key: &str, value: &str| {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str(key);
            out.push('=');
            out.push_str(&percent_encode(value));
        };
        if self.page != 1 {
            push("page", &self.page.to_string());
        }
        if self.page_size != DEFAULT_PAGE_SIZE {
            push("pageSize", &self.page_size.to_string());
        }
        if let Some(mode) = &self.mode {
            push("mode", mode);
        }
        if let Some(region) = &self.region {
            push("region", region);
        }
        if self.sort != SortKey::default() {
            push("sort", self.sort.as_str());
        }
        if self.order != self.sort.default_order() {
            push("order", self.order.as_str());
        }
        if let Some(q) = &self.q {
            push("q", q);
        }
        if let Some(around) = &self.around {
            push("around", around);
        }
        if !self.period.is_all() {
            push("period", self.period.as_str());
        }
        if let Some(at) = self.at {
            push("at", &at_text(at));
        }
        if !self.view.is_scores() {
            push("view", self.view.as_str());
        }
        out
    }

    /// Zero-based index of the first entry on this page.
    pub fn offset(&self) -> u64 {
        u64::from(self.page.saturating_sub(1)) * u64::from(self.page_size)
    }
}

#[derive(Default)]
struct RawQuery {
    page: Option<String>,
    page_size: Option<String>,
    mode: Option<String>,
    region: Option<String>,
    sort: Option<String>,
    order: Option<String>,
    q: Option<String>,
    around: Option<String>,
    period: Option<String>,
    at: Option<String>,
    view: Option<String>,
}

impl RawQuery {
    fn validate(self) -> Result<LeaderboardQuery, QueryError> {
        let page = match given(self.page) {
            None => 1,
            Some(text) => parse_page(&text)?,
        };
        let page_size = match given(self.page_size) {
            None => DEFAULT_PAGE_SIZE,
            Some(text) => parse_page_size(&text)?,
        };
        let sort = match given(self.sort) {
            None => SortKey::default(),
            Some(text) => text.trim().parse()?,
        };
        let order = match given(self.order) {
            None => sort.default_order(),
            Some(text) => text.trim().parse()?,
        };
        Ok(LeaderboardQuery {
            page,
            page_size,
            mode: bounded("mode", given(self.mode), MAX_FILTER_LEN)?,
            region: bounded("region", given(self.region), MAX_FILTER_LEN)?,
            sort,
            order,
            q: bounded("q", given(self.q), MAX_SEARCH_LEN)?,
            around: bounded("around", given(self.around), MAX_AROUND_LEN)?,
            period: match given(self.period) {
                None => PeriodKind::All,
                Some(text) => text.trim().parse()?,
            },
            at: given(self.at)
                .map(|text| parse_at(text.trim()))
                .transpose()?,
            view: match given(self.view) {
                None => View::Scores,
                Some(text) => text.trim().parse()?,
            },
        })
    }
}

/// `None` for an absent or empty value.
fn given(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.is_empty())
}

fn bounded(
    param: &'static str,
    value: Option<String>,
    max: usize,
) -> Result<Option<String>, QueryError> {
    match value {
        Some(v) if v.len() > max => Err(QueryError::new(
            param,
            QueryErrorKind::TooLong { len: v.len(), max },
        )),
        other => Ok(other),
    }
}

/// Any whole number of 1 or more, of any length. A page beyond `u32::MAX` is answered as
/// page `u32::MAX`: past the end of any board a store can hold (a Redis sorted set holds
/// fewer than 2^32 members), so an empty page, and the answer's `page` says which it was.
fn parse_page(text: &str) -> Result<u32, QueryError> {
    let text = text.trim();
    if !is_integer(text) {
        return Err(QueryError::new(
            "page",
            QueryErrorKind::PageNotANumber(text.to_string()),
        ));
    }
    if text.starts_with('-') || text.trim_start_matches('+').bytes().all(|b| b == b'0') {
        return Err(QueryError::new("page", QueryErrorKind::PageBelowOne));
    }
    Ok(text.parse::<u32>().unwrap_or(u32::MAX))
}

/// Whole numbers of any length are clamped to `1..=MAX_PAGE_SIZE` as the original did;
/// anything else is an error.
fn parse_page_size(text: &str) -> Result<u32, QueryError> {
    let text = text.trim();
    if !is_integer(text) {
        return Err(QueryError::new(
            "pageSize",
            QueryErrorKind::PageSizeNotANumber(text.to_string()),
        ));
    }
    let size = if text.starts_with('-') {
        1
    } else {
        text.parse::<u64>().unwrap_or(u64::MAX)
    };
    Ok(size.clamp(1, u64::from(MAX_PAGE_SIZE)) as u32)
}

fn is_integer(text: &str) -> bool {
    let digits = text
        .strip_prefix('-')
        .or_else(|| text.strip_prefix('+'))
        .unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Percent-encodes everything but RFC 3986 unreserved characters (space becomes `%20`).
pub fn percent_encode(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ApiErrorBody;

    fn parse(pairs: &[(&str, &str)]) -> Result<LeaderboardQuery, QueryError> {
        LeaderboardQuery::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn empty_query_gives_the_originals_defaults() {
        assert_eq!(parse(&[]).unwrap(), LeaderboardQuery::default());
        let q = parse(&[("page", ""), ("pageSize", ""), ("mode", ""), ("region", "")]).unwrap();
        assert_eq!(q, LeaderboardQuery::default());
    }

    #[test]
    fn page_size_is_clamped_like_the_original() {
        assert_eq!(parse(&[("pageSize", "500")]).unwrap().page_size, 50);
        assert_eq!(parse(&[("pageSize", "0")]).unwrap().page_size, 1);
        assert_eq!(parse(&[("pageSize", "-7")]).unwrap().page_size, 1);
        assert_eq!(
            parse(&[("pageSize", "99999999999999999999")])
                .unwrap()
                .page_size,
            50
        );
        assert_eq!(parse(&[("pageSize", "25")]).unwrap().page_size, 25);
    }

    /// Regression: `page=4294967296` was a `400` although any whole number of 1 or more is
    /// a page, and a `pageSize` longer than 20 digits was a `400` instead of clamped.
    #[test]
    fn any_whole_page_is_accepted_and_any_whole_page_size_clamped() {
        let page = |text: &str| parse(&[("page", text)]).map(|q| q.page);
        assert_eq!(page("4294967295"), Ok(u32::MAX));
        assert_eq!(page("4294967296"), Ok(u32::MAX));
        assert_eq!(page(&"9".repeat(400)), Ok(u32::MAX));
        assert_eq!(page("+000007"), Ok(7));
        for below in [
            "0",
            "-0",
            "+0",
            "000",
            "-1",
            &format!("-{}", "9".repeat(40)),
        ] {
            assert_eq!(
                parse(&[("page", below)]).unwrap_err().kind,
                QueryErrorKind::PageBelowOne,
                "{below}"
            );
        }
        let size = |text: &str| parse(&[("pageSize", text)]).unwrap().page_size;
        assert_eq!(size(&"9".repeat(400)), MAX_PAGE_SIZE);
        assert_eq!(size(&format!("-{}", "9".repeat(400))), 1);
        assert_eq!(size("+0000025"), 25);
    }

    #[test]
    fn bad_numbers_name_their_parameter() {
        for (key, value) in [
            ("page", "abc"),
            ("page", "0"),
            ("page", "-1"),
            ("page", "1.5"),
            ("page", "+"),
            ("page", "0x10"),
            ("pageSize", "ten"),
            ("pageSize", "1e3"),
        ] {
            let err = parse(&[(key, value)]).unwrap_err();
            assert_eq!(err.param, key, "{key}={value}");
            assert!(!err.to_string().is_empty());
        }
    }

    #[test]
    fn sort_and_order_are_validated_and_default_per_key() {
        let q = parse(&[("sort", "player")]).unwrap();
        assert_eq!((q.sort, q.order), (SortKey::Player, SortOrder::Asc));
        let q = parse(&[("sort", "SCORE"), ("order", "Asc")]).unwrap();
        assert_eq!((q.sort, q.order), (SortKey::Score, SortOrder::Asc));
        assert_eq!(parse(&[("sort", "name")]).unwrap_err().param, "sort");
        assert_eq!(parse(&[("order", "up")]).unwrap_err().param, "order");
    }

    #[test]
    fn overlong_values_are_refused() {
        let long = "x".repeat(MAX_FILTER_LEN + 1);
        assert_eq!(parse(&[("mode", &long)]).unwrap_err().param, "mode");
        assert_eq!(parse(&[("region", &long)]).unwrap_err().param, "region");
        assert_eq!(parse(&[("q", &long)]).unwrap_err().param, "q");
        let long_id = "x".repeat(MAX_AROUND_LEN + 1);
        assert_eq!(parse(&[("around", &long_id)]).unwrap_err().param, "around");
    }

    #[test]
    fn first_occurrence_wins_and_unknown_parameters_are_ignored() {
        let q = parse(&[("mode", "Solo"), ("mode", "Duo"), ("_", "123")]).unwrap();
        assert_eq!(q.mode.as_deref(), Some("Solo"));
    }

    #[test]
    fn canonical_query_string_round_trips() {
        let q = LeaderboardQuery {
            page: 3,
            page_size: 25,
            mode: Some("Solo".into()),
            region: Some("Milky Way".into()),
            sort: SortKey::Player,
            order: SortOrder::Desc,
            q: Some("Zoë & co".into()),
            around: Some("p-1".into()),
            period: PeriodKind::Week,
            at: PlayedAt::parse("2026-11-30T00:00:00Z").ok(),
            view: View::Best,
        };
        let text = q.to_query_string();
        assert_eq!(
            text,
            "page=3&pageSize=25&mode=Solo&region=Milky%20Way&sort=player&order=desc&q=Zo%C3%AB%20%26%20co&around=p-1&period=week&at=2026-11-30&view=best"
        );
        let pairs: Vec<(String, String)> = text
            .split('&')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (k.to_string(), percent_decode(v))
            })
            .collect();
        assert_eq!(LeaderboardQuery::from_pairs(pairs).unwrap(), q);
        assert_eq!(LeaderboardQuery::default().to_query_string(), "");
    }

    fn percent_decode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn offset_counts_from_page_one() {
        let q = parse(&[("page", "3"), ("pageSize", "20")]).unwrap();
        assert_eq!(q.offset(), 40);
    }

    /// The function sends these sentences as 400 bodies: they stay word for word what they
    /// were when the error carried a preformatted message.
    #[test]
    fn error_messages_are_the_published_sentences() {
        let cases: [(&[(&str, &str)], &str); 6] = [
            (
                &[("sort", " Rank ")],
                r#"sort must be one of score, player, mode, region (got "Rank")"#,
            ),
            (
                &[("order", "up\"")],
                r#"order must be asc or desc (got "up\"")"#,
            ),
            (
                &[("page", "1.5")],
                r#"page must be a whole number of 1 or more (got "1.5")"#,
            ),
            (
                &[("page", "0")],
                "page must be 1 or more (pages count from 1)",
            ),
            (
                &[("page", "-3")],
                "page must be 1 or more (pages count from 1)",
            ),
            (
                &[("pageSize", "ten")],
                r#"pageSize must be a whole number (1 to 50; got "ten")"#,
            ),
        ];
        for (pairs, expected) in cases {
            assert_eq!(parse(pairs).unwrap_err().to_string(), expected);
        }
        let accents = "é".repeat(45);
        assert_eq!(
            parse(&[("sort", &accents)]).unwrap_err().to_string(),
            format!(
                "sort must be one of score, player, mode, region (got \"{}\")",
                "é".repeat(40)
            )
        );
        let too_long = "q".repeat(MAX_SEARCH_LEN + 1);
        let err = parse(&[("q", &too_long)]).unwrap_err();
        assert_eq!(err.param, "q");
        assert_eq!(
            err.to_string(),
            format!(
                "q is too long ({} bytes; at most {MAX_SEARCH_LEN})",
                MAX_SEARCH_LEN + 1
            )
        );
        let body = ApiErrorBody::from(err);
        assert_eq!(body.param.as_deref(), Some("q"));
    }
}
