use serde::{Deserialize, Serialize};
use std::fmt;

/// The JSON body of every error the API returns: `{"error": "...", "param": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    /// A sentence a developer can act on.
    pub error: String,
    /// The query parameter (or body field) at fault, when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub param: Option<String>,
}

/// A query parameter that could not be accepted. The function answers it with `400`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub param: &'static str,
    pub message: String,
}

impl QueryError {
    pub(crate) fn new(param: &'static str, message: impl Into<String>) -> Self {
        Self {
            param,
            message: message.into(),
        }
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for QueryError {}

impl From<QueryError> for ApiErrorBody {
    fn from(e: QueryError) -> Self {
        ApiErrorBody {
            error: e.message,
            param: Some(e.param.to_string()),
        }
    }
}
