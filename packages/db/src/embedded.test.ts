// Proves the embedded database: PGlite served over the PostgreSQL wire protocol works with postgres.js and drizzle
// exactly like PostgreSQL. It runs the migrator and drizzle queries, keeps concurrent clients' extended-protocol
// cycles apart with prepared statements on and off, cleans up after a client that vanishes mid-transaction (raw
// socket), refuses connections over the limit, persists to a locked data directory across restarts, and keeps
// every acknowledged commit when the process holding it is killed with SIGKILL (a child process, built package).

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bigint, numeric, pgTable, text } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, eq, migrate, sql, startEmbeddedPostgres, type EmbeddedPostgres } from './index.js';
import { queryMessage, ReplyTracker } from './internal/wire-protocol.js';

const fixtureMigrations = new URL('./testdata/migrations', import.meta.url).pathname;

const migrationProbe = pgTable('migration_probe', {
  id: bigint('id', { mode: 'bigint' }).primaryKey(),
  label: text('label').notNull(),
  amountMinor: numeric('amount_minor', { precision: 38, scale: 0 }).notNull(),
});

let server: EmbeddedPostgres;
beforeAll(async () => {
  server = await startEmbeddedPostgres();
});
afterAll(() => server.stop());

const quiet = { onnotice: () => undefined };

describe('startEmbeddedPostgres (in memory)', () => {
  it('serves migrations and drizzle queries over the wire', async () => {
    expect(server.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect(await migrate(server.url, { migrationsFolder: fixtureMigrations })).toEqual({
      appliedCount: 2,
      totalCount: 2,
    });
    expect(await migrate(server.url, { migrationsFolder: fixtureMigrations })).toEqual({
      appliedCount: 0,
      totalCount: 2,
    });

    const { db, close } = createDb(server.url);
    try {
      const big = 2n ** 63n - 1n;
      await db
        .insert(migrationProbe)
        .values({ id: big, label: 'max bigint', amountMinor: '99999999999999999999999999999' });
      const [row] = await db.select().from(migrationProbe).where(eq(migrationProbe.id, big));
      expect(row).toEqual({ id: big, label: 'max bigint', amountMinor: '99999999999999999999999999999' });

      await expect(
        db.transaction(async (tx) => {
          await tx.insert(migrationProbe).values({ id: 2n, label: 'rolled back', amountMinor: '1' });
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      const [count] = await db.select({ rows: sql<number>`count(*)::int` }).from(migrationProbe);
      expect(count?.rows).toBe(2); // the fixture's seeded row and max bigint, not the rolled-back one
    } finally {
      await close();
    }
  });

  it.each([true, false])('keeps concurrent clients apart (prepare: %s)', async (prepare) => {
    const clients = Array.from({ length: 3 }, () => postgres(server.url, { max: 2, prepare, ...quiet }));
    try {
      const results = await Promise.all(
        Array.from({ length: 600 }, (_, index) => {
          const client = clients[index % clients.length] ?? clients[0];
          if (client === undefined) throw new Error('no client');
          if (index % 40 === 7)
            return client`select 1 / ${0}::int as x`.then(
              () => 'no error',
              () => 'error',
            );
          if (index % 60 === 11) {
            return client
              .begin(async (tx) => {
                const [row] = await tx`select ${index}::int as x`;
                await tx`select pg_sleep(0.001)`;
                return row?.['x'] === index ? 'ok' : 'wrong row';
              })
              .catch((error: Error) => error.message);
          }
          const query =
            index % 2 === 0
              ? client`select ${index}::int as x, ${`s${index}`}::text as y`
              : client`select ${`s${index}`}::text as y, 1 as z, ${index}::int as x`;
          return query.then(
            ([row]) => (row?.['x'] === index && row['y'] === `s${index}` ? 'ok' : `wrong row ${JSON.stringify(row)}`),
            (error: Error) => error.message,
          );
        }),
      );
      const unexpected = results.filter((result, index) => result !== (index % 40 === 7 ? 'error' : 'ok'));
      expect(unexpected).toEqual([]);
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
  });

  it('rolls back and cleans up after a client that vanishes mid-transaction', async () => {
    const observer = postgres(server.url, { max: 1, ...quiet });
    try {
      await observer`create table vanishing (id int primary key)`;
      const raw = await openRawSession(server.port);
      expect(await raw.send(queryMessage('begin; insert into vanishing values (1)'))).toBe('T');
      // While that transaction is open, other clients wait for the backend rather than see or join it.
      const waiting = observer`select count(*)::int as rows from vanishing`;
      const outcome = await Promise.race([waiting.then(() => 'answered'), delay(100).then(() => 'waiting')]);
      expect(outcome).toBe('waiting');
      raw.socket.destroy();
      expect(await waiting).toEqual([{ rows: 0 }]);
      await observer`insert into vanishing values (1)`; // the backend is usable and no transaction leaked
      expect(await observer`select count(*)::int as rows from vanishing`).toEqual([{ rows: 1 }]);
    } finally {
      await observer.end();
    }
  });

  it("drops a departed client's prepared statements from the shared backend", async () => {
    const observer = postgres(server.url, { max: 1, prepare: false, ...quiet });
    const countPrepared = async () => (await observer`select count(*)::int as n from pg_prepared_statements`)[0]?.['n'];
    try {
      const before = await countPrepared();
      const client = postgres(server.url, { max: 1, prepare: true, ...quiet });
      await client`select ${1}::int as a`;
      await client`select ${2}::int as b`;
      expect(await countPrepared()).toBeGreaterThanOrEqual((before ?? 0) + 2);
      await client.end();
      // The server cleans up just after the socket closes.
      await eventually(async () => expect(await countPrepared()).toBe(before));
    } finally {
      await observer.end();
    }
  });

  it('answers an SSL request with N and continues in plain text', async () => {
    const raw = await openRawSession(server.port, { sslRequest: true });
    expect(await raw.send(queryMessage('select 1'))).toBe('I');
    raw.socket.destroy();
  });
});

describe('startEmbeddedPostgres (persistent)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'exbox-pglite-'));
  const dataDir = join(directory, 'pglite');
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('keeps data across restarts, locks its directory and limits connections', async () => {
    const first = await startEmbeddedPostgres({ dataDir, connectionsMax: 1 });
    try {
      await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(/already open in this process/);
      const client = postgres(first.url, { max: 1, ...quiet });
      await client`create table kept (note text)`;
      await client`insert into kept values ('survives a restart')`;
      const extra = postgres(first.url, { max: 1, ...quiet });
      await expect(extra`select 1`).rejects.toThrow(/too many clients/);
      await extra.end();
      await client.end();
    } finally {
      await first.stop();
    }

    const second = await startEmbeddedPostgres({ dataDir });
    try {
      const client = postgres(second.url, { max: 1, ...quiet });
      expect(await client`select note from kept`).toEqual([{ note: 'survives a restart' }]);
      await client.end();
    } finally {
      await second.stop();
    }
  });
});

describe('startEmbeddedPostgres (crash)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'exbox-pglite-crash-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const built = existsSync(new URL('../dist/embedded.js', import.meta.url));

  it.runIf(built)('keeps acknowledged commits when its process is killed', async () => {
    const dataDir = join(directory, 'pglite');
    const writer = spawn(
      process.execPath,
      [new URL('./testdata/crash-writer.mjs', import.meta.url).pathname, dataDir],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = new Promise((resolve) => writer.once('exit', resolve));
    let lastAcknowledged = 0;
    try {
      await new Promise<void>((resolve, reject) => {
        void exited.then((code) => reject(new Error(`writer exited early with ${String(code)}`)));
        writer.stdout.on('data', (chunk: Buffer) => {
          lastAcknowledged = Number(chunk.toString('utf8').trim().split('\n').at(-1));
          // Kill it mid-stream, a little after the first acknowledgements.
          if (lastAcknowledged >= 20) resolve();
        });
      });
    } finally {
      writer.kill('SIGKILL');
      await exited;
    }

    // The dead writer's lock file is taken over; every acknowledged row is there (one more may have committed
    // between its commit and its acknowledgement).
    const reopened = await startEmbeddedPostgres({ dataDir });
    const client = postgres(reopened.url, { max: 1, ...quiet });
    try {
      const [row] = await client`select count(*)::int as rows, max(id) as last from acknowledged`;
      expect(row?.['last']).toBe(row?.['rows']);
      expect(row?.['rows']).toBeGreaterThanOrEqual(lastAcknowledged);
    } finally {
      await client.end();
      await reopened.stop();
    }
  });
});

function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Retries an assertion for up to two seconds. */
async function eventually(assertion: () => Promise<void>): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await assertion();
    } catch (error) {
      if (attempt >= 40) throw error;
      await delay(50);
    }
  }
}

/** A hand-driven protocol session, to misbehave in ways a client library will not. */
async function openRawSession(port: number, options: { sslRequest?: boolean } = {}) {
  const socket: Socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  if (options.sslRequest === true) {
    const sslRequest = Buffer.alloc(8);
    sslRequest.writeInt32BE(8, 0);
    sslRequest.writeInt32BE(80877103, 4);
    socket.write(sslRequest);
    const answer = await new Promise<Buffer>((resolve) => socket.once('data', resolve));
    expect(answer.toString('latin1')).toBe('N');
  }
  /** Writes bytes and resolves with the ReadyForQuery status that ends the reply. */
  const exchange = (bytes: Buffer) =>
    new Promise<string | undefined>((resolve) => {
      const tracker = new ReplyTracker();
      const onData = (chunk: Buffer) => {
        tracker.observe(chunk);
        const status = tracker.transactionStatus;
        if (tracker.idle || (status !== undefined && status !== 'I')) {
          socket.off('data', onData);
          resolve(status);
        }
      };
      socket.on('data', onData);
      socket.write(bytes);
    });
  const parameters = Buffer.from('user\0postgres\0database\0postgres\0\0', 'latin1');
  const startup = Buffer.alloc(8);
  startup.writeInt32BE(parameters.length + 8, 0);
  startup.writeInt32BE(196608, 4);
  expect(await exchange(Buffer.concat([startup, parameters]))).toBe('I');
  return { socket, send: exchange };
}
