/**
 * @module The attributes every rendered component's root element gets from the common props: `style`,
 * `hidden`, `ariaLabel`, `id` (as `data-app-id`, so app ids never clash with the shell's), and `onTap` /
 * `onLongPress` — with keyboard access and a button role when the element is not a control itself.
 */
import { useRef } from 'preact/hooks';
import type { Json } from '../../../../../sdk/src/protocol.ts';
import { tapDetail } from '../event-detail.ts';
import { handlerOf, usePage } from './page-scope.ts';
import { cssStyle } from './style.ts';

/** A wire element as the components receive it. */
export interface ElementNode {
  id: number;
  type: string;
  props: Record<string, Json>;
}

const LONG_PRESS_MS = 500;

/** Options of {@link useElement}. */
export interface ElementOptions {
  /** The element is a native control (button, link): no extra role or key handling. */
  control?: boolean;
  /** Also a pending press for this tap (buttons). */
  press?: boolean;
}

/** Root attributes for `node`'s element, `class` included. */
export function useElement(node: ElementNode, className: string, options: ElementOptions = {}): Record<string, unknown> {
  const page = usePage();
  const longPressed = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const { props } = node;
  const onTap = handlerOf(props, 'onTap');
  const onLongPress = handlerOf(props, 'onLongPress');
  const attrs: Record<string, unknown> = {
    class: className,
    style: cssStyle(props.style),
    'data-node': node.id,
  };
  if (props.hidden === true) attrs.hidden = true;
  if (typeof props.ariaLabel === 'string') attrs['aria-label'] = props.ariaLabel;
  if (typeof props.id === 'string') attrs['data-app-id'] = props.id;

  const tap = (): void => {
    if (onTap) page.emit(onTap, tapDetail(props), options.press ? node.id : undefined);
  };
  if (onTap) {
    attrs.onClick = (event: MouseEvent) => {
      if (longPressed.current) {
        longPressed.current = false;
        return;
      }
      event.stopPropagation(); // the innermost tappable element takes the tap, as in WeChat's catchtap
      tap();
    };
    if (!options.control) {
      attrs.role = 'button';
      attrs.tabIndex = 0;
      attrs.onKeyDown = (event: KeyboardEvent) => {
        if (event.key !== 'Enter' && event.key !== ' ') return;
        event.preventDefault();
        event.stopPropagation();
        tap();
      };
    }
  }
  if (onLongPress) {
    const cancel = (): void => clearTimeout(timer.current);
    attrs.onPointerDown = () => {
      longPressed.current = false;
      cancel();
      timer.current = setTimeout(() => {
        longPressed.current = true;
        page.emit(onLongPress, tapDetail(props));
      }, LONG_PRESS_MS);
    };
    attrs.onPointerUp = cancel;
    attrs.onPointerLeave = cancel;
    attrs.onPointerCancel = cancel;
    attrs.onContextMenu = (event: MouseEvent) => {
      if (longPressed.current) event.preventDefault();
    };
  }
  return attrs;
}
