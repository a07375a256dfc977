/**
 * @module `input` and `textarea`: the field keeps its own value (typing never waits for the network), sends
 * `onInput` 150 ms after the last keystroke and at once on blur and confirm, and shows the app's `value` prop
 * when it changes — unless the person is typing (see local-value.ts). After a confirm, a press or a submit on
 * the page, the next patch puts the field back to the app's value even when that value did not change (the app
 * cleared a draft it never saw: `typed('Milk')` then `add()` leaves `value` at '' for the diff), as LiveView
 * resets a form after its submit.
 */
import type { JSX, TargetedEvent } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Debouncer } from '../debounce.ts';
import { inputDetail } from '../event-detail.ts';
import { SentValues, shouldAdopt } from '../local-value.ts';
import type { ComponentProps } from './content.tsx';
import { useElement } from './element.ts';
import { useForm, useFormField } from './form.tsx';
import { flag, handlerOf, num, str, usePage } from './page-scope.ts';

type InputMode = 'numeric' | 'decimal';
type EnterKeyHint = 'done' | 'go' | 'next' | 'search' | 'send';
const INPUT_TYPES: Record<string, { type: 'text' | 'email' | 'tel' | 'url' | 'search'; inputMode?: InputMode }> = {
  text: { type: 'text' },
  number: { type: 'text', inputMode: 'numeric' },
  digit: { type: 'text', inputMode: 'decimal' },
  email: { type: 'email' },
  tel: { type: 'tel' },
  url: { type: 'url' },
  search: { type: 'search' },
};
const ENTER_KEY_HINTS: readonly EnterKeyHint[] = ['done', 'go', 'next', 'search', 'send'];

/** The shared behaviour of both text fields. */
function useTextField(node: ComponentProps['node'], multiline: boolean): Record<string, unknown> {
  const page = usePage();
  const form = useForm();
  const { props } = node;
  const appValue = str(props, 'value');
  const [value, setValue] = useState(appValue);
  const local = useRef(appValue);
  const focused = useRef(false);
  const sent = useMemo(() => new SentValues(), []);
  const propsRef = useRef(props);
  propsRef.current = props;
  const confirmed = useRef(false);
  const seen = useRef(page.interactions());

  const send = (event: 'onInput' | 'onFocus' | 'onBlur' | 'onConfirm', text: string): void => {
    const handler = handlerOf(propsRef.current, event);
    if (!handler) return;
    sent.add(text, Date.now());
    page.emit(handler, inputDetail(propsRef.current, text));
  };
  const debouncer = useMemo(() => new Debouncer<string>((text) => send('onInput', text)), []);
  useEffect(() => () => debouncer.flush(), []); // a field that goes away still reports its last text

  const show = (text: string): void => {
    local.current = text;
    setValue(text);
  };

  // The app changed `value`: adopt it unless the person is typing (see local-value.ts).
  useEffect(() => {
    if (shouldAdopt({ incoming: appValue, local: local.current, focused: focused.current, dirty: debouncer.pending, echo: sent.has(appValue, Date.now()) })) show(appValue);
  }, [appValue]);

  // Each patch of the page gives a new node: after an interaction, show the app's value (if it sets one).
  useEffect(() => {
    const interactions = page.interactions();
    const interacted = confirmed.current || interactions !== seen.current;
    confirmed.current = false;
    seen.current = interactions;
    if (interacted && typeof props.value === 'string' && !debouncer.pending && local.current !== props.value) show(props.value);
  }, [node]);

  useFormField(node.id, () => (typeof props.name === 'string' ? { name: props.name, kind: 'text', value: local.current } : undefined), () => show(appValue));

  const maxLength = num(props, 'maxLength', -1);
  const attrs = useElement(node, multiline ? `mp-textarea${flag(props, 'autoHeight') ? ' mp-auto-height' : ''}` : 'mp-input', { control: true });
  return {
    ...attrs,
    value,
    name: typeof props.name === 'string' ? props.name : undefined,
    placeholder: str(props, 'placeholder') || undefined,
    disabled: flag(props, 'disabled'),
    maxLength: maxLength >= 0 ? maxLength : 10_000,
    autoFocus: flag(props, 'focus'),
    onInput: (event: TargetedEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      show(event.currentTarget.value);
      if (handlerOf(propsRef.current, 'onInput')) debouncer.push(event.currentTarget.value);
    },
    onFocus: () => {
      focused.current = true;
      send('onFocus', local.current);
    },
    onBlur: () => {
      focused.current = false;
      debouncer.flush();
      send('onBlur', local.current);
    },
    onKeyDown: (event: KeyboardEvent) => {
      if (event.key !== 'Enter' || event.isComposing || (multiline && !event.ctrlKey && !event.metaKey)) return;
      debouncer.flush();
      if (handlerOf(propsRef.current, 'onConfirm')) {
        if (!form) event.preventDefault();
        confirmed.current = true;
        send('onConfirm', local.current);
      }
    },
  };
}

/** `input`: one line. */
export function MpInput({ node }: ComponentProps): JSX.Element {
  const attrs = useTextField(node, false);
  const kind = INPUT_TYPES[str(node.props, 'type', 'text')] ?? INPUT_TYPES.text;
  const confirmType = str(node.props, 'confirmType');
  const input: Record<string, unknown> = {
    ...attrs,
    type: flag(node.props, 'password') ? 'password' : (kind?.type ?? 'text'),
    inputMode: kind?.inputMode,
    enterKeyHint: ENTER_KEY_HINTS.find((hint) => hint === confirmType),
    autoComplete: 'off',
  };
  return <input {...input} />;
}

/** `textarea`: several lines; Ctrl/⌘+Enter confirms. */
export function MpTextarea({ node }: ComponentProps): JSX.Element {
  return <textarea {...useTextField(node, true)} rows={3} />;
}
