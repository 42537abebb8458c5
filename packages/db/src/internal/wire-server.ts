// Serves one PGlite instance to many PostgreSQL clients over TCP.
//
// PGlite is one backend: one session, one transaction, one unnamed statement and portal. pglite-socket's server
// forwards each client message on its own and only keeps explicit transactions together, so two clients using
// the extended protocol interleave their Parse/Bind/Execute messages and run each other's statements (postgres.js
// with `prepare: false` returned wrong rows within a few hundred concurrent queries). This server instead hands the
// backend to one connection at a time, from its first message until the backend says ReadyForQuery with status
// idle: a whole command cycle, or a whole transaction, runs for one connection without interleaving. Connections
// queue for the backend in arrival order.

import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import {
  cancelRequestCode,
  copyFailMessage,
  errorResponse,
  frontendType,
  gssEncryptionRequestCode,
  queryMessage,
  readCString,
  ReplyTracker,
  sslRequestCode,
  syncMessage,
} from './wire-protocol.js';

export interface WireServerOptions {
  readonly db: PGlite;
  readonly host: string;
  readonly port: number;
  readonly connectionsMax: number;
  readonly clientMessageBytesMax: number;
  readonly startupPacketBytesMax: number;
}

/** Hands the single backend to one session at a time, first come first served. */
class BackendLock {
  #holder: Session | undefined;
  #waiters: { session: Session; grant: (granted: boolean) => void }[] = [];

  get holder(): Session | undefined {
    return this.#holder;
  }

  /** Resolves true once `session` holds the backend, or false if the wait was cancelled. */
  acquire(session: Session): Promise<boolean> {
    if (this.#holder === session) return Promise.resolve(true);
    if (this.#holder === undefined) {
      this.#holder = session;
      return Promise.resolve(true);
    }
    return new Promise((grant) => this.#waiters.push({ session, grant }));
  }

  release(session: Session): void {
    if (this.#holder !== session) throw new Error('BackendLock: released by a session that does not hold it');
    const next = this.#waiters.shift();
    this.#holder = next?.session;
    next?.grant(true);
  }

  cancel(session: Session): void {
    const cancelled = this.#waiters.filter((waiter) => waiter.session === session);
    this.#waiters = this.#waiters.filter((waiter) => waiter.session !== session);
    for (const waiter of cancelled) waiter.grant(false);
  }

  cancelAll(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.grant(false);
  }
}

class Session {
  readonly #server: WireServer;
  readonly socket: Socket;
  #buffer: Buffer = Buffer.alloc(0);
  #started = false;
  #closed = false;
  /** Every step (serving data, cleaning up) runs in order on this chain. */
  #tail: Promise<void> = Promise.resolve();
  /** Named prepared statements this client created: they live in the shared backend, so we drop them at close. */
  readonly #statementNames = new Set<string>();

  constructor(server: WireServer, socket: Socket) {
    this.#server = server;
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
      this.#enqueue(() => this.#serve());
    });
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  get tail(): Promise<void> {
    return this.#tail;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#server.lock.cancel(this);
    this.socket.destroy();
    this.#enqueue(() => this.#cleanUp());
  }

  #enqueue(step: () => Promise<void>): void {
    this.#tail = this.#tail.then(step).catch((error: unknown) => {
      console.error('[db] embedded server: session failed', error);
      this.#server.lock.cancel(this);
      if (this.#server.lock.holder === this) this.#server.lock.release(this);
      this.socket.destroy();
    });
  }

  #fail(sqlState: string, message: string): void {
    if (!this.#closed) this.socket.end(errorResponse('FATAL', sqlState, message));
    this.close();
  }

  /** Runs every complete message in the buffer. */
  async #serve(): Promise<void> {
    while (!this.#closed) {
      if (!this.#started) {
        if (!(await this.#serveStartupPacket())) return;
        continue;
      }
      const batch = this.#takeMessages();
      if (batch === undefined) return;
      if (batch.length > 0 && !(await this.#run(batch))) return;
      if (this.#terminated) {
        this.close();
        return;
      }
    }
  }

  #terminated = false;

  /** Handles one startup-phase packet; false when more bytes are needed or the session ended. */
  async #serveStartupPacket(): Promise<boolean> {
    if (this.#buffer.length < 8) return false;
    const length = this.#buffer.readInt32BE(0);
    if (length < 8 || length > this.#server.options.startupPacketBytesMax) {
      this.#fail('08P01', `invalid startup packet length ${length}`);
      return false;
    }
    if (this.#buffer.length < length) return false;
    const packet = this.#buffer.subarray(0, length);
    this.#buffer = this.#buffer.subarray(length);
    const code = packet.readInt32BE(4);
    if (code === sslRequestCode || code === gssEncryptionRequestCode) {
      this.socket.write('N'); // Not supported: the client continues in plain text (or gives up, if it requires TLS).
      return true;
    }
    if (code === cancelRequestCode) {
      this.close(); // Query cancellation cannot interrupt PGlite; the query simply runs to its end.
      return false;
    }
    this.#started = true;
    return this.#run(packet);
  }

  /**
   * Takes the complete messages at the front of the buffer, stopping before a Terminate (which ends the session
   * and is not passed on). Undefined when there is nothing complete to run.
   */
  #takeMessages(): Buffer | undefined {
    let offset = 0;
    const buffer = this.#buffer;
    while (buffer.length - offset >= 5) {
      const type = buffer.readUInt8(offset);
      const length = buffer.readInt32BE(offset + 1);
      if (length < 4 || length + 1 > this.#server.options.clientMessageBytesMax) {
        this.#fail('08P01', `invalid message length ${length}`);
        return undefined;
      }
      if (buffer.length - offset < length + 1) break;
      if (type === frontendType.terminate) {
        this.#terminated = true;
        break;
      }
      this.#noteStatementNames(type, buffer.subarray(offset + 5, offset + 1 + length));
      offset += length + 1;
    }
    this.#buffer = buffer.subarray(offset);
    if (offset === 0 && !this.#terminated) return undefined;
    return buffer.subarray(0, offset);
  }

  #noteStatementNames(type: number, body: Buffer): void {
    if (type === frontendType.parse) {
      const { text } = readCString(body, 0);
      if (text !== '') this.#statementNames.add(text);
    } else if (type === frontendType.close && body.length > 0 && body.readUInt8(0) === 0x53 /* 'S' */) {
      this.#statementNames.delete(readCString(body, 1).text);
    }
  }

  /** Runs messages on the backend for this session; false when the session closed while waiting. */
  async #run(messages: Buffer): Promise<boolean> {
    const lock = this.#server.lock;
    if (!(await lock.acquire(this))) return false;
    const tracker = new ReplyTracker();
    await this.#server.execute(messages, (chunk) => {
      tracker.observe(chunk);
      if (!this.#closed) this.socket.write(chunk);
    });
    if (tracker.idle) lock.release(this);
    return !this.#closed;
  }

  /**
   * After the client is gone: end whatever it left open on the shared backend (a COPY, an extended-protocol cycle
   * without Sync, a transaction), and drop its prepared statements, so the next client finds a clean session.
   */
  async #cleanUp(): Promise<void> {
    const lock = this.#server.lock;
    if (this.#server.stopping) {
      if (lock.holder === this) lock.release(this);
      return;
    }
    if (lock.holder !== this && this.#statementNames.size === 0) return;
    if (!(await lock.acquire(this))) return;
    try {
      const tracker = new ReplyTracker();
      await this.#server.execute(Buffer.concat([copyFailMessage, syncMessage]), (chunk) => tracker.observe(chunk));
      const cleanup = [...this.#statementNames].map((name) =>
        queryMessage(`DEALLOCATE "${name.replaceAll('"', '""')}"`),
      );
      if (tracker.transactionStatus !== 'I') cleanup.unshift(queryMessage('ROLLBACK'));
      const after = new ReplyTracker();
      if (cleanup.length > 0) await this.#server.execute(Buffer.concat(cleanup), (chunk) => after.observe(chunk));
      if (cleanup.length > 0 && !after.idle) {
        console.error('[db] embedded server: backend not idle after a client left; status', after.transactionStatus);
      }
    } finally {
      lock.release(this);
    }
  }
}

export class WireServer {
  readonly options: WireServerOptions;
  readonly lock = new BackendLock();
  readonly #sessions = new Set<Session>();
  readonly #rejectedSockets = new Set<Socket>();
  #server: Server | undefined;
  #stopping = false;

  constructor(options: WireServerOptions) {
    this.options = options;
  }

  get stopping(): boolean {
    return this.#stopping;
  }

  get connectionCount(): number {
    return this.#sessions.size;
  }

  /** Listens and resolves with the bound port (useful when asked for port 0). */
  async start(): Promise<number> {
    if (this.#server !== undefined) throw new Error('WireServer: already started');
    const server = createServer((socket) => this.#accept(socket));
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('WireServer: expected a TCP address');
    return address.port;
  }

  /** Runs raw protocol messages on the backend; callers hold the lock. */
  execute(messages: Uint8Array, onReply: (chunk: Uint8Array) => void): Promise<void> {
    const { db } = this.options;
    return db.runExclusive(() => db.execProtocolRawStream(messages, { onRawData: onReply }));
  }

  /** Stops listening, drops every client and waits until nothing runs on the backend. Leaves the database open. */
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    const server = this.#server;
    const closed = new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
    for (const session of this.#sessions) session.close();
    for (const socket of this.#rejectedSockets) socket.destroy();
    this.lock.cancelAll();
    await Promise.all([...this.#sessions].map((session) => session.tail));
    await closed;
    // Any execution still inside PGlite finishes before this returns.
    await this.options.db.runExclusive(() => Promise.resolve());
  }

  #accept(socket: Socket): void {
    if (this.#stopping) {
      socket.destroy();
      return;
    }
    if (this.#sessions.size >= this.options.connectionsMax) {
      // Read and discard what the client sends, so its FIN is seen and the socket closes (a paused socket never
      // notices the end, and would keep server.close() waiting).
      socket.on('error', () => socket.destroy());
      socket.on('close', () => this.#rejectedSockets.delete(socket));
      this.#rejectedSockets.add(socket);
      socket.resume();
      socket.end(errorResponse('FATAL', '53300', `sorry, too many clients already (${this.options.connectionsMax})`));
      return;
    }
    const session = new Session(this, socket);
    this.#sessions.add(session);
    socket.on('close', () => void session.tail.then(() => this.#sessions.delete(session)));
  }
}
