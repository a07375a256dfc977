/** @module Atrium's mark (keep in sync with host/web/public/icon.svg). */
import type { JSX } from 'preact';

/** The app mark: a green tile with a speech bubble. */
export function Logo(props: { size?: number }): JSX.Element {
  const size = props.size ?? 40;
  return (
    <svg class="logo" width={size} height={size} viewBox="0 0 64 64" aria-hidden="true">
      <rect width="64" height="64" rx="14" fill="#07c160" />
      <path d="M32 14c-10.5 0-19 7.2-19 16.2 0 5 2.7 9.5 7 12.5l-1.6 6.6 7.4-3.9c2 .6 4.1.9 6.2.9 10.5 0 19-7.2 19-16.1S42.5 14 32 14z" fill="#fff" />
      <path d="M25 37.5l7-15 7 15m-11.4-5h8.8" fill="none" stroke="#07c160" stroke-width="3.2" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}
