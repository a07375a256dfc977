/**
 * @module Prop schemas shared by the view components: handler names, URLs, colors, style, dataset and the
 * props every component accepts.
 */
import { z } from 'zod';
import { checkStyle, type Style } from './style.ts';
import { imageSrcProblem, isAssetPath, isHttpsUrl, routeProblem } from './url.ts';

/** Longest plain string prop (labels, placeholders, values). Text children may be longer. */
export const MAX_STRING_PROP = 4096;

/** A handler name: what an `on<Event>` prop holds. The shell sends it back with the event. */
export const HANDLER_NAME = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/;

/** An event prop's value: the name of one of the page's handlers, never a function. */
export const Handler = z
  .string({ error: 'an event prop must name a handler (a string such as "onAdd"), never a function or code' })
  .regex(HANDLER_NAME, 'a handler name is an identifier of at most 64 characters');

/** A bounded string. */
export const Str = (max = MAX_STRING_PROP): z.ZodString => z.string().max(max);

/** A color for component props (`#rgb`, `#rrggbb`, `#rrggbbaa`, `rgb()`/`rgba()`). */
export const Color = z
  .string()
  .max(64)
  .refine((value) => checkStyle({ color: value }).length === 0, 'expects a color like #07c160 or rgb(7, 193, 96)');

/** An image source: https, an app asset path or a small data:image URI. */
export const ImageSrc = z.string().superRefine((value, ctx) => {
  const problem = imageSrcProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** An https URL or an app asset path (icons, posters). */
export const ResourceUrl = z.string().refine((value) => isHttpsUrl(value) || isAssetPath(value), 'must be an https URL or an app asset path');

/** One of the app's own routes, e.g. `/pages/detail?id=3`. The manifest's pages are checked by validateViewTree. */
export const Route = z.string().superRefine((value, ctx) => {
  const problem = routeProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** A style object of whitelisted CSS properties (see style.ts). Never a string. */
export const StyleSchema = z.custom<Style>().superRefine((value, ctx) => {
  for (const [property, reason] of checkStyle(value)) {
    ctx.addIssue({ code: 'custom', message: reason, path: property ? [property] : [] });
  }
});

/** `dataset`: small scalar values the shell sends back with every event of the element (as `detail.dataset`). */
export const Dataset = z
  .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/, 'dataset keys are identifiers of at most 32 characters'), z.union([z.string().max(1024), z.number(), z.boolean(), z.null()]))
  .refine((value) => Object.keys(value).length <= 16, 'at most 16 dataset entries');

/** Props every component accepts. */
export const COMMON_PROPS = {
  /** Identifies the element for `scroll-view`'s `scrollIntoView` and for tests. */
  id: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'ids are identifiers of at most 64 characters').optional(),
  style: StyleSchema.optional(),
  hidden: z.boolean().optional(),
  /** Accessible label read by screen readers. */
  ariaLabel: Str(256).optional(),
  dataset: Dataset.optional(),
};

/** Builds the optional handler props for a list of event prop names. */
export function eventProps<const E extends readonly `on${string}`[]>(events: E): { [K in E[number]]: z.ZodOptional<typeof Handler> } {
  const shape: Record<string, z.ZodOptional<typeof Handler>> = {};
  for (const name of events) shape[name] = Handler.optional();
  return shape as { [K in E[number]]: z.ZodOptional<typeof Handler> };
}

/** Events every component may have. */
export const COMMON_EVENTS = ['onTap', 'onLongPress'] as const;

/**
 * True for an event prop name (`onTap`, `onReachEnd`): `on` and a capital letter. Its value names a handler.
 * @example isEventProp('onTap'); // true
 */
export function isEventProp(name: string): boolean {
  return /^on[A-Z]/.test(name);
}
