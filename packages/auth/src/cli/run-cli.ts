// The operator's command line for users and API keys (`npm run cli -- apikey create ...`, bin/cli.js). Every
// argument is checked, and a bad one is reported with the usage rather than run with a guess. Results are JSON
// on stdout, one document per command; notes and errors go to stderr.

import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createDb, readDatabaseEnvironment } from '@exbox/db';
import { AuthError } from '../codes.js';
import { createApiKey } from '../create-api-key.js';
import { createEd25519ApiKey } from '../create-ed25519-api-key.js';
import { createUser } from '../create-user.js';
import { deleteApiKey } from '../delete-api-key.js';
import { ensureUser } from '../ensure-user.js';
import { findUser } from '../find-user.js';
import {
  apiKeyFieldsSchema,
  ed25519PublicKeySchema,
  parseInput,
  requireIpAllowListForWithdraw,
  usernameSchema,
} from '../internal/fields.js';
import { listApiKeys } from '../list-api-keys.js';
import { demoMasterKeyFile, resolveMasterKeyring } from '../master-key.js';
import { reencryptApiKeySecrets } from '../reencrypt-api-key-secrets.js';

export const CLI_USAGE = `usage: npm run cli -- <command> [options]
  user create --name NAME
  apikey create --user NAME --perm read,trade[,withdraw] [--label LABEL] [--ip 1.2.3.4,10.0.0.0/8,2001:db8::/32]
                [--ed25519-public-key FILE.pem]
                creates the user if missing; prints {"apiKey","secret","userId"} (the secret is shown only now)
  apikey list --user NAME [--all]     the user's keys without secrets (--all: revoked ones too)
  apikey delete --key API_KEY         revokes the key; gateways refuse it within seconds
  apikey reencrypt                    re-encrypts secrets under EXBOX_MASTER_KEY (master key rotation)
environment:
  DATABASE_URL                 the exchange's PostgreSQL (required)
  EXBOX_MASTER_KEY             32 bytes, hex or base64, that encrypt API secrets; when unset, the demo's key file
                               ${demoMasterKeyFile} is used (created if missing)
  EXBOX_MASTER_KEY_PREVIOUS    earlier master keys, comma-separated, during rotation`;

export interface CliIo {
  readonly environment: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readFile: (path: string) => string;
  /** The key file used when EXBOX_MASTER_KEY is unset; default demoMasterKeyFile (tests pass their own). */
  readonly masterKeyFile?: string;
}

class UsageError extends Error {
  override name = 'UsageError';
}

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  name: { type: 'string' },
  user: { type: 'string' },
  perm: { type: 'string' },
  label: { type: 'string' },
  ip: { type: 'string' },
  key: { type: 'string' },
  all: { type: 'boolean' },
  'ed25519-public-key': { type: 'string' },
} as const;

type OptionName = keyof typeof OPTIONS;
type Values = Partial<Record<OptionName, string | boolean>>;

/** Which options each command takes, and which of them it requires. */
const COMMANDS: Record<string, { allowed: readonly OptionName[]; required: readonly OptionName[] }> = {
  'user create': { allowed: ['name'], required: ['name'] },
  'apikey create': { allowed: ['user', 'perm', 'label', 'ip', 'ed25519-public-key'], required: ['user', 'perm'] },
  'apikey list': { allowed: ['user', 'all'], required: ['user'] },
  'apikey delete': { allowed: ['key'], required: ['key'] },
  'apikey reencrypt': { allowed: [], required: [] },
};

/** Runs one command; resolves to the process exit code: 0 done, 1 failed, 2 bad usage. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let command: string;
  let values: Values;
  try {
    ({ command, values } = parseCommand(argv));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`cli: ${error.message}\n${CLI_USAGE}`);
    return 2;
  }
  if (command === 'help') {
    io.stdout(CLI_USAGE);
    return 0;
  }

  let url: string | undefined;
  try {
    url = readDatabaseEnvironment(io.environment).DATABASE_URL;
  } catch (error) {
    io.stderr(`cli: ${messageOf(error)}`);
    return 1;
  }
  if (url === undefined) {
    io.stderr('cli: DATABASE_URL is not set: the PostgreSQL of the exchange, e.g. postgres://user@host:5432/exbox');
    return 1;
  }

  const database = createDb(url, { maxConnections: 2, applicationName: 'exbox-auth-cli' });
  try {
    const result = await execute(command, values, database.sql, io);
    io.stdout(JSON.stringify(result, null, 2));
    return 0;
  } catch (error) {
    if (error instanceof AuthError) {
      io.stderr(`cli: ${error.code}: ${error.message}`);
      return 1;
    }
    const code = (error as { code?: unknown }).code;
    const hint = code === '42P01' ? ' (run `npm run migrate` on this database first)' : '';
    io.stderr(`cli: ${messageOf(error)}${hint}`);
    return 1;
  } finally {
    await database.close();
  }
}

function parseCommand(argv: readonly string[]): { command: string; values: Values } {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(messageOf(error));
  }
  const values = parsed.values as Values;
  if (values.help === true || parsed.positionals.length === 0) return { command: 'help', values };
  const command = parsed.positionals.join(' ');
  const spec = COMMANDS[command];
  if (spec === undefined) throw new UsageError(`unknown command '${command}'`);
  for (const name of Object.keys(values) as OptionName[]) {
    if (name !== 'help' && !spec.allowed.includes(name)) {
      throw new UsageError(`'${command}' does not take --${name}`);
    }
  }
  for (const name of spec.required) {
    if (values[name] === undefined || values[name] === '') throw new UsageError(`'${command}' needs --${name}`);
  }
  return { command, values };
}

/** A comma-separated option as a list, without empty items ("read, trade" and "read,trade" are the same). */
function list(value: string | boolean | undefined): string[] {
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function text(value: string | boolean | undefined): string {
  return typeof value === 'string' ? value : '';
}

async function execute(
  command: string,
  values: Values,
  sql: ReturnType<typeof createDb>['sql'],
  io: CliIo,
): Promise<unknown> {
  switch (command) {
    case 'user create': {
      const user = await createUser({ sql, username: text(values.name) });
      return { userId: user.id, username: user.username };
    }
    case 'apikey create': {
      // Everything is checked before the user is created, so a typo in --perm or --ip writes nothing.
      const fields = parseInput('apikey create', apiKeyFieldsSchema, {
        label: text(values.label),
        permissions: list(values.perm),
        ipAllowList: list(values.ip),
      });
      requireIpAllowListForWithdraw('apikey create', fields.permissions, fields.ipAllowList);
      const username = parseInput('apikey create', z.object({ user: usernameSchema }), { user: text(values.user) });
      const publicKeyFile = values['ed25519-public-key'];
      if (typeof publicKeyFile === 'string') {
        const publicKey = io.readFile(publicKeyFile);
        parseInput('apikey create', z.object({ publicKey: ed25519PublicKeySchema }), { publicKey });
        const { user } = await ensureUser({ sql, username: username.user });
        const key = await createEd25519ApiKey({ sql, userId: user.id, publicKey, ...fields });
        return { apiKey: key.apiKey, userId: user.id, type: key.type };
      }
      const { keyring, source, keyFile, created } = resolveMasterKeyring({
        environment: io.environment,
        keyFile: io.masterKeyFile ?? demoMasterKeyFile,
      });
      if (source === 'file') {
        io.stderr(
          created
            ? `cli: created a new master key in ${keyFile} (for the demo; set EXBOX_MASTER_KEY in production)`
            : `cli: EXBOX_MASTER_KEY is not set; using the demo's master key in ${keyFile}`,
        );
      }
      const { user } = await ensureUser({ sql, username: username.user });
      const key = await createApiKey({ sql, keyring, userId: user.id, ...fields });
      return { apiKey: key.apiKey, secret: key.secret, userId: user.id };
    }
    case 'apikey list': {
      const username = text(values.user);
      const user = await findUser({ sql, username });
      if (user === undefined) throw new AuthError('USER_NOT_FOUND', `no user named '${username.toLowerCase()}'`);
      return listApiKeys({ sql, userId: user.id, includeRevoked: values.all === true });
    }
    case 'apikey delete': {
      const key = await deleteApiKey({ sql, apiKey: text(values.key) });
      return { deleted: key.apiKey, userId: key.userId, revokedAt: key.revokedAt };
    }
    case 'apikey reencrypt': {
      const { keyring } = resolveMasterKeyring({ environment: io.environment });
      return { ...(await reencryptApiKeySecrets({ sql, keyring })), masterKeyId: keyring.currentId };
    }
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
