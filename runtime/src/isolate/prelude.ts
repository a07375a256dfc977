/** @module The trusted prelude: JavaScript evaluated in every fresh context before any app code runs. */

import { GUEST_GLOBALS } from '../../../sdk/src/protocol.ts';

/** Options baked into the prelude source (numbers only, so the source cannot be injected into). */
export interface PreludeOptions {
  maxOutputChars: number;
  maxLogLinesPerEntry: number;
  maxLogLineChars: number;
}

/**
 * The prelude's output framing: `<logsLength>;<logsJson><guestOutput>`. Logs are built by trusted code, so the
 * guest output is never concatenated into anything the runtime parses as a whole.
 */
export const OUTPUT_FRAME_SEPARATOR = ';';

/**
 * Prelude-only globals. `CHECK(code)` parses a bundle as a function body (so it cannot close the wrapper the
 * runtime puts around it); `BOOT(fn)` runs the wrapped bundle's top level inside the trampoline and deletes itself.
 */
export const BOOT_GLOBALS = {
  CHECK: '__atriumCheck',
  BOOT: '__atriumBoot',
  /** `ARM()` installs `BOOT` again, for the next bundle (a sub-package); the runtime holds it, the guest never sees it. */
  ARM: '__atriumArm',
} as const;

/** Wraps a checked bundle so that its top level runs inside the prelude's trampoline. */
export function wrapBundle(code: string): string {
  return `${BOOT_GLOBALS.BOOT}(function () {\n${code}\n});`;
}

/** Constant answers the prelude returns when even describing a failure fails. */
export const PRELUDE_CONSTANTS = {
  THROWN: '0;{"ok":false,"code":"APP_ERROR","message":"Uncaught exception"}',
  NOT_REGISTERED: '0;{"ok":false,"code":"APP_NOT_REGISTERED","message":"The app did not call __atriumRegister"}',
} as const;

/**
 * Builds the prelude. It runs once per context, before app code, and:
 * - captures the primordials it needs in its closure (later tampering by the guest cannot reach them);
 * - deletes `WebAssembly` (its memory escapes `memoryLimit`), `SharedArrayBuffer` and `Atomics`;
 * - replaces `Date` so that the clock reads the entry's frozen `now`, and `console` with a capped log;
 * - installs `__atriumRegister(dispatch)` (callable once, then deleted) and a non-writable `__atriumEntry`,
 *   the trampoline that turns every throw into a string inside timed execution (reference/sandbox.md §2.4.1).
 */
export function preludeSource(options: PreludeOptions): string {
  const maxOutput = Math.floor(options.maxOutputChars);
  const maxLines = Math.floor(options.maxLogLinesPerEntry);
  const maxLine = Math.floor(options.maxLogLineChars);
  return `(function () {
  'use strict';
  const g = globalThis;
  const JSONparse = JSON.parse, JSONstringify = JSON.stringify, ReflectApply = Reflect.apply;
  const ReflectConstruct = Reflect.construct, defineProperty = Object.defineProperty;
  const StringCtor = String, OrigDate = Date, freeze = Object.freeze;
  const THROWN = ${JSON.stringify(PRELUDE_CONSTANTS.THROWN)};
  const NOT_REGISTERED = ${JSON.stringify(PRELUDE_CONSTANTS.NOT_REGISTERED)};
  for (const name of ['WebAssembly', 'SharedArrayBuffer', 'Atomics']) { delete g[name]; }
  let now = 0;
  let dispatch = null;
  let logs = [];
  let dropped = 0;

  function FrozenDate(...args) {
    if (new.target === undefined) return new OrigDate(now).toString();
    return ReflectConstruct(OrigDate, args.length === 0 ? [now] : args, new.target);
  }
  FrozenDate.prototype = OrigDate.prototype;
  defineProperty(OrigDate.prototype, 'constructor', { value: FrozenDate, writable: true, configurable: true });
  FrozenDate.now = function now_() { return now; };
  FrozenDate.parse = OrigDate.parse;
  FrozenDate.UTC = OrigDate.UTC;
  defineProperty(g, 'Date', { value: FrozenDate, writable: true, configurable: true });

  function describe(value) {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
      return StringCtor(value);
    }
    return '[' + typeof value + ']';
  }
  function log(level, args) {
    if (logs.length >= ${maxLines}) { dropped++; return; }
    let line = '';
    for (let i = 0; i < args.length && line.length < ${maxLine}; i++) {
      let part;
      try { part = typeof args[i] === 'object' && args[i] !== null ? JSONstringify(args[i]) : describe(args[i]); }
      catch { part = '[unserializable]'; }
      line += (i ? ' ' : '') + (typeof part === 'string' ? part : describe(part));
    }
    logs[logs.length] = level + ' ' + (line.length > ${maxLine} ? line.slice(0, ${maxLine}) : line);
  }
  const consoleObject = {};
  for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace']) {
    consoleObject[level] = function (...args) { log(level, args); };
  }
  defineProperty(g, 'console', { value: freeze(consoleObject), writable: true, configurable: true });

  function frame(out) {
    if (logs.length === 0 && dropped === 0) return '0;' + out;
    if (dropped) logs[logs.length] = 'warn ' + dropped + ' console lines dropped';
    const json = JSONstringify(logs);
    logs = []; dropped = 0;
    return json.length + ';' + json + out;
  }
  function failed(error) {
    try {
      let message;
      if (typeof error === 'string') message = error;
      else if (error !== null && typeof error === 'object') {
        const m = error.message;
        message = typeof m === 'string' ? m : 'Uncaught ' + typeof error;
      } else message = 'Uncaught ' + describe(error);
      if (message.length > 1000) message = message.slice(0, 1000);
      return frame(JSONstringify({ ok: false, code: 'APP_ERROR', message: message }));
    } catch {
      logs = []; dropped = 0;
      return THROWN;
    }
  }

  function register(fn) {
    if (dispatch !== null || typeof fn !== 'function') throw new TypeError('__atriumRegister: expects one function, once');
    dispatch = fn;
    delete g[${JSON.stringify(GUEST_GLOBALS.REGISTER)}];
  }
  function entry(envelope) {
    try {
      if (dispatch === null) return NOT_REGISTERED;
      const parsed = JSONparse(envelope);
      now = +parsed.now;
      const out = ReflectApply(dispatch, undefined, [JSONstringify(parsed.msg)]);
      if (typeof out !== 'string') {
        return frame('{"ok":false,"code":"APP_BAD_OUTPUT","message":"The dispatcher must return a string"}');
      }
      if (out.length > ${maxOutput}) {
        return frame('{"ok":false,"code":"PAYLOAD_TOO_LARGE","message":"The entry output exceeds ${maxOutput} characters"}');
      }
      return frame(out);
    } catch (error) {
      return failed(error);
    }
  }
  const FunctionCtor = Function;
  function check(code) {
    try { new FunctionCtor(code); return ''; }
    catch (error) { return failed(error); }
  }
  function boot(fn) {
    delete g[${JSON.stringify(BOOT_GLOBALS.BOOT)}];
    try { ReflectApply(fn, undefined, []); return ''; }
    catch (error) { return failed(error); }
  }
  function arm() {
    try { defineProperty(g, ${JSON.stringify(BOOT_GLOBALS.BOOT)}, { value: boot, writable: false, configurable: true }); return ''; }
    catch (error) { return failed(error); }
  }
  defineProperty(g, ${JSON.stringify(BOOT_GLOBALS.CHECK)}, { value: check, writable: false, configurable: true });
  defineProperty(g, ${JSON.stringify(BOOT_GLOBALS.ARM)}, { value: arm, writable: false, configurable: true });
  defineProperty(g, ${JSON.stringify(BOOT_GLOBALS.BOOT)}, { value: boot, writable: false, configurable: true });
  defineProperty(g, ${JSON.stringify(GUEST_GLOBALS.REGISTER)}, { value: register, writable: false, configurable: true });
  defineProperty(g, ${JSON.stringify(GUEST_GLOBALS.ENTRY)}, { value: entry, writable: false, configurable: false });
})();`;
}

/** Splits the prelude's framed output into the guest's console lines and its raw output string. */
export function unframeOutput(framed: string): { logs: string[]; output: string } {
  const separator = framed.indexOf(OUTPUT_FRAME_SEPARATOR);
  if (separator < 1 || separator > 9) return { logs: [], output: '' };
  const length = Number(framed.slice(0, separator));
  if (!Number.isSafeInteger(length) || length < 0) return { logs: [], output: '' };
  const start = separator + 1;
  if (length === 0) return { logs: [], output: framed.slice(start) };
  let logs: string[] = [];
  try {
    const parsed: unknown = JSON.parse(framed.slice(start, start + length));
    if (Array.isArray(parsed)) logs = parsed.filter((line): line is string => typeof line === 'string');
  } catch {
    logs = [];
  }
  return { logs, output: framed.slice(start + length) };
}
