'use client';
// Open orders, order history and trade history. Logged out, each tab says so (the real logged-out state); the
// accounts work fills them from the user-data stream once there is a session.
import { useState } from 'react';

const tabs = ['Open orders', 'Order history', 'Trade history'] as const;

export function AccountPanel() {
  const [tab, setTab] = useState<(typeof tabs)[number]>('Open orders');
  return (
    <section className="panel area-account" aria-label="Your orders">
      <div className="panel-title">
        <div className="tabs" role="tablist">
          {tabs.map((name) => (
            <button
              key={name}
              type="button"
              role="tab"
              className="tab"
              aria-selected={tab === name}
              onClick={() => setTab(name)}
            >
              {name}
            </button>
          ))}
        </div>
      </div>
      <div className="empty" role="tabpanel">
        Log in to see your {tab === 'Trade history' ? 'trades' : 'orders'}.
      </div>
    </section>
  );
}
