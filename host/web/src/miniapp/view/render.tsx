/**
 * @module Renders a page's wire tree with the shell's own components: each whitelisted type maps to one
 * renderer here; anything else renders nothing. No HTML from an app is ever inserted — text is text.
 */
import type { ComponentType, JSX } from 'preact';
import type { WireNode } from '../../../../../sdk/src/protocol.ts';
import type { ComponentName } from '../../../../../sdk/src/view/index.ts';
import { MpIcon, MpImage, MpQrCode, MpText, MpView, type ComponentProps } from './content.tsx';
import { MpScrollView, MpList, MpSwiper } from './containers.tsx';
import { MpButton, MpNavigator } from './controls.tsx';
import { MpCheckbox, MpRadio, MpSlider, MpSwitch } from './choices.tsx';
import { MpInput, MpTextarea } from './fields.tsx';
import { MpForm } from './form.tsx';
import { MpPicker } from './picker.tsx';

/** One renderer per whitelisted component (a new SDK component fails `tsc` here until the shell renders it). */
const RENDERERS: Record<ComponentName, ComponentType<ComponentProps>> = {
  view: MpView,
  text: MpText,
  image: MpImage,
  icon: MpIcon,
  qrcode: MpQrCode,
  button: MpButton,
  input: MpInput,
  textarea: MpTextarea,
  switch: MpSwitch,
  checkbox: MpCheckbox,
  radio: MpRadio,
  slider: MpSlider,
  picker: MpPicker,
  form: MpForm,
  'scroll-view': MpScrollView,
  list: MpList,
  swiper: MpSwiper,
  navigator: MpNavigator,
};

/** The render key of a node: the app's `key` when it has one (keyed lists), else its wire id. */
function keyOf(node: WireNode): string {
  const key = (node as { key?: unknown }).key;
  return typeof key === 'string' || typeof key === 'number' ? `k${key}` : `n${node.id}`;
}

/** Renders one wire node (and its subtree). */
export function WireView(props: { node: WireNode }): JSX.Element | null {
  const { node } = props;
  if ('text' in node) return <>{node.text}</>;
  const Renderer = Object.hasOwn(RENDERERS, node.type) ? RENDERERS[node.type as ComponentName] : undefined;
  if (!Renderer) return null;
  const children = node.children.map((child) => <WireView key={keyOf(child)} node={child} />);
  return <Renderer node={node} children={children} />;
}
