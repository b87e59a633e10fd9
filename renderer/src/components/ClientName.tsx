import { useClientName } from '../store/names';

/** A client by legal name wherever a row carries only the id. */
export function ClientName({ clientId }: { clientId: string | null }) {
  const name = useClientName(clientId);
  if (!clientId) return <span className="muted">—</span>;
  return <>{name ?? '…'}</>;
}
