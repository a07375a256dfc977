/**
 * @module Turns a failed form submission into messages under the right fields (`errors[].path` such as
 * `body.handle`, or codes such as `HANDLE_TAKEN`) and one message for the rest.
 */
import { ApiError } from '../api/problem.ts';
import type { I18n, MessageId } from '../i18n/index.ts';
import { errorText } from '../i18n/format.ts';

/** Messages by field name. */
export type FieldMessages = Partial<Record<string, string>>;

/** How a form names its fields. */
export interface FormFields {
  /** Each field with the localized rule shown when the API rejects its value. */
  hints: Record<string, MessageId>;
  /** Codes that are about one field (`HANDLE_TAKEN` → `handle`). */
  codes?: Record<string, string>;
}

/** Splits `error` into per-field messages and a general one. */
export function explainFormError(i18n: I18n, error: unknown, form: FormFields): { fields: FieldMessages; message: string | undefined } {
  const fields: FieldMessages = {};
  if (!(error instanceof ApiError)) return { fields, message: errorText(i18n, error) };
  const codeField = form.codes?.[error.code];
  if (codeField) {
    fields[codeField] = errorText(i18n, error);
    return { fields, message: undefined };
  }
  let unplaced = error.errors.length === 0;
  for (const problem of error.errors) {
    const field = problem.path.split('.').slice(1).join('.');
    const hint = form.hints[field];
    if (hint) fields[field] ??= i18n.t(hint);
    else unplaced = true;
  }
  return { fields, message: unplaced ? errorText(i18n, error) : undefined };
}
