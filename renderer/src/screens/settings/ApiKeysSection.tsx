import { useCallback, useEffect, useState } from 'react';
import { API_SCOPES, API_SCOPE_LABELS, type ApiKeySecret, type ApiKeyView, type ApiScope } from '@shared/domain/api-keys';
import { contract } from '@shared/ipc/contract';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { Dialog } from '../../components/Dialog';
import { FieldError } from '../../components/FieldError';
import { ErrorState, Loading } from '../../components/States';
import { fieldIssues } from '../../forms/validation';
import { useSystem } from '../../store/system';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');
const STATE_BADGE: Record<ApiKeyView['state'], string> = { active: 'badge--active', expired: 'badge--closed', revoked: 'badge--closed' };

/**
 * Keys of the integration API (the service's /v1): an admin creates one with its scopes, optional addresses
 * and expiry, sees its secret once, rotates it (the old secret keeps working for the overlap) or revokes it.
 */
export function ApiKeysSection() {
  const admin = useSystem((s) => s.session?.session?.operator.role === 'admin');
  const [keys, setKeys] = useState<ApiKeyView[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [shown, setShown] = useState<ApiKeySecret | null>(null);
  const load = useCallback(async () => {
    const result = await treasury.system.listApiKeys({});
    if (result.ok) setKeys(result.data);
    else setError(result.error);
  }, []);
  useEffect(() => {
    if (admin) void load();
  }, [admin, load]);
  if (!admin) return null;

  const act = async (send: () => ReturnType<typeof treasury.system.revokeApiKey>) => {
    const result = await send();
    if (result.ok) setError(null);
    else setError(result.error);
    void load();
  };
  const rotate = async (key: ApiKeyView) => {
    const result = await treasury.system.rotateApiKey({ keyId: key.id, overlapHours: 24 });
    if (result.ok) setShown(result.data);
    else setError(result.error);
    void load();
  };

  return (
    <section className="card" aria-labelledby="api-keys-title">
      <h2 id="api-keys-title">API keys</h2>
      <p className="muted small">
        Your company&apos;s backend calls the treasury&apos;s integration API with these keys (header x-api-key). Withdrawals it asks for still wait for
        an approver and the Ledger.
      </p>
      {error && <ErrorState error={error} onRetry={() => void load()} />}
      {!keys && !error && <Loading what="API keys" />}
      {keys && keys.length === 0 && <p className="muted">No API key yet.</p>}
      {keys && keys.length > 0 && (
        <table data-testid="settings-api-keys">
          <thead>
            <tr>
              <th>Name</th>
              <th>Key starts with</th>
              <th>Scopes</th>
              <th>Allowed addresses</th>
              <th>Limit</th>
              <th>Expires</th>
              <th>Last used</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key.id} data-testid="api-key-row">
                <td>
                  <strong>{key.name}</strong>
                  <div className="muted small">created {when(key.createdAt)} by {key.createdBy}</div>
                </td>
                <td>
                  <code>{key.prefix}…</code>
                  {key.state === 'active' && key.previousValidUntil && <div className="muted small">previous secret works until {when(key.previousValidUntil)}</div>}
                </td>
                <td>{key.scopes.map((scope) => API_SCOPE_LABELS[scope]).join(', ')}</td>
                <td>{key.ipAllowlist.length === 0 ? 'any' : key.ipAllowlist.join(', ')}</td>
                <td>{key.rateLimitPerMinute} a minute</td>
                <td>{key.expiresAt ? when(key.expiresAt) : 'never'}</td>
                <td data-testid="api-key-last-used">{key.lastUsedAt ? `${when(key.lastUsedAt)} from ${key.lastUsedIp ?? 'an unknown address'}` : 'never'}</td>
                <td>
                  <span className={`badge ${STATE_BADGE[key.state]}`}>{key.state}</span>
                </td>
                <td className="actions">
                  {key.state === 'active' && (
                    <>
                      <button type="button" className="secondary" onClick={() => void rotate(key)} data-testid="api-key-rotate">
                        Rotate
                      </button>
                      <button type="button" className="danger" onClick={() => void act(() => treasury.system.revokeApiKey({ keyId: key.id }))} data-testid="api-key-revoke">
                        Revoke
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CreateApiKeyForm
        onCreated={(made) => {
          setShown(made);
          void load();
        }}
      />
      {shown && <SecretDialog made={shown} onClose={() => setShown(null)} />}
    </section>
  );
}

function CreateApiKeyForm({ onCreated }: { onCreated(made: ApiKeySecret): void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiScope[]>(['read']);
  const [allowlist, setAllowlist] = useState('');
  const [rate, setRate] = useState('600');
  const [days, setDays] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const request = {
    name,
    scopes,
    ipAllowlist: allowlist.split(/[\s,]+/).filter(Boolean),
    rateLimitPerMinute: Number(rate),
    ...(days.trim() ? { expiresInDays: Number(days) } : {}),
  };
  const issues = fieldIssues(contract.system.createApiKey.request, request);
  const create = async () => {
    const result = await treasury.system.createApiKey(request);
    if (result.ok) {
      setName('');
      setAllowlist('');
      setDays('');
      setError(null);
      onCreated(result.data);
    } else setError(result.error);
  };
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        if (Object.keys(issues).length === 0) void create();
      }}
    >
      <div className="row-form row-form--api-key">
        <label className="field">
          <span>New key&apos;s name</span>
          <input value={name} autoComplete="off" onChange={(e) => setName(e.target.value)} data-testid="api-key-name" />
          <FieldError id="api-key-name-error" message={name !== '' ? issues.name : undefined} />
        </label>
        <label className="field">
          <span>Allowed addresses (optional)</span>
          <input value={allowlist} placeholder="203.0.113.7, 198.51.100.0/24" onChange={(e) => setAllowlist(e.target.value)} data-testid="api-key-allowlist" />
          <FieldError id="api-key-allowlist-error" message={allowlist !== '' ? (Object.entries(issues).find(([path]) => path.startsWith('ipAllowlist'))?.[1] ?? undefined) : undefined} />
        </label>
        <label className="field">
          <span>Calls a minute</span>
          <input inputMode="numeric" value={rate} onChange={(e) => setRate(e.target.value)} data-testid="api-key-rate" />
          <FieldError id="api-key-rate-error" message={issues.rateLimitPerMinute} />
        </label>
        <label className="field">
          <span>Expires after (days, optional)</span>
          <input inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} data-testid="api-key-days" />
          <FieldError id="api-key-days-error" message={days !== '' ? issues.expiresInDays : undefined} />
        </label>
      </div>
      <fieldset className="fieldset">
        <div className="actions actions--start">
        <legend>Scopes</legend>
        {API_SCOPES.map((scope) => (
          <label key={scope} className="checkbox">
            <input
              type="checkbox"
              checked={scopes.includes(scope)}
              onChange={(e) => setScopes(e.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))}
              data-testid={`api-key-scope-${scope}`}
            />
            {API_SCOPE_LABELS[scope]}
          </label>
        ))}
        </div>
        <FieldError id="api-key-scopes-error" message={issues.scopes} />
      </fieldset>
      <div className="actions">
        <button type="submit" disabled={Object.keys(issues).length > 0} data-testid="api-key-create">
          Create key
        </button>
      </div>
      {error && <ErrorState error={error} />}
    </form>
  );
}

/** The secret, once: it is kept only as a hash, so closing this dialog is the last time anyone sees it. */
function SecretDialog({ made, onClose }: { made: ApiKeySecret; onClose(): void }) {
  const [copied, setCopied] = useState(false);
  return (
    <Dialog title={`API key "${made.key.name}"`} onClose={onClose} testId="api-key-secret-dialog">
      <div className="stack">
        <p>Copy this key now and keep it in your backend&apos;s secret store. It is not shown again.</p>
        <code className="secret" data-testid="api-key-secret">
          {made.secret}
        </code>
        <div className="actions">
          <button
            type="button"
            className="secondary"
            onClick={() => void navigator.clipboard.writeText(made.secret).then(() => setCopied(true), () => setCopied(false))}
          >
            {copied ? 'Copied' : 'Copy'}
          </button>
          <button type="button" onClick={onClose} data-testid="api-key-secret-close">
            I have stored it
          </button>
        </div>
      </div>
    </Dialog>
  );
}
