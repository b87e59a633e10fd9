import { useEffect, useState } from 'react';
import { KYC_STATUSES, type ClientView, type KycStatus } from '@shared/domain/clients';
import { treasury } from '../api';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { VirtualTable } from '../components/VirtualTable';
import { useClientScreen } from '../store/clients';
import { usePagedList } from '../store/paged-list';
import { ClientDetail } from './clients/ClientDetail';
import { BusinessFormDialog } from './clients/BusinessFormDialog';
import { ClientFormDialog } from './clients/ClientFormDialog';
import { ClientKindDialog } from './clients/ClientKindDialog';
import { countryName } from '@shared/reference/countries';
import type { ClientKind } from '@shared/reference/countries';
import { KycBadge } from './clients/KycBadge';

export function Clients() {
  const { clientId, back } = useClientScreen();
  return clientId ? <ClientDetail key={clientId} clientId={clientId} onBack={back} /> : <ClientList />;
}

function ClientList() {
  const { kycStatus, search, filter, open } = useClientScreen();
  const [searchText, setSearchText] = useState(search);
  const [creating, setCreating] = useState<ClientKind | 'choose' | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => filter({ search: searchText.trim() }), 250);
    return () => clearTimeout(timer);
  }, [searchText, filter]);

  const clients = usePagedList<ClientView>(`${kycStatus}|${search}`, (cursor) =>
    treasury.clients.list({ kycStatus: kycStatus || undefined, search: search || undefined, cursor, limit: 200 }),
  );
  const filtered = kycStatus !== '' || search !== '';

  return (
    <div className="stack">
      <div className="toolbar" role="search">
        <label className="field field--grow">
          <span>Find by whole name words, email, tax id or document number</span>
          <input type="search" value={searchText} onChange={(e) => setSearchText(e.target.value)} data-testid="clients-search" />
        </label>
        <label className="field">
          <span>KYC status</span>
          <select value={kycStatus} onChange={(e) => filter({ kycStatus: e.target.value as KycStatus | '' })} data-testid="clients-filter-kyc">
            <option value="">Any status</option>
            {KYC_STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => setCreating('choose')} data-testid="clients-new">
          New client
        </button>
      </div>
      {clients.error && <ErrorState error={clients.error} onRetry={clients.reload} />}
      {clients.loading ? (
        <Loading what="clients" />
      ) : clients.items.length === 0 && !clients.error ? (
        filtered ? (
          <EmptyState title="No client matches these filters" />
        ) : (
          <EmptyState title="No clients yet">Register a client with New client, then collect their KYC documents.</EmptyState>
        )
      ) : (
        <VirtualTable
          label="Clients"
          rows={clients.items}
          rowKey={(c) => c.id}
          template="minmax(200px, 2fr) 150px minmax(160px, 1.4fr) 140px 160px"
          columns={[
            {
              header: 'Legal name',
              cell: (c) =>
                c.erasedAt ? (
                  <span className="muted">Erased client</span>
                ) : (
                  <>
                    <strong>{c.legalName}</strong>
                    {c.kind === 'business' && <span className="muted small"> · business</span>}
                  </>
                ),
            },
            { header: 'KYC', cell: (c) => <KycBadge status={c.kycStatus} /> },
            { header: 'Email', cell: (c) => c.email ?? <span className="muted">—</span> },
            {
              header: 'Country',
              cell: (c) => {
                const code = c.kind === 'business' ? c.business?.incorporationCountry : c.nationality;
                return code ? countryName(code) : <span className="muted">—</span>;
              },
            },
            { header: 'Since', cell: (c) => new Date(c.createdAt).toLocaleDateString() },
          ]}
          hasMore={clients.hasMore}
          loadingMore={clients.loadingMore}
          onNeedMore={clients.loadMore}
          onOpen={(c) => open(c.id)}
          noun={['client', 'clients']}
          testId="clients-table"
          rowTestId="client-row"
        />
      )}
      {creating === 'choose' && <ClientKindDialog onClose={() => setCreating(null)} onChoose={setCreating} />}
      {creating === 'individual' && (
        <ClientFormDialog
          onClose={() => setCreating(null)}
          onSaved={(client) => {
            setCreating(null);
            open(client.id);
          }}
        />
      )}
      {creating === 'business' && (
        <BusinessFormDialog
          onClose={() => setCreating(null)}
          onSaved={(client) => {
            setCreating(null);
            open(client.id);
          }}
        />
      )}
    </div>
  );
}
