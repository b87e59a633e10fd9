import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '@shared/domain/ledger';
import type { AppError, Result } from '@shared/result';

export interface PagedList<T> {
  items: T[];
  /** True until the first page answered. */
  loading: boolean;
  loadingMore: boolean;
  hasMore: boolean;
  error: AppError | null;
  loadMore(): void;
  reload(): void;
}

/**
 * Cursor paging for long lists: the first page on mount and whenever `key` changes (new filters), more
 * pages on demand. A page that answers after the key changed is dropped, so a slow old search cannot
 * overwrite a newer one.
 */
export function usePagedList<T>(key: string, fetchPage: (cursor: string | undefined) => Promise<Result<Page<T>>>): PagedList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const generation = useRef(0);
  const inFlight = useRef(false);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const loadFirst = useCallback(async () => {
    const mine = ++generation.current;
    inFlight.current = true;
    setLoading(true);
    setError(null);
    const result = await fetchRef.current(undefined);
    if (mine !== generation.current) return;
    inFlight.current = false;
    setLoading(false);
    if (result.ok) {
      setItems(result.data.items);
      setCursor(result.data.nextCursor);
    } else {
      setItems([]);
      setCursor(null);
      setError(result.error);
    }
  }, []);

  useEffect(() => {
    void loadFirst();
  }, [key, loadFirst]);

  const loadMore = useCallback(() => {
    if (inFlight.current || cursor === null) return;
    const mine = generation.current;
    inFlight.current = true;
    setLoadingMore(true);
    void fetchRef.current(cursor).then((result) => {
      if (mine !== generation.current) return;
      inFlight.current = false;
      setLoadingMore(false);
      if (result.ok) {
        setItems((previous) => previous.concat(result.data.items));
        setCursor(result.data.nextCursor);
      } else setError(result.error);
    });
  }, [cursor]);

  return { items, loading, loadingMore, hasMore: cursor !== null, error, loadMore, reload: () => void loadFirst() };
}
