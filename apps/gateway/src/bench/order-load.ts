// The order load generator of `npm run bench:gateway`: signed POST /api/v3/order round trips over keep-alive
// HTTP/1.1 connections, written on raw sockets so the client costs as little CPU as possible on a machine it
// shares with the server. Closed loop (each connection sends its next order when the previous answer arrived)
// for throughput; paced (a target rate) for steady background flow.
import { createHmac } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { LatencyHistogram } from '@exbox/engine';
import { seededRandom } from '../internal/random.js';

export interface LoadKey {
  apiKey: string;
  secret: string;
}

export interface OrderLoadOptions {
  host: string;
  port: number;
  keys: readonly LoadKey[];
  connections: number;
  durationMs: number;
  /** Orders per second across all connections; 0 = closed loop, as fast as answers come. */
  ratePerSec: number;
  seed: number;
  symbol: string;
  /** Mid price in ticks of 0.01 (BTCUSDT: 4_300_000 = 43,000.00). */
  midTicks: number;
}

export interface OrderLoadResult {
  sent: number;
  answered: number;
  /** Answers by HTTP status, and refusals by Binance code. */
  statuses: Record<string, number>;
  codes: Record<string, number>;
  seconds: number;
  ordersPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const formatTicks = (ticks: number) => `${Math.floor(ticks / 100)}.${String(ticks % 100).padStart(2, '0')}`;

export const runOrderLoad = async (options: OrderLoadOptions): Promise<OrderLoadResult> => {
  const next = seededRandom(options.seed);
  const histogram = new LatencyHistogram();
  const statuses: Record<string, number> = {};
  const codes: Record<string, number> = {};
  let sent = 0;
  let answered = 0;
  let maxMs = 0;
  const startedMs = performance.now();
  const endMs = startedMs + options.durationMs;
  const intervalMs = options.ratePerSec > 0 ? (1000 * options.connections) / options.ratePerSec : 0;

  const buildRequest = (key: LoadKey): string => {
    // Half resting limits in a band around the mid, half IOC orders crossing it: the book stays bounded and trades.
    const side = next() < 0.5 ? 'BUY' : 'SELL';
    const crossing = next() < 0.5;
    const offset = 1 + Math.floor(next() * 400);
    const priceTicks = crossing === (side === 'BUY') ? options.midTicks + offset : options.midTicks - offset;
    const quantity = `0.${String(1 + Math.floor(next() * 99)).padStart(3, '0')}`;
    const query =
      `symbol=${options.symbol}&side=${side}&type=LIMIT&timeInForce=${crossing ? 'IOC' : 'GTC'}` +
      `&quantity=${quantity}&price=${formatTicks(priceTicks)}&newOrderRespType=ACK&recvWindow=60000&timestamp=${Date.now()}`;
    const signature = createHmac('sha256', key.secret).update(query).digest('hex');
    return (
      `POST /api/v3/order?${query}&signature=${signature} HTTP/1.1\r\nHost: ${options.host}\r\n` +
      `X-MBX-APIKEY: ${key.apiKey}\r\nContent-Length: 0\r\n\r\n`
    );
  };

  const runConnection = (index: number) =>
    new Promise<void>((resolve, reject) => {
      const key = options.keys[index % options.keys.length]!;
      const socket: Socket = connect({ host: options.host, port: options.port, noDelay: true });
      let buffer = Buffer.alloc(0);
      let sentAtMs = 0;
      let nextDueMs = startedMs + (intervalMs * index) / options.connections;
      const send = () => {
        const now = performance.now();
        if (now >= endMs) {
          socket.end();
          return;
        }
        if (intervalMs > 0 && now < nextDueMs) {
          setTimeout(send, nextDueMs - now);
          return;
        }
        nextDueMs += intervalMs;
        sentAtMs = performance.now();
        sent++;
        socket.write(buildRequest(key));
      };
      socket.on('connect', send);
      socket.on('data', (chunk) => {
        buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
        for (;;) {
          const headerEnd = buffer.indexOf('\r\n\r\n');
          if (headerEnd < 0) return;
          const head = buffer.subarray(0, headerEnd).toString('latin1');
          const lengthMatch = /content-length: *(\d+)/i.exec(head);
          const length = lengthMatch === null ? 0 : Number(lengthMatch[1]);
          if (buffer.length < headerEnd + 4 + length) return;
          const status = head.slice(9, 12);
          const body = buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
          buffer = buffer.subarray(headerEnd + 4 + length);
          const elapsedMs = performance.now() - sentAtMs;
          histogram.record(elapsedMs);
          if (elapsedMs > maxMs) maxMs = elapsedMs;
          answered++;
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status !== '200') {
            const code = /"code":(-?\d+)/.exec(body)?.[1] ?? 'none';
            codes[code] = (codes[code] ?? 0) + 1;
          }
          send();
        }
      });
      socket.on('error', reject);
      socket.on('close', () => resolve());
    });

  await Promise.all(Array.from({ length: options.connections }, (_, index) => runConnection(index)));
  const seconds = (performance.now() - startedMs) / 1000;
  return {
    sent,
    answered,
    statuses,
    codes,
    seconds,
    ordersPerSec: Math.round(answered / seconds),
    p50Ms: histogram.quantileMs(0.5),
    p99Ms: histogram.quantileMs(0.99),
    maxMs: Math.round(maxMs * 10) / 10,
  };
};
