import { useEffect, useState } from 'react';
import type { ClientView } from '@shared/domain/clients';
import { BUSINESS_TYPE_LABELS, COMPANY_DOCUMENT_LABELS, countryName, identificationLabel, registrationFormat, requiredDocuments, type CompanyDocumentType } from '@shared/reference/countries';
import { formatOwnership } from '@shared/validation/business';
import { treasury } from '../../api';
import { formatPostalAddress } from '../../forms/postal-address';
import { EmptyState } from '../../components/States';
import { ReasonDialog } from '../../forms/ReasonDialog';
import { useClientScreen } from '../../store/clients';
import { AddOwnerDialog } from './AddOwnerDialog';
import { CompanyDocumentDialog } from './CompanyDocumentDialog';
import { KycBadge } from './KycBadge';

/** The controls' owner threshold (percent), read once per page: the rule the engine applies at verification. */
function useOwnerThreshold(): number {
  const [threshold, setThreshold] = useState(25);
  useEffect(() => {
    void treasury.withdrawals.controlsGet({}).then((r) => r.ok && setThreshold(r.data.uboThresholdPercent));
  }, []);
  return threshold;
}

/** A business client's page body: company data, the documents checklist and the beneficial owners. */
export function BusinessSections({ client, onChanged }: { client: ClientView; onChanged(message: string): void }) {
  const [modal, setModal] = useState<{ kind: 'document'; type: CompanyDocumentType } | { kind: 'owner' } | { kind: 'removeOwner'; clientId: string; name: string } | null>(null);
  const threshold = useOwnerThreshold();
  const open = useClientScreen((s) => s.open);
  const business = client.business;
  const country = business?.incorporationCountry ?? '';
  const editable = client.kycStatus === 'draft' || client.kycStatus === 'rejected' || client.kycStatus === 'suspended';
  const ownersEditable = client.kycStatus === 'draft' || client.kycStatus === 'rejected';
  const held = client.beneficialOwners.reduce((sum, o) => sum + o.ownershipBasisPoints, 0);
  const waiting = client.beneficialOwners.filter((o) => o.ownershipBasisPoints >= threshold * 100 && o.kycStatus !== 'verified');
  const done = (message: string) => {
    setModal(null);
    onChanged(message);
  };

  return (
    <>
      <div className="detail-grid">
        <section className="card" aria-labelledby="company-data-title">
          <h3 id="company-data-title">Company</h3>
          <dl data-testid="business-data">
            <dt>Trade name</dt>
            <dd>{business?.tradeName ?? <Missing />}</dd>
            <dt>Type</dt>
            <dd>{business?.businessType ? BUSINESS_TYPE_LABELS[business.businessType] : <Missing />}</dd>
            <dt>Incorporated</dt>
            <dd>{business?.incorporationDate ? `${business.incorporationDate}${country ? ` in ${countryName(country)}` : ''}` : <Missing />}</dd>
            <dt>{country ? registrationFormat(country).label : 'Registration number'}</dt>
            <dd>{business?.registrationNumber ?? <Missing />}</dd>
            <dt>Tax id</dt>
            <dd>
              {client.taxId ? (
                <>
                  {identificationLabel(client.taxId.country, client.taxId.kind)} {client.taxId.value}
                </>
              ) : (
                <Missing />
              )}
            </dd>
            <dt>Registered address</dt>
            <dd>
{client.address ? formatPostalAddress(client.address) : <Missing />}
            </dd>
            <dt>Contact</dt>
            <dd>{[client.email, client.phone].filter(Boolean).join(' · ') || <Missing />}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="company-documents-title">
          <h3 id="company-documents-title">Company documents</h3>
          <ul className="checklist" data-testid="business-documents">
            {requiredDocuments('business', country).map((type) => {
              const document = client.companyDocuments.find((d) => d.type === type);
              return (
                <li key={type} data-testid={`business-document-${type}`}>
                  <span aria-hidden="true">{document ? '✓' : '○'}</span> <strong>{COMPANY_DOCUMENT_LABELS[type]}</strong>{' '}
                  {document ? <span className="muted">issued {document.issuedOn}</span> : <span className="muted">missing</span>}
                  {editable && (
                    <button type="button" className="link" onClick={() => setModal({ kind: 'document', type })} data-testid={`business-add-${type}`}>
                      {document ? 'Replace…' : 'Add…'}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      </div>

      <section className="card" aria-labelledby="owners-title">
        <div className="card__head">
          <h3 id="owners-title">Beneficial owners</h3>
          {ownersEditable && (
            <button type="button" className="secondary" onClick={() => setModal({ kind: 'owner' })} data-testid="business-add-owner">
              Add beneficial owner
            </button>
          )}
        </div>
        {client.beneficialOwners.length === 0 ? (
          <EmptyState title="No beneficial owner yet">List every person who owns or controls the company; those holding {threshold}% or more need verified KYC.</EmptyState>
        ) : (
          <>
            <table data-testid="business-owners">
              <thead>
                <tr>
                  <th>Person</th>
                  <th className="num">Ownership</th>
                  <th>KYC</th>
                  {ownersEditable && <th />}
                </tr>
              </thead>
              <tbody>
                {client.beneficialOwners.map((owner) => (
                  <tr key={owner.clientId} data-testid="business-owner-row">
                    <td>
                      <button type="button" className="link" onClick={() => open(owner.clientId)}>
                        {owner.legalName}
                      </button>
                    </td>
                    <td className="num">{formatOwnership(owner.ownershipBasisPoints)}</td>
                    <td>
                      <KycBadge status={owner.kycStatus} testId="owner-kyc-status" />
                      {owner.ownershipBasisPoints < threshold * 100 && <span className="muted small"> below {threshold}%: not required</span>}
                    </td>
                    {ownersEditable && (
                      <td className="num">
                        <button type="button" className="secondary" onClick={() => setModal({ kind: 'removeOwner', clientId: owner.clientId, name: owner.legalName })} data-testid="owner-remove">
                          Remove…
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="muted small" data-testid="business-owners-total">
              Owners listed hold {formatOwnership(held)} of the company.
              {waiting.length > 0 && ` Verification waits for ${waiting.map((o) => o.legalName).join(', ')}.`}
            </p>
          </>
        )}
      </section>

      {modal?.kind === 'document' && <CompanyDocumentDialog clientId={client.id} type={modal.type} onClose={() => setModal(null)} onSaved={() => done('Document stored.')} />}
      {modal?.kind === 'removeOwner' && (
        <ReasonDialog
          title={`Remove ${modal.name}`}
          explanation="They stay a client of their own; the business no longer lists them as a beneficial owner. Say why (e.g. shares sold)."
          confirmLabel="Remove owner"
          testId="owner-remove-dialog"
          onSubmit={(reason) => treasury.clients.removeBeneficialOwner({ clientId: client.id, personClientId: modal.clientId, reason })}
          onDone={() => done('Beneficial owner removed.')}
          onClose={() => setModal(null)}
        />
      )}
      {modal?.kind === 'owner' && <AddOwnerDialog business={client} thresholdPercent={threshold} onClose={() => setModal(null)} onSaved={() => done('Beneficial owner added.')} />}
    </>
  );
}

function Missing() {
  return <span className="muted">not given</span>;
}
