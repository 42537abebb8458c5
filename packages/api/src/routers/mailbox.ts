// mailbox: the demo's local mailbox (what the outbox holds), only when the context's demo flag is set. Without it
// the procedure answers NOT_FOUND, as if it did not exist: production never shows anyone's mail.

import { listMailbox } from '@exbox/auth';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { publicProcedure, router } from '../trpc.js';
import { iso, isoDate, isoOrNull, text } from './schemas.js';

export const mailboxRouter = router({
  list: publicProcedure
    .input(z.object({ to: text(320).optional() }).optional())
    .output(
      z.array(
        z.object({
          id: z.number().int(),
          to: z.string(),
          subject: z.string(),
          body: z.string(),
          kind: z.string(),
          createdAt: isoDate,
          sentAt: isoDate.nullable(),
        }),
      ),
    )
    .query(async ({ ctx, input }) => {
      if (!ctx.demoMailbox) throw new TRPCError({ code: 'NOT_FOUND', message: 'no such procedure' });
      const messages = await listMailbox({ sql: ctx.sql, to: input?.to });
      return messages.map((message) => ({
        id: message.id,
        to: message.to,
        subject: message.subject,
        body: message.body,
        kind: message.kind,
        createdAt: iso(message.createdAt),
        sentAt: isoOrNull(message.sentAt),
      }));
    }),
});
