import { useEffect, useMemo, useRef, useState } from 'react';
import type { ClientView } from '@shared/domain/clients';
import type { WalletView } from '@shared/domain/wallets';
import type { WithdrawalView } from '@shared/domain/withdrawals';
import { treasury } from '../api';
import { useClientScreen } from '../store/clients';
import { screenAllowed, useNavigation, type Screen } from '../store/navigation';
import { useSystem } from '../store/system';
import { useWalletScreen } from '../store/wallets';
import { useWithdrawalFocus } from '../store/withdrawal-focus';
import { chainName } from '../words/names';
import { Address } from './Address';
import { Amount } from './Amount';
import { isPaletteKey } from './shortcuts';
import { WITHDRAWAL_STATE_LABELS } from '../screens/withdrawals/labels';

interface Hit {
  key: string;
  group: 'Clients' | 'Wallets' | 'Addresses' | 'Transactions';
  title: React.ReactNode;
  detail: string;
  screen: Screen;
  open(): void;
}

const PER_GROUP = 6;

/**
 * Ctrl+K: one box over clients (by name, e-mail, tax id or document number), wallets (label), addresses
 * (a wallet's address) and transactions (a withdrawal's hash or destination). Names are matched here on the
 * list's first page because the engine's client search takes whole words; wallets are searched by the engine.
 */
export function CommandPalette() {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [clients, setClients] = useState<ClientView[]>([]);
  const [found, setFound] = useState<{ clients: ClientView[]; wallets: WalletView[] }>({ clients: [], wallets: [] });
  const [withdrawals, setWithdrawals] = useState<WithdrawalView[]>([]);
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const role = useSystem((s) => s.session?.session?.operator.role);
  const go = useNavigation((s) => s.go);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isPaletteKey(e)) return;
      e.preventDefault();
      setOpen((o) => !o);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // What the box filters locally is read once per opening: the newest clients and withdrawals.
  useEffect(() => {
    if (!open) return;
    setText('');
    setActive(0);
    input.current?.focus();
    if (screenAllowed('clients', role)) void treasury.clients.list({ limit: 500 }).then((r) => r.ok && setClients(r.data.items));
    void treasury.withdrawals.list({ limit: 500 }).then((r) => r.ok && setWithdrawals(r.data.items));
  }, [open, role]);

  useEffect(() => {
    const q = text.trim();
    if (!open || q.length < 2) return setFound({ clients: [], wallets: [] });
    const timer = setTimeout(() => {
      void Promise.all([
        screenAllowed('clients', role) ? treasury.clients.list({ search: q, limit: PER_GROUP }) : null,
        treasury.wallets.list({ search: q, limit: PER_GROUP * 2 }),
      ]).then(([c, w]) => setFound({ clients: c?.ok ? c.data.items : [], wallets: w.ok ? w.data.items : [] }));
    }, 150);
    return () => clearTimeout(timer);
  }, [text, open, role]);

  const hits = useMemo<Hit[]>(() => {
    const q = text.trim().toLowerCase();
    if (q.length < 2) return [];
    const close = () => setOpen(false);
    const toClient = (c: ClientView): Hit => ({
      key: `c${c.id}`,
      group: 'Clients',
      title: c.legalName,
      detail: `KYC ${c.kycStatus}`,
      screen: 'clients',
      open: () => {
        useClientScreen.getState().open(c.id);
        go('clients');
        close();
      },
    });
    const byName = clients.filter((c) => c.legalName.toLowerCase().includes(q));
    const clientHits = [...new Map([...found.clients, ...byName].map((c) => [c.id, c])).values()].slice(0, PER_GROUP).map(toClient);
    const toWallet = (w: WalletView, group: 'Wallets' | 'Addresses'): Hit => ({
      key: `${group}${w.id}`,
      group,
      title: group === 'Wallets' ? w.label : <Address value={w.address} copy={false} />,
      detail: group === 'Wallets' ? `${chainName(w.chain)} wallet` : `${w.label} · ${chainName(w.chain)}`,
      screen: 'wallets',
      open: () => {
        useWalletScreen.getState().open(w.id);
        go('wallets');
        close();
      },
    });
    const walletHits = found.wallets.filter((w) => w.label.toLowerCase().includes(q)).slice(0, PER_GROUP).map((w) => toWallet(w, 'Wallets'));
    const addressHits = found.wallets.filter((w) => w.address.toLowerCase().includes(q)).slice(0, PER_GROUP).map((w) => toWallet(w, 'Addresses'));
    const txHits = withdrawals
      .filter((w) => w.txHashes.some((h) => h.toLowerCase().includes(q)) || w.destination.toLowerCase().includes(q))
      .slice(0, PER_GROUP)
      .map<Hit>((w) => ({
        key: `t${w.id}`,
        group: 'Transactions',
        title: (
          <>
            Withdrawal of <Amount value={w.amount} assetId={w.assetId} />
          </>
        ),
        detail: `${WITHDRAWAL_STATE_LABELS[w.state]} · ${new Date(w.createdAt).toLocaleDateString()}`,
        screen: 'withdrawals',
        open: () => {
          useWithdrawalFocus.getState().open(w.id);
          go('withdrawals');
          close();
        },
      }));
    return [...clientHits, ...walletHits, ...addressHits, ...txHits].filter((h) => screenAllowed(h.screen, role));
  }, [text, clients, found, withdrawals, role, go]);

  if (!open) return null;
  const choose = (i: number) => hits[i]?.open();
  return (
    <div className="palette__backdrop" onClick={() => setOpen(false)} data-testid="command-palette">
      <div className="palette" role="dialog" aria-label="Search everything" onClick={(e) => e.stopPropagation()}>
        <input
          ref={input}
          className="palette__input"
          value={text}
          placeholder="Search clients, wallets, addresses and transactions…"
          aria-label="Search"
          onChange={(e) => {
            setText(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setOpen(false);
            else if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, hits.length - 1));
            else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
            else if (e.key === 'Enter') choose(active);
            else return;
            e.preventDefault();
          }}
          data-testid="palette-input"
        />
        <ul className="palette__list" role="listbox">
          {text.trim().length < 2 && <li className="palette__empty muted">Type at least two characters. ↑ ↓ to move, Enter to open, Esc to close.</li>}
          {text.trim().length >= 2 && hits.length === 0 && <li className="palette__empty muted">Nothing matches “{text.trim()}”.</li>}
          {hits.map((hit, i) => (
            <li key={hit.key} role="option" aria-selected={i === active}>
              {(i === 0 || hits[i - 1]!.group !== hit.group) && <div className="palette__group">{hit.group}</div>}
              <button
                type="button"
                className={i === active ? 'palette__hit palette__hit--active' : 'palette__hit'}
                onMouseEnter={() => setActive(i)}
                onClick={() => choose(i)}
                data-testid="palette-hit"
              >
                <span className="palette__title">{hit.title}</span>
                <span className="palette__detail muted small">{hit.detail}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
