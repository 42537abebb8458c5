'use client';
// The signed-in user's live account for one page: a UserStream (listenKey, socket, resync on every connect) feeding
// the trading state (lib/trading-state.ts), and the actions that change it (place, cancel, cancel all), whose
// replies are applied at once so the page never waits for the stream. The trade page reads open orders and the
// history of the markets in view; the wallet only balances. When the gateway refuses the session, the stream
// stops, the session is refreshed (the header then shows "Log in") and `sessionExpired` stays set so the page
// can say why.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { streamBaseUrl } from '../../lib/gateway-rest';
import { privateRest, PrivateRestError, type OrderParams, type PrivateRest } from '../../lib/private-rest';
import {
  applyEvent,
  applyOrderReplies,
  applySnapshot,
  emptyTradingState,
  type OrderRecord,
  type OrderReply,
  type ResyncSnapshot,
  type TradingState,
  type UserDataEvent,
} from '../../lib/trading-state';
import { UserStream, type ResyncScope, type UserStreamStatus } from '../../lib/user-stream';
import { useGateway } from '../gateway-provider';
import { useRefreshSession, useSession } from '../use-session';

export type TradingSession = 'loading' | 'signedOut' | 'signedIn';

interface TradingContextValue {
  session: TradingSession;
  /** The gateway refused the session (expired, revoked, logged out elsewhere) since this page loaded. */
  sessionExpired: boolean;
  /** The live connection; null while signed out. */
  status: UserStreamStatus | null;
  state: TradingState;
  /** Deposits, withdrawals and corrections seen on the stream (the wallet refreshes its history on a change). */
  balanceUpdates: number;
  /** Orders and history of every market instead of the page's market. */
  allMarkets: boolean;
  setAllMarkets(all: boolean): void;
  placeOrder(params: OrderParams): Promise<OrderReply>;
  cancelOrder(order: Pick<OrderRecord, 'symbol' | 'orderId'>): Promise<void>;
  /** Cancels every open order of these markets; resolves to how many were cancelled. */
  cancelAll(symbols: readonly string[]): Promise<number>;
  reconnectNow(): void;
}

const TradingContext = createContext<TradingContextValue | null>(null);

type Action =
  | { type: 'reset' }
  | { type: 'resyncStart' }
  | { type: 'snapshot'; snapshot: Omit<ResyncSnapshot, 'startedAtVersion'> }
  | { type: 'event'; event: UserDataEvent }
  | { type: 'replies'; replies: readonly OrderReply[] };

interface ReducerState {
  trading: TradingState;
  /** The trading state's version when the current resync started. */
  resyncMark: number;
  balanceUpdates: number;
}

const initialState = (): ReducerState => ({ trading: emptyTradingState(), resyncMark: 0, balanceUpdates: 0 });

function reduce(current: ReducerState, action: Action): ReducerState {
  switch (action.type) {
    case 'reset':
      return initialState();
    case 'resyncStart':
      return { ...current, resyncMark: current.trading.version };
    case 'snapshot':
      return {
        ...current,
        trading: applySnapshot(current.trading, { ...action.snapshot, startedAtVersion: current.resyncMark }),
      };
    case 'event':
      return {
        ...current,
        trading: applyEvent(current.trading, action.event),
        balanceUpdates: current.balanceUpdates + (action.event.e === 'balanceUpdate' ? 1 : 0),
      };
    case 'replies':
      return { ...current, trading: applyOrderReplies(current.trading, action.replies) };
  }
}

export type TradingProviderProps =
  | { mode: 'trade'; symbol: string; symbols: readonly string[]; children: ReactNode }
  | { mode: 'wallet'; children: ReactNode };

export function TradingProvider(props: TradingProviderProps) {
  const { url } = useGateway();
  const { user, signedIn } = useSession();
  const refreshSession = useRefreshSession();
  const rest = useMemo<PrivateRest>(() => privateRest(url), [url]);
  const [reduced, dispatch] = useReducer(reduce, undefined, initialState);
  const [status, setStatus] = useState<UserStreamStatus | null>(null);
  const [sessionExpired, setSessionExpired] = useState(false);
  const [allMarkets, setAllMarkets] = useState(false);
  const stream = useRef<UserStream | null>(null);

  const symbol = props.mode === 'trade' ? props.symbol : null;
  const symbolsKey = props.mode === 'trade' ? props.symbols.join(',') : '';
  const scope = useMemo<ResyncScope>(
    () =>
      symbol === null
        ? { openOrders: false, historySymbols: [] }
        : { openOrders: true, historySymbols: allMarkets ? symbolsKey.split(',') : [symbol] },
    [symbol, symbolsKey, allMarkets],
  );
  const scopeRef = useRef(scope);
  scopeRef.current = scope;

  const expire = useCallback(() => {
    setSessionExpired(true);
    void refreshSession();
  }, [refreshSession]);

  const userId = signedIn ? (user?.id ?? null) : null;
  useEffect(() => {
    dispatch({ type: 'reset' });
    if (userId === null) {
      setStatus(null);
      return;
    }
    // A new sign-in: whatever expired before is over.
    setSessionExpired(false);
    const created = new UserStream({
      rest,
      wsUrl: streamBaseUrl(url),
      scope: scopeRef.current,
      listener: {
        onResyncStart: () => dispatch({ type: 'resyncStart' }),
        onSnapshot: (snapshot) => dispatch({ type: 'snapshot', snapshot }),
        onEvent: (event) => dispatch({ type: 'event', event }),
        onStatus: (next) => {
          setStatus(next);
          if (next.status === 'expired') expire();
        },
      },
    });
    stream.current = created;
    const online = () => created.reconnectNow();
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('online', online);
      created.close();
      if (stream.current === created) stream.current = null;
    };
  }, [userId, rest, url, expire]);

  useEffect(() => stream.current?.setScope(scope), [scope]);

  /** Runs a private call; a refused session marks the page expired before the error goes on. */
  const guarded = useCallback(
    async <T,>(call: () => Promise<T>): Promise<T> => {
      try {
        return await call();
      } catch (error) {
        if (error instanceof PrivateRestError && error.kind === 'session') expire();
        throw error;
      }
    },
    [expire],
  );

  const placeOrder = useCallback(
    async (params: OrderParams) => {
      const reply = await guarded(() => rest.placeOrder(params));
      dispatch({ type: 'replies', replies: [reply] });
      return reply;
    },
    [guarded, rest],
  );
  const cancelOrder = useCallback(
    async (order: Pick<OrderRecord, 'symbol' | 'orderId'>) => {
      const reply = await guarded(() => rest.cancelOrder(order.symbol, order.orderId));
      dispatch({ type: 'replies', replies: [reply] });
    },
    [guarded, rest],
  );
  const cancelAll = useCallback(
    async (symbols: readonly string[]) => {
      let cancelled = 0;
      // One market at a time: the first refusal stops the rest, and says which market failed.
      for (const market of symbols) {
        const replies = await guarded(() => rest.cancelOpenOrders(market));
        dispatch({ type: 'replies', replies });
        cancelled += replies.length;
      }
      return cancelled;
    },
    [guarded, rest],
  );
  const reconnectNow = useCallback(() => stream.current?.reconnectNow(), []);

  const session: TradingSession = user === undefined ? 'loading' : signedIn ? 'signedIn' : 'signedOut';
  const value = useMemo<TradingContextValue>(
    () => ({
      session,
      sessionExpired,
      status,
      state: reduced.trading,
      balanceUpdates: reduced.balanceUpdates,
      allMarkets,
      setAllMarkets,
      placeOrder,
      cancelOrder,
      cancelAll,
      reconnectNow,
    }),
    [session, sessionExpired, status, reduced, allMarkets, placeOrder, cancelOrder, cancelAll, reconnectNow],
  );
  return <TradingContext.Provider value={value}>{props.children}</TradingContext.Provider>;
}

export function useTrading(): TradingContextValue {
  const context = useContext(TradingContext);
  if (context === null) throw new Error('useTrading outside TradingProvider');
  return context;
}
