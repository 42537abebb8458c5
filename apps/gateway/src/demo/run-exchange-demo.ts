// `npm start`: the whole exchange on one database. Starts the gateway (engine in-process, recovered from the
// journal), seeds the demo tenant, creates the demo users and their API keys, funds them (deposits with fixed
// ids, so a restart credits nothing twice), writes the demo trader's credentials to .data/demo-credentials.json
// and runs the market maker and taker against the public API until told to stop.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  ApiKeyStore,
  AuthError,
  createApiKey,
  createMailTransport,
  deliverOutbox,
  listMailbox,
  login,
  logout,
  sessionCookieName,
  signUp,
  validateSession,
  verifyEmail,
  deleteApiKey,
  demoMasterKeyFile,
  ensureUser,
  listApiKeys,
  resolveMasterKeyring,
} from '@exbox/auth';
import { loadDemoTenantConfig, type TenantConfig } from '@exbox/config';
import { createDb } from '@exbox/db';
import type { Sql } from 'postgres';
import { BinanceRestClient } from '../client/rest-client.js';
import { Gateway } from '../gateway.js';
import { keyStoreFrom } from '../http/auth-key-store.js';
import { MarketMaker, type MarketMakerMarket } from './market-maker.js';

export interface ExchangeDemoOptions {
  databaseUrl: string;
  host: string;
  port: number;
  seed: number;
  /** Where the demo trader's credentials are written. */
  credentialsPath: string;
  /** The master key file for API secrets when EXBOX_MASTER_KEY is unset (default .data/master.key). */
  masterKeyFile?: string;
  follower: 'thread' | 'inline' | 'none';
  /** Run the market maker and taker (default true). */
  bots?: boolean;
  signal: AbortSignal;
  print: (line: string) => void;
  tenant?: TenantConfig;
  /** Called once the exchange is serving (tests use it). */
  onReady?: (ready: { gateway: Gateway; credentials: DemoCredentials }) => void;
  statusIntervalMs?: number;
  /** Origins of the trader portal, whose session cookie the gateway accepts (default demoPortalOrigins). */
  portalOrigins?: readonly string[];
}

export interface DemoCredentials {
  apiKey: string;
  secret: string;
  restUrl: string;
  wsUrl: string;
}

/** The portal's demo account (the trader portal runs on these origins). */
export const demoPortalAccount = { email: 'demo@exbox.local', password: 'demo-trader-password' };
export const demoPortalOrigins = ['http://localhost:3000', 'http://127.0.0.1:3000'];
/** How often queued mail is handed to the transport (SMTP when configured, else the demo mailbox). */
const outboxDeliveryIntervalMs = 2_000;

/** Where each demo market's price starts before it has ever traded. */
export const demoAnchors: Record<string, string> = { BTCUSDT: '43000.00', ETHUSDT: '2300.00', ETHBTC: '0.05350' };

const trader = 'demo';
/** Portal accounts' demo deposits are `demo-funding:demo-portal:<user id>:<asset>`. */
const portalUser = 'demo-portal';
const makerUser = 'demo-market-maker';
const takerUser = 'demo-taker';

/** What every portal account gets once its email is verified (demo money, so people can try trading). */
export const demoPortalFunding: Record<string, string> = { BTC: '10', ETH: '100', USDT: '1000000' };

/** Per user and asset, in whole units; credited once (fixed deposit ids). */
const funding: Record<string, Record<string, string>> = {
  [trader]: { BTC: '10', ETH: '100', USDT: '1000000' },
  [makerUser]: { BTC: '5000', ETH: '100000', USDT: '500000000' },
  [takerUser]: { BTC: '5000', ETH: '100000', USDT: '500000000' },
};

const toMinor = (units: string, decimals: number): string => (BigInt(units) * 10n ** BigInt(decimals)).toString();

export const runExchangeDemo = async (options: ExchangeDemoOptions): Promise<void> => {
  const { print } = options;
  const engineDb = createDb(options.databaseUrl, { applicationName: 'exbox-engine', maxConnections: 4 });
  const readDb = createDb(options.databaseUrl, { applicationName: 'exbox-gateway', maxConnections: 6 });
  const keyFile = options.masterKeyFile ?? demoMasterKeyFile;
  const { keyring, created: keyCreated } = resolveMasterKeyring({ keyFile });
  if (keyCreated) print(`master key for API secrets created in ${keyFile}`);
  const keyStore = await ApiKeyStore.start({ sql: readDb.sql, keyring });
  let gateway: Gateway | null = null;
  try {
    const sql = readDb.sql;
    const users = new Map<string, number>();
    for (const username of [trader, makerUser, takerUser]) {
      users.set(username, (await ensureUser({ sql, username })).user.id);
    }
    // The bots get fresh keys each run; the trader keeps theirs while it still works.
    const botKeys = new Map<string, { apiKey: string; secret: string }>();
    for (const username of [makerUser, takerUser]) {
      const userId = users.get(username)!;
      for (const key of await listApiKeys({ sql, userId })) await deleteApiKey({ sql, apiKey: key.apiKey });
      const created = await createApiKey({ sql, keyring, userId, label: 'demo bot', permissions: ['read', 'trade'] });
      botKeys.set(username, { apiKey: created.apiKey, secret: created.secret });
    }
    let credentials = readCredentials(options.credentialsPath);
    const traderKeys = await listApiKeys({ sql, userId: users.get(trader)! });
    if (credentials === null || !traderKeys.some((key) => key.apiKey === credentials!.apiKey)) {
      const created = await createApiKey({
        sql,
        keyring,
        userId: users.get(trader)!,
        label: 'demo trader',
        permissions: ['read', 'trade'],
      });
      credentials = { apiKey: created.apiKey, secret: created.secret, restUrl: '', wsUrl: '' };
    }
    await keyStore.refresh();
    const portalOrigins = options.portalOrigins ?? demoPortalOrigins;
    await ensurePortalAccount(sql, portalOrigins[0]!);

    const tenant = options.tenant ?? (await loadDemoTenantConfig());
    gateway = await Gateway.start({
      engine: { sql: engineDb.sql, databaseUrl: options.databaseUrl, follower: options.follower },
      readSql: readDb.sql,
      tenant,
      keyStore: keyStoreFrom(keyStore),
      host: options.host,
      port: options.port,
      webSessions: {
        allowedOrigins: portalOrigins,
        cookieName: sessionCookieName,
        validate: async (sessionId) => {
          const found = await validateSession({ sql: readDb.sql, sessionId });
          return found === undefined
            ? undefined
            : { userId: found.session.userId, twoFactorVerified: found.session.twoFactorVerified };
        },
      },
    });
    const recovery = gateway.engine.recovery;
    print(
      `engine recovered: snapshot at ${recovery.snapshotSeq}, ${recovery.replayedCommands} commands replayed, ` +
        `sequence ${recovery.lastSeq}, ${recovery.elapsedMs} ms`,
    );
    const decimals = new Map(tenant.assets.map((asset) => [asset.code, asset.decimals]));
    const engine = gateway.engine;
    /** Credits `assets` once per (key, asset): the deposit ids are fixed, so a repeat is a DUPLICATE_DEPOSIT. */
    const fund = async (userId: number, key: string, assets: Record<string, string>): Promise<number> => {
      let credited = 0;
      for (const [asset, units] of Object.entries(assets)) {
        const { result } = await engine.submit({
          type: 'creditDeposit',
          userId,
          asset,
          amountMinor: toMinor(units, decimals.get(asset) ?? 8),
          depositId: `demo-funding:${key}:${asset}`,
        });
        if (result.status === 'OK') credited++;
        else if (result.status === 'REJECTED' && result.code !== 'DUPLICATE_DEPOSIT') {
          throw new Error(`demo funding refused: ${result.code} ${result.message}`);
        }
      }
      return credited;
    };
    let credited = 0;
    for (const [username, assets] of Object.entries(funding))
      credited += await fund(users.get(username)!, username, assets);
    if (credited > 0) print(`funded the demo users (${credited} deposits)`);
    // Portal accounts get their demo money once their email is verified (checked with the outbox's tick).
    let fundedThrough = 0;
    let fundingRun: Promise<void> | null = null;
    const fundPortalAccounts = () => (fundingRun ??= fundNewPortalAccounts().finally(() => (fundingRun = null)));
    const fundNewPortalAccounts = async () => {
      const verified = await sql<{ id: number }[]>`
        select id::int8::float8 as id from users where email_verified_at is not null and id > ${fundedThrough}
        order by users.id`;
      for (const { id } of verified) {
        if ((await fund(id, `${portalUser}:${id}`, demoPortalFunding)) > 0) print(`funded portal account ${id}`);
        fundedThrough = id;
      }
    };
    await fundPortalAccounts();
    credentials = { ...credentials, restUrl: gateway.url.rest, wsUrl: `${gateway.url.ws}/ws` };
    mkdirSync(dirname(options.credentialsPath), { recursive: true });
    writeFileSync(options.credentialsPath, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
    print(`REST      ${gateway.url.rest}/api/v3  (try ${gateway.url.rest}/api/v3/exchangeInfo)`);
    print(`streams   ${gateway.url.ws}/ws/btcusdt@trade   ${gateway.url.ws}/stream?streams=btcusdt@depth@100ms`);
    print(`ws-api    ${gateway.url.ws}/ws-api/v3`);
    print(`API key for user "${trader}" (read, trade) in ${options.credentialsPath}`);
    print(`portal login ${demoPortalAccount.email} / ${demoPortalAccount.password}`);
    const transport = createMailTransport();
    const outboxTimer = setInterval(() => {
      deliverOutbox({ sql, transport }).catch((error: unknown) => print(`outbox: ${(error as Error).message}`));
      fundPortalAccounts().catch((error: unknown) => print(`portal funding: ${(error as Error).message}`));
    }, outboxDeliveryIntervalMs);
    options.signal.addEventListener('abort', () => clearInterval(outboxTimer), { once: true });
    options.onReady?.({ gateway, credentials });

    const markets: MarketMakerMarket[] = tenant.markets.map((market) => ({
      symbol: market.symbol,
      anchorPrice: demoAnchors[market.symbol] ?? '1.00',
    }));
    const client = (username: string) =>
      new BinanceRestClient({ baseUrl: gateway!.url.rest, ...botKeys.get(username)!, recvWindowMs: 10_000 });
    const maker =
      options.bots === false
        ? null
        : new MarketMaker({
            maker: client(makerUser),
            taker: client(takerUser),
            markets,
            seed: options.seed,
            signal: options.signal,
            log: print,
          });
    const botRun = maker?.run().catch((error: unknown) => print(`market maker stopped: ${(error as Error).message}`));
    const statusTimer = setInterval(() => {
      if (gateway === null) return;
      const parts = tenant.markets.map((market) => {
        const book = gateway!.engine.state.book(market.symbol);
        const format = gateway!.markets.get(market.symbol)!;
        const bid = book?.bestBidTicks();
        const ask = book?.bestAskTicks();
        return `${market.symbol} ${bid === null || bid === undefined ? '-' : format.price(bid)} / ${ask === null || ask === undefined ? '-' : format.price(ask)}`;
      });
      print(`seq ${gateway.engine.committedSequence}  bot actions ${maker?.actions ?? 0}  ${parts.join('  ')}`);
    }, options.statusIntervalMs ?? 10_000);
    await new Promise<void>((resolve) => {
      if (options.signal.aborted) resolve();
      options.signal.addEventListener('abort', () => resolve());
    });
    clearInterval(statusTimer);
    await botRun;
  } finally {
    const lastSeq = gateway?.engine.committedSequence;
    await gateway?.close();
    await keyStore.close();
    await readDb.close();
    await engineDb.close();
    if (lastSeq !== undefined) print(`stopped at sequence ${lastSeq}; everything acknowledged is in the journal`);
  }
};

/**
 * The portal's demo account: signed up and verified on the first run (the verification mail is read back from the
 * outbox, as the demo mailbox page would show it), found by signing in on later runs. Returns its user id.
 */
const ensurePortalAccount = async (sql: Sql, linkBaseUrl: string): Promise<number> => {
  const { email, password } = demoPortalAccount;
  try {
    const { session } = await login({ sql, email, password, ip: '127.0.0.1', userAgent: 'exbox demo' });
    await logout({ sql, sessionId: session.id });
    return session.userId;
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    // Signed up by an earlier run that stopped before verifying: verify with the mail it left.
    if (error.code === 'CREDENTIALS_INVALID') await signUp({ sql, email, password, linkBaseUrl });
    else if (error.code !== 'EMAIL_NOT_VERIFIED') throw error;
  }
  const [mail] = await listMailbox({ sql, to: email, limit: 1 });
  const token = /token=([^\s&]+)/.exec(mail?.body ?? '')?.[1];
  if (token === undefined) throw new Error("demo: the portal account's verification mail has no link");
  const { userId } = await verifyEmail({ sql, token: decodeURIComponent(token) });
  return userId;
};

const readCredentials = (path: string): DemoCredentials | null => {
  if (!existsSync(path)) return null;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<DemoCredentials>;
    if (typeof parsed.apiKey !== 'string' || typeof parsed.secret !== 'string') return null;
    return { apiKey: parsed.apiKey, secret: parsed.secret, restUrl: '', wsUrl: '' };
  } catch {
    return null;
  }
};
