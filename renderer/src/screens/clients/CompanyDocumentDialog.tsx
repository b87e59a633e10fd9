import { useState, type FormEvent } from 'react';
import { contract } from '@shared/ipc/contract';
import { COMPANY_DOCUMENT_LABELS, type CompanyDocumentType } from '@shared/reference/countries';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { Dialog } from '../../components/Dialog';
import { ErrorState } from '../../components/States';
import { fieldIssues } from '../../forms/validation';
import { readAsBase64 } from './DocumentDialog';

const MAX_BYTES = 10 * 1024 * 1024;

/** One company document of the checklist: its issue date and a scan (PDF, JPEG or PNG) kept by its hash. */
export function CompanyDocumentDialog(props: { clientId: string; type: CompanyDocumentType; onClose(): void; onSaved(): void }) {
  const [issuedOn, setIssuedOn] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const tooLarge = !!file && file.size > MAX_BYTES;
  const issues = fieldIssues(contract.clients.addCompanyDocument.request, { clientId: props.clientId, type: props.type, issuedOn, file: file ? 'file' : '' });
  const valid = Object.keys(issues).length === 0 && issuedOn !== '' && !!file && !tooLarge;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!valid || !file) return;
    setPending(true);
    setError(null);
    const result = await treasury.clients.addCompanyDocument({ clientId: props.clientId, type: props.type, issuedOn, file: await readAsBase64(file) });
    setPending(false);
    if (result.ok) props.onSaved();
    else setError(result.error);
  };

  return (
    <Dialog title={`Add ${COMPANY_DOCUMENT_LABELS[props.type].toLowerCase()}`} onClose={props.onClose} testId="company-document-dialog">
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>Issued on</span>
          <input type="date" value={issuedOn} onChange={(e) => setIssuedOn(e.target.value)} data-testid="company-document-issued" />
        </label>
        <label className="field">
          <span>Document (PDF, JPEG or PNG, up to 10 MiB)</span>
          <input type="file" accept="application/pdf,image/jpeg,image/png" onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="company-document-file" />
        </label>
        {tooLarge && <p className="field__error">The file is larger than 10 MiB.</p>}
        {error && <ErrorState error={error} />}
        <div className="actions">
          <button type="button" className="secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" disabled={pending || !valid} data-testid="company-document-save">
            {pending ? 'Uploading…' : 'Store document'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
