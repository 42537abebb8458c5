'use client';
// The anti-phishing code: a word of the user's choosing that opens every email we send them, so a mail without it
// is not from us. Set, change or remove.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { antiPhishingCodeProblem, ANTI_PHISHING_CODE_LENGTH_MAX } from '../../lib/account-rules';
import { useTRPC } from '../../lib/trpc';
import { Section, StatusPill } from './account-shell';
import { Notice, SubmitButton, TextField } from './fields';
import { ActionError, useAccountUser } from './session-gate';

export function AntiPhishingSection() {
  const trpc = useTRPC();
  const user = useAccountUser();
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [result, setResult] = useState<'set' | 'removed' | null>(null);
  const save = useMutation(trpc.security.antiPhishing.set.mutationOptions());
  const current = user.antiPhishingCode;
  const problem = submitted ? antiPhishingCodeProblem(code) : undefined;
  const preview = code.trim() !== '' && antiPhishingCodeProblem(code) === undefined ? code.trim() : current;

  const send = (value: string | null) => {
    save.mutate(
      { code: value },
      {
        onSuccess: async () => {
          setResult(value === null ? 'removed' : 'set');
          setCode('');
          setSubmitted(false);
          await queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
        },
      },
    );
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setResult(null);
    if (antiPhishingCodeProblem(code) !== undefined) return;
    send(code.trim());
  };

  return (
    <Section
      id="anti-phishing"
      title="Anti-phishing code"
      description="A code of your choice that appears at the top of every email we send you. An email without it, or with a different one, is not from us: do not click its links."
      status={
        <StatusPill tone={current !== null ? 'good' : 'neutral'}>{current !== null ? 'Set' : 'Not set'}</StatusPill>
      }
    >
      <div className="acct-two-columns">
        <form onSubmit={submit} noValidate className="acct-stack">
          {current !== null && (
            <p>
              Your code: <strong className="mono acct-code-chip">{current}</strong>
            </p>
          )}
          <TextField
            label="Anti-phishing code"
            name="anti-phishing-code"
            autoComplete="off"
            spellCheck={false}
            maxLength={ANTI_PHISHING_CODE_LENGTH_MAX + 4}
            placeholder={current !== null ? 'A new code' : 'e.g. BlueHarbor42'}
            value={code}
            onChange={(event) => setCode(event.target.value)}
            error={problem}
            hint="4 to 20 letters and digits. Pick something only you would know; not a password."
          />
          {result === 'set' && <Notice tone="success">Saved. Every email from now on starts with your code.</Notice>}
          {result === 'removed' && <Notice tone="success">Your anti-phishing code has been removed.</Notice>}
          <ActionError error={save.error} action="setAntiPhishingCode" />
          <div className="acct-form-actions">
            <SubmitButton busy={save.isPending && save.variables?.code !== null} busyText="Saving…" wide={false}>
              {current !== null ? 'Change code' : 'Set code'}
            </SubmitButton>
            {current !== null && (
              <button
                type="button"
                className="button button-ghost acct-danger-text"
                disabled={save.isPending}
                onClick={() => {
                  setResult(null);
                  send(null);
                }}
              >
                Remove code
              </button>
            )}
          </div>
        </form>
        <figure className="acct-mail-preview" aria-label="How our emails look">
          <figcaption className="muted acct-small">How our emails look</figcaption>
          <div className="acct-mail-preview-card">
            <p className="acct-mail-preview-subject">Reset your password</p>
            {preview !== null ? (
              <p className="acct-mail-preview-code">
                Your anti-phishing code: <strong>{preview}</strong>
              </p>
            ) : (
              <p className="acct-mail-preview-code acct-mail-preview-missing">(your code would appear here)</p>
            )}
            <span className="acct-mail-preview-line" />
            <span className="acct-mail-preview-line short" />
          </div>
        </figure>
      </div>
    </Section>
  );
}
