// auth: sign-up, email verification, login (and its second factor), logout, password reset, and `me`.

import { login, logout, requestPasswordReset, resetPassword, signUp, verifyEmail, verifyTwoFactor } from '@exbox/auth';
import { z } from 'zod';
import { publicProcedure, router, sessionProcedure } from '../trpc.js';
import { accountOutput, ok, okOutput, text } from './schemas.js';

const credentials = z.object({ email: text(320), password: text(1_000) });
const checkYourEmail = z.object({ status: z.literal('CHECK_YOUR_EMAIL') });

export const authRouter = router({
  /** The logged-in account, or null; `twoFactorVerified` false while a login waits for its code. */
  me: publicProcedure.output(accountOutput.nullable()).query(({ ctx }) => {
    if (ctx.session === undefined) return null;
    const { account, session } = ctx.session;
    return {
      id: account.id,
      email: account.email,
      emailVerified: account.emailVerified,
      antiPhishingCode: account.antiPhishingCode,
      twoFactorEnabled: account.twoFactorEnabled,
      twoFactorVerified: session.twoFactorVerified,
    };
  }),

  signUp: publicProcedure
    .input(credentials)
    .output(checkYourEmail)
    .mutation(({ ctx, input }) =>
      signUp({ sql: ctx.sql, ...input, ip: ctx.ip, userAgent: ctx.userAgent, linkBaseUrl: ctx.linkBaseUrl }),
    ),

  verifyEmail: publicProcedure
    .input(z.object({ token: text(200) }))
    .output(okOutput)
    .mutation(async ({ ctx, input }) => {
      await verifyEmail({ sql: ctx.sql, token: input.token, ip: ctx.ip });
      return ok;
    }),

  /** Sets the session cookie. With two-factor on, the session is usable only for verifyTwoFactor and logout. */
  login: publicProcedure
    .input(credentials)
    .output(z.object({ twoFactorRequired: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const result = await login({ sql: ctx.sql, ...input, ip: ctx.ip, userAgent: ctx.userAgent });
      // A login replaces whatever session this browser had.
      if (ctx.session !== undefined) await logout({ sql: ctx.sql, sessionId: ctx.session.session.id });
      ctx.cookies.set(result.session);
      return { twoFactorRequired: result.twoFactorRequired };
    }),

  /** A TOTP or recovery code for the half-logged-in session; the cookie gets the new session's id. */
  verifyTwoFactor: sessionProcedure
    .input(z.object({ code: text(64) }))
    .output(z.object({ method: z.enum(['TOTP', 'RECOVERY_CODE']) }))
    .mutation(async ({ ctx, input }) => {
      const result = await verifyTwoFactor({
        sql: ctx.sql,
        keyring: ctx.keyring,
        sessionId: ctx.session.session.id,
        code: input.code,
        ip: ctx.ip,
        userAgent: ctx.userAgent,
      });
      ctx.cookies.set(result.session);
      return { method: result.method };
    }),

  /** Ends the session (if any) and clears the cookie. */
  logout: publicProcedure.output(okOutput).mutation(async ({ ctx }) => {
    if (ctx.session !== undefined) await logout({ sql: ctx.sql, sessionId: ctx.session.session.id });
    ctx.cookies.clear();
    return ok;
  }),

  requestPasswordReset: publicProcedure
    .input(z.object({ email: text(320) }))
    .output(checkYourEmail)
    .mutation(({ ctx, input }) =>
      requestPasswordReset({ sql: ctx.sql, email: input.email, ip: ctx.ip, linkBaseUrl: ctx.linkBaseUrl }),
    ),

  /** Signs out every session, this browser's too. */
  resetPassword: publicProcedure
    .input(z.object({ token: text(200), password: text(1_000) }))
    .output(okOutput)
    .mutation(async ({ ctx, input }) => {
      await resetPassword({ sql: ctx.sql, ...input, ip: ctx.ip });
      ctx.cookies.clear();
      return ok;
    }),
});
