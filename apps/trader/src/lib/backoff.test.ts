// Proves reconnect delays grow exponentially up to the cap, are jittered within [min, cap), and never drop below
// the minimum, so a gateway restart is neither hammered nor waited on for long.
import { describe, expect, it } from 'vitest';
import { reconnectDelayMs, reconnectDelayMsMax, reconnectDelayMsMin } from './backoff';

describe('reconnectDelayMs', () => {
  it('doubles its cap per attempt up to the maximum', () => {
    const almostOne = () => 0.999999;
    expect(reconnectDelayMs(1, almostOne)).toBe(reconnectDelayMsMin);
    expect(reconnectDelayMs(2, almostOne)).toBe(499);
    expect(reconnectDelayMs(3, almostOne)).toBe(999);
    expect(reconnectDelayMs(40, almostOne)).toBe(reconnectDelayMsMax - 1);
  });

  it('never waits less than the minimum and rejects nonsense attempts', () => {
    expect(reconnectDelayMs(5, () => 0)).toBe(reconnectDelayMsMin);
    expect(() => reconnectDelayMs(0, () => 0)).toThrow();
  });
});
