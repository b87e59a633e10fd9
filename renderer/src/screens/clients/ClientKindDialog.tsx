import { useState } from 'react';
import type { ClientKind } from '@shared/reference/countries';
import { Dialog } from '../../components/Dialog';

const KINDS: Array<{ kind: ClientKind; title: string; detail: string }> = [
  { kind: 'individual', title: 'A person', detail: 'Identity document, proof of address and a personal tax id.' },
  { kind: 'business', title: 'A company', detail: 'Registration and tax ids, company documents and its beneficial owners, each with their own KYC.' },
];

/** New client, first question: a person (KYC) or a company (KYB); the matching form follows. */
export function ClientKindDialog(props: { onClose(): void; onChoose(kind: ClientKind): void }) {
  const [kind, setKind] = useState<ClientKind>('individual');
  return (
    <Dialog title="New client" onClose={props.onClose} testId="client-kind-dialog">
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          props.onChoose(kind);
        }}
      >
        <fieldset className="fieldset">
          <legend>Who is the client?</legend>
          {KINDS.map((k) => (
            <label key={k.kind} className="choice">
              <input type="radio" name="client-kind" value={k.kind} checked={kind === k.kind} onChange={() => setKind(k.kind)} data-testid={`client-kind-${k.kind}`} />
              <span>
                <strong>{k.title}</strong>
                <br />
                <span className="muted small">{k.detail}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <div className="actions">
          <button type="button" className="secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" data-testid="client-kind-continue">
            Continue
          </button>
        </div>
      </form>
    </Dialog>
  );
}
