import type { NextConfig } from 'next';

const config: NextConfig = {
  // Build output in dist/, like every other workspace: ignored by git, prettier, eslint and cached by turbo.
  distDir: 'dist',
  reactStrictMode: true,
  poweredByHeader: false,
};

export default config;
