import { useCallback, useEffect, useRef, useState } from 'react';
import { CHAIN_LABELS } from '@shared/domain/chains';
import type { AlertView } from '@shared/domain/alerts';
import type { DepositView } from '@shared/domain/deposits';
import type { GasTankView, SweepView, SweepWaitReason } from '@shared/domain/sweeps';
import type { WithdrawalView } from '@shared/domain/withdrawals';
import type { AppError } from '@shared/result';
import { treasury } from '../api';
import { Amount } from '../components/Amount';
import { amountInWords } from '../words/amounts';
import { ErrorState, Loading } from '../components/States';
import { confirmationsOf } from './wallets/WalletDeposits';
import { useEngineEvents } from '../store/engine-events';
import { useNavigation } from '../store/navigation';
import { GasTanks } from './GasTanks';

/** Why a sweep waits, in words. */
const WAIT_WORDS: Record<SweepWaitReason, string> = {
  gas_tank_low: 'gas tank low',
  no_holding_wallet: 'no holding wallet registered',
  locked: 'seed locked',
  deposit_confirming: 'a deposit is still confirming',
  fee_above_limit: 'fee above the limit for this amount; later deposits join it',
};

interface Queues {
  deposits: DepositView[];
  awaitingApproval: WithdrawalView[];
  awaitingSignature: WithdrawalView[];
  sweeps: SweepView[];
  gasTanks: GasTankView[];
  alerts: AlertView[];
}

const OPEN_SWEEP_STATES = new Set(['planned', 'waiting', 'gas_signed', 'gas_funding', 'gas_funded', 'signed', 'broadcast']);
const SHOWN = 6;

/** What is moving and what waits for an officer: deposits confirming, withdrawals to approve or sign, sweeps, gas. */
export function DashboardQueues() {
  const [queues, setQueues] = useState<Queues | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const go = useNavigation((s) => s.go);

  const load = useCallback(async () => {
    const [deposits, requested, approved, sweeps, gasTanks, alerts] = await Promise.all([
      treasury.wallets.deposits({ state: 'seen', limit: 50 }),
      treasury.withdrawals.list({ state: 'requested', limit: 50 }),
      treasury.withdrawals.list({ state: 'approved', limit: 50 }),
      treasury.sweeps.list({ limit: 100 }),
      treasury.sweeps.gasTanks({}),
      treasury.alerts.list({ state: 'open', limit: 10 }),
    ]);
    const failed = [deposits, requested, approved, sweeps, gasTanks, alerts].find((r) => !r.ok);
    if (failed && !failed.ok) {
      setError(failed.error);
      return;
    }
    setError(null);
    setQueues({
      deposits: deposits.ok ? deposits.data.items : [],
      awaitingApproval: requested.ok ? requested.data.items : [],
      awaitingSignature: approved.ok ? approved.data.items : [],
      sweeps: sweeps.ok ? sweeps.data.items.filter((s) => OPEN_SWEEP_STATES.has(s.state)) : [],
      gasTanks: gasTanks.ok ? gasTanks.data : [],
      alerts: alerts.ok ? alerts.data : [],
    });
  }, []);
  useEffect(() => {
    void load();
    // Coins sent to a gas tank from outside raise no event: the tanks are read again every half minute.
    const every = setInterval(() => void load(), 30_000);
    return () => {
      clearInterval(every);
      if (timer.current) clearTimeout(timer.current);
    };
  }, [load]);
  useEngineEvents((event) => {
    if (event.type === 'deposit.seen' || event.type === 'deposit.confirmed' || event.type === 'withdrawal.status' || event.type === 'ramp.status' || event.type === 'balance.changed' || event.type === 'alert.raised' || event.type === 'alert.acknowledged' || event.type === 'sweep.status') {
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void load(), 300);
    }
  });

  if (error) return <ErrorState error={error} onRetry={() => void load()} />;
  if (!queues) return <Loading what="queues" />;
  return (
    <div className="stack">
      {queues.alerts.length > 0 && (
        <section className="card card--alert" aria-labelledby="alerts-title" data-testid="dashboard-alerts">
          <h2 id="alerts-title">Needs attention</h2>
          <ul className="plain-list">
            {queues.alerts.map((alert) => (
              <li key={alert.id}>
                <strong className="bad">{alert.title}</strong> {alert.message} <span className="muted small">{new Date(alert.lastRaisedAt).toLocaleString()}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <div className="grid grid--queues">
        <section className="card" aria-labelledby="deposits-title" data-testid="dashboard-deposits">
          <div className="card__head">
            <h2 id="deposits-title">Deposits confirming</h2>
            <span className="count">{queues.deposits.length}</span>
          </div>
          {queues.deposits.length === 0 ? (
            <p className="muted">No deposit waiting for confirmations.</p>
          ) : (
            <table>
              <tbody>
                {queues.deposits.slice(0, SHOWN).map((d) => (
                  <tr key={d.id}>
                    <td>{CHAIN_LABELS[d.chain]}</td>
                    <td className="num">
                      <Amount value={d.amount} assetId={d.assetId} />
                    </td>
                    <td className="num muted">
                      {confirmationsOf(d)} confirmations
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="card" aria-labelledby="withdrawal-queue-title" data-testid="dashboard-withdrawals">
          <div className="card__head">
            <h2 id="withdrawal-queue-title">Withdrawals waiting</h2>
            <button type="button" className="link" onClick={() => go('withdrawals')}>
              Open queue →
            </button>
          </div>
          <dl>
            <dt>Awaiting approval</dt>
            <dd className={queues.awaitingApproval.length > 0 ? 'strong' : 'muted'} data-testid="dashboard-awaiting-approval">
              {queues.awaitingApproval.length}
            </dd>
            <dt>Awaiting signature</dt>
            <dd className={queues.awaitingSignature.length > 0 ? 'strong' : 'muted'} data-testid="dashboard-awaiting-signature">
              {queues.awaitingSignature.length}
            </dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="sweeps-title" data-testid="dashboard-sweeps">
          <div className="card__head">
            <h2 id="sweeps-title">Sweep queue</h2>
            <span className="count">{queues.sweeps.length}</span>
          </div>
          {queues.sweeps.length === 0 ? (
            <p className="muted">Nothing to sweep right now.</p>
          ) : (
            <table>
              <tbody>
                {queues.sweeps.slice(0, SHOWN).map((s) => (
                  <tr key={s.id}>
                    <td>{CHAIN_LABELS[s.chain]}</td>
                    <td className="num">
                      {s.strayReturn ? (
                        // A token outside the registry has no registry entry to format it: the return names it.
                        <span title="Unidentified funds going back to their sender">{amountInWords(s.amount, s.strayReturn)}, back to the sender</span>
                      ) : (
                        <Amount value={s.amount} assetId={s.assetId} />
                      )}
                      {s.kind === 'gas_return' && <span className="muted small"> gas change back to the tank</span>}
                    </td>
                    <td className="num muted small" title="The network fee this sweep expects to pay">
                      {s.expectedFee && queues.gasTanks.some((g) => g.chain === s.chain) && (
                        <>
                          fee <Amount value={s.expectedFee} assetId={queues.gasTanks.find((g) => g.chain === s.chain)!.nativeAssetId} />
                        </>
                      )}
                    </td>
                    <td className={s.state === 'waiting' ? 'bad small' : 'muted small'}>
                      {s.state}
                      {s.waitReason && ` (${WAIT_WORDS[s.waitReason]})`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <GasTanks tanks={queues.gasTanks} onChanged={() => void load()} />
      </div>
    </div>
  );
}
