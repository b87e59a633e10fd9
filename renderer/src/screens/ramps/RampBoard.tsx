import { useState, type ReactNode } from 'react';
import type { Page } from '@shared/domain/ledger';
import type { Result } from '@shared/result';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import { useEngineEvents } from '../../store/engine-events';
import { usePagedList } from '../../store/paged-list';

/**
 * One ramp pipeline as a table filtered by state, each row naming the officer's next action, with the
 * step dialog for the opened ramp and the dialog that starts a new one. On-ramps and off-ramps differ
 * only in what they list and show.
 */
export function RampBoard<State extends string, Ramp extends { id: string; state: State; createdAt: string }>(props: {
  /** 'onramp' or 'offramp': names test ids. */
  kind: string;
  /** "on-ramp", "on-ramps" */
  noun: [string, string];
  states: readonly State[];
  next: Record<State, string>;
  version: number;
  list(state: State | undefined, cursor: string | undefined): Promise<Result<Page<Ramp>>>;
  /** One ramp read again: the open step dialog follows a move another operator or the chain made. */
  get(id: string): Promise<Result<Ramp>>;
  columns: Column<Ramp>[];
  template: string;
  emptyHint: string;
  step(ramp: Ramp, close: () => void, done: (next: Ramp) => void): ReactNode;
  request(close: () => void, done: (ramp: Ramp) => void): ReactNode;
  onChanged(): void;
}) {
  const [state, setState] = useState<State | ''>('');
  const [selected, setSelected] = useState<Ramp | null>(null);
  const [requesting, setRequesting] = useState(false);
  const list = usePagedList<Ramp>(`${state}|${props.version}`, (cursor) => props.list(state || undefined, cursor));
  useEngineEvents((event) => {
    if (event.type !== 'ramp.status' || event.rampKind !== props.kind || event.rampId !== selected?.id) return;
    void props.get(event.rampId).then((result) => {
      if (result.ok) setSelected((current) => (current?.id === result.data.id ? result.data : current));
    });
  });
  const [singular, plural] = props.noun;
  const title = `${plural.charAt(0).toUpperCase()}${plural.slice(1)}`;
  return (
    <div className="stack">
      <div className="toolbar toolbar--center">
        <label className="field">
          <span>State</span>
          <select value={state} onChange={(e) => setState(e.target.value as State | '')} data-testid={`${props.kind}s-filter`}>
            <option value="">All states</option>
            {props.states.map((s) => (
              <option key={s} value={s}>
                {s.replace('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <span className="spacer" />
        <button type="button" onClick={() => setRequesting(true)} data-testid={`${props.kind}-new`}>
          New {singular}
        </button>
      </div>
      {list.error && <ErrorState error={list.error} onRetry={list.reload} />}
      {list.loading ? (
        <Loading what={plural} />
      ) : list.items.length === 0 && !list.error ? (
        <EmptyState title={`No ${plural} here`}>{props.emptyHint}</EmptyState>
      ) : (
        <VirtualTable
          label={title}
          rows={list.items}
          rowKey={(r) => r.id}
          template={props.template}
          columns={[
            ...props.columns,
            { header: 'State', cell: (r) => <span className="badge" style={{ marginLeft: 0 }}>{r.state.replace('_', ' ')}</span> },
            { header: 'Next action', cell: (r) => <strong>{props.next[r.state]}</strong> },
          ]}
          hasMore={list.hasMore}
          loadingMore={list.loadingMore}
          onNeedMore={list.loadMore}
          onOpen={(r) => setSelected(r)}
          noun={props.noun}
          testId={`${props.kind}s-table`}
          rowTestId={`${props.kind}-row`}
        />
      )}
      {selected &&
        props.step(
          selected,
          () => setSelected(null),
          (next) => {
            setSelected(next);
            props.onChanged();
          },
        )}
      {requesting &&
        props.request(
          () => setRequesting(false),
          (ramp) => {
            setRequesting(false);
            setSelected(ramp);
            props.onChanged();
          },
        )}
    </div>
  );
}
