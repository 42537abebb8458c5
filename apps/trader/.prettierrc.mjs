// The repository's Prettier settings, plus one exception: Next.js writes next-env.d.ts itself (with double
// quotes) on every build, so it is checked in Next's style instead of being rewritten back and forth.
import root from '../../.prettierrc.json' with { type: 'json' };

export default { ...root, overrides: [{ files: 'next-env.d.ts', options: { singleQuote: false } }] };
