import { useState } from 'react';
import type { BundleExport, BundleVerification, ExportedFile } from '@shared/domain/audit';
import type { AppError, Result } from '@shared/result';
import { treasury } from '../api';
import { ErrorState } from '../components/States';
import { ExportFile } from '../components/ExportFile';
import { Address } from '../components/Address';
import { Findings } from './Audit';
import { findingCount } from '../words/audit-findings';

/** What the auditor takes away: the bundle (with the manifest hash and head to write down), CSV and PDF; and a bundle check. */
export function AuditExports() {
  const [includeDocuments, setIncludeDocuments] = useState(false);
  const [includePersonalData, setIncludePersonalData] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [bundle, setBundle] = useState<BundleExport | null>(null);
  const [files, setFiles] = useState<ExportedFile[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const [path, setPath] = useState('');
  const [anchor, setAnchor] = useState('');
  const [verification, setVerification] = useState<BundleVerification | null>(null);

  async function run<T>(name: string, work: () => Promise<Result<T>>, done: (data: T) => void) {
    setBusy(name);
    setError(null);
    const result = await work();
    setBusy(null);
    if (result.ok) done(result.data);
    else setError(result.error);
  }

  const anchorParts = /^([1-9][0-9]*):([0-9a-f]{64})$/.exec(anchor.trim());
  return (
    <section className="card">
      <h2>Exports</h2>
      <div className="toolbar audit-exports">
        <label>
          <input type="checkbox" checked={includeDocuments} onChange={(e) => setIncludeDocuments(e.target.checked)} /> Include KYC files (not only their hashes)
        </label>
        <label title="Without it, clients appear by id and keyed pseudonyms only, and KYC files stay sealed.">
          <input type="checkbox" checked={includePersonalData} onChange={(e) => setIncludePersonalData(e.target.checked)} data-testid="audit-export-personal" /> Client personal data in clear
        </label>
      </div>
      <div className="toolbar audit-exports">
        <button type="button" disabled={busy !== null} data-testid="audit-export-bundle" onClick={() => void run('bundle', () => treasury.audit.exportBundle({ includeDocuments, includePersonalData }), setBundle)}>
          {busy === 'bundle' ? 'Exporting…' : 'Audit bundle'}
        </button>
        <button type="button" disabled={busy !== null} onClick={() => void run('transfers', () => treasury.audit.exportCsv({ kind: 'transfers' }), (f) => setFiles((x) => [f, ...x]))}>
          Transfers CSV
        </button>
        <button type="button" disabled={busy !== null} onClick={() => void run('balances', () => treasury.audit.exportCsv({ kind: 'balances' }), (f) => setFiles((x) => [f, ...x]))}>
          Balances CSV
        </button>
        <button type="button" disabled={busy !== null} onClick={() => void run('report', () => treasury.audit.exportReport({}), (f) => setFiles((x) => [f, ...x]))}>
          PDF report
        </button>
      </div>
      {error && <ErrorState error={error} />}
      {bundle && (
        <dl data-testid="audit-bundle">
          <dt>Bundle</dt>
          <dd>
            <ExportFile file={bundle.file} detail={`${Math.round(bundle.bytes / 1024)} KiB, ${bundle.parts.length} parts, ${(bundle.milliseconds / 1000).toFixed(1)} s`} testId="audit-bundle-file" />
          </dd>
          <dt>Manifest SHA-256</dt>
          <dd>
            <Address value={bundle.manifestSha256} /> <span className="muted small">give it to the auditor by another route</span>
          </dd>
          <dt>Audit head</dt>
          <dd>
            <Address value={`${bundle.auditHead.seq}:${bundle.auditHead.hash}`} /> <span className="muted small">write it down: later bundles must contain it</span>
          </dd>
        </dl>
      )}
      {files.map((f) => (
        <ExportFile key={f.file} file={f.file} detail={`${Math.max(1, Math.round(f.bytes / 1024))} KiB · SHA-256 ${f.sha256.slice(0, 12)}…`} testId="audit-export-file" />
      ))}
      <h3 className="audit-exports__verify">Verify a bundle</h3>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          void run('verify', () => treasury.audit.verifyBundle({ file: path.trim(), ...(anchorParts ? { anchor: { seq: Number(anchorParts[1]), hash: anchorParts[2]! } } : {}) }), setVerification);
        }}
      >
        <label className="field" style={{ flex: 2 }}>
          <span>Bundle file (absolute path)</span>
          <input value={path} onChange={(e) => setPath(e.target.value)} required />
        </label>
        <label className="field" style={{ flex: 2 }}>
          <span>Head written down earlier (seq:hash, optional)</span>
          <input value={anchor} onChange={(e) => setAnchor(e.target.value)} aria-invalid={anchor.trim() !== '' && !anchorParts} />
        </label>
        <button type="submit" disabled={busy !== null}>
          {busy === 'verify' ? 'Verifying…' : 'Verify'}
        </button>
      </form>
      {verification && (
        <>
          <p className={verification.ok ? 'ok' : 'bad'}>
            {verification.ok
              ? `Verified: ${verification.counts.auditRecords} audit records, ${verification.counts.transfers} transfers, ${verification.counts.documents} documents (${(verification.milliseconds / 1000).toFixed(1)} s).`
              : `The bundle did not verify: ${findingCount(verification.findingsTotal, verification.findings.length)}.`}
          </p>
          <Findings findings={verification.findings} />
        </>
      )}
    </section>
  );
}
