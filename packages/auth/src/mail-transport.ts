// Where the outbox's messages go. With EXBOX_SMTP_URL set, to an SMTP server through nodemailer; without it (the
// demo, development), nowhere: the messages stay readable in the outbox, which the demo's mailbox page lists.

import nodemailer from 'nodemailer';
import { readAuthEnvironment } from './env.js';

export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

export interface MailTransport {
  /** 'smtp' or 'mailbox'; recorded nowhere, shown in logs. */
  readonly name: string;
  /** Resolves when the server accepted the message; rejects otherwise (deliverOutbox retries). */
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export interface SmtpTransportOptions {
  /** smtp://user:pass@host:587 or smtps://user:pass@host:465 (nodemailer's connection URL). */
  readonly url: string;
  /** The From header, e.g. `Exchange <no-reply@example.com>`. */
  readonly from: string;
}

export function createSmtpTransport(options: SmtpTransportOptions): MailTransport {
  const transporter = nodemailer.createTransport(options.url);
  return {
    name: 'smtp',
    async send(mail) {
      await transporter.sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text });
    },
    close() {
      transporter.close();
    },
  };
}

/** The demo's transport: accepts everything; the local mailbox page reads the outbox (listMailbox). */
export function createMailboxTransport(): MailTransport {
  return { name: 'mailbox', send: async () => undefined, close: () => undefined };
}

/** SMTP when EXBOX_SMTP_URL is set in `environment` (default: this process's), else the local mailbox. */
export function createMailTransport(environment?: Readonly<Record<string, string | undefined>>): MailTransport {
  const env = readAuthEnvironment(environment);
  if (env.EXBOX_SMTP_URL === undefined) return createMailboxTransport();
  return createSmtpTransport({ url: env.EXBOX_SMTP_URL, from: env.EXBOX_MAIL_FROM });
}
