// The account API's typed client (tRPC v11 with TanStack Query): `useTRPC()` gives query and mutation options,
// e.g. `useQuery(trpc.auth.me.queryOptions())`, `useMutation(trpc.auth.login.mutationOptions())`.
import type { TraderRouter } from '@exbox/api';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<TraderRouter>();

/** Same origin as the pages: the session cookie goes along, and mutations carry the page's Origin (CSRF check). */
export function createAccountClient() {
  return createTRPCClient<TraderRouter>({ links: [httpBatchLink({ url: '/api/trpc' })] });
}

export type AccountClient = ReturnType<typeof createAccountClient>;
