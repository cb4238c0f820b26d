use serde::{Deserialize, Serialize};
use std::fmt;

use crate::text::shown_prefix;
use crate::{PeriodKind, PlayedAt, PlayedAtError};

/// The JSON body of every error the API returns: `{"error": "...", "param": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"error": "page must be 1 or more (pages count from 1)", "param": "page"})))]
pub struct ApiErrorBody {
    /// A sentence a developer can act on.
    pub error: String,
    /// The query parameter (or body field) at fault, when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub param: Option<String>,
}

/// A query parameter that could not be accepted. The function answers it with `400`.
///
/// Structured (parameter, what was wrong, the offending value): the sentence is built only
/// by `Display`, so a caller that never shows it (the widget reading its page URL) compiles
/// no formatting code for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub param: &'static str,
    pub kind: QueryErrorKind,
}

/// What was wrong with [`QueryError::param`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryErrorKind {
    /// `sort` is not one of the sort keys; the value as given.
    UnknownSort(String),
    /// `order` is neither `asc` nor `desc`; the value as given.
    UnknownOrder(String),
    /// `page` is not a whole number; the value as given (trimmed).
    PageNotANumber(String),
    /// `page` is 0 or negative.
    PageBelowOne,
    /// `pageSize` is not a whole number; the value as given (trimmed).
    PageSizeNotANumber(String),
    /// A text parameter is longer than its limit (lengths in bytes).
    TooLong { len: usize, max: usize },
    /// `period` is not one of all, day, week, month; the value as given.
    UnknownPeriod(String),
    /// `view` is neither `scores` nor `best`; the value as given.
    UnknownView(String),
    /// `at` is neither a date nor a UTC time.
    BadAt(PlayedAtError),
    /// `at` was given for all time, which has no periods.
    AtWithoutPeriod,
    /// `at` names a period that has not started, or is older than the retention keeps.
    AtNotRetained {
        period: PeriodKind,
        /// The oldest retained period's start.
        oldest: PlayedAt,
        /// The server's clock.
        now: PlayedAt,
    },
}

impl QueryError {
    pub(crate) fn new(param: &'static str, kind: QueryErrorKind) -> Self {
        Self { param, kind }
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::MAX_PAGE_SIZE;
        let param = self.param;
        match &self.kind {
            QueryErrorKind::UnknownSort(value) => write!(
                f,
                "sort must be one of score, player, mode, region (got {:?})",
                shown_prefix(value)
            ),
            QueryErrorKind::UnknownOrder(value) => {
                write!(
                    f,
                    "order must be asc or desc (got {:?})",
                    shown_prefix(value)
                )
            }
            QueryErrorKind::PageNotANumber(value) => write!(
                f,
                "page must be a whole number of 1 or more (got {:?})",
                shown_prefix(value)
            ),
            QueryErrorKind::PageBelowOne => {
                f.write_str("page must be 1 or more (pages count from 1)")
            }
            QueryErrorKind::PageSizeNotANumber(value) => write!(
                f,
                "pageSize must be a whole number (1 to {MAX_PAGE_SIZE}; got {:?})",
                shown_prefix(value)
            ),
            QueryErrorKind::TooLong { len, max } => {
                write!(f, "{param} is too long ({len} bytes; at most {max})")
            }
            QueryErrorKind::UnknownPeriod(value) => write!(
                f,
                "period must be one of all, day, week, month (got {:?})",
                shown_prefix(value)
            ),
            QueryErrorKind::UnknownView(value) => write!(
                f,
                "view must be scores or best (got {:?})",
                shown_prefix(value)
            ),
            QueryErrorKind::BadAt(PlayedAtError::Malformed(value)) => write!(
                f,
                "at must be a date such as 2026-05-04 or a UTC time such as 2026-05-04T18:30:00Z (got {:?})",
                shown_prefix(value)
            ),
            QueryErrorKind::BadAt(problem) => write!(f, "at {problem}"),
            QueryErrorKind::AtWithoutPeriod => f.write_str(
                "at names a day, week or month: give period=day, week or month with it",
            ),
            QueryErrorKind::AtNotRetained {
                period,
                oldest,
                now,
            } => write!(
                f,
                "at must fall in the current {period} or a past one kept since {oldest} (the server's clock is {now})"
            ),
        }
    }
}

impl std::error::Error for QueryError {}

impl From<QueryError> for ApiErrorBody {
    fn from(e: QueryError) -> Self {
        ApiErrorBody {
            error: e.to_string(),
            param: Some(e.param.to_string()),
        }
    }
}
