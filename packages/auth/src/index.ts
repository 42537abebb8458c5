// @exbox/auth: users and API keys for the Binance-compatible gateway. See README.md for what each export does.

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
export type { ApiKeyInfo, ApiKeyType, CreatedApiKey, Permission, User } from './types.js';
export { permissions } from './internal/fields.js';

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
