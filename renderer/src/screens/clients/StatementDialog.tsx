import { useState, type FormEvent } from 'react';
import type { IssuedStatement, StatementFormat, StatementVerification } from '@shared/domain/statements';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { Dialog } from '../../components/Dialog';
import { ErrorState } from '../../components/States';
import { SubmitActions } from '../../components/SubmitActions';
import { downloadFile, fromBase64, sha256Hex } from '../../download';

const today = () => new Date().toISOString().slice(0, 10);
const firstOfMonth = () => `${today().slice(0, 8)}01`;
const MEDIA: Record<StatementFormat, string> = { pdf: 'application/pdf', csv: 'text/csv' };

/**
 * A client's statement for a period, as PDF or CSV, downloaded by the window. The engine records each issued
 * file's SHA-256 in the audit log; "Check a copy" hashes a file here and asks whether the books issued it.
 */
export function StatementDialog({ clientId, clientName, onClose }: { clientId: string; clientName: string; onClose(): void }) {
  const [from, setFrom] = useState(firstOfMonth());
  const [to, setTo] = useState(today());
  const [format, setFormat] = useState<StatementFormat>('pdf');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [issued, setIssued] = useState<IssuedStatement | null>(null);
  const [check, setCheck] = useState<{ name: string; verdict: StatementVerification } | null>(null);
  const periodProblem = from && to && from > to ? 'The period must start on or before its last day.' : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (periodProblem) return;
    setPending(true);
    setError(null);
    const result = await treasury.statements.issue({ clientId, from, to, format });
    setPending(false);
    if (!result.ok) return setError(result.error);
    setIssued(result.data);
    downloadFile(fromBase64(result.data.content), result.data.fileName, MEDIA[result.data.format]);
  };

  const verify = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    const result = await treasury.statements.verify({ sha256: await sha256Hex(file) });
    if (result.ok) setCheck({ name: file.name, verdict: result.data });
    else setError(result.error);
  };

  return (
    <Dialog title={`Statement for ${clientName}`} onClose={onClose} testId="statement-dialog">
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <p className="muted">Every movement of each asset in the period, between its opening and closing balances. Days are counted in UTC.</p>
        <div className="toolbar">
          <label className="field">
            <span>From</span>
            <input type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} required data-testid="statement-from" />
          </label>
          <label className="field">
            <span>To (included)</span>
            <input type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} required aria-invalid={periodProblem !== null} data-testid="statement-to" />
          </label>
          <label className="field">
            <span>Format</span>
            <select value={format} onChange={(e) => setFormat(e.target.value as StatementFormat)} data-testid="statement-format">
              <option value="pdf">PDF</option>
              <option value="csv">CSV (spreadsheet)</option>
            </select>
          </label>
        </div>
        {periodProblem && <p className="bad">{periodProblem}</p>}
        {issued && (
          <div className="notice" role="status" data-testid="statement-issued">
            <strong>Downloaded {issued.fileName}</strong> ({Math.max(1, Math.round(issued.bytes / 1024))} KiB). Its fingerprint is recorded in the audit log, so a copy
            can be checked later:
            <div>
              SHA-256 <code className="wrap">{issued.sha256}</code>
            </div>
          </div>
        )}
        <SubmitActions
          pending={pending}
          error={error}
          disabled={periodProblem !== null || !from || !to}
          onCancel={onClose}
          label={{ idle: issued ? 'Download again' : 'Issue and download', pending: 'Preparing the statement…' }}
          testId="statement-issue"
        />
      </form>
      <section className="stack dialog__body statement-check" aria-labelledby="statement-check-title">
        <h3 id="statement-check-title">Check a copy</h3>
        <p className="muted small">Its SHA-256 is computed here and looked up in the audit log; the file itself is not sent anywhere.</p>
        <label className="field">
          <span>A statement file someone handed you</span>
          <input type="file" accept=".pdf,.csv" onChange={(e) => void verify(e.target.files?.[0])} data-testid="statement-check-file" />
        </label>
        {check && (
          <p className={check.verdict.issued ? 'ok' : 'bad'} data-testid="statement-check-result">
            {check.verdict.issued
              ? `${check.name} was issued by these books on ${new Date(check.verdict.issuedAt!).toLocaleString()} by ${check.verdict.issuedBy}: the statement of ${check.verdict.clientName} for ${check.verdict.from} to ${check.verdict.to}.`
              : `${check.name} is not a statement these books issued: it was changed, or it comes from somewhere else.`}
          </p>
        )}
      </section>
    </Dialog>
  );
}
