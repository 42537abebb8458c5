// Puts a message to a user into the outbox, in the caller's transaction: the message exists exactly when the
// change it announces committed, and deliverOutbox sends it later (retrying), so a failing mail server loses
// nothing. Every message to a user opens with their anti-phishing code when they have set one.

import { assert } from './codes.js';
import type { MessageText } from './internal/messages.js';
import type { Queryable } from './internal/queryable.js';
import { toSafeInteger } from './internal/rows.js';

export type EnqueueMessageOptions = { readonly sql: Queryable; readonly message: MessageText } & (
  | { readonly userId: number; readonly to?: undefined }
  /** A message to an address without an account (none are sent today; kept for operators' notices). */
  | { readonly to: string; readonly userId?: undefined }
);

export const ANTI_PHISHING_LINE_PREFIX = 'Your anti-phishing code: ';

/** The body as sent: the anti-phishing code first (when set), then the text, then who it is from. */
export function composeMessageBody(body: string, antiPhishingCode: string | null): string {
  const header = antiPhishingCode === null ? '' : `${ANTI_PHISHING_LINE_PREFIX}${antiPhishingCode}\n\n`;
  return `${header}${body}\n\n-- exbox`;
}

/** Returns the outbox row's id; throws an assertion when the user has no email address (a bug in the caller). */
export async function enqueueMessage(options: EnqueueMessageOptions): Promise<number> {
  const { sql, message } = options;
  let to: string;
  let code: string | null = null;
  if (options.userId !== undefined) {
    const [user] = await sql<{ email: string | null; anti_phishing_code: string | null }[]>`
      select email, anti_phishing_code from users where id = ${options.userId}`;
    assert(user !== undefined && user.email !== null, 'messages go to users with an email address');
    to = user.email;
    code = user.anti_phishing_code;
  } else {
    to = options.to;
  }
  const [row] = await sql<{ id: unknown }[]>`
    insert into outbox (user_id, to_address, subject, body_text, kind)
    values (${options.userId ?? null}, ${to}, ${message.subject}, ${composeMessageBody(message.body, code)}, ${message.kind})
    returning id`;
  assert(row !== undefined, 'the insert returned its row');
  return toSafeInteger(row.id, 'outbox.id');
}
