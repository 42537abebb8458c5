// The demo's database: PGlite (PostgreSQL compiled to WebAssembly, in this process) served over the PostgreSQL
// wire protocol on 127.0.0.1, so every other part of the system connects with a DATABASE_URL exactly as in
// production.

import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { WireServer } from './internal/wire-server.js';
import { embeddedClientMessageBytesMax, embeddedConnectionsMax, embeddedStartupPacketBytesMax } from './limits.js';

/** Where the demo keeps its database: `.data/pglite` at the repository root. */
export const demoDataDir = fileURLToPath(new URL('../../../.data/pglite', import.meta.url));

export interface EmbeddedPostgresOptions {
  /** Directory of a persistent database, created when missing. Omitted: an in-memory database. */
  readonly dataDir?: string;
  /** TCP port; 0 (the default) lets the OS pick a free one. */
  readonly port?: number;
  /** Address to listen on; default 127.0.0.1. There is no authentication: keep it on loopback. */
  readonly host?: string;
  /** Most simultaneous client connections (default 64). */
  readonly connectionsMax?: number;
}

export interface EmbeddedPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string | undefined;
  /** Disconnects clients, closes the database (flushing a persistent one) and releases the data directory. */
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const host = options.host ?? '127.0.0.1';
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  const releaseDataDir = dataDir === undefined ? async () => {} : await lockDataDir(dataDir);
  let db: PGlite | undefined;
  try {
    db = dataDir === undefined ? await PGlite.create() : await PGlite.create({ dataDir });
    const server = new WireServer({
      db,
      host,
      port: options.port ?? 0,
      connectionsMax: options.connectionsMax ?? embeddedConnectionsMax,
      clientMessageBytesMax: embeddedClientMessageBytesMax,
      startupPacketBytesMax: embeddedStartupPacketBytesMax,
    });
    const port = await server.start();
    const database = db;
    let stopping: Promise<void> | undefined;
    return {
      url: `postgres://postgres@${host.includes(':') ? `[${host}]` : host}:${port}/postgres`,
      port,
      dataDir,
      stop: () =>
        (stopping ??= (async () => {
          try {
            await server.stop();
            await database.close();
          } finally {
            await releaseDataDir();
          }
        })()),
    };
  } catch (error) {
    await db?.close().catch(() => undefined);
    await releaseDataDir();
    throw error;
  }
}

/**
 * PGlite does not guard its data directory against a second process, and two writers would corrupt it, so we
 * keep a lock file next to it holding the owner's pid. A lock left by a process that no longer exists is taken over.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dirname(dataDir), { recursive: true });
  const lockPath = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const ownerPid = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(ownerPid) && ownerPid !== process.pid && isProcessAlive(ownerPid)) {
        throw new Error(`startEmbeddedPostgres: ${dataDir} is in use by process ${ownerPid} (lock file ${lockPath})`, {
          cause: error,
        });
      }
      if (ownerPid === process.pid) {
        throw new Error(`startEmbeddedPostgres: ${dataDir} is already open in this process`, { cause: error });
      }
      await rm(lockPath, { force: true });
    }
  }
  throw new Error(`startEmbeddedPostgres: could not lock ${dataDir}`);
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
