import { useCallback, useEffect, useState } from 'react';
import { CHAIN_LABELS } from '@shared/domain/chains';
import type { BankAccountView, ClientView, ErasureRequestView, KycFileView } from '@shared/domain/clients';
import type { WalletView } from '@shared/domain/wallets';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { Amount } from '../../components/Amount';
import { EntityHistory } from '../../components/EntityHistory';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import type { ClientAction } from '@shared/domain/clients';
import { RISK_LEVELS, RISK_LEVEL_LABELS, type RiskLevel } from '@shared/domain/screening';
import { formatPostalAddress } from '../../forms/postal-address';
import { ReasonDialog } from '../../forms/ReasonDialog';
import { countryName, identificationLabel } from '@shared/reference/countries';
import { formatOwnership } from '@shared/validation/business';
import { useClientScreen } from '../../store/clients';
import { useNavigation } from '../../store/navigation';
import { useSystem } from '../../store/system';
import { useWalletScreen } from '../../store/wallets';
import { StatusBadge } from '../wallets/StatusBadge';
import { AssociateWalletDialog } from './AssociateWalletDialog';
import { BankAccountDialog } from './BankAccountDialog';
import { BusinessFormDialog } from './BusinessFormDialog';
import { BusinessSections } from './BusinessSections';
import { ClientFormDialog } from './ClientFormDialog';
import { DocumentDialog } from './DocumentDialog';
import { DocumentPreviewDialog } from './DocumentPreviewDialog';
import { KycBadge } from './KycBadge';
import { StatementDialog } from './StatementDialog';
import { railName } from '../../words/names';

type Modal =
  | { kind: 'edit' }
  | { kind: 'reject' }
  | { kind: 'suspend' }
  | { kind: 'bank' }
  | { kind: 'verifyBank'; account: BankAccountView }
  | { kind: 'disableBank'; account: BankAccountView }
  | { kind: 'document'; which: 'identity' | 'address' }
  | { kind: 'wallet' }
  | { kind: 'statement' }
  | { kind: 'close' }
  | { kind: 'requestErasure' }
  | { kind: 'decideErasure'; request: ErasureRequestView; approve: boolean }
  | { kind: 'risk'; level: RiskLevel }
  | { kind: 'preview'; title: string; file: KycFileView }
  | null;

export function ClientDetail({ clientId, onBack }: { clientId: string; onBack(): void }) {
  const [client, setClient] = useState<ClientView | null>(null);
  const [accounts, setAccounts] = useState<BankAccountView[] | null>(null);
  const [wallets, setWallets] = useState<WalletView[] | null>(null);
  const [erasures, setErasures] = useState<ErasureRequestView[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const [modal, setModal] = useState<Modal>(null);
  const role = useSystem((s) => s.session?.session?.operator.role);
  const canView = role === 'admin' || role === 'officer' || role === 'auditor';
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    const [c, b, w, e] = await Promise.all([
      treasury.clients.get({ clientId }),
      treasury.clients.bankAccounts({ clientId }),
      treasury.clients.wallets({ clientId }),
      treasury.clients.erasureRequests({ clientId }),
    ]);
    if (c.ok) setClient(c.data);
    else setError(c.error);
    if (b.ok) setAccounts(b.data);
    if (w.ok) setWallets(w.data);
    if (e.ok) setErasures(e.data);
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

  const relationship = (
    <Relationship
      client={client}
      pending={erasures.find((r) => r.state === 'requested') ?? null}
      onClose={() => setModal({ kind: 'close' })}
      onRequestErasure={() => setModal({ kind: 'requestErasure' })}
      onDecide={(request, approve) => setModal({ kind: 'decideErasure', request, approve })}
    />
  );
  const relationshipDialogs = (
    <>
      {modal?.kind === 'close' && (
        <ReasonDialog
          title="Close the relationship"
          explanation="Only a client with no balance and no open ramp or withdrawal can be closed. Retention of their records counts from today."
          confirmLabel="Close client"
          onSubmit={(reason) => treasury.clients.close({ clientId, reason })}
          onDone={() => changed('Client closed.')}
          onClose={() => setModal(null)}
        />
      )}
      {modal?.kind === 'requestErasure' && (
        <ReasonDialog
          title="Ask to erase this client's data"
          explanation="A second operator decides. Erasure makes the personal data and KYC files unreadable for good; the books keep their entries."
          confirmLabel="Ask for erasure"
          onSubmit={(reason) => treasury.clients.requestErasure({ clientId, reason })}
          onDone={() => changed('Erasure requested: another operator decides.')}
          onClose={() => setModal(null)}
        />
      )}
      {modal?.kind === 'decideErasure' && (
        <ReasonDialog
          title={modal.approve ? 'Erase this client’s data' : 'Reject the erasure'}
          explanation={
            modal.approve
              ? 'The client’s key is destroyed: their personal data and KYC files can never be read again, here or in any backup made from now on.'
              : 'The client’s data stays as it is.'
          }
          confirmLabel={modal.approve ? 'Erase for good' : 'Reject'}
          onSubmit={(note) => treasury.clients.decideErasure({ requestId: modal.request.id, approve: modal.approve, note })}
          onDone={() => changed(modal.approve ? 'Client data erased.' : 'Erasure rejected.')}
          onClose={() => setModal(null)}
        />
      )}
    </>
  );

  if (client.erasedAt) {
    return (
      <div className="stack" data-testid="client-detail">
        <BackLink onBack={onBack} />
        <header className="detail-head">
          <div>
            <h2 className="detail-head__title" data-testid="client-name">
              Erased client
            </h2>
            <div className="muted">Client since {new Date(client.createdAt).toLocaleDateString()}</div>
          </div>
          <span className="badge badge--closed" data-testid="client-erased">
            data erased
          </span>
        </header>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <p className="callout" data-testid="client-erased-note">
          This client’s personal data and KYC files were erased on {new Date(client.erasedAt).toLocaleDateString()}: their key was destroyed, so
          nothing of it can be read any more. The ledger and the audit trail keep the client’s entries under its pseudonym.
        </p>
        <div className="detail-grid">
          <section className="card" aria-labelledby="client-wallets-title">
            <h3 id="client-wallets-title">Wallets</h3>
            <ClientWallets wallets={wallets} />
          </section>
          <section className="card" aria-labelledby="client-history-title">
            <h3 id="client-history-title">Status history</h3>
            <EntityHistory entityType="client" entityId={clientId} version={version} testId="client-history" />
          </section>
        </div>
      </div>
    );
  }

  const status = client.kycStatus;
  // The buttons come from what the engine says this operator may do (four eyes included).
  const allowed = (action: ClientAction) => client.allowedActions?.includes(action) ?? false;
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
          <button type="button" className="secondary" onClick={() => setModal({ kind: 'statement' })} data-testid="client-statements">
            Statements
          </button>
          {allowed('edit') && (
            <button type="button" className="secondary" onClick={() => setModal({ kind: 'edit' })} data-testid="client-edit">
              Edit details
            </button>
          )}
          {allowed('submit') && (
            <button type="button" onClick={() => void act(() => treasury.clients.submitKyc({ clientId }), 'KYC submitted for review.')} data-testid="kyc-submit">
              Submit for KYC review
            </button>
          )}
          {allowed('reject') && (
            <button type="button" className="secondary" onClick={() => setModal({ kind: 'reject' })} data-testid="kyc-reject">
              Reject
            </button>
          )}
          {allowed('verify') && (
            <button type="button" onClick={() => void act(() => treasury.clients.verifyKyc({ clientId }), 'KYC verified.')} data-testid="kyc-verify">
              Verify KYC
            </button>
          )}
          {status === 'submitted' && !allowed('verify') && client.kycSubmittedBy && (
            <span className="muted small" data-testid="kyc-waits">
              Submitted by {client.kycSubmittedBy}: another officer verifies it.
            </span>
          )}
          {allowed('suspend') && (
            <button type="button" className="secondary" onClick={() => setModal({ kind: 'suspend' })} data-testid="kyc-suspend">
              Suspend
            </button>
          )}
          {allowed('reinstate') && (
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
            <dt>Risk assessment</dt>
            <dd>
              <select
                value={client.riskLevel}
                disabled={!allowed('assessRisk')}
                aria-label="Risk assessment"
                onChange={(e) => setModal({ kind: 'risk', level: e.target.value as RiskLevel })}
                data-testid="client-risk-level"
              >
                {RISK_LEVELS.map((level) => (
                  <option key={level} value={level}>
                    {RISK_LEVEL_LABELS[level]}
                  </option>
                ))}
              </select>
            </dd>
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
                  <div className="actions actions--start document-views">
                    <ViewButton show={canView} onClick={() => setModal({ kind: 'preview', title: 'Identity document (front)', file: client.identityDocument!.front })} testId="client-view-identity-front">
                      View front
                    </ViewButton>
                    {client.identityDocument.back && (
                      <ViewButton show={canView} onClick={() => setModal({ kind: 'preview', title: 'Identity document (back)', file: client.identityDocument!.back! })} testId="client-view-identity-back">
                        View back
                      </ViewButton>
                    )}
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
                  <div className="actions actions--start document-views">
                    <ViewButton show={canView} onClick={() => setModal({ kind: 'preview', title: 'Proof of address', file: client.proofOfAddress!.file })} testId="client-view-address-proof">
                      View document
                    </ViewButton>
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
                  <td>{railName(account.rail)}</td>
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
                    {account.allowedActions?.includes('verify') && (
                      <button type="button" className="secondary" onClick={() => setModal({ kind: 'verifyBank', account })} data-testid="bank-verify">
                        Verify…
                      </button>
                    )}
                    {account.allowedActions?.includes('disable') && (
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

      {relationship}

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
      {modal?.kind === 'risk' && (
        <ReasonDialog
          title={`Assess as ${RISK_LEVEL_LABELS[modal.level].toLowerCase()}`}
          explanation="The policy says which risk levels may withdraw to destinations that are not whitelisted. Say why you assess the client so."
          confirmLabel="Save assessment"
          onSubmit={(reason) => treasury.clients.setRiskLevel({ clientId, riskLevel: modal.level, reason })}
          onDone={() => changed('Risk assessment saved.')}
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
      {modal?.kind === 'preview' && (
        <DocumentPreviewDialog clientId={clientId} clientName={client.legalName} title={modal.title} file={modal.file} onClose={() => setModal(null)} />
      )}
      {modal?.kind === 'statement' && <StatementDialog clientId={clientId} clientName={client.legalName} onClose={() => setModal(null)} />}
      {modal?.kind === 'wallet' && (
        <AssociateWalletDialog clientId={clientId} onClose={() => setModal(null)} onSaved={() => changed('Wallet associated.')} />
      )}
      {relationshipDialogs}
    </div>
  );
}

/** Closing the relationship, then (after retention) erasure under four eyes: the requester is never shown Approve. */
function Relationship(props: {
  client: ClientView;
  pending: ErasureRequestView | null;
  onClose(): void;
  onRequestErasure(): void;
  onDecide(request: ErasureRequestView, approve: boolean): void;
}) {
  const me = useSystem((s) => s.session?.session?.operator.name);
  const { client, pending } = props;
  return (
    <section className="card" aria-labelledby="relationship-title" data-testid="client-relationship">
      <div className="card__head">
        <h3 id="relationship-title">Relationship</h3>
        {!client.closedAt && (
          <button type="button" className="secondary" onClick={props.onClose} data-testid="client-close">
            Close relationship…
          </button>
        )}
        {client.closedAt && !pending && (
          <button type="button" className="secondary" onClick={props.onRequestErasure} data-testid="client-request-erasure">
            Ask to erase data…
          </button>
        )}
      </div>
      <p className="muted small">
        {client.closedAt
          ? `Closed on ${new Date(client.closedAt).toLocaleDateString()}. Its records are kept for the retention period set in Settings; after that its data may be erased.`
          : 'Open. Personal data and KYC files are sealed at rest.'}
      </p>
      {pending && (
        <div className="actions actions--start" data-testid="client-erasure-pending">
          <span>
            Erasure asked by {pending.requestedBy} on {new Date(pending.requestedAt).toLocaleDateString()}: {pending.reason}
          </span>
          {me !== pending.requestedBy && (
            <>
              <button type="button" className="secondary" onClick={() => props.onDecide(pending, false)} data-testid="erasure-reject">
                Reject…
              </button>
              <button type="button" onClick={() => props.onDecide(pending, true)} data-testid="erasure-approve">
                Erase…
              </button>
            </>
          )}
        </div>
      )}
    </section>
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

/** Scans are personal data: officers and auditors open them (the engine checks the role again and audits it). */
function ViewButton(props: { show: boolean; onClick(): void; testId: string; children: string }) {
  if (!props.show) return <span className="muted small">on file</span>;
  return (
    <button type="button" className="ghost small" onClick={props.onClick} data-testid={props.testId}>
      {props.children}
    </button>
  );
}
