// The trader portal's root router: one sub-router per domain.

import { apiKeysRouter } from './routers/api-keys.js';
import { authRouter } from './routers/auth.js';
import { mailboxRouter } from './routers/mailbox.js';
import { securityRouter } from './routers/security.js';
import { walletRouter } from './routers/wallet.js';
import { createCallerFactory, router } from './trpc.js';

export const traderRouter = router({
  auth: authRouter,
  security: securityRouter,
  apiKeys: apiKeysRouter,
  mailbox: mailboxRouter,
  wallet: walletRouter,
});

export type TraderRouter = typeof traderRouter;

/** Server-side calls (React Server Components, tests): `createTraderCaller(await createTraderContext(...))`. */
export const createTraderCaller = createCallerFactory(traderRouter);
