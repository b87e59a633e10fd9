import { useEffect, useMemo, useRef, useState } from 'react';
import type { SearchResults } from '@shared/domain/activity';
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
import { movementStatus } from '../words/movements';

interface Hit {
  key: string;
  group: 'Clients' | 'Wallets' | 'Addresses' | 'Transactions';
  title: React.ReactNode;
  detail: string;
  screen: Screen;
  open(): void;
}

const PER_GROUP = 6;
const NONE: SearchResults = { clients: [], wallets: [], transactions: [] };
const KYC_WORDS: Record<string, string> = { draft: 'KYC not submitted', submitted: 'KYC in review', verified: 'KYC verified', rejected: 'KYC rejected', suspended: 'Suspended' };
const TX_WORDS = { deposit: 'Deposit', withdrawal: 'Withdrawal', sweep: 'Sweep' } as const;

/**
 * Ctrl+K: one box over clients (by name), wallets (alias), addresses (a wallet's address) and transactions
 * (a deposit's, withdrawal's or sweep's hash prefix or id). The engine searches (activity:search), a few of each,
 * so whatever is found does not depend on what a screen happened to load.
 */
export function CommandPalette() {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [found, setFound] = useState<SearchResults>(NONE);
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

  useEffect(() => {
    if (!open) return;
    setText('');
    setActive(0);
    input.current?.focus();
  }, [open]);

  useEffect(() => {
    const q = text.trim();
    if (!open || q.length < 2) return setFound(NONE);
    let live = true;
    const timer = setTimeout(() => {
      void treasury.activity.search({ text: q, limit: PER_GROUP }).then((r) => live && setFound(r.ok ? r.data : NONE));
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text, open]);

  const hits = useMemo<Hit[]>(() => {
    if (text.trim().length < 2) return [];
    const close = () => setOpen(false);
    const openWallet = (walletId: string) => {
      useWalletScreen.getState().open(walletId);
      go('wallets');
      close();
    };
    const clientHits = found.clients.map<Hit>((c) => ({
      key: `c${c.clientId}`,
      group: 'Clients',
      title: c.name,
      detail: KYC_WORDS[c.kycStatus] ?? 'Client',
      screen: 'clients',
      open: () => {
        useClientScreen.getState().open(c.clientId);
        go('clients');
        close();
      },
    }));
    const walletHits = found.wallets.map<Hit>((w) => ({
      key: `${w.matched}${w.walletId}`,
      group: w.matched === 'alias' ? 'Wallets' : 'Addresses',
      title: w.matched === 'alias' ? w.label : <Address value={w.address} copy={false} />,
      detail: w.matched === 'alias' ? `${chainName(w.chain)} wallet${w.clientName ? ` · ${w.clientName}` : ''}` : `${w.label} · ${chainName(w.chain)}`,
      screen: 'wallets',
      open: () => openWallet(w.walletId),
    }));
    const txHits = found.transactions.map<Hit>((t) => ({
      key: `t${t.type}${t.id}`,
      group: 'Transactions',
      title: (
        <>
          {TX_WORDS[t.type]} of <Amount value={t.amount} assetId={t.assetId} />
        </>
      ),
      detail: `${movementStatus(t.type, t.status)} · ${t.walletLabel ?? 'company'} · ${new Date(t.at).toLocaleDateString()}${t.txHash ? ` · ${t.txHash.slice(0, 10)}…${t.txHash.slice(-6)}` : ''}`,
      screen: t.type === 'withdrawal' || !t.walletId ? 'withdrawals' : 'wallets',
      open: () => {
        if (t.type === 'withdrawal') {
          useWithdrawalFocus.getState().open(t.id);
          go('withdrawals');
          close();
        } else if (t.walletId) openWallet(t.walletId);
      },
    }));
    const order: Hit['group'][] = ['Clients', 'Wallets', 'Addresses', 'Transactions'];
    return [...clientHits, ...walletHits, ...txHits].sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group)).filter((h) => screenAllowed(h.screen, role));
  }, [text, found, role, go]);

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
