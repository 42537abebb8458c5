'use client';
// The live order book of one market (DepthFeed), re-rendered at most once per animation frame however fast the
// diffs arrive.
import { useEffect, useState } from 'react';
import { DepthFeed, type DepthFeedStatus } from '../lib/depth-feed';
import type { OrderBookSync } from '../lib/order-book';
import { useGateway } from './gateway-provider';

export interface DepthView {
  book: OrderBookSync | null;
  status: DepthFeedStatus;
  /** Changes whenever the book did, to re-render. */
  version: number;
}

export function useDepth(symbol: string): DepthView {
  const { rest, stream } = useGateway();
  const [view, setView] = useState<DepthView>({ book: null, status: 'syncing', version: 0 });
  useEffect(() => {
    if (stream === null) return;
    let frame: number | null = null;
    let latestStatus: DepthFeedStatus = 'syncing';
    const feed = new DepthFeed({
      stream,
      symbol,
      fetchSnapshot: (name) => rest.depth(name),
      onChange: (book, status) => {
        latestStatus = status;
        if (frame !== null) return;
        frame = requestAnimationFrame(() => {
          frame = null;
          setView({ book, status: latestStatus, version: book.version });
        });
      },
    });
    return () => {
      if (frame !== null) cancelAnimationFrame(frame);
      feed.close();
    };
  }, [rest, stream, symbol]);
  return view;
}
