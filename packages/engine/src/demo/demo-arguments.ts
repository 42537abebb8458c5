// The demo's command line: `npm start -- --seed 42 --rate 5000 --duration 30`. Every value is checked, and a bad
// one is reported with the usage rather than run with a guess.
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { inFlightCommandsMax } from '../limits.js';
import { SEED_MAX } from './random.js';

export const DEMO_RATE_PER_SEC_DEFAULT = 2_000;
/** Above this the embedded database, not the flow, is the limit; the bound only catches typos. */
const DEMO_RATE_PER_SEC_MAX = 1_000_000;
/** Submissions awaiting their acknowledgement; well below the engine's own in-flight bound. */
export const DEMO_IN_FLIGHT_DEFAULT = 1_024;
/** A week: longer runs are what the default (until Ctrl-C) is for. */
const DEMO_DURATION_SECONDS_MAX = 7 * 24 * 3_600;

export const DEMO_USAGE = `usage: npm start -- [--seed N] [--rate N] [--duration SECONDS] [--in-flight N] [--follower MODE]
                    [--database-url URL]
  --seed N             seed of the simulated order flow, 0..${SEED_MAX} (default: random, printed)
  --rate N             target commands per second; 0 = as fast as acknowledgements allow (default ${DEMO_RATE_PER_SEC_DEFAULT})
  --duration SECONDS   stop after this long (default: run until Ctrl-C)
  --in-flight N        most commands awaiting acknowledgement, 1..${inFlightCommandsMax} (default ${DEMO_IN_FLIGHT_DEFAULT})
  --follower MODE      thread: projections and snapshots on a worker thread (default); inline: on the main thread;
                       none: no projections or snapshots (a restart replays the whole journal)
  --database-url URL   run on this PostgreSQL instead of the embedded one in .data/pglite`;

export interface DemoArguments {
  help: boolean;
  /** Null: pick one at random (and print it). */
  seed: number | null;
  ratePerSec: number;
  durationMs: number | null;
  inFlightMax: number;
  follower: DemoFollower;
  /** Null: the embedded database. */
  databaseUrl: string | null;
}

export type DemoFollower = 'thread' | 'inline' | 'none';
const FOLLOWERS: readonly DemoFollower[] = ['thread', 'inline', 'none'];

export class DemoUsageError extends Error {
  override name = 'DemoUsageError';
}

const integerIn = (name: string, text: string, min: number, max: number): number => {
  if (!/^\d{1,10}$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new DemoUsageError(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return Number(text);
};

export const parseDemoArguments = (argv: readonly string[]): DemoArguments => {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h', default: false },
        seed: { type: 'string' },
        rate: { type: 'string' },
        duration: { type: 'string' },
        'in-flight': { type: 'string' },
        follower: { type: 'string', default: 'thread' },
        'database-url': { type: 'string' },
      },
    });
  } catch (error) {
    throw new DemoUsageError(error instanceof Error ? error.message : String(error));
  }
  const values = parsed.values;
  let durationMs: number | null = null;
  if (values.duration !== undefined) {
    // Seconds may have up to three decimals: the run is timed in whole milliseconds.
    const match = /^(\d{1,7})(?:\.(\d{1,3}))?$/.exec(values.duration);
    const ms = match === null ? NaN : Number(match[1]) * 1_000 + Number((match[2] ?? '').padEnd(3, '0'));
    if (!(ms > 0 && ms <= DEMO_DURATION_SECONDS_MAX * 1_000)) {
      throw new DemoUsageError(
        `--duration must be a number of seconds above 0 and at most ${DEMO_DURATION_SECONDS_MAX}, got ${JSON.stringify(values.duration)}`,
      );
    }
    durationMs = ms;
  }
  const follower = FOLLOWERS.find((mode) => mode === values.follower);
  if (follower === undefined) {
    throw new DemoUsageError(
      `--follower must be one of ${FOLLOWERS.join(', ')}, got ${JSON.stringify(values.follower)}`,
    );
  }
  const databaseUrl = values['database-url'] ?? null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\/\S+$/.test(databaseUrl)) {
    throw new DemoUsageError('--database-url must be a postgres:// or postgresql:// URL');
  }
  return {
    help: values.help,
    seed: values.seed === undefined ? null : integerIn('--seed', values.seed, 0, SEED_MAX),
    ratePerSec:
      values.rate === undefined
        ? DEMO_RATE_PER_SEC_DEFAULT
        : integerIn('--rate', values.rate, 0, DEMO_RATE_PER_SEC_MAX),
    durationMs,
    inFlightMax:
      values['in-flight'] === undefined
        ? DEMO_IN_FLIGHT_DEFAULT
        : integerIn('--in-flight', values['in-flight'], 1, inFlightCommandsMax),
    follower,
    databaseUrl,
  };
};

/** A fresh seed for a run that was given none; the demo prints it so the run can be repeated. */
export const randomSeed = (): number => randomInt(0, SEED_MAX + 1);
