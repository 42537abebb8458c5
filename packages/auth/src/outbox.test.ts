// Integration tests of the outbox on PostgreSQL (or PGlite): messages carry the user's anti-phishing code; a
// delivery run sends due messages once, in order; a failing transport leaves the message pending with its error,
// retried after an exponential backoff and given up after OUTBOX_ATTEMPTS_MAX; two concurrent runs never send a
// message twice; the mailbox lists newest first, per address; the SMTP transport is chosen by the environment.
import { createTestDatabase, type TestDatabase } from '@exbox/db/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createUser } from './create-user.js';
import { deliverOutbox, outboxBackoffMs } from './deliver-outbox.js';
import { enqueueMessage } from './enqueue-message.js';
import { OUTBOX_ATTEMPTS_MAX, OUTBOX_BACKOFF_BASE_MS, OUTBOX_BACKOFF_MAX_MS } from './limits.js';
import { listMailbox } from './list-mailbox.js';
import { createMailTransport, type MailTransport, type OutgoingMail } from './mail-transport.js';
import { messages } from './internal/messages.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());
beforeEach(async () => {
  await database.sql`delete from outbox`;
});

function recordingTransport(failures = 0): MailTransport & { sent: OutgoingMail[] } {
  let remaining = failures;
  const sent: OutgoingMail[] = [];
  return {
    name: 'test',
    sent,
    async send(mail) {
      if (remaining > 0) {
        remaining--;
        throw new Error('451 try again later');
      }
      sent.push(mail);
    },
    close: () => undefined,
  };
}

let serial = 0;
async function userWithEmail(code: string | null) {
  const user = await createUser({ sql: database.sql, username: `outbox-${++serial}` });
  await database.sql`update users set email = ${`outbox${serial}@example.com`}, anti_phishing_code = ${code} where id = ${user.id}`;
  return { userId: user.id, email: `outbox${serial}@example.com` };
}

describe('outbox', () => {
  it('sends each due message once, with the anti-phishing code first', async () => {
    const { userId, email } = await userWithEmail('Sunny7');
    const plain = await userWithEmail(null);
    await enqueueMessage({ sql: database.sql, userId, message: messages.passwordChanged() });
    await enqueueMessage({ sql: database.sql, userId: plain.userId, message: messages.passwordChanged() });
    const transport = recordingTransport();
    expect(await deliverOutbox({ sql: database.sql, transport })).toEqual({ sent: 2, failed: 0 });
    expect(await deliverOutbox({ sql: database.sql, transport })).toEqual({ sent: 0, failed: 0 });
    expect(transport.sent.map((mail) => mail.to)).toEqual([email, plain.email]);
    expect(transport.sent[0]?.text).toMatch(/^Your anti-phishing code: Sunny7\n\n/);
    expect(transport.sent[1]?.text).not.toContain('anti-phishing code:');
  });

  it('keeps a failed message with its error, backs off, retries, and gives up after the limit', async () => {
    const { userId } = await userWithEmail(null);
    await enqueueMessage({ sql: database.sql, userId, message: messages.passwordChanged() });
    const transport = recordingTransport(2);
    expect(await deliverOutbox({ sql: database.sql, transport })).toEqual({ sent: 0, failed: 1 });
    const [row] = await database.sql`select attempts, last_error, sent_at,
      next_attempt_at > now() + interval '20 seconds' as backed_off from outbox`;
    expect(row).toMatchObject({ attempts: 1, last_error: '451 try again later', sent_at: null, backed_off: true });
    // Not due yet: nothing happens.
    expect(await deliverOutbox({ sql: database.sql, transport })).toEqual({ sent: 0, failed: 0 });
    await database.sql`update outbox set next_attempt_at = now()`;
    expect(await deliverOutbox({ sql: database.sql, transport })).toEqual({ sent: 0, failed: 1 });
    await database.sql`update outbox set next_attempt_at = now()`;
    expect(await deliverOutbox({ sql: database.sql, transport })).toEqual({ sent: 1, failed: 0 });
    const [done] = await database.sql`select attempts, last_error, sent_at is not null as sent from outbox`;
    expect(done).toMatchObject({ attempts: 3, last_error: null, sent: true });

    await enqueueMessage({ sql: database.sql, userId, message: messages.passwordChanged() });
    const broken = recordingTransport(1_000);
    for (let attempt = 0; attempt < OUTBOX_ATTEMPTS_MAX + 2; attempt++) {
      await database.sql`update outbox set next_attempt_at = now() where sent_at is null`;
      await deliverOutbox({ sql: database.sql, transport: broken });
    }
    const [dead] = await database.sql`select attempts from outbox where sent_at is null`;
    expect(dead?.['attempts']).toBe(OUTBOX_ATTEMPTS_MAX);
  });

  it('backs off exponentially up to a bound', () => {
    expect(outboxBackoffMs(1)).toBe(OUTBOX_BACKOFF_BASE_MS);
    expect(outboxBackoffMs(2)).toBe(2 * OUTBOX_BACKOFF_BASE_MS);
    expect(outboxBackoffMs(30)).toBe(OUTBOX_BACKOFF_MAX_MS);
  });

  it('never sends a message twice when two runs race', async () => {
    const { userId } = await userWithEmail(null);
    for (let index = 0; index < 20; index++) {
      await enqueueMessage({ sql: database.sql, userId, message: messages.passwordChanged() });
    }
    const transport = recordingTransport();
    const results = await Promise.all([
      deliverOutbox({ sql: database.sql, transport }),
      deliverOutbox({ sql: database.sql, transport }),
    ]);
    expect(results.reduce((sum, result) => sum + result.sent, 0)).toBe(20);
    expect(transport.sent).toHaveLength(20);
  });

  it('lists the mailbox newest first, for one address or all', async () => {
    const a = await userWithEmail(null);
    const b = await userWithEmail(null);
    await enqueueMessage({ sql: database.sql, userId: a.userId, message: messages.twoFactorEnabled() });
    await enqueueMessage({ sql: database.sql, userId: b.userId, message: messages.twoFactorEnabled() });
    await enqueueMessage({ sql: database.sql, userId: a.userId, message: messages.twoFactorDisabled() });
    expect((await listMailbox({ sql: database.sql, to: a.email.toUpperCase() })).map((mail) => mail.kind)).toEqual([
      'TWO_FACTOR_DISABLED',
      'TWO_FACTOR_ENABLED',
    ]);
    expect((await listMailbox({ sql: database.sql })).map((mail) => mail.to)).toEqual([a.email, b.email, a.email]);
  });

  it('uses SMTP only when EXBOX_SMTP_URL is set, and refuses a malformed one', () => {
    expect(createMailTransport({}).name).toBe('mailbox');
    const smtp = createMailTransport({
      EXBOX_SMTP_URL: 'smtp://user:pass@127.0.0.1:2525',
      EXBOX_MAIL_FROM: 'X <x@example.com>',
    });
    expect(smtp.name).toBe('smtp');
    smtp.close();
    expect(() => createMailTransport({ EXBOX_SMTP_URL: 'http://nope' })).toThrow(/EXBOX_SMTP_URL/);
  });
});
