//! The board page's link preview: what chat apps, social networks and search engines show
//! for a shared board URL. The oEmbed discovery link serves hosts that embed the board; most
//! apps that unfurl a link into a card (Discord, Slack, X, LinkedIn, Teams, iMessage) read
//! Open Graph and Twitter card tags instead, and search engines read the description and
//! the canonical URL.
//!
//! The description is written from the page itself, in the page's language: the selection
//! (mode and region as the data names them, the period as the widget's caption names it)
//! and the first three rows with their ranks and points, or the empty state's message
//! (the widget's). Every word comes from the widget's language files, so a preview never
//! mixes languages.

use leaderboard_model::{LeaderboardQuery, LeaderboardResponse, PlayedAt};
use space_leaderboard::components::periods::period_label;
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
    // The period as the widget's caption names it.
    if let Some(period) = period_label(texts, query.period, query.at, now.unix_millis()) {
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
