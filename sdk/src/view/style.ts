/**
 * @module The `style` prop: an object of whitelisted CSS properties whose values match strict grammars.
 *
 * Apps never pass a CSS string. A style is `{ camelCaseProperty: value }` where the property is in
 * {@link STYLE_PROPERTIES} and each space-separated token of the value matches that property's grammar: lengths
 * (`12`, `12px`, `50%`, `2rpx`, `1.5em`, `auto`), colors (`#0a0`, `rgb(…)`, `hsl(…)`, named), keywords or numbers.
 * There is no `url()`, `expression()`, `var()`, `;`, quote or backslash, and no `position: fixed`, so a style can
 * neither load anything nor escape the app's area of the shell. Numbers for length properties mean px.
 */

const LENGTH = /^-?(?:\d+|\d*\.\d+)(?:px|rpx|%|em|rem|vw|vh)?$/;
const NUMBER = /^-?(?:\d+|\d*\.\d+)$/;
const HEX = /^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;
const FUNCTIONAL = /^(?:rgba?|hsla?)\(\s*-?[\d.]+%?(?:\s*,\s*-?[\d.]+%?){2,3}\s*\)$/;
const NAMED_COLORS = new Set([
  'transparent', 'currentcolor', 'black', 'white', 'gray', 'grey', 'silver', 'red', 'maroon', 'orange', 'yellow', 'olive',
  'lime', 'green', 'teal', 'aqua', 'cyan', 'blue', 'navy', 'purple', 'fuchsia', 'magenta', 'pink', 'brown', 'gold', 'coral',
  'crimson', 'indigo', 'violet', 'tomato', 'salmon', 'khaki', 'lightgray', 'lightgrey', 'darkgray', 'darkgrey', 'whitesmoke',
]);

/** How a property's value is checked. */
export type StyleGrammar =
  | { kind: 'length'; max: 1 | 2 | 4 }
  | { kind: 'color' }
  | { kind: 'number'; min: number; max: number; integer?: boolean }
  | { kind: 'keyword'; values: readonly string[] }
  | { kind: 'border' }
  | { kind: 'shadow' }
  | { kind: 'flex' }
  | { kind: 'lineHeight' };

const length1: StyleGrammar = { kind: 'length', max: 1 };
const length4: StyleGrammar = { kind: 'length', max: 4 };
const color: StyleGrammar = { kind: 'color' };
const border: StyleGrammar = { kind: 'border' };
const keywords = (...values: string[]): StyleGrammar => ({ kind: 'keyword', values });

/** Every CSS property an app may set, with its value grammar. */
export const STYLE_PROPERTIES = {
  display: keywords('flex', 'block', 'inline', 'inline-block', 'inline-flex', 'grid', 'none'),
  position: keywords('relative', 'absolute', 'static', 'sticky'),
  top: length1, right: length1, bottom: length1, left: length1,
  zIndex: { kind: 'number', min: 0, max: 1000, integer: true },
  width: length1, height: length1, minWidth: length1, minHeight: length1, maxWidth: length1, maxHeight: length1,
  margin: length4, marginTop: length1, marginRight: length1, marginBottom: length1, marginLeft: length1,
  padding: length4, paddingTop: length1, paddingRight: length1, paddingBottom: length1, paddingLeft: length1,
  boxSizing: keywords('border-box', 'content-box'),
  flex: { kind: 'flex' },
  flexDirection: keywords('row', 'row-reverse', 'column', 'column-reverse'),
  flexWrap: keywords('nowrap', 'wrap', 'wrap-reverse'),
  flexGrow: { kind: 'number', min: 0, max: 1000 },
  flexShrink: { kind: 'number', min: 0, max: 1000 },
  flexBasis: length1,
  justifyContent: keywords('flex-start', 'flex-end', 'center', 'space-between', 'space-around', 'space-evenly', 'start', 'end'),
  alignItems: keywords('flex-start', 'flex-end', 'center', 'baseline', 'stretch', 'start', 'end'),
  alignSelf: keywords('auto', 'flex-start', 'flex-end', 'center', 'baseline', 'stretch'),
  alignContent: keywords('flex-start', 'flex-end', 'center', 'space-between', 'space-around', 'stretch'),
  gap: { kind: 'length', max: 2 }, rowGap: length1, columnGap: length1,
  overflow: keywords('visible', 'hidden', 'scroll', 'auto'),
  color, backgroundColor: color,
  opacity: { kind: 'number', min: 0, max: 1 },
  visibility: keywords('visible', 'hidden'),
  border, borderTop: border, borderRight: border, borderBottom: border, borderLeft: border,
  borderWidth: length4, borderColor: color,
  borderStyle: keywords('none', 'solid', 'dashed', 'dotted', 'double'),
  borderRadius: length4,
  boxShadow: { kind: 'shadow' },
  fontSize: length1,
  fontWeight: keywords('normal', 'bold', 'lighter', 'bolder', '100', '200', '300', '400', '500', '600', '700', '800', '900'),
  fontStyle: keywords('normal', 'italic'),
  fontFamily: keywords('system-ui', 'sans-serif', 'serif', 'monospace'),
  lineHeight: { kind: 'lineHeight' },
  letterSpacing: length1,
  textAlign: keywords('left', 'right', 'center', 'justify', 'start', 'end'),
  textDecoration: keywords('none', 'underline', 'line-through', 'overline'),
  textOverflow: keywords('clip', 'ellipsis'),
  textTransform: keywords('none', 'uppercase', 'lowercase', 'capitalize'),
  whiteSpace: keywords('normal', 'nowrap', 'pre', 'pre-wrap', 'pre-line'),
  wordBreak: keywords('normal', 'break-all', 'keep-all', 'break-word'),
  verticalAlign: keywords('baseline', 'top', 'middle', 'bottom', 'text-top', 'text-bottom'),
  objectFit: keywords('fill', 'contain', 'cover', 'none', 'scale-down'),
  aspectRatio: { kind: 'number', min: 0.01, max: 100 },
} as const satisfies Record<string, StyleGrammar>;

/** A CSS property an app may set. */
export type StyleProperty = keyof typeof STYLE_PROPERTIES;

/** The `style` prop's type: whitelisted camelCase properties with string or number values. */
export type Style = { [K in StyleProperty]?: string | number };

/** At most this many properties in one style object. */
export const MAX_STYLE_PROPERTIES = 40;
const MAX_VALUE_LENGTH = 100;

function isColor(token: string): boolean {
  return HEX.test(token) || FUNCTIONAL.test(token) || NAMED_COLORS.has(token.toLowerCase());
}

function isLength(token: string): boolean {
  return token === 'auto' || LENGTH.test(token);
}

function checkNumber(value: number, grammar: { min: number; max: number; integer?: boolean }): string | undefined {
  if (!Number.isFinite(value)) return 'must be a finite number';
  if (grammar.integer && !Number.isInteger(value)) return 'must be an integer';
  if (value < grammar.min || value > grammar.max) return `must be between ${grammar.min} and ${grammar.max}`;
  return undefined;
}

/** Checks one token sequence against a grammar; returns a reason or undefined when valid. */
function checkTokens(tokens: string[], grammar: StyleGrammar): string | undefined {
  switch (grammar.kind) {
    case 'length':
      return tokens.length <= grammar.max && tokens.every(isLength) ? undefined : `expects up to ${grammar.max} length(s) like 12px, 50%, 2rpx or auto`;
    case 'color':
      return tokens.length === 1 && tokens[0] !== undefined && isColor(tokens[0]) ? undefined : 'expects a color like #08f, rgb(0, 128, 255) or a basic named color';
    case 'keyword':
      return tokens.length === 1 && tokens[0] !== undefined && grammar.values.includes(tokens[0]) ? undefined : `expects one of ${grammar.values.join(', ')}`;
    case 'number':
      return tokens.length === 1 && tokens[0] !== undefined && NUMBER.test(tokens[0]) ? checkNumber(Number(tokens[0]), grammar) : 'expects a number';
    case 'border': {
      const ok = tokens.length >= 1 && tokens.length <= 3 && tokens.every((t) => LENGTH.test(t) || isColor(t) || ['none', 'solid', 'dashed', 'dotted', 'double'].includes(t));
      return ok ? undefined : 'expects "<width> <style> <color>", e.g. 1px solid #ddd';
    }
    case 'shadow': {
      const rest = tokens[0] === 'inset' ? tokens.slice(1) : tokens;
      const lengths = rest.filter((t) => LENGTH.test(t)).length;
      const colors = rest.filter(isColor).length;
      const ok = (tokens.length === 1 && tokens[0] === 'none') || (lengths >= 2 && lengths <= 4 && colors <= 1 && lengths + colors === rest.length);
      return ok ? undefined : 'expects "[inset] <x> <y> [blur] [spread] [color]" or none';
    }
    case 'flex': {
      if (tokens.length === 1 && (tokens[0] === 'none' || tokens[0] === 'auto')) return undefined;
      const ok = tokens.length >= 1 && tokens.length <= 3 && tokens.every((t, i) => (i < 2 ? NUMBER.test(t) : isLength(t)));
      return ok ? undefined : 'expects "<grow> [shrink] [basis]", auto or none';
    }
    case 'lineHeight':
      return tokens.length === 1 && tokens[0] !== undefined && (tokens[0] === 'normal' || LENGTH.test(tokens[0])) ? undefined : 'expects a number, a length or normal';
  }
}

/**
 * Validates a style object; returns `[property, reason]` pairs for every problem (empty when valid).
 * @example
 * checkStyle({ color: '#333', padding: '8px 12px' }); // []
 * checkStyle({ background: 'url(https://evil.example/x)' }); // [['background', 'unknown style property']]
 */
export function checkStyle(style: unknown): Array<[property: string, reason: string]> {
  if (style === null || typeof style !== 'object' || Array.isArray(style)) return [['', 'must be an object of CSS properties, never a string']];
  const problems: Array<[string, string]> = [];
  const entries = Object.entries(style);
  if (entries.length > MAX_STYLE_PROPERTIES) problems.push(['', `has more than ${MAX_STYLE_PROPERTIES} properties`]);
  for (const [property, value] of entries) {
    const grammar = Object.hasOwn(STYLE_PROPERTIES, property) ? (STYLE_PROPERTIES as Record<string, StyleGrammar>)[property] : undefined;
    if (grammar === undefined) {
      problems.push([property, 'unknown style property']);
      continue;
    }
    if (typeof value === 'number') {
      const reason =
        grammar.kind === 'number' ? checkNumber(value, grammar)
        : grammar.kind === 'length' || grammar.kind === 'lineHeight' || grammar.kind === 'flex' ? (Number.isFinite(value) ? undefined : 'must be a finite number')
        : 'expects a string value';
      if (reason) problems.push([property, reason]);
      continue;
    }
    if (typeof value !== 'string') {
      problems.push([property, 'must be a string or a number']);
      continue;
    }
    if (value.length === 0 || value.length > MAX_VALUE_LENGTH) {
      problems.push([property, `must be 1–${MAX_VALUE_LENGTH} characters`]);
      continue;
    }
    // Commas inside rgb()/hsl() may be followed by spaces: tokenize outside parentheses only.
    const tokens = value.trim().split(/\s+(?![^(]*\))/);
    const reason = checkTokens(tokens, grammar);
    if (reason) problems.push([property, reason]);
  }
  return problems;
}
