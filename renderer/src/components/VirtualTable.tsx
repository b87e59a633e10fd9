import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';

export interface Column<T> {
  header: string;
  cell(row: T): ReactNode;
  numeric?: boolean;
}

/**
 * A long list of engine rows: virtualized, loads the next page as the end comes near, and moves a
 * roving focus with the arrow keys (Enter opens the focused row).
 */
export function VirtualTable<T>(props: {
  label: string;
  rows: T[];
  rowKey(row: T): string;
  columns: Column<T>[];
  /** CSS grid-template-columns for header and rows. */
  template: string;
  hasMore: boolean;
  loadingMore: boolean;
  onNeedMore(): void;
  onOpen?(row: T): void;
  rowHeight?: number;
  height?: string;
  noun: [string, string];
  testId?: string;
  rowTestId?: string;
}) {
  const rowHeight = props.rowHeight ?? 46;
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const virtualizer = useVirtualizer({
    count: props.rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];
  const { hasMore, onNeedMore, rows } = props;
  useEffect(() => {
    if (last && last.index >= rows.length - 40 && hasMore) onNeedMore();
  }, [last, rows.length, hasMore, onNeedMore]);

  const focusRow = (index: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, index));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
    requestAnimationFrame(() => scroller.current?.querySelector<HTMLElement>(`[data-index="${next}"]`)?.focus());
  };
  const onKeyDown = (e: KeyboardEvent, index: number, row: T) => {
    if (e.key === 'ArrowDown') focusRow(index + 1);
    else if (e.key === 'ArrowUp') focusRow(index - 1);
    else if (e.key === 'Home') focusRow(0);
    else if (e.key === 'End') focusRow(rows.length - 1);
    else if (e.key === 'PageDown') focusRow(index + 10);
    else if (e.key === 'PageUp') focusRow(index - 10);
    else if ((e.key === 'Enter' || e.key === ' ') && props.onOpen) props.onOpen(row);
    else return;
    e.preventDefault();
  };

  return (
    <div className="table-frame" role="table" aria-label={props.label} aria-rowcount={rows.length} data-testid={props.testId}>
      <div className="vrow vrow--head" role="row" style={{ gridTemplateColumns: props.template }}>
        {props.columns.map((column) => (
          <span key={column.header} role="columnheader" className={column.numeric ? 'num' : undefined}>
            {column.header}
          </span>
        ))}
      </div>
      <div ref={scroller} className="vscroll" style={props.height ? { height: props.height } : undefined}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = rows[item.index]!;
            return (
              <div
                key={props.rowKey(row)}
                role="row"
                data-index={item.index}
                tabIndex={item.index === active ? 0 : -1}
                className={props.onOpen ? 'vrow vrow--link' : 'vrow'}
                style={{ transform: `translateY(${item.start}px)`, height: rowHeight, gridTemplateColumns: props.template }}
                onClick={props.onOpen ? () => props.onOpen!(row) : undefined}
                onFocus={() => setActive(item.index)}
                onKeyDown={(e) => onKeyDown(e, item.index, row)}
                data-testid={props.rowTestId}
              >
                {props.columns.map((column) => (
                  <span key={column.header} role="cell" className={column.numeric ? 'num ellipsis' : 'ellipsis'}>
                    {column.cell(row)}
                  </span>
                ))}
              </div>
            );
          })}
        </div>
      </div>
      <div className="table-foot muted" aria-live="polite">
        {rows.length.toLocaleString()} {rows.length === 1 ? props.noun[0] : props.noun[1]} loaded
        {props.loadingMore ? ' · loading more…' : hasMore ? ' · scroll for more' : ''}
      </div>
    </div>
  );
}
