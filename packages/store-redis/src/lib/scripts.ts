import { createHash } from "node:crypto";

/**
 * The Lua scripts. Layout (see README, "Keys and Cluster"):
 *
 *   <prefix>{<tag>}:<key>        HASH  v=value e=expiresAt u=userId n=version
 *                                      x=the key's score in u's index; PEXPIREAT e
 *   <prefix>{<tag>}:u:<userId>   ZSET  member <key>, score x (>= e), PEXPIREAT max score
 *
 * `<tag>` is the key's shard tag, so a session and every index entry that
 * points at it share one hash slot. Each script declares one key (KEYS[1])
 * and builds the other names it touches from it and the stored owner; the
 * shared tag keeps them in KEYS[1]'s slot on Cluster.
 *
 * Lua numbers print as %.14g, so epoch milliseconds (13 digits, up to 16 for
 * far instants) are written from the original ARGV strings, or formatted with
 * %.0f, never passed to Redis as Lua numbers.
 * A live entry is one with e > now, where now is the caller's clock: the same
 * clock `get` compares against.
 *
 * The index score of a session is not its expiry but an upper bound of it:
 * `x` (kept in the hash, so reading it costs nothing extra) is set a quarter
 * of the remaining lifetime past `e` whenever the index is written. Pruning
 * drops members whose score is at or before now, so a score at or above the
 * expiry never drops a live session, and a write or touch that keeps `e <= x`
 * (every request of an active user for a quarter of the session's lifetime)
 * leaves the index alone. A write that moves `e` past `x`, changes the owner,
 * or finds no `x` (an entry written by an earlier version, whose index score
 * is its exact expiry) writes the index. An expired member lingers at most
 * that quarter lifetime longer, and listing checks every member's hash anyway.
 */

// The index name and the member of KEYS[1]: the session key is base64url, so it is
// what follows the last ':'. Built only on the paths that write an index.
function names(pad = ""): string {
  return `${pad}local member = string.match(KEYS[1], '[^:]+$')
${pad}local ixp = string.sub(KEYS[1], 1, #KEYS[1] - #member) .. 'u:'`;
}

// A score a quarter of the remaining lifetime past expiry `e` (a number; `now`
// too), capped at the largest safe integer, as a string Redis reads exactly.
function score(e: string, now: string): string {
  return `local x = ${e} + math.floor((${e} - ${now}) / 4)
if x > 9007199254740991 then x = 9007199254740991 end
x = string.format('%.0f', x)`;
}

// Adds/updates `member` in index `ix` with score `x`, drops members at or before
// now, and keeps the index alive exactly as long as its highest score (ZRANGE works
// on 6.2; PEXPIREAT GT would need 7.0). Pasted in where used: a Lua `local function`
// would be a new closure on every call, paid even by writes that never touch an index.
function index(ix: string, now: string): string {
  return `local ix = ${ix}
redis.call('ZADD', ix, x, member)
redis.call('ZREMRANGEBYSCORE', ix, '-inf', ${now})
local top = redis.call('ZRANGE', ix, -1, -1, 'WITHSCORES')
if top[2] then redis.call('PEXPIREAT', ix, top[2]) end`;
}

/**
 * SET: KEYS[1] session; ARGV value, expiresAt, userId or "", expectVersion or "",
 * now. Returns the new version, 0 (deleted), or -1 (conflict).
 *
 * Redis shares the machine with the application, so every call here counts:
 * the common write (a live entry keeps its owner and stays within its index
 * score) is three commands, HMGET, HSET and PEXPIREAT, signed in or not. The
 * write overwrites the hash in place instead of DEL then HSET: only a write
 * that drops the owner deletes first, to lose `u` and `x` (DEL rather than
 * HDEL keeps the README's ACL command list short).
 */
export const SET_SCRIPT = `
local key = KEYS[1]
local now = tonumber(ARGV[5])
local uid = ARGV[3]
local cur = redis.call('HMGET', key, 'e', 'u', 'n', 'x')
local version = 0
if cur[1] and tonumber(cur[1]) > now then version = tonumber(cur[3]) or 0 end
if ARGV[4] ~= '' and tonumber(ARGV[4]) ~= version then return -1 end
local e = tonumber(ARGV[2])
if e <= now then
  redis.call('DEL', key)
  if cur[2] or uid ~= '' then
${names("    ")}
    if cur[2] then redis.call('ZREM', ixp .. cur[2], member) end
    if uid ~= '' and uid ~= cur[2] then redis.call('ZREM', ixp .. uid, member) end
  end
  return 0
end
version = version + 1
if uid == '' then
  if cur[2] then
${names("    ")}
    redis.call('ZREM', ixp .. cur[2], member)
    redis.call('DEL', key)
  end
  redis.call('HSET', key, 'v', ARGV[1], 'e', ARGV[2], 'n', version)
  redis.call('PEXPIREAT', key, ARGV[2])
  return version
end
if version > 1 and cur[2] == uid and cur[4] and tonumber(cur[4]) >= e then
  redis.call('HSET', key, 'v', ARGV[1], 'e', ARGV[2], 'n', version)
  redis.call('PEXPIREAT', key, ARGV[2])
  return version
end
${names()}
if cur[2] and cur[2] ~= uid then redis.call('ZREM', ixp .. cur[2], member) end
${score("e", "now")}
redis.call('HSET', key, 'v', ARGV[1], 'e', ARGV[2], 'u', uid, 'n', version, 'x', x)
redis.call('PEXPIREAT', key, ARGV[2])
${index("ixp .. uid", "ARGV[5]")}
return version
`;

/**
 * TOUCH: KEYS[1] session; ARGV expiresAt, now. Returns 1 if live. The index is
 * written only when the new expiry passes the entry's index score.
 */
export const TOUCH_SCRIPT = `
local key = KEYS[1]
local cur = redis.call('HMGET', key, 'e', 'u', 'x')
local now = tonumber(ARGV[2])
if not cur[1] or tonumber(cur[1]) <= now then return 0 end
local e = tonumber(ARGV[1])
if e <= now then
  redis.call('DEL', key)
  if cur[2] then
${names("    ")}
    redis.call('ZREM', ixp .. cur[2], member)
  end
  return 1
end
if not cur[2] or (cur[3] and tonumber(cur[3]) >= e) then
  redis.call('HSET', key, 'e', ARGV[1])
  redis.call('PEXPIREAT', key, ARGV[1])
  return 1
end
${names()}
${score("e", "now")}
redis.call('HSET', key, 'e', ARGV[1], 'x', x)
redis.call('PEXPIREAT', key, ARGV[1])
${index("ixp .. cur[2]", "ARGV[2]")}
return 1
`;

/** DELETE: KEYS[1] session; ARGV index prefix, member. */
export const DELETE_SCRIPT = `
local uid = redis.call('HGET', KEYS[1], 'u')
redis.call('DEL', KEYS[1])
if uid then redis.call('ZREM', ARGV[1] .. uid, ARGV[2]) end
return 1
`;

/**
 * LIST: KEYS[1] one shard's index of a user; ARGV now, session key prefix
 * (with the tag), userId. Returns [key, value, expiresAt, version, ...] of the
 * live entries the user owns, and drops every other member.
 */
export const LIST_SCRIPT = `
local ix = KEYS[1]
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', ix, '-inf', ARGV[1])
local out = {}
for _, m in ipairs(redis.call('ZRANGE', ix, 0, -1)) do
  local r = redis.call('HMGET', ARGV[2] .. m, 'v', 'e', 'u', 'n')
  if r[2] and tonumber(r[2]) > now and r[3] == ARGV[3] then
    out[#out + 1] = m
    out[#out + 1] = r[1]
    out[#out + 1] = r[2]
    out[#out + 1] = r[4]
  else
    redis.call('ZREM', ix, m)
  end
end
return out
`;

/**
 * DELETE_USER: KEYS[1] one shard's index of a user; ARGV now, session key
 * prefix (with the tag), userId, exceptKey or "". Returns how many live entries it deleted.
 */
export const DELETE_USER_SCRIPT = `
local ix = KEYS[1]
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', ix, '-inf', ARGV[1])
local count = 0
for _, m in ipairs(redis.call('ZRANGE', ix, 0, -1)) do
  if m ~= ARGV[4] then
    local r = redis.call('HMGET', ARGV[2] .. m, 'e', 'u')
    if r[1] and tonumber(r[1]) > now and r[2] == ARGV[3] then
      redis.call('DEL', ARGV[2] .. m)
      count = count + 1
    end
    redis.call('ZREM', ix, m)
  end
end
return count
`;

/** A script with its SHA-1, the name EVALSHA knows it by. */
export interface Script {
  readonly source: string;
  readonly sha: string;
}

function script(source: string): Script {
  return Object.freeze({ source, sha: createHash("sha1").update(source).digest("hex") });
}

export const SCRIPTS = Object.freeze({
  set: script(SET_SCRIPT),
  touch: script(TOUCH_SCRIPT),
  delete: script(DELETE_SCRIPT),
  list: script(LIST_SCRIPT),
  deleteUser: script(DELETE_USER_SCRIPT),
});
