import { useState } from 'react';
import { CHAIN_LABELS, type Chain } from '@shared/domain/chains';
import { MAX_ENDPOINTS, type Configuration, type EndpointHealth } from '@shared/domain/configuration';
import { contract } from '@shared/ipc/contract';
import type { AppError } from '@shared/result';
import { formatAmount, parseAmount } from '@shared/money';
import { treasury } from '../../api';
import { FieldError } from '../../components/FieldError';
import { ErrorState } from '../../components/States';
import { fieldIssues } from '../../forms/validation';
import { EndpointHealthList } from './EndpointHealthList';

/**
 * One chain's endpoints (the preferred one, then fallbacks the engine fails over to), confirmation depth and whether the node is the company's own, with whether the
 * endpoint was confirmed: on mainnet and testnet a chain is not watched before. Settings and the first-start
 * endpoints step show the same row.
 */
export function ChainEndpointForm(props: {
  chain: Chain;
  configuration: Configuration;
  onSaved(next: Configuration): void;
  /** Each endpoint as the engine last found it (Settings); absent at first start, before anything is watched. */
  health?: EndpointHealth[];
}) {
  const { chain } = props;
  const current = props.configuration.chains[chain];
  const [rpcUrl, setRpcUrl] = useState(current.rpcUrl);
  const [fallbacks, setFallbacks] = useState(current.rpcUrls.slice(1).join('\n'));
  const rpcUrls = [rpcUrl.trim(), ...fallbacks.split('\n').map((line) => line.trim()).filter((line) => line !== '')];
  const listChanged = rpcUrls.join(' ') !== current.rpcUrls.join(' ');
  const [confirmations, setConfirmations] = useState(String(current.confirmations));
  const [ownNode, setOwnNode] = useState(current.ownNode);
  // EVM only: the least paid per gas, typed in gwei (Polygon's priority fee, BNB Chain's gas price).
  const evm = chain !== 'tron';
  const savedFloorGwei = current.feeFloorWei === null ? '' : formatAmount(BigInt(current.feeFloorWei), GWEI_DECIMALS);
  const [floorGwei, setFloorGwei] = useState(savedFloorGwei);
  const floorWei = gweiToWei(floorGwei);
  const floorValid = !evm || floorGwei.trim() === '' || floorWei !== null;
  const [pending, setPending] = useState<'save' | 'confirm' | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const confirmationsValid = /^[1-9][0-9]{0,3}$/.test(confirmations);
  // Only what changed is sent: the engine counts an edited endpoint as a confirmed one.
  const change = {
    chain,
    ...(listChanged ? { rpcUrls } : {}),
    ...(confirmationsValid && Number(confirmations) !== current.confirmations ? { confirmations: Number(confirmations) } : {}),
    ...(ownNode !== current.ownNode ? { ownNode } : {}),
    ...(evm && floorWei !== null && floorWei !== current.feeFloorWei ? { feeFloorWei: floorWei } : {}),
  };
  const dirty = Object.keys(change).length > 1;
  const urlIssue = fieldIssues(contract.configuration.update.request, { chain, rpcUrl: rpcUrl.trim() }).rpcUrl;
  const fallbackIssue =
    rpcUrls.length > MAX_ENDPOINTS
      ? `At most ${MAX_ENDPOINTS} endpoints in all.`
      : rpcUrls.slice(1).map((url) => fieldIssues(contract.configuration.update.request, { chain, rpcUrl: url }).rpcUrl).find((issue) => issue !== undefined);

  const run = async (kind: 'save' | 'confirm') => {
    setPending(kind);
    setError(null);
    let result = dirty ? await treasury.configuration.update(change) : null;
    // Confirming keeps the endpoint as shown; an edited endpoint is confirmed by the edit itself.
    if (kind === 'confirm' && (!result || result.ok) && !(result?.ok && result.data.chains[chain].endpointConfirmed)) {
      result = await treasury.configuration.confirmEndpoints({ chains: [chain] });
    }
    setPending(null);
    if (!result) return;
    if (result.ok) props.onSaved(result.data);
    else setError(result.error);
  };

  return (
    <form
      className="row-form row-form--endpoint"
      data-testid={`endpoint-${chain}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (dirty) void run('save');
      }}
    >
      <strong className="row-form__title">{CHAIN_LABELS[chain]}</strong>
      <label className="field">
        <span>RPC endpoint</span>
        <input
          value={rpcUrl}
          spellCheck={false}
          aria-invalid={rpcUrl !== current.rpcUrl && !!urlIssue}
          aria-describedby={`endpoint-${chain}-error`}
          onChange={(e) => setRpcUrl(e.target.value)}
          data-testid={`settings-rpc-${chain}`}
        />
      </label>
      <label className="field field--narrow">
        <span>Confirmations</span>
        <input value={confirmations} inputMode="numeric" aria-invalid={!confirmationsValid} onChange={(e) => setConfirmations(e.target.value)} />
      </label>
      {!evm && <span aria-hidden="true" />}
      {evm && (
        <label className="field field--narrow" title="The least paid per gas: Polygon's priority fee (its nodes refuse tips under their minimum), BNB Chain's gas price. The node's own suggestion is paid when higher.">
          <span>Fee floor (gwei)</span>
          <input value={floorGwei} inputMode="decimal" aria-invalid={!floorValid} onChange={(e) => setFloorGwei(e.target.value)} data-testid={`settings-fee-floor-${chain}`} />
        </label>
      )}
      <label className="checkbox" title="A node the company runs itself: a mainnet workspace then accepts its private or loopback address.">
        <input type="checkbox" checked={ownNode} onChange={(e) => setOwnNode(e.target.checked)} data-testid={`settings-own-node-${chain}`} />
        This node is ours
      </label>
      <div className="actions">
        <button type="submit" className="secondary" disabled={pending !== null || !dirty || !confirmationsValid || !floorValid || !!fallbackIssue} data-testid={`settings-save-${chain}`}>
          {pending === 'save' ? 'Saving…' : 'Save'}
        </button>
        {!current.endpointConfirmed && (
          <button type="button" disabled={pending !== null || !confirmationsValid} onClick={() => void run('confirm')} data-testid={`settings-confirm-${chain}`}>
            {pending === 'confirm' ? 'Confirming…' : 'Confirm'}
          </button>
        )}
      </div>
      <label className="field field--fallbacks" title="Used in this order when the endpoint above fails, times out or falls behind; the first comes back after a short rest.">
        <span>Fallback endpoints, one a line</span>
        <textarea
          value={fallbacks}
          rows={Math.max(1, Math.min(MAX_ENDPOINTS - 1, rpcUrls.length - 1))}
          spellCheck={false}
          aria-invalid={!!fallbackIssue}
          aria-describedby={`endpoint-${chain}-fallback-error`}
          onChange={(e) => setFallbacks(e.target.value)}
          data-testid={`settings-rpc-fallbacks-${chain}`}
        />
      </label>
      <FieldError id={`endpoint-${chain}-error`} message={rpcUrl !== current.rpcUrl ? urlIssue : undefined} />
      <FieldError id={`endpoint-${chain}-fallback-error`} message={fallbackIssue} />
      <EndpointState chain={chain} configuration={props.configuration} />
      {props.health && <EndpointHealthList chain={chain} endpoints={props.health} />}
      {error && (
        <div className="row-form__error">
          <ErrorState error={error} />
        </div>
      )}
    </form>
  );
}

function EndpointState({ chain, configuration }: { chain: Chain; configuration: Configuration }) {
  const settings = configuration.chains[chain];
  const text = !settings.endpointConfirmed
    ? `Not confirmed: ${CHAIN_LABELS[chain]} is not watched, and no deposit on it is credited, until this endpoint is confirmed.`
    : settings.endpointConfirmedAt
      ? `Confirmed ${new Date(settings.endpointConfirmedAt).toLocaleString()}: watched.`
      : 'Devnet: a node on this machine, watched without confirmation.';
  return (
    <small className={settings.endpointConfirmed ? 'row-form__state' : 'row-form__state bad'} data-testid={`endpoint-state-${chain}`}>
      {text}
    </small>
  );
}

const GWEI_DECIMALS = 9;

/** "30" or "1.5" gwei as a wei decimal string; null for anything else (empty keeps the saved floor). */
function gweiToWei(text: string): string | null {
  if (text.trim() === '') return null;
  try {
    return parseAmount(text, GWEI_DECIMALS).toString();
  } catch {
    return null;
  }
}
