/**
 * @module `form`: collects the values of its named fields (as each field holds them locally) into
 * `onSubmit`'s `{ value }`, and puts them back to the app's values on reset.
 */
import { createContext, type JSX } from 'preact';
import { useContext, useEffect, useMemo, useRef } from 'preact/hooks';
import { formDetail, tapDetail, type FormField } from '../event-detail.ts';
import type { ComponentProps } from './content.tsx';
import { useElement } from './element.ts';
import { handlerOf, usePage } from './page-scope.ts';

/** A field as its form sees it: how to read it, and how to put it back to the app's value. */
interface FieldHandle {
  read(): FormField | undefined;
  reset(): void;
}

/** What fields and buttons inside a form reach. */
export interface FormScope {
  register(nodeId: number, field: FieldHandle): () => void;
  /** Submits; `pressed` is the submit button's node. */
  submit(pressed?: number): void;
  reset(): void;
}

const FormContext = createContext<FormScope | undefined>(undefined);

/** The enclosing form, if any. */
export function useForm(): FormScope | undefined {
  return useContext(FormContext);
}

/** Registers a field with the enclosing form while it is mounted. */
export function useFormField(nodeId: number, read: () => FormField | undefined, reset: () => void): void {
  const form = useForm();
  const handle = useRef<FieldHandle>({ read, reset });
  handle.current.read = read;
  handle.current.reset = reset;
  useEffect(() => form?.register(nodeId, { read: () => handle.current.read(), reset: () => handle.current.reset() }), [form, nodeId]);
}

/** `form`. */
export function MpForm({ node, children }: ComponentProps): JSX.Element {
  const page = usePage();
  const fields = useRef(new Map<number, FieldHandle>());
  const props = useRef(node.props);
  props.current = node.props;
  const scope = useMemo<FormScope>(
    () => ({
      register(nodeId, field) {
        fields.current.set(nodeId, field);
        return () => fields.current.delete(nodeId);
      },
      submit(pressed) {
        const handler = handlerOf(props.current, 'onSubmit');
        if (!handler) return;
        const values = [...fields.current.values()].map((field) => field.read()).filter((field): field is FormField => field !== undefined);
        page.emit(handler, formDetail(props.current, values), pressed);
      },
      reset() {
        for (const field of fields.current.values()) field.reset();
        const handler = handlerOf(props.current, 'onReset');
        if (handler) page.emit(handler, tapDetail(props.current));
      },
    }),
    [page],
  );
  const attrs = useElement(node, 'mp-form');
  return (
    <FormContext.Provider value={scope}>
      <form
        {...attrs}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          scope.submit();
        }}
        onReset={(event) => {
          event.preventDefault();
          scope.reset();
        }}
      >
        {children}
      </form>
    </FormContext.Provider>
  );
}
