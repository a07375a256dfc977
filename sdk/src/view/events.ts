/**
 * @module What the shell sends as an event's `detail`, per event — the contract between the shell's components
 * and the app's handlers. Every detail carries the element's `dataset` (empty object when it has none).
 * Details come from the person's device: handlers should treat them as untrusted input.
 */

/** The element's `dataset` prop, echoed back. */
export type Dataset = Record<string, string | number | boolean | null>;

/** `onTap`, `onLongPress` (any component). */
export interface TapDetail {
  dataset: Dataset;
}

/** `onInput`, `onFocus`, `onBlur`, `onConfirm` of input and textarea (the shell debounces `onInput`). */
export interface InputDetail {
  value: string;
  dataset: Dataset;
}

/** `onChange` of switch, checkbox and radio. */
export interface ToggleDetail {
  checked: boolean;
  /** The element's `value` prop ('' when it has none). */
  value: string;
  dataset: Dataset;
}

/** `onChange` / `onChanging` of slider. */
export interface SliderDetail {
  value: number;
  dataset: Dataset;
}

/** `onChange` of picker: the index into `range` (selector) or `YYYY-MM-DD` / `HH:mm`. */
export interface PickerDetail {
  value: number | string;
  dataset: Dataset;
}

/** `onSubmit` of form: named fields' values (checkboxes sharing a name give an array of checked values). */
export interface SubmitDetail {
  value: Record<string, string | number | boolean | string[]>;
  dataset: Dataset;
}

/** `onChange` of swiper. */
export interface SwiperDetail {
  current: number;
  source: 'autoplay' | 'touch';
  dataset: Dataset;
}

/** `onReachEnd` / `onReachStart` of scroll-view and list. */
export interface ReachDetail {
  direction: 'top' | 'bottom' | 'left' | 'right';
  dataset: Dataset;
}

/** `onLoad` / `onError` of image. */
export interface ImageDetail {
  width?: number;
  height?: number;
  message?: string;
  dataset: Dataset;
}

/** Event name → detail type, for the reference table and for typing handlers. */
export interface EventDetails {
  onTap: TapDetail;
  onLongPress: TapDetail;
  onInput: InputDetail;
  onFocus: InputDetail;
  onBlur: InputDetail;
  onConfirm: InputDetail;
  onChange: ToggleDetail | SliderDetail | PickerDetail | SwiperDetail;
  onChanging: SliderDetail;
  onCancel: TapDetail;
  onSubmit: SubmitDetail;
  onReset: TapDetail;
  onReachEnd: ReachDetail;
  onReachStart: ReachDetail;
  onLoad: ImageDetail;
  onError: ImageDetail;
}
