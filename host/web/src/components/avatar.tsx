/** @module A person's round initial, coloured from their id so each person keeps one colour. */
import type { JSX } from 'preact';

const COLOURS = 8;

function colourOf(id: string): number {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % COLOURS;
}

/** The first letter (or character) of a display name, upper-cased. */
export function initialOf(name: string): string {
  const first = [...name.trim()][0] ?? '?';
  return first.toLocaleUpperCase();
}

/** A coloured disc with the person's initial. */
export function Avatar(props: { id: string; name: string; large?: boolean }): JSX.Element {
  return (
    <span class={`avatar avatar-c${colourOf(props.id)}${props.large ? ' avatar-large' : ''}`} aria-hidden="true">
      {initialOf(props.name)}
    </span>
  );
}
