'use client';
// Who is signed in, from the account API (auth.me). `null` when signed out; `undefined` while loading. A session
// that has given its password but not yet its second factor is `twoFactorVerified: false`: it may only finish the
// login. Components that change the session call `useRefreshSession()` afterwards.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { TraderRouter } from '@exbox/api';
import type { inferRouterOutputs } from '@trpc/server';
import { useTRPC } from '../lib/trpc';

export type SessionUser = NonNullable<inferRouterOutputs<TraderRouter>['auth']['me']>;

export function useSession(): {
  user: SessionUser | null | undefined;
  signedIn: boolean;
  error: { message: string } | null;
} {
  const trpc = useTRPC();
  const query = useQuery({ ...trpc.auth.me.queryOptions(), staleTime: 60_000, retry: 1 });
  const user = query.data;
  return { user, signedIn: user !== null && user !== undefined && user.twoFactorVerified, error: query.error };
}

/** Refetch everything that depends on who is signed in (after login, logout, 2FA, an expired session). */
export function useRefreshSession(): () => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(() => queryClient.invalidateQueries(), [queryClient]);
}
