/**
 * @module The app's page stack in the browser's history: one entry (same address) per page above the first,
 * so the browser's and the phone's back button go back within the app (`app.back`) before they leave it.
 * Entries follow the stack when the app moves it itself (navigateBack, redirect, reLaunch, reload).
 */
import { useEffect, useRef } from 'preact/hooks';

/** What {@link useHistoryStack} returns. */
export interface HistoryStack {
  /** Goes back one history entry of the app (the popstate then sends `app.back`); false when there is none. */
  back(): boolean;
  /** Drops the app's entries, then calls `go` (which leaves the container). */
  leave(go: () => void): void;
}

/** Marks the entries this hook pushed. */
interface EntryState {
  atriumMiniApp: number;
}

/**
 * Keeps `pages - 1` history entries above the container's own; `onPop` runs when the person goes back through
 * one of them (send `app.back`).
 */
export function useHistoryStack(pages: number, onPop: () => void): HistoryStack {
  const pushed = useRef(0);
  /** popstate events caused by our own `history.go`, to ignore. */
  const skips = useRef(0);
  const leaving = useRef<(() => void) | undefined>(undefined);
  const onPopRef = useRef(onPop);
  onPopRef.current = onPop;

  useEffect(() => {
    if (leaving.current) return;
    const wanted = Math.max(0, pages - 1);
    if (wanted > pushed.current) {
      for (let depth = pushed.current + 1; depth <= wanted; depth++) history.pushState({ atriumMiniApp: depth } satisfies EntryState, '', location.href);
      pushed.current = wanted;
    } else if (wanted < pushed.current) {
      skips.current += 1;
      history.go(wanted - pushed.current);
      pushed.current = wanted;
    }
  }, [pages]);

  useEffect(() => {
    const onPopState = (): void => {
      if (skips.current > 0) {
        skips.current -= 1;
        return;
      }
      const go = leaving.current;
      if (go) {
        leaving.current = undefined;
        go();
        return;
      }
      if (pushed.current > 0) {
        pushed.current -= 1;
        onPopRef.current();
      }
    };
    addEventListener('popstate', onPopState);
    return () => removeEventListener('popstate', onPopState);
  }, []);

  return {
    back() {
      if (pushed.current === 0) return false;
      history.back();
      return true;
    },
    leave(go) {
      if (pushed.current === 0) return go();
      leaving.current = go;
      const depth = pushed.current;
      pushed.current = 0;
      history.go(-depth);
    },
  };
}
