// security: sessions, login history, password change, TOTP two-factor, anti-phishing code. Every procedure needs
// a session that passed the second factor (protectedProcedure).

import {
  changePassword,
  confirmTotp,
  disableTotp,
  enrolTotp,
  listLoginHistory,
  listSessions,
  revokeOtherSessions,
  revokeSession,
  setAntiPhishingCode,
} from '@exbox/auth';
import { z } from 'zod';
import { protectedProcedure, router } from '../trpc.js';
import { iso, isoDate, ok, okOutput, text } from './schemas.js';

const sessionOutput = z.object({
  publicId: z.string(),
  createdAt: isoDate,
  expiresAt: isoDate,
  ip: z.string(),
  userAgent: z.string(),
  current: z.boolean(),
});

const totpRouter = router({
  /** A pending secret: the otpauth URI, its QR code (SVG) and the base32 secret. */
  enrol: protectedProcedure
    .output(z.object({ uri: z.string(), qrCodeSvg: z.string(), secret: z.string() }))
    .mutation(({ ctx }) =>
      enrolTotp({ sql: ctx.sql, keyring: ctx.keyring, userId: ctx.session.session.userId, ip: ctx.ip }),
    ),

  /** Turns two-factor on; returns the recovery codes this once. Other sessions are signed out. */
  confirm: protectedProcedure
    .input(z.object({ code: text(16) }))
    .output(z.object({ recoveryCodes: z.array(z.string()) }))
    .mutation(({ ctx, input }) =>
      confirmTotp({
        sql: ctx.sql,
        keyring: ctx.keyring,
        userId: ctx.session.session.userId,
        currentSessionId: ctx.session.session.id,
        code: input.code,
        ip: ctx.ip,
      }),
    ),

  /** Needs a current TOTP code or a recovery code. */
  disable: protectedProcedure
    .input(z.object({ code: text(64) }))
    .output(okOutput)
    .mutation(async ({ ctx, input }) => {
      await disableTotp({
        sql: ctx.sql,
        keyring: ctx.keyring,
        userId: ctx.session.session.userId,
        code: input.code,
        ip: ctx.ip,
      });
      return ok;
    }),
});

export const securityRouter = router({
  sessions: protectedProcedure.output(z.array(sessionOutput)).query(async ({ ctx }) => {
    const sessions = await listSessions({
      sql: ctx.sql,
      userId: ctx.session.session.userId,
      currentSessionId: ctx.session.session.id,
    });
    return sessions.map((session) => ({
      publicId: session.publicId,
      createdAt: iso(session.createdAt),
      expiresAt: iso(session.expiresAt),
      ip: session.ip,
      userAgent: session.userAgent,
      current: session.current,
    }));
  }),

  revokeSession: protectedProcedure
    .input(z.object({ publicId: text(64) }))
    .output(okOutput)
    .mutation(async ({ ctx, input }) => {
      await revokeSession({ sql: ctx.sql, userId: ctx.session.session.userId, publicId: input.publicId, ip: ctx.ip });
      return ok;
    }),

  revokeOtherSessions: protectedProcedure.output(z.object({ revoked: z.number().int() })).mutation(({ ctx }) =>
    revokeOtherSessions({
      sql: ctx.sql,
      userId: ctx.session.session.userId,
      currentSessionId: ctx.session.session.id,
      ip: ctx.ip,
    }),
  ),

  loginHistory: protectedProcedure
    .output(z.array(z.object({ at: isoDate, ip: z.string(), userAgent: z.string(), outcome: z.string() })))
    .query(async ({ ctx }) => {
      const entries = await listLoginHistory({ sql: ctx.sql, userId: ctx.session.session.userId });
      return entries.map((entry) => ({ ...entry, at: iso(entry.at) }));
    }),

  /** Asks for the current password; signs out the other sessions. */
  changePassword: protectedProcedure
    .input(z.object({ currentPassword: text(1_000), newPassword: text(1_000) }))
    .output(okOutput)
    .mutation(async ({ ctx, input }) => {
      await changePassword({
        sql: ctx.sql,
        userId: ctx.session.session.userId,
        currentSessionId: ctx.session.session.id,
        ...input,
        ip: ctx.ip,
      });
      return ok;
    }),

  totp: totpRouter,

  antiPhishing: router({
    /** 4-20 letters and digits; null removes it. */
    set: protectedProcedure
      .input(z.object({ code: text(64).nullable() }))
      .output(okOutput)
      .mutation(async ({ ctx, input }) => {
        await setAntiPhishingCode({ sql: ctx.sql, userId: ctx.session.session.userId, code: input.code, ip: ctx.ip });
        return ok;
      }),
  }),
});
