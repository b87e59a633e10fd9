import { useEffect } from 'react';
import type { ChainReconciliationLine, IntegrityFinding } from '@shared/domain/audit';
import { Amount } from '../components/Amount';
import { ErrorState, Loading } from '../components/States';
import { useAudit } from '../store/audit';
import { AuditExports } from './AuditExports';
import { AuditExplain } from './AuditExplain';
import { AuditRecordRow } from './AuditRecordRow';
import { chainName } from '../words/names';
import { auditFindingWords, findingCount } from '../words/audit-findings';

/** The auditor's screen: integrity, reconciliation with the chains, the hash-chained log, explanations and exports. */
export function Audit() {
  const { mode, integrity, reconciliation, records, moreRecords, busy, error, loadMode, checkIntegrity, reconcile, loadRecords } = useAudit();
  useEffect(() => {
    void loadMode();
    void loadRecords(true);
  }, [loadMode, loadRecords]);
  if (!mode) return error ? <ErrorState error={error} onRetry={() => void loadMode()} /> : <Loading what="the audit trail" />;
  const snapshot = mode.mode === 'snapshot' ? mode : null;
  return (
    <div className="stack">
      {snapshot && (
        <section className="card" data-testid="audit-snapshot-banner" role="status" style={{ borderColor: snapshot.verification.ok ? '#f59e0b' : '#dc2626', background: '#fffbeb' }}>
          <h2>Offline review: a read-only snapshot, not the live treasury</h2>
          <dl>
            <dt>Bundle</dt>
            <dd><code>{snapshot.file}</code></dd>
            <dt>Exported</dt>
            <dd>{new Date(snapshot.createdAt).toLocaleString()} ({snapshot.profile} profile)</dd>
            <dt>Manifest SHA-256</dt>
            <dd><code>{snapshot.manifestSha256}</code></dd>
            <dt>Audit head</dt>
            <dd><code>{snapshot.auditHead.seq}: {snapshot.auditHead.hash}</code></dd>
            <dt>Verification</dt>
            <dd className={snapshot.verification.ok ? 'ok' : 'bad'}>
              {snapshot.verification.ok ? 'manifest, audit chain, ledger and documents verified' : `FAILED: ${findingCount(snapshot.verification.findingsTotal, snapshot.verification.findings.length)}`}
            </dd>
          </dl>
          {!snapshot.verification.ok && <Findings findings={snapshot.verification.findings} />}
        </section>
      )}
      {error && <ErrorState error={error} />}

      <section className="card">
        <div className="toolbar">
          <h2 style={{ flex: 1 }}>Integrity</h2>
          <button type="button" onClick={() => void checkIntegrity()} disabled={busy === 'integrity'} data-testid="audit-check">
            {busy === 'integrity' ? 'Checking…' : 'Check integrity'}
          </button>
        </div>
        {integrity ? (
          <>
            <p className={integrity.ok ? 'ok' : 'bad'} data-testid="audit-integrity-verdict">
              {integrity.ok
                ? `Everything holds: ${integrity.counts.auditRecords} audit records from genesis, ${integrity.counts.transfers} transfers against their records, ${integrity.counts.accounts} balances against their entries, ${integrity.counts.documents} KYC files against their hashes.`
                : `${findingCount(integrity.findingsTotal, integrity.findings.length)}.`}
            </p>
            <Findings findings={integrity.findings} />
          </>
        ) : (
          <p>Recomputes the audit chain, compares every transfer with its audit record and every balance with its entries, and hashes every KYC file.</p>
        )}
      </section>

      <section className="card">
        <div className="toolbar">
          <h2 style={{ flex: 1 }}>Reconciliation with the chains</h2>
          {!snapshot && (
            <button type="button" onClick={() => void reconcile()} disabled={busy === 'reconciliation'}>
              {busy === 'reconciliation' ? 'Reading the chains…' : 'Reconcile'}
            </button>
          )}
          {snapshot && (
            <button type="button" onClick={() => void reconcile()}>
              Show the bundle's reconciliation
            </button>
          )}
        </div>
        {reconciliation && <ReconciliationTable lines={reconciliation.lines} at={reconciliation.at} />}
      </section>

      <AuditExplain />
      {!snapshot && <AuditExports />}

      <section className="card">
        <h2>Audit log</h2>
        <table data-testid="audit-log">
          <thead>
            <tr>
              <th>#</th>
              <th>Time</th>
              <th>Operator</th>
              <th>Action</th>
              <th>Concerning</th>
            </tr>
          </thead>
          <tbody>
            {records.map((r) => (
              <AuditRecordRow key={r.seq} record={r} />
            ))}
          </tbody>
        </table>
        {moreRecords && (
          <button type="button" onClick={() => void loadRecords()} disabled={busy === 'records'}>
            Older records
          </button>
        )}
      </section>
    </div>
  );
}

/** Each finding in words with what to do; the engine's code and technical text stay for support (copyable). */
export function Findings({ findings }: { findings: IntegrityFinding[] }) {
  if (findings.length === 0) return null;
  return (
    <ul className="findings" data-testid="audit-findings">
      {findings.map((f, i) => {
        const words = auditFindingWords(f);
        return (
          <li key={i} data-code={f.code}>
            <strong className="bad">{words.title}</strong>
            {words.where.length > 0 && <> Where: {words.where.join(', ')}.</>}
            <div>{words.advice}</div>
            <small className="state__reference">
              Reference for support: {f.code}
              <button type="button" className="link" onClick={() => void navigator.clipboard?.writeText(`${f.code}: ${f.message}`)}>
                Copy the technical text
              </button>
            </small>
          </li>
        );
      })}
    </ul>
  );
}

function ReconciliationTable({ lines, at }: { lines: ChainReconciliationLine[]; at: string }) {
  return (
    <>
      <p>Read {new Date(at).toLocaleString()}. On chain: the holding wallet plus every unswept deposit address. Owed: client balances plus the company reserve.</p>
      <table data-testid="audit-reconciliation">
        <thead>
          <tr>
            <th>Asset</th>
            <th className="num">On chain</th>
            <th className="num">Owed</th>
            <th className="num">Difference</th>
            <th>Status and causes</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.assetId}>
              <td>{l.symbol} on {chainName(l.chain)}</td>
              <td className="num">{l.onChain.total === null ? <span className="bad">{l.onChain.error}</span> : <Amount value={l.onChain.total} assetId={l.assetId} />}</td>
              <td className="num"><Amount value={l.ledger.obligations} assetId={l.assetId} /></td>
              <td className="num">{l.difference === null ? '–' : <SignedAmount value={l.difference} assetId={l.assetId} />}</td>
              <td>
                <span className={l.status === 'balanced' || l.status === 'explained' ? 'ok' : 'bad'}>{l.status}</span>
                {l.causes.map((c, i) => (
                  <div key={i}>
                    {c.kind.replace('_', ' ')}: <SignedAmount value={c.amount} assetId={l.assetId} /> ({c.note})
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function SignedAmount({ value, assetId }: { value: string; assetId: string }) {
  return value.startsWith('-') ? <Amount value={value.slice(1)} assetId={assetId} signed="out" /> : <Amount value={value} assetId={assetId} signed={value === '0' ? undefined : 'in'} />;
}
