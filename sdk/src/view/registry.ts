/**
 * @module The component whitelist: every component a view tree may contain, by name, with its props type.
 */
import type { z } from 'zod';
import { Icon, Image, QrCode, Text, View } from './components/content.ts';
import { Button, Checkbox, Form, Input, Picker, Radio, Slider, Switch, Textarea } from './components/form.ts';
import { List, Navigator, ScrollView, Swiper } from './components/containers.ts';
import type { ComponentSpec } from './define-component.ts';

/**
 * The whitelist. Adding a component is one `defineComponent` plus one line here (and its rendering in the shell).
 * @example
 * COMPONENTS.image.props.safeParse({ src: 'javascript:alert(1)' }).success; // false
 */
export const COMPONENTS = {
  view: View,
  text: Text,
  image: Image,
  icon: Icon,
  qrcode: QrCode,
  button: Button,
  input: Input,
  textarea: Textarea,
  switch: Switch,
  checkbox: Checkbox,
  radio: Radio,
  slider: Slider,
  picker: Picker,
  form: Form,
  'scroll-view': ScrollView,
  list: List,
  swiper: Swiper,
  navigator: Navigator,
} as const;

/** A whitelisted component name. */
export type ComponentName = keyof typeof COMPONENTS;

/** The props a component accepts, as an app writes them. */
export type ComponentProps<N extends ComponentName> = z.input<(typeof COMPONENTS)[N]['props']>;

/** The names of all whitelisted components. */
export const COMPONENT_NAMES = Object.keys(COMPONENTS) as ComponentName[];

/**
 * The spec of a component by name, or undefined when it is not whitelisted (own properties only).
 * @example componentSpec('script'); // undefined
 */
export function componentSpec(name: string): ComponentSpec | undefined {
  return Object.hasOwn(COMPONENTS, name) ? (COMPONENTS as Record<string, ComponentSpec>)[name] : undefined;
}

/** What children a component takes, at the type level. */
export type ComponentChildren<N extends ComponentName> = (typeof COMPONENTS)[N]['children'];
