import type { ExpressionBuilder, ExpressionWrapper, SqlBool } from 'kysely';
import type { Page } from '@shared/domain/ledger';
import { DomainError } from '@shared/result';

/**
 * Keyset paging for lists ordered newest first by (created_at desc, id desc): the cursor is the last
 * row's "created_at|id", so a page costs the same however deep it is and rows added meanwhile do not
 * shift it.
 */
export function olderThanCursor(cursor: string) {
  const [createdAt, id] = cursor.split('|');
  if (!createdAt || !id) throw new DomainError('validation', 'The page cursor is not valid.');
  // Typed loosely so any table with created_at and id columns can use it.
  return (eb: ExpressionBuilder<any, any>): ExpressionWrapper<any, any, SqlBool> =>
    eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]);
}

/** The page of `limit` rows out of a query that fetched `limit + 1`, with the cursor to the next one. */
export async function keysetPage<Row extends { created_at: string; id: string }, View>(
  rows: Row[],
  limit: number,
  view: (row: Row) => View | Promise<View>,
): Promise<Page<View>> {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: await Promise.all(page.map(view)),
    nextCursor: rows.length > limit && last ? `${last.created_at}|${last.id}` : null,
  };
}
