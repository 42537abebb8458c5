// Proves the relationships between the db limits: the embedded server accepts at least a default pool, its startup
// packet bound is smaller than its message bound, and the test probe gives up before a normal connect would.

import { describe, expect, it } from 'vitest';
import * as limits from './limits.js';

describe('db limits', () => {
  it('fit together', () => {
    expect(limits.embeddedConnectionsMax).toBeGreaterThanOrEqual(limits.poolConnectionsDefault * 2);
    expect(limits.embeddedStartupPacketBytesMax).toBeLessThan(limits.embeddedClientMessageBytesMax);
    expect(limits.testProbeTimeoutSeconds).toBeLessThan(limits.connectTimeoutSeconds);
    expect(limits.closeTimeoutSeconds).toBeGreaterThan(0);
  });
});
