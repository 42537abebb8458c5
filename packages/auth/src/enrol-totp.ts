// Starts two-factor enrolment: a new TOTP secret, stored encrypted under the master key (pending until
// confirmTotp), and what the authenticator app needs: the otpauth:// URI, the same as a QR code (SVG), and the
// secret in base32 for typing by hand. Enrolling again replaces a pending secret; an enabled one must be disabled
// first.

import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import type { Sql } from 'postgres';
import { AuthError, assert } from './codes.js';
import { loadAccount } from './internal/account-rows.js';
import { recordAudit } from './internal/audit.js';
import { readClient, type ClientInfo } from './internal/client.js';
import type { RandomBytesSource } from './internal/random.js';
import { totpFor, totpSecretContext } from './internal/totp.js';
import { TOTP_SECRET_BYTES } from './limits.js';
import type { MasterKeyring } from './master-key.js';

export interface EnrolTotpOptions extends ClientInfo {
  readonly sql: Sql;
  readonly keyring: MasterKeyring;
  readonly userId: number;
  /** The name the authenticator app shows; default 'exbox' (the tenant's brand, in production). */
  readonly issuer?: string;
  readonly randomBytes?: RandomBytesSource;
}

export interface TotpEnrolment {
  /** otpauth://totp/...: what the QR code holds. */
  readonly uri: string;
  /** The QR code of `uri` as an SVG document. */
  readonly qrCodeSvg: string;
  /** The secret in base32, for entering by hand. */
  readonly secret: string;
}

export const TOTP_ISSUER_DEFAULT = 'exbox';

/** Throws TWO_FACTOR_ALREADY_ENABLED. */
export async function enrolTotp(options: EnrolTotpOptions): Promise<TotpEnrolment> {
  const { ip } = readClient(options);
  const secret = Buffer.from((options.randomBytes ?? randomBytes)(TOTP_SECRET_BYTES));
  assert(secret.length === TOTP_SECRET_BYTES, 'the random source gives the bytes asked for');
  const account = await options.sql.begin(async (transaction) => {
    const found = await loadAccount(transaction, options.userId, 'lock');
    assert(found !== undefined, 'the session user exists');
    if (found.totpEnabledAt !== null) return 'ENABLED' as const;
    const encrypted = options.keyring.encrypt(secret, totpSecretContext(found.id));
    await transaction`update users set totp_secret_ciphertext = ${Buffer.from(encrypted.ciphertext)},
        totp_secret_iv = ${Buffer.from(encrypted.iv)}, totp_secret_tag = ${Buffer.from(encrypted.tag)},
        totp_master_key_id = ${encrypted.masterKeyId}, totp_last_step = null
      where id = ${found.id}`;
    await recordAudit(transaction, { userId: found.id, actor: 'user', action: 'two_factor.enrolment_started', ip });
    return found;
  });
  if (account === 'ENABLED') throw new AuthError('TWO_FACTOR_ALREADY_ENABLED', 'enrolTotp: two-factor is already on');
  const totp = totpFor(secret, account.email ?? account.username, options.issuer ?? TOTP_ISSUER_DEFAULT);
  secret.fill(0);
  const uri = totp.toString();
  const qrCodeSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { uri, qrCodeSvg, secret: totp.secret.base32 };
}
