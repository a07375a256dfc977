/**
 * @module The `detail` each event carries back to the app, shaped to the SDK's contract (sdk/src/view/events.ts):
 * every detail has the element's `dataset` (an empty object when it has none), plus
 *
 * | event | component | detail |
 * |---|---|---|
 * | `onTap`, `onLongPress`, `onCancel`, `onReset` | any / picker / form | `{ dataset }` |
 * | `onInput` (debounced 150 ms), `onFocus`, `onBlur`, `onConfirm` | input, textarea | `{ value: string }` |
 * | `onChange` | switch, checkbox, radio | `{ checked: boolean, value: string }` (`value`: the element's, '' for a switch) |
 * | `onChange`, `onChanging` | slider | `{ value: number }` |
 * | `onChange` | picker | `{ value: number }` (selector: index into `range`) or `{ value: 'YYYY-MM-DD' \| 'HH:mm' }` |
 * | `onChange` | swiper | `{ current: number, source: 'touch' \| 'autoplay' }` |
 * | `onReachEnd`, `onReachStart` | scroll-view, list | `{ direction: 'bottom' \| 'right' \| 'top' \| 'left' }` |
 * | `onLoad` / `onError` | image | `{ width, height }` / `{ message }` |
 * | `onSubmit` | form | `{ value: { [name]: fieldValue } }` |
 */
import type { Json } from '../../../../sdk/src/protocol.ts';
import type { Dataset, ImageDetail, InputDetail, PickerDetail, ReachDetail, SliderDetail, SubmitDetail, SwiperDetail, TapDetail, ToggleDetail } from '../../../../sdk/src/view/index.ts';

/** The longest text an event carries (the SDK's `value` limit). */
export const MAX_EVENT_TEXT = 10_000;

/** The element's `dataset` prop, scalars only, at most 16 entries; `{}` when it has none. */
export function datasetOf(props: Record<string, Json>): Dataset {
  const dataset = props.dataset;
  const out: Dataset = {};
  if (!dataset || typeof dataset !== 'object' || Array.isArray(dataset)) return out;
  for (const [key, value] of Object.entries(dataset).slice(0, 16)) {
    if (key === '__proto__') continue;
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[key] = value;
  }
  return out;
}

/** `{ dataset }`: taps, long presses, picker cancel, form reset. */
export function tapDetail(props: Record<string, Json>): TapDetail {
  return { dataset: datasetOf(props) };
}

/** `{ value }` of a text field, cut to {@link MAX_EVENT_TEXT} characters. */
export function inputDetail(props: Record<string, Json>, value: string): InputDetail {
  return { value: value.slice(0, MAX_EVENT_TEXT), dataset: datasetOf(props) };
}

/** `{ checked, value }` of a switch, checkbox or radio. */
export function toggleDetail(props: Record<string, Json>, checked: boolean): ToggleDetail {
  return { checked, value: typeof props.value === 'string' ? props.value : '', dataset: datasetOf(props) };
}

/** `{ value }` of a slider (a non-finite number becomes 0). */
export function sliderDetail(props: Record<string, Json>, value: number): SliderDetail {
  return { value: Number.isFinite(value) ? value : 0, dataset: datasetOf(props) };
}

/** `{ value }` of a picker: an index (selector) or a date / time string. */
export function pickerDetail(props: Record<string, Json>, value: number | string): PickerDetail {
  return { value, dataset: datasetOf(props) };
}

/** `{ current, source }` of a swiper. */
export function swiperDetail(props: Record<string, Json>, current: number, source: SwiperDetail['source']): SwiperDetail {
  return { current, source, dataset: datasetOf(props) };
}

/** `{ direction }` of a reach event: the end (`bottom` / `right`) or the start (`top` / `left`). */
export function reachDetail(props: Record<string, Json>, end: boolean, horizontal: boolean): ReachDetail {
  const direction = horizontal ? (end ? 'right' : 'left') : end ? 'bottom' : 'top';
  return { direction, dataset: datasetOf(props) };
}

/** `{ width, height }` of a loaded image, or `{ message }` of one that failed. */
export function imageDetail(props: Record<string, Json>, loaded: { width: number; height: number } | { message: string }): ImageDetail {
  return { ...loaded, dataset: datasetOf(props) };
}

/** A form field as it reports itself. */
export type FormField =
  | { name: string; kind: 'text'; value: string }
  | { name: string; kind: 'switch'; value: boolean }
  | { name: string; kind: 'slider'; value: number }
  | { name: string; kind: 'picker'; value: number | string }
  | { name: string; kind: 'checkbox' | 'radio'; value: string; checked: boolean };

/**
 * `{ value: { name: fieldValue } }` of a form: checkboxes sharing a name give the array of their checked values;
 * a radio group gives its checked radio's value (none checked: the name is absent).
 * @example formDetail({}, [{ name: 'tags', kind: 'checkbox', value: 'a', checked: true }, { name: 'title', kind: 'text', value: 'Milk' }]) // { value: { tags: ['a'], title: 'Milk' }, dataset: {} }
 */
export function formDetail(props: Record<string, Json>, fields: readonly FormField[]): SubmitDetail {
  const value: SubmitDetail['value'] = {};
  for (const field of fields) {
    if (!field.name || field.name === '__proto__') continue;
    if (field.kind === 'checkbox') {
      const list = value[field.name];
      value[field.name] = [...(Array.isArray(list) ? list : []), ...(field.checked ? [field.value] : [])];
    } else if (field.kind === 'radio') {
      if (field.checked) value[field.name] = field.value;
    } else {
      value[field.name] = typeof field.value === 'string' ? field.value.slice(0, MAX_EVENT_TEXT) : field.value;
    }
  }
  return { value, dataset: datasetOf(props) };
}
