//! The one options type of the widget, parsed and validated from string pairs, and the
//! table of every option ([`OptionName`], [`OptionName::spec`]).
//!
//! Every way of configuring a widget ends here: `data-*` attributes (kebab-case,
//! `data-page-size`), custom-element attributes (`page-size`) and JS objects (`pageSize`)
//! are all turned into `(name, value)` pairs and given to [`WidgetOptions::from_pairs`].
//! A bad value gives an [`OptionError`] whose message names the option in both spellings,
//! in the reader's language ([`OptionError::message`], from the language files).
//!
//! [`OptionName::ALL`] is the one list of options. The embed's option names
//! (`www/src/options.js`), the option types of `www/src/index.d.ts` and the options table
//! of `www/README.md` are generated from it and its specs by `tests/generated.rs`, which
//! fails while a checked-in copy differs.

use std::fmt;

use crate::i18n::{Msg, Texts};
use leaderboard_model::{
    PeriodKind, SortKey, SortOrder, View, DEFAULT_PAGE_SIZE, LEADERBOARD_PATH, MAX_AROUND_LEN,
    MAX_FILTER_LEN, MAX_PAGE_SIZE,
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

/// Every option a host can set. The camelCase name ([`OptionName::as_str`]) is the JS
/// spelling; attributes use its kebab-case form (`page-size`, `data-page-size`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionName {
    Endpoint,
    Mode,
    Region,
    LockMode,
    LockRegion,
    Period,
    LockPeriod,
    View,
    PageSize,
    Sort,
    Order,
    Theme,
    Locale,
    Lang,
    Title,
    ShowFilters,
    ShowSearch,
    Compact,
    Refresh,
    SyncUrl,
    Player,
}

impl OptionName {
    /// Every option, in the order the docs list them.
    pub const ALL: [OptionName; 21] = [
        OptionName::Endpoint,
        OptionName::Mode,
        OptionName::Region,
        OptionName::LockMode,
        OptionName::LockRegion,
        OptionName::Period,
        OptionName::LockPeriod,
        OptionName::View,
        OptionName::PageSize,
        OptionName::Sort,
        OptionName::Order,
        OptionName::Theme,
        OptionName::Locale,
        OptionName::Lang,
        OptionName::Title,
        OptionName::ShowFilters,
        OptionName::ShowSearch,
        OptionName::Compact,
        OptionName::Refresh,
        OptionName::SyncUrl,
        OptionName::Player,
    ];

    /// The camelCase name (`pageSize`).
    pub fn as_str(self) -> &'static str {
        match self {
            OptionName::Endpoint => "endpoint",
            OptionName::Mode => "mode",
            OptionName::Region => "region",
            OptionName::LockMode => "lockMode",
            OptionName::LockRegion => "lockRegion",
            OptionName::Period => "period",
            OptionName::LockPeriod => "lockPeriod",
            OptionName::View => "view",
            OptionName::PageSize => "pageSize",
            OptionName::Sort => "sort",
            OptionName::Order => "order",
            OptionName::Theme => "theme",
            OptionName::Locale => "locale",
            OptionName::Lang => "lang",
            OptionName::Title => "title",
            OptionName::ShowFilters => "showFilters",
            OptionName::ShowSearch => "showSearch",
            OptionName::Compact => "compact",
            OptionName::Refresh => "refresh",
            OptionName::SyncUrl => "syncUrl",
            OptionName::Player => "player",
        }
    }

    /// The option a camelCase name stands for ([`canonical_name`] gives that spelling).
    pub fn from_name(name: &str) -> Option<OptionName> {
        OptionName::ALL
            .into_iter()
            .find(|option| option.as_str() == name)
    }

    /// What the option takes, its default and what it does: the source of the embed's
    /// generated docs and types. Not used by the widget itself.
    pub fn spec(self) -> OptionSpec {
        use ValueKind::{Flag, FlagOrText, Number, OneOf, Text};
        let (kind, default, doc) = match self {
            OptionName::Endpoint => (
                Text,
                format!("`{LEADERBOARD_PATH}`"),
                "URL of the leaderboard function (absolute http(s) or relative).".to_string(),
            ),
            OptionName::Mode => (
                Text,
                "all modes (also when empty)".to_string(),
                "Initial game mode filter (`Solo`, `Duo`, `Trio`).".to_string(),
            ),
            OptionName::Region => (
                Text,
                "all regions (also when empty)".to_string(),
                "Initial region filter (`Milky Way`, `Andromeda`, …).".to_string(),
            ),
            OptionName::LockMode => (
                FlagOrText,
                "`false`".to_string(),
                "Locks the mode filter and hides its control: `true` locks `mode`, a name \
                 (`Solo`) locks to that mode."
                    .to_string(),
            ),
            OptionName::LockRegion => (
                FlagOrText,
                "`false`".to_string(),
                "Locks the region filter and hides its control: `true` locks `region`, a name \
                 locks to that region."
                    .to_string(),
            ),
            OptionName::Period => (
                OneOf {
                    type_name: "LeaderboardPeriod",
                    values: PeriodKind::ALL.iter().map(|kind| kind.as_str()).collect(),
                },
                format!("`{}`", PeriodKind::default().as_str()),
                "Initial period tab: all time, or the current UTC day, ISO week or month (the \
                 tabs show when the data has timed scores)."
                    .to_string(),
            ),
            OptionName::LockPeriod => (
                FlagOrText,
                "`false`".to_string(),
                "Locks the period and hides its tabs: `true` locks `period`, a period \
                 (`week`) locks to that period."
                    .to_string(),
            ),
            OptionName::View => (
                OneOf {
                    type_name: "LeaderboardView",
                    values: View::ALL.iter().map(|view| view.as_str()).collect(),
                },
                format!("`{}`", View::default().as_str()),
                "`scores` lists every score, `best` each player once with their best score (the \
                 \"Best per player\" switch)."
                    .to_string(),
            ),
            OptionName::PageSize => (
                Number,
                format!("`{DEFAULT_PAGE_SIZE}`"),
                format!("Rows per page, 1 to {MAX_PAGE_SIZE}."),
            ),
            OptionName::Sort => (
                OneOf {
                    type_name: "LeaderboardSort",
                    values: SortKey::ALL.iter().map(|key| key.as_str()).collect(),
                },
                format!("`{}`", SortKey::default().as_str()),
                "Sort key; the function sorts the whole board.".to_string(),
            ),
            OptionName::Order => (
                OneOf {
                    type_name: "LeaderboardOrder",
                    values: vec![SortOrder::Asc.as_str(), SortOrder::Desc.as_str()],
                },
                "`desc` for `score`, `asc` for the others".to_string(),
                "Sort order.".to_string(),
            ),
            OptionName::Theme => (
                OneOf {
                    type_name: "LeaderboardTheme",
                    values: Theme::ALL.iter().map(|theme| theme.as_str()).collect(),
                },
                format!("`{}`", Theme::default().as_str()),
                "Colour theme; `auto` follows `prefers-color-scheme`.".to_string(),
            ),
            OptionName::Locale => (
                Text,
                "the widget's language".to_string(),
                "BCP 47 locale for numbers (`de`, `en-US`), set apart from the language."
                    .to_string(),
            ),
            OptionName::Lang => (
                Text,
                "the host's nearest `lang`, then `<html lang>`, then the browser's".to_string(),
                "BCP 47 language of the widget's text (`de`, `pt-BR`, `zh-CN`, `ar`); English \
                 when no language file matches."
                    .to_string(),
            ),
            OptionName::Title => (
                Text,
                "`Space Game leaderboard`, in the widget's language".to_string(),
                format!("Table caption, at most {MAX_TITLE_LEN} characters."),
            ),
            OptionName::ShowFilters => (
                Flag,
                "`true`".to_string(),
                "Shows the mode and region filters.".to_string(),
            ),
            OptionName::ShowSearch => (
                Flag,
                "`true`".to_string(),
                "Shows the player search box.".to_string(),
            ),
            OptionName::Compact => (
                Flag,
                "`false`".to_string(),
                "Denser rows and smaller type.".to_string(),
            ),
            OptionName::Refresh => (
                Number,
                "off".to_string(),
                format!(
                    "Live refresh every N seconds (1 to {MAX_REFRESH_SECONDS}; 0 = off), \
                     paused while the page is hidden."
                ),
            ),
            OptionName::SyncUrl => (
                Flag,
                "`false`".to_string(),
                "Keeps the filters in the page URL (`?mode=Solo&region=Milky%20Way`): for the \
                 game's own page, not for embeds."
                    .to_string(),
            ),
            OptionName::Player => (
                Text,
                "none".to_string(),
                "A profile id: shows a \"Find me\" button that jumps to that player's page."
                    .to_string(),
            ),
        };
        OptionSpec {
            option: self,
            kind,
            default,
            doc,
        }
    }
}

/// What an option's value looks like (for the generated TypeScript declarations).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueKind {
    /// Any text (length-limited).
    Text,
    /// `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`); a present empty attribute is true.
    Flag,
    /// A flag, or the value to lock to (`lockMode="Solo"`).
    FlagOrText,
    /// A whole number (attributes give it as text).
    Number,
    /// One of a few words, named `type_name` in TypeScript.
    OneOf {
        type_name: &'static str,
        values: Vec<&'static str>,
    },
}

/// One row of the options table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionSpec {
    pub option: OptionName,
    pub kind: ValueKind,
    /// The default, as the docs show it (Markdown).
    pub default: String,
    /// What the option does, one sentence (Markdown).
    pub doc: String,
}

/// Colour theme. `Auto` follows `prefers-color-scheme`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Dark,
    Light,
    Auto,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::Dark, Theme::Light, Theme::Auto];

    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Dark => "dark",
            Theme::Light => "light",
            Theme::Auto => "auto",
        }
    }
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
    /// Initial (or, when locked, fixed) period tab.
    pub period: PeriodKind,
    /// The period cannot be changed by the reader (its tabs are hidden).
    pub lock_period: bool,
    /// Every score, or each player's best (the "Best per player" switch's initial state).
    pub view: View,
    pub page_size: u32,
    pub sort: SortKey,
    /// Resolved: the sort key's default order when not given.
    pub order: SortOrder,
    pub theme: Theme,
    /// BCP 47 locale for numbers; `None` for the language's.
    pub locale: Option<String>,
    /// BCP 47 language of the text (src/i18n.rs resolves it to a language file); `None`
    /// for English on the board page, while `mount` fills in the host's language.
    pub lang: Option<String>,
    /// The caption; `None` for the default caption in the widget's language.
    pub title: Option<String>,
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
            period: PeriodKind::All,
            lock_period: false,
            view: View::Scores,
            page_size: DEFAULT_PAGE_SIZE,
            sort: SortKey::Score,
            order: SortKey::Score.default_order(),
            theme: Theme::Dark,
            locale: None,
            lang: None,
            title: None,
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
    pub problem: Problem,
}

/// What was wrong with a value, as a message of the language files: what is accepted
/// (`expectPageSize`, then "expected …, got "…"") or what is wrong (`optionAtMostBytes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    what: Msg,
    /// The `{max}` of `what` (0 when it has none).
    max: usize,
    /// The value given (its first 40 characters), when `what` says what is accepted.
    got: Option<String>,
}

impl Problem {
    /// `what` is accepted, `got` was given.
    pub fn expected(what: Msg, max: usize, got: &str) -> Self {
        Problem {
            what,
            max,
            got: Some(got.chars().take(40).collect()),
        }
    }

    /// The value is wrong as `what` says (`max` for its `{max}`).
    pub fn wrong(what: Msg, max: usize) -> Self {
        Problem {
            what,
            max,
            got: None,
        }
    }
}

impl OptionError {
    /// The message in `texts`' language, naming the option in both spellings.
    pub fn message(&self, texts: &Texts) -> String {
        let max = self.problem.max.to_string();
        let what = texts.plural(self.problem.what, self.problem.max as u64, &[("max", &max)]);
        let problem = match &self.problem.got {
            Some(got) => texts.fill(Msg::OptionExpected, &[("what", &what), ("value", got)]),
            None => what,
        };
        texts.fill(
            Msg::OptionInvalid,
            &[
                ("option", &self.option),
                ("attribute", &kebab_case(&self.option)),
                ("problem", &problem),
            ],
        )
    }
}

/// The English sentence (logs, the API); readers see [`OptionError::message`].
impl fmt::Display for OptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(&crate::i18n::english()))
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
        let mut locked_period: Option<PeriodKind> = None;
        for (name, value) in pairs {
            let name = canonical_name(name.as_ref());
            let raw = value.as_ref();
            let value = raw.trim();
            // Every arm gives a plain message; the one `map_err` below names the option
            // (size rule "one error construction").
            let parsed: Result<(), Problem> = (|| {
                let Some(option) = OptionName::from_name(&name) else {
                    // Not an option: hosts put their own data attributes on the element.
                    return Ok(());
                };
                match option {
                    OptionName::Endpoint => options.endpoint = parse_endpoint(value)?,
                    OptionName::Mode => options.mode = parse_filter(value)?,
                    OptionName::Region => options.region = parse_filter(value)?,
                    OptionName::LockMode => match parse_lock(value)? {
                        Lock::Off => options.lock_mode = false,
                        Lock::Current => options.lock_mode = true,
                        Lock::To(mode) => {
                            locked_mode = Some(mode);
                            options.lock_mode = true;
                        }
                    },
                    OptionName::LockRegion => match parse_lock(value)? {
                        Lock::Off => options.lock_region = false,
                        Lock::Current => options.lock_region = true,
                        Lock::To(region) => {
                            locked_region = Some(region);
                            options.lock_region = true;
                        }
                    },
                    OptionName::Period => options.period = parse_period(value)?,
                    OptionName::LockPeriod => match parse_bool(value) {
                        Ok(lock) => options.lock_period = lock,
                        Err(_) => {
                            locked_period = Some(parse_period(value)?);
                            options.lock_period = true;
                        }
                    },
                    OptionName::View => {
                        options.view = match value {
                            "" => View::Scores,
                            _ => value
                                .parse::<View>()
                                .map_err(|_| Problem::expected(Msg::ExpectView, 0, raw))?,
                        }
                    }
                    OptionName::PageSize => options.page_size = parse_page_size(value)?,
                    OptionName::Sort => {
                        options.sort = value
                            .parse::<SortKey>()
                            .map_err(|_| Problem::expected(Msg::ExpectSort, 0, raw))?
                    }
                    OptionName::Order => {
                        order = Some(
                            value
                                .parse::<SortOrder>()
                                .map_err(|_| Problem::expected(Msg::ExpectOrder, 0, raw))?,
                        )
                    }
                    OptionName::Theme => options.theme = parse_theme(value)?,
                    OptionName::Locale => options.locale = parse_locale(value)?,
                    OptionName::Lang => options.lang = parse_locale(value)?,
                    OptionName::Title => {
                        if value.chars().count() > MAX_TITLE_LEN {
                            return Err(Problem::wrong(Msg::OptionAtMostCharacters, MAX_TITLE_LEN));
                        }
                        options.title = Some(value.to_string());
                    }
                    OptionName::ShowFilters => options.show_filters = parse_bool(value)?,
                    OptionName::ShowSearch => options.show_search = parse_bool(value)?,
                    OptionName::Compact => options.compact = parse_bool(value)?,
                    OptionName::Refresh => options.refresh = parse_refresh(value)?,
                    OptionName::SyncUrl => options.sync_url = parse_bool(value)?,
                    OptionName::Player => options.player = parse_player(value)?,
                }
                Ok(())
            })();
            parsed.map_err(|problem| OptionError {
                option: name,
                problem,
            })?;
        }
        options.order = order.unwrap_or(options.sort.default_order());
        if let Some(mode) = locked_mode {
            options.mode = mode;
        }
        if let Some(region) = locked_region {
            options.region = region;
        }
        if let Some(period) = locked_period {
            options.period = period;
        }
        Ok(options)
    }

    /// The supported language the text is shown in (`en` when none matches).
    pub fn language(&self) -> &'static str {
        crate::i18n::resolve(self.lang.as_deref())
    }

    /// The host names a period or view (`period`, `lockPeriod`, `view`): it expects timed
    /// scores, so the widget draws its periods row from the first render (and the loader
    /// reserves its height, www/src/reserve.js).
    pub fn names_period_or_view(&self) -> bool {
        !self.period.is_all() || self.lock_period || !self.view.is_scores()
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
            // ASCII only: option names are ASCII, and any other name is unknown anyway
            // (size rule "no Unicode tables").
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

fn parse_endpoint(value: &str) -> Result<String, Problem> {
    if value.is_empty() {
        return Err(Problem::wrong(Msg::OptionEndpointEmpty, 0));
    }
    if value.len() > MAX_ENDPOINT_LEN {
        return Err(Problem::wrong(
            Msg::OptionAtMostCharacters,
            MAX_ENDPOINT_LEN,
        ));
    }
    if value.chars().any(char::is_control) || !is_http_or_relative_url(value) {
        return Err(Problem::expected(Msg::ExpectUrl, 0, value));
    }
    Ok(value.trim_end_matches('/').to_string())
}

fn parse_filter(value: &str) -> Result<Option<String>, Problem> {
    if value.len() > MAX_FILTER_LEN {
        return Err(Problem::wrong(Msg::OptionAtMostBytes, MAX_FILTER_LEN));
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

fn parse_lock(value: &str) -> Result<Lock, Problem> {
    match parse_bool(value) {
        Ok(true) => Ok(Lock::Current),
        Ok(false) => Ok(Lock::Off),
        Err(_) => parse_filter(value).map(Lock::To),
    }
}

/// A period option: `all`, `day`, `week` or `month` (any case; empty: all time).
fn parse_period(value: &str) -> Result<PeriodKind, Problem> {
    if value.is_empty() {
        return Ok(PeriodKind::All);
    }
    value
        .parse::<PeriodKind>()
        .map_err(|_| Problem::expected(Msg::ExpectPeriod, 0, value))
}

fn parse_page_size(value: &str) -> Result<u32, Problem> {
    match value.parse::<u32>() {
        Ok(size) if (1..=MAX_PAGE_SIZE).contains(&size) => Ok(size),
        _ => Err(Problem::expected(
            Msg::ExpectPageSize,
            MAX_PAGE_SIZE as usize,
            value,
        )),
    }
}

fn parse_theme(value: &str) -> Result<Theme, Problem> {
    match value.to_ascii_lowercase().as_str() {
        "dark" => Ok(Theme::Dark),
        "light" => Ok(Theme::Light),
        "auto" | "" => Ok(Theme::Auto),
        _ => Err(Problem::expected(Msg::ExpectTheme, 0, value)),
    }
}

fn parse_locale(value: &str) -> Result<Option<String>, Problem> {
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
        Err(Problem::expected(Msg::ExpectLanguageTag, 0, value))
    }
}

/// The words a flag accepts for true (any case). Present-but-empty counts as true, as for
/// HTML boolean attributes (`data-compact`).
pub const TRUE_WORDS: [&str; 5] = ["", "true", "1", "yes", "on"];
/// The words a flag accepts for false (any case).
pub const FALSE_WORDS: [&str; 4] = ["false", "0", "no", "off"];

fn parse_bool(value: &str) -> Result<bool, Problem> {
    let value_lower = value.to_ascii_lowercase();
    if TRUE_WORDS.contains(&value_lower.as_str()) {
        Ok(true)
    } else if FALSE_WORDS.contains(&value_lower.as_str()) {
        Ok(false)
    } else {
        Err(Problem::expected(Msg::ExpectFlag, 0, value))
    }
}

fn parse_refresh(value: &str) -> Result<Option<u32>, Problem> {
    if value.is_empty() {
        return Ok(None);
    }
    match value.parse::<u32>() {
        Ok(0) => Ok(None),
        Ok(seconds) if seconds <= MAX_REFRESH_SECONDS => Ok(Some(seconds)),
        _ => Err(Problem::expected(
            Msg::ExpectRefresh,
            MAX_REFRESH_SECONDS as usize,
            value,
        )),
    }
}

fn parse_player(value: &str) -> Result<Option<String>, Problem> {
    if value.len() > MAX_AROUND_LEN {
        return Err(Problem::wrong(Msg::OptionAtMostBytes, MAX_AROUND_LEN));
    }
    Ok((!value.is_empty()).then(|| value.to_string()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> Result<WidgetOptions, OptionError> {
        WidgetOptions::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn period_and_view_are_read_in_every_spelling_and_default_to_all_scores() {
        let defaults = parse(&[]).unwrap();
        assert_eq!(
            (defaults.period, defaults.lock_period, defaults.view),
            (PeriodKind::All, false, View::Scores)
        );
        for pairs in [
            [("data-period", "week"), ("data-view", "best")],
            [("period", " Week "), ("view", "BEST")],
        ] {
            let options = parse(&pairs).unwrap();
            assert_eq!(options.period, PeriodKind::Week);
            assert_eq!(options.view, View::Best);
            assert!(!options.lock_period);
        }
        assert_eq!(parse(&[("period", "")]).unwrap().period, PeriodKind::All);
        assert_eq!(parse(&[("view", "")]).unwrap().view, View::Scores);
    }

    #[test]
    fn lock_period_locks_the_period_option_or_the_period_it_names() {
        let locked = parse(&[("lockPeriod", "true"), ("period", "month")]).unwrap();
        assert_eq!(
            (locked.period, locked.lock_period),
            (PeriodKind::Month, true)
        );
        // A named period wins over `period`, whatever the order.
        let named = parse(&[("data-lock-period", "day"), ("data-period", "week")]).unwrap();
        assert_eq!((named.period, named.lock_period), (PeriodKind::Day, true));
        let present = parse(&[("data-lock-period", "")]).unwrap();
        assert_eq!(
            (present.period, present.lock_period),
            (PeriodKind::All, true)
        );
        let off = parse(&[("lockPeriod", "off"), ("period", "day")]).unwrap();
        assert_eq!((off.period, off.lock_period), (PeriodKind::Day, false));
    }

    #[test]
    fn bad_period_and_view_values_name_the_option_and_what_it_takes() {
        for (pairs, message) in [
            (
                [("data-period", "year")],
                "Invalid option period (data-period): expected all, day, week or month, got \"year\"",
            ),
            (
                [("lockPeriod", "fortnight")],
                "Invalid option lockPeriod (data-lock-period): expected all, day, week or month, \
                 got \"fortnight\"",
            ),
            (
                [("view", "players")],
                "Invalid option view (data-view): expected scores or best, got \"players\"",
            ),
        ] {
            assert_eq!(parse(&pairs).unwrap_err().to_string(), message);
        }
    }
}
