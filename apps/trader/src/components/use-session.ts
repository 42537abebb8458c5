'use client';
// Who is signed in, from the account API (auth.me). `null` when signed out; `undefined` while loading. A session
// that has given its password but not yet its second factor is `twoFactorVerified: false`: it may only finish the
// login. Components that change the session call `useRefreshSession()` afterwards; logging out goes through
// `useLogout()`, which also forgets everything the signed-in user had loaded.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
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

/**
 * Set when this tab logs out on purpose, so pages that need a session send people on instead of saying their
 * session expired. A new login clears it.
 */
let loggedOutOnPurpose = false;

export function wasLoggedOutOnPurpose(): boolean {
  return loggedOutOnPurpose;
}

export function clearLoggedOutOnPurpose(): void {
  loggedOutOnPurpose = false;
}

/** Logs out (auth.logout clears the cookie), drops the account's cached data, then runs `then` (navigation). */
export function useLogout(then: () => void): { logout: () => void; pending: boolean } {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const mutation = useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: async () => {
        loggedOutOnPurpose = true;
        // Even when the call failed (the network), the page forgets the account: the cookie is HttpOnly, and the
        // next call finds out what the server thinks.
        queryClient.removeQueries({ queryKey: trpc.security.pathKey() });
        queryClient.removeQueries({ queryKey: trpc.apiKeys.pathKey() });
        queryClient.setQueryData(trpc.auth.me.queryKey(), null);
        then();
        await queryClient.invalidateQueries();
      },
    }),
  );
  return { logout: () => mutation.mutate(), pending: mutation.isPending };
}
