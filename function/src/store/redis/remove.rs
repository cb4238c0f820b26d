//! Removals (moderation): one Lua script per call, so a removal is applied all or nothing
//! and no read sees half of it. It undoes exactly what the post script (`post.rs`) and the
//! import maintain for each entry: `rec`, `pscores`, the `score:` and `name:` sets of its
//! selections (four filter selections, in all time and each retained period of its time),
//! each player's `best:` entry per selection (recomputed from the player's remaining
//! entries) and the `view=best` sets that list it, the prefix sets under the threshold rule (a set whose count falls
//! to T goes), the facet and player counts (a field whose count reaches 0 goes, so the
//! meta equals the embedded store's; `timed` too), `prof` and `pkey` for a player, and the version
//! (INCR only when something was removed). Idempotent: what is not stored is no error.
//!
//! Costs: O(log n) per set an entry leaves, plus, when the removed score was its player's
//! best in a selection, a walk over that player's remaining entries (in leaderboard order,
//! stopping once every such selection has its new best); a player's removal reads each of
//! their entries once.

use std::sync::LazyLock;

use leaderboard_model::{PlayedAt, Retention, ScoreRecord};
use redis::{from_redis_value, Script, Value};

use super::conn::Conn;
use super::keys::{player_prefix, rank_key, Keys, TERMINATOR};
use super::lua;
use super::post::retained_counts;
use super::read::{decode, ReadError};
use crate::store::{Removal, Removed};

/// KEYS[1] = the version key (routes the script to the board's slot; every key it touches
/// carries the same tag). ARGV: 1 key prefix, 2 `score` or `player`, 3 the player's
/// `pscores` prefix, 4 its successor, 5 the profile id, 6 the function's clock (Unix
/// milliseconds), 7-9 the days, weeks and months retained; for `score` also 10 the score
/// id, 11 the score JSON the caller read, 12 its rank key.
///
/// Answers `{"ok", scores removed, 1|0 profile removed}`, `{"changed"}` when the score's
/// stored JSON is no longer the one the caller read (it was removed and posted again in
/// between: the caller reads it again), or `{"inconsistent", what}` before changing
/// anything when the store lacks what its own writes keep (a player's name key).
const REMOVE_SCRIPT: &str = r#"
local P, kind, pfx, pfx_next, pid = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
start(P, ARGV[6], ARGV[7], ARGV[8], ARGV[9])

-- A count that reaches 0 leaves its hash, as if it had never been counted.
local function decrement(hash, field)
  if redis.call('HINCRBY', hash, field, -1) <= 0 then
    redis.call('HDEL', hash, field)
  end
end
-- The selections of a record: {full selection, scope, index among the four, filter
-- selection, expiry}, in all time and each retained period.
local function selections(rec)
  local out = {}
  for _, sc in ipairs(scopes(rec.playedAt)) do
    for i, s0 in ipairs(sels(rec.gameMode, rec.gameRegion)) do
      out[#out + 1] = {sc[1] .. s0, sc[1], i, s0, sc[2]}
    end
  end
  return out
end
-- Entry r (its record rec) of player pid, name key nk, leaves every set but the view sets;
-- answers the selections where it was the player's best (their `best:` field and view
-- sets still name it: the caller moves or drops them).
local function remove_entry(r, rec, nk)
  local orphaned = {}
  redis.call('HDEL', P .. 'rec', rec.id)
  redis.call('ZREM', P .. 'pscores', pfx .. r)
  for _, f in ipairs(selections(rec)) do
    redis.call('ZREM', P .. 'score:' .. f[1], r)
    redis.call('ZREM', P .. 'name:' .. f[1], nk .. r)
    leave_prefixes(f[1], r, nk, '')
    if redis.call('HGET', P .. 'best:' .. f[1], pid) == r then
      orphaned[#orphaned + 1] = f
    end
  end
  decrement(P .. 'facet:mode', rec.gameMode)
  decrement(P .. 'facet:region', rec.gameRegion)
  decrement(P .. 'players', pid)
  if type(rec.playedAt) == 'string' and redis.call('DECR', P .. 'timed') <= 0 then
    redis.call('DEL', P .. 'timed')
  end
  return orphaned
end
-- The player's entries (rank keys) in leaderboard order.
local function entries_of_player()
  local out = {}
  for _, member in ipairs(redis.call('ZRANGE', P .. 'pscores', '[' .. pfx, '(' .. pfx_next, 'BYLEX')) do
    out[#out + 1] = string.sub(member, #pfx + 1)
  end
  return out
end

if kind == 'score' then
  local id, json, r = ARGV[10], ARGV[11], ARGV[12]
  local stored = redis.call('HGET', P .. 'rec', id)
  if not stored then return {'ok', 0, 0} end
  if stored ~= json then return {'changed'} end
  local nk = redis.call('HGET', P .. 'pkey', pid)
  if not nk then return {'inconsistent', 'the player of a stored score has no name key'} end
  local rec = cjson.decode(stored)
  local orphaned = remove_entry(r, rec, nk)
  -- Where it was the best, the player's next entry in that selection (the first of their
  -- remaining entries, in leaderboard order, that the selection's score set holds) takes
  -- its place, in the view sets too.
  local missing = #orphaned
  if missing > 0 then
    for _, r2 in ipairs(entries_of_player()) do
      local rec2 = nil
      for k, f in ipairs(orphaned) do
        if f and redis.call('ZSCORE', P .. 'score:' .. f[1], r2) then
          rec2 = rec2 or record_of(r2)
          redis.call('HSET', P .. 'best:' .. f[1], pid, r2)
          view_move(f[2], f[3], f[4], r, rec.gameMode, rec.gameRegion, r2, rec2.gameMode,
            rec2.gameRegion, nk, f[5])
          orphaned[k] = false
          missing = missing - 1
        end
      end
      if missing == 0 then break end
    end
    for _, f in ipairs(orphaned) do
      if f then
        redis.call('HDEL', P .. 'best:' .. f[1], pid)
        view_leave(f[2], f[3], f[4], r, rec.gameMode, rec.gameRegion, nk)
      end
    end
  end
  expire_marked()
  redis.call('INCR', P .. 'version')
  return {'ok', 1, 0}
end

-- kind == 'player': every entry, then the profile.
local entries = entries_of_player()
local has_profile = redis.call('HEXISTS', P .. 'prof', pid) == 1
if #entries == 0 and not has_profile then return {'ok', 0, 0} end
local nk = redis.call('HGET', P .. 'pkey', pid)
if #entries > 0 and not nk then
  return {'inconsistent', 'a player with scores has no name key'}
end
for _, r in ipairs(entries) do
  local rec = record_of(r)
  for _, f in ipairs(remove_entry(r, rec, nk)) do
    redis.call('HDEL', P .. 'best:' .. f[1], pid)
    view_leave(f[2], f[3], f[4], r, rec.gameMode, rec.gameRegion, nk)
  end
end
redis.call('HDEL', P .. 'prof', pid)
redis.call('HDEL', P .. 'pkey', pid)
expire_marked()
redis.call('INCR', P .. 'version')
return {'ok', #entries, has_profile and 1 or 0}
"#;

static REMOVE: LazyLock<Script> =
    LazyLock::new(|| Script::new(&[lua::SHARED, REMOVE_SCRIPT].concat()));

/// How many times a score removal reads the score again when it changed under it (removed
/// and posted again with other content in between): each retry means another writer
/// changed that very id, so a few suffice.
const SCORE_ATTEMPTS: usize = 5;

/// What one run of the script said.
enum Outcome {
    Done(Removed),
    Changed,
}

/// Applies a removal in one script (a score removal reads the score first, to know its
/// rank key and selections; the script checks it is still the same).
pub async fn remove(
    conn: &mut Conn,
    keys: &Keys,
    retention: &Retention,
    now: PlayedAt,
    removal: &Removal,
) -> Result<Removed, ReadError> {
    match removal {
        Removal::Player(profile_id) => {
            match run(conn, keys, (retention, now), "player", profile_id, None).await? {
                Outcome::Done(removed) => Ok(removed),
                Outcome::Changed => Err(ReadError::Inconsistent(
                    "the removal script answered `changed` for a player".into(),
                )),
            }
        }
        Removal::Score(id) => {
            for _ in 0..SCORE_ATTEMPTS {
                let stored: Option<String> = redis::cmd("HGET")
                    .arg(keys.records())
                    .arg(id)
                    .query_async(conn)
                    .await?;
                let Some(json) = stored else {
                    return Ok(Removed::NOTHING);
                };
                let record: ScoreRecord = decode(&json)?;
                let score = Some((&record, json.as_str()));
                match run(
                    conn,
                    keys,
                    (retention, now),
                    "score",
                    &record.profile_id,
                    score,
                )
                .await?
                {
                    Outcome::Done(removed) => return Ok(removed),
                    Outcome::Changed => continue,
                }
            }
            Err(ReadError::Inconsistent(format!(
                "score {id:?} kept changing while it was being removed"
            )))
        }
    }
}

async fn run(
    conn: &mut Conn,
    keys: &Keys,
    (retention, now): (&Retention, PlayedAt),
    kind: &str,
    profile_id: &str,
    score: Option<(&ScoreRecord, &str)>,
) -> Result<Outcome, ReadError> {
    let prefix = player_prefix(profile_id);
    let mut prefix_next = prefix[..prefix.len() - TERMINATOR.len()].to_vec();
    prefix_next.extend_from_slice(&[0, 2]);
    let mut invocation = REMOVE.key(keys.version());
    invocation
        .arg(&keys.prefix)
        .arg(kind)
        .arg(prefix)
        .arg(prefix_next)
        .arg(profile_id)
        .arg(now.unix_millis())
        .arg(retained_counts(retention));
    if let Some((record, json)) = score {
        invocation.arg(&record.id).arg(json).arg(rank_key(record));
    }
    let reply: Vec<Value> = invocation.invoke_async(conn).await?;
    let mut reply = reply.into_iter();
    let status: String = from_redis_value(reply.next().unwrap_or(Value::Nil))?;
    match status.as_str() {
        "ok" => {
            let scores: u64 = from_redis_value(reply.next().unwrap_or(Value::Nil))?;
            let profile: u8 = from_redis_value(reply.next().unwrap_or(Value::Nil))?;
            Ok(Outcome::Done(Removed {
                scores,
                profile: profile == 1,
            }))
        }
        "changed" => Ok(Outcome::Changed),
        _ => {
            let what: String = from_redis_value(reply.next().unwrap_or(Value::Nil))?;
            Err(ReadError::Inconsistent(what))
        }
    }
}
