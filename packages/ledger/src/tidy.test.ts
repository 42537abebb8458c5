// Proves the ledger core stays pure and clean by reading its sources: no clock, randomness, environment, timers
// or console output outside tests, no leftover FIXME, and no drizzle import outside schema.ts (the core must load
// without an ORM).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SOURCE_ROOT = new URL('.', import.meta.url).pathname;

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const BANNED: [RegExp, string][] = [
  [/\bDate\.now\b|\bnew Date\(/, 'a clock'],
  [/\bMath\.random\b/, 'randomness'],
  [/\bprocess\.env\b/, 'the environment'],
  [/\bset(Timeout|Interval|Immediate)\b/, 'timers'],
  [/\bconsole\.log\b/, 'console output'],
  [/FIXME/, 'a FIXME'],
];

describe('tidy', () => {
  it('keeps banned APIs out of the core', () => {
    const findings: string[] = [];
    for (const path of sources(SOURCE_ROOT)) {
      const text = readFileSync(path, 'utf8');
      for (const [pattern, what] of BANNED) if (pattern.test(text)) findings.push(`${path} uses ${what}`);
      if (!path.endsWith('schema.ts') && /from 'drizzle-orm/.test(text)) findings.push(`${path} imports drizzle`);
    }
    expect(findings).toEqual([]);
  });
});
