// Proves the demo's command line gives the documented defaults, reads every option exactly, and refuses bad values
// with a usage error instead of running with a guess.
import { describe, expect, it } from 'vitest';
import {
  DEMO_IN_FLIGHT_DEFAULT,
  DEMO_RATE_PER_SEC_DEFAULT,
  DemoUsageError,
  parseDemoArguments,
} from './demo-arguments.js';

describe('parseDemoArguments', () => {
  it('defaults to a random seed, the default rate, no time limit and the thread follower', () => {
    expect(parseDemoArguments([])).toEqual({
      help: false,
      seed: null,
      ratePerSec: DEMO_RATE_PER_SEC_DEFAULT,
      durationMs: null,
      inFlightMax: DEMO_IN_FLIGHT_DEFAULT,
      follower: 'thread',
      databaseUrl: null,
    });
  });

  it('reads every option', () => {
    const argv = ['--seed', '42', '--rate', '0', '--duration', '2.5', '--in-flight', '8', '--follower', 'none'];
    expect(parseDemoArguments([...argv, '--database-url', 'postgres://u@h:5432/db'])).toEqual({
      help: false,
      seed: 42,
      ratePerSec: 0,
      durationMs: 2_500,
      inFlightMax: 8,
      follower: 'none',
      databaseUrl: 'postgres://u@h:5432/db',
    });
    expect(parseDemoArguments(['--duration', '10']).durationMs).toBe(10_000);
    expect(parseDemoArguments(['-h']).help).toBe(true);
  });

  it.each([
    [['--seed', '-1']],
    [['--seed', '4294967296']],
    [['--seed', '1e3']],
    [['--rate', 'fast']],
    [['--duration', '0']],
    [['--duration', '1.2345']],
    [['--in-flight', '0']],
    [['--follower', 'worker']],
    [['--database-url', 'mysql://x']],
    [['--unknown']],
    [['positional']],
  ])('refuses %j', (argv) => {
    expect(() => parseDemoArguments(argv)).toThrow(DemoUsageError);
  });
});
