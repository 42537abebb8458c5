// Sends pending outbox messages. A run claims up to OUTBOX_BATCH_MAX due messages in one short statement (moving
// their next attempt OUTBOX_CLAIM_TIMEOUT_MS ahead, with SKIP LOCKED, so concurrent workers never take the same
// message), sends each outside any transaction, then marks it sent or schedules a retry with exponential backoff.
// A worker that dies mid-send leaves its claims to expire: delivery is at least once. After OUTBOX_ATTEMPTS_MAX
// failures a message stays unsent with its last error, for an operator to see.

import type { Sql } from 'postgres';
import {
  OUTBOX_ATTEMPTS_MAX,
  OUTBOX_BACKOFF_BASE_MS,
  OUTBOX_BACKOFF_MAX_MS,
  OUTBOX_BATCH_MAX,
  OUTBOX_CLAIM_TIMEOUT_MS,
  OUTBOX_ERROR_LENGTH_MAX,
} from './limits.js';
import type { MailTransport } from './mail-transport.js';
import { toSafeInteger } from './internal/rows.js';

export interface DeliverOutboxOptions {
  readonly sql: Sql;
  readonly transport: MailTransport;
  /** At most OUTBOX_BATCH_MAX (the default). */
  readonly limit?: number;
}

export interface DeliverOutboxResult {
  readonly sent: number;
  readonly failed: number;
}

/** The wait before attempt n+1 after n failed attempts: 30 s, 60 s, 120 s, ... up to an hour. */
export function outboxBackoffMs(attempts: number): number {
  return Math.min(OUTBOX_BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), OUTBOX_BACKOFF_MAX_MS);
}

export async function deliverOutbox(options: DeliverOutboxOptions): Promise<DeliverOutboxResult> {
  const { sql, transport } = options;
  const limit = Math.min(Math.max(1, Math.trunc(options.limit ?? OUTBOX_BATCH_MAX)), OUTBOX_BATCH_MAX);
  const claimed = await sql<
    { id: unknown; to_address: string; subject: string; body_text: string; attempts: number }[]
  >`
    update outbox set attempts = attempts + 1,
      next_attempt_at = now() + ${OUTBOX_CLAIM_TIMEOUT_MS}::int * interval '1 millisecond'
    where id in (
      select id from outbox
      where sent_at is null and attempts < ${OUTBOX_ATTEMPTS_MAX} and next_attempt_at <= now()
      order by next_attempt_at, id limit ${limit}
      for update skip locked)
    returning id, to_address, subject, body_text, attempts`;
  let sent = 0;
  let failed = 0;
  for (const message of claimed.sort((a, b) => toSafeInteger(a.id, 'outbox.id') - toSafeInteger(b.id, 'outbox.id'))) {
    const id = toSafeInteger(message.id, 'outbox.id');
    try {
      await transport.send({ to: message.to_address, subject: message.subject, text: message.body_text });
      await sql`update outbox set sent_at = now(), last_error = null where id = ${id}`;
      sent++;
    } catch (error) {
      const text = (error instanceof Error ? error.message : String(error)).slice(0, OUTBOX_ERROR_LENGTH_MAX);
      await sql`update outbox set last_error = ${text},
          next_attempt_at = now() + ${outboxBackoffMs(message.attempts)}::int * interval '1 millisecond'
        where id = ${id}`;
      failed++;
    }
  }
  return { sent, failed };
}
