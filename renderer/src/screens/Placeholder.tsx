import { EmptyState } from '../components/States';

/** Screens whose engine areas have not landed yet say so plainly instead of showing sample data. */
export function NotYetAvailable({ area }: { area: string }) {
  return (
    <EmptyState title={`${area} is not available in this build yet`}>
      The engine does not offer these operations yet, so there is nothing to show. Nothing here is sample data.
    </EmptyState>
  );
}
