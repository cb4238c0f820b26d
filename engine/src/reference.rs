//! The naive leaderboard: filter + sort + skip + take over all records on every call, as the
//! original C# function did. It is the specification the indexed [`crate::Engine`] is tested
//! against and the baseline it is benchmarked against. O(n log n) per query.
//!
//! Periods and views, in the order they apply: the selection is the served scores in the
//! query's mode and region and (for a resetting period) whose `playedAt` lies in the resolved
//! query's [`LeaderboardQuery::period_window`] (a score without a time counts for all time
//! only; a query with a resetting period must be resolved first, an unresolved one selects
//! nothing). `view=best` then keeps the first score of each profile in leaderboard order.
//! Everything else (`q`, sorts, competition ranks, `around`, totals) works on those rows.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use leaderboard_model::{
    FacetCount, LeaderboardEntry, LeaderboardMeta, LeaderboardQuery, LeaderboardResponse,
    PeriodsMeta, PlayedAt, Profile, Retention, ScoreRecord, SortKey, SortOrder, View,
};

use crate::QueryError;

/// Leaderboard order: higher score first, equal scores by record id (byte order).
pub fn rank_order(a: &ScoreRecord, b: &ScoreRecord) -> Ordering {
    b.score.cmp(&a.score).then_with(|| a.id.cmp(&b.id))
}

/// The key players read names by: lower-cased, so "alice" and "Alice" sort together.
pub fn name_key(name: &str) -> String {
    name.to_lowercase()
}

/// Whether a player's name matches the `q` prefix, case-insensitively.
pub fn name_matches(name: &str, q: &str) -> bool {
    name_key(name).starts_with(&name_key(q))
}

/// The ascending order of `sort`: the key, then leaderboard order. (`sort=score` ascending
/// is the exact reverse of leaderboard order.) Descending is the exact reverse of this.
pub fn ascending_order(
    sort: SortKey,
    a: (&ScoreRecord, &Profile),
    b: (&ScoreRecord, &Profile),
) -> Ordering {
    match sort {
        SortKey::Score => rank_order(b.0, a.0),
        SortKey::Player => name_key(&a.1.user_name)
            .cmp(&name_key(&b.1.user_name))
            .then_with(|| a.1.user_name.cmp(&b.1.user_name))
            .then_with(|| rank_order(a.0, b.0)),
        SortKey::Mode => {
            a.0.game_mode
                .cmp(&b.0.game_mode)
                .then_with(|| rank_order(a.0, b.0))
        }
        SortKey::Region => {
            a.0.game_region
                .cmp(&b.0.game_region)
                .then_with(|| rank_order(a.0, b.0))
        }
    }
}

/// The records served, in input order, each with its profile. Ids should be unique and
/// every score's profile should exist (the loader enforces it); when they are not, the first
/// profile of each id is kept, scores whose profile is not kept are dropped, and then the
/// first score of each id is kept (the loader's order of checks).
pub fn served<'a>(
    scores: &'a [ScoreRecord],
    profiles: &'a [Profile],
) -> Vec<(&'a ScoreRecord, &'a Profile)> {
    let mut by_id: HashMap<&str, &Profile> = HashMap::new();
    for profile in profiles {
        by_id.entry(profile.id.as_str()).or_insert(profile);
    }
    let mut seen_score_ids: HashSet<&str> = HashSet::new();
    scores
        .iter()
        .filter_map(|s| by_id.get(s.profile_id.as_str()).map(|p| (s, *p)))
        .filter(|(s, _)| seen_score_ids.insert(s.id.as_str()))
        .collect()
}

fn in_selection(score: &ScoreRecord, query: &LeaderboardQuery) -> bool {
    query.mode.as_ref().is_none_or(|m| &score.game_mode == m)
        && query
            .region
            .as_ref()
            .is_none_or(|r| &score.game_region == r)
        && in_period(score, query)
}

/// Whether `score` counts in the query's period: every score for all time; for a resetting
/// period, a timed score inside the resolved query's window.
pub fn in_period(score: &ScoreRecord, query: &LeaderboardQuery) -> bool {
    if query.period.is_all() {
        return true;
    }
    match (query.period_window(), score.played_at) {
        (Some(window), Some(at)) => window.contains(at),
        _ => false,
    }
}

/// The rows of the query's selection (mode, region, period) in its view, in input order:
/// every score, or for `view=best` each profile's first score in leaderboard order.
pub fn selection<'a>(
    scores: &'a [ScoreRecord],
    profiles: &'a [Profile],
    query: &LeaderboardQuery,
) -> Vec<(&'a ScoreRecord, &'a Profile)> {
    let rows: Vec<(&ScoreRecord, &Profile)> = served(scores, profiles)
        .into_iter()
        .filter(|(s, _)| in_selection(s, query))
        .collect();
    match query.view {
        View::Scores => rows,
        View::Best => {
            let mut best: HashMap<&str, &ScoreRecord> = HashMap::new();
            for (s, _) in &rows {
                let slot = best.entry(s.profile_id.as_str()).or_insert(s);
                if rank_order(s, slot) == Ordering::Less {
                    *slot = s;
                }
            }
            rows.into_iter()
                .filter(|(s, _)| {
                    best.get(s.profile_id.as_str())
                        .is_some_and(|b| std::ptr::eq(*b, *s))
                })
                .collect()
        }
    }
}

pub fn query(
    scores: &[ScoreRecord],
    profiles: &[Profile],
    query: &LeaderboardQuery,
) -> Result<LeaderboardResponse, QueryError> {
    let selection = selection(scores, profiles, query);

    let mut matching: Vec<(&ScoreRecord, &Profile)> = selection
        .iter()
        .copied()
        .filter(|(_, p)| {
            query
                .q
                .as_ref()
                .is_none_or(|q| name_matches(&p.user_name, q))
        })
        .collect();
    matching.sort_by(|a, b| {
        let asc = ascending_order(query.sort, *a, *b);
        match query.order {
            SortOrder::Asc => asc,
            SortOrder::Desc => asc.reverse(),
        }
    });

    let page_size = query.page_size.max(1);
    let page = match &query.around {
        None => query.page,
        Some(profile_id) => {
            let best = matching
                .iter()
                .filter(|(s, _)| &s.profile_id == profile_id)
                .min_by(|a, b| rank_order(a.0, b.0))
                .ok_or_else(|| QueryError::AroundNotFound {
                    profile_id: profile_id.clone(),
                })?;
            let position = matching
                .iter()
                .position(|(s, _)| s.id == best.0.id)
                .unwrap_or(0);
            u32::try_from(position / page_size as usize + 1).unwrap_or(u32::MAX)
        }
    };

    let total = matching.len() as u64;
    let offset = u64::from(page.saturating_sub(1)) * u64::from(page_size);
    let entries = matching
        .iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(page_size as usize)
        .map(|(s, p)| LeaderboardEntry {
            rank: 1 + selection.iter().filter(|(o, _)| o.score > s.score).count() as u64,
            score: (*s).clone(),
            profile: (*p).clone(),
        })
        .collect();

    Ok(LeaderboardResponse::for_query(query, page, total, entries))
}

/// The competition ranks of the served score `id` with `score` points in the four
/// selections it belongs to: all, its mode, its region, its mode in its region. `None`
/// when no such score is served.
pub fn ranks_of(
    scores: &[ScoreRecord],
    profiles: &[Profile],
    id: &str,
    score: i64,
) -> Option<[u64; 4]> {
    let served = served(scores, profiles);
    let (record, _) = served
        .iter()
        .find(|(s, _)| s.id == id && s.score == score)?;
    let rank_where = |same: &dyn Fn(&ScoreRecord) -> bool| {
        1 + served
            .iter()
            .filter(|(other, _)| same(other) && other.score > score)
            .count() as u64
    };
    Some([
        rank_where(&|_| true),
        rank_where(&|other| other.game_mode == record.game_mode),
        rank_where(&|other| other.game_region == record.game_region),
        rank_where(&|other| {
            other.game_mode == record.game_mode && other.game_region == record.game_region
        }),
    ])
}

/// What the data holds: all-time facets and totals, and (when any served score has a time)
/// the periods at `now` under `retention`.
pub fn meta(
    scores: &[ScoreRecord],
    profiles: &[Profile],
    now: PlayedAt,
    retention: &Retention,
) -> LeaderboardMeta {
    let served: Vec<&ScoreRecord> = served(scores, profiles)
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    let facet = |key: fn(&ScoreRecord) -> &str| {
        let mut counts: HashMap<&str, u64> = HashMap::new();
        for s in &served {
            *counts.entry(key(s)).or_default() += 1;
        }
        let mut facets: Vec<FacetCount> = counts
            .into_iter()
            .map(|(name, count)| FacetCount {
                name: name.to_string(),
                count,
            })
            .collect();
        facets.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
        facets
    };
    LeaderboardMeta {
        modes: facet(|s| &s.game_mode),
        regions: facet(|s| &s.game_region),
        total_scores: served.len() as u64,
        total_players: served
            .iter()
            .map(|s| s.profile_id.as_str())
            .collect::<HashSet<_>>()
            .len() as u64,
        periods: if served.iter().any(|s| s.played_at.is_some()) {
            PeriodsMeta::new(now, retention, |period| {
                served
                    .iter()
                    .any(|s| s.played_at.is_some_and(|at| period.contains(at)))
            })
        } else {
            None
        },
    }
}
