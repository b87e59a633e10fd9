import { useCallback, useEffect, useState } from 'react';
import type { ControlsSettings } from '@shared/domain/controls';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';

/**
 * The controls' settings as a settings card reads and saves them; `onLoaded` resets the card's typed field
 * to what the engine holds after each load and save.
 */
export function useControlsSettings(onLoaded: (settings: ControlsSettings) => void) {
  const [settings, setSettings] = useState<ControlsSettings | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState(false);
  const load = useCallback(async () => {
    const result = await treasury.withdrawals.controlsGet({});
    if (result.ok) {
      setSettings(result.data);
      onLoaded(result.data);
    } else setError(result.error);
    // onLoaded only sets the card's own state: loading once is enough
  }, []);
  useEffect(() => void load(), [load]);
  const save = async (patch: Partial<ControlsSettings>) => {
    setSaved(false);
    const result = await treasury.withdrawals.controlsSet(patch);
    if (result.ok) {
      setSettings(result.data);
      onLoaded(result.data);
      setError(null);
      setSaved(true);
    } else setError(result.error);
  };
  return { settings, error, saved, load, save };
}
