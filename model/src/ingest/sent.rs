//! A post body as sent: read with serde from any self-describing format, kept field by
//! field with what was found, so that validation (`validate.rs`) can name the field at
//! fault in its own words. Reading fails only when the format does (malformed JSON); every
//! problem with the content is left for validation.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::text::{json_float_text, Found};

/// A field's value as sent. `null` counts as absent, as the original documents allow.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) enum Sent<T> {
    #[default]
    Absent,
    Given(T),
    /// Not the kind of value the field takes.
    Wrong(Found),
}

/// A type a field can hold, read from whatever value was sent: each hook accepts its kind
/// of value or says what was found instead.
pub(crate) trait Lenient: Sized {
    fn from_str(text: &str) -> Result<Self, Found> {
        Err(Found::Text(text.to_string()))
    }
    fn from_i64(number: i64) -> Result<Self, Found> {
        Err(Found::Number(number.to_string()))
    }
    fn from_u64(number: u64) -> Result<Self, Found> {
        Err(Found::Number(number.to_string()))
    }
    fn from_f64(number: f64) -> Result<Self, Found> {
        Err(Found::Number(json_float_text(number)))
    }
    fn from_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Result<Self, Found>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Err(Found::List))
    }
    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Result<Self, Found>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Err(Found::Object))
    }
}

impl<'de, T: Lenient> Deserialize<'de> for Sent<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SentVisitor(PhantomData))
    }
}

struct SentVisitor<T>(PhantomData<T>);

fn sent<T>(value: Result<T, Found>) -> Sent<T> {
    match value {
        Ok(value) => Sent::Given(value),
        Err(found) => Sent::Wrong(found),
    }
}

impl<'de, T: Lenient> Visitor<'de> for SentVisitor<T> {
    type Value = Sent<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Sent<T>, E> {
        Ok(Sent::Absent)
    }
    fn visit_none<E>(self) -> Result<Sent<T>, E> {
        Ok(Sent::Absent)
    }
    fn visit_bool<E>(self, value: bool) -> Result<Sent<T>, E> {
        Ok(Sent::Wrong(Found::Bool(value)))
    }
    fn visit_i64<E>(self, value: i64) -> Result<Sent<T>, E> {
        Ok(sent(T::from_i64(value)))
    }
    fn visit_u64<E>(self, value: u64) -> Result<Sent<T>, E> {
        Ok(sent(T::from_u64(value)))
    }
    fn visit_f64<E>(self, value: f64) -> Result<Sent<T>, E> {
        Ok(sent(T::from_f64(value)))
    }
    fn visit_str<E>(self, value: &str) -> Result<Sent<T>, E> {
        Ok(sent(T::from_str(value)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Sent<T>, A::Error> {
        Ok(sent(T::from_seq(seq)?))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Sent<T>, A::Error> {
        Ok(sent(T::from_map(map)?))
    }
}

impl Lenient for String {
    fn from_str(text: &str) -> Result<Self, Found> {
        Ok(text.to_string())
    }
}

/// A number sent as `score`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SentNumber {
    Integer(i64),
    /// A whole number beyond `i64`.
    Huge,
    /// A number with a fraction or an exponent, as JSON writes it.
    NotWhole(String),
}

impl Lenient for SentNumber {
    fn from_i64(number: i64) -> Result<Self, Found> {
        Ok(SentNumber::Integer(number))
    }
    fn from_u64(number: u64) -> Result<Self, Found> {
        Ok(i64::try_from(number).map_or(SentNumber::Huge, SentNumber::Integer))
    }
    fn from_f64(number: f64) -> Result<Self, Found> {
        Ok(SentNumber::NotWhole(json_float_text(number)))
    }
}

impl<T: Lenient> Lenient for Vec<Sent<T>> {
    fn from_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Result<Self, Found>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element::<Sent<T>>()? {
            items.push(item);
        }
        Ok(Ok(items))
    }
}

/// What an object sent beyond its fields: the first unknown key (in byte order, so the
/// answer does not depend on the order the client's encoder wrote them) and the first
/// field given twice.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Extra {
    pub unknown: Option<String>,
    pub repeated: Option<&'static str>,
}

/// Reads an object's entries: `slot` takes a known field's value (`false` for an unknown
/// key); values of unknown and repeated keys are skipped.
fn read_object<'de, A: MapAccess<'de>>(
    mut map: A,
    fields: &'static [&'static str],
    mut read_field: impl FnMut(&'static str, &mut A) -> Result<(), A::Error>,
) -> Result<Extra, A::Error> {
    let mut extra = Extra::default();
    let mut seen: Vec<&'static str> = Vec::with_capacity(fields.len());
    while let Some(key) = map.next_key::<KeyText>()? {
        match fields.iter().find(|field| **field == key.0) {
            Some(&field) if !seen.contains(&field) => {
                seen.push(field);
                read_field(field, &mut map)?;
            }
            Some(&field) => {
                extra.repeated = extra.repeated.or(Some(field));
                map.next_value::<IgnoredAny>()?;
            }
            None => {
                if extra.unknown.as_ref().is_none_or(|first| key.0 < *first) {
                    extra.unknown = Some(key.0);
                }
                map.next_value::<IgnoredAny>()?;
            }
        }
    }
    Ok(extra)
}

/// An object key, escapes decoded.
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(KeyText)
    }
}

/// The fields of a posted score, in the order validation checks them.
pub(crate) const SCORE_FIELDS: [&str; 7] = [
    "id",
    "profileId",
    "score",
    "gameMode",
    "gameRegion",
    "playedAt",
    "profile",
];
/// The fields of a posted profile, in the order validation checks them.
pub(crate) const PROFILE_FIELDS: [&str; 3] = ["userName", "avatarUrl", "achievements"];

/// A score object as sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct SentScore {
    pub id: Sent<String>,
    pub profile_id: Sent<String>,
    pub score: Sent<SentNumber>,
    pub game_mode: Sent<String>,
    pub game_region: Sent<String>,
    pub played_at: Sent<String>,
    pub profile: Sent<SentProfile>,
    pub extra: Extra,
}

impl Lenient for SentScore {
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Result<Self, Found>, A::Error> {
        let mut score = SentScore::default();
        let extra = read_object(map, &SCORE_FIELDS, |field, map| {
            match field {
                "id" => score.id = map.next_value()?,
                "profileId" => score.profile_id = map.next_value()?,
                "score" => score.score = map.next_value()?,
                "gameMode" => score.game_mode = map.next_value()?,
                "gameRegion" => score.game_region = map.next_value()?,
                "playedAt" => score.played_at = map.next_value()?,
                _ => score.profile = map.next_value()?,
            }
            Ok(())
        })?;
        score.extra = extra;
        Ok(Ok(score))
    }
}

/// A profile object as sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct SentProfile {
    pub user_name: Sent<String>,
    pub avatar_url: Sent<String>,
    pub achievements: Sent<Vec<Sent<String>>>,
    pub extra: Extra,
}

impl Lenient for SentProfile {
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Result<Self, Found>, A::Error> {
        let mut profile = SentProfile::default();
        let extra = read_object(map, &PROFILE_FIELDS, |field, map| {
            match field {
                "userName" => profile.user_name = map.next_value()?,
                "avatarUrl" => profile.avatar_url = map.next_value()?,
                _ => profile.achievements = map.next_value()?,
            }
            Ok(())
        })?;
        profile.extra = extra;
        Ok(Ok(profile))
    }
}

/// One score or a batch, as sent.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SentShape {
    One(Box<SentScore>),
    Batch(Vec<Sent<SentScore>>),
}

impl Lenient for SentShape {
    fn from_seq<'de, A: SeqAccess<'de>>(seq: A) -> Result<Result<Self, Found>, A::Error> {
        Ok(Vec::<Sent<SentScore>>::from_seq(seq)?.map(SentShape::Batch))
    }
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Result<Self, Found>, A::Error> {
        Ok(SentScore::from_map(map)?.map(|score| SentShape::One(Box::new(score))))
    }
}

/// The body of `POST /api/scores` as sent: reading it fails only on malformed input
/// (`de::Error` from the format); [`PostBody::validate`](super::PostBody::validate)
/// judges the content.
#[derive(Debug, Clone, PartialEq)]
pub struct PostBody(pub(crate) Sent<SentShape>);

impl<'de> Deserialize<'de> for PostBody {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Sent::deserialize(deserializer).map(PostBody)
    }
}
