/**
 * @module A minimal observable value and the hook that re-renders a component when it changes.
 */
import { useEffect, useState } from 'preact/hooks';

/** A value that components and modules can watch. */
export interface Store<T> {
  get(): T;
  set(next: T | ((previous: T) => T)): void;
  subscribe(listener: () => void): () => void;
}

/**
 * Creates a store holding `initial`.
 * @example const count = createStore(0); count.set((n) => n + 1);
 */
export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next) {
      const resolved = typeof next === 'function' ? (next as (previous: T) => T)(value) : next;
      if (Object.is(resolved, value)) return;
      value = resolved;
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The store's current value; the component renders again whenever it changes. */
export function useStore<T>(store: Store<T>): T {
  const [, setTick] = useState(0);
  const rerender = (): void => setTick((n) => n + 1);
  const value = store.get();
  useEffect(() => {
    const unsubscribe = store.subscribe(rerender);
    if (!Object.is(store.get(), value)) rerender(); // changed between render and subscribe
    return unsubscribe;
  }, [store]);
  return value;
}
