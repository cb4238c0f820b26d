//! The oEmbed 1.0 answer for a board page (`GET /api/oembed`, https://oembed.com/): a
//! `rich` embed whose `html` is an iframe of the board page.

use serde::{Deserialize, Serialize};

/// The oEmbed version answered.
pub const OEMBED_VERSION: &str = "1.0";

/// An oEmbed `rich` response. Field names are the specification's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(
        description = "An oEmbed 1.0 `rich` answer (https://oembed.com/) for a board page: `html` is an iframe of it."
    )
)]
pub struct OEmbedResponse {
    /// Always `rich`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Always [`OEMBED_VERSION`].
    pub version: String,
    pub title: String,
    pub provider_name: String,
    pub provider_url: String,
    /// Seconds a consumer may cache this answer.
    pub cache_age: u64,
    /// The iframe to insert: the board page, with a title and lazy loading.
    pub html: String,
    /// The iframe's width and height in pixels, within `maxwidth`/`maxheight` when given.
    pub width: u32,
    pub height: u32,
}
