/**
 * @module An app's `style` prop as the shell applies it: each property re-checked against the SDK's whitelist
 * (never trust the wire), numbers for lengths as px, and `rpx` (750 per page width, as in WeChat) as container
 * query units of the page. Styles are set through the CSSOM by Preact, which the strict CSP allows.
 */
import type { Json } from '../../../../../sdk/src/protocol.ts';
import { checkStyle, STYLE_PROPERTIES, type StyleGrammar } from '../../../../../sdk/src/view/index.ts';

const RPX = /(-?(?:\d+|\d*\.\d+))rpx\b/g;

/** `12rpx` → the page-width fraction in `cqw` (the page is the query container). */
function convertRpx(value: string): string {
  return value.replace(RPX, (_, n: string) => `${Number((Number(n) / 7.5).toFixed(4))}cqw`);
}

/** The CSS value of one checked property. */
function cssValue(grammar: StyleGrammar, value: string | number): string {
  if (typeof value === 'number') return grammar.kind === 'length' ? `${value}px` : String(value);
  return convertRpx(value.trim());
}

/**
 * The valid part of `style` as a Preact style object; invalid properties are dropped one by one.
 * @example cssStyle({ padding: '10rpx 12px', color: 'url(x)', width: 100 }) // { padding: '1.3333cqw 12px', width: '100px' }
 */
export function cssStyle(style: Json | undefined): Record<string, string> | undefined {
  if (!style || typeof style !== 'object' || Array.isArray(style)) return undefined;
  const css: Record<string, string> = {};
  let count = 0;
  for (const [property, value] of Object.entries(style)) {
    if ((typeof value !== 'string' && typeof value !== 'number') || !Object.hasOwn(STYLE_PROPERTIES, property)) continue;
    if (checkStyle({ [property]: value }).length > 0) continue;
    css[property] = cssValue((STYLE_PROPERTIES as Record<string, StyleGrammar>)[property] as StyleGrammar, value);
    if (++count >= 40) break;
  }
  return count > 0 ? css : undefined;
}

/** A color prop (`color`, `activeColor`, …) when it is a valid color, for a CSS custom property or style. */
export function cssColor(value: Json | undefined): string | undefined {
  return typeof value === 'string' && checkStyle({ color: value }).length === 0 ? value : undefined;
}
