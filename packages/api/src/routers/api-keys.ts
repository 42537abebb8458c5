// apiKeys: the user's own API keys for the Binance-compatible gateway. Creating one needs a session that passed
// two-factor (when on); the secret is in the create response only.

import { createAccountApiKey, deleteAccountApiKey, listApiKeys, permissions, type ApiKeyInfo } from '@exbox/auth';
import { z } from 'zod';
import { protectedProcedure, router } from '../trpc.js';
import { iso, isoDate, isoOrNull, text } from './schemas.js';

const apiKeyOutput = z.object({
  apiKey: z.string(),
  type: z.enum(['HMAC', 'ED25519']),
  label: z.string(),
  permissions: z.array(z.enum(permissions)),
  ipAllowList: z.array(z.string()),
  createdAt: isoDate,
  lastUsedAt: isoDate.nullable(),
});

const toOutput = (key: ApiKeyInfo) => ({
  apiKey: key.apiKey,
  type: key.type,
  label: key.label,
  permissions: [...key.permissions],
  ipAllowList: [...key.ipAllowList],
  createdAt: iso(key.createdAt),
  lastUsedAt: isoOrNull(key.lastUsedAt),
});

export const apiKeysRouter = router({
  list: protectedProcedure.output(z.array(apiKeyOutput)).query(async ({ ctx }) => {
    const keys = await listApiKeys({ sql: ctx.sql, userId: ctx.session.session.userId });
    return keys.map(toOutput);
  }),

  create: protectedProcedure
    .input(
      z.object({
        label: text(200).optional(),
        permissions: z.array(text(16)).max(8),
        ipAllowList: z.array(text(64)).max(64).optional(),
      }),
    )
    .output(apiKeyOutput.extend({ secret: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const created = await createAccountApiKey({
        sql: ctx.sql,
        keyring: ctx.keyring,
        context: ctx.session,
        label: input.label,
        // The domain validates the names and names the field that is wrong.
        permissions: input.permissions as (typeof permissions)[number][],
        ipAllowList: input.ipAllowList,
        ip: ctx.ip,
      });
      return { ...toOutput(created), secret: created.secret };
    }),

  delete: protectedProcedure
    .input(z.object({ apiKey: text(64) }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteAccountApiKey({ sql: ctx.sql, context: ctx.session, apiKey: input.apiKey, ip: ctx.ip });
      return { ok: true } as const;
    }),
});
