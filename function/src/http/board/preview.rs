//! The board page's link preview: what chat apps, social networks and search engines show
//! for a shared board URL. The oEmbed discovery link serves hosts that embed the board; most
//! apps that unfurl a link into a card (Discord, Slack, X, LinkedIn, Teams, iMessage) read
//! Open Graph and Twitter card tags instead, and search engines read the description and
//! the canonical URL.
//!
//! The description is written from the page itself, in the page's language: the selection
//! (mode and region as the data names them, the period as the tabs name it) and the first
//! three rows with their ranks and points, or the empty state's message. Every word comes
//! from the widget's language files, so a preview never mixes languages.

use leaderboard_model::{LeaderboardQuery, LeaderboardResponse, PlayedAt};
use space_leaderboard::format::NumberFormatter;
use space_leaderboard::i18n::{Msg, Texts};

/// How many rows a preview names: a card shows two or three lines of description.
const ROWS_NAMED: usize = 3;

/// A board page's preview: its `<head>` tags.
pub struct Preview<'a> {
    /// The page's title (the board's caption).
    pub title: &'a str,
    /// The site's name in the page's language.
    pub site_name: &'a str,
    /// The board page's canonical URL (absolute).
    pub url: &'a str,
    pub description: String,
}

impl Preview<'_> {
    /// The description, canonical link, Open Graph and Twitter card tags, escaped.
    pub fn head_tags(&self) -> String {
        let attr = |text: &str| html_escape::encode_double_quoted_attribute(text).into_owned();
        let (title, site_name, url, description) = (
            attr(self.title),
            attr(self.site_name),
            attr(self.url),
            attr(&self.description),
        );
        format!(
            "<meta name=\"description\" content=\"{description}\">\
<link rel=\"canonical\" href=\"{url}\">\
<meta property=\"og:type\" content=\"website\">\
<meta property=\"og:site_name\" content=\"{site_name}\">\
<meta property=\"og:title\" content=\"{title}\">\
<meta property=\"og:description\" content=\"{description}\">\
<meta property=\"og:url\" content=\"{url}\">\
<meta name=\"twitter:card\" content=\"summary\">\
<meta name=\"twitter:title\" content=\"{title}\">\
<meta name=\"twitter:description\" content=\"{description}\">"
        )
    }
}

/// The description of `page`, the answer to the resolved query `query` read at `now`:
/// "Solo · Milky Way · This week — #1 Ada (900 points) · #2 …", in `texts`' language with
/// numbers by `numbers`.
pub fn description(
    texts: &Texts,
    numbers: &NumberFormatter,
    query: &LeaderboardQuery,
    page: &LeaderboardResponse,
    now: PlayedAt,
) -> String {
    let mut selection: Vec<String> = [&page.selected_mode, &page.selected_region]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    if let Some(period) = period_label(texts, query, now) {
        selection.push(period);
    }
    let rows: Vec<String> = page
        .scores
        .iter()
        .take(ROWS_NAMED)
        .map(|entry| {
            let rank = texts.fill(Msg::RankBadge, &[("rank", &numbers.format_u64(entry.rank))]);
            let points = texts.plural(
                Msg::Points,
                entry.score.score.unsigned_abs(),
                &[("score", &numbers.format_i64(entry.score.score))],
            );
            format!("{rank} {} ({points})", entry.profile.user_name)
        })
        .collect();
    let rows = match (rows.is_empty(), &page.q) {
        (false, _) => rows.join(" · "),
        (true, Some(q)) => texts.fill(Msg::NoPlayers, &[("q", q)]),
        (true, None) => texts.get(Msg::NoScores),
    };
    if selection.is_empty() {
        rows
    } else {
        format!("{} — {rows}", selection.join(" · "))
    }
}

/// The period as the tabs name it: the current one ("This week"), the one before
/// ("Last week"), or an older one by its first day; `None` for all time.
fn period_label(texts: &Texts, query: &LeaderboardQuery, now: PlayedAt) -> Option<String> {
    let period = query.period_window()?;
    let (current, previous) = match period.kind() {
        leaderboard_model::PeriodKind::Day => (Msg::PeriodDay, Msg::PreviousDay),
        leaderboard_model::PeriodKind::Week => (Msg::PeriodWeek, Msg::PreviousWeek),
        leaderboard_model::PeriodKind::Month => (Msg::PeriodMonth, Msg::PreviousMonth),
        leaderboard_model::PeriodKind::All => return None,
    };
    if period.contains(now) {
        Some(texts.get(current))
    } else if period.next().is_some_and(|next| next.contains(now)) {
        Some(texts.get(previous))
    } else {
        let mut day = period.start().to_string();
        day.truncate("YYYY-MM-DD".len());
        Some(day)
    }
}
