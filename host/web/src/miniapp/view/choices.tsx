/**
 * @module `switch`, `checkbox`, `radio` and `slider`. Each keeps its state in its own element (a tap shows at
 * once), reports `onChange`, and follows the app's `checked` / `value` prop whenever the app changes it.
 */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Debouncer } from '../debounce.ts';
import { sliderDetail, toggleDetail } from '../event-detail.ts';
import type { ComponentProps } from './content.tsx';
import { useElement, type ElementNode } from './element.ts';
import { useFormField } from './form.tsx';
import { flag, handlerOf, num, str, usePage } from './page-scope.ts';
import { cssColor } from './style.ts';

/** A native check box or radio whose checked state follows the app's `checked` prop when it changes. */
function useChecked(node: ElementNode): { ref: { current: HTMLInputElement | null }; reset: () => void } {
  const ref = useRef<HTMLInputElement>(null);
  const checked = flag(node.props, 'checked');
  const apply = (): void => {
    if (ref.current) ref.current.checked = checked;
  };
  useEffect(apply, [checked]);
  return { ref, reset: apply };
}

function accent(node: ElementNode, prop = 'color'): Record<string, string> | undefined {
  const color = cssColor(node.props[prop]);
  return color ? { accentColor: color } : undefined;
}

/** `switch`: `onChange` with `{ value: boolean }`. */
export function MpSwitch({ node }: ComponentProps): JSX.Element {
  const page = usePage();
  const { ref, reset } = useChecked(node);
  useFormField(node.id, () => (typeof node.props.name === 'string' ? { name: node.props.name, kind: 'switch', value: ref.current?.checked ?? false } : undefined), reset);
  const attrs = useElement(node, 'mp-switch', { control: true });
  const onChange = handlerOf(node.props, 'onChange');
  return (
    <input
      {...attrs}
      ref={ref}
      type="checkbox"
      role="switch"
      defaultChecked={flag(node.props, 'checked')}
      disabled={flag(node.props, 'disabled')}
      style={{ ...(attrs.style as Record<string, string> | undefined), ...accent(node) }}
      onChange={(event) => onChange && page.emit(onChange, toggleDetail(node.props, event.currentTarget.checked))}
    />
  );
}

/** A labelled check box or radio. */
function Choice(props: { node: ElementNode; kind: 'checkbox' | 'radio'; children: ComponentChildren }): JSX.Element {
  const { node, kind } = props;
  const page = usePage();
  const { ref, reset } = useChecked(node);
  const value = str(node.props, 'value');
  const name = typeof node.props.name === 'string' ? node.props.name : undefined;
  useFormField(node.id, () => (name ? { name, kind, value, checked: ref.current?.checked ?? false } : undefined), reset);
  const attrs = useElement(node, `mp-choice mp-${kind}`, { control: true });
  const onChange = handlerOf(node.props, 'onChange');
  return (
    <label {...attrs}>
      <input
        ref={ref}
        type={kind}
        // Radios of one page group by name; the page id keeps pages' groups apart.
        name={name ? `mp${page.pageId}-${name}` : undefined}
        value={value}
        defaultChecked={flag(node.props, 'checked')}
        disabled={flag(node.props, 'disabled')}
        style={accent(node)}
        onChange={(event) => onChange && page.emit(onChange, toggleDetail(node.props, event.currentTarget.checked))}
      />
      <span>{props.children}</span>
    </label>
  );
}

/** `checkbox`: `onChange` with `{ value, checked }`. */
export function MpCheckbox({ node, children }: ComponentProps): JSX.Element {
  return (
    <Choice node={node} kind="checkbox">
      {children}
    </Choice>
  );
}

/** `radio`: `onChange` with `{ value, checked }`. */
export function MpRadio({ node, children }: ComponentProps): JSX.Element {
  return (
    <Choice node={node} kind="radio">
      {children}
    </Choice>
  );
}

/** `slider`: `onChanging` while dragging (debounced), `onChange` when let go, both `{ value: number }`. */
export function MpSlider({ node }: ComponentProps): JSX.Element {
  const page = usePage();
  const { props } = node;
  const min = num(props, 'min', 0);
  const max = Math.max(min, num(props, 'max', 100));
  const step = num(props, 'step', 1) > 0 ? num(props, 'step', 1) : 1;
  const appValue = Math.min(max, Math.max(min, num(props, 'value', min)));
  const [value, setValue] = useState(appValue);
  const dragging = useRef(false);
  const propsRef = useRef(props);
  propsRef.current = props;
  const changing = useMemo(
    () =>
      new Debouncer<number>((v) => {
        const handler = handlerOf(propsRef.current, 'onChanging');
        if (handler) page.emit(handler, sliderDetail(propsRef.current, v));
      }),
    [page],
  );
  useEffect(() => {
    if (!dragging.current) setValue(appValue);
  }, [appValue]);
  useFormField(node.id, () => (typeof props.name === 'string' ? { name: props.name, kind: 'slider', value } : undefined), () => setValue(appValue));
  const attrs = useElement(node, 'mp-slider', { control: true });
  const color = cssColor(props.activeColor);
  return (
    <span {...attrs}>
      <input
        type="range"
        min={min}
        max={max}
        step={step}
        value={value}
        disabled={flag(props, 'disabled')}
        aria-label={typeof props.ariaLabel === 'string' ? props.ariaLabel : undefined}
        style={color ? { accentColor: color } : undefined}
        onInput={(event) => {
          dragging.current = true;
          const v = Number(event.currentTarget.value);
          setValue(v);
          changing.push(v);
        }}
        onChange={(event) => {
          dragging.current = false;
          changing.cancel();
          const handler = handlerOf(propsRef.current, 'onChange');
          if (handler) page.emit(handler, sliderDetail(propsRef.current, Number(event.currentTarget.value)));
        }}
      />
      {flag(props, 'showValue') ? <output class="mp-slider-value">{value}</output> : null}
    </span>
  );
}
