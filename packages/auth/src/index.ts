// @exbox/auth: users, API keys for the Binance-compatible gateway, and portal accounts (sign-up, sessions, two-factor,
// the outbox). See README.md for what each export does.

// Users
export { createUser, type CreateUserOptions } from './create-user.js';
export { ensureUser, type EnsureUserOptions } from './ensure-user.js';
export { findUser, type FindUserOptions } from './find-user.js';

// API keys
export { createApiKey, type CreateApiKeyOptions } from './create-api-key.js';
export { createEd25519ApiKey, type CreateEd25519ApiKeyOptions } from './create-ed25519-api-key.js';
export { listApiKeys, type ListApiKeysOptions } from './list-api-keys.js';
export { deleteApiKey, type DeleteApiKeyOptions } from './delete-api-key.js';
export { reencryptApiKeySecrets, type ReencryptApiKeySecretsOptions } from './reencrypt-api-key-secrets.js';
export type {
  Account,
  ApiKeyInfo,
  ApiKeyType,
  AuditLogEntry,
  CreatedApiKey,
  LoginHistoryEntry,
  MailboxMessage,
  Permission,
  SessionContext,
  SessionInfo,
  SessionListing,
  User,
} from './types.js';
export { permissions } from './internal/fields.js';

// Portal accounts: sign-up, login, sessions
export { signUp, type SignUpOptions, type SignUpResult } from './sign-up.js';
export { verifyEmail, type VerifyEmailOptions } from './verify-email.js';
export { login, type LoginOptions, type LoginResult } from './login.js';
export { verifyTwoFactor, type VerifyTwoFactorOptions, type VerifyTwoFactorResult } from './verify-two-factor.js';
export { useRecoveryCode, type UseRecoveryCodeOptions } from './use-recovery-code.js';
export { logout, type LogoutOptions } from './logout.js';
export { validateSession, type ValidateSessionOptions } from './validate-session.js';
export { requireTwoFactor } from './require-two-factor.js';
export { listSessions, type ListSessionsOptions } from './list-sessions.js';
export { revokeSession, type RevokeSessionOptions } from './revoke-session.js';
export { revokeOtherSessions, type RevokeOtherSessionsOptions } from './revoke-other-sessions.js';
export { listLoginHistory, type ListLoginHistoryOptions } from './list-login-history.js';
export { listAuditLog, type ListAuditLogOptions } from './list-audit-log.js';
export {
  sessionCookieName,
  createSessionCookie,
  createBlankSessionCookie,
  readSessionCookie,
  type SessionCookieOptions,
} from './session-cookie.js';

// Passwords, two-factor, anti-phishing code
export { requestPasswordReset, type RequestPasswordResetOptions } from './request-password-reset.js';
export { resetPassword, type ResetPasswordOptions } from './reset-password.js';
export { changePassword, type ChangePasswordOptions } from './change-password.js';
export { enrolTotp, type EnrolTotpOptions, type TotpEnrolment } from './enrol-totp.js';
export { confirmTotp, formatRecoveryCode, type ConfirmTotpOptions } from './confirm-totp.js';
export { disableTotp, type DisableTotpOptions } from './disable-totp.js';
export { setAntiPhishingCode, type SetAntiPhishingCodeOptions } from './set-anti-phishing-code.js';
export { createAccountApiKey, type CreateAccountApiKeyOptions } from './create-account-api-key.js';
export { deleteAccountApiKey, type DeleteAccountApiKeyOptions } from './delete-account-api-key.js';

// Messages: the outbox, its delivery and the demo mailbox
export {
  enqueueMessage,
  composeMessageBody,
  ANTI_PHISHING_LINE_PREFIX,
  type EnqueueMessageOptions,
} from './enqueue-message.js';
export { messages, type MessageKind, type MessageText } from './internal/messages.js';
export {
  deliverOutbox,
  outboxBackoffMs,
  type DeliverOutboxOptions,
  type DeliverOutboxResult,
} from './deliver-outbox.js';
export {
  createMailTransport,
  createMailboxTransport,
  createSmtpTransport,
  type MailTransport,
  type OutgoingMail,
  type SmtpTransportOptions,
} from './mail-transport.js';
export { listMailbox, type ListMailboxOptions } from './list-mailbox.js';

// Authenticating requests (the gateway)
export {
  ApiKeyStore,
  type ApiKeyEntry,
  type ApiKeyLookup,
  type ApiKeyStoreOptions,
  type ApiKeyStoreProblem,
} from './api-key-store.js';
export {
  authenticateRequest,
  isApiKeyFormat,
  type AuthenticateResult,
  type SignedRequest,
} from './authenticate-request.js';
export { checkTimestamp, type TimestampCheckCode } from './check-timestamp.js';
export {
  hmacKey,
  signaturePayload,
  signHmac,
  verifyEd25519Signature,
  verifyHmacSignature,
  verifyRequestSignature,
  type SignaturePayloadResult,
  type VerificationKey,
} from './signature.js';
export {
  IpAllowList,
  formatIpRange,
  ipRangeContains,
  normalizeIpAllowList,
  parseIpAddress,
  parseIpRange,
  type IpAddress,
  type IpAllowListProblem,
  type IpRange,
} from './ip-allow-list.js';

// Master key
export {
  MasterKeyring,
  demoMasterKeyFile,
  masterKeyId,
  readOrCreateMasterKeyFile,
  resolveMasterKeyring,
  type EncryptedSecret,
  type ResolveMasterKeyringOptions,
  type ResolvedMasterKeyring,
} from './master-key.js';
export { readAuthEnvironment, type AuthEnvironment } from './env.js';

// Codes and limits
export {
  AuthError,
  authCodes,
  authErrorCodes,
  requestAuthCodes,
  type AuthCode,
  type AuthErrorCode,
  type RequestAuthCode,
} from './codes.js';
export * as authLimits from './limits.js';
