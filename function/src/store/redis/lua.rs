//! The Lua the post and removal scripts share, put in front of each script's text: the
//! selections a score is in (its four filter selections in all time and in each retained
//! period of its `playedAt`), the `view=best` sets a player's best entry is in, the prefix
//! set rules, and the expiry of period keys. Both scripts must see the same sets a score
//! belongs to, or a removal would leave entries a post made.
//!
//! The period arithmetic here (a `playedAt`'s day, ISO week and month, and when each stops
//! being retained) is `leaderboard_model::Period` and `Retention::expires_at` again, in
//! Lua: the stored JSON holds only the time, and renames and removals walk a player's other
//! entries inside one script. The scope names must equal `keys::period_scope`, and the
//! expiries `Retention::expires_at`; the store tests pin both against the model (answers
//! per period across day, week, month and year boundaries, and every period key's
//! `EXPIRETIME`).

/// Shared definitions. A script calls `start(prefix, now, days, weeks, months)` first:
/// `C.P` (key prefix), `C.T` (prefix threshold, nil without prefix sets), `C.now` (the
/// function's clock, Unix seconds: it decides which periods are retained, as it does for
/// the HTTP layer), `C.offset_ms` (Redis's clock minus the function's: a period key expires
/// when the function's clock reaches its expiry, so a test clock and Redis agree) and
/// `C.keep` (`{days, weeks, months}` retained, each at least 1); it marks every key it
/// writes with `mark(key, expiry)`, and calls `expire_marked()` last.
///
/// - `sels(mode, region)`: the four filter selection suffixes (all, mode, region, both).
/// - `scopes(played_at)`: `{scope, expiry}` pairs: `{'', false}` (all time) and, for a
///   timed score, each of its day, week and month periods still retained at `C.now`
///   (`day:YYYY-MM-DD/`, `week:…/`, `month:…/`, named by the period's first day).
/// - `view_sets(scope, i, s, mode, region)`: the `view=best` selections where the best
///   entry (of `mode`, `region`) of the `i`-th filter selection `s` is listed: `bv:` the
///   selection's best entries; `bg:` those grouped by the key the selection leaves free.
/// - `prefixes(name key)`: its char-boundary prefixes, as `keys::search_prefix_ends`.
pub const SHARED: &str = r#"
local C = {touched = {}}
local function sels(m, r)
  return {'all', 'm:' .. m, 'r:' .. r, 'mr:' .. #m .. ':' .. m .. r}
end
-- The escaped lower-cased name at the start of a name key, and its char-boundary prefixes
-- (by UTF-8 lead byte; NUL is escaped as 00 FF, 00 01 ends the field): as
-- keys::search_prefix_ends.
local function prefixes(nk)
  local out, i, len = {}, 1, #nk
  while i <= len do
    local b = string.byte(nk, i)
    local step
    if b == 0 then
      if string.byte(nk, i + 1) == 1 then break end
      step = 2
    elseif b < 128 then step = 1
    elseif b >= 240 then step = 4
    elseif b >= 224 then step = 3
    else step = 2 end
    i = math.min(i + step, len + 1)
    out[#out + 1] = string.sub(nk, 1, i - 1)
  end
  return out
end

-- Days since 1970-01-01 of a civil date, and back (the proleptic Gregorian calendar).
local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local doy = math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1
  return era * 146097 + yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy - 719468
end
local function date_of_days(z)
  z = z + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524)
    - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400 + (m <= 2 and 1 or 0)
  return string.format('%04d-%02d-%02d', y, m, d)
end
local function scopes(at)
  local out = {{'', false}}
  if type(at) ~= 'string' or #at < 10 then return out end
  local y, m = tonumber(string.sub(at, 1, 4)), tonumber(string.sub(at, 6, 7))
  local day = days_from_civil(y, m, tonumber(string.sub(at, 9, 10)))
  -- ISO weeks start on Mondays (1970-01-05 is day 4); the first week is clamped to the epoch.
  local monday = math.floor((day + 3) / 7) * 7 - 3
  local months = y * 12 + m - 1 + C.keep[3]
  local periods = {
    {'day:' .. string.sub(at, 1, 10) .. '/', (day + C.keep[1]) * 86400},
    {'week:' .. date_of_days(math.max(monday, 0)) .. '/', (monday + 7 * C.keep[2]) * 86400},
    {'month:' .. string.sub(at, 1, 7) .. '-01/',
      days_from_civil(math.floor(months / 12), months % 12 + 1, 1) * 86400},
  }
  for _, p in ipairs(periods) do
    if p[2] > C.now then out[#out + 1] = p end
  end
  return out
end

-- A written key: all-time keys join the manifest; period keys get their expiry at the end.
local function mark(key, expiry)
  if expiry then
    C.touched[key] = expiry
  else
    redis.call('SADD', C.P .. 'keys', key)
  end
end
-- Every period key written expires by itself; `pkeys` lists them (by expiry on the
-- function's clock) for imports, and forgets the expired ones.
local function expire_marked()
  for key, expiry in pairs(C.touched) do
    if redis.call('EXISTS', key) == 1 then
      redis.call('PEXPIREAT', key, expiry * 1000 + C.offset_ms)
      redis.call('ZADD', C.P .. 'pkeys', expiry, key)
    end
  end
  redis.call('ZREMRANGEBYSCORE', C.P .. 'pkeys', '-inf', C.now)
end

local function lex_range(p)
  local n = #p
  while n > 0 do
    local b = string.byte(p, n)
    if b < 255 then return '[' .. p, '(' .. string.sub(p, 1, n - 1) .. string.char(b + 1) end
    n = n - 1
  end
  return '[' .. p, '+'
end
-- The rank key after the second terminator of a name-set member.
local function rank_of(member)
  local first = string.find(member, '\0\1', 1, true)
  local second = string.find(member, '\0\1', first + 2, true)
  return string.sub(member, second + 2)
end
local function pfx_key(s, p)
  return C.P .. 'pfx:' .. #s .. ':' .. s .. ':' .. p
end
-- Prefix sets (`pfx:<len S>:S:<p>`): with T from `pfxmin`, the set of (S, p) exists iff
-- more than T entries of S match p, and then holds exactly their rank keys. Counts shrink
-- as prefixes grow, so a walk over a name's prefixes stops at the first one without a set.

-- Entry r (name key nk) was just added to name:s: put it in the prefix sets of its name,
-- creating a set (from the name range, O(T)) when its prefix's count just passed T.
local function add_to_prefixes(s, r, nk, expiry)
  if not C.T then return end
  for _, p in ipairs(prefixes(nk)) do
    local key = pfx_key(s, p)
    if redis.call('EXISTS', key) == 1 then
      redis.call('ZADD', key, 0, r)
    else
      local lo, hi = lex_range(p)
      if redis.call('ZLEXCOUNT', C.P .. 'name:' .. s, lo, hi) <= C.T then break end
      local members = redis.call('ZRANGE', C.P .. 'name:' .. s, lo, hi, 'BYLEX')
      for i = 1, #members, 500 do
        local args = {}
        for j = i, math.min(i + 499, #members) do
          args[#args + 1] = 0
          args[#args + 1] = rank_of(members[j])
        end
        redis.call('ZADD', key, unpack(args))
      end
      mark(key, expiry)
    end
  end
end
-- Entry r left name:s, or was re-keyed there from old to new: it leaves the prefix sets of
-- old's prefixes that new does not share (all of them when new is ''), and a set whose
-- count fell to T goes.
local function leave_prefixes(s, r, old, new)
  if not C.T then return end
  for _, p in ipairs(prefixes(old)) do
    local key = pfx_key(s, p)
    if redis.call('EXISTS', key) == 0 then break end
    if string.sub(new, 1, #p) ~= p then
      redis.call('ZREM', key, r)
      if redis.call('ZCARD', key) <= C.T then
        redis.call('UNLINK', key)
        redis.call('SREM', C.P .. 'keys', key)
        redis.call('ZREM', C.P .. 'pkeys', key)
      end
    end
  end
end

local function view_sets(scope, i, s, mode, region)
  local bv = scope .. 'bv:' .. #s .. ':' .. s
  local bg = scope .. 'bg:' .. #s .. ':' .. s
  if i == 1 then return {bv, bg .. 'm:' .. mode, bg .. 'r:' .. region} end
  if i == 2 then return {bv, bg .. 'r:' .. region} end
  if i == 3 then return {bv, bg .. 'm:' .. mode} end
  return {bv}
end
-- Entry r (name key nk) enters or leaves one view set v: its score and name sets and the
-- prefix sets of its name.
local function set_enter(v, r, nk, expiry)
  redis.call('ZADD', C.P .. 'score:' .. v, 0, r)
  redis.call('ZADD', C.P .. 'name:' .. v, 0, nk .. r)
  mark(C.P .. 'score:' .. v, expiry)
  mark(C.P .. 'name:' .. v, expiry)
  add_to_prefixes(v, r, nk, expiry)
end
local function set_leave(v, r, nk)
  redis.call('ZREM', C.P .. 'score:' .. v, r)
  redis.call('ZREM', C.P .. 'name:' .. v, nk .. r)
  leave_prefixes(v, r, nk, '')
end
-- Entry r (of mode, region; name key nk) becomes, or stops being, the player's best in the
-- i-th filter selection s of scope: it enters or leaves that selection's view sets.
local function view_enter(scope, i, s, r, mode, region, nk, expiry)
  for _, v in ipairs(view_sets(scope, i, s, mode, region)) do
    set_enter(v, r, nk, expiry)
  end
end
local function view_leave(scope, i, s, r, mode, region, nk)
  for _, v in ipairs(view_sets(scope, i, s, mode, region)) do
    set_leave(v, r, nk)
  end
end
-- The player's best in the i-th filter selection s of scope moves from entry old (of
-- old_mode, old_region) to new: a view set listing both swaps the rank key in place (in its
-- score and name sets and in the prefix sets of the name, whose counts do not change, so
-- none is built or dropped); the others take the entry in or out.
local function view_move(scope, i, s, old, old_mode, old_region, new, mode, region, nk, expiry)
  local leaving = {}
  for _, v in ipairs(view_sets(scope, i, s, old_mode, old_region)) do leaving[v] = true end
  for _, v in ipairs(view_sets(scope, i, s, mode, region)) do
    if leaving[v] then
      leaving[v] = nil
      -- Adding first, a set never empties (which would delete it and its expiry).
      redis.call('ZADD', C.P .. 'score:' .. v, 0, new)
      redis.call('ZREM', C.P .. 'score:' .. v, old)
      redis.call('ZADD', C.P .. 'name:' .. v, 0, nk .. new)
      redis.call('ZREM', C.P .. 'name:' .. v, nk .. old)
      if C.T then
        for _, p in ipairs(prefixes(nk)) do
          local key = pfx_key(v, p)
          if redis.call('EXISTS', key) == 0 then break end
          redis.call('ZADD', key, 0, new)
          redis.call('ZREM', key, old)
        end
      end
    else
      set_enter(v, new, nk, expiry)
    end
  end
  for v in pairs(leaving) do
    set_leave(v, old, nk)
  end
end
-- The stored record of a rank key (its id follows the 16 hex digits of the score).
local function record_of(r)
  return cjson.decode(redis.call('HGET', C.P .. 'rec', string.sub(r, 17)))
end
-- Starts a script: the prefix, threshold, clocks and retention.
local function start(P, now_ms, keep_days, keep_weeks, keep_months)
  C.P = P
  C.T = tonumber(redis.call('GET', P .. 'pfxmin'))
  local time = redis.call('TIME')
  local redis_ms = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  C.now = tonumber(now_ms) / 1000
  C.offset_ms = redis_ms - tonumber(now_ms)
  C.keep = {tonumber(keep_days), tonumber(keep_weeks), tonumber(keep_months)}
end
"#;
