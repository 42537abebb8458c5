// Test helpers: read what the outbox holds for an address, and the code or token a message carries.

import type { Sql } from 'postgres';
import { listMailbox } from '../list-mailbox.js';
import type { MailboxMessage } from '../types.js';

/** The newest message to `to` of `kind`; throws when there is none. */
export async function latestMail(sql: Sql, to: string, kind: string): Promise<MailboxMessage> {
  const message = (await listMailbox({ sql, to })).find((mail) => mail.kind === kind);
  if (message === undefined) throw new Error(`no ${kind} mail to ${to}`);
  return message;
}

/** The token of a verification or reset mail ("Or enter this code: ..."). */
export function tokenOf(message: MailboxMessage): string {
  const match = /enter this code: (\S+)/.exec(message.body);
  if (match?.[1] === undefined) throw new Error(`no token in ${message.kind} mail`);
  return match[1];
}
