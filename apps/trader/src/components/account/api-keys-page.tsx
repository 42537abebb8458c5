'use client';
// /account/api-keys: the user's keys for the Binance-compatible API, a form to create one, and the new key's
// secret shown this once. Creating keys needs two-factor on: a key can trade (or withdraw) on the user's behalf, so
// the portal asks for the same protection as the big exchanges before handing one out.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TraderRouter } from '@exbox/api';
import type { inferRouterOutputs } from '@trpc/server';
import Link from 'next/link';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { formatDateTime, formatRelative } from '../../lib/account-format';
import {
  API_KEY_LABEL_LENGTH_MAX,
  API_KEYS_PER_USER_MAX,
  apiKeyLabelProblem,
  parseIpAllowList,
} from '../../lib/account-rules';
import { useTRPC } from '../../lib/trpc';
import { AccountPageHead, Section } from './account-shell';
import { forgetSecrets, Notice, SecretField, SubmitButton, TextAreaField, TextField } from './fields';
import { AccountIcon } from './icons';
import { ActionError, LoadError, useAccountUser } from './session-gate';

type ApiKey = inferRouterOutputs<TraderRouter>['apiKeys']['list'][number];
type CreatedKey = inferRouterOutputs<TraderRouter>['apiKeys']['create'];

const permissionInfo = [
  { name: 'read', label: 'Read', description: 'See balances, orders and trades. Always on.' },
  { name: 'trade', label: 'Trade', description: 'Place and cancel spot orders.' },
  {
    name: 'withdraw',
    label: 'Withdraw',
    description: 'Withdraw funds. The key must then be limited to your addresses.',
  },
] as const;

export function ApiKeysPage() {
  const user = useAccountUser();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery({ ...trpc.apiKeys.list.queryOptions(), staleTime: 0, retry: 1 });
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      ...forgetSecrets,
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() }),
    }),
  );
  const count = keys.data?.length ?? 0;

  return (
    <>
      <AccountPageHead
        title="API keys"
        subtitle="Let trading bots and tools use your account through the Binance-compatible API (REST and WebSocket)."
      />
      <div className="acct-stack-lg">
        {create.data !== undefined ? (
          <CreatedKeyPanel created={create.data} onDone={() => create.reset()} />
        ) : !user.twoFactorEnabled ? (
          <TwoFactorFirst />
        ) : count >= API_KEYS_PER_USER_MAX ? (
          <Notice tone="warning" title="You have the most keys allowed">
            An account can hold {API_KEYS_PER_USER_MAX} API keys. Delete one you no longer use to create another.
          </Notice>
        ) : (
          <CreateKeyForm pending={create.isPending} error={create.error} onCreate={(input) => create.mutate(input)} />
        )}
        <Section
          id="keys"
          title="Your keys"
          description={
            keys.data === undefined
              ? undefined
              : `${count} of ${API_KEYS_PER_USER_MAX} keys. Keep secrets out of code repositories and chats.`
          }
        >
          {keys.error !== null ? (
            <LoadError error={keys.error} what="your API keys" retry={() => void keys.refetch()} />
          ) : keys.data === undefined ? (
            <div className="acct-skeleton-block" aria-busy="true" aria-label="Loading keys" />
          ) : keys.data.length === 0 ? (
            <div className="empty">
              <p>You have no API keys yet.</p>
            </div>
          ) : (
            <KeysTable keys={keys.data} />
          )}
        </Section>
      </div>
    </>
  );
}

function TwoFactorFirst() {
  return (
    <section className="panel acct-gate">
      <div className="acct-gate-icon">
        <AccountIcon name="lock" size={24} />
      </div>
      <div>
        <h2>Turn on two-factor authentication first</h2>
        <p className="muted">
          An API key can trade on your behalf, so creating one needs two-factor authentication on your account. It takes
          a minute with an authenticator app. Your existing keys are listed below.
        </p>
      </div>
      <Link href="/account/security#two-factor" className="button button-primary">
        Enable two-factor
      </Link>
    </section>
  );
}

interface CreateInput {
  label: string;
  permissions: string[];
  ipAllowList: string[];
}

function CreateKeyForm({
  pending,
  error,
  onCreate,
}: {
  pending: boolean;
  error: unknown;
  onCreate: (input: CreateInput) => void;
}) {
  const [label, setLabel] = useState('');
  const [trade, setTrade] = useState(true);
  const [withdraw, setWithdraw] = useState(false);
  const [allowList, setAllowList] = useState('');
  const [touched, setTouched] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const parsed = parseIpAllowList(allowList);
  const labelProblem = apiKeyLabelProblem(label);
  const withdrawProblem =
    withdraw && parsed.entries.length === 0 ? 'A key that can withdraw must be limited to IP addresses.' : undefined;
  const allowListError =
    (touched || submitted) && parsed.problems.length > 0
      ? parsed.problems.join(' ')
      : submitted
        ? withdrawProblem
        : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (labelProblem !== undefined || parsed.problems.length > 0 || withdrawProblem !== undefined) return;
    onCreate({
      label: label.trim(),
      permissions: ['read', ...(trade ? ['trade'] : []), ...(withdraw ? ['withdraw'] : [])],
      ipAllowList: parsed.entries,
    });
  };

  const checked = { read: true, trade, withdraw };
  const setters = { trade: setTrade, withdraw: setWithdraw };

  return (
    <Section
      id="create"
      title="Create a new key"
      description="The secret is shown once, right after you create the key."
    >
      <form onSubmit={submit} noValidate className="acct-create-key">
        <TextField
          label="Label"
          name="label"
          autoComplete="off"
          maxLength={API_KEY_LABEL_LENGTH_MAX + 10}
          placeholder="e.g. Grid bot"
          value={label}
          onChange={(event) => setLabel(event.target.value)}
          error={labelProblem}
          hint="A name to recognise the key by. Optional."
        />
        <fieldset className="acct-permissions">
          <legend>Permissions</legend>
          {permissionInfo.map((permission) => (
            <label key={permission.name} className="acct-permission" data-checked={checked[permission.name]}>
              <input
                type="checkbox"
                name="permissions"
                value={permission.name}
                checked={checked[permission.name]}
                disabled={permission.name === 'read'}
                onChange={(event) => {
                  if (permission.name !== 'read') setters[permission.name](event.target.checked);
                }}
              />
              <span>
                <strong>{permission.label}</strong>
                <span className="muted acct-small">{permission.description}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <TextAreaField
          label="IP allow-list"
          name="ip-allow-list"
          rows={3}
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          placeholder="203.0.113.7, 198.51.100.0/24, 2001:db8::/32"
          value={allowList}
          onChange={(event) => setAllowList(event.target.value)}
          onBlur={() => setTouched(true)}
          error={allowListError}
          hint={
            <>
              IPv4 or IPv6 addresses or CIDR ranges, separated by commas, spaces or new lines.{' '}
              {parsed.entries.length === 0 ? (
                <strong className="acct-warning-text">Empty: the key works from any address.</strong>
              ) : (
                `${parsed.entries.length} ${parsed.entries.length === 1 ? 'entry' : 'entries'}: the key works only from ${parsed.entries.length === 1 ? 'this address' : 'these addresses'}.`
              )}
            </>
          }
        />
        <ActionError error={error} action="createApiKey" />
        <div>
          <SubmitButton busy={pending} busyText="Creating…" wide={false}>
            Create API key
          </SubmitButton>
        </div>
      </form>
    </Section>
  );
}

function CreatedKeyPanel({ created, onDone }: { created: CreatedKey; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
    heading.current?.scrollIntoView({ block: 'center' });
  }, []);
  return (
    <section className="panel acct-created">
      <h2 ref={heading} tabIndex={-1}>
        Your new key{created.label !== '' ? `: ${created.label}` : ''}
      </h2>
      <Notice tone="warning" title="Copy your secret now">
        This is the only time the secret is shown: we keep it encrypted and cannot show it again. If you lose it, delete
        the key and create a new one. Never share it; anyone with both values can use your account.
      </Notice>
      <SecretField label="API key" value={created.apiKey} copyLabel="Copy key" />
      <SecretField label="API secret" value={created.secret} copyLabel="Copy secret" />
      <p className="muted acct-small">
        Permissions: {created.permissions.join(', ')} · IP allow-list:{' '}
        {created.ipAllowList.length === 0 ? 'any address' : created.ipAllowList.join(', ')}
      </p>
      <div>
        <button type="button" className="button button-primary" onClick={onDone}>
          Done
        </button>
      </div>
    </section>
  );
}

function KeysTable({ keys }: { keys: ApiKey[] }) {
  const [deleting, setDeleting] = useState<ApiKey | null>(null);
  const now = Date.now();
  return (
    <>
      <div className="acct-table-wrap">
        <table className="acct-table acct-keys-table">
          <caption className="visually-hidden">Your keys</caption>
          <thead>
            <tr>
              <th scope="col">Label</th>
              <th scope="col">Key</th>
              <th scope="col">Permissions</th>
              <th scope="col">IP allow-list</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key.apiKey}>
                <th scope="row" data-label="Label" id={`key-${key.apiKey}`}>
                  {key.label === '' ? <span className="muted">Unnamed</span> : key.label}
                </th>
                <td data-label="Key">
                  <code className="acct-key" title={key.apiKey}>
                    {key.apiKey}
                  </code>
                </td>
                <td data-label="Permissions">
                  <span className="acct-tags">
                    {key.permissions.map((permission) => (
                      <span key={permission} className={`acct-tag acct-tag-${permission}`}>
                        {permission}
                      </span>
                    ))}
                  </span>
                </td>
                <td data-label="IP allow-list">
                  {key.ipAllowList.length === 0 ? (
                    <span className="acct-warning-text">Any address</span>
                  ) : (
                    <span className="mono acct-small acct-allow-list">{key.ipAllowList.join(', ')}</span>
                  )}
                </td>
                <td data-label="Created">
                  <time dateTime={key.createdAt}>{formatDateTime(key.createdAt)}</time>
                </td>
                <td data-label="Last used">
                  {key.lastUsedAt === null ? (
                    <span className="muted">Never</span>
                  ) : (
                    <time dateTime={key.lastUsedAt} title={formatDateTime(key.lastUsedAt)}>
                      {formatRelative(key.lastUsedAt, now)}
                    </time>
                  )}
                </td>
                <td className="acct-cell-action">
                  <button
                    type="button"
                    className="button button-ghost acct-danger-text"
                    aria-describedby={`key-${key.apiKey}`}
                    onClick={() => setDeleting(key)}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {deleting !== null && <DeleteKeyDialog apiKey={deleting} onClose={() => setDeleting(null)} />}
    </>
  );
}

function DeleteKeyDialog({ apiKey, onClose }: { apiKey: ApiKey; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const remove = useMutation(
    trpc.apiKeys.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
        onClose();
      },
    }),
  );
  useEffect(() => {
    const element = dialog.current;
    if (element !== null && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  const name = apiKey.label === '' ? 'this unnamed key' : `“${apiKey.label}”`;
  return (
    <dialog
      ref={dialog}
      className="acct-dialog"
      aria-labelledby="delete-key-title"
      onCancel={(event) => {
        event.preventDefault();
        if (!remove.isPending) onClose();
      }}
    >
      <h2 id="delete-key-title">Delete this key?</h2>
      <p>
        Programs using {name} (<code>{apiKey.apiKey.slice(0, 8)}…</code>) stop working at once. This cannot be undone.
      </p>
      <ActionError error={remove.error} action="deleteApiKey" />
      <div className="acct-form-actions acct-dialog-actions">
        <button type="button" className="button button-ghost" onClick={onClose} disabled={remove.isPending}>
          Cancel
        </button>
        <button
          type="button"
          className="button acct-button-danger"
          disabled={remove.isPending}
          onClick={() => remove.mutate({ apiKey: apiKey.apiKey })}
        >
          {remove.isPending && <span className="spinner" aria-hidden="true" />}
          Delete key
        </button>
      </div>
    </dialog>
  );
}
