import { useCallback, useEffect, useState } from 'react';
import type { Asset } from '@shared/domain/assets';
import { CHAIN_LABELS } from '@shared/domain/chains';
import { CLIENT_FEE_MODES, type ClientFeeMode, type ClientFeeRule, type ClientFeeSchedule } from '@shared/domain/client-fees';
import type { ClientView } from '@shared/domain/clients';
import { formatAmount, parseAmount } from '@shared/money';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { ErrorState, Loading } from '../../components/States';
import { useAssets } from '../../store/assets';

const MODE_LABELS: Record<ClientFeeMode, string> = { on_top: 'On top of the amount', deducted: 'Deducted from the amount' };
const PERCENT = /^(0|[1-9][0-9]?|100)(\.[0-9]{1,4})?$/;

/**
 * What clients pay the company per withdrawal: per asset, and per client where a client has its own terms.
 * Fixed and minimum are typed in the asset's units; the percent with up to 4 places. The engine computes the fee
 * exactly and rounds the percent part up to the asset's smallest unit.
 */
export function ClientFeeSchedules() {
  const assets = useAssets((s) => s.list);
  const [schedule, setSchedule] = useState<ClientFeeSchedule | null>(null);
  const [clients, setClients] = useState<ClientView[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const load = useCallback(async () => {
    const result = await treasury.withdrawals.feeScheduleGet({});
    if (result.ok) setSchedule(result.data);
    else setError(result.error);
    const list = await treasury.clients.list({ limit: 200 });
    if (list.ok) setClients(list.data.items);
  }, []);
  useEffect(() => void load(), [load]);
  const overrides = schedule ? Object.entries(schedule.clients).flatMap(([clientId, rules]) => Object.entries(rules).map(([assetId, rule]) => ({ clientId, assetId, rule }))) : [];
  const nameOf = (clientId: string) => clients.find((c) => c.id === clientId)?.legalName ?? 'a client not on this page';
  return (
    <section className="card" aria-labelledby="client-fees-title" data-testid="settings-client-fees">
      <h2 id="client-fees-title">Withdrawal fees</h2>
      <p className="muted small">
        What a client pays per withdrawal: a fixed amount plus a percent of the amount, never below the minimum. On top: the balance pays the amount and
        the fee. Deducted: the destination receives the amount less the fee. Fees are company revenue. Empty means no fee.
      </p>
      {error && <ErrorState error={error} onRetry={() => void load()} />}
      {!schedule && !error && <Loading what="withdrawal fees" />}
      {schedule && (
        <table>
          <thead>
            <tr>
              <th>For</th>
              <th className="num">Fixed</th>
              <th className="num">Percent</th>
              <th className="num">Minimum</th>
              <th>Paid</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {assets.map((asset) => (
              <FeeRow key={asset.id} asset={asset} label={`${asset.symbol} ${CHAIN_LABELS[asset.chain]}`} rule={schedule.assets[asset.id]} onSaved={setSchedule} />
            ))}
            {overrides.map(({ clientId, assetId, rule }) => {
              const asset = assets.find((a) => a.id === assetId);
              return asset ? <FeeRow key={`${clientId}:${assetId}`} asset={asset} clientId={clientId} label={`${nameOf(clientId)}, ${asset.symbol} ${CHAIN_LABELS[asset.chain]}`} rule={rule} onSaved={setSchedule} /> : null;
            })}
          </tbody>
        </table>
      )}
      {schedule && <AddOverride assets={assets} clients={clients} onSaved={setSchedule} />}
    </section>
  );
}

function FeeRow(props: { asset: Asset; clientId?: string; label: string; rule: ClientFeeRule | undefined; onSaved(schedule: ClientFeeSchedule): void }) {
  const { asset, rule } = props;
  const shown = (v: string | undefined) => (v === undefined ? '' : formatAmount(BigInt(v), asset.decimals));
  const [fixed, setFixed] = useState(shown(rule?.fixed));
  const [percent, setPercent] = useState(rule?.percent ?? '');
  const [minimum, setMinimum] = useState(shown(rule?.minimum));
  const [mode, setMode] = useState<ClientFeeMode>(rule?.mode ?? 'on_top');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const read = (text: string): string | undefined => (text.trim() === '' ? undefined : parseAmount(text, asset.decimals).toString());
  const send = async (next: ClientFeeRule | null) => {
    const result = await treasury.withdrawals.feeScheduleSet({ assetId: asset.id, ...(props.clientId ? { clientId: props.clientId } : {}), rule: next });
    if (result.ok) {
      setError(null);
      setSaved(true);
      props.onSaved(result.data);
    } else setError(result.error.message);
  };
  const save = async () => {
    try {
      if (percent.trim() !== '' && !PERCENT.test(percent.trim())) throw new Error('The percent is a number from 0 to 100 with at most 4 decimal places, like 0.25.');
      const f = read(fixed);
      const m = read(minimum);
      if (f === undefined && percent.trim() === '' && m === undefined) return send(null);
      await send({ fixed: f ?? '0', percent: percent.trim() || '0', ...(m !== undefined ? { minimum: m } : {}), mode });
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Not an amount.');
    }
  };
  const edit = (set: (v: string) => void) => (e: { target: { value: string } }) => {
    set(e.target.value);
    setSaved(false);
  };
  return (
    <tr>
      <td>
        {props.label}
        {error && <div className="bad small">{error}</div>}
      </td>
      <td className="num">
        <input className="input--amount" value={fixed} placeholder="none" onChange={edit(setFixed)} aria-label={`Fixed fee, ${props.label}`} /> {asset.symbol}
      </td>
      <td className="num">
        <input className="input--amount" value={percent} placeholder="none" onChange={edit(setPercent)} aria-label={`Percent fee, ${props.label}`} /> %
      </td>
      <td className="num">
        <input className="input--amount" value={minimum} placeholder="none" onChange={edit(setMinimum)} aria-label={`Minimum fee, ${props.label}`} /> {asset.symbol}
      </td>
      <td>
        <select value={mode} onChange={(e) => { setMode(e.target.value as ClientFeeMode); setSaved(false); }} aria-label={`How the fee is paid, ${props.label}`}>
          {CLIENT_FEE_MODES.map((m) => (
            <option key={m} value={m}>
              {MODE_LABELS[m]}
            </option>
          ))}
        </select>
      </td>
      <td className="num">
        <button type="button" className="secondary" onClick={() => void save()}>
          {saved ? 'Saved' : 'Save'}
        </button>
        {props.clientId && (
          <button type="button" className="link" onClick={() => void send(null)}>
            Remove
          </button>
        )}
      </td>
    </tr>
  );
}

/** A client's own terms for one asset start as a copy of nothing: pick the client and asset, then fill the row. */
function AddOverride(props: { assets: Asset[]; clients: ClientView[]; onSaved(schedule: ClientFeeSchedule): void }) {
  const [clientId, setClientId] = useState('');
  const [assetId, setAssetId] = useState('');
  const asset = props.assets.find((a) => a.id === assetId);
  return (
    <div className="stack">
      <div className="row">
        <select value={clientId} onChange={(e) => setClientId(e.target.value)} aria-label="Client with its own fees">
          <option value="">A client with its own fees…</option>
          {props.clients.map((c) => (
            <option key={c.id} value={c.id}>
              {c.legalName}
            </option>
          ))}
        </select>
        <select value={assetId} onChange={(e) => setAssetId(e.target.value)} aria-label="Asset of the client's fees">
          <option value="">Asset…</option>
          {props.assets.map((a) => (
            <option key={a.id} value={a.id}>
              {a.symbol} {CHAIN_LABELS[a.chain]}
            </option>
          ))}
        </select>
      </div>
      {clientId && asset && (
        <table>
          <tbody>
            <FeeRow key={`${clientId}:${asset.id}`} asset={asset} clientId={clientId} label={props.clients.find((c) => c.id === clientId)?.legalName ?? ''} rule={undefined} onSaved={(s) => { props.onSaved(s); setClientId(''); setAssetId(''); }} />
          </tbody>
        </table>
      )}
    </div>
  );
}
