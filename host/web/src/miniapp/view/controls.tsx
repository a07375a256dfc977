/**
 * @module `button` and `navigator`. A tapped button shows its loading state and disables itself at once, until
 * its page's next patch (or 5 s); the app's own `loading` and `disabled` props are honoured too.
 */
import type { JSX } from 'preact';
import { containerPath, parseQuery } from '../launch-link.ts';
import type { ComponentProps } from './content.tsx';
import { useElement } from './element.ts';
import { useForm } from './form.tsx';
import { flag, handlerOf, str, usePage } from './page-scope.ts';

const BUTTON_TYPES = new Set(['primary', 'default', 'warn']);

/** `button`. */
export function MpButton({ node, children }: ComponentProps): JSX.Element {
  const page = usePage();
  const form = useForm();
  const { props } = node;
  const formType = str(props, 'formType');
  const pressed = page.isPressed(node.id);
  const loading = flag(props, 'loading') || pressed;
  const kind = BUTTON_TYPES.has(str(props, 'type')) ? str(props, 'type') : 'default';
  const classes = ['mp-button', `mp-button-${kind}`, str(props, 'size') === 'mini' && 'mp-button-mini', flag(props, 'plain') && 'mp-button-plain', loading && 'is-loading'];
  const attrs = useElement(node, classes.filter(Boolean).join(' '), { control: true, press: true });
  const tap = attrs.onClick as ((event: MouseEvent) => void) | undefined;
  if (form && (formType === 'submit' || formType === 'reset')) {
    attrs.onClick = (event: MouseEvent) => {
      tap?.(event);
      if (formType === 'submit') form.submit(handlerOf(props, 'onTap') ? undefined : node.id);
      else form.reset();
    };
  }
  return (
    <button type="button" {...attrs} disabled={flag(props, 'disabled') || loading} aria-busy={loading ? 'true' : undefined}>
      {loading ? <span class="spinner" aria-hidden="true" /> : null}
      <span>{children}</span>
    </button>
  );
}

/** `navigator`: a link to one of the app's pages; the host moves the stack (`app.navigate`). */
export function MpNavigator({ node, children }: ComponentProps): JSX.Element {
  const page = usePage();
  const url = str(node.props, 'url');
  const match = /^\/?([A-Za-z0-9_\-/]+)(?:\?(.*))?$/.exec(url);
  const query = match ? parseQuery(match[2] ?? '') : null;
  // The href lets the link be opened in a new tab (a fresh launch at that page); a plain tap stays in the app.
  const href = match?.[1] && query ? containerPath({ appId: page.appId, path: match[1], query }) : undefined;
  const attrs = useElement(node, 'mp-navigator', { control: true });
  const tap = attrs.onClick as ((event: MouseEvent) => void) | undefined;
  return (
    <a
      {...attrs}
      href={href ?? '#'}
      onClick={(event: MouseEvent) => {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button === 1) return;
        event.preventDefault();
        event.stopPropagation(); // the router would otherwise open the href as a new launch
        tap?.(event);
        page.navigate(url || undefined, node.props.openType);
      }}
    >
      {children}
    </a>
  );
}
