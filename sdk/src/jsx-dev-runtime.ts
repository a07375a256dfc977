/**
 * @module The development JSX entry (`jsxDEV`), used by bundlers in development mode; same output as jsx-runtime.
 */
import type { ViewElement } from './protocol.ts';
import { jsx, type FunctionComponent, type Key } from './jsx-runtime.ts';

export { Fragment, type JSX } from './jsx-runtime.ts';

/**
 * The development factory: the extra arguments (static children flag, source, self) are ignored.
 * @example jsxDEV('text', { children: 'hi' }, undefined); // { type: 'text', props: {}, children: ['hi'] }
 */
export function jsxDEV(type: string | FunctionComponent<never>, props: Record<string, unknown> | null, key?: Key): ViewElement {
  return jsx(type, props, key);
}
