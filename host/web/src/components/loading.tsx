/** @module Waiting states: a centred spinner with an optional line of text. */
import type { JSX } from 'preact';

/** A centred spinner for a screen or section that is loading. */
export function Loading(props: { label?: string }): JSX.Element {
  return (
    <div class="loading" role="status" aria-live="polite">
      <span class="spinner spinner-large" aria-hidden="true" />
      {props.label ? <p>{props.label}</p> : null}
    </div>
  );
}
