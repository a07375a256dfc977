/**
 * @module Form components: button, input, textarea, switch, checkbox, radio, slider, picker and form.
 * Inputs keep their value locally in the shell and send `onInput` (debounced) and `onChange` events; a `form`
 * collects the values of its named fields into `onSubmit`'s `detail.value`.
 */
import { z } from 'zod';
import { defineComponent } from '../define-component.ts';
import { Color, Str } from '../props.ts';

const Name = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'field names are identifiers of at most 64 characters');

/** A button; `loading` and `disabled` are shown at once by the shell while an event is in flight. */
export const Button = defineComponent({
  name: 'button',
  summary: 'A button (primary, default, warn); formType submits or resets its form',
  children: 'any',
  events: [],
  props: {
    type: z.enum(['primary', 'default', 'warn']).optional(),
    size: z.enum(['default', 'mini']).optional(),
    plain: z.boolean().optional(),
    disabled: z.boolean().optional(),
    loading: z.boolean().optional(),
    formType: z.enum(['submit', 'reset']).optional(),
  },
});

const textFieldProps = {
  name: Name.optional(),
  value: Str(10_000).optional(),
  placeholder: Str(256).optional(),
  disabled: z.boolean().optional(),
  /** -1 for no limit. */
  maxLength: z.number().int().min(-1).max(10_000).optional(),
  focus: z.boolean().optional(),
};

/** A one-line text field. */
export const Input = defineComponent({
  name: 'input',
  summary: 'A one-line text field',
  children: 'none',
  events: ['onInput', 'onFocus', 'onBlur', 'onConfirm'],
  props: {
    ...textFieldProps,
    type: z.enum(['text', 'number', 'digit', 'email', 'tel', 'url', 'search']).optional(),
    password: z.boolean().optional(),
    confirmType: z.enum(['done', 'go', 'next', 'search', 'send']).optional(),
  },
});

/** A multi-line text field. */
export const Textarea = defineComponent({
  name: 'textarea',
  summary: 'A multi-line text field',
  children: 'none',
  events: ['onInput', 'onFocus', 'onBlur', 'onConfirm'],
  props: { ...textFieldProps, autoHeight: z.boolean().optional() },
});

/** An on/off toggle. */
export const Switch = defineComponent({
  name: 'switch',
  summary: 'An on/off toggle',
  children: 'none',
  events: ['onChange'],
  props: { name: Name.optional(), checked: z.boolean().optional(), disabled: z.boolean().optional(), color: Color.optional() },
});

const choiceProps = {
  name: Name.optional(),
  value: Str(256).optional(),
  checked: z.boolean().optional(),
  disabled: z.boolean().optional(),
  color: Color.optional(),
};

/** A check box; its children are its label. In a form, checked boxes with the same name submit an array. */
export const Checkbox = defineComponent({
  name: 'checkbox',
  summary: 'A check box labelled by its children',
  children: 'text',
  events: ['onChange'],
  props: choiceProps,
});

/** A radio button; radios with the same `name` form a group. */
export const Radio = defineComponent({
  name: 'radio',
  summary: 'A radio button; same name = one group',
  children: 'text',
  events: ['onChange'],
  props: choiceProps,
});

/** A slider over a numeric range. */
export const Slider = defineComponent({
  name: 'slider',
  summary: 'A slider over a numeric range',
  children: 'none',
  events: ['onChange', 'onChanging'],
  props: {
    name: Name.optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    step: z.number().positive().optional(),
    value: z.number().optional(),
    disabled: z.boolean().optional(),
    showValue: z.boolean().optional(),
    activeColor: Color.optional(),
    backgroundColor: Color.optional(),
  },
});

/**
 * A picker that opens the shell's sheet: `selector` (value = index into `range`), `date` (`YYYY-MM-DD`) or
 * `time` (`HH:mm`). Its children are what the person taps.
 */
export const Picker = defineComponent({
  name: 'picker',
  summary: 'A selector, date or time picker; children are the tap target',
  children: 'any',
  events: ['onChange', 'onCancel'],
  props: {
    name: Name.optional(),
    mode: z.enum(['selector', 'date', 'time']).optional(),
    range: z.array(Str(256)).max(500).optional(),
    value: z.union([z.number().int().min(0), z.string().regex(/^(\d{4}-\d{2}-\d{2}|\d{2}:\d{2})$/, 'expects YYYY-MM-DD or HH:mm')]).optional(),
    start: z.string().regex(/^(\d{4}-\d{2}-\d{2}|\d{2}:\d{2})$/).optional(),
    end: z.string().regex(/^(\d{4}-\d{2}-\d{2}|\d{2}:\d{2})$/).optional(),
    disabled: z.boolean().optional(),
  },
});

/** A form: `onSubmit` receives `{ value: { [name]: fieldValue } }` from its named fields. */
export const Form = defineComponent({
  name: 'form',
  summary: 'Collects named fields into onSubmit',
  children: 'any',
  events: ['onSubmit', 'onReset'],
  props: {},
});
