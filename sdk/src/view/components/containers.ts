/**
 * @module Containers: scroll-view, list (keyed, long), swiper and navigator.
 */
import { z } from 'zod';
import { defineComponent } from '../define-component.ts';
import { Color, Route } from '../props.ts';

/** A scrollable area; `onReachEnd` fires when the person scrolls within `endThreshold` px of the end. */
export const ScrollView = defineComponent({
  name: 'scroll-view',
  summary: 'A scrollable area with onReachEnd / onReachStart',
  children: 'any',
  events: ['onReachEnd', 'onReachStart'],
  props: {
    scrollX: z.boolean().optional(),
    scrollY: z.boolean().optional(),
    scrollTop: z.number().min(0).optional(),
    scrollLeft: z.number().min(0).optional(),
    /** Scrolls the child with this `id` into view. */
    scrollIntoView: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/).optional(),
    /** @default 50 */
    endThreshold: z.number().int().min(0).max(2000).optional(),
    startThreshold: z.number().int().min(0).max(2000).optional(),
  },
});

/**
 * A long list of keyed items: every child is an element with a unique `key`, so updates touch only the items
 * that changed and the shell may window (virtualize) rendering. `onReachEnd` asks for more.
 */
export const List = defineComponent({
  name: 'list',
  summary: 'A long list of keyed items (virtualized by the shell) with onReachEnd',
  children: 'elements',
  keyedChildren: true,
  events: ['onReachEnd'],
  props: {
    /** Estimated item height in px, used by the shell to window the list. */
    itemHeight: z.number().min(1).max(2000).optional(),
    /** @default 50 */
    endThreshold: z.number().int().min(0).max(2000).optional(),
    direction: z.enum(['vertical', 'horizontal']).optional(),
  },
});

/** A carousel: each child element is one slide. */
export const Swiper = defineComponent({
  name: 'swiper',
  summary: 'A carousel; each child element is a slide',
  children: 'elements',
  events: ['onChange'],
  props: {
    current: z.number().int().min(0).optional(),
    autoplay: z.boolean().optional(),
    /** ms between slides. @default 5000 */
    interval: z.number().int().min(500).max(60_000).optional(),
    /** ms of the transition. @default 500 */
    duration: z.number().int().min(0).max(5000).optional(),
    circular: z.boolean().optional(),
    vertical: z.boolean().optional(),
    indicatorDots: z.boolean().optional(),
    indicatorColor: Color.optional(),
    indicatorActiveColor: Color.optional(),
  },
});

/** A link to one of the app's pages; the shell asks the host to navigate (no event handler needed). */
export const Navigator = defineComponent({
  name: 'navigator',
  summary: "A link to one of the app's own pages",
  children: 'any',
  events: [],
  props: {
    url: Route.optional(),
    openType: z.enum(['navigate', 'redirect', 'switchTab', 'reLaunch', 'navigateBack']).optional(),
    /** Pages to go back with `navigateBack`. @default 1 */
    delta: z.number().int().min(1).max(10).optional(),
  },
  check: (props) => (props.url === undefined && props.openType !== 'navigateBack' ? [['url', 'is required unless openType is navigateBack']] : []),
});
