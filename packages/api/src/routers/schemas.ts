// Output shapes shared by the routers. Dates leave as ISO 8601 strings (no transformer: plain JSON on the wire).

import { z } from 'zod';

export const isoDate = z.string();
export const iso = (date: Date) => date.toISOString();
export const isoOrNull = (date: Date | null) => (date === null ? null : date.toISOString());

/** A bound on what a client may send, before the domain's own validation (which names fields and rules). */
export const text = (max: number) => z.string().max(max);

export const accountOutput = z.object({
  id: z.number().int(),
  email: z.string().nullable(),
  emailVerified: z.boolean(),
  antiPhishingCode: z.string().nullable(),
  twoFactorEnabled: z.boolean(),
  twoFactorVerified: z.boolean(),
});

export const okOutput = z.object({ ok: z.literal(true) });
export const ok = { ok: true } as const;
