// Kline intervals, Binance's time zones and rolling window sizes as arithmetic on UTC milliseconds.
// A slot is one candle's time span; its start ("open time") is aligned to the epoch for fixed-length intervals
// (shifted by the time zone offset), to Mondays for 1w and to the first of the month for 1M.

export const SECOND_MS = 1_000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-01 was a Thursday; weeks start on the Monday four days later. */
const MONDAY_PHASE_MS = 4 * DAY_MS;

export const KLINE_INTERVALS = [
  '1s',
  '1m',
  '3m',
  '5m',
  '15m',
  '30m',
  '1h',
  '2h',
  '4h',
  '6h',
  '8h',
  '12h',
  '1d',
  '3d',
  '1w',
  '1M',
] as const;
export type KlineInterval = (typeof KLINE_INTERVALS)[number];

/** Length of the fixed-length intervals; 1w and 1M are calendar intervals handled apart. */
const FIXED_LENGTH_MS: Readonly<Record<Exclude<KlineInterval, '1w' | '1M'>, number>> = {
  '1s': SECOND_MS,
  '1m': MINUTE_MS,
  '3m': 3 * MINUTE_MS,
  '5m': 5 * MINUTE_MS,
  '15m': 15 * MINUTE_MS,
  '30m': 30 * MINUTE_MS,
  '1h': HOUR_MS,
  '2h': 2 * HOUR_MS,
  '4h': 4 * HOUR_MS,
  '6h': 6 * HOUR_MS,
  '8h': 8 * HOUR_MS,
  '12h': 12 * HOUR_MS,
  '1d': DAY_MS,
  '3d': 3 * DAY_MS,
};

const intervalNames: ReadonlySet<string> = new Set(KLINE_INTERVALS);

export const isKlineInterval = (text: string): text is KlineInterval => intervalNames.has(text);

/** The length of a fixed-length interval, or undefined for 1w and 1M. */
export const fixedLengthMs = (interval: KlineInterval): number | undefined =>
  interval === '1w' || interval === '1M' ? undefined : FIXED_LENGTH_MS[interval];

/** The start of the slot holding `timeMs`, in a time zone `offsetMs` ahead of UTC. */
export function slotStart(interval: KlineInterval, timeMs: number, offsetMs = 0): number {
  if (interval === '1M') {
    const local = new Date(timeMs + offsetMs);
    return Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - offsetMs;
  }
  if (interval === '1w') {
    return Math.floor((timeMs + offsetMs - MONDAY_PHASE_MS) / WEEK_MS) * WEEK_MS + MONDAY_PHASE_MS - offsetMs;
  }
  const length = FIXED_LENGTH_MS[interval];
  return Math.floor((timeMs + offsetMs) / length) * length - offsetMs;
}

/** The start of the slot after the one starting at `startMs`. */
export function slotAfter(interval: KlineInterval, startMs: number, offsetMs = 0): number {
  if (interval === '1M') {
    const local = new Date(startMs + offsetMs);
    return Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1) - offsetMs;
  }
  return startMs + (interval === '1w' ? WEEK_MS : FIXED_LENGTH_MS[interval]);
}

/** The start of the slot before the one starting at `startMs`. */
export function slotBefore(interval: KlineInterval, startMs: number, offsetMs = 0): number {
  if (interval === '1M') {
    const local = new Date(startMs + offsetMs);
    return Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 1, 1) - offsetMs;
  }
  return startMs - (interval === '1w' ? WEEK_MS : FIXED_LENGTH_MS[interval]);
}

/** Binance's kline close time: the last millisecond of the slot. */
export const slotCloseTime = (interval: KlineInterval, startMs: number, offsetMs = 0): number =>
  slotAfter(interval, startMs, offsetMs) - 1;

/**
 * Whether slots of `interval` in time zone `offsetMs` are the UTC slots (the offset is a whole number of
 * intervals), so candles kept in UTC serve them unchanged.
 */
export function alignedWithUtc(interval: KlineInterval, offsetMs: number): boolean {
  if (offsetMs === 0) return true;
  const length = fixedLengthMs(interval);
  return length !== undefined && offsetMs % length === 0;
}

/** Fixed-length intervals from the coarsest, for choosing what a time-zone candle is folded from. */
const FOLDABLE: readonly Exclude<KlineInterval, '1w' | '1M'>[] = [
  '1d',
  '12h',
  '8h',
  '6h',
  '4h',
  '2h',
  '1h',
  '30m',
  '15m',
  '5m',
  '3m',
  '1m',
  '1s',
];

/**
 * The coarsest fixed interval whose UTC candles tile `interval`'s slots in time zone `offsetMs`: it divides the
 * interval (a day, for weeks and months) and the offset. 1s always qualifies.
 */
export function foldSource(interval: KlineInterval, offsetMs: number): Exclude<KlineInterval, '1w' | '1M'> {
  const span = fixedLengthMs(interval) ?? DAY_MS;
  for (const candidate of FOLDABLE) {
    const length = FIXED_LENGTH_MS[candidate];
    if (span % length === 0 && offsetMs % length === 0) return candidate;
  }
  return '1s';
}

/**
 * The granularity (1s, 1m, 1h or 1d) PostgreSQL aggregates trades into for `interval`: it divides the interval (a
 * day, for weeks and months). The query shifts its buckets by the time zone offset, so they tile the zone's slots.
 */
export function databaseGranularityMs(interval: KlineInterval): number {
  const span = fixedLengthMs(interval) ?? DAY_MS;
  for (const granularity of [DAY_MS, HOUR_MS, MINUTE_MS]) if (span % granularity === 0) return granularity;
  return SECOND_MS;
}

const timeZonePattern = /^([+-])?(\d{1,2})(?::(\d{2}))?$/;
const TIME_ZONE_MIN_MINUTES = -12 * 60;
const TIME_ZONE_MAX_MINUTES = 14 * 60;

/**
 * Binance's `timeZone`: hours ("8", "-1") or hours and minutes ("05:45", "-1:00"), within [-12:00, +14:00].
 * Returns the offset in milliseconds, or undefined when malformed or out of range.
 */
export function parseTimeZone(text: string): number | undefined {
  const match = timeZonePattern.exec(text);
  if (match === null) return undefined;
  const hours = Number(match[2]);
  const minutes = match[3] === undefined ? 0 : Number(match[3]);
  if (minutes >= 60) return undefined;
  const total = (match[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
  if (total < TIME_ZONE_MIN_MINUTES || total > TIME_ZONE_MAX_MINUTES) return undefined;
  return total * MINUTE_MS;
}

const windowSizePattern = /^(\d{1,2})([mhd])$/;

/** Binance's rolling `windowSize`: 1m..59m, 1h..23h, 1d..7d. Returns milliseconds, or undefined. */
export function parseWindowSize(text: string): number | undefined {
  const match = windowSizePattern.exec(text);
  if (match === null) return undefined;
  const count = Number(match[1]);
  const unit = match[2];
  if (count < 1 || match[1]?.startsWith('0')) return undefined;
  if (unit === 'm') return count <= 59 ? count * MINUTE_MS : undefined;
  if (unit === 'h') return count <= 23 ? count * HOUR_MS : undefined;
  return count <= 7 ? count * DAY_MS : undefined;
}
