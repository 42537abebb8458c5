// The fan-out side of `npm run bench:gateway`: many WebSocket subscribers on one market's diff-depth stream.
// Each checks that its updates chain without a gap (U = previous u + 1) and records the delivery latency of
// every event: its arrival time minus the server's event time `E` (same machine, same clock).
import { LatencyHistogram } from '@exbox/engine';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export interface FanoutOptions {
  url: string;
  subscribers: number;
  /** Sockets opened at once while connecting (the rest wait). */
  connectConcurrency: number;
  durationMs: number;
  /** Called once every subscriber is connected (the orchestrator then starts the order flow). */
  onConnected?: () => void;
}

export interface FanoutResult {
  subscribers: number;
  connectSeconds: number;
  events: number;
  eventsPerSubscriberMin: number;
  eventsPerSubscriberMax: number;
  gaps: number;
  disconnects: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Average event size in bytes. */
  eventBytesAverage: number;
}

const numberAfter = (text: string, key: string): number => {
  const start = text.indexOf(key) + key.length;
  let end = start;
  while (end < text.length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
  return Number(text.slice(start, end));
};

/**
 * A minimal WebSocket client on a raw socket: the handshake, then unmasked server frames parsed in place. The
 * `ws` package costs several microseconds a message; ten thousand subscribers at ten messages a second each
 * would make the client, not the server, the bottleneck of the measurement.
 */
const openLeanSocket = (
  url: URL,
  onText: (head: string, bytes: number) => void,
  onClose: () => void,
): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port), noDelay: true });
    let buffer: Buffer = Buffer.alloc(0);
    let open = false;
    socket.on('connect', () => {
      socket.write(
        `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      if (!open) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        if (!buffer.subarray(0, 12).toString('latin1').includes('101')) {
          reject(new Error(`upgrade refused: ${buffer.subarray(0, end).toString('latin1')}`));
          socket.destroy();
          return;
        }
        open = true;
        buffer = buffer.subarray(end + 4);
        resolve(socket);
      }
      for (;;) {
        if (buffer.length < 2) return;
        const opcode = buffer[0]! & 0x0f;
        let length = buffer[1]! & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffer.length < 4) return;
          length = buffer.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (buffer.length < 10) return;
          length = Number(buffer.readBigUInt64BE(2));
          offset = 10;
        }
        if (buffer.length < offset + length) return;
        const payload = buffer.subarray(offset, offset + length);
        buffer = buffer.subarray(offset + length);
        // Diff events open with their ids (E, s, U, u come before the level arrays): read only that head.
        if (opcode === 1) onText(payload.toString('latin1', 0, Math.min(payload.length, 200)), payload.length);
        else if (opcode === 9) socket.write(maskedFrame(0x8a, payload));
        else if (opcode === 8) socket.end();
      }
    });
    socket.on('error', (error) => (open ? undefined : reject(error)));
    socket.on('close', onClose);
  });

/** A client frame (clients must mask). */
const maskedFrame = (firstByte: number, payload: Buffer): Buffer => {
  const mask = randomBytes(4);
  const frame = Buffer.alloc(6 + payload.length);
  frame[0] = firstByte;
  frame[1] = 0x80 | payload.length;
  mask.copy(frame, 2);
  for (let i = 0; i < payload.length; i++) frame[6 + i] = payload[i]! ^ mask[i % 4]!;
  return frame;
};

export const runFanout = async (options: FanoutOptions): Promise<FanoutResult> => {
  const histogram = new LatencyHistogram();
  const sockets: Socket[] = [];
  const counts: number[] = [];
  let gaps = 0;
  let disconnects = 0;
  let events = 0;
  let bytes = 0;
  let maxMs = 0;
  let measuring = false;
  const url = new URL(options.url);
  const connectStartMs = performance.now();
  const open = async (index: number) => {
    let lastU = -1;
    counts[index] = 0;
    const socket = await openLeanSocket(
      url,
      (text, size) => {
        const receivedMs = Date.now();
        // The three numbers the check needs, without parsing the whole event.
        const event = { E: numberAfter(text, '"E":'), U: numberAfter(text, '"U":'), u: numberAfter(text, '"u":') };
        if (lastU >= 0 && event.U !== lastU + 1) gaps++;
        lastU = event.u;
        if (!measuring) return;
        const latencyMs = Math.max(0, receivedMs - event.E);
        histogram.record(latencyMs);
        if (latencyMs > maxMs) maxMs = latencyMs;
        counts[index]!++;
        events++;
        bytes += size;
      },
      () => {
        if (measuring) disconnects++;
      },
    );
    sockets.push(socket);
  };
  for (let start = 0; start < options.subscribers; start += options.connectConcurrency) {
    const batch: Promise<void>[] = [];
    for (let index = start; index < Math.min(options.subscribers, start + options.connectConcurrency); index++)
      batch.push(open(index));
    await Promise.all(batch);
  }
  const connectSeconds = (performance.now() - connectStartMs) / 1000;
  measuring = true;
  options.onConnected?.();
  await new Promise((resolve) => setTimeout(resolve, options.durationMs));
  measuring = false;
  for (const socket of sockets) socket.destroy();
  return {
    subscribers: options.subscribers,
    connectSeconds: Math.round(connectSeconds * 10) / 10,
    events,
    eventsPerSubscriberMin: Math.min(...counts),
    eventsPerSubscriberMax: Math.max(...counts),
    gaps,
    disconnects,
    p50Ms: histogram.quantileMs(0.5),
    p99Ms: histogram.quantileMs(0.99),
    maxMs,
    eventBytesAverage: events === 0 ? 0 : Math.round(bytes / events),
  };
};
