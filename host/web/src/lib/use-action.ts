/**
 * @module `useAction`: runs one button's request at a time, remembers which one is busy and the last error.
 */
import { useState } from 'preact/hooks';

/** What {@link useAction} returns. */
export interface Action {
  /** The key of the running action, if any. */
  busy: string | undefined;
  error: unknown;
  /** Runs `task` under `key`; resolves `true` when it succeeded. Ignored while another action runs. */
  run(key: string, task: () => Promise<unknown>): Promise<boolean>;
  clearError(): void;
}

/** Tracks the buttons of a screen. */
export function useAction(): Action {
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  return {
    busy,
    error,
    clearError: () => setError(undefined),
    async run(key, task) {
      if (busy) return false;
      setBusy(key);
      setError(undefined);
      try {
        await task();
        return true;
      } catch (caught) {
        setError(caught);
        return false;
      } finally {
        setBusy(undefined);
      }
    },
  };
}
