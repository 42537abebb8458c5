// The text of every message we send. Links point at the trader portal (`linkBaseUrl`, configured: never taken
// from a request's Host header, which an attacker controls). The anti-phishing code is added by enqueueMessage.

export type MessageKind =
  | 'VERIFY_EMAIL'
  | 'SIGN_UP_ATTEMPTED'
  | 'RESET_PASSWORD'
  | 'PASSWORD_CHANGED'
  | 'TWO_FACTOR_ENABLED'
  | 'TWO_FACTOR_DISABLED'
  | 'RECOVERY_CODE_USED'
  | 'ANTI_PHISHING_CODE_SET'
  | 'API_KEY_CREATED'
  | 'API_KEY_DELETED';

export interface MessageText {
  readonly kind: MessageKind;
  readonly subject: string;
  readonly body: string;
}

const link = (base: string, path: string, token: string) =>
  `${base.replace(/\/+$/, '')}${path}?token=${encodeURIComponent(token)}`;

const notYou = 'If this was not you, reset your password and contact support.';

export const messages = {
  verifyEmail: (base: string, token: string): MessageText => ({
    kind: 'VERIFY_EMAIL',
    subject: 'Confirm your email address',
    body: `Confirm your email address to finish signing up:\n\n${link(base, '/verify-email', token)}\n\nOr enter this code: ${token}\n\nThe link works once, for 24 hours. If you did not sign up, ignore this message.`,
  }),
  signUpAttempted: (base: string): MessageText => ({
    kind: 'SIGN_UP_ATTEMPTED',
    subject: 'Someone tried to sign up with your address',
    body: `Someone tried to create an account with this email address, which already has one.\n\nIf it was you, log in instead; if you forgot your password, reset it at ${base.replace(/\/+$/, '')}/reset-password.\n\nIf it was not you, you can ignore this message: nothing has changed.`,
  }),
  resetPassword: (base: string, token: string): MessageText => ({
    kind: 'RESET_PASSWORD',
    subject: 'Reset your password',
    body: `Someone asked to reset the password of your account. To choose a new one:\n\n${link(base, '/reset-password', token)}\n\nOr enter this code: ${token}\n\nThe link works once, for 1 hour, and signs out every session. If you did not ask, ignore this message.`,
  }),
  passwordChanged: (): MessageText => ({
    kind: 'PASSWORD_CHANGED',
    subject: 'Your password was changed',
    body: `The password of your account was changed, and other sessions were signed out. ${notYou}`,
  }),
  twoFactorEnabled: (): MessageText => ({
    kind: 'TWO_FACTOR_ENABLED',
    subject: 'Two-factor authentication is on',
    body: `Two-factor authentication was turned on for your account. ${notYou}`,
  }),
  twoFactorDisabled: (): MessageText => ({
    kind: 'TWO_FACTOR_DISABLED',
    subject: 'Two-factor authentication is off',
    body: `Two-factor authentication was turned off for your account. ${notYou}`,
  }),
  recoveryCodeUsed: (left: number): MessageText => ({
    kind: 'RECOVERY_CODE_USED',
    subject: 'A recovery code was used',
    body: `A two-factor recovery code was used to sign in to your account; ${left} remain. ${notYou}`,
  }),
  antiPhishingCodeSet: (): MessageText => ({
    kind: 'ANTI_PHISHING_CODE_SET',
    subject: 'Your anti-phishing code was set',
    body: `Every message from us now shows your anti-phishing code at the top. A message without it is not from us. ${notYou}`,
  }),
  apiKeyCreated: (label: string, permissions: readonly string[]): MessageText => ({
    kind: 'API_KEY_CREATED',
    subject: 'A new API key was created',
    body: `An API key${label === '' ? '' : ` labelled "${label}"`} with permissions ${permissions.join(', ')} was created for your account. ${notYou}`,
  }),
  apiKeyDeleted: (label: string): MessageText => ({
    kind: 'API_KEY_DELETED',
    subject: 'An API key was deleted',
    body: `An API key${label === '' ? '' : ` labelled "${label}"`} was deleted from your account. ${notYou}`,
  }),
};
