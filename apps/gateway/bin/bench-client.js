#!/usr/bin/env node
// The load generator of `npm run bench:gateway`, a process apart from the gateway it loads (bin/bench.js starts
// both). Prints one JSON line with its result.
// usage: bench-client.js orders --port N --keys FILE --connections N --duration S [--rate N] [--seed N]
//        bench-client.js fanout --port N --subscribers N --duration S [--stream S]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runFanout } from '../dist/bench/fanout-load.js';
import { runOrderLoad } from '../dist/bench/order-load.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string' },
    keys: { type: 'string' },
    connections: { type: 'string', default: '64' },
    duration: { type: 'string', default: '20' },
    rate: { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
    subscribers: { type: 'string', default: '10000' },
    stream: { type: 'string', default: 'btcusdt@depth@100ms' },
  },
});
const port = Number(values.port);
const durationMs = Number(values.duration) * 1000;
if (positionals[0] === 'orders') {
  const result = await runOrderLoad({
    host: '127.0.0.1',
    port,
    keys: JSON.parse(readFileSync(values.keys, 'utf8')),
    connections: Number(values.connections),
    durationMs,
    ratePerSec: Number(values.rate),
    seed: Number(values.seed),
    symbol: 'BTCUSDT',
    midTicks: 4_300_000,
  });
  console.log(JSON.stringify(result));
} else if (positionals[0] === 'fanout') {
  const result = await runFanout({
    url: `ws://127.0.0.1:${port}/ws/${values.stream}`,
    subscribers: Number(values.subscribers),
    connectConcurrency: 200,
    durationMs,
    onConnected: () => console.log('connected'),
  });
  console.log(JSON.stringify(result));
} else {
  console.error('usage: bench-client.js orders|fanout ...');
  process.exit(2);
}
process.exit(0);
