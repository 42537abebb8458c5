// `npm start` as a person runs it: the demo script (apps/gateway/bin/demo.js) starts the exchange and serves the
// built trader portal beside it, prints the portal's address, and stops both on Ctrl-C.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@exbox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const demoScript = fileURLToPath(new URL('../../apps/gateway/bin/demo.js', import.meta.url));
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const freePort = async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
};

describe('npm start', () => {
  it('serves the trader portal on the exchange, and stops both on SIGINT', async () => {
    const portalPort = await freePort();
    const demo = spawn(
      process.execPath,
      [
        demoScript,
        ...['--database-url', database.url, '--port', '0', '--portal-port', String(portalPort), '--no-bots'],
        ...['--credentials', join(mkdtempSync(join(tmpdir(), 'exbox-npm-start-')), 'demo-credentials.json')],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    demo.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    demo.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 60_000;
      while (!output.includes(`portal    http://localhost:${portalPort}`)) {
        if (Date.now() > deadline || demo.exitCode !== null) throw new Error(`no portal line:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const markets = await fetch(`http://localhost:${portalPort}/markets`);
      expect(markets.status).toBe(200);
      expect(await markets.text()).toContain('BTC');
      // The account API answers from the portal process, on the demo's database.
      const me = await fetch(`http://localhost:${portalPort}/api/trpc/auth.me`);
      expect(await me.json()).toEqual({ result: { data: null } });
      const mailbox = await fetch(
        `http://localhost:${portalPort}/api/trpc/mailbox.list?input=${encodeURIComponent('{"to":"demo@exbox.local"}')}`,
      );
      expect(mailbox.status).toBe(200);
    } finally {
      demo.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    // The portal went down with it.
    await expect(fetch(`http://localhost:${portalPort}/markets`)).rejects.toThrow();
    expect(output).toMatch(/stopped at sequence \d+/);
  }, 120_000);
});
