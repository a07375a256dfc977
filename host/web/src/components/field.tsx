/** @module A labelled form field with its hint and error, wired for assistive technology. */
import type { JSX, TargetedEvent } from 'preact';
import { useId } from 'preact/hooks';

/** Props of {@link Field}. */
export interface FieldProps {
  label: string;
  value: string;
  onInput: (value: string) => void;
  type?: 'text' | 'password' | 'tel' | 'search' | 'url';
  name?: string;
  autocomplete?: string;
  placeholder?: string;
  hint?: string;
  error?: string | undefined;
  required?: boolean;
  maxLength?: number;
  autoFocus?: boolean;
  inputMode?: 'text' | 'tel' | 'url' | 'none';
  testId?: string;
  /** A multi-line field. */
  multiline?: boolean;
}

/** An input with its label above and its error (or hint) below. */
export function Field(props: FieldProps): JSX.Element {
  const id = useId();
  const note = props.error ?? props.hint;
  const common = {
    id,
    name: props.name,
    value: props.value,
    placeholder: props.placeholder,
    required: props.required,
    maxLength: props.maxLength,
    autoFocus: props.autoFocus,
    'aria-invalid': props.error ? ('true' as const) : undefined,
    'aria-describedby': note ? `${id}-note` : undefined,
    'data-testid': props.testId,
    onInput: (event: TargetedEvent<HTMLInputElement | HTMLTextAreaElement>) => props.onInput(event.currentTarget.value),
  };
  return (
    <div class={`field${props.error ? ' field-invalid' : ''}`}>
      <label for={id}>{props.label}</label>
      {props.multiline ? (
        <textarea {...common} rows={2} />
      ) : (
        <input
          {...common}
          // preact's input props discriminate on a literal `type`; every type here takes the same props
          type={(props.type ?? 'text') as 'text'}
          autocomplete={props.autocomplete}
          inputMode={props.inputMode}
          autocapitalize="off"
          spellcheck={false}
        />
      )}
      {note ? (
        <p id={`${id}-note`} class={props.error ? 'field-error' : 'field-hint'} role={props.error ? 'alert' : undefined}>
          {note}
        </p>
      ) : null}
    </div>
  );
}
