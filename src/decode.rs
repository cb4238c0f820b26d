//! Reads the API's JSON documents into the model types, from values parsed by the
//! browser's `JSON.parse`.
//!
//! Hand-written instead of serde (size rule "no serde", bench/analysis.md). Every shape error
//! is a sentence naming the field, never a panic.

use js_sys::{Array, Reflect};
use leaderboard_model::{
    ApiErrorBody, FacetCount, LeaderboardEntry, LeaderboardMeta, LeaderboardResponse, PeriodKind,
    PeriodSummary, PeriodsMeta, PlayedAt, Profile, ScoreRecord, SortKey, SortOrder, View,
};
use wasm_bindgen::JsValue;

/// Largest integer a JSON number carries exactly (2^53).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_992.0;

/// What was wrong with a document, e.g. "missing field `scores`".
pub type DecodeError = String;

/// A JSON object being read field by field.
struct Object<'a> {
    value: &'a JsValue,
    /// Where this object sits in the document, for messages (`scores[3].profile`).
    path: &'a str,
}

impl<'a> Object<'a> {
    fn new(value: &'a JsValue, path: &'a str) -> Result<Self, DecodeError> {
        if value.is_object() && !Array::is_array(value) {
            Ok(Object { value, path })
        } else if path.is_empty() {
            Err("expected a JSON object".to_string())
        } else {
            Err(format!("`{path}` must be an object"))
        }
    }

    fn name(&self, field: &str) -> String {
        if self.path.is_empty() {
            field.to_string()
        } else {
            format!("{}.{field}", self.path)
        }
    }

    /// The field's value; `undefined` when absent.
    fn get(&self, field: &str) -> JsValue {
        Reflect::get(self.value, &JsValue::from_str(field)).unwrap_or(JsValue::UNDEFINED)
    }

    fn required(&self, field: &str) -> Result<JsValue, DecodeError> {
        let value = self.get(field);
        if value.is_undefined() {
            Err(format!("missing field `{}`", self.name(field)))
        } else {
            Ok(value)
        }
    }

    fn string(&self, field: &str) -> Result<String, DecodeError> {
        self.required(field)?
            .as_string()
            .ok_or_else(|| format!("field `{}` must be a string", self.name(field)))
    }

    /// Absent or `null` is `None`.
    fn optional_string(&self, field: &str) -> Result<Option<String>, DecodeError> {
        let value = self.get(field);
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        value
            .as_string()
            .map(Some)
            .ok_or_else(|| format!("field `{}` must be a string or null", self.name(field)))
    }

    fn integer(&self, field: &str, min: f64, max: f64) -> Result<f64, DecodeError> {
        let number = self.required(field)?.as_f64();
        match number {
            Some(n) if n.fract() == 0.0 && n >= min && n <= max => Ok(n),
            _ => Err(format!(
                "field `{}` must be a whole number in range",
                self.name(field)
            )),
        }
    }

    fn u64(&self, field: &str) -> Result<u64, DecodeError> {
        self.integer(field, 0.0, MAX_SAFE_INTEGER).map(|n| n as u64)
    }

    fn u32(&self, field: &str) -> Result<u32, DecodeError> {
        self.integer(field, 0.0, f64::from(u32::MAX))
            .map(|n| n as u32)
    }

    fn i64(&self, field: &str) -> Result<i64, DecodeError> {
        self.integer(field, -MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
            .map(|n| n as i64)
    }

    /// Absent means the default (fields the original API did not have).
    fn u64_or_zero(&self, field: &str) -> Result<u64, DecodeError> {
        if self.get(field).is_undefined() {
            Ok(0)
        } else {
            self.u64(field)
        }
    }

    /// A time the API wrote (`2026-11-30T00:00:00.000Z`); absent or `null` is `None`.
    fn optional_time(&self, field: &str) -> Result<Option<PlayedAt>, DecodeError> {
        match self.optional_string(field)? {
            None => Ok(None),
            Some(text) => time(&text)
                .map(Some)
                .ok_or_else(|| format!("field `{}` must be a time", self.name(field))),
        }
    }

    fn array(&self, field: &str) -> Result<Array, DecodeError> {
        let value = self.required(field)?;
        if Array::is_array(&value) {
            Ok(Array::from(&value))
        } else {
            Err(format!("field `{}` must be a list", self.name(field)))
        }
    }
}

pub fn leaderboard_response(value: &JsValue) -> Result<LeaderboardResponse, DecodeError> {
    let doc = Object::new(value, "")?;
    let scores = doc
        .array("scores")?
        .iter()
        .enumerate()
        .map(|(index, entry)| leaderboard_entry(&entry, &format!("scores[{index}]")))
        .collect::<Result<Vec<_>, _>>()?;
    let sort = match doc.optional_string("sort")? {
        None => SortKey::default(),
        Some(text) => text
            .parse()
            .map_err(|_| "field `sort` is unknown".to_string())?,
    };
    let order = match doc.optional_string("order")? {
        None => SortOrder::default(),
        Some(text) => text
            .parse()
            .map_err(|_| "field `order` is unknown".to_string())?,
    };
    Ok(LeaderboardResponse {
        selected_mode: doc.optional_string("selectedMode")?,
        selected_region: doc.optional_string("selectedRegion")?,
        page: doc.u32("page")?,
        page_size: doc.u32("pageSize")?,
        total_results: doc.u64("totalResults")?,
        scores,
        total_pages: doc.u64_or_zero("totalPages")?,
        sort,
        order,
        q: doc.optional_string("q")?,
        period: word(&doc, "period", PeriodKind::ALL, PeriodKind::as_str)?,
        period_start: doc.optional_time("periodStart")?,
        period_end: doc.optional_time("periodEnd")?,
        view: word(&doc, "view", View::ALL, View::as_str)?,
    })
}

fn leaderboard_entry(value: &JsValue, path: &str) -> Result<LeaderboardEntry, DecodeError> {
    let entry = Object::new(value, path)?;
    let score_path = format!("{path}.score");
    let score_value = entry.required("score")?;
    let score = Object::new(&score_value, &score_path)?;
    let profile_path = format!("{path}.profile");
    let profile_value = entry.required("profile")?;
    let profile = Object::new(&profile_value, &profile_path)?;
    let achievements = if profile.get("achievements").is_undefined() {
        Vec::new()
    } else {
        profile
            .array("achievements")?
            .iter()
            .map(|item| {
                item.as_string()
                    .ok_or_else(|| format!("`{profile_path}.achievements` must hold strings"))
            })
            .collect::<Result<Vec<_>, _>>()?
    };
    Ok(LeaderboardEntry {
        rank: entry.u64("rank")?,
        score: ScoreRecord {
            id: score.string("id")?,
            profile_id: score.string("profileId")?,
            score: score.i64("score")?,
            game_mode: score.string("gameMode")?,
            game_region: score.string("gameRegion")?,
            // Not read: the widget shows no time yet, and leaving it out keeps the time
            // parser out of the wasm until something shows it.
            played_at: None,
        },
        profile: Profile {
            id: profile.string("id")?,
            user_name: profile.string("userName")?,
            avatar_url: profile.string("avatarUrl")?,
            achievements,
        },
    })
}

pub fn leaderboard_meta(value: &JsValue) -> Result<LeaderboardMeta, DecodeError> {
    let doc = Object::new(value, "")?;
    let facets = |field: &str| -> Result<Vec<FacetCount>, DecodeError> {
        doc.array(field)?
            .iter()
            .enumerate()
            .map(|(index, item)| {
                let path = format!("{field}[{index}]");
                let facet = Object::new(&item, &path)?;
                Ok(FacetCount {
                    name: facet.string("name")?,
                    count: facet.u64("count")?,
                })
            })
            .collect()
    };
    Ok(LeaderboardMeta {
        modes: facets("modes")?,
        regions: facets("regions")?,
        total_scores: doc.u64("totalScores")?,
        total_players: doc.u64("totalPlayers")?,
        periods: periods_meta(&doc)?,
    })
}

/// A word of the model (`period`, `view`) as the API writes it; absent or `null` is the
/// first (the default). Matched against the model's list, not parsed (its parse builds a
/// query error the widget would drop).
fn word<T: Copy, const N: usize>(
    doc: &Object,
    field: &str,
    all: [T; N],
    text_of: fn(T) -> &'static str,
) -> Result<T, DecodeError> {
    match doc.optional_string(field)? {
        None => all.first().copied(),
        Some(text) => all.into_iter().find(|value| text_of(*value) == text),
    }
    .ok_or_else(|| format!("field `{field}` is unknown"))
}

/// The meta's `periods` (absent when the data holds no timed scores). One message for any
/// shape error inside it: the widget only reads whether it is there and when periods end.
fn periods_meta(doc: &Object) -> Result<Option<PeriodsMeta>, DecodeError> {
    let value = doc.get("periods");
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let field = |object: &JsValue, name: &str| Reflect::get(object, &JsValue::from_str(name)).ok();
    let summary = |kind: &str| -> Option<PeriodSummary> {
        let summary = field(&value, kind)?;
        let time_of = |name: &str| time(&field(&summary, name)?.as_string()?);
        let with_data = field(&summary, "withData")?;
        let with_data = if Array::is_array(&with_data) {
            Array::from(&with_data)
                .iter()
                .map(|start| time(&start.as_string()?))
                .collect::<Option<Vec<_>>>()?
        } else {
            return None;
        };
        Some(PeriodSummary {
            current_start: time_of("currentStart")?,
            current_end: time_of("currentEnd")?,
            oldest_start: time_of("oldestStart")?,
            with_data,
        })
    };
    match (summary("day"), summary("week"), summary("month")) {
        (Some(day), Some(week), Some(month)) => Ok(Some(PeriodsMeta { day, week, month })),
        _ => Err("field `periods` must hold the day, week and month with their times".to_string()),
    }
}

/// An RFC 3339 time as the instant `Date.parse` reads (`None` when it reads none).
fn time(text: &str) -> Option<PlayedAt> {
    let millis = js_sys::Date::parse(text);
    (millis.is_finite() && millis >= 0.0).then(|| PlayedAt::from_unix_millis(millis as u64))?
}

pub fn api_error_body(value: &JsValue) -> Result<ApiErrorBody, DecodeError> {
    let doc = Object::new(value, "")?;
    Ok(ApiErrorBody {
        error: doc.string("error")?,
        param: doc.optional_string("param")?,
    })
}
