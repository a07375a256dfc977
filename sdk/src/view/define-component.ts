/**
 * @module `defineComponent`: one whitelisted view component — its strict props schema (common props, its
 * events and its own props), which children it takes, and whether they must be keyed.
 */
import { z } from 'zod';
import { COMMON_EVENTS, COMMON_PROPS, eventProps, type Handler } from './props.ts';

/**
 * What a component may contain: `any` (elements and text), `text` (text and nested `text` elements),
 * `elements` (elements only), `none` (no children).
 */
export type ChildPolicy = 'any' | 'text' | 'elements' | 'none';

type CommonEvent = (typeof COMMON_EVENTS)[number];
type EventShape<E extends string> = { [K in E | CommonEvent]: z.ZodOptional<typeof Handler> };
/** The strict props schema of a component with own props `Shape` and extra events `E`. */
export type PropsSchema<Shape extends z.ZodRawShape, E extends string> = ReturnType<typeof z.strictObject<typeof COMMON_PROPS & EventShape<E> & Shape>>;

/** A component of the whitelist. */
export interface ComponentSpec<Name extends string = string, Props extends z.ZodType = z.ZodType, C extends ChildPolicy = ChildPolicy> {
  name: Name;
  /** One line for the reference table. */
  summary: string;
  /** Strict: unknown props are refused. */
  props: Props;
  /** Event prop names (`onTap`, …), including the common ones. */
  events: readonly string[];
  children: C;
  /** Children must be elements with unique keys (long lists). */
  keyedChildren: boolean;
  /** Checks across props (after the schema passed): `[prop, message]` pairs. */
  check?: (props: Record<string, unknown>) => Array<[prop: string, message: string]>;
}

/** What {@link defineComponent} takes. */
export interface ComponentOptions<Name extends string, Shape extends z.ZodRawShape, E extends readonly `on${string}`[], C extends ChildPolicy> {
  name: Name;
  summary: string;
  props: Shape;
  /** Events beyond the common `onTap` and `onLongPress`. */
  events: E;
  children: C;
  /** @default false */
  keyedChildren?: boolean;
  check?: (props: Record<string, unknown>) => Array<[prop: string, message: string]>;
}

/**
 * Defines a component: the props schema is strict and merges the common props, the event props and `props`.
 * @example
 * export const Switch = defineComponent({
 *   name: 'switch', summary: 'An on/off toggle', children: 'none', events: ['onChange'],
 *   props: { checked: z.boolean().optional(), disabled: z.boolean().optional() },
 * });
 */
export function defineComponent<
  const Name extends string,
  Shape extends z.ZodRawShape,
  const E extends readonly `on${string}`[],
  const C extends ChildPolicy,
>(options: ComponentOptions<Name, Shape, E, C>): ComponentSpec<Name, PropsSchema<Shape, E[number]>, C> {
  const events = [...COMMON_EVENTS, ...options.events];
  const shape = { ...COMMON_PROPS, ...eventProps(events), ...options.props } as typeof COMMON_PROPS & EventShape<E[number]> & Shape;
  return {
    name: options.name,
    summary: options.summary,
    props: z.strictObject(shape),
    events,
    children: options.children,
    keyedChildren: options.keyedChildren ?? false,
    ...(options.check ? { check: options.check } : {}),
  };
}
