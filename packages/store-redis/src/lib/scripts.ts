import { createHash } from "node:crypto";

/**
 * The Lua scripts. Layout (see README, "Keys and Cluster"):
 *
 *   <prefix>{<tag>}:<key>        HASH  v=value e=expiresAt u=userId n=version, PEXPIREAT e
 *   <prefix>{<tag>}:u:<userId>   ZSET  member <key>, score expiresAt, PEXPIREAT max score
 *
 * `<tag>` is the key's shard tag, so a session and every index entry that
 * points at it share one hash slot. Each script declares one key (KEYS[1])
 * and builds the other names it touches from its arguments and the stored
 * owner; the shared tag keeps them in KEYS[1]'s slot on Cluster.
 *
 * Lua numbers print as %.14g, so epoch milliseconds (13 digits, up to 16 for
 * far instants) are written from the original ARGV strings, never from tonumber().
 * A live entry is one with e > now, where now is the caller's clock: the same
 * clock `get` compares against.
 */

// Adds/updates `member` in an index, drops members that expired, and keeps the
// index alive exactly as long as its longest-lived member (ZRANGE works on 6.2;
// PEXPIREAT GT would need 7.0). Pasted into the script where it is used, as a
// block of its own: a Lua `local function` would be a new closure on every
// call, paid even by writes that never touch an index (~5% of an anonymous
// write's script time).
function index(ix: string, score: string, member: string, now: string): string {
  return `  local ix = ${ix}
  redis.call('ZADD', ix, ${score}, ${member})
  redis.call('ZREMRANGEBYSCORE', ix, '-inf', ${now})
  local top = redis.call('ZRANGE', ix, -1, -1, 'WITHSCORES')
  if top[2] then redis.call('PEXPIREAT', ix, top[2]) end`;
}

/**
 * SET: KEYS[1] session; ARGV value, expiresAt, userId or "", expectVersion or "",
 * now, index prefix, member. Returns the new version, 0 (deleted), or -1 (conflict).
 *
 * Redis shares the machine with the application, so every call here counts.
 * The write overwrites the hash in place (HSET of v, e, n and u) instead of
 * DEL then HSET: the hash never holds other fields, so the result is the
 * same. Only a write that drops the owner still deletes first, to lose `u`
 * (DEL rather than HDEL keeps the README's ACL command list unchanged). The
 * owner's index is left alone when neither the owner nor the expiry of a
 * live entry changed: its member already has that score (pruning only drops
 * members at or before now), and nothing was added that pruning would have
 * to offset, so the index still never grows without bound.
 */
export const SET_SCRIPT = `
local key = KEYS[1]
local now = tonumber(ARGV[5])
local uid = ARGV[3]
local ixp = ARGV[6]
local member = ARGV[7]
local cur = redis.call('HMGET', key, 'e', 'u', 'n')
local version = 0
if cur[1] and tonumber(cur[1]) > now then version = tonumber(cur[3]) or 0 end
if ARGV[4] ~= '' and tonumber(ARGV[4]) ~= version then return -1 end
if cur[2] and cur[2] ~= uid then redis.call('ZREM', ixp .. cur[2], member) end
if tonumber(ARGV[2]) <= now then
  redis.call('DEL', key)
  if uid ~= '' then redis.call('ZREM', ixp .. uid, member) end
  return 0
end
version = version + 1
if uid == '' then
  if cur[2] then redis.call('DEL', key) end
  redis.call('HSET', key, 'v', ARGV[1], 'e', ARGV[2], 'n', version)
else
  redis.call('HSET', key, 'v', ARGV[1], 'e', ARGV[2], 'u', uid, 'n', version)
end
redis.call('PEXPIREAT', key, ARGV[2])
if uid ~= '' and (cur[2] ~= uid or cur[1] ~= ARGV[2]) then
${index("ixp .. uid", "ARGV[2]", "member", "ARGV[5]")}
end
return version
`;

/** TOUCH: KEYS[1] session; ARGV expiresAt, now, index prefix, member. Returns 1 if live. */
export const TOUCH_SCRIPT = `
local key = KEYS[1]
local cur = redis.call('HMGET', key, 'e', 'u')
if not cur[1] or tonumber(cur[1]) <= tonumber(ARGV[2]) then return 0 end
if tonumber(ARGV[1]) <= tonumber(ARGV[2]) then
  redis.call('DEL', key)
  if cur[2] then redis.call('ZREM', ARGV[3] .. cur[2], ARGV[4]) end
  return 1
end
redis.call('HSET', key, 'e', ARGV[1])
redis.call('PEXPIREAT', key, ARGV[1])
if cur[2] then
${index("ARGV[3] .. cur[2]", "ARGV[1]", "ARGV[4]", "ARGV[2]")}
end
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
