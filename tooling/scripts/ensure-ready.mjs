#!/usr/bin/env node
// `npm start` and `npm test` must work on a fresh clone with nothing installed: this installs the
// dependencies when they are missing or older than the lockfile, and builds the TypeScript when its
// output is missing or older than the sources. It uses only Node's standard library on purpose.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
// Turbo would otherwise try to send telemetry over a network this product must not assume.
process.env.TURBO_TELEMETRY_DISABLED = '1';
const run = (command) => execSync(command, { cwd: root, stdio: 'inherit' });

const lockPath = join(root, 'package-lock.json');
const markerPath = join(root, 'node_modules', '.package-lock.json');
const installed = existsSync(markerPath) && statSync(markerPath).mtimeMs >= statSync(lockPath).mtimeMs;
if (!installed) {
  console.error('[ensure-ready] installing dependencies (npm ci)');
  run('npm ci --no-audit --no-fund');
}

// Newest modification time under a folder, skipping output and dependency folders.
const newestMtimeMs = (dir) => {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs);
  }
  return newest;
};

const buildInfo = join(root, 'node_modules', '.cache', 'exbox-build-stamp');
const sourcesMs = Math.max(newestMtimeMs(join(root, 'packages')), newestMtimeMs(join(root, 'apps')));
if (!existsSync(buildInfo) || statSync(buildInfo).mtimeMs < sourcesMs) {
  console.error('[ensure-ready] building (turbo run build)');
  run('npx turbo run build --output-logs=errors-only');
  run(`mkdir -p ${join(root, 'node_modules', '.cache')} && touch ${buildInfo}`);
}
