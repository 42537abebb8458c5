#!/usr/bin/env node
// Starts the engine on DATABASE_URL (argument) as a restarted production process would, prints one JSON line with
// how long it took to be serving (from process start), then shuts down cleanly. Used by bench-recovery.js.
import { createDb } from '@exbox/db';
import { Engine, relaunchWithEngineFlags } from '../dist/index.js';

const relaunched = await relaunchWithEngineFlags();
if (relaunched !== null) process.exit(relaunched);

const url = process.argv[2];
if (url === undefined) {
  console.error('usage: restart.js DATABASE_URL');
  process.exit(2);
}
const database = createDb(url, { maxConnections: 4 });
const engine = await Engine.start({ sql: database.sql, databaseUrl: url, follower: 'thread' });
const servingMs = Math.round(performance.now()); // performance.now() counts from process start
await engine.submit({ type: 'haltMarket', symbol: 'FLOWUSD', reason: 'recovery bench probe' });
await engine.submit({ type: 'resumeMarket', symbol: 'FLOWUSD', reason: 'recovery bench probe' });
console.log(JSON.stringify({ servingMs, ...engine.recovery }));
await engine.close();
await database.close();
