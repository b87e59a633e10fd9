import { useState, type FormEvent } from 'react';
import type { CompanyCreditView } from '@shared/domain/controls';
import type { WalletView } from '@shared/domain/wallets';
import { contract } from '@shared/ipc/contract';
import { treasury } from '../../api';
import { Dialog } from '../../components/Dialog';
import { FieldError } from '../../components/FieldError';
import { readAmount } from '../../forms/amount';
import { useSubmission } from '../../forms/submission';
import { fieldIssues } from '../../forms/validation';
import { useAssets } from '../../store/assets';
import { AmountField } from './AmountField';
import { SubmitActions, useReview } from '../../components/SubmitActions';
import { Amount } from '../../components/Amount';
import { assetName } from '../../words/names';
import { amountInWords } from '../../words/amounts';

/**
 * The company credits a client without coins arriving: it raises what the company owes beyond what it
 * holds (booked against uncovered credit), so it needs a reason an auditor can read, and a second
 * operator's approval before it is booked (four eyes: the wallet page lists it until then).
 */
export function CompanyCreditDialog(props: { wallet: WalletView; onClose(): void; onDone(message: string): void }) {
  const assets = useAssets((s) => s.list).filter((a) => a.chain === props.wallet.chain);
  const [assetId, setAssetId] = useState(assets.find((a) => a.contract !== null)?.id ?? assets[0]?.id ?? '');
  const [amountText, setAmountText] = useState('');
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const submission = useSubmission<CompanyCreditView>();
  const review = useReview();

  const asset = assets.find((a) => a.id === assetId);
  const amount = readAmount(amountText, asset);
  const request = { walletId: props.wallet.id, assetId, amount: amount.ok ? amount.baseUnits : '', reason };
  const issues = fieldIssues(contract.transfers.companyCredit.request, { ...request, idempotencyKey: submission.idempotencyKey() });
  const valid = Object.keys(issues).length === 0 && amount.ok;
  const notReady = !amount.ok ? amount.message : Object.values(issues)[0];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!valid || !asset || !amount.ok) return;
    if (!review.reviewing) {
      review.open();
      return;
    }
    const asked = await submission.submit(request, (idempotencyKey) => treasury.transfers.companyCredit({ ...request, idempotencyKey }));
    if (asked) {
      props.onDone(
        `${asked.replayed ? 'Already asked earlier: ' : ''}A credit of ${amountInWords(amount.baseUnits, asset)} to "${props.wallet.label}" waits for a second operator's approval.`,
      );
    }
  };

  return (
    <Dialog title={`Company credit to "${props.wallet.label}"`} onClose={props.onClose} testId="credit-dialog">
      <form className="stack" onSubmit={(e) => void submit(e)} onChange={submission.clearError}>
        <p className="callout">
          A company credit increases client liabilities without coins arriving. It shows as uncovered credit and lowers coverage on the
          dashboard until reserves cover it. Another operator with approval rights must approve it before it is booked.
        </p>
        <label className="field">
          <span>Asset</span>
          <select value={assetId} onChange={(e) => setAssetId(e.target.value)} data-testid="credit-asset">
            {assets.map((a) => (
              <option key={a.id} value={a.id}>
                {assetName(a)}
              </option>
            ))}
          </select>
        </label>
        <AmountField
          id="credit-amount"
          text={amountText}
          onChange={setAmountText}
          asset={asset}
          reading={amount}
          showError={touched || amountText !== ''}
          testId="credit-amount"
        />
        <label className="field">
          <span>Reason (kept in the ledger and the audit log)</span>
          <textarea
            rows={3}
            value={reason}
            maxLength={600}
            aria-invalid={(touched || reason !== '') && !!issues.reason}
            aria-describedby="credit-reason-error"
            onChange={(e) => setReason(e.target.value)}
            data-testid="credit-reason"
          />
          <FieldError id="credit-reason-error" message={touched || reason !== '' ? issues.reason : undefined} />
        </label>
        <SubmitActions
          pending={submission.pending}
          error={submission.error}
          disabled={touched && !valid}
          onCancel={props.onClose}
          disabledReason={notReady}
          label={{ idle: 'Credit wallet', pending: 'Crediting…', confirm: 'Confirm and ask for approval' }}
          testId="credit-submit"
          review={{
            active: review.reviewing,
            onBack: review.back,
            lines: [
              ['To', props.wallet.label],
              ['Amount', amount.ok && asset ? <Amount value={amount.baseUnits} assetId={asset.id} /> : '—'],
              ['Reason', reason],
              ['Network fee', 'none: the credit is booked in the ledger; no coins move'],
              ['Then', 'another operator with approval rights approves it before it is booked'],
            ],
          }}
        />
      </form>
    </Dialog>
  );
}
