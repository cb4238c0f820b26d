//! The one options type of the widget, parsed and validated from string pairs.
//!
//! Every way of configuring a widget ends here: `data-*` attributes (kebab-case,
//! `data-page-size`), custom-element attributes (`page-size`) and JS objects (`pageSize`)
//! are all turned into `(name, value)` pairs and given to [`WidgetOptions::from_pairs`].
//! A bad value gives an [`OptionError`] whose message names the option in both spellings.

use std::fmt;

use leaderboard_model::{
    SortKey, SortOrder, DEFAULT_PAGE_SIZE, LEADERBOARD_PATH, MAX_AROUND_LEN, MAX_FILTER_LEN,
    MAX_PAGE_SIZE,
};

/// The model's one URL rule: what the endpoint option and avatar images accept.
pub use leaderboard_model::is_http_or_relative_url;

/// Longest endpoint URL accepted.
const MAX_ENDPOINT_LEN: usize = 2048;
/// Longest title accepted.
const MAX_TITLE_LEN: usize = 200;
/// Longest locale tag accepted (BCP 47 tags in practice stay well under this).
const MAX_LOCALE_LEN: usize = 35;
/// Longest live refresh interval, in seconds (a day).
const MAX_REFRESH_SECONDS: u32 = 86_400;

/// Colour theme. `Auto` follows `prefers-color-scheme`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Dark,
    Light,
    Auto,
}

/// Everything a host can set on a widget, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WidgetOptions {
    /// URL of the leaderboard endpoint (absolute http(s) or relative).
    pub endpoint: String,
    /// Initial (or, when locked, fixed) mode filter; `None` for all modes.
    pub mode: Option<String>,
    pub region: Option<String>,
    /// The mode filter cannot be changed by the reader (its control is hidden).
    pub lock_mode: bool,
    pub lock_region: bool,
    pub page_size: u32,
    pub sort: SortKey,
    /// Resolved: the sort key's default order when not given.
    pub order: SortOrder,
    pub theme: Theme,
    /// BCP 47 locale for numbers; `None` for the reader's own.
    pub locale: Option<String>,
    pub title: String,
    pub show_filters: bool,
    pub show_search: bool,
    pub compact: bool,
    /// Live refresh interval in seconds; `None` when off.
    pub refresh: Option<u32>,
    /// Keep filters in the page URL (`?mode=Solo&region=Milky%20Way`).
    pub sync_url: bool,
    /// A profile id: shows a "Find me" button that jumps to that player's page.
    pub player: Option<String>,
}

impl Default for WidgetOptions {
    fn default() -> Self {
        WidgetOptions {
            endpoint: LEADERBOARD_PATH.to_string(),
            mode: None,
            region: None,
            lock_mode: false,
            lock_region: false,
            page_size: DEFAULT_PAGE_SIZE,
            sort: SortKey::Score,
            order: SortKey::Score.default_order(),
            theme: Theme::Dark,
            locale: None,
            title: "Space Game leaderboard".to_string(),
            show_filters: true,
            show_search: true,
            compact: false,
            refresh: None,
            sync_url: false,
            player: None,
        }
    }
}

/// An option value that could not be accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionError {
    /// The option's camelCase name (`pageSize`).
    pub option: String,
    /// What was wrong and what is expected.
    pub message: String,
}

impl fmt::Display for OptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Invalid option {} (data-{}): {}",
            self.option,
            kebab_case(&self.option),
            self.message
        )
    }
}

impl std::error::Error for OptionError {}

impl WidgetOptions {
    /// Parses `(name, value)` pairs. Names may be camelCase (`pageSize`), kebab-case
    /// (`page-size`) or `data-` attributes (`data-page-size`); unknown names are ignored
    /// (hosts put their own data attributes on the element). For a repeated name the last
    /// value counts, so later pairs override earlier ones (`update` merges this way).
    pub fn from_pairs<I, K, V>(pairs: I) -> Result<Self, OptionError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut options = WidgetOptions::default();
        let mut order: Option<SortOrder> = None;
        // A value given to lockMode wins over `mode`, whatever the attribute order.
        let mut locked_mode: Option<Option<String>> = None;
        let mut locked_region: Option<Option<String>> = None;
        for (name, value) in pairs {
            let name = canonical_name(name.as_ref());
            let raw = value.as_ref();
            let value = raw.trim();
            // Every arm gives a plain message; the one `map_err` below names the option
            // (one error construction instead of one per option: smaller wasm).
            let parsed: Result<(), String> = (|| {
                match name.as_str() {
                    "endpoint" => options.endpoint = parse_endpoint(value)?,
                    "mode" => options.mode = parse_filter(value)?,
                    "region" => options.region = parse_filter(value)?,
                    "lockMode" => match parse_lock(value)? {
                        Lock::Off => options.lock_mode = false,
                        Lock::Current => options.lock_mode = true,
                        Lock::To(mode) => {
                            locked_mode = Some(mode);
                            options.lock_mode = true;
                        }
                    },
                    "lockRegion" => match parse_lock(value)? {
                        Lock::Off => options.lock_region = false,
                        Lock::Current => options.lock_region = true,
                        Lock::To(region) => {
                            locked_region = Some(region);
                            options.lock_region = true;
                        }
                    },
                    "pageSize" => options.page_size = parse_page_size(value)?,
                    "sort" => {
                        options.sort = value
                            .parse::<SortKey>()
                            .map_err(|_| expected("score, player, mode or region", raw))?
                    }
                    "order" => {
                        order = Some(
                            value
                                .parse::<SortOrder>()
                                .map_err(|_| expected("asc or desc", raw))?,
                        )
                    }
                    "theme" => options.theme = parse_theme(value)?,
                    "locale" => options.locale = parse_locale(value)?,
                    "title" => {
                        if value.chars().count() > MAX_TITLE_LEN {
                            return Err(format!("at most {MAX_TITLE_LEN} characters"));
                        }
                        options.title = value.to_string();
                    }
                    "showFilters" => options.show_filters = parse_bool(value)?,
                    "showSearch" => options.show_search = parse_bool(value)?,
                    "compact" => options.compact = parse_bool(value)?,
                    "refresh" => options.refresh = parse_refresh(value)?,
                    "syncUrl" => options.sync_url = parse_bool(value)?,
                    "player" => options.player = parse_player(value)?,
                    _ => {}
                }
                Ok(())
            })();
            parsed.map_err(|message| OptionError {
                option: name,
                message,
            })?;
        }
        options.order = order.unwrap_or(options.sort.default_order());
        if let Some(mode) = locked_mode {
            options.mode = mode;
        }
        if let Some(region) = locked_region {
            options.region = region;
        }
        Ok(options)
    }

    /// Page sizes offered to the reader: the usual ones plus the configured one.
    pub fn page_size_choices(&self) -> Vec<u32> {
        let mut sizes = vec![10, 25, 50];
        if !sizes.contains(&self.page_size) {
            sizes.push(self.page_size);
            sizes.sort_unstable();
        }
        sizes
    }
}

/// `data-page-size`, `page-size` and `pageSize` all become `pageSize`.
pub fn canonical_name(name: &str) -> String {
    let name = name.trim();
    let name = name.strip_prefix("data-").unwrap_or(name);
    let mut out = String::with_capacity(name.len());
    let mut upper_next = false;
    for c in name.chars() {
        if c == '-' || c == '_' {
            upper_next = true;
        } else if upper_next {
            // ASCII only: option names are ASCII (a Unicode case table would cost the wasm
            // 8 kB gzip), and any other name is unknown anyway.
            out.push(c.to_ascii_uppercase());
            upper_next = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `pageSize` becomes `page-size` (for messages naming the attribute).
pub fn kebab_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn expected(what: &str, got: &str) -> String {
    let shown: String = got.chars().take(40).collect();
    format!("expected {what}, got \"{shown}\"")
}

fn parse_endpoint(value: &str) -> Result<String, String> {
    if value.is_empty() {
        return Err("must not be empty (the URL of the leaderboard function)".to_string());
    }
    if value.len() > MAX_ENDPOINT_LEN {
        return Err(format!("at most {MAX_ENDPOINT_LEN} characters"));
    }
    if value.chars().any(char::is_control) || !is_http_or_relative_url(value) {
        return Err(expected("an http(s) URL or a relative path", value));
    }
    Ok(value.trim_end_matches('/').to_string())
}

fn parse_filter(value: &str) -> Result<Option<String>, String> {
    if value.len() > MAX_FILTER_LEN {
        return Err(format!("at most {MAX_FILTER_LEN} bytes"));
    }
    Ok((!value.is_empty()).then(|| value.to_string()))
}

/// What a `lockMode` / `lockRegion` value asks for.
enum Lock {
    Off,
    /// `true`: lock whatever the `mode` (`region`) option says.
    Current,
    /// Any other text: the value to lock to (`data-lock-mode="Solo"`).
    To(Option<String>),
}

fn parse_lock(value: &str) -> Result<Lock, String> {
    match parse_bool(value) {
        Ok(true) => Ok(Lock::Current),
        Ok(false) => Ok(Lock::Off),
        Err(_) => parse_filter(value).map(Lock::To),
    }
}

fn parse_page_size(value: &str) -> Result<u32, String> {
    match value.parse::<u32>() {
        Ok(size) if (1..=MAX_PAGE_SIZE).contains(&size) => Ok(size),
        _ => Err(expected(
            &format!("a whole number from 1 to {MAX_PAGE_SIZE}"),
            value,
        )),
    }
}

fn parse_theme(value: &str) -> Result<Theme, String> {
    match value.to_ascii_lowercase().as_str() {
        "dark" => Ok(Theme::Dark),
        "light" => Ok(Theme::Light),
        "auto" | "" => Ok(Theme::Auto),
        _ => Err(expected("light, dark or auto", value)),
    }
}

fn parse_locale(value: &str) -> Result<Option<String>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    let well_formed = value.len() <= MAX_LOCALE_LEN
        && value
            .split('-')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric()));
    if well_formed {
        Ok(Some(value.to_string()))
    } else {
        Err(expected("a language tag like en-US or de", value))
    }
}

/// Present-but-empty counts as true, as for HTML boolean attributes (`data-compact`).
fn parse_bool(value: &str) -> Result<bool, String> {
    match value.to_ascii_lowercase().as_str() {
        "" | "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(expected("true or false", value)),
    }
}

fn parse_refresh(value: &str) -> Result<Option<u32>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    match value.parse::<u32>() {
        Ok(0) => Ok(None),
        Ok(seconds) if seconds <= MAX_REFRESH_SECONDS => Ok(Some(seconds)),
        _ => Err(expected(
            &format!("a number of seconds from 1 to {MAX_REFRESH_SECONDS} (0 for off)"),
            value,
        )),
    }
}

fn parse_player(value: &str) -> Result<Option<String>, String> {
    if value.len() > MAX_AROUND_LEN {
        return Err(format!("at most {MAX_AROUND_LEN} bytes"));
    }
    Ok((!value.is_empty()).then(|| value.to_string()))
}
