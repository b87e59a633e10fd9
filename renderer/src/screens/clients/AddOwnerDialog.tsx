import { useState, type FormEvent } from 'react';
import type { ClientView } from '@shared/domain/clients';
import { contract } from '@shared/ipc/contract';
import type { AppError } from '@shared/result';
import { formatOwnership, parseOwnershipPercent } from '@shared/validation/business';
import { treasury } from '../../api';
import { Dialog } from '../../components/Dialog';
import { FieldError } from '../../components/FieldError';
import { ErrorState } from '../../components/States';
import { fieldIssues } from '../../forms/validation';
import { CountryField } from './CountryField';

/**
 * Adds an ultimate beneficial owner as a new person: they become an individual client whose own KYC
 * (identity document, proof of address) is collected on their page and verified by four eyes.
 */
export function AddOwnerDialog(props: { business: ClientView; thresholdPercent: number; onClose(): void; onSaved(): void }) {
  const [legalName, setLegalName] = useState('');
  const [ownership, setOwnership] = useState('');
  const [dateOfBirth, setDateOfBirth] = useState('');
  const [nationality, setNationality] = useState('');
  const [email, setEmail] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const held = props.business.beneficialOwners.reduce((sum, o) => sum + o.ownershipBasisPoints, 0);
  const share = parseOwnershipPercent(ownership);
  const overTotal = share.ok && held + share.basisPoints > 10_000;
  const person = { legalName, dateOfBirth: dateOfBirth || undefined, nationality: nationality || undefined, email: email || undefined };
  const issues = fieldIssues(contract.clients.addBeneficialOwner.request, { clientId: props.business.id, ownership, person });
  const shareError = ownership === '' ? undefined : !share.ok ? 'Give a percentage above 0 and at most 100, with up to two decimals.' : overTotal ? `The owners already hold ${formatOwnership(held)}; this would exceed 100%.` : undefined;
  const valid = legalName.trim().length >= 2 && share.ok && !overTotal && !issues['person.email'];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!valid) return;
    setPending(true);
    setError(null);
    const result = await treasury.clients.addBeneficialOwner({ clientId: props.business.id, ownership: ownership.trim(), person });
    setPending(false);
    if (result.ok) props.onSaved();
    else setError(result.error);
  };

  return (
    <Dialog title="Add beneficial owner" onClose={props.onClose} wide testId="owner-dialog">
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <p className="muted">
          A person who owns or controls part of {props.business.legalName}; everyone holding {props.thresholdPercent}% or more needs verified KYC of their own before
          the business can be verified.
        </p>
        <div className="form-grid">
          <label className="field">
            <span>Full legal name</span>
            <input value={legalName} onChange={(e) => setLegalName(e.target.value)} data-testid="owner-name" />
          </label>
          <label className="field">
            <span>Ownership (%)</span>
            <input value={ownership} inputMode="decimal" placeholder="25" onChange={(e) => setOwnership(e.target.value)} aria-invalid={!!shareError} data-testid="owner-share" />
            <FieldError id="owner-share-error" message={shareError} />
          </label>
          <label className="field">
            <span>Date of birth (optional now)</span>
            <input type="date" value={dateOfBirth} onChange={(e) => setDateOfBirth(e.target.value)} data-testid="owner-dob" />
          </label>
          <CountryField label="Nationality (optional now)" value={nationality} onChange={setNationality} testId="owner-nationality" />
          <label className="field">
            <span>Email (optional now)</span>
            <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} data-testid="owner-email" />
          </label>
        </div>
        <p className="muted small">Their address, phone, tax id and documents are completed on their own client page.</p>
        {error && <ErrorState error={error} />}
        <div className="actions">
          <button type="button" className="secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" disabled={pending || !valid} data-testid="owner-save">
            {pending ? 'Adding…' : 'Add owner'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
