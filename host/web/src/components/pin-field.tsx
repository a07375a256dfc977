/** @module The 6-digit payment PIN input: masked, digits only, one-time-code friendly. */
import type { JSX } from 'preact';
import { useId } from 'preact/hooks';

/** A PIN input; `onInput` gets the digits only. */
export function PinField(props: { label: string; value: string; onInput: (pin: string) => void; testId?: string; autoFocus?: boolean; error?: string | undefined }): JSX.Element {
  const id = useId();
  return (
    <div class={`field pin-field${props.error ? ' field-invalid' : ''}`}>
      <label for={id}>{props.label}</label>
      <input
        id={id}
        type="password"
        inputMode="numeric"
        autocomplete="off"
        pattern="[0-9]{6}"
        maxLength={6}
        value={props.value}
        autoFocus={props.autoFocus}
        aria-invalid={props.error ? 'true' : undefined}
        data-testid={props.testId}
        onInput={(event) => props.onInput(event.currentTarget.value.replace(/\D/g, '').slice(0, 6))}
      />
      {props.error ? (
        <p class="field-error" role="alert">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}
