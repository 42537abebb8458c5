// tRPC for the trader portal: the context type, the error shape, and the three kinds of procedure.
//
// - publicProcedure: anyone; mutations must pass the CSRF check.
// - sessionProcedure: a valid session, possibly still waiting for its second factor (completing a login).
// - protectedProcedure: a session that passed the second factor when the account has one (requireTwoFactor).
//
// Every AuthError a procedure throws becomes a TRPCError here, through errors.ts, and carries its code as
// `data.authCode` for the client to switch on.

import { AuthError, requireTwoFactor } from '@exbox/auth';
import { initTRPC, TRPCError } from '@trpc/server';
import type { TraderContext } from './context.js';
import { isSameOrigin } from './csrf.js';
import { toTrpcError } from './errors.js';

const t = initTRPC.context<TraderContext>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      message:
        error.code === 'INTERNAL_SERVER_ERROR' && !(cause instanceof AuthError) ? 'Internal error' : shape.message,
      data: {
        ...shape.data,
        stack: undefined,
        authCode: cause instanceof AuthError ? cause.code : null,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

const base = t.procedure.use(async ({ ctx, type, next }) => {
  if (type === 'mutation' && !isSameOrigin(ctx.requestOrigin, ctx.host, ctx.allowedOrigins)) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'cross-origin request refused' });
  }
  const result = await next();
  if (!result.ok && result.error.cause instanceof AuthError) throw toTrpcError(result.error.cause);
  return result;
});

export const publicProcedure = base;

export const sessionProcedure = base.use(({ ctx, next }) => {
  if (ctx.session === undefined) throw toTrpcError(new AuthError('SESSION_INVALID', 'log in first'));
  return next({ ctx: { ...ctx, session: ctx.session } });
});

export const protectedProcedure = sessionProcedure.use(({ ctx, next }) => {
  try {
    requireTwoFactor(ctx.session);
  } catch (error) {
    if (error instanceof AuthError) throw toTrpcError(error);
    throw error;
  }
  return next({ ctx });
});
