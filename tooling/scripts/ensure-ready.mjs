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

// `npm test` drives the portal in a real browser: Debian's chromium (a test tool's own browser download cannot
// work offline). Install it when it is missing and this user may; otherwise say exactly what to run.
if (process.argv.includes('--browser')) {
  const chromiumPaths = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  const configured = process.env.EXBOX_CHROMIUM;
  const hasChromium = configured ? existsSync(configured) : chromiumPaths.some((path) => existsSync(path));
  if (!hasChromium) {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    const hasApt = existsSync('/usr/bin/apt-get');
    if (hasApt && isRoot) {
      console.error('[ensure-ready] installing chromium for the browser tests (apt-get install -y chromium)');
      run('apt-get install -y --no-install-recommends chromium || (apt-get update && apt-get install -y chromium)');
    } else {
      console.error(
        '[ensure-ready] the browser tests need chromium: install it (`sudo apt-get install -y chromium`) ' +
          'or point EXBOX_CHROMIUM at a Chrome/Chromium binary',
      );
      process.exit(1);
    }
  }
}
