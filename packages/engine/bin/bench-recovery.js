#!/usr/bin/env node
// Recovery benchmark (`npm run bench:recovery`): journals a long workload (gen.mjs --ops 10000000 --seed 4 by
// default) through the engine on PostgreSQL, ends that process abruptly right after its last acknowledgement (the
// follower still projecting, as in a crash), then measures how long a new engine process takes from spawn until it
// is serving: newest snapshot loaded and proven by its hash, journal tail replayed, writer lock taken, follower
// started. A second restart after a clean shutdown shows the usual case. Target: under 10 s after 10M commands.
// usage: bench-recovery.js [--ops N]   (build first: npm run build; takes several minutes)
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTestDatabase } from '@exbox/db/testing';

const TARGET_MS = 10_000;
const { values } = parseArgs({ options: { ops: { type: 'string', default: '10000000' } } });
const ops = Number(values.ops);
const replayScript = fileURLToPath(new URL('./replay.js', import.meta.url));
const restartScript = fileURLToPath(new URL('./restart.js', import.meta.url));
const generator = fileURLToPath(new URL('../../../../shared/workloads/gen.mjs', import.meta.url));

const workload = async () => {
  const directory = join(tmpdir(), 'exbox-bench');
  const path = join(directory, `flow-ops${ops}-seed4.csv`);
  if (existsSync(path) && statSync(path).size > 0) return path;
  mkdirSync(directory, { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  await new Promise((resolve, reject) => {
    const output = createWriteStream(partial);
    const child = spawn(process.execPath, [generator, '--ops', String(ops), '--seed', '4'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.pipe(output);
    child.on('close', (code) =>
      code === 0 ? output.close(() => resolve()) : reject(new Error(`gen.mjs exited ${code}`)),
    );
  });
  renameSync(partial, path);
  return path;
};

const run = (args) =>
  new Promise((resolve, reject) => {
    const startedMs = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('close', (code) =>
      code === 0
        ? resolve({ lines: stdout.trim().split('\n'), wallMs: performance.now() - startedMs })
        : reject(new Error(`${args[0]} exited ${code}`)),
    );
  });

const database = await createTestDatabase({ kind: 'postgres' });
try {
  const file = await workload();
  console.log(`journaling ${ops} commands into ${database.url} (this takes a while) ...`);
  const written = await run([replayScript, file, '--database-url', database.url, '--no-settle']);
  for (const line of written.lines.slice(1)) console.log(`     ${line}`);
  let failed = false;
  for (const label of ['after an abrupt end (follower behind)', 'after a clean shutdown']) {
    const restart = await run([restartScript, database.url]);
    const report = JSON.parse(restart.lines.at(-1));
    const ok = report.servingMs < TARGET_MS;
    failed ||= !ok;
    console.log(
      `${ok ? 'ok  ' : 'FAIL'} restart ${label}: serving ${report.servingMs} ms after spawn (snapshot at ${report.snapshotSeq}, ` +
        `${report.replayedCommands} commands replayed, journal head ${report.lastSeq}); process ${Math.round(restart.wallMs)} ms with shutdown`,
    );
  }
  process.exitCode = failed ? 1 : 0;
} finally {
  await database.close();
}
