import { useCallback, useEffect, useState } from 'react';
import type { DenyListRowProblem, DenyListVersionView } from '@shared/domain/screening';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { useSystem } from '../../store/system';

/**
 * Destination screening: the officer imports the deny list as a CSV file (chain, address, source); every
 * import replaces the list and becomes a new version, which each withdrawal and whitelisting records. A file
 * with one bad line is refused whole, its lines named.
 */
export function DenyListCard() {
  const [versions, setVersions] = useState<DenyListVersionView[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [importError, setImportError] = useState<AppError | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [pending, setPending] = useState(false);
  const [imported, setImported] = useState<DenyListVersionView | null>(null);
  const role = useSystem((s) => s.session?.session?.operator.role);
  const mayImport = role === 'admin' || role === 'officer';

  const load = useCallback(async () => {
    const result = await treasury.policy.denyListVersions({});
    if (result.ok) {
      setVersions(result.data);
      setError(null);
    } else setError(result.error);
  }, []);
  useEffect(() => void load(), [load]);

  const submit = async () => {
    if (!file) return;
    setPending(true);
    setImportError(null);
    setImported(null);
    const result = await treasury.policy.denyListImport({ fileName: file.name.slice(0, 120) || 'deny-list.csv', csv: await file.text() });
    setPending(false);
    if (result.ok) {
      setImported(result.data);
      setFile(null);
      void load();
    } else setImportError(result.error);
  };
  const problems = (importError?.details as { rows?: DenyListRowProblem[] } | undefined)?.rows ?? [];

  return (
    <section className="card" aria-labelledby="deny-list-title" data-testid="settings-deny-list">
      <h2 id="deny-list-title">Deny list</h2>
      <p className="muted small">
        Every withdrawal and whitelisting is screened against the newest list: a listed destination is refused and raises an alert. Import a CSV
        file whose first line is <code>chain,address,source</code> (chain: polygon, bsc or tron). Each import replaces the whole list.
      </p>
      {mayImport && (
        <form
          className="row-form row-form--file"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <label className="field">
            <span>List file (CSV)</span>
            <input type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="deny-list-file" />
          </label>
          <button type="submit" disabled={!file || pending} data-testid="deny-list-import">
            {pending ? 'Checking every line…' : 'Import'}
          </button>
        </form>
      )}
      {importError && <ErrorState error={importError} />}
      {problems.length > 0 && (
        <ul className="small" data-testid="deny-list-problems">
          {problems.map((p) => (
            <li key={p.row}>
              Line {p.row}: {p.message}
            </li>
          ))}
        </ul>
      )}
      {imported && (
        <p className="notice" role="status">
          Version {imported.version} is in force: {imported.entryCount.toLocaleString()} addresses from {imported.fileName}.
        </p>
      )}
      {error && <ErrorState error={error} onRetry={() => void load()} />}
      {!versions && !error && <Loading what="the deny list" />}
      {versions && versions.length === 0 && <EmptyState title="No deny list imported yet">Destinations are screened once a list is imported.</EmptyState>}
      {versions && versions.length > 0 && (
        <table data-testid="deny-list-versions">
          <thead>
            <tr>
              <th className="num">Version</th>
              <th>File</th>
              <th className="num">Addresses</th>
              <th>Imported by</th>
              <th>When</th>
              <th>SHA-256 of the file</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v, i) => (
              <tr key={v.version}>
                <td className="num">
                  {v.version} {i === 0 && <span className="badge">in force</span>}
                </td>
                <td>{v.fileName}</td>
                <td className="num">{v.entryCount.toLocaleString()}</td>
                <td>{v.importedBy}</td>
                <td>{new Date(v.importedAt).toLocaleString()}</td>
                <td>
                  <code className="small" title={v.sha256}>
                    {v.sha256.slice(0, 16)}…
                  </code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
