import { useMemo, useState, type FormEvent } from 'react';
import type { ClientView } from '@shared/domain/clients';
import type { AppError } from '@shared/result';
import { ACH_ACCOUNT_TYPES, BANK_RAILS, PIX_KEY_TYPES, type BankRail } from '@shared/validation/bank-account';
import { RAIL_LABELS } from '../../words/names';
import { makeBankAccountFormSchemas } from '@shared/validation/schemas';
import { treasury } from '../../api';
import { Dialog } from '../../components/Dialog';
import { FieldError } from '../../components/FieldError';
import { ErrorState } from '../../components/States';
import { fieldIssues } from '../../forms/validation';
import { useDialogKey } from '../../forms/dialog-key';


type Fields = Record<string, string>;

function accountOf(rail: BankRail, holderName: string, f: Fields) {
  switch (rail) {
    case 'sepa':
      return { rail, holderName, iban: f.iban ?? '', bic: f.bic?.trim() ? f.bic : undefined };
    case 'spei':
      return { rail, holderName, clabe: f.clabe ?? '' };
    case 'ach':
      return { rail, holderName, routingNumber: f.routingNumber ?? '', accountNumber: f.accountNumber ?? '', accountType: (f.accountType ?? 'checking') as 'checking' };
    case 'pix':
      return { rail, holderName, keyType: (f.keyType ?? 'cpf') as 'cpf', key: f.key ?? '' };
    case 'ar_transfer':
      return { rail, holderName, cbu: f.cbu ?? '' };
  }
}

/** A bank account in the client's name, checked as typed by the same validators the engine runs. */
export function BankAccountDialog(props: { client: ClientView; onClose(): void; onSaved(): void }) {
  const [rail, setRail] = useState<BankRail>('sepa');
  const [holderName, setHolderName] = useState(props.client.legalName);
  const [fields, setFields] = useState<Fields>({});
  const [touched, setTouched] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const idempotencyKey = useDialogKey();
  const schema = useMemo(() => makeBankAccountFormSchemas({ clientLegalName: props.client.legalName }).any, [props.client.legalName]);
  const account = accountOf(rail, holderName, fields);
  const issues = fieldIssues(schema, account);
  const valid = Object.keys(issues).length === 0;
  const show = (key: string) => (touched || (key === 'holderName' ? holderName : fields[key] ?? '') !== '' ? issues[key] : undefined);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!valid) return;
    setPending(true);
    setError(null);
    const result = await treasury.clients.addBankAccount({ clientId: props.client.id, account, idempotencyKey });
    setPending(false);
    if (result.ok) props.onSaved();
    else setError(result.error);
  };

  const text = (key: string, label: string, placeholder?: string) => (
    <label className="field" key={`${rail}-${key}`}>
      <span>{label}</span>
      <input
        value={fields[key] ?? ''}
        placeholder={placeholder}
        spellCheck={false}
        aria-invalid={!!show(key)}
        aria-describedby={`bank-${key}-error`}
        onChange={(e) => setFields((f) => ({ ...f, [key]: e.target.value }))}
        data-testid={`bank-${key}`}
      />
      <FieldError id={`bank-${key}-error`} message={show(key)} />
    </label>
  );

  return (
    <Dialog title={`Bank account for ${props.client.legalName}`} onClose={props.onClose} testId="bank-dialog">
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>Rail</span>
          <select
            value={rail}
            onChange={(e) => {
              setRail(e.target.value as BankRail);
              setFields({});
            }}
            data-testid="bank-rail"
          >
            {BANK_RAILS.map((r) => (
              <option key={r} value={r}>
                {RAIL_LABELS[r]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Account holder (must match the client's legal name)</span>
          <input value={holderName} onChange={(e) => setHolderName(e.target.value)} aria-invalid={!!show('holderName')} data-testid="bank-holderName" />
          <FieldError id="bank-holderName-error" message={show('holderName')} />
        </label>
        {rail === 'sepa' && (
          <>
            {text('iban', 'IBAN', 'ES91 2100 0418 4502 0005 1332')}
            {text('bic', 'BIC (optional)')}
          </>
        )}
        {rail === 'spei' && text('clabe', 'CLABE (18 digits)')}
        {rail === 'ach' && (
          <>
            {text('routingNumber', 'Routing number (ABA)')}
            {text('accountNumber', 'Account number')}
            <label className="field">
              <span>Account type</span>
              <select value={fields.accountType ?? 'checking'} onChange={(e) => setFields((f) => ({ ...f, accountType: e.target.value }))}>
                {ACH_ACCOUNT_TYPES.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            </label>
          </>
        )}
        {rail === 'pix' && (
          <>
            <label className="field">
              <span>Key type</span>
              <select value={fields.keyType ?? 'cpf'} onChange={(e) => setFields((f) => ({ ...f, keyType: e.target.value }))}>
                {PIX_KEY_TYPES.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            </label>
            {text('key', 'PIX key')}
          </>
        )}
        {rail === 'ar_transfer' && text('cbu', 'CBU (22 digits)')}
        {error && <ErrorState error={error} />}
        <div className="actions">
          <button type="button" className="secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" disabled={pending || (touched && !valid)} data-testid="bank-save">
            {pending ? 'Saving…' : 'Add bank account'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
