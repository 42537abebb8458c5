// Runs the follower on a worker thread, so projection writes and snapshots use the second core and never pause
// the sequencer. The main side is `FollowerThread`; the worker side is follower-worker.ts.
import { Worker } from 'node:worker_threads';
import type { JournalBatch } from '../journal/journal-store.js';

export interface FollowerHandle {
  enqueue(batch: JournalBatch): void;
  /** Resolves when everything enqueued so far is projected. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface FollowerThreadOptions {
  databaseUrl: string;
  snapshotIntervalCommands?: number;
  onProgress: (projectedSeq: number) => void;
  onError: (error: Error) => void;
}

type WorkerMessage =
  | { type: 'ready'; projectedSeq: number }
  | { type: 'progress'; projectedSeq: number }
  | { type: 'idle'; requestId: number }
  | { type: 'error'; message: string; stack?: string };

export class FollowerThread implements FollowerHandle {
  private nextRequestId = 1;
  private readonly idleWaiters = new Map<number, () => void>();
  private failed: Error | null = null;

  private constructor(
    private readonly worker: Worker,
    private readonly options: FollowerThreadOptions,
  ) {}

  static start(options: FollowerThreadOptions): Promise<FollowerThread> {
    const worker = new Worker(new URL('./follower-worker.js', import.meta.url), {
      workerData: { databaseUrl: options.databaseUrl, snapshotIntervalCommands: options.snapshotIntervalCommands },
    });
    const thread = new FollowerThread(worker, options);
    return new Promise((resolve, reject) => {
      const onEarlyError = (error: Error) => reject(error);
      worker.once('error', onEarlyError);
      worker.on('message', (message: WorkerMessage) => {
        switch (message.type) {
          case 'ready':
            worker.off('error', onEarlyError);
            worker.on('error', (error) => thread.fail(error));
            options.onProgress(message.projectedSeq);
            resolve(thread);
            return;
          case 'progress':
            options.onProgress(message.projectedSeq);
            return;
          case 'idle':
            thread.idleWaiters.get(message.requestId)?.();
            thread.idleWaiters.delete(message.requestId);
            return;
          case 'error': {
            const error = Object.assign(new Error(`follower: ${message.message}`), { stack: message.stack });
            thread.fail(error);
            reject(error);
            return;
          }
        }
      });
    });
  }

  enqueue(batch: JournalBatch): void {
    if (this.failed === null) this.worker.postMessage({ type: 'batch', batch });
  }

  idle(): Promise<void> {
    if (this.failed !== null) return Promise.reject(this.failed);
    const requestId = this.nextRequestId++;
    return new Promise((resolve) => {
      this.idleWaiters.set(requestId, resolve);
      this.worker.postMessage({ type: 'idle', requestId });
    });
  }

  async close(): Promise<void> {
    if (this.failed === null) await this.idle();
    this.worker.postMessage({ type: 'close' });
    await new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
  }

  private fail(error: Error): void {
    if (this.failed !== null) return;
    this.failed = error;
    this.options.onError(error);
  }
}
