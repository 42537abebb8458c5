// Proves the package keeps its own rules by reading its sources: only env.ts reads process.env (STYLE.md), no
// console.log or leftover FIXME outside tests, no Math.random (keys come from crypto.randomBytes; tests use a
// seeded generator), no comparison of signatures with === (only timingSafeEqual), and no message that
// interpolates a secret or a master key.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SOURCE_ROOT = new URL('.', import.meta.url).pathname;

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const BANNED: [RegExp, string, (path: string) => boolean][] = [
  [/\bprocess\.env\b/, 'process.env outside env.ts', (path) => path !== 'env.ts'],
  [/\bconsole\.log\b/, 'console.log', () => true],
  [/FIXME/, 'a FIXME', () => true],
  [/\bMath\.random\b/, 'Math.random', () => true],
  [/signature\s*===|===\s*signature|expected\s*===|\.equals\(/, 'a non-constant-time comparison', () => true],
  [/\$\{[^}]*\b(secret|plaintext|masterKey|key\.export)\b[^}]*\}/, 'a secret in a template string', () => true],
];

describe('tidy', () => {
  it('keeps banned patterns out of the sources', () => {
    const findings: string[] = [];
    for (const path of sources(SOURCE_ROOT)) {
      const name = relative(SOURCE_ROOT, path);
      const text = readFileSync(path, 'utf8');
      for (const [pattern, what, applies] of BANNED) {
        if (applies(name) && pattern.test(text)) findings.push(`${name}: ${what}`);
      }
    }
    expect(findings).toEqual([]);
  });
});
