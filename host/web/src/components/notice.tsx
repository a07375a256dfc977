/** @module A short message banner: error, information or success. */
import type { ComponentChildren, JSX } from 'preact';

/** A banner; errors are announced immediately, the rest politely. */
export function Notice(props: { kind?: 'error' | 'info' | 'success'; children: ComponentChildren; testId?: string }): JSX.Element {
  const kind = props.kind ?? 'info';
  return (
    <div class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'} data-testid={props.testId}>
      {props.children}
    </div>
  );
}
