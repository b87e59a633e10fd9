import { QRCodeSVG } from 'qrcode.react';
import { CHAIN_LABELS } from '@shared/domain/chains';
import type { GasTankView } from '@shared/domain/sweeps';
import { useState } from 'react';
import { formatAmount, parseAmount } from '@shared/money';
import { treasury } from '../api';
import { Address } from '../components/Address';
import { Amount } from '../components/Amount';
import { useAssets } from '../store/assets';
import { amountInWords } from '../words/amounts';
import { explainRefusal } from '../words/refusals';
import { ReclaimGasButton } from './ReclaimGasButton';
import { SweepNowButton } from './SweepNowButton';

/**
 * Each chain's gas tank in the open: where to send coins (address and QR code), what it holds against its
 * threshold, about how many token sweeps that still pays for, and "Sweep now" for the chain.
 */
export function GasTanks({ tanks, onChanged }: { tanks: GasTankView[]; onChanged: () => void }) {
  return (
    <section className="card card--span" aria-labelledby="gas-title" data-testid="dashboard-gas">
      <h2 id="gas-title">Gas tanks</h2>
      <div className="gas-tanks">
        {tanks.map((tank) => (
          <GasTank key={tank.chain} tank={tank} onChanged={onChanged} />
        ))}
      </div>
    </section>
  );
}

function GasTank({ tank, onChanged }: { tank: GasTankView; onChanged: () => void }) {
  const label = CHAIN_LABELS[tank.chain];

  return (
    <article className="gas-tank" data-testid={`gas-tank-${tank.chain}`} aria-label={`${label} gas tank`}>
      {/* The state under the name, not beside it: a long state wrapped the chain's name and set the three cards askew. */}
      <div className="gas-tank__head">
        <h3>{label}</h3>
        <span className={tank.low || tank.balance === null ? 'bad small' : 'muted small'} data-testid={`gas-tank-${tank.chain}-status`}>
          {tank.balance === null ? 'Balance not read: the chain is unreachable or custody is locked.' : tank.low ? 'Low: below its threshold.' : 'Filled above its threshold.'}
        </span>
      </div>
      {tank.address ? (
        <div className="stack stack--tight">
          <div className="qr" style={{ alignSelf: 'flex-start' }} role="img" aria-label={`QR code of ${tank.address}`}>
            <QRCodeSVG value={tank.address} size={96} marginSize={2} />
          </div>
          <Address value={tank.address} className="address" testId={`gas-tank-${tank.chain}-address`} />
        </div>
      ) : (
        <p className="muted small">Unlock custody to show the address.</p>
      )}
      <dl>
        <dt>Balance</dt>
        <dd>{tank.balance === null ? <span className="muted">unknown</span> : <Amount value={tank.balance} assetId={tank.nativeAssetId} />}</dd>
        <dt>Threshold</dt>
        <dd>
          <Threshold tank={tank} onSaved={onChanged} />
        </dd>
        <dt>Sweeps it still covers</dt>
        <dd data-testid={`gas-tank-${tank.chain}-covers`}>{tank.sweepsCovered === null ? <span className="muted">not known before its first funding</span> : `about ${tank.sweepsCovered}`}</dd>
        {tank.topUpNeeded !== '0' && (
          <>
            <dt>Waiting sweeps need</dt>
            <dd className="bad">
              <Amount value={tank.topUpNeeded} assetId={tank.nativeAssetId} /> more ({tank.waitingSweeps} waiting)
            </dd>
          </>
        )}
      </dl>
      {tank.chain === 'tron' && tank.address && <EnergyStake tank={tank} onChanged={onChanged} />}
      <div className="gas-tank__actions">
        <SweepNowButton chain={tank.chain} testId={`gas-tank-${tank.chain}-sweep-now`} onPlanned={onChanged} />
        <ReclaimGasButton chain={tank.chain} nativeAssetId={tank.nativeAssetId} onPlanned={onChanged} />
      </div>
    </article>
  );
}

/** The tank's threshold in coins, changed in place (an admin's setting: the engine refuses anyone else in words). */
function Threshold({ tank, onSaved }: { tank: GasTankView; onSaved: () => void }) {
  const native = useAssets((st) => st.byId[tank.nativeAssetId]);
  const [editing, setEditing] = useState(false);
  if (!native) return <Amount value={tank.threshold} assetId={tank.nativeAssetId} />;
  const id = `gas-tank-${tank.chain}-threshold`;
  if (!editing) {
    return (
      <span className="sweep-now">
        <Amount value={tank.threshold} assetId={tank.nativeAssetId} />
        <button
          type="button"
          className="link"
          onClick={() => setEditing(true)}
          data-testid={`${id}-change`}
        >
          Change
        </button>
      </span>
    );
  }
  return (
    <CoinAmountForm
      id={id}
      symbol={native.symbol}
      decimals={native.decimals}
      initial={formatAmount(BigInt(tank.threshold), native.decimals)}
      label={`Threshold in ${native.symbol}`}
      example="2.5"
      submit="Save"
      onCancel={() => setEditing(false)}
      onSubmit={async (value) => {
        const result = await treasury.configuration.update({ chain: tank.chain, gasTankThreshold: value.toString() });
        if (!result.ok) return explainRefusal(result.error).message;
        setEditing(false);
        onSaved();
        return null;
      }}
    />
  );
}

/** An amount of a coin typed in whole units, checked, then handed on; `onSubmit` answers a problem in words or null. */
function CoinAmountForm(props: {
  id: string;
  symbol: string;
  decimals: number;
  initial?: string;
  label: string;
  /** A visible line above the field when the row has no label of its own (the threshold has one). */
  caption?: string;
  example: string;
  submit: string;
  onSubmit: (value: bigint) => Promise<string | null>;
  onCancel?: () => void;
  done?: string | null;
}) {
  const [text, setText] = useState(props.initial ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const save = async () => {
    let value: bigint;
    try {
      value = parseAmount(text, props.decimals);
    } catch {
      setProblem(`Give an amount of ${props.symbol}, such as ${props.example}.`);
      return;
    }
    const refused = await props.onSubmit(value);
    setProblem(refused);
    if (!refused) setText('');
  };
  return (
    <div className="stack stack--tight">
      {props.caption && <span className="muted small">{props.caption}</span>}
      <form
        className="sweep-now"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <input
          className="input--narrow"
          value={text}
          inputMode="decimal"
          aria-label={props.label}
          aria-invalid={problem !== null}
          onChange={(e) => setText(e.target.value)}
          data-testid={`${props.id}-input`}
        />
        {props.symbol}
        <button type="submit" className="secondary" data-testid={`${props.id}-save`}>
          {props.submit}
        </button>
        {props.onCancel && (
          <button type="button" className="link" onClick={props.onCancel}>
            Cancel
          </button>
        )}
        {problem && (
          <span className="bad small" role="alert">
            {problem}
          </span>
        )}
        {!problem && props.done && (
          <span className="muted small" role="status" data-testid={`${props.id}-done`}>
            {props.done}
          </span>
        )}
      </form>
    </div>
  );
}

/**
 * Tron: the stake behind the tank's energy (kept, lent to deposit addresses now), the energy it gives, what is
 * unstaking and when each part can be withdrawn; stake more, unstake, withdraw what is due.
 */
function EnergyStake({ tank, onChanged }: { tank: GasTankView; onChanged: () => void }) {
  const native = useAssets((st) => st.byId[tank.nativeAssetId]);
  const [done, setDone] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const energy = tank.energy;
  const id = `gas-tank-${tank.chain}-energy`;
  if (!native) return null;
  const coins = (value: string) => <Amount value={value} assetId={tank.nativeAssetId} />;
  const available = energy ? BigInt(energy.energyLimit) - BigInt(energy.energyUsed) : 0n;
  return (
    <div className="stack stack--tight" data-testid={id}>
      {energy ? (
        <dl>
          <dt>Staked for energy</dt>
          <dd data-testid={`${id}-staked`}>
            {coins(energy.staked)}
            {energy.lent !== '0' && <span className="muted small"> and {coins(energy.lent)} lent to deposit addresses now</span>}
          </dd>
          <dt>Energy</dt>
          <dd data-testid={`${id}-available`}>
            {(available > 0n ? available : 0n).toLocaleString('en-US')} available of {BigInt(energy.energyLimit).toLocaleString('en-US')} (
            {BigInt(energy.energyUsed).toLocaleString('en-US')} used, recovering over 24 hours)
          </dd>
          {energy.unstaking.length > 0 && (
            <>
              <dt>Unstaking</dt>
              <dd>
                <ul className="plain" data-testid={`${id}-unstaking`}>
                  {energy.unstaking.map((u, i) => (
                    <li key={`${u.withdrawableAt}-${i}`}>
                      {coins(u.amount)} {u.due ? <span className="ok">withdrawable now</span> : <span className="muted">withdrawable on {new Date(u.withdrawableAt).toLocaleString()}</span>}
                    </li>
                  ))}
                </ul>
              </dd>
            </>
          )}
        </dl>
      ) : (
        <p className="muted small">The stake could not be read from the Tron node just now.</p>
      )}
      {/* Staking needs the node the stake could not be read from: offered once it answers. */}
      {energy && <StakeForEnergy tank={tank} onStaked={onChanged} />}
      {energy && energy.staked !== '0' && (
        <CoinAmountForm
          id={`${id}-unstake`}
          symbol={native.symbol}
          decimals={native.decimals}
          label={`${native.symbol} to unstake`}
          caption={`Unstake ${native.symbol}: it stops giving energy now and can be withdrawn after the network’s unstaking period.`}
          example="1000"
          submit="Unstake"
          done={done}
          onSubmit={async (value) => {
            const result = await treasury.sweeps.unstakeEnergy({ amount: value.toString() });
            if (!result.ok) return explainRefusal(result.error).message;
            setDone(`${amountInWords(value, native)} unstaked: it gives no energy from now on and can be withdrawn once the network's unstaking period is over.`);
            onChanged();
            return null;
          }}
        />
      )}
      {energy && energy.withdrawable !== '0' && (
        <div className="sweep-now">
          <button
            type="button"
            className="secondary"
            data-testid={`${id}-withdraw`}
            onClick={async () => {
              const result = await treasury.sweeps.withdrawUnstaked({});
              if (!result.ok) {
                setProblem(explainRefusal(result.error).message);
                return;
              }
              setProblem(null);
              setDone(`${amountInWords(result.data.amount, native)} back in the gas tank's balance.`);
              onChanged();
            }}
          >
            Withdraw {amountInWords(energy.withdrawable, native)} unstaked
          </button>
          {problem && (
            <span className="bad small" role="alert">
              {problem}
            </span>
          )}
        </div>
      )}
    </div>
  );
}

/**
 * Tron: freeze some of the tank's TRX for energy (Stake 2.0). Its USDT sweeps then borrow that energy instead of
 * burning TRX, and give it back after each sweep; an officer's action, audited by the engine.
 */
function StakeForEnergy({ tank, onStaked }: { tank: GasTankView; onStaked: () => void }) {
  const native = useAssets((st) => st.byId[tank.nativeAssetId]);
  const [done, setDone] = useState<string | null>(null);
  if (!native) return null;
  return (
    <CoinAmountForm
      id={`gas-tank-${tank.chain}-stake`}
      symbol={native.symbol}
      decimals={native.decimals}
      label={`${native.symbol} to stake for energy`}
      caption={`Stake ${native.symbol} for energy: USDT sweeps borrow it instead of burning ${native.symbol}.`}
      example="5000"
      submit="Stake for energy"
      done={done}
      onSubmit={async (value) => {
        const result = await treasury.sweeps.stakeEnergy({ amount: value.toString() });
        if (!result.ok) return explainRefusal(result.error).message;
        setDone(`${amountInWords(value, native)} staked for energy: USDT sweeps borrow it instead of burning ${native.symbol}.`);
        onStaked();
        return null;
      }}
    />
  );
}
