// Proves that the demo tenant parses, and that each kind of invalid config is rejected with a ConfigError naming
// the offending field path. Table-driven: each case mutates a fresh copy of the demo file and names the issue it
// must produce; one case checks that several problems are all listed at once.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, demoTenantPath, parseTenantConfig, rateLimitDefaults } from './index.js';

// The demo file as plain JSON, typed loosely so cases can break it in any way.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const demoJson = (): Json => JSON.parse(readFileSync(demoTenantPath, 'utf8')) as Json;

function issuesOf(input: unknown) {
  try {
    parseTenantConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseTenantConfig', () => {
  it('parses the demo tenant, fills in defaults and freezes the result', () => {
    const config = parseTenantConfig(demoJson());
    expect(config.tenant.id).toBe('demo');
    expect(config.markets.map((market) => market.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'ETHBTC']);
    expect(config.markets.every((market) => market.status === 'TRADING')).toBe(true);
    expect(config.fees.tiers['default']).toEqual({ makerBps: 10, takerBps: 10 });
    expect(Object.isFrozen(config) && Object.isFrozen(config.markets[0])).toBe(true);
  });

  it('keeps a given symbol and defaults omitted rate limits', () => {
    const input = demoJson();
    input['markets'][0].symbol = 'XBTUSDT';
    input['branding'].defaultMarket = 'XBTUSDT';
    delete input['rateLimits'];
    const config = parseTenantConfig(input);
    expect(config.markets[0]?.symbol).toBe('XBTUSDT');
    expect(config.rateLimits).toEqual(rateLimitDefaults);
  });

  it('lists every problem at once, one per line with its path', () => {
    const input = demoJson();
    input['tenant'].id = 'Demo Exchange';
    input['markets'][1].tickSize = '0.3';
    input['fees'].defaultTier = 'gold';
    let error: unknown;
    try {
      parseTenantConfig(input, { source: 'demo.json' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as ConfigError).message.split('\n');
    expect(lines[0]).toBe('Invalid tenant config in demo.json (3 problems):');
    expect(lines.slice(1).map((line) => line.split(':')[0])).toEqual([
      'tenant.id',
      'markets[1].tickSize',
      'fees.defaultTier',
    ]);
  });

  it('reports cross-field problems even when other sections are malformed', () => {
    const input = demoJson();
    input['tenant'] = 'demo';
    input['markets'][0].tickSize = '0.001';
    input['assets'][2].decimals = 2;
    const paths = issuesOf(input).map((issue) => issue.path);
    expect(paths).toContain('tenant');
    expect(paths).toContain('markets[0].tickSize');
  });

  // [case, mutation, expected path, fragment of the expected message]
  const invalidCases: [string, (config: Json) => void, string, string][] = [
    ['missing tenant id', (c) => delete c['tenant'].id, 'tenant.id', 'is required'],
    ['tenant id not a slug', (c) => (c['tenant'].id = 'Demo Exchange'), 'tenant.id', 'lowercase slug'],
    ['bad colour', (c) => (c['branding'].primaryColor = 'blue'), 'branding.primaryColor', 'hex colour'],
    ['logo not a URL', (c) => (c['branding'].logoUrl = 'logo.png'), 'branding.logoUrl', 'http(s) URL'],
    [
      'unknown default market',
      (c) => (c['branding'].defaultMarket = 'DOGEUSDT'),
      'branding.defaultMarket',
      'unknown market "DOGEUSDT"',
    ],
    ['lowercase asset code', (c) => (c['assets'][0].code = 'btc'), 'assets[0].code', 'uppercase'],
    ['too many decimals', (c) => (c['assets'][0].decimals = 19), 'assets[0].decimals', 'at most 18'],
    ['fractional decimals', (c) => (c['assets'][0].decimals = 2.5), 'assets[0].decimals', 'whole number'],
    ['duplicate asset', (c) => c['assets'].push({ ...c['assets'][0] }), 'assets[3].code', 'duplicate asset "BTC"'],
    ['no markets', (c) => (c['markets'] = []), 'markets', 'at least one market'],
    ['unknown field', (c) => (c['markets'][0].tickSze = '0.01'), 'markets[0].tickSze', 'not a known field'],
    ['unknown base asset', (c) => (c['markets'][0].base = 'XRP'), 'markets[0].base', 'unknown asset "XRP"'],
    ['unknown quote asset', (c) => (c['markets'][2].quote = 'EUR'), 'markets[2].quote', 'unknown asset "EUR"'],
    ['base equals quote', (c) => (c['markets'][0].quote = 'BTC'), 'markets[0].quote', 'must differ from base'],
    [
      'duplicate market',
      (c) => c['markets'].push({ ...c['markets'][0] }),
      'markets[3].symbol',
      'duplicate market "BTCUSDT"',
    ],
    [
      'duplicate pair under another symbol',
      (c) => c['markets'].push({ ...c['markets'][0], symbol: 'XBTUSDT' }),
      'markets[3]',
      'a market for BTC/USDT already exists at markets[0]',
    ],
    ['bad status', (c) => (c['markets'][0].status = 'OPEN'), 'markets[0].status', 'TRADING'],
    [
      'tick as a JSON number',
      (c) => (c['markets'][0].tickSize = 0.01),
      'markets[0].tickSize',
      'not a number (quote it',
    ],
    [
      'tick with exponent',
      (c) => (c['markets'][0].tickSize = '1e-2'),
      'markets[0].tickSize',
      'not a plain decimal string',
    ],
    [
      'negative min notional',
      (c) => (c['markets'][0].minNotional = '-5'),
      'markets[0].minNotional',
      'not a plain decimal',
    ],
    ['zero tick', (c) => (c['markets'][0].tickSize = '0'), 'markets[0].tickSize', 'greater than 0'],
    ['zero step', (c) => (c['markets'][0].stepSize = '0.000'), 'markets[0].stepSize', 'greater than 0'],
    [
      'tick finer than the quote asset',
      (c) => {
        c['assets'][2].decimals = 2;
        c['markets'][1].tickSize = '0.001';
      },
      'markets[1].tickSize',
      '"0.001" has more decimals than quote asset USDT allows (2)',
    ],
    [
      'step finer than the base asset',
      (c) => (c['markets'][0].stepSize = '0.000000001'),
      'markets[0].stepSize',
      '"0.000000001" has more decimals than base asset BTC allows (8)',
    ],
    ['tick not dividing 1', (c) => (c['markets'][0].tickSize = '0.3'), 'markets[0].tickSize', 'must divide 1 exactly'],
    [
      'tick x step not whole quote minor units',
      (c) => (c['assets'][2].decimals = 6),
      'markets[0]',
      'is worth 0.0000001 USDT, which is not a whole number of USDT minor units (USDT has 6 decimals): settlement ' +
        'would need rounding. Use a coarser tickSize or stepSize, or give USDT at least 7 decimals',
    ],
    [
      'min qty off step',
      (c) => (c['markets'][0].minQty = '0.000015'),
      'markets[0].minQty',
      'not a multiple of stepSize',
    ],
    ['min qty zero', (c) => (c['markets'][0].minQty = '0'), 'markets[0].minQty', 'greater than 0'],
    ['max qty off step', (c) => (c['markets'][0].maxQty = '9000.000005'), 'markets[0].maxQty', 'not a multiple'],
    [
      'min qty above max qty',
      (c) => Object.assign(c['markets'][0], { minQty: '10', maxQty: '5' }),
      'markets[0].minQty',
      '"10" is greater than maxQty "5"',
    ],
    [
      'max qty beyond safe-integer lots',
      (c) => (c['markets'][0].maxQty = '100000000000'),
      'markets[0].maxQty',
      'is 10000000000000000 lots of 0.00001; the order book allows at most 9007199254740991 lots',
    ],
    [
      'min notional finer than the quote asset',
      (c) => (c['markets'][0].minNotional = '0.000000001'),
      'markets[0].minNotional',
      'more decimals than quote asset USDT allows (8)',
    ],
    ['zero price band', (c) => (c['markets'][0].priceBandPct = '0'), 'markets[0].priceBandPct', 'greater than 0'],
    ['price band over 100%', (c) => (c['markets'][0].priceBandPct = '150'), 'markets[0].priceBandPct', 'more than 100'],
    [
      'price band in sub-bps',
      (c) => (c['markets'][0].priceBandPct = '10.005'),
      'markets[0].priceBandPct',
      'whole basis points',
    ],
    [
      'unknown default fee tier',
      (c) => (c['fees'].defaultTier = 'gold'),
      'fees.defaultTier',
      'unknown fee tier "gold"',
    ],
    ['fee too high', (c) => (c['fees'].tiers.vip1.takerBps = 1001), 'fees.tiers.vip1.takerBps', 'at most 1000'],
    [
      'maker rebate',
      (c) => (c['fees'].tiers.default.makerBps = -1),
      'fees.tiers.default.makerBps',
      'rebates are not supported',
    ],
    ['no fee tiers', (c) => (c['fees'].tiers = {}), 'fees.tiers', 'at least one tier'],
    [
      'zero rate limit',
      (c) => (c['rateLimits'].requestWeightPerMinute = 0),
      'rateLimits.requestWeightPerMinute',
      'at least 1',
    ],
    [
      'orders per 10 s above orders per day',
      (c) => Object.assign(c['rateLimits'], { ordersPer10s: 500, ordersPerDay: 100 }),
      'rateLimits.ordersPer10s',
      'more than ordersPerDay (100)',
    ],
  ];

  it('rejects input that is not an object', () => {
    expect(issuesOf('hello')).toEqual([{ path: '(root)', message: 'must be an object, not the string "hello"' }]);
  });

  it.each(invalidCases)('rejects %s', (_name, mutate, path, fragment) => {
    const input = demoJson();
    mutate(input);
    const issues = issuesOf(input);
    const match = issues.find((issue) => issue.path === path);
    expect(match, `issues were:\n${issues.map((i) => `${i.path}: ${i.message}`).join('\n')}`).toBeDefined();
    expect(match?.message).toContain(fragment);
  });
});
