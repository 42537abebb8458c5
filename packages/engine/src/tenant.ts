// The engine learns assets, markets and fee tiers only through journaled commands, so replaying the journal
// always sees the definitions that were in force. At start-up the tenant config is turned into these commands;
// the engine accepts unchanged definitions as no-ops and refuses changes that would alter existing amounts.
import { deriveMarketParameters, type TenantConfig } from '@exbox/config';
import { PRICE_TICKS_MAX } from '@exbox/matching';
import type { EngineCommand } from './commands.js';
import type { EngineState } from './state/engine-state.js';

/** Every definition the tenant config implies, in dependency order (assets, fee tiers, markets). */
export const tenantDefinitionCommands = (config: TenantConfig): EngineCommand[] => {
  const commands: EngineCommand[] = [];
  for (const asset of config.assets)
    commands.push({ type: 'defineAsset', asset: asset.code, decimals: asset.decimals });
  for (const [tier, fees] of Object.entries(config.fees.tiers)) {
    commands.push({
      type: 'defineFeeTier',
      tier,
      makerBps: fees.makerBps,
      takerBps: fees.takerBps,
      isDefault: tier === config.fees.defaultTier,
    });
  }
  for (const market of deriveMarketParameters(config).values()) {
    commands.push({
      type: 'defineMarket',
      symbol: market.symbol,
      base: market.base,
      quote: market.quote,
      quoteMinorPerTickLot: market.quoteMinorPerTickLot.toString(),
      baseMinorPerLot: market.baseMinorPerLot.toString(),
      minQuantityLots: Number(market.minQtyLots),
      maxQuantityLots: Number(market.maxQtyLots),
      minNotionalMinor: market.minNotionalMinor.toString(),
      priceBandBps: market.priceBandBps,
      maxPriceTicks: PRICE_TICKS_MAX,
    });
  }
  return commands;
};

/**
 * The definitions the engine does not already hold exactly as configured: submitting only these keeps the journal
 * free of a burst of no-op definitions at every start.
 */
export const pendingDefinitionCommands = (config: TenantConfig, state: EngineState): EngineCommand[] => {
  const assets = new Map(state.assetCodes().map((a) => [a.asset, a.decimals]));
  return tenantDefinitionCommands(config).filter((command) => {
    switch (command.type) {
      case 'defineAsset':
        return assets.get(command.asset) !== command.decimals;
      case 'defineFeeTier': {
        const tier = state.feeTier(command.tier);
        return (
          tier === undefined ||
          tier.makerBps !== command.makerBps ||
          tier.takerBps !== command.takerBps ||
          tier.isDefault !== command.isDefault
        );
      }
      case 'defineMarket': {
        const market = state.market(command.symbol);
        return market === undefined || JSON.stringify(market.definition) !== JSON.stringify(command);
      }
      default:
        return true;
    }
  });
};
