import { describe, expect, it } from 'vitest';
import { gatewayUrlForBrowser, readTraderEnvironment } from './env';

describe('the portal environment', () => {
  it('defaults to the local gateway, no database, not the demo', () => {
    expect(readTraderEnvironment({})).toEqual({
      gatewayUrl: 'http://127.0.0.1:8080',
      gatewayPublicUrl: undefined,
      databaseUrl: undefined,
      demo: false,
      trustProxy: false,
    });
  });

  it('names the variable of every bad value', () => {
    expect(() => readTraderEnvironment({ EXBOX_GATEWAY_URL: 'ftp://x' })).toThrow(/EXBOX_GATEWAY_URL/);
    expect(() => readTraderEnvironment({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => readTraderEnvironment({ EXBOX_DEMO: 'yes' })).toThrow(/EXBOX_DEMO/);
  });

  it('sends browsers to the gateway on the hostname the page came from, so the session cookie goes along', () => {
    const environment = readTraderEnvironment({ EXBOX_GATEWAY_URL: 'http://127.0.0.1:8080/' });
    expect(gatewayUrlForBrowser(environment, 'localhost:3000')).toBe('http://localhost:8080');
    expect(gatewayUrlForBrowser(environment, '127.0.0.1:3000')).toBe('http://127.0.0.1:8080');
    expect(gatewayUrlForBrowser(environment, '[::1]:3000')).toBe('http://[::1]:8080');
    expect(gatewayUrlForBrowser(environment, null)).toBe('http://127.0.0.1:8080');
    expect(gatewayUrlForBrowser(environment, 'bad host/')).toBe('http://127.0.0.1:8080');
  });

  it('uses the configured public URL as it is', () => {
    const environment = readTraderEnvironment({
      EXBOX_GATEWAY_URL: 'http://gateway:8080',
      EXBOX_GATEWAY_PUBLIC_URL: 'https://api.exchange.example/',
      EXBOX_DEMO: '1',
    });
    expect(environment.demo).toBe(true);
    expect(gatewayUrlForBrowser(environment, 'exchange.example')).toBe('https://api.exchange.example');
  });
});
