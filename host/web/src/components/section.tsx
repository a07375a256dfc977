/** @module Grouped content on a white card, with an optional heading and count, as in a settings list. */
import type { ComponentChildren, JSX } from 'preact';

/** Props of {@link Section}. */
export interface SectionProps {
  title?: string;
  /** Shown next to the title (e.g. how many requests wait). */
  count?: number;
  children: ComponentChildren;
  testId?: string;
  /** No inner padding, for lists of rows. */
  flush?: boolean;
}

/** A titled card. */
export function Section(props: SectionProps): JSX.Element {
  return (
    <section class="section" data-testid={props.testId}>
      {props.title ? (
        <h2 class="section-title">
          {props.title}
          {props.count ? <span class="badge">{props.count}</span> : null}
        </h2>
      ) : null}
      <div class={props.flush ? 'card card-flush' : 'card'}>{props.children}</div>
    </section>
  );
}

/** Props of {@link Row}. */
export interface RowProps {
  leading?: ComponentChildren;
  title: ComponentChildren;
  subtitle?: ComponentChildren;
  /** Actions: at the end of the line, or on a line of their own when `stacked`. */
  children?: ComponentChildren;
  stacked?: boolean;
  /** Controls at the end of the line, beside stacked actions (a "more" toggle). */
  trailing?: ComponentChildren;
  testId?: string;
  /** `data-*` attributes, for tests and styling (`{ handle: 'ada' }` → `data-handle="ada"`). */
  data?: Record<string, string>;
}

/** One line of a list: leading visual, text, trailing actions. */
export function Row(props: RowProps): JSX.Element {
  const data = Object.fromEntries(Object.entries(props.data ?? {}).map(([key, value]) => [`data-${key}`, value]));
  return (
    <div class={props.stacked ? 'row row-stacked' : 'row'} data-testid={props.testId} {...data}>
      {props.leading ? <div class="row-leading">{props.leading}</div> : null}
      <div class="row-text">
        <div class="row-title">{props.title}</div>
        {props.subtitle ? <div class="row-subtitle">{props.subtitle}</div> : null}
      </div>
      {props.trailing}
      {props.children ? <div class="row-actions">{props.children}</div> : null}
    </div>
  );
}
