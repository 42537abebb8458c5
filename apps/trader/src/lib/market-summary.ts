// What client components know of a market from the tenant config before exchangeInfo arrives.
export interface MarketSummary {
  symbol: string;
  base: string;
  quote: string;
}

/** The tenant's branding, as the layout hands it to client components. */
export interface Branding {
  name: string;
  logoUrl: string | null;
  defaultMarket: string;
}
