// V8 settings for a process that runs the engine. Measured on the 1M-command bench: every in-flight command's
// result lives until its batch commits (tens of thousands at once), so with V8's default 16 MB semi-space those
// objects survive two scavenges and are promoted, and the old generation's collections took 13% of the
// sequencer's thread. 64 MB lets them die young: +15% durable throughput (docs/BENCHMARKS.md).
import { spawn } from 'node:child_process';

export const ENGINE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

/**
 * Heap sizes can only be set when a process starts. If this process lacks the engine's flags, runs the same script
 * again with them (same arguments, same stdio), forwards SIGINT/SIGTERM, and resolves with the child's exit code;
 * resolves with null when the flags are already in place and the caller should simply go on.
 */
export const relaunchWithEngineFlags = (): Promise<number | null> => {
  const missing = ENGINE_NODE_FLAGS.filter((flag) => !process.execArgv.includes(flag));
  if (missing.length === 0) return Promise.resolve(null);
  const child = spawn(process.execPath, [...process.execArgv, ...missing, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128 + 2))));
};
