// Reconnect delays: exponential with "full jitter" (a uniform delay between zero and the exponential cap), so a
// gateway restart is not met by every browser reconnecting in the same instant.

export const reconnectDelayMsMin = 250;
export const reconnectDelayMsMax = 15_000;

/** Delay before reconnect attempt `attempt` (1 = the first retry); `random` is in [0, 1). */
export function reconnectDelayMs(attempt: number, random: () => number): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new Error(`attempt must be a positive integer: ${attempt}`);
  const capMs = Math.min(reconnectDelayMsMax, reconnectDelayMsMin * 2 ** Math.min(attempt - 1, 16));
  // Never below the minimum, so a flapping gateway is not hammered.
  return Math.max(reconnectDelayMsMin, Math.floor(random() * capMs));
}
