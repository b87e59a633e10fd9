import { useState, type FormEvent } from 'react';
import type { ClientView } from '@shared/domain/clients';
import { contract } from '@shared/ipc/contract';
import type { AppError } from '@shared/result';
import { clientFormSchema } from '@shared/validation/schemas';
import { identificationTypes } from '@shared/reference/countries';
import { treasury } from '../../api';
import { Dialog } from '../../components/Dialog';
import { CountrySelect } from '../../components/CountrySelect';
import { FieldError } from '../../components/FieldError';
import { ErrorState } from '../../components/States';
import { addressDraftOf, addressRequestOf, type AddressDraft } from '../../forms/postal-address';
import { fieldIssues } from '../../forms/validation';
import { useDialogKey } from '../../forms/dialog-key';

interface Draft extends AddressDraft {
  legalName: string;
  dateOfBirth: string;
  nationality: string;
  email: string;
  phone: string;
  taxCountry: string;
  taxKind: string;
  taxValue: string;
}

function draftOf(client?: ClientView): Draft {
  return {
    legalName: client?.legalName ?? '',
    dateOfBirth: client?.dateOfBirth ?? '',
    nationality: client?.nationality ?? '',
    email: client?.email ?? '',
    phone: client?.phone ?? '',
    ...addressDraftOf(client?.address),
    taxCountry: client?.taxId?.country ?? '',
    taxKind: client?.taxId?.kind ?? '',
    taxValue: client?.taxId?.value ?? '',
  };
}

const opt = (v: string) => (v.trim() === '' ? undefined : v.trim());

/** What the engine's clients:create/update take: empty fields left out, so a draft can be saved early. */
function requestOf(d: Draft) {
  const hasTaxId = [d.taxCountry, d.taxKind, d.taxValue].some((v) => v.trim() !== '');
  return {
    legalName: d.legalName,
    dateOfBirth: opt(d.dateOfBirth),
    nationality: opt(d.nationality),
    email: opt(d.email),
    phone: opt(d.phone),
    address: addressRequestOf(d),
    taxId: hasTaxId ? { country: d.taxCountry, kind: d.taxKind, value: d.taxValue } : undefined,
  };
}

/**
 * Creates or edits a client. The same shared schema the engine applies at KYC submission checks each
 * filled field as it is typed (check digits, phone plans, age); empty fields may wait for later.
 */
export function ClientFormDialog(props: { client?: ClientView; onClose(): void; onSaved(client: ClientView): void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(props.client));
  const [touched, setTouched] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const idempotencyKey = useDialogKey();
  const set = (key: keyof Draft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }));

  const request = requestOf(draft);
  const full = fieldIssues(clientFormSchema, {
    ...request,
    address: request.address ?? {},
    taxId: request.taxId ?? {},
  });
  const shape = fieldIssues(contract.clients.create.request, request);
  // A field speaks up once it holds something (or at submit), so an empty draft is not a wall of red.
  const filled: Record<string, string> = {
    legalName: draft.legalName,
    dateOfBirth: draft.dateOfBirth,
    nationality: draft.nationality,
    email: draft.email,
    phone: draft.phone,
    'address.line1': request.address ? 'x' : '',
    'address.city': request.address ? 'x' : '',
    'address.country': request.address ? 'x' : '',
    'taxId.country': request.taxId ? 'x' : '',
    'taxId.kind': request.taxId ? 'x' : '',
    'taxId.value': request.taxId ? 'x' : '',
  };
  const issue = (path: string) => (touched || (filled[path] ?? '') !== '' ? (full[path] ?? shape[path]) : undefined);
  const blocking = Object.keys(filled).some((path) => (path === 'legalName' || filled[path] !== '') && (full[path] ?? shape[path]));
  // The reference data's identification types for people of the chosen country (a generic TIN elsewhere).
  const countryKinds = draft.taxCountry.trim().length === 2 ? identificationTypes(draft.taxCountry, 'individual') : undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (blocking) return;
    setPending(true);
    setError(null);
    const result = props.client
      ? await treasury.clients.update({ clientId: props.client.id, ...request })
      : await treasury.clients.create({ ...request, idempotencyKey });
    setPending(false);
    if (result.ok) props.onSaved(result.data);
    else setError(result.error);
  };

  const input = (key: keyof Draft, path: string, label: string, extra: Record<string, unknown> = {}) => (
    <label className="field">
      <span>{label}</span>
      <input
        value={draft[key]}
        onChange={set(key)}
        aria-invalid={!!issue(path)}
        aria-describedby={`client-${key}-error`}
        data-testid={`client-${key}`}
        {...extra}
      />
      <FieldError id={`client-${key}-error`} message={issue(path)} />
    </label>
  );

  const country = (key: keyof Draft, path: string, label: string) => (
    <label className="field">
      <span>{label}</span>
      <CountrySelect
        value={draft[key]}
        onChange={(code) => setDraft((d) => ({ ...d, [key]: code }))}
        invalid={!!issue(path)}
        describedBy={`client-${key}-error`}
        testId={`client-${key}`}
      />
      <FieldError id={`client-${key}-error`} message={issue(path)} />
    </label>
  );

  return (
    <Dialog title={props.client ? `Edit ${props.client.legalName}` : 'New client'} onClose={props.onClose} wide testId="client-form">
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <div className="form-grid">
          {input('legalName', 'legalName', 'Legal name')}
          {input('dateOfBirth', 'dateOfBirth', 'Date of birth', { type: 'date', max: new Date().toISOString().slice(0, 10) })}
          {country('nationality', 'nationality', 'Nationality')}
          {input('email', 'email', 'Email', { type: 'email' })}
          {input('phone', 'phone', 'Phone (international)', { placeholder: 'e.g. +34 612 345 678' })}
        </div>
        <fieldset className="fieldset">
          <legend>Residential address</legend>
          <div className="form-grid">
            {input('line1', 'address.line1', 'Street and number')}
            {input('line2', 'address.line2', 'Apartment, floor (optional)')}
            {input('city', 'address.city', 'City')}
            {input('region', 'address.region', 'Region (optional)')}
            {input('postalCode', 'address.postalCode', 'Postal code')}
            {country('country', 'address.country', 'Country')}
          </div>
        </fieldset>
        <fieldset className="fieldset">
          <legend>Tax identification</legend>
          <div className="form-grid form-grid--3">
            {country('taxCountry', 'taxId.country', 'Issued by (country)')}
            <label className="field">
              <span>Kind</span>
              {countryKinds ? (
                <select value={draft.taxKind} onChange={set('taxKind')} data-testid="client-taxKind">
                  <option value="">Choose…</option>
                  {countryKinds.map((kind) => (
                    <option key={kind.type} value={kind.type} title={kind.description}>
                      {kind.label}
                    </option>
                  ))}
                </select>
              ) : (
                <input value={draft.taxKind} placeholder="e.g. generic" onChange={set('taxKind')} data-testid="client-taxKind" />
              )}
              <FieldError id="client-taxKind-error" message={issue('taxId.kind')} />
            </label>
            {input('taxValue', 'taxId.value', 'Number')}
          </div>
        </fieldset>
        {error && <ErrorState error={error} />}
        <div className="actions">
          <button type="button" className="secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" disabled={pending || (touched && blocking)} data-testid="client-save">
            {pending ? 'Saving…' : props.client ? 'Save changes' : 'Create client'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
