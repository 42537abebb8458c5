'use client';
// Two-factor authentication (TOTP): turn it on (scan the QR code or type the secret, confirm with a code, save the
// recovery codes, which are shown this once) or off (with a current code or a recovery code). The secret and the
// recovery codes live only in this component's state and are dropped when the user is done.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { groupSecret, qrCodeImageSource, recoveryCodesText } from '../../lib/account-format';
import { normalizeRecoveryCode, normalizeTotpCode } from '../../lib/account-rules';
import { useTRPC } from '../../lib/trpc';
import { Section, StatusPill } from './account-shell';
import { CopyButton } from './copy-button';
import { forgetSecrets, Notice, SecretField, SubmitButton, TextField, TotpCodeField } from './fields';
import { ActionError, useAccountUser } from './session-gate';

export function TwoFactorSection({ exchangeName }: { exchangeName: string }) {
  const user = useAccountUser();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [turnedOff, setTurnedOff] = useState(false);
  const enrol = useMutation(trpc.security.totp.enrol.mutationOptions(forgetSecrets));

  const refreshAccount = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.security.pathKey() });
  };

  let body;
  if (recoveryCodes !== null) {
    body = (
      <RecoveryCodes
        codes={recoveryCodes}
        account={user.email ?? `user ${user.id}`}
        exchangeName={exchangeName}
        onDone={() => setRecoveryCodes(null)}
      />
    );
  } else if (user.twoFactorEnabled) {
    body = (
      <DisableTwoFactor
        onDisabled={async () => {
          setTurnedOff(true);
          enrol.reset();
          await refreshAccount();
        }}
      />
    );
  } else if (enrol.data !== undefined) {
    body = (
      <ConfirmEnrolment
        enrolment={enrol.data}
        onCancel={() => enrol.reset()}
        onConfirmed={async (codes) => {
          setRecoveryCodes(codes);
          enrol.reset();
          await refreshAccount();
        }}
      />
    );
  } else {
    body = (
      <div className="acct-stack">
        {turnedOff && (
          <Notice tone="warning">Two-factor authentication is off. We recommend turning it back on.</Notice>
        )}
        <p>
          When it is on, logging in asks for a 6-digit code from an authenticator app on your phone (Google
          Authenticator, Authy, 1Password, Microsoft Authenticator…) as well as your password. A stolen password alone
          is then not enough.
        </p>
        <ActionError error={enrol.error} action="enrolTwoFactor" />
        <div>
          <button
            type="button"
            className="button button-primary"
            disabled={enrol.isPending}
            onClick={() => {
              setTurnedOff(false);
              enrol.mutate();
            }}
          >
            {enrol.isPending && <span className="spinner" aria-hidden="true" />}
            Enable two-factor
          </button>
        </div>
      </div>
    );
  }

  return (
    <Section
      id="two-factor"
      title="Two-factor authentication"
      description="A second step at login and for API keys, with an authenticator app."
      status={
        <StatusPill tone={user.twoFactorEnabled ? 'good' : 'warning'}>
          {user.twoFactorEnabled ? 'On' : 'Off'}
        </StatusPill>
      }
    >
      {body}
    </Section>
  );
}

function ConfirmEnrolment({
  enrolment,
  onCancel,
  onConfirmed,
}: {
  enrolment: { uri: string; qrCodeSvg: string; secret: string };
  onCancel: () => void;
  onConfirmed: (recoveryCodes: string[]) => Promise<void>;
}) {
  const trpc = useTRPC();
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const confirm = useMutation(trpc.security.totp.confirm.mutationOptions(forgetSecrets));
  const qr = qrCodeImageSource(enrolment.qrCodeSvg);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const normalized = normalizeTotpCode(code);
    if (normalized === undefined) {
      setProblem('Enter the 6 digits your authenticator app shows.');
      return;
    }
    setProblem(undefined);
    confirm.mutate({ code: normalized }, { onSuccess: (result) => void onConfirmed(result.recoveryCodes) });
  };

  return (
    <div className="acct-enrol">
      <ol className="acct-steps">
        <li>
          <h3>Scan the QR code</h3>
          <p className="muted">Open your authenticator app, add an account, and scan this code.</p>
          <div className="acct-qr-row">
            {qr !== undefined ? (
              <img
                className="acct-qr"
                src={qr}
                width={176}
                height={176}
                alt="QR code to scan with your authenticator app"
              />
            ) : (
              <Notice tone="warning">The QR code could not be shown. Enter the secret key below instead.</Notice>
            )}
            <div className="acct-qr-manual">
              <p className="muted acct-small">Cannot scan it? Enter this secret key in the app instead:</p>
              <SecretField label="Secret key" value={enrolment.secret} copyLabel="Copy secret" />
              <p className="acct-secret-grouped mono" aria-hidden="true">
                {groupSecret(enrolment.secret)}
              </p>
              <p className="muted acct-small">Type: time-based (TOTP), 6 digits, every 30 seconds.</p>
              <a className="acct-link acct-small" href={enrolment.uri}>
                Open in an authenticator app on this device
              </a>
            </div>
          </div>
        </li>
        <li>
          <h3>Enter the code from the app</h3>
          <form onSubmit={submit} noValidate className="acct-inline-form">
            <TotpCodeField value={code} onChange={(event) => setCode(event.target.value)} error={problem} />
            <div className="acct-form-actions">
              <SubmitButton busy={confirm.isPending} busyText="Checking…" wide={false}>
                Confirm
              </SubmitButton>
              <button type="button" className="button button-ghost" onClick={onCancel} disabled={confirm.isPending}>
                Cancel
              </button>
            </div>
            <ActionError error={confirm.error} action="confirmTwoFactor" />
          </form>
        </li>
      </ol>
    </div>
  );
}

function RecoveryCodes({
  codes,
  account,
  exchangeName,
  onDone,
}: {
  codes: string[];
  account: string;
  exchangeName: string;
  onDone: () => void;
}) {
  const [saved, setSaved] = useState(false);
  const text = recoveryCodesText(codes, account, exchangeName);
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `${exchangeName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-recovery-codes.txt`;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  };
  return (
    <div className="acct-stack">
      <Notice tone="success" title="Two-factor authentication is on">
        From now on, logging in asks for a code from your app. Your other devices were signed out.
      </Notice>
      <div className="acct-recovery">
        <h3>Save your recovery codes</h3>
        <Notice tone="warning">
          This is the only time these codes are shown. If you lose your phone, each code lets you log in once instead of
          an authenticator code. Keep them somewhere safe, offline, away from your password.
        </Notice>
        <ul className="acct-recovery-codes" aria-label="Recovery codes">
          {codes.map((code) => (
            <li key={code} className="mono">
              {code}
            </li>
          ))}
        </ul>
        <div className="acct-form-actions">
          <CopyButton text={codes.join('\n')} label="Copy recovery codes" />
          <button type="button" className="button button-ghost" onClick={download}>
            Download recovery codes
          </button>
        </div>
        <label className="acct-checkbox">
          <input type="checkbox" checked={saved} onChange={(event) => setSaved(event.target.checked)} />
          <span>I have saved my recovery codes</span>
        </label>
        <div>
          <button type="button" className="button button-primary" disabled={!saved} onClick={onDone}>
            Done
          </button>
        </div>
      </div>
    </div>
  );
}

function DisableTwoFactor({ onDisabled }: { onDisabled: () => Promise<void> }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const disable = useMutation(trpc.security.totp.disable.mutationOptions(forgetSecrets));

  if (!open) {
    return (
      <div className="acct-stack">
        <p>
          Logging in asks for a code from your authenticator app. Lost your phone? Use one of your recovery codes
          wherever a code is asked for.
        </p>
        <div>
          <button type="button" className="button button-ghost acct-danger-text" onClick={() => setOpen(true)}>
            Disable two-factor
          </button>
        </div>
      </div>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const normalized = normalizeTotpCode(code) ?? normalizeRecoveryCode(code);
    if (normalized === undefined) {
      setProblem('Enter the 6-digit code from your app, or a recovery code.');
      return;
    }
    setProblem(undefined);
    disable.mutate(
      { code: normalized },
      {
        onSuccess: () => {
          setOpen(false);
          void onDisabled();
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate className="acct-stack">
      <Notice tone="warning">
        Without two-factor, your password alone gives access to your account and its funds, and you cannot create API
        keys.
      </Notice>
      <TextField
        label="Authentication code"
        name="one-time-code"
        autoComplete="one-time-code"
        maxLength={24}
        placeholder="6-digit code or recovery code"
        mono
        value={code}
        onChange={(event) => setCode(event.target.value)}
        error={problem}
        hint="The code your authenticator app shows now, or one of your recovery codes."
      />
      <ActionError error={disable.error} action="disableTwoFactor" />
      <div className="acct-form-actions">
        <SubmitButton busy={disable.isPending} busyText="Turning off…" tone="danger" wide={false}>
          Disable
        </SubmitButton>
        <button type="button" className="button button-ghost" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
