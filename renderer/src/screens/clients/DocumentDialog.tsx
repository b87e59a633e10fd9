import { useState, type FormEvent } from 'react';
import type { AppError } from '@shared/result';
import { ID_DOCUMENT_TYPES } from '@shared/validation/schemas';
import { contract } from '@shared/ipc/contract';
import { treasury } from '../../api';
import { Dialog } from '../../components/Dialog';
import { CountrySelect } from '../../components/CountrySelect';
import { FieldError } from '../../components/FieldError';
import { ErrorState } from '../../components/States';
import { fieldIssues } from '../../forms/validation';

const MAX_BYTES = 10 * 1024 * 1024;

/** A file as base64 for the engine, which checks its kind (PDF, JPEG, PNG) and keeps it by SHA-256. */
export async function readAsBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function DocumentDialog(props: { clientId: string; which: 'identity' | 'address'; onClose(): void; onSaved(): void }) {
  const [type, setType] = useState<(typeof ID_DOCUMENT_TYPES)[number]>('passport');
  const [number, setNumber] = useState('');
  const [issuingCountry, setIssuingCountry] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [issuedOn, setIssuedOn] = useState('');
  const [front, setFront] = useState<File | null>(null);
  const [back, setBack] = useState<File | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const tooLarge = [front, back].some((f) => f && f.size > MAX_BYTES);

  const identityIssues = fieldIssues(contract.clients.addIdentityDocument.request, {
    clientId: props.clientId,
    type,
    number,
    issuingCountry,
    expiresOn,
    front: front ? 'file' : '',
  });
  const addressIssues = fieldIssues(contract.clients.addProofOfAddress.request, { clientId: props.clientId, issuedOn, file: front ? 'file' : '' });
  const issues = props.which === 'identity' ? identityIssues : addressIssues;
  const valid = Object.keys(issues).length === 0 && !!front && !tooLarge && (props.which === 'identity' ? expiresOn !== '' : issuedOn !== '');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!valid || !front) return;
    setPending(true);
    setError(null);
    const frontData = await readAsBase64(front);
    const result =
      props.which === 'identity'
        ? await treasury.clients.addIdentityDocument({
            clientId: props.clientId,
            type,
            number,
            issuingCountry,
            expiresOn,
            front: frontData,
            back: back ? await readAsBase64(back) : undefined,
          })
        : await treasury.clients.addProofOfAddress({ clientId: props.clientId, issuedOn, file: frontData });
    setPending(false);
    if (result.ok) props.onSaved();
    else setError(result.error);
  };

  return (
    <Dialog title={props.which === 'identity' ? 'Add identity document' : 'Add proof of address'} onClose={props.onClose} testId="document-dialog">
      <form className="stack" onSubmit={(e) => void submit(e)}>
        {props.which === 'identity' ? (
          <div className="form-grid">
            <label className="field">
              <span>Type</span>
              <select value={type} onChange={(e) => setType(e.target.value as typeof type)} data-testid="document-type">
                {ID_DOCUMENT_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {t.replace(/_/g, ' ')}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>Number</span>
              <input value={number} onChange={(e) => setNumber(e.target.value)} data-testid="document-number" />
              <FieldError id="document-number-error" message={number !== '' ? issues.number : undefined} />
            </label>
            <label className="field">
              <span>Issuing country (ISO)</span>
              <CountrySelect value={issuingCountry} onChange={setIssuingCountry} testId="document-country" />
              <FieldError id="document-country-error" message={issuingCountry !== '' ? issues.issuingCountry : undefined} />
            </label>
            <label className="field">
              <span>Expires on</span>
              <input type="date" value={expiresOn} onChange={(e) => setExpiresOn(e.target.value)} data-testid="document-expires" />
            </label>
          </div>
        ) : (
          <label className="field">
            <span>Issued on</span>
            <input type="date" value={issuedOn} onChange={(e) => setIssuedOn(e.target.value)} data-testid="document-issued" />
          </label>
        )}
        <label className="field">
          <span>{props.which === 'identity' ? 'Front (PDF, JPEG or PNG, up to 10 MiB)' : 'Document (PDF, JPEG or PNG, up to 10 MiB)'}</span>
          <input type="file" accept="application/pdf,image/jpeg,image/png" onChange={(e) => setFront(e.target.files?.[0] ?? null)} data-testid="document-front" />
        </label>
        {props.which === 'identity' && (
          <label className="field">
            <span>Back (optional)</span>
            <input type="file" accept="application/pdf,image/jpeg,image/png" onChange={(e) => setBack(e.target.files?.[0] ?? null)} />
          </label>
        )}
        {tooLarge && <p className="field__error">A file is larger than 10 MiB.</p>}
        {error && <ErrorState error={error} />}
        <div className="actions">
          <button type="button" className="secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" disabled={pending || !valid} data-testid="document-save">
            {pending ? 'Uploading…' : 'Store document'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
