// Adapts the auth package's API key store (keys cached in memory, refreshed from PostgreSQL) to what request
// authentication needs. One grant object per key entry, so a request allocates nothing here.
import type { ApiKeyEntry, ApiKeyLookup } from '@exbox/auth';
import type { ApiKeyGrant, KeyStore, Permission } from './request-auth.js';

export const keyStoreFrom = (store: ApiKeyLookup): KeyStore => {
  const grants = new WeakMap<ApiKeyEntry, ApiKeyGrant>();
  return {
    lookup(apiKey: string): ApiKeyGrant | undefined {
      const entry = store.lookup(apiKey);
      if (entry === undefined) return undefined;
      let grant = grants.get(entry);
      if (grant === undefined) {
        grant = {
          userId: entry.userId,
          permissions: new Set<Permission>(entry.permissions),
          ipAllowed: (ip) => entry.allowsIp(ip),
          verify: (payload, signature) => entry.verify(payload, signature),
        };
        grants.set(entry, grant);
      }
      return grant;
    },
  };
};
