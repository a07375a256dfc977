/**
 * @module `useResource`: loads data for a screen, with loading and error states and a `reload`.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { isAbort } from '../api/problem.ts';

/** What {@link useResource} returns. */
export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again, keeping the current data on screen meanwhile. */
  reload(): Promise<void>;
}

/** Options of {@link useResource}. */
export interface ResourceOptions {
  /** Also reload every so often while the page is visible, and when it becomes visible again. */
  refreshMs?: number;
  /** Skips those timed reloads while this says so (e.g. while updates arrive over the socket). */
  pauseWhile?: () => boolean;
}

/**
 * Runs `load` when the component mounts and whenever `deps` change; stale answers are dropped.
 * @example const devices = useResource(() => listDevices(), [], { refreshMs: 10_000 });
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[], options: ResourceOptions = {}): Resource<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const current = useRef<AbortController | undefined>(undefined);
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback(async (): Promise<void> => {
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    setState((previous) => ({ ...previous, loading: true }));
    try {
      const data = await loadRef.current(controller.signal);
      if (!controller.signal.aborted) setState({ data, error: undefined, loading: false });
    } catch (error) {
      if (!controller.signal.aborted && !isAbort(error)) setState((previous) => ({ ...previous, error, loading: false }));
    }
  }, []);

  useEffect(() => {
    void run();
    return () => current.current?.abort();
  }, deps);

  const { refreshMs } = options;
  const pauseWhile = useRef(options.pauseWhile);
  pauseWhile.current = options.pauseWhile;
  useEffect(() => {
    if (!refreshMs) return;
    const refresh = (): void => {
      if (document.visibilityState === 'visible' && !pauseWhile.current?.()) void run();
    };
    const timer = setInterval(refresh, refreshMs);
    document.addEventListener('visibilitychange', refresh);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', refresh);
    };
  }, [refreshMs]);

  return { ...state, reload: run };
}
