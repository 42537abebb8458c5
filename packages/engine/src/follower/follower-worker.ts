// Worker-thread entry of the follower (see follower-thread.ts). Owns its own database connections.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import postgres from 'postgres';
import { PgJournalStore } from '../journal/journal-store.js';
import type { JournalBatch } from '../journal/journal-store.js';
import { followerThreadNice } from '../limits.js';
import { Follower } from './follower.js';

interface WorkerInit {
  databaseUrl: string;
  snapshotIntervalCommands?: number;
}

type Incoming = { type: 'batch'; batch: JournalBatch } | { type: 'idle'; requestId: number } | { type: 'close' };

/**
 * Projection can lag; acknowledgements should not wait. On Linux a worker thread is its own task, so it can be
 * given a lower CPU priority than the sequencer's thread: under contention the scheduler then favours commits.
 * Best effort: where this is not possible the follower simply runs at normal priority.
 */
const lowerThreadPriority = (): void => {
  try {
    const taskPath = readlinkSync('/proc/thread-self');
    const threadId = Number(taskPath.slice(taskPath.lastIndexOf('/') + 1));
    if (Number.isSafeInteger(threadId) && threadId > 0) setPriority(threadId, followerThreadNice);
  } catch {
    // Not Linux, or not allowed: keep the default priority.
  }
};

lowerThreadPriority();
const port = parentPort;
if (port === null) throw new Error('follower-worker must run as a worker thread');
const init = workerData as WorkerInit;
// One connection: the follower reads and writes strictly in turn.
const sql = postgres(init.databaseUrl, { max: 1, onnotice: () => {} });

const report = (error: unknown) => {
  const failure = error instanceof Error ? error : new Error(String(error));
  port.postMessage({ type: 'error', message: failure.message, stack: failure.stack });
};

try {
  const follower = await Follower.start({
    sql,
    store: new PgJournalStore(sql),
    ...(init.snapshotIntervalCommands === undefined ? {} : { snapshotIntervalCommands: init.snapshotIntervalCommands }),
    onProgress: (projectedSeq) => port.postMessage({ type: 'progress', projectedSeq }),
    onError: report,
  });
  port.postMessage({ type: 'ready', projectedSeq: follower.projectedSequence });
  port.on('message', (message: Incoming) => {
    switch (message.type) {
      case 'batch':
        follower.enqueue(message.batch);
        return;
      case 'idle':
        follower.idle().then(() => port.postMessage({ type: 'idle', requestId: message.requestId }), report);
        return;
      case 'close':
        follower
          .idle()
          .catch(report)
          .finally(() => sql.end({ timeout: 5 }).finally(() => port.close()));
        return;
    }
  });
} catch (error) {
  report(error);
  await sql.end({ timeout: 5 });
}
