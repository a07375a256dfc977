/**
 * @module What every rendered component of a page needs: the page it belongs to, how to send its events and
 * navigations, and whether a node waits for its page's answer (pending press).
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Json } from '../../../../../sdk/src/protocol.ts';

/** The page a component is rendered in. */
export interface PageScope {
  appId: string;
  /** The running version's code: its assets are served under it (see content.tsx `imageUrl`). */
  versionCode: number | undefined;
  pageId: number;
  /** Sends an event for `handler`; `pressed` shows that node's pending state until the page's next patch. */
  emit(handler: string, detail: object, pressed?: number): void;
  /** A navigator was tapped. */
  navigate(url: Json | undefined, openType: Json | undefined): void;
  /** True while node `nodeId` waits for its page's next patch. */
  isPressed(nodeId: number): boolean;
  /** Counts the page's presses and submits: after one, text fields show the app's value again (see fields.tsx). */
  interactions(): number;
}

export const PageContext = createContext<PageScope | undefined>(undefined);

/** The page scope; throws outside a rendered page (a programming error). */
export function usePage(): PageScope {
  const scope = useContext(PageContext);
  if (!scope) throw new Error('mini-app components render inside a PageContext');
  return scope;
}

/** The handler name an event prop holds, or undefined. */
export function handlerOf(props: Record<string, Json>, event: string): string | undefined {
  const value = props[event];
  return typeof value === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/.test(value) ? value : undefined;
}

/** A string prop, or `fallback`. */
export function str(props: Record<string, Json>, name: string, fallback = ''): string {
  const value = props[name];
  return typeof value === 'string' ? value : fallback;
}

/** A finite number prop, or `fallback`. */
export function num(props: Record<string, Json>, name: string, fallback: number): number {
  const value = props[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** A boolean prop (only `true` counts). */
export function flag(props: Record<string, Json>, name: string): boolean {
  return props[name] === true;
}
