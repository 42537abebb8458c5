// The demo tenant's markets as the gateway formats them, for unit tests.
import { deriveMarketParameters, loadDemoTenantConfig } from '@exbox/config';
import { MarketFormat } from '../binance/format.js';

export const demoMarkets = async (): Promise<Map<string, MarketFormat>> => {
  const markets = new Map<string, MarketFormat>();
  for (const parameters of deriveMarketParameters(await loadDemoTenantConfig()).values()) {
    markets.set(parameters.symbol, new MarketFormat(parameters));
  }
  return markets;
};
