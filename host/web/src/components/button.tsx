/** @module The shell's button: variants, a busy state that disables it, and an optional icon. */
import type { ComponentChildren, JSX } from 'preact';
import { Icon, type IconName } from './icons.tsx';

/** Props of {@link Button}. */
export interface ButtonProps {
  children: ComponentChildren;
  /** @default 'primary' */
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost' | 'link';
  /** @default 'button' */
  type?: 'button' | 'submit';
  busy?: boolean;
  disabled?: boolean;
  icon?: IconName;
  small?: boolean;
  block?: boolean;
  onClick?: () => void;
  testId?: string;
  label?: string;
}

/** A button that shows a spinner and ignores taps while `busy`. */
export function Button(props: ButtonProps): JSX.Element {
  const classes = ['btn', `btn-${props.variant ?? 'primary'}`, props.small && 'btn-small', props.block && 'btn-block'];
  return (
    <button
      type={props.type ?? 'button'}
      class={classes.filter(Boolean).join(' ')}
      disabled={props.disabled || props.busy}
      aria-busy={props.busy ? 'true' : undefined}
      aria-label={props.label}
      data-testid={props.testId}
      onClick={props.onClick}
    >
      {props.busy ? <span class="spinner" aria-hidden="true" /> : props.icon ? <Icon name={props.icon} /> : null}
      <span>{props.children}</span>
    </button>
  );
}
