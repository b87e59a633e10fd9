import type { AuditRecordView } from '@shared/domain/audit';
import { useAssets } from '../store/assets';
import { useClientName, useWalletLabel } from '../store/names';
import { auditActionSentence, auditEntityKind } from '../words/audit-actions';
import { assetNameFromId } from '../words/names';

/** The ids a record's change names beside its entity, read leniently: older records may lack them. */
function context(record: AuditRecordView): { walletId: string | null; clientId: string | null; assetId: string | null; change: Record<string, unknown> } {
  let change: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(record.change);
    if (parsed && typeof parsed === 'object') change = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: nothing to add.
  }
  const text = (key: string) => (typeof change[key] === 'string' ? (change[key] as string) : null);
  const { type, id } = record.entity;
  return {
    walletId: type === 'wallet' ? id : text('walletId'),
    clientId: type === 'client' ? id : text('clientId'),
    assetId: type === 'asset' ? id : text('assetId'),
    change,
  };
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** One audit record as a line an officer reads: who did what to which named thing; codes and ids folded into Details. */
export function AuditRecordRow({ record: r }: { record: AuditRecordView }) {
  const ids = context(r);
  const wallet = useWalletLabel(ids.walletId);
  const client = useClientName(ids.clientId);
  const asset = useAssets((s) => (ids.assetId ? s.byId[ids.assetId] : undefined));
  const names = [
    ids.clientId ? (client ?? '…') : null,
    ids.walletId ? (wallet ? `wallet “${wallet}”` : '…') : null,
    ids.assetId ? assetNameFromId(ids.assetId, asset) : null,
  ].filter((n): n is string => n !== null);
  return (
    <tr data-testid="audit-record">
      <td className="num">{r.seq}</td>
      <td>{new Date(r.at).toLocaleString()}</td>
      <td>{r.operator}</td>
      <td data-testid="audit-action">{capital(auditActionSentence(r.action, ids.change))}</td>
      <td data-testid="audit-entity">
        <span className="muted">{capital(auditEntityKind(r.entity.type))}</span>
        {names.length > 0 && <> · {names.join(' · ')}</>}
        <details className="small muted">
          <summary>Details</summary>
          <code>{r.action}</code> · {r.entity.type} <code>{r.entity.id}</code> · hash <code>{r.hash.slice(0, 16)}…</code>
        </details>
      </td>
    </tr>
  );
}
