// The demo's local mailbox: the outbox as a list of messages, newest first, to one address or to everyone. Only
// for the demo (the tRPC layer refuses it unless the demo flag is set): it shows every message's text.

import type { Sql } from 'postgres';
import { MAILBOX_MESSAGES_MAX } from './limits.js';
import { toDate, toSafeInteger } from './internal/rows.js';
import type { MailboxMessage } from './types.js';

export interface ListMailboxOptions {
  readonly sql: Sql;
  /** Messages to this address only (compared in lower case); all when omitted. */
  readonly to?: string;
  readonly limit?: number;
}

export async function listMailbox(options: ListMailboxOptions): Promise<MailboxMessage[]> {
  const limit = Math.min(Math.max(1, Math.trunc(options.limit ?? MAILBOX_MESSAGES_MAX)), MAILBOX_MESSAGES_MAX);
  const to = options.to?.trim().toLowerCase() ?? null;
  const rows = await options.sql<
    {
      id: unknown;
      to_address: string;
      subject: string;
      body_text: string;
      kind: string;
      created_at: unknown;
      sent_at: unknown;
      attempts: number;
      last_error: string | null;
    }[]
  >`select id, to_address, subject, body_text, kind, to_json(created_at) #>> '{}' as created_at,
      to_json(sent_at) #>> '{}' as sent_at, attempts, last_error
    from outbox where (${to}::text is null or to_address = ${to}::text)
    order by id desc limit ${limit}`;
  return rows.map((row) => ({
    id: toSafeInteger(row.id, 'outbox.id'),
    to: row.to_address,
    subject: row.subject,
    body: row.body_text,
    kind: row.kind,
    createdAt: toDate(row.created_at, 'outbox.created_at'),
    sentAt: row.sent_at === null ? null : toDate(row.sent_at, 'outbox.sent_at'),
    attempts: row.attempts,
    lastError: row.last_error,
  }));
}
