import { useEffect, useState } from 'react';
import type { ClientView } from '@shared/domain/clients';
import { treasury } from '../api';

/**
 * Picks a client by name (the list's first 500, newest first; the engine's search matches whole words only, so
 * the typing filters names here). Empty means "no client yet".
 */
export function ClientPicker(props: { value: string; onChange(clientId: string): void; testId?: string; label?: string }) {
  const [clients, setClients] = useState<ClientView[] | null>(null);
  useEffect(() => {
    let live = true;
    void treasury.clients.list({ limit: 500 }).then((result) => {
      if (live) setClients(result.ok ? result.data.items.filter((c) => c.closedAt === null) : []);
    });
    return () => {
      live = false;
    };
  }, []);
  return (
    <label className="field">
      <span>{props.label ?? 'Client'}</span>
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)} data-testid={props.testId} disabled={clients === null}>
        <option value="">{clients === null ? 'Loading clients…' : 'No client yet (associate later)'}</option>
        {clients?.map((c) => (
          <option key={c.id} value={c.id}>
            {c.legalName}
          </option>
        ))}
      </select>
    </label>
  );
}
