'use client';
// Change password: the current one, then the new one twice with the rules ticked as typed. The server signs out
// the other sessions, so their list is refreshed.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { passwordAcceptable } from '../../lib/account-rules';
import { useTRPC } from '../../lib/trpc';
import { Section } from './account-shell';
import { forgetSecrets, NewPasswordFields, Notice, PasswordField, SubmitButton } from './fields';
import { ActionError, useAccountUser } from './session-gate';

export function PasswordSection() {
  const trpc = useTRPC();
  const user = useAccountUser();
  const queryClient = useQueryClient();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const change = useMutation(trpc.security.changePassword.mutationOptions(forgetSecrets));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    change.reset();
    if (current === '' || !passwordAcceptable(password, confirmation)) return;
    change.mutate(
      { currentPassword: current, newPassword: password },
      {
        onSuccess: () => {
          setCurrent('');
          setPassword('');
          setConfirmation('');
          setSubmitted(false);
          void queryClient.invalidateQueries({ queryKey: trpc.security.pathKey() });
        },
      },
    );
  };

  return (
    <Section id="password" title="Password" description="Changing your password signs out every other device.">
      <form onSubmit={submit} noValidate className="acct-form-grid">
        {/* For password managers: the account the new password belongs to. */}
        <input type="email" name="username" autoComplete="username" value={user.email ?? ''} readOnly hidden />
        <PasswordField
          label="Current password"
          name="current-password"
          autoComplete="current-password"
          value={current}
          onChange={(event) => setCurrent(event.target.value)}
          error={submitted && current === '' ? 'Enter your current password.' : undefined}
        />
        <NewPasswordFields
          password={password}
          confirmation={confirmation}
          onPassword={setPassword}
          onConfirmation={setConfirmation}
          submitted={submitted}
        />
        {change.isSuccess && (
          <Notice tone="success">Your password has been changed. Your other devices were signed out.</Notice>
        )}
        <ActionError error={change.error} action="changePassword" />
        <div>
          <SubmitButton busy={change.isPending} busyText="Changing…" wide={false}>
            Change password
          </SubmitButton>
        </div>
      </form>
    </Section>
  );
}
