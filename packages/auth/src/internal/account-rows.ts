// The users columns the account functions read, and their shape. Only this package sees password hashes and TOTP
// material; what leaves it is `Account`.

import type { EncryptedSecret } from '../master-key.js';
import type { Account } from '../types.js';
import type { Queryable } from './queryable.js';
import { toDate, toSafeInteger } from './rows.js';

export interface AccountRecord {
  readonly id: number;
  readonly username: string;
  readonly email: string | null;
  readonly emailVerifiedAt: Date | null;
  readonly passwordHash: string | null;
  readonly antiPhishingCode: string | null;
  readonly totpSecret: EncryptedSecret | null;
  readonly totpEnabledAt: Date | null;
  readonly totpLastStep: number | null;
}

const COLUMNS = `id, username, email, to_json(email_verified_at) #>> '{}' as email_verified_at, password_hash,
  anti_phishing_code, totp_secret_ciphertext, totp_secret_iv, totp_secret_tag, totp_master_key_id,
  to_json(totp_enabled_at) #>> '{}' as totp_enabled_at, totp_last_step`;

interface Row {
  id: unknown;
  username: string;
  email: string | null;
  email_verified_at: unknown;
  password_hash: string | null;
  anti_phishing_code: string | null;
  totp_secret_ciphertext: Buffer | null;
  totp_secret_iv: Buffer | null;
  totp_secret_tag: Buffer | null;
  totp_master_key_id: string | null;
  totp_enabled_at: unknown;
  totp_last_step: unknown;
}

function toRecord(row: Row): AccountRecord {
  const secret =
    row.totp_secret_ciphertext !== null &&
    row.totp_secret_iv !== null &&
    row.totp_secret_tag !== null &&
    row.totp_master_key_id !== null
      ? {
          masterKeyId: row.totp_master_key_id,
          iv: row.totp_secret_iv,
          ciphertext: row.totp_secret_ciphertext,
          tag: row.totp_secret_tag,
        }
      : null;
  return {
    id: toSafeInteger(row.id, 'users.id'),
    username: row.username,
    email: row.email,
    emailVerifiedAt: row.email_verified_at === null ? null : toDate(row.email_verified_at, 'users.email_verified_at'),
    passwordHash: row.password_hash,
    antiPhishingCode: row.anti_phishing_code,
    totpSecret: secret,
    totpEnabledAt: row.totp_enabled_at === null ? null : toDate(row.totp_enabled_at, 'users.totp_enabled_at'),
    totpLastStep: row.totp_last_step === null ? null : toSafeInteger(row.totp_last_step, 'users.totp_last_step'),
  };
}

/** `lock`: select ... for update (inside a transaction), so two codes cannot both pass the replay check. */
export async function loadAccount(
  sql: Queryable,
  userId: number,
  lock: 'lock' | 'no-lock' = 'no-lock',
): Promise<AccountRecord | undefined> {
  const rows =
    lock === 'lock'
      ? await sql<Row[]>`select ${sql.unsafe(COLUMNS)} from users where id = ${userId} for update`
      : await sql<Row[]>`select ${sql.unsafe(COLUMNS)} from users where id = ${userId}`;
  const row = rows[0];
  return row === undefined ? undefined : toRecord(row);
}

export async function loadAccountByEmail(sql: Queryable, email: string): Promise<AccountRecord | undefined> {
  const rows = await sql<Row[]>`select ${sql.unsafe(COLUMNS)} from users where email = ${email}`;
  const row = rows[0];
  return row === undefined ? undefined : toRecord(row);
}

export function toAccount(record: AccountRecord): Account {
  return {
    id: record.id,
    username: record.username,
    email: record.email,
    emailVerified: record.emailVerifiedAt !== null,
    antiPhishingCode: record.antiPhishingCode,
    twoFactorEnabled: record.totpEnabledAt !== null,
  };
}
