#!/usr/bin/env node
// `npm run cli -- ...`: users and API keys from the command line (the logic is in src/cli/run-cli.ts). Runs the
// built package (dist/); `npm start` and `npm test` build it, or run `npm run build`.
// usage: cli.js user create --name NAME | apikey create --user NAME --perm read,trade [--label L] [--ip LIST]
//        | apikey list --user NAME | apikey delete --key KEY | apikey reencrypt     (--help for details)
import { readFileSync } from 'node:fs';

let cli;
try {
  cli = await import('../dist/cli/run-cli.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  console.error('[cli] @exbox/auth is not built yet: run `npm run build` first.');
  process.exit(1);
}

process.exitCode = await cli.runCli(process.argv.slice(2), {
  environment: process.env,
  stdout: (text) => console.log(text),
  stderr: (text) => console.error(text),
  readFile: (path) => readFileSync(path, 'utf8'),
});
