// Just enough of the PostgreSQL frontend/backend protocol (v3) to multiplex client connections onto PGlite's single
// backend: message framing, a tracker that notices when the backend is idle, and ErrorResponse encoding.

export const sslRequestCode = 80877103;
export const gssEncryptionRequestCode = 80877104;
export const cancelRequestCode = 80877102;

/** Frontend message types the multiplexer looks inside. */
export const frontendType = {
  parse: 0x50, // 'P'
  close: 0x43, // 'C'
  sync: 0x53, // 'S'
  terminate: 0x58, // 'X'
} as const;

const readyForQueryType = 0x5a; // 'Z'
const transactionIdle = 0x49; // 'I'

/** The NUL-terminated string at `offset`, and where it ends. */
export function readCString(bytes: Buffer, offset: number): { text: string; end: number } {
  const end = bytes.indexOf(0, offset);
  if (end < 0) return { text: bytes.toString('utf8', offset), end: bytes.length };
  return { text: bytes.toString('utf8', offset, end), end };
}

/** A frontend message with its type byte and length header. */
export function frontendMessage(type: number, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(type, 0);
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

/** A simple-protocol Query message. */
export function queryMessage(sql: string): Buffer {
  return frontendMessage(0x51, Buffer.from(`${sql}\0`, 'utf8'));
}

export const syncMessage = frontendMessage(frontendType.sync, Buffer.alloc(0));
/** CopyFail: ends a COPY FROM STDIN a vanished client left open; ignored by the backend outside COPY. */
export const copyFailMessage = frontendMessage(0x66, Buffer.from('client disconnected\0', 'utf8'));

/** An ErrorResponse, for the few errors the multiplexer itself raises. */
export function errorResponse(severity: 'ERROR' | 'FATAL', sqlState: string, message: string): Buffer {
  const field = (code: string, value: string) => Buffer.from(`${code}${value}\0`, 'utf8');
  return frontendMessage(
    0x45, // 'E' (same framing in both directions)
    Buffer.concat([
      field('S', severity),
      field('V', severity),
      field('C', sqlState),
      field('M', message),
      Buffer.alloc(1),
    ]),
  );
}

/**
 * Follows the backend's reply stream across chunks and remembers the last complete message. The backend is idle,
 * ready for another client, exactly when its last message is ReadyForQuery with status 'I': not inside a
 * transaction block, not between an extended-protocol Parse and its Sync, not inside a COPY.
 */
export class ReplyTracker {
  #header = Buffer.alloc(5);
  #headerBytes = 0;
  #bodyBytesLeft = 0;
  #bodyOffset = 0;
  #lastType = 0;
  #lastStatus = 0;

  observe(chunk: Uint8Array): void {
    let index = 0;
    while (index < chunk.length) {
      if (this.#headerBytes < 5) {
        this.#header[this.#headerBytes] = chunk[index] ?? 0;
        this.#headerBytes += 1;
        index += 1;
        if (this.#headerBytes === 5) {
          this.#lastType = this.#header.readUInt8(0);
          this.#bodyBytesLeft = this.#header.readInt32BE(1) - 4;
          this.#bodyOffset = 0;
          if (this.#bodyBytesLeft < 0) throw new Error(`ReplyTracker: negative message length from the backend`);
          if (this.#bodyBytesLeft === 0) this.#headerBytes = 0;
        }
        continue;
      }
      const take = Math.min(this.#bodyBytesLeft, chunk.length - index);
      if (this.#lastType === readyForQueryType && this.#bodyOffset === 0) this.#lastStatus = chunk[index] ?? 0;
      this.#bodyOffset += take;
      this.#bodyBytesLeft -= take;
      index += take;
      if (this.#bodyBytesLeft === 0) this.#headerBytes = 0;
    }
  }

  /** True when the last complete message was ReadyForQuery with transaction status idle. */
  get idle(): boolean {
    return this.#headerBytes === 0 && this.#lastType === readyForQueryType && this.#lastStatus === transactionIdle;
  }

  /** The last ReadyForQuery status seen ('I', 'T' or 'E'), or undefined. */
  get transactionStatus(): string | undefined {
    return this.#lastStatus === 0 ? undefined : String.fromCharCode(this.#lastStatus);
  }
}
