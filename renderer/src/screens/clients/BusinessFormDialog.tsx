import { useState, type FormEvent } from 'react';
import type { ClientView } from '@shared/domain/clients';
import { contract } from '@shared/ipc/contract';
import { BUSINESS_TYPE_LABELS, BUSINESS_TYPES, identificationTypes, registrationFormat, type BusinessType } from '@shared/reference/countries';
import type { AppError } from '@shared/result';
import { validateBusinessTaxId, validateRegistrationNumber } from '@shared/validation/business';
import { treasury } from '../../api';
import { Dialog } from '../../components/Dialog';
import { FieldError } from '../../components/FieldError';
import { ErrorState } from '../../components/States';
import { useDialogKey } from '../../forms/dialog-key';
import { addressDraftOf, addressRequestOf, type AddressDraft } from '../../forms/postal-address';
import { fieldIssues } from '../../forms/validation';
import { CountryField } from './CountryField';

interface Draft extends AddressDraft {
  legalName: string;
  tradeName: string;
  businessType: BusinessType | '';
  incorporationCountry: string;
  registrationNumber: string;
  incorporationDate: string;
  email: string;
  phone: string;
  taxKind: string;
  taxValue: string;
}

function draftOf(client?: ClientView): Draft {
  return {
    legalName: client?.legalName ?? '',
    tradeName: client?.business?.tradeName ?? '',
    businessType: client?.business?.businessType ?? '',
    incorporationCountry: client?.business?.incorporationCountry ?? '',
    registrationNumber: client?.business?.registrationNumber ?? '',
    incorporationDate: client?.business?.incorporationDate ?? '',
    email: client?.email ?? '',
    phone: client?.phone ?? '',
    ...addressDraftOf(client?.address),
    taxKind: client?.taxId?.kind ?? '',
    taxValue: client?.taxId?.value ?? '',
  };
}

const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;

const opt = (v: string) => (v.trim() === '' ? undefined : v.trim());

/** The company's tax id is issued by its country of incorporation. */
function requestOf(d: Draft) {
  return {
    legalName: d.legalName,
    tradeName: opt(d.tradeName),
    businessType: d.businessType === '' ? undefined : d.businessType,
    incorporationCountry: opt(d.incorporationCountry),
    registrationNumber: opt(d.registrationNumber),
    incorporationDate: opt(d.incorporationDate),
    email: opt(d.email),
    phone: opt(d.phone),
    address: addressRequestOf(d),
    taxId: d.taxValue.trim() !== '' ? { country: d.incorporationCountry, kind: d.taxKind, value: d.taxValue } : undefined,
  };
}

/**
 * Creates or edits a business client. The country of incorporation chooses the register's number format and
 * the kinds of tax id offered (reference data); the shared schema checks check digits as they are typed.
 */
export function BusinessFormDialog(props: { client?: ClientView; onClose(): void; onSaved(client: ClientView): void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(props.client));
  const [touched, setTouched] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const idempotencyKey = useDialogKey();
  const set = (key: keyof Draft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }));

  const country = draft.incorporationCountry.trim().toUpperCase();
  const idTypes = country.length === 2 ? identificationTypes(country, 'business') : [];
  const format = registrationFormat(country);
  const request = requestOf(draft);
  // The register's format and the tax id's check digits depend on the country: checked as soon as both are there.
  const registration = country && draft.registrationNumber.trim() ? validateRegistrationNumber(country, draft.registrationNumber) : null;
  const tax = country && draft.taxValue.trim() ? validateBusinessTaxId(country, draft.taxKind, draft.taxValue) : null;
  const full: Record<string, string> = {
    ...(registration && !registration.ok ? { registrationNumber: sentence(registration.reason) } : {}),
    ...(tax && !tax.ok ? { 'taxId.value': sentence(tax.reason) } : {}),
  };
  const shape = fieldIssues(contract.clients.create.request, { kind: 'business', ...request });
  const filled: Record<string, string> = {
    legalName: draft.legalName,
    incorporationCountry: draft.incorporationCountry,
    registrationNumber: draft.registrationNumber,
    incorporationDate: draft.incorporationDate,
    email: draft.email,
    phone: draft.phone,
    'address.line1': request.address ? 'x' : '',
    'address.city': request.address ? 'x' : '',
    'address.country': request.address ? 'x' : '',
    'taxId.value': draft.taxValue,
  };
  // A draft may be saved early: an empty field speaks up only when it is the name (required from the start).
  const issue = (path: string) => ((filled[path] ?? '') !== '' || (touched && path === 'legalName') ? (full[path] ?? shape[path]) : undefined);
  const blocking = Object.keys(filled).some((path) => (path === 'legalName' || filled[path] !== '') && (full[path] ?? shape[path]));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (blocking) return;
    setPending(true);
    setError(null);
    const result = props.client
      ? await treasury.clients.update({ clientId: props.client.id, ...request })
      : await treasury.clients.create({ kind: 'business', ...request, idempotencyKey });
    setPending(false);
    if (result.ok) props.onSaved(result.data);
    else setError(result.error);
  };

  const input = (key: keyof Draft, path: string, label: string, extra: Record<string, unknown> = {}) => (
    <label className="field">
      <span>{label}</span>
      <input value={draft[key]} onChange={set(key)} aria-invalid={!!issue(path)} aria-describedby={`business-${key}-error`} data-testid={`business-${key}`} {...extra} />
      <FieldError id={`business-${key}-error`} message={issue(path)} />
    </label>
  );

  return (
    <Dialog title={props.client ? `Edit ${props.client.legalName}` : 'New business client'} onClose={props.onClose} wide testId="business-form">
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <div className="form-grid">
          {input('legalName', 'legalName', 'Registered legal name')}
          {input('tradeName', 'tradeName', 'Trade name (optional)')}
          <label className="field">
            <span>Type of company</span>
            <select value={draft.businessType} onChange={set('businessType')} data-testid="business-businessType">
              <option value="">Choose…</option>
              {BUSINESS_TYPES.map((t) => (
                <option key={t} value={t}>
                  {BUSINESS_TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          </label>
          {input('incorporationDate', 'incorporationDate', 'Incorporated on', { type: 'date' })}
          {input('email', 'email', 'Contact email', { type: 'email' })}
          {input('phone', 'phone', 'Phone (international)', { placeholder: '+54 11 4321 0000' })}
        </div>
        <fieldset className="fieldset">
          <legend>Registration and tax identification</legend>
          <div className="form-grid">
            <CountryField
              label="Country of incorporation"
              value={draft.incorporationCountry}
              onChange={(code) => setDraft((d) => ({ ...d, incorporationCountry: code, taxKind: identificationTypes(code, 'business')[0]?.type ?? '' }))}
              testId="business-incorporationCountry"
              error={issue('incorporationCountry')}
            />
            {input('registrationNumber', 'registrationNumber', format.label, { placeholder: format.example })}
            <label className="field">
              <span>Tax id type</span>
              <select value={draft.taxKind} onChange={set('taxKind')} disabled={idTypes.length === 0} data-testid="business-taxKind">
                {idTypes.length === 0 && <option value="">Choose the country first</option>}
                {idTypes.map((t) => (
                  <option key={t.type} value={t.type} title={t.description}>
                    {t.label}
                  </option>
                ))}
              </select>
            </label>
            {input('taxValue', 'taxId.value', 'Tax id number')}
          </div>
        </fieldset>
        <fieldset className="fieldset">
          <legend>Registered address</legend>
          <div className="form-grid">
            {input('line1', 'address.line1', 'Street and number')}
            {input('line2', 'address.line2', 'Floor, office (optional)')}
            {input('city', 'address.city', 'City')}
            {input('region', 'address.region', 'Region (optional)')}
            {input('postalCode', 'address.postalCode', 'Postal code')}
            <CountryField label="Country" value={draft.country} onChange={(code) => setDraft((d) => ({ ...d, country: code }))} testId="business-country" error={issue('address.country')} />
          </div>
        </fieldset>
        {error && <ErrorState error={error} />}
        <div className="actions">
          <button type="button" className="secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" disabled={pending || (touched && blocking)} data-testid="business-save">
            {pending ? 'Saving…' : props.client ? 'Save changes' : 'Create business client'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
