import { useCallback, useEffect, useState } from 'react';
import { CHAIN_LABELS } from '@shared/domain/chains';
import type { BankAccountView, ClientView } from '@shared/domain/clients';
import type { WalletView } from '@shared/domain/wallets';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { Amount } from '../../components/Amount';
import { EntityHistory } from '../../components/EntityHistory';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { formatPostalAddress } from '../../forms/postal-address';
import { ReasonDialog } from '../../forms/ReasonDialog';
import { countryName, identificationLabel } from '@shared/reference/countries';
import { formatOwnership } from '@shared/validation/business';
import { useClientScreen } from '../../store/clients';
import { useNavigation } from '../../store/navigation';
import { useWalletScreen } from '../../store/wallets';
import { StatusBadge } from '../wallets/StatusBadge';
import { AssociateWalletDialog } from './AssociateWalletDialog';
import { BankAccountDialog } from './BankAccountDialog';
import { BusinessFormDialog } from './BusinessFormDialog';
import { BusinessSections } from './BusinessSections';
import { ClientFormDialog } from './ClientFormDialog';
import { DocumentDialog } from './DocumentDialog';
import { KycBadge } from './KycBadge';

type Modal =
  | { kind: 'edit' }
  | { kind: 'reject' }
  | { kind: 'suspend' }
  | { kind: 'bank' }
  | { kind: 'verifyBank'; account: BankAccountView }
  | { kind: 'disableBank'; account: BankAccountView }
  | { kind: 'document'; which: 'identity' | 'address' }
  | { kind: 'wallet' }
  | null;

export function ClientDetail({ clientId, onBack }: { clientId: string; onBack(): void }) {
  const [client, setClient] = useState<ClientView | null>(null);
  const [accounts, setAccounts] = useState<BankAccountView[] | null>(null);
  const [wallets, setWallets] = useState<WalletView[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [modal, setModal] = useState<Modal>(null);
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    const [c, b, w] = await Promise.all([
      treasury.clients.get({ clientId }),
      treasury.clients.bankAccounts({ clientId }),
      treasury.clients.wallets({ clientId }),
    ]);
    if (c.ok) setClient(c.data);
    else setError(c.error);
    if (b.ok) setAccounts(b.data);
    if (w.ok) setWallets(w.data);
  }, [clientId]);
  useEffect(() => void load(), [load]);

  const changed = (message: string) => {
    setModal(null);
    setNotice(message);
    setError(null);
    setVersion((v) => v + 1);
    void load();
  };
  const act = async (call: () => Promise<{ ok: boolean; error?: AppError }>, message: string) => {
    const result = await call();
    if (result.ok) changed(message);
    else if (result.error) setError(result.error);
  };

  if (!client && error) {
    return (
      <div className="stack">
        <BackLink onBack={onBack} />
        <ErrorState error={error} onRetry={() => void load()} />
      </div>
    );
  }
  if (!client) return <Loading what="client" />;

  const status = client.kycStatus;
  return (
    <div className="stack" data-testid="client-detail">
      <BackLink onBack={onBack} />
      <header className="detail-head">
        <div>
          <h2 className="detail-head__title" data-testid="client-name">
            {client.legalName}
          </h2>
          <div className="muted">
            {client.kind === 'business' ? 'Business client' : 'Client'} since {new Date(client.createdAt).toLocaleDateString()}
          </div>
          <OwnerOf client={client} />
        </div>
        <KycBadge status={status} />
        <span className="spacer" />
        <div className="actions">
          {(status === 'draft' || status === 'rejected') && (
            <>
              <button type="button" className="secondary" onClick={() => setModal({ kind: 'edit' })} data-testid="client-edit">
                Edit details
              </button>
              <button type="button" onClick={() => void act(() => treasury.clients.submitKyc({ clientId }), 'KYC submitted for review.')} data-testid="kyc-submit">
                Submit for KYC review
              </button>
            </>
          )}
          {status === 'submitted' && (
            <>
              <button type="button" className="secondary" onClick={() => setModal({ kind: 'reject' })} data-testid="kyc-reject">
                Reject
              </button>
              <button type="button" onClick={() => void act(() => treasury.clients.verifyKyc({ clientId }), 'KYC verified.')} data-testid="kyc-verify">
                Verify KYC
              </button>
            </>
          )}
          {status === 'verified' && (
            <button type="button" className="secondary" onClick={() => setModal({ kind: 'suspend' })} data-testid="kyc-suspend">
              Suspend
            </button>
          )}
          {status === 'suspended' && (
            <button type="button" onClick={() => void act(() => treasury.clients.reinstateKyc({ clientId }), 'KYC reinstated.')} data-testid="kyc-reinstate">
              Reinstate
            </button>
          )}
        </div>
      </header>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {error && <ErrorState error={error} />}
      {status === 'rejected' && client.rejectionReason && <p className="callout">Rejected: {client.rejectionReason}</p>}

      {client.kind === 'business' ? (
        <BusinessSections client={client} onChanged={changed} />
      ) : (
      <div className="detail-grid">
        <section className="card" aria-labelledby="kyc-data-title">
          <h3 id="kyc-data-title">KYC data</h3>
          <dl>
            <dt>Date of birth</dt>
            <dd>{client.dateOfBirth ?? <Missing />}</dd>
            <dt>Nationality</dt>
            <dd>{client.nationality ? countryName(client.nationality) : <Missing />}</dd>
            <dt>Email</dt>
            <dd>{client.email ?? <Missing />}</dd>
            <dt>Phone</dt>
            <dd>{client.phone ?? <Missing />}</dd>
            <dt>Address</dt>
            <dd>
{client.address ? formatPostalAddress(client.address) : <Missing />}
            </dd>
            <dt>Tax id</dt>
            <dd>
              {client.taxId ? (
                <>
                  {identificationLabel(client.taxId.country, client.taxId.kind)} <code>{client.taxId.value}</code> ({countryName(client.taxId.country)})
                </>
              ) : (
                <Missing />
              )}
            </dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="documents-title">
          <div className="card__head">
            <h3 id="documents-title">Documents</h3>
          </div>
          <dl>
            <dt>Identity document</dt>
            <dd data-testid="client-identity-document">
              {client.identityDocument ? (
                <>
                  {client.identityDocument.type.replace(/_/g, ' ')} <code>{client.identityDocument.number}</code> ({countryName(client.identityDocument.issuingCountry)}),
                  expires {client.identityDocument.expiresOn}
                  <div className="muted small">
                    front sha256 <code>{client.identityDocument.front.sha256.slice(0, 16)}…</code>
                    {client.identityDocument.back && <> · back on file</>}
                  </div>
                </>
              ) : (
                <Missing />
              )}
            </dd>
            <dt>Proof of address</dt>
            <dd data-testid="client-proof-of-address">
              {client.proofOfAddress ? (
                <>
                  issued {client.proofOfAddress.issuedOn}
                  <div className="muted small">
                    sha256 <code>{client.proofOfAddress.file.sha256.slice(0, 16)}…</code>
                  </div>
                </>
              ) : (
                <Missing />
              )}
            </dd>
          </dl>
          <div className="actions actions--start" style={{ marginTop: 12 }}>
            <button type="button" className="secondary" onClick={() => setModal({ kind: 'document', which: 'identity' })} data-testid="client-add-identity">
              Add identity document…
            </button>
            <button type="button" className="secondary" onClick={() => setModal({ kind: 'document', which: 'address' })} data-testid="client-add-address-proof">
              Add proof of address…
            </button>
          </div>
        </section>
      </div>
      )}

      <section className="card" aria-labelledby="bank-title">
        <div className="card__head">
          <h3 id="bank-title">Bank accounts</h3>
          <button type="button" className="secondary" onClick={() => setModal({ kind: 'bank' })} data-testid="client-add-bank">
            Add bank account
          </button>
        </div>
        {accounts === null ? (
          <Loading what="bank accounts" />
        ) : accounts.length === 0 ? (
          <EmptyState title="No bank account yet">Off-ramps pay out only to a verified account in the client's name.</EmptyState>
        ) : (
          <table data-testid="client-bank-accounts">
            <thead>
              <tr>
                <th>Rail</th>
                <th>Holder</th>
                <th>Account</th>
                <th>Currencies</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {accounts.map((account) => (
                <tr key={account.id}>
                  <td>{account.rail.toUpperCase().replace('_', ' ')}</td>
                  <td>{account.holderName}</td>
                  <td>
                    <code>{account.identifier}</code>
                  </td>
                  <td>{account.currencies.join(', ')}</td>
                  <td>
                    <span className={account.status === 'verified' ? 'badge badge--active' : account.status === 'disabled' ? 'badge badge--closed' : 'badge badge--suspended'}>
                      {account.status}
                    </span>
                    {account.verifiedBy && <div className="muted small">by {account.verifiedBy}</div>}
                  </td>
                  <td className="num">
                    {account.status === 'unverified' && (
                      <button type="button" className="secondary" onClick={() => setModal({ kind: 'verifyBank', account })} data-testid="bank-verify">
                        Verify…
                      </button>
                    )}
                    {account.status !== 'disabled' && (
                      <button type="button" className="secondary" onClick={() => setModal({ kind: 'disableBank', account })}>
                        Disable…
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <div className="detail-grid">
        <section className="card" aria-labelledby="client-wallets-title">
          <div className="card__head">
            <h3 id="client-wallets-title">Wallets</h3>
            <button type="button" className="secondary" onClick={() => setModal({ kind: 'wallet' })} data-testid="client-associate-wallet">
              Associate wallet
            </button>
          </div>
          <ClientWallets wallets={wallets} />
        </section>
        <section className="card" aria-labelledby="client-history-title">
          <h3 id="client-history-title">Status history</h3>
          <EntityHistory entityType="client" entityId={clientId} version={version} testId="client-history" />
        </section>
      </div>

      {modal?.kind === 'edit' &&
        (client.kind === 'business' ? (
          <BusinessFormDialog client={client} onClose={() => setModal(null)} onSaved={() => changed('Company details saved.')} />
        ) : (
          <ClientFormDialog client={client} onClose={() => setModal(null)} onSaved={() => changed('Client details saved.')} />
        ))}
      {modal?.kind === 'reject' && (
        <ReasonDialog
          title="Reject KYC"
          explanation="The client goes back to be corrected and resubmitted. Say what is wrong."
          confirmLabel="Reject KYC"
          onSubmit={(reason) => treasury.clients.rejectKyc({ clientId, reason })}
          onDone={() => changed('KYC rejected.')}
          onClose={() => setModal(null)}
        />
      )}
      {modal?.kind === 'suspend' && (
        <ReasonDialog
          title="Suspend client"
          explanation="A suspended client cannot start ramps until reinstated."
          confirmLabel="Suspend"
          onSubmit={(reason) => treasury.clients.suspendKyc({ clientId, reason })}
          onDone={() => changed('Client suspended.')}
          onClose={() => setModal(null)}
        />
      )}
      {modal?.kind === 'verifyBank' && (
        <ReasonDialog
          title={`Verify ${modal.account.identifier}`}
          explanation="Record how ownership was confirmed (e.g. bank statement, micro-deposit reference)."
          confirmLabel="Mark verified"
          testId="bank-verify-dialog"
          onSubmit={(evidence) => treasury.clients.verifyBankAccount({ bankAccountId: modal.account.id, evidence })}
          onDone={() => changed('Bank account verified.')}
          onClose={() => setModal(null)}
        />
      )}
      {modal?.kind === 'disableBank' && (
        <ReasonDialog
          title={`Disable ${modal.account.identifier}`}
          explanation="A disabled account receives no more payouts."
          confirmLabel="Disable account"
          onSubmit={(reason) => treasury.clients.disableBankAccount({ bankAccountId: modal.account.id, reason })}
          onDone={() => changed('Bank account disabled.')}
          onClose={() => setModal(null)}
        />
      )}
      {modal?.kind === 'bank' && <BankAccountDialog client={client} onClose={() => setModal(null)} onSaved={() => changed('Bank account added.')} />}
      {modal?.kind === 'document' && (
        <DocumentDialog clientId={clientId} which={modal.which} onClose={() => setModal(null)} onSaved={() => changed('Document stored.')} />
      )}
      {modal?.kind === 'wallet' && (
        <AssociateWalletDialog clientId={clientId} onClose={() => setModal(null)} onSaved={() => changed('Wallet associated.')} />
      )}
    </div>
  );
}

/** A person listed as a beneficial owner links back to each business. */
function OwnerOf({ client }: { client: ClientView }) {
  const open = useClientScreen((s) => s.open);
  if (client.ownerOf.length === 0) return null;
  return (
    <div className="muted" data-testid="client-owner-of">
      Beneficial owner of{' '}
      {client.ownerOf.map((b, i) => (
        <span key={b.clientId}>
          {i > 0 && ', '}
          <button type="button" className="link" onClick={() => open(b.clientId)}>
            {b.legalName}
          </button>{' '}
          ({formatOwnership(b.ownershipBasisPoints)})
        </span>
      ))}
    </div>
  );
}

function Missing() {
  return <span className="muted">not given</span>;
}

function BackLink({ onBack }: { onBack(): void }) {
  return (
    <button type="button" className="link" onClick={onBack} data-testid="client-back">
      ← All clients
    </button>
  );
}

function ClientWallets({ wallets }: { wallets: WalletView[] | null }) {
  const go = useNavigation((s) => s.go);
  const openWallet = useWalletScreen((s) => s.open);
  if (wallets === null) return <Loading what="wallets" />;
  if (wallets.length === 0) return <p className="muted">No wallet belongs to this client yet.</p>;
  return (
    <table data-testid="client-wallets">
      <tbody>
        {wallets.map((wallet) => (
          <tr key={wallet.id}>
            <td>
              <button
                type="button"
                className="link"
                onClick={() => {
                  openWallet(wallet.id);
                  go('wallets');
                }}
              >
                {wallet.label}
              </button>
              <div className="muted small">{CHAIN_LABELS[wallet.chain]}</div>
            </td>
            <td>
              <StatusBadge status={wallet.status} />
            </td>
            <td className="num">
              {wallet.balances
                .filter((b) => b.posted !== '0')
                .map((b) => (
                  <div key={b.assetId}>
                    <Amount value={b.available} assetId={b.assetId} />
                  </div>
                ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
