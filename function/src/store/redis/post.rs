//! Posted scores: one Lua script per `post_scores` call (a batch included), so a call is
//! applied all or nothing, like the embedded store: every score is checked first (a
//! conflicting id or an unknown player refuses the whole call before anything changes),
//! then all are stored, each in every set of its four selections. Idempotent by id.

use std::sync::LazyLock;

use leaderboard_model::{
    BoardRank, PeriodKind, PlayedAt, PostedScore, Profile, Retention, ScoreRecord,
};
use redis::{from_redis_value, RedisError, Script, Value};

use super::conn::Conn;
use super::keys::{
    name_key, player_prefix, prefix_successor, rank_key, score_prefix, Keys,
    DEFAULT_PREFIX_THRESHOLD, TERMINATOR,
};
use super::lua;
use super::read::{decode, ReadError};
use crate::store::NewScore;

/// KEYS[1] = the version key (routes the script to the `{lb}` slot; every key it touches
/// carries that tag). ARGV: 1 key prefix, 2 the prefix threshold an empty store adopts,
/// 3 the number of scores, 4 the function's clock (Unix milliseconds), 5-7 the days, weeks
/// and months retained, then 13 per score:
/// score id, score JSON, profile id, rank key, score prefix, mode, region, name key of the
/// sent profile ("" when none), profile JSON ("" when none), player prefix, its successor,
/// the score JSON without `playedAt` when the time was not sent but given on receipt (""
/// when sent): such a post is a retry of a stored score equal but for its time
/// (`NewScore::is_retry_of`), and the `playedAt` ("" when none). `playedAt` is the score
/// JSON's last key (`ScoreRecord`'s field order), so a stored score without its time is
/// the text before `,"playedAt":` and a closing brace: a quote inside a JSON string is
/// always escaped, so that text cannot occur in a value.
///
/// Answers `{"conflict", id}`, `{"unknown", profile id}`, or `{"ok", entry...}` with an
/// entry `{created (1|0), score JSON, profile JSON, rank all, rank mode, rank region, rank
/// mode+region}` per score (all time), ranked after the whole call. Byte-order questions go
/// to Redis (ZRANK, ZLEXCOUNT), never to Lua (`<` on strings uses the server's locale);
/// `==` on strings is byte equality.
///
/// Each new score enters its four filter selections in all time and in each retained
/// period of its `playedAt` (`lua.rs`, `scopes`); where it beats the player's best entry
/// (`best:`), the old best leaves that selection's `view=best` sets and the new one enters.
const POST_SCRIPT: &str = r#"
local P, default_t, count = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
start(P, ARGV[4], ARGV[5], ARGV[6], ARGV[7])
local FIELDS, BASE = 13, 7
local function without_time(rec)
  local at = string.find(rec, ',"playedAt":', 1, true)
  if at then return string.sub(rec, 1, at - 1) .. '}' end
  return rec
end

-- 1. Check every score; refuse the whole call on the first conflict or unknown player.
local items, added, profiled, profiled_order, created = {}, {}, {}, {}, {}
local any_created = false
for i = 1, count do
  local b = BASE + (i - 1) * FIELDS
  local it = {id = ARGV[b + 1], rec = ARGV[b + 2], pid = ARGV[b + 3], rank = ARGV[b + 4],
    hex = ARGV[b + 5], mode = ARGV[b + 6], region = ARGV[b + 7], nkey = ARGV[b + 8],
    prof = ARGV[b + 9], pfx = ARGV[b + 10], pfx_next = ARGV[b + 11], untimed = ARGV[b + 12],
    at = ARGV[b + 13]}
  items[i] = it
  local existing = redis.call('HGET', P .. 'rec', it.id) or added[it.id]
  if existing then
    -- An idempotent retry: the same score changes nothing (its profile included).
    local retry = existing == it.rec or (it.untimed ~= '' and without_time(existing) == it.untimed)
    if not retry then return {'conflict', it.id} end
    created[i] = false
  else
    if it.prof ~= '' then
      if not profiled[it.pid] then profiled_order[#profiled_order + 1] = it.pid end
      profiled[it.pid] = it
    elseif not (profiled[it.pid] or redis.call('HEXISTS', P .. 'prof', it.pid) == 1) then
      return {'unknown', it.pid}
    end
    added[it.id] = it.rec
    created[i] = true
    any_created = true
  end
end

-- Entry r2 (record rec2) of player pid is re-keyed from name key old to new in every set
-- that lists it by name: its selections' name sets and, where it is the player's best,
-- their view sets.
local function rekey(pid, r2, rec2, old, new)
  for _, sc in ipairs(scopes(rec2.playedAt)) do
    for i, s0 in ipairs(sels(rec2.gameMode, rec2.gameRegion)) do
      local s = sc[1] .. s0
      local lists = {s}
      if redis.call('HGET', P .. 'best:' .. s, pid) == r2 then
        for _, v in ipairs(view_sets(sc[1], i, s0, rec2.gameMode, rec2.gameRegion)) do
          lists[#lists + 1] = v
        end
      end
      for _, v in ipairs(lists) do
        redis.call('ZREM', P .. 'name:' .. v, old .. r2)
        redis.call('ZADD', P .. 'name:' .. v, 0, new .. r2)
        -- The ZREM may have emptied (deleted) the set: the ZADD made it anew.
        mark(P .. 'name:' .. v, sc[2])
        leave_prefixes(v, r2, old, new)
        add_to_prefixes(v, r2, new, sc[2])
      end
    end
  end
end

-- 2. Apply: profiles first (the last sent per player wins; a rename re-keys the player's
-- entries), then the new scores.
if any_created then
  if (not C.T) and redis.call('ZCARD', P .. 'score:all') == 0 then
    -- An empty store (never imported) adopts the default threshold.
    C.T = default_t
    redis.call('SET', P .. 'pfxmin', C.T)
  end
  for _, pid in ipairs(profiled_order) do
    local it = profiled[pid]
    local stored = redis.call('HGET', P .. 'prof', pid)
    if it.prof ~= stored then
      redis.call('HSET', P .. 'prof', pid, it.prof)
      local old = redis.call('HGET', P .. 'pkey', pid)
      if old ~= it.nkey then
        redis.call('HSET', P .. 'pkey', pid, it.nkey)
        if old then
          local entries = redis.call('ZRANGE', P .. 'pscores', '[' .. it.pfx, '(' .. it.pfx_next, 'BYLEX')
          for _, entry in ipairs(entries) do
            local r2 = string.sub(entry, #it.pfx + 1)
            rekey(pid, r2, record_of(r2), old, it.nkey)
          end
        end
      end
    end
  end
  redis.call('SADD', P .. 'keys', P .. 'rec', P .. 'prof', P .. 'pkey', P .. 'pscores',
    P .. 'players', P .. 'facet:mode', P .. 'facet:region', P .. 'pfxmin')
  for i, it in ipairs(items) do
    if created[i] then
      local key = redis.call('HGET', P .. 'pkey', it.pid)
      redis.call('HSET', P .. 'rec', it.id, it.rec)
      redis.call('ZADD', P .. 'pscores', 0, it.pfx .. it.rank)
      for _, sc in ipairs(scopes(it.at)) do
        local scope, expiry = sc[1], sc[2]
        for j, s0 in ipairs(sels(it.mode, it.region)) do
          local s = scope .. s0
          local sk, nk, bk = P .. 'score:' .. s, P .. 'name:' .. s, P .. 'best:' .. s
          redis.call('ZADD', sk, 0, it.rank)
          redis.call('ZADD', nk, 0, key .. it.rank)
          local best = redis.call('HGET', bk, it.pid)
          if (not best) or redis.call('ZRANK', sk, it.rank) < redis.call('ZRANK', sk, best) then
            redis.call('HSET', bk, it.pid, it.rank)
            if best then
              local old = record_of(best)
              view_move(scope, j, s0, best, old.gameMode, old.gameRegion, it.rank, it.mode,
                it.region, key, expiry)
            else
              view_enter(scope, j, s0, it.rank, it.mode, it.region, key, expiry)
            end
          end
          mark(sk, expiry)
          mark(nk, expiry)
          mark(bk, expiry)
          add_to_prefixes(s, it.rank, key, expiry)
        end
      end
      redis.call('HINCRBY', P .. 'facet:mode', it.mode, 1)
      redis.call('HINCRBY', P .. 'facet:region', it.region, 1)
      redis.call('HINCRBY', P .. 'players', it.pid, 1)
      if it.at ~= '' then
        redis.call('INCR', P .. 'timed')
        mark(P .. 'timed', false)
      end
    end
  end
  expire_marked()
  redis.call('INCR', P .. 'version')
end

-- 3. Answer, ranked after the whole call.
local out = {'ok'}
for i, it in ipairs(items) do
  local entry = {created[i] and 1 or 0, redis.call('HGET', P .. 'rec', it.id),
    redis.call('HGET', P .. 'prof', it.pid) or ''}
  for _, s in ipairs(sels(it.mode, it.region)) do
    entry[#entry + 1] = 1 + redis.call('ZLEXCOUNT', P .. 'score:' .. s, '-', '(' .. it.hex)
  end
  out[#out + 1] = entry
end
return out
"#;

static POST: LazyLock<Script> = LazyLock::new(|| Script::new(&[lua::SHARED, POST_SCRIPT].concat()));

/// Why a post was refused.
#[derive(Debug)]
pub enum PostError {
    Read(ReadError),
    UnknownProfile { profile_id: String },
    Conflict { id: String },
}

impl From<RedisError> for PostError {
    fn from(e: RedisError) -> Self {
        PostError::Read(ReadError::Redis(e))
    }
}

impl From<ReadError> for PostError {
    fn from(e: ReadError) -> Self {
        PostError::Read(e)
    }
}

impl From<redis::ParsingError> for PostError {
    fn from(e: redis::ParsingError) -> Self {
        PostError::Read(ReadError::from(e))
    }
}

/// The days, weeks and months `retention` keeps (ARGV of the post and removal scripts).
pub(super) fn retained_counts(retention: &Retention) -> Vec<u32> {
    PeriodKind::RESETTING
        .iter()
        .map(|kind| retention.count(*kind).unwrap_or(1))
        .collect()
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    // Serializing these plain structs cannot fail.
    serde_json::to_string(value).unwrap_or_default()
}

/// Stores a call's scores (and the profiles sent with them) all or nothing, in one script.
pub async fn post_all(
    conn: &mut Conn,
    keys: &Keys,
    retention: &Retention,
    now: PlayedAt,
    posts: &[NewScore],
) -> Result<Vec<PostedScore>, PostError> {
    if posts.is_empty() {
        return Ok(Vec::new());
    }
    let mut invocation = POST.key(keys.version());
    invocation
        .arg(&keys.prefix)
        .arg(DEFAULT_PREFIX_THRESHOLD)
        .arg(posts.len())
        .arg(now.unix_millis())
        .arg(retained_counts(retention));
    for post in posts {
        let record: &ScoreRecord = &post.score;
        let (name, profile_json) = match &post.profile {
            Some(profile) => (name_key(&profile.user_name), to_json(profile)),
            None => (Vec::new(), String::new()),
        };
        let prefix = player_prefix(&record.profile_id);
        let mut prefix_next = prefix[..prefix.len() - TERMINATOR.len()].to_vec();
        prefix_next.extend_from_slice(&[0, 2]);
        debug_assert!(prefix_successor(&prefix).is_some());
        let untimed = if post.time_sent {
            String::new()
        } else {
            to_json(&ScoreRecord {
                played_at: None,
                ..record.clone()
            })
        };
        invocation
            .arg(&record.id)
            .arg(to_json(record))
            .arg(&record.profile_id)
            .arg(rank_key(record))
            .arg(score_prefix(record.score))
            .arg(&record.game_mode)
            .arg(&record.game_region)
            .arg(name)
            .arg(profile_json)
            .arg(prefix)
            .arg(prefix_next)
            .arg(untimed)
            .arg(
                record
                    .played_at
                    .map(|at| at.to_string())
                    .unwrap_or_default(),
            );
    }
    let reply: Vec<Value> = invocation.invoke_async(conn).await?;
    let mut reply = reply.into_iter();
    let status: String = from_redis_value(reply.next().unwrap_or(Value::Nil))?;
    match status.as_str() {
        "conflict" => {
            let id: String = from_redis_value(reply.next().unwrap_or(Value::Nil))?;
            return Err(PostError::Conflict { id });
        }
        "unknown" => {
            let profile_id: String = from_redis_value(reply.next().unwrap_or(Value::Nil))?;
            return Err(PostError::UnknownProfile { profile_id });
        }
        _ => {}
    }
    let answers = reply
        .map(posted_entry)
        .collect::<Result<Vec<_>, PostError>>()?;
    if answers.len() != posts.len() {
        return Err(PostError::Read(ReadError::Inconsistent(
            "the post script answered for another number of scores".into(),
        )));
    }
    Ok(answers)
}

/// One `{created, score JSON, profile JSON, 4 ranks}` entry of the script's answer.
fn posted_entry(value: Value) -> Result<PostedScore, PostError> {
    let mut fields = from_redis_value::<Vec<Value>>(value)?.into_iter();
    let mut next = || fields.next().unwrap_or(Value::Nil);
    let created: u8 = from_redis_value(next())?;
    let score: ScoreRecord = decode(&from_redis_value::<String>(next())?)?;
    let profile: Profile = decode(&from_redis_value::<String>(next())?)?;
    let ranks: Vec<u64> = (0..4)
        .map(|_| from_redis_value(next()))
        .collect::<Result<_, _>>()?;
    let boards = [
        (None, None),
        (Some(score.game_mode.clone()), None),
        (None, Some(score.game_region.clone())),
        (
            Some(score.game_mode.clone()),
            Some(score.game_region.clone()),
        ),
    ];
    Ok(PostedScore {
        created: created == 1,
        ranks: boards
            .into_iter()
            .zip(ranks)
            .map(|((mode, region), rank)| BoardRank { mode, region, rank })
            .collect(),
        score,
        profile,
    })
}
