// Brute-force counters in PostgreSQL (auth_rate_limits), so a limit holds across every process and restart. A rule
// counts events per key in a fixed window; reaching `max` locks the key for `lockoutMs`. The database's clock
// decides, so processes with skewed clocks agree.

import type { Queryable } from './queryable.js';

export interface RateRule {
  readonly max: number;
  readonly windowMs: number;
  readonly lockoutMs: number;
}

/** True when any of the keys is locked now. */
export async function isRateLimited(sql: Queryable, keys: readonly string[]): Promise<boolean> {
  const rows = await sql<{ locked: boolean }[]>`
    select coalesce(bool_or(locked_until > now()), false) as locked
    from auth_rate_limits
    where key in (select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb))`;
  return rows[0]?.locked === true;
}

/** Counts one event for `key`; returns true when the key is now locked. */
export async function recordRateEvent(sql: Queryable, key: string, rule: RateRule): Promise<boolean> {
  const rows = await sql<{ locked: boolean }[]>`
    insert into auth_rate_limits as r (key, window_started_at, count, locked_until)
    values (${key}, now(), 1, case when 1 >= ${rule.max}::int then now() + ${rule.lockoutMs}::int * interval '1 millisecond' end)
    on conflict (key) do update set
      window_started_at = case when r.window_started_at <= now() - ${rule.windowMs}::int * interval '1 millisecond'
        then now() else r.window_started_at end,
      count = case when r.window_started_at <= now() - ${rule.windowMs}::int * interval '1 millisecond'
        then 1 else r.count + 1 end,
      locked_until = case when (case when r.window_started_at <= now() - ${rule.windowMs}::int * interval '1 millisecond'
        then 1 else r.count + 1 end) >= ${rule.max}::int
        then now() + ${rule.lockoutMs}::int * interval '1 millisecond' else r.locked_until end
    returning coalesce(locked_until > now(), false) as locked`;
  return rows[0]?.locked === true;
}

/** Forgets a key's count (a successful login clears its account's failures, never its address's). */
export async function clearRateKey(sql: Queryable, key: string): Promise<void> {
  await sql`delete from auth_rate_limits where key = ${key}`;
}
