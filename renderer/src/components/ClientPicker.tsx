import { useEffect, useState } from 'react';
import type { ClientView, KycStatus } from '@shared/domain/clients';
import { treasury } from '../api';

/**
 * Picks a client by name from the list (newest first; closed clients left out). `kycStatus` narrows it (the ramps
 * take verified clients only); `none` is the empty choice's words.
 */
export function ClientPicker(props: {
  value: string;
  onChange(clientId: string): void;
  label: string;
  none: string;
  kycStatus?: KycStatus;
  testId?: string;
}) {
  const [clients, setClients] = useState<ClientView[] | null>(null);
  useEffect(() => {
    let live = true;
    void treasury.clients.list({ kycStatus: props.kycStatus, limit: 500 }).then((result) => {
      if (live) setClients(result.ok ? result.data.items.filter((c) => c.closedAt === null) : []);
    });
    return () => {
      live = false;
    };
  }, [props.kycStatus]);
  const empty = clients === null ? 'Loading clients…' : clients.length === 0 && props.kycStatus === 'verified' ? 'No verified client yet' : props.none;
  return (
    <label className="field">
      <span>{props.label}</span>
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)} data-testid={props.testId}>
        <option value="">{empty}</option>
        {clients?.map((c) => (
          <option key={c.id} value={c.id}>
            {c.legalName}
          </option>
        ))}
      </select>
    </label>
  );
}
