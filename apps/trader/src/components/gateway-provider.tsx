'use client';
// One gateway connection per tab: the shared stream client, the REST client, the account API's tRPC client and the
// markets' rules from exchangeInfo (loaded once; it changes only when the operator redeploys). React Query caches REST reads; nothing
// polls: live data comes only from the streams.
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { gatewayRest, streamBaseUrl, type GatewayRest } from '../lib/gateway-rest';
import { marketRulesFrom, type MarketRules } from '../lib/market-rules';
import { MarketStream, type ConnectionState, type StreamHandlers } from '../lib/market-stream';
import { createAccountClient, TRPCProvider } from '../lib/trpc';

interface Gateway {
  url: string;
  rest: GatewayRest;
  stream: MarketStream | null;
}

const GatewayContext = createContext<Gateway | null>(null);

export function GatewayProvider({ gatewayUrl, children }: { gatewayUrl: string; children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { staleTime: Infinity, refetchOnWindowFocus: false, retry: 3, retryDelay: (n) => 500 * 2 ** n },
        },
      }),
  );
  const [accountClient] = useState(createAccountClient);
  const rest = useMemo(() => gatewayRest(gatewayUrl), [gatewayUrl]);
  const [stream, setStream] = useState<MarketStream | null>(null);
  useEffect(() => {
    // Created in an effect: sockets exist only in the browser, and strict mode's double mount closes the first.
    const created = new MarketStream({ url: streamBaseUrl(gatewayUrl) });
    setStream(created);
    const online = () => created.reconnectNow();
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('online', online);
      created.close();
    };
  }, [gatewayUrl]);
  const value = useMemo(() => ({ url: gatewayUrl, rest, stream }), [gatewayUrl, rest, stream]);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={accountClient} queryClient={queryClient}>
        <GatewayContext.Provider value={value}>{children}</GatewayContext.Provider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}

export function useGateway(): Gateway {
  const gateway = useContext(GatewayContext);
  if (gateway === null) throw new Error('useGateway outside GatewayProvider');
  return gateway;
}

/** Subscribes while mounted; `handlers` should be stable (useMemo/useCallback) or the stream is resubscribed. */
export function useStream<T>(name: string | null, handlers: StreamHandlers<T>): void {
  const { stream } = useGateway();
  useEffect(() => {
    if (stream === null || name === null) return;
    return stream.subscribe(name, handlers);
  }, [stream, name, handlers]);
}

export function useConnection(): { state: ConnectionState; reconnectNow: () => void } {
  const { stream } = useGateway();
  const [state, setState] = useState<ConnectionState>({ status: 'connecting' });
  useEffect(() => stream?.onConnectionChange(setState), [stream]);
  return { state, reconnectNow: () => stream?.reconnectNow() };
}

export function useMarketRules(): { rules: Map<string, MarketRules> | undefined; error: Error | null } {
  const { rest } = useGateway();
  const query = useQuery({
    queryKey: ['exchangeInfo'],
    queryFn: async () =>
      new Map((await rest.exchangeInfo()).symbols.map((symbol) => [symbol.symbol, marketRulesFrom(symbol)])),
  });
  return { rules: query.data, error: query.error };
}
