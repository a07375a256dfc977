/**
 * @module Content components: view, text, image, icon and qrcode.
 */
import { z } from 'zod';
import { defineComponent } from '../define-component.ts';
import { Color, ImageSrc, Str } from '../props.ts';

/** A box (`div`): layout with the style prop. */
export const View = defineComponent({
  name: 'view',
  summary: 'A box for layout (flex by style)',
  children: 'any',
  events: [],
  props: {},
});

/** Inline text. Children are strings and nested `text` elements. */
export const Text = defineComponent({
  name: 'text',
  summary: 'Text; children are strings and nested text',
  children: 'text',
  events: [],
  props: {
    selectable: z.boolean().optional(),
    /** Truncate with an ellipsis after this many lines. */
    maxLines: z.number().int().min(1).max(100).optional(),
  },
});

/** An image from https, the app's assets or a data:image URI. */
export const Image = defineComponent({
  name: 'image',
  summary: 'An image (https, app asset or data:image URI)',
  children: 'none',
  events: ['onLoad', 'onError'],
  props: {
    src: ImageSrc,
    mode: z.enum(['scaleToFill', 'aspectFit', 'aspectFill', 'widthFix', 'heightFix', 'top', 'bottom', 'center', 'left', 'right']).optional(),
    alt: Str(256).optional(),
    lazyLoad: z.boolean().optional(),
  },
});

/** The platform's icon set (WeChat's names). */
export const ICON_TYPES = ['success', 'success_no_circle', 'info', 'warn', 'waiting', 'cancel', 'download', 'search', 'clear'] as const;

/** A built-in icon. */
export const Icon = defineComponent({
  name: 'icon',
  summary: `A built-in icon: ${ICON_TYPES.join(', ')}`,
  children: 'none',
  events: [],
  props: {
    type: z.enum(ICON_TYPES),
    size: z.number().min(8).max(200).optional(),
    color: Color.optional(),
  },
});

/** A QR code the shell draws from `value` (e.g. a launch link). */
export const QrCode = defineComponent({
  name: 'qrcode',
  summary: 'A QR code drawn by the shell from a string',
  children: 'none',
  events: [],
  props: {
    value: z.string().min(1).max(2048),
    size: z.number().int().min(64).max(1024).optional(),
    level: z.enum(['L', 'M', 'Q', 'H']).optional(),
    color: Color.optional(),
    backgroundColor: Color.optional(),
  },
});
