import { useEffect, useState } from 'react';
import type { AuditRecordView } from '@shared/domain/audit';
import type { AppError } from '@shared/result';
import { treasury } from '../api';
import { ErrorState, Loading } from './States';

/**
 * What happened to one record, oldest first, read from the hash-chained audit log: who did what and
 * when. `version` re-reads it after a change on screen.
 */
export function EntityHistory({ entityType, entityId, version, testId }: { entityType: string; entityId: string; version: number; testId?: string }) {
  const [records, setRecords] = useState<AuditRecordView[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  useEffect(() => {
    void treasury.audit.list({ entityType, entityId, limit: 200 }).then((result) => {
      if (result.ok) setRecords([...result.data].sort((a, b) => a.seq - b.seq));
      else setError(result.error);
    });
  }, [entityType, entityId, version]);
  if (error) return <ErrorState error={error} />;
  if (!records) return <Loading what="history" />;
  if (records.length === 0) return <p className="muted">No recorded changes yet.</p>;
  return (
    <ol className="timeline" data-testid={testId}>
      {records.map((record) => (
        <li key={record.seq} className="timeline__item">
          <span className="timeline__dot" aria-hidden />
          <div>
            <strong>{record.action.replace(/[._]/g, ' ')}</strong>
            <div className="muted small">
              {new Date(record.at).toLocaleString()} · by {record.operator} · audit #{record.seq}
            </div>
          </div>
        </li>
      ))}
    </ol>
  );
}
