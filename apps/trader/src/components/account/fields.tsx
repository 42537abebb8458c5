'use client';
// The account forms' building blocks: labelled inputs (every input has a <label>, so tests and screen readers find
// it by name), a password input that can be shown, the live checklist of rules, and notices for results.
import {
  useId,
  useState,
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
  type TextareaHTMLAttributes,
} from 'react';
import { passwordAcceptable, passwordChecks, PASSWORD_LENGTH_MAX, type PasswordCheck } from '../../lib/account-rules';
import { CopyButton } from './copy-button';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>;

/**
 * Options for mutations whose input or result is a secret (passwords, codes, TOTP secrets, API secrets): the
 * mutation cache drops them as soon as the form is gone, instead of keeping them in memory for five minutes.
 */
export const forgetSecrets = { gcTime: 0 } as const;

export interface TextFieldProps extends InputProps {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  /** Shown after the input inside its frame (a button, a unit). */
  trailing?: ReactNode;
  /** Shown next to the label, on the right (a link such as "Forgot password?"). */
  aside?: ReactNode;
  mono?: boolean;
  ref?: Ref<HTMLInputElement>;
}

/** The email input of the auth forms: labelled "Email", no autocapitalise or spellcheck, mobile email keyboard. */
export function EmailField(props: Omit<TextFieldProps, 'label' | 'type'>) {
  return (
    <TextField
      label="Email"
      type="email"
      name="email"
      autoComplete="email"
      inputMode="email"
      autoCapitalize="off"
      spellCheck={false}
      {...props}
    />
  );
}

/** The 6-digit authenticator code: labelled "Authentication code", numeric keyboard, one-time-code autofill. */
export function TotpCodeField(props: Omit<TextFieldProps, 'label'>) {
  return (
    <TextField
      label="Authentication code"
      name="one-time-code"
      autoComplete="one-time-code"
      inputMode="numeric"
      maxLength={7}
      placeholder="000000"
      mono
      className="acct-code-input"
      {...props}
    />
  );
}

export function TextField({ label, hint, error, trailing, aside, mono, className, ...input }: TextFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint !== undefined ? hintId : null, error !== undefined ? errorId : null]
    .filter((part) => part !== null)
    .join(' ');
  return (
    <div className="acct-field">
      <div className="acct-field-top">
        <label htmlFor={id}>{label}</label>
        {aside}
      </div>
      <div className="acct-input" data-invalid={error !== undefined ? 'true' : undefined}>
        <input
          id={id}
          className={[mono === true ? 'mono' : '', className ?? ''].join(' ').trim() || undefined}
          aria-invalid={error !== undefined ? true : undefined}
          aria-describedby={describedBy === '' ? undefined : describedBy}
          {...input}
        />
        {trailing}
      </div>
      {error !== undefined && (
        <p id={errorId} className="acct-field-error">
          {error}
        </p>
      )}
      {hint !== undefined && (
        <div id={hintId} className="acct-field-hint">
          {hint}
        </div>
      )}
    </div>
  );
}

/** A password input with a Show/Hide switch (named "Show", so it never matches a search for the label). */
export function PasswordField(props: Omit<TextFieldProps, 'type' | 'trailing'>) {
  const [visible, setVisible] = useState(false);
  return (
    <TextField
      {...props}
      type={visible ? 'text' : 'password'}
      spellCheck={false}
      autoCapitalize="off"
      trailing={
        <button
          type="button"
          className="acct-input-action"
          aria-pressed={visible}
          title={visible ? 'Hide the password' : 'Show the password'}
          onClick={() => setVisible((value) => !value)}
        >
          {visible ? 'Hide' : 'Show'}
        </button>
      }
    />
  );
}

/**
 * A new password and its confirmation (sign-up, reset, change), with the rules ticked as they are met. Errors show
 * once the form was submitted.
 */
export function NewPasswordFields(props: {
  password: string;
  confirmation: string;
  onPassword: (value: string) => void;
  onConfirmation: (value: string) => void;
  submitted: boolean;
  /** Labels: "New password" / "Confirm new password" unless given. */
  labels?: { password: string; confirmation: string };
  required?: boolean;
}) {
  const labels = props.labels ?? { password: 'New password', confirmation: 'Confirm new password' };
  return (
    <>
      <PasswordField
        label={labels.password}
        name="new-password"
        autoComplete="new-password"
        required={props.required}
        maxLength={PASSWORD_LENGTH_MAX + 1}
        value={props.password}
        onChange={(event) => props.onPassword(event.target.value)}
        error={
          props.submitted && !passwordAcceptable(props.password)
            ? 'Choose a password that meets the rules below.'
            : undefined
        }
      />
      <PasswordField
        label={labels.confirmation}
        name="confirm-password"
        autoComplete="new-password"
        required={props.required}
        value={props.confirmation}
        onChange={(event) => props.onConfirmation(event.target.value)}
        error={props.submitted && props.confirmation !== props.password ? 'The passwords do not match.' : undefined}
      />
      <PasswordChecklist checks={passwordChecks(props.password, props.confirmation)} />
    </>
  );
}

/** The password rules, ticked as they are met. */
export function PasswordChecklist({ checks, id }: { checks: PasswordCheck[]; id?: string }) {
  return (
    <ul className="acct-checklist" id={id} aria-label="Password rules">
      {checks.map((check) => (
        <li key={check.id} data-met={check.met ? 'true' : 'false'}>
          <span className="acct-check-mark" aria-hidden="true">
            {check.met ? '✓' : '•'}
          </span>
          {check.label}
          <span className="visually-hidden">{check.met ? ' (done)' : ' (not yet)'}</span>
        </li>
      ))}
    </ul>
  );
}

export type NoticeTone = 'error' | 'success' | 'info' | 'warning';

/** A result or explanation in a coloured box. Errors are announced at once (role alert), the rest politely. */
export function Notice({ tone, title, children }: { tone: NoticeTone; title?: string; children?: ReactNode }) {
  return (
    <div className={`acct-notice acct-notice-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      <span className="acct-notice-icon" aria-hidden="true">
        {tone === 'error' ? '!' : tone === 'success' ? '✓' : tone === 'warning' ? '!' : 'i'}
      </span>
      <div>
        {title !== undefined && <strong className="acct-notice-title">{title}</strong>}
        {children !== undefined && <div className="acct-notice-body">{children}</div>}
      </div>
    </div>
  );
}

/** A submit button that says it is busy. */
export function SubmitButton({
  busy,
  children,
  busyText,
  disabled,
  tone = 'primary',
  wide = true,
}: {
  busy: boolean;
  children: ReactNode;
  busyText?: string;
  disabled?: boolean;
  tone?: 'primary' | 'danger' | 'ghost';
  wide?: boolean;
}) {
  return (
    <button
      type="submit"
      className={`button acct-button-${tone}${wide ? ' acct-button-wide' : ''}`}
      disabled={busy || disabled === true}
      aria-busy={busy}
    >
      {busy && <span className="spinner" aria-hidden="true" />}
      {busy && busyText !== undefined ? busyText : children}
    </button>
  );
}

/**
 * A value shown once for copying (an API secret, a TOTP secret): a read-only text area named by its label, so a
 * person can select it and a test can read it (its value and its text are both the secret), with a copy button.
 */
export function SecretField({
  label,
  value,
  copyLabel,
  hint,
}: {
  label: string;
  value: string;
  copyLabel: string;
  hint?: ReactNode;
}) {
  const id = useId();
  return (
    <div className="acct-field acct-secret">
      <div className="acct-field-top">
        <label htmlFor={id}>{label}</label>
      </div>
      <div className="acct-secret-row">
        <textarea
          key={value}
          id={id}
          className="mono"
          readOnly
          defaultValue={value}
          rows={value.length > 24 ? 2 : 1}
          spellCheck={false}
          autoCorrect="off"
          autoCapitalize="off"
          onFocus={(event) => event.currentTarget.select()}
        />
        <CopyButton text={value} label={copyLabel} />
      </div>
      {hint !== undefined && <div className="acct-field-hint">{hint}</div>}
    </div>
  );
}

/** A labelled multi-line input. */
export function TextAreaField({
  label,
  hint,
  error,
  ...area
}: Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> & { label: string; hint?: ReactNode; error?: string }) {
  const id = useId();
  const describedBy = [hint !== undefined ? `${id}-hint` : null, error !== undefined ? `${id}-error` : null]
    .filter((part) => part !== null)
    .join(' ');
  return (
    <div className="acct-field">
      <div className="acct-field-top">
        <label htmlFor={id}>{label}</label>
      </div>
      <div className="acct-input acct-textarea" data-invalid={error !== undefined ? 'true' : undefined}>
        <textarea
          id={id}
          aria-invalid={error !== undefined ? true : undefined}
          aria-describedby={describedBy === '' ? undefined : describedBy}
          {...area}
        />
      </div>
      {error !== undefined && (
        <p id={`${id}-error`} className="acct-field-error">
          {error}
        </p>
      )}
      {hint !== undefined && (
        <div id={`${id}-hint`} className="acct-field-hint">
          {hint}
        </div>
      )}
    </div>
  );
}
