// Proves the core stays pure and tidy: no clock, randomness, environment, timers, I/O modules, console
// logging or FIXME notes in src/ (lint bans some of these too; this also covers what lint does not).
// How: reads every non-test source file and searches for the banned names.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const sourceDirectory = new URL('.', import.meta.url).pathname;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const BANNED = [
  /\bDate\.now\b/,
  /\bnew Date\b/,
  /\bMath\.random\b/,
  /\bprocess\.env\b/,
  /\bperformance\.now\b/,
  /\bsetTimeout\b|\bsetInterval\b|\bsetImmediate\b/,
  /from 'node:/,
  /\bconsole\./,
  /\bFIXME\b/,
  /\bparseFloat\b|\.toFixed\(/,
];

describe('tidy core', () => {
  it.each(sourceFiles(sourceDirectory).map((path) => [path.slice(sourceDirectory.length), path]))(
    '%s',
    (_name, path) => {
      const text = readFileSync(path, 'utf8');
      for (const pattern of BANNED) expect(text, `${path} matches ${pattern}`).not.toMatch(pattern);
    },
  );
});
