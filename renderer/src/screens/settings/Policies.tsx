import { useCallback, useEffect, useState } from 'react';
import type { Asset } from '@shared/domain/assets';
import { CHAIN_LABELS } from '@shared/domain/chains';
import { ROLES, type OperatorView, type Role } from '@shared/domain/operators';
import { SWEEP_MODES, type SweepMode, type SweepRuleView } from '@shared/domain/sweeps';
import type { AssetWithdrawalRules, WithdrawalPolicy } from '@shared/domain/withdrawals';
import type { PolicyProposalView } from '@shared/domain/controls';
import { useProposals } from '../../store/proposals';
import { contract } from '@shared/ipc/contract';
import { formatAmount, parseAmount } from '@shared/money';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { FieldError } from '../../components/FieldError';
import { ErrorState, Loading } from '../../components/States';
import { fieldIssues } from '../../forms/validation';
import { useAssets } from '../../store/assets';

/** Tokens typed with the asset's decimals; '' stays "no value". Returns base units or an error message. */
function toBaseUnits(text: string, asset: Asset | undefined): { ok: true; value: string | undefined } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: true, value: undefined };
  if (!asset) return { ok: false, message: 'Unknown asset.' };
  try {
    return { ok: true, value: parseAmount(text, asset.decimals).toString() };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : 'Not an amount.' };
  }
}

/** A count of withdrawals typed by the officer: empty is none. */
function toCount(text: string): { ok: true; value: number | undefined } | { ok: false; message: string } {
  const t = text.trim();
  if (t === '') return { ok: true, value: undefined };
  return /^[1-9]\d{0,3}$/.test(t) ? { ok: true, value: Number(t) } : { ok: false, message: 'A whole number of withdrawals, 1 or more.' };
}

const shown = (value: string | undefined, asset: Asset | undefined) => (value === undefined || !asset ? '' : formatAmount(BigInt(value), asset.decimals));

export function SweepRules() {
  const [rules, setRules] = useState<SweepRuleView[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const load = useCallback(async () => {
    const result = await treasury.sweeps.rules({});
    if (result.ok) setRules(result.data);
    else setError(result.error);
  }, []);
  useEffect(() => void load(), [load]);
  return (
    <section className="card" aria-labelledby="sweep-rules-title">
      <h2 id="sweep-rules-title">Sweep rules</h2>
      <p className="muted small">When confirmed deposits move from deposit addresses to the holding wallet.</p>
      {error && <ErrorState error={error} onRetry={() => void load()} />}
      {!rules && !error && <Loading what="sweep rules" />}
      {rules && (
        <table data-testid="settings-sweep-rules">
          <thead>
            <tr>
              <th>Asset</th>
              <th>Mode</th>
              <th className="num">Minimum to sweep</th>
              <th className="num">Every (min)</th>
              <th className="num">Fee at most (% of amount)</th>
              <th className="num">1 native coin is worth</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rules.map((rule) => (
              <SweepRuleRow key={rule.assetId} rule={rule} onSaved={(next) => setRules((all) => all?.map((r) => (r.assetId === next.assetId ? next : r)) ?? null)} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function SweepRuleRow({ rule, onSaved }: { rule: SweepRuleView; onSaved(rule: SweepRuleView): void }) {
  const asset = useAssets((s) => s.byId[rule.assetId]);
  const [mode, setMode] = useState<SweepMode>(rule.mode);
  const [minText, setMinText] = useState(shown(rule.minAmount, asset));
  const [interval, setIntervalText] = useState(String(rule.intervalMinutes));
  const [feePercent, setFeePercent] = useState(rule.maxFeePercent ?? '');
  const [nativePrice, setNativePrice] = useState(rule.nativePrice ?? '');
  const [error, setError] = useState<AppError | null>(null);
  const min = toBaseUnits(minText === '' ? '0' : minText, asset);
  const isToken = asset?.contract != null;
  const request = {
    assetId: rule.assetId,
    minAmount: min.ok ? (min.value ?? '0') : '',
    mode,
    intervalMinutes: mode === 'schedule' ? Number(interval) : undefined,
    // Empty removes the rule: sweep whatever the fee.
    maxFeePercent: feePercent.trim() === '' ? null : feePercent.trim(),
    nativePrice: !isToken || nativePrice.trim() === '' ? null : nativePrice.trim(),
  };
  const issues = fieldIssues(contract.sweeps.updateRule.request, request);
  const valid = min.ok && Object.keys(issues).length === 0;
  const save = async () => {
    const result = await treasury.sweeps.updateRule(request);
    if (result.ok) {
      setError(null);
      onSaved(result.data);
    } else setError(result.error);
  };
  return (
    <tr>
      <td>
        {asset?.symbol ?? rule.assetId} <span className="muted">{CHAIN_LABELS[rule.chain]}</span>
        {rule.isDefault && <span className="badge">default</span>}
        {error && <div className="bad small">{error.message}</div>}
      </td>
      <td>
        <select value={mode} onChange={(e) => setMode(e.target.value as SweepMode)} aria-label={`Sweep mode of ${rule.assetId}`}>
          {SWEEP_MODES.map((m) => (
            <option key={m} value={m}>
              {m.replace('_', ' ')}
            </option>
          ))}
        </select>
      </td>
      <td className="num">
        <input className="input--amount" value={minText} onChange={(e) => setMinText(e.target.value)} aria-invalid={!min.ok} aria-label={`Minimum sweep of ${rule.assetId}`} />
        {!min.ok && <div className="field__error">{min.message}</div>}
      </td>
      <td className="num">
        <input className="input--amount" style={{ width: 80 }} value={interval} disabled={mode !== 'schedule'} onChange={(e) => setIntervalText(e.target.value)} aria-label="Interval in minutes" />
      </td>
      <td className="num">
        <input className="input--amount" style={{ width: 80 }} value={feePercent} placeholder="any" onChange={(e) => setFeePercent(e.target.value)} aria-label={`Largest fee in percent of the amount, ${rule.assetId}`} />
        {issues.maxFeePercent && <div className="field__error">{issues.maxFeePercent}</div>}
      </td>
      <td className="num">
        {isToken ? (
          <>
            <input className="input--amount" style={{ width: 90 }} value={nativePrice} placeholder="price" onChange={(e) => setNativePrice(e.target.value)} aria-label={`Value of one native coin in ${asset?.symbol ?? rule.assetId}`} />{' '}
            {asset?.symbol}
            {issues.nativePrice && <div className="field__error">{issues.nativePrice}</div>}
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="num">
        <button type="button" className="secondary" disabled={!valid} onClick={() => void save()}>
          Save
        </button>
      </td>
    </tr>
  );
}

export function WithdrawalPolicySettings() {
  const assets = useAssets((s) => s.list);
  const [policy, setPolicy] = useState<WithdrawalPolicy | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const applied = useProposals((s) => s.applied);
  const proposed = useProposals((s) => s.proposed);
  const load = useCallback(async () => {
    const result = await treasury.withdrawals.policyGet({});
    if (result.ok) setPolicy(result.data);
    else setError(result.error);
  }, []);
  useEffect(() => void load(), [load, applied]);
  return (
    <section className="card" aria-labelledby="policy-title">
      <h2 id="policy-title">Withdrawal policy</h2>
      <p className="muted small">
        Per asset limits; at or below the approval threshold, to a whitelisted address, no second operator is needed. Per wallet and per client (all
        the client's wallets together): amounts over the last 24 hours and 30 days; per wallet, how many withdrawals in the last hour. Empty means
        none (the default). A change applies once another admin approves it.
      </p>
      {error && <ErrorState error={error} onRetry={() => void load()} />}
      {!policy && !error && <Loading what="withdrawal policy" />}
      {policy && (
        <div className="table-scroll">
          <table data-testid="settings-withdrawal-policy" className="table--policy">
            <thead>
              <tr>
                <th>Asset</th>
                <th className="num">Per withdrawal</th>
                <th className="num">Per day</th>
                <th className="num">Approval above</th>
                <th className="num">Per wallet, 24 h</th>
                <th className="num">Per wallet, 30 days</th>
                <th className="num">Per wallet, per hour</th>
                <th className="num">Per client, 24 h</th>
                <th className="num">Per client, 30 days</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {assets.map((asset) => (
                <PolicyRow key={`${asset.id}:${JSON.stringify(policy.assets[asset.id] ?? {})}`} asset={asset} rules={policy.assets[asset.id] ?? {}} onProposed={proposed} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function PolicyRow({ asset, rules, onProposed }: { asset: Asset; rules: AssetWithdrawalRules; onProposed(proposal: PolicyProposalView): void }) {
  const [perText, setPer] = useState(shown(rules.perWithdrawalLimit, asset));
  const [dailyText, setDaily] = useState(shown(rules.dailyLimit, asset));
  const [thresholdText, setThreshold] = useState(shown(rules.approvalThreshold, asset));
  const [walletDailyText, setWalletDaily] = useState(shown(rules.walletDailyLimit, asset));
  const [walletMonthlyText, setWalletMonthly] = useState(shown(rules.walletMonthlyLimit, asset));
  const [hourlyText, setHourly] = useState(rules.walletHourlyCount === undefined ? '' : String(rules.walletHourlyCount));
  const [clientDailyText, setClientDaily] = useState(shown(rules.clientDailyLimit, asset));
  const [clientMonthlyText, setClientMonthly] = useState(shown(rules.clientMonthlyLimit, asset));
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState(false);
  const per = toBaseUnits(perText, asset);
  const daily = toBaseUnits(dailyText, asset);
  const threshold = toBaseUnits(thresholdText, asset);
  const walletDaily = toBaseUnits(walletDailyText, asset);
  const walletMonthly = toBaseUnits(walletMonthlyText, asset);
  const hourly = toCount(hourlyText);
  const clientDaily = toBaseUnits(clientDailyText, asset);
  const clientMonthly = toBaseUnits(clientMonthlyText, asset);
  const valid = per.ok && daily.ok && threshold.ok && walletDaily.ok && walletMonthly.ok && hourly.ok && clientDaily.ok && clientMonthly.ok;
  const save = async () => {
    if (!per.ok || !daily.ok || !threshold.ok || !walletDaily.ok || !walletMonthly.ok || !hourly.ok || !clientDaily.ok || !clientMonthly.ok) return;
    const result = await treasury.withdrawals.policySet({
      assetId: asset.id,
      rules: {
        perWithdrawalLimit: per.value,
        dailyLimit: daily.value,
        approvalThreshold: threshold.value,
        walletDailyLimit: walletDaily.value,
        walletMonthlyLimit: walletMonthly.value,
        walletHourlyCount: hourly.value,
        clientDailyLimit: clientDaily.value,
        clientMonthlyLimit: clientMonthly.value,
      },
    });
    if (result.ok) {
      setError(null);
      setSaved(true);
      onProposed(result.data);
    } else setError(result.error);
  };
  const cell = (value: string, set: (v: string) => void, reading: { ok: boolean; message?: string }, label: string) => (
    <td className="num">
      <input className="input--amount" value={value} placeholder="none" onChange={(e) => { set(e.target.value); setSaved(false); }} aria-invalid={!reading.ok} aria-label={label} />
      {!reading.ok && <div className="field__error">{reading.message}</div>}
    </td>
  );
  return (
    <tr>
      <td>
        {asset.symbol} <span className="muted">{CHAIN_LABELS[asset.chain]}</span>
        {error && <div className="bad small">{error.message}</div>}
      </td>
      {cell(perText, setPer, per, `Per-withdrawal limit of ${asset.id}`)}
      {cell(dailyText, setDaily, daily, `Daily limit of ${asset.id}`)}
      {cell(thresholdText, setThreshold, threshold, `Approval threshold of ${asset.id}`)}
      {cell(walletDailyText, setWalletDaily, walletDaily, `Per-wallet 24-hour limit of ${asset.id}`)}
      {cell(walletMonthlyText, setWalletMonthly, walletMonthly, `Per-wallet 30-day limit of ${asset.id}`)}
      {cell(hourlyText, setHourly, hourly, `Per-wallet withdrawals per hour of ${asset.id}`)}
      {cell(clientDailyText, setClientDaily, clientDaily, `Per-client 24-hour limit of ${asset.id}`)}
      {cell(clientMonthlyText, setClientMonthly, clientMonthly, `Per-client 30-day limit of ${asset.id}`)}
      <td className="num">
        <button type="button" className="secondary" disabled={!valid || saved} onClick={() => void save()}>
          {saved ? 'Proposed' : 'Propose'}
        </button>
      </td>
    </tr>
  );
}

export function Operators() {
  const [operators, setOperators] = useState<OperatorView[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('officer');
  const [passphrase, setPassphrase] = useState('');
  const [createError, setCreateError] = useState<AppError | null>(null);
  const [waiting, setWaiting] = useState<string | null>(null);
  const load = useCallback(async () => {
    const result = await treasury.system.listOperators({});
    if (result.ok) setOperators(result.data);
    else setError(result.error);
  }, []);
  useEffect(() => void load(), [load]);
  const issues = fieldIssues(contract.system.createOperator.request, { name, role, passphrase });
  const create = async () => {
    const result = await treasury.system.createOperator({ name, role, passphrase });
    if (result.ok) {
      setName('');
      setPassphrase('');
      setCreateError(null);
      // A new admin is created disabled until a second admin approves it under Pending changes.
      setWaiting(result.data.proposal ? `${result.data.name} is created but may sign in only once another admin approves it.` : null);
      void load();
    } else setCreateError(result.error);
  };
  return (
    <section className="card" aria-labelledby="operators-title">
      <h2 id="operators-title">Operators</h2>
      {error && <ErrorState error={error} onRetry={() => void load()} />}
      {!operators && !error && <Loading what="operators" />}
      {operators && (
        <table data-testid="settings-operators">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Seed access</th>
              <th>Status</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {operators.map((o) => (
              <tr key={o.id}>
                <td>
                  <strong>{o.name}</strong>
                </td>
                <td>{o.role}</td>
                <td>{o.seedAccess ? 'yes' : 'no'}</td>
                <td>{o.disabled ? <span className="badge badge--closed">disabled</span> : <span className="badge badge--active">active</span>}</td>
                <td className="muted">
                  {new Date(o.createdAt).toLocaleDateString()} by {o.createdBy}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="row-form row-form--operator"
        onSubmit={(e) => {
          e.preventDefault();
          if (Object.keys(issues).length === 0) void create();
        }}
      >
        <label className="field">
          <span>New operator</span>
          <input value={name} autoComplete="off" onChange={(e) => setName(e.target.value)} data-testid="operator-name" />
          <FieldError id="operator-name-error" message={name !== '' ? issues.name : undefined} />
        </label>
        <label className="field">
          <span>Role</span>
          <select value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="operator-role">
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Initial passphrase</span>
          <input type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} data-testid="operator-passphrase" />
          <FieldError id="operator-passphrase-error" message={passphrase !== '' ? issues.passphrase : undefined} />
        </label>
        <button type="submit" disabled={Object.keys(issues).length > 0} data-testid="operator-create">
          Add operator
        </button>
      </form>
      {createError && <ErrorState error={createError} />}
      {waiting && (
        <p className="callout" data-testid="operator-awaiting-approval">
          {waiting}
        </p>
      )}
    </section>
  );
}
