// Proves the engine's limits fit together: a batch fits in the in-flight window, a journal row stays far below
// PostgreSQL's 1 GB field limit, the follower's flushes fit within its allowed lag, and the replay a restart may
// face (lag plus one snapshot interval) stays within what recovers in under ten seconds at the measured rate.
import { describe, expect, it } from 'vitest';
import * as limits from './limits.js';

describe('engine limits', () => {
  it('relate as the design needs', () => {
    expect(limits.inFlightCommandsMax).toBeGreaterThanOrEqual(2 * limits.journalBatchCommandsMax);
    expect(limits.waitingCommandsMax).toBeGreaterThanOrEqual(limits.inFlightCommandsMax);
    expect(limits.commandBytesMax * limits.journalBatchCommandsMax).toBeLessThan(64 * 1024 * 1024);
    expect(limits.followerFlushCommandsMax).toBeLessThan(limits.projectorLagCommandsMax / 8);
    expect(limits.followerQueueBatchesMax * limits.journalBatchCommandsMax).toBeLessThanOrEqual(
      limits.projectorLagCommandsMax,
    );
    // Replay measured at ~170,000 commands/s on the 2-core reference machine (docs/BENCHMARKS.md).
    expect((limits.projectorLagCommandsMax + limits.snapshotIntervalCommands) / 170_000).toBeLessThan(10);
    expect(limits.snapshotsKept).toBeGreaterThanOrEqual(2);
    expect(limits.journalCommitAttemptsMax).toBeGreaterThanOrEqual(2);
  });
});
