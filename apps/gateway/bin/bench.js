#!/usr/bin/env node
// `npm run bench:gateway`: the gateway under load from a separate process on loopback, on a fresh database on
// the PostgreSQL at DATABASE_URL (else the local server), with the engine in-process and its follower thread.
//  1. signed order round trips: closed-loop signed POST /api/v3/order (half resting limits, half crossing IOC)
//     over 64 keep-alive connections; orders/s and p50/p99 latency. Goal: >= 20,000/s with p99 < 25 ms.
//  2. fan-out: 10,000 WebSocket subscribers on btcusdt@depth while a paced order flow moves the book; every
//     subscriber must receive every update (no gap in U/u); delivery latency p99. Goal: < 100 ms. Then the same
//     on btcusdt@depth@100ms (ten times the messages), reported.
// Exits 1 if a goal is missed. usage: bench.js [--seconds N] [--subscribers N] [--connections N]
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { relaunchWithEngineFlags } from '@exbox/engine';
import { startTestExchange } from '../dist/testing/test-exchange.js';

const relaunched = await relaunchWithEngineFlags();
if (relaunched !== null) process.exit(relaunched);

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    subscribers: { type: 'string', default: '10000' },
    connections: { type: 'string', default: '64' },
    'skip-orders': { type: 'boolean', default: false },
    'flow-rate': { type: 'string', default: '500' },
  },
});
const TARGET_ORDERS_PER_SEC = 20_000;
const TARGET_ORDER_P99_MS = 25;
const TARGET_FANOUT_P99_MS = 100;
const client = fileURLToPath(new URL('./bench-client.js', import.meta.url));

const run = (args, onLine = () => undefined) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [client, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let last = '';
    let pending = '';
    child.stdout.on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        onLine(line);
        last = line;
      }
    });
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(last || pending)) : reject(new Error(`bench-client ${args[0]} exited ${code}`)),
    );
  });

let failed = false;
const check = (ok, message) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${message}`);
  if (!ok) failed = true;
};

console.log('starting the exchange (fresh database, engine with its follower thread) ...');
const exchange = await startTestExchange({
  follower: 'thread',
  extraUsers: 32,
  funding: { BTC: '1000000', ETH: '1000000', USDT: '100000000000' },
  rateLimits: { requestWeightPerMinute: 100_000_000, ordersPer10s: 100_000_000, ordersPerDay: 1_000_000_000 },
});
const port = exchange.gateway.port;
const keysFile = join(mkdtempSync(join(tmpdir(), 'exbox-bench-gateway-')), 'keys.json');
writeFileSync(keysFile, JSON.stringify(exchange.keys.extra.map(({ apiKey, secret }) => ({ apiKey, secret }))));
console.log(`gateway on port ${port}, database ${exchange.database.kind}`);
try {
  const seconds = values.seconds;
  if (!values['skip-orders']) {
    console.log(`1. signed orders: ${values.connections} connections, closed loop, ${seconds} s ...`);
    const orders = await run([
      'orders',
      '--port',
      String(port),
      '--keys',
      keysFile,
      '--connections',
      values.connections,
      '--duration',
      seconds,
    ]);
    console.log(`     ${JSON.stringify(orders)}`);
    const refused = Object.entries(orders.statuses).filter(([status]) => status !== '200');
    check(refused.length === 0, `every order answered 200 (${JSON.stringify(orders.statuses)})`);
    check(
      orders.ordersPerSec >= TARGET_ORDERS_PER_SEC,
      `signed_orders_per_sec=${orders.ordersPerSec} (goal >= ${TARGET_ORDERS_PER_SEC})`,
    );
    check(
      orders.p99Ms < TARGET_ORDER_P99_MS,
      `order_p50_ms=${orders.p50Ms} order_p99_ms=${orders.p99Ms} (goal p99 < ${TARGET_ORDER_P99_MS})`,
    );
    await exchange.gateway.engine.settled();
  }

  // The goal is checked on btcusdt@depth (every diff, aggregated per second, as Binance sends it by default); the
  // 100 ms stream is measured too, where ten times the messages make the client, on the same two cores, the limit.
  for (const [stream, isGoal] of [
    ['btcusdt@depth', true],
    ['btcusdt@depth@100ms', false],
  ]) {
    console.log(
      `2. fan-out: ${values.subscribers} subscribers on ${stream}, ${seconds} s of flow at ${values['flow-rate']} orders/s ...`,
    );
    let flow = null;
    const fanout = await run(
      [
        'fanout',
        '--port',
        String(port),
        '--subscribers',
        values.subscribers,
        '--duration',
        seconds,
        '--stream',
        stream,
      ],
      (line) => {
        if (line === 'connected' && flow === null) {
          flow = run([
            'orders',
            '--port',
            String(port),
            '--keys',
            keysFile,
            '--connections',
            '8',
            '--rate',
            values['flow-rate'],
            '--duration',
            String(Number(seconds) + 1),
            '--seed',
            '2',
          ]);
        }
      },
    );
    const background = await flow;
    console.log(`     ${JSON.stringify(fanout)}`);
    console.log(`     background flow: ${background?.ordersPerSec} orders/s, p99 ${background?.p99Ms} ms`);
    const report = isGoal
      ? check
      : (ok, message) => console.log(`     ${message}${ok ? '' : ' (reported, not a goal)'}`);
    check(
      fanout.gaps === 0 && fanout.disconnects === 0,
      `${stream}: no gaps and no disconnects (gaps ${fanout.gaps}, disconnects ${fanout.disconnects})`,
    );
    // No gaps proves each subscriber saw every update it was sent; the counts differ only by the few events in
    // flight when the measuring window opened and closed.
    check(
      fanout.eventsPerSubscriberMin > 0 && fanout.eventsPerSubscriberMax - fanout.eventsPerSubscriberMin <= 3,
      `${stream}: every subscriber received every update (${fanout.eventsPerSubscriberMin}..${fanout.eventsPerSubscriberMax} each, ${fanout.events} delivered)`,
    );
    report(
      fanout.p99Ms < TARGET_FANOUT_P99_MS,
      `${stream}: fanout_p50_ms=${fanout.p50Ms} fanout_p99_ms=${fanout.p99Ms} (goal p99 < ${TARGET_FANOUT_P99_MS})`,
    );
  }
} finally {
  await exchange.close();
}
process.exit(failed ? 1 : 0);
