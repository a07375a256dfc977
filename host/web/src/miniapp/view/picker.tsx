/**
 * @module `picker`: its children are the tap target; a tap opens the shell's sheet — a list for `selector`
 * (value: the index into `range`), a native date or time field for `date` / `time` — and the choice is sent
 * as `onChange`, a dismissal as `onCancel`.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../../i18n/index.ts';
import { pickerDetail, tapDetail } from '../event-detail.ts';
import { Sheet } from '../sheet.tsx';
import type { ComponentProps } from './content.tsx';
import { useElement } from './element.ts';
import { useFormField } from './form.tsx';
import { flag, handlerOf, str, usePage } from './page-scope.ts';

const MOMENT = /^(\d{4}-\d{2}-\d{2}|\d{2}:\d{2})$/;

/** `picker`. */
export function MpPicker({ node, children }: ComponentProps): JSX.Element {
  const { t } = useI18n();
  const page = usePage();
  const { props } = node;
  const mode = str(props, 'mode', 'selector') === 'date' ? 'date' : str(props, 'mode') === 'time' ? 'time' : 'selector';
  const range = Array.isArray(props.range) ? props.range.filter((item): item is string => typeof item === 'string').slice(0, 500) : [];
  const appValue = mode === 'selector' ? (typeof props.value === 'number' ? props.value : 0) : typeof props.value === 'string' && MOMENT.test(props.value) ? props.value : '';
  const [value, setValue] = useState<number | string>(appValue);
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState('');
  useEffect(() => setValue(appValue), [appValue]);
  useFormField(node.id, () => (typeof props.name === 'string' ? { name: props.name, kind: 'picker', value } : undefined), () => setValue(appValue));

  const choose = (next: number | string): void => {
    setOpen(false);
    setValue(next);
    const handler = handlerOf(props, 'onChange');
    if (handler) page.emit(handler, pickerDetail(props, next));
  };
  const cancel = (): void => {
    setOpen(false);
    const handler = handlerOf(props, 'onCancel');
    if (handler) page.emit(handler, tapDetail(props));
  };

  const attrs = useElement(node, 'mp-picker', { control: true });
  return (
    <>
      <button
        type="button"
        {...attrs}
        disabled={flag(props, 'disabled')}
        aria-haspopup="dialog"
        onClick={() => {
          setDraft(typeof value === 'string' ? value : '');
          setOpen(true);
        }}
      >
        {children}
      </button>
      {open && mode === 'selector' ? (
        <Sheet onClose={cancel} testId="picker-sheet">
          <div class="sheet-list" role="listbox" aria-label={typeof props.ariaLabel === 'string' ? props.ariaLabel : undefined}>
            {range.map((item, index) => (
              <button key={index} type="button" role="option" aria-selected={index === value} class={`sheet-option${index === value ? ' is-selected' : ''}`} onClick={() => choose(index)}>
                {item}
              </button>
            ))}
          </div>
        </Sheet>
      ) : null}
      {open && mode !== 'selector' ? (
        <Sheet onClose={cancel} testId="picker-sheet">
          <input
            class="input"
            type={mode}
            value={draft}
            min={typeof props.start === 'string' ? props.start : undefined}
            max={typeof props.end === 'string' ? props.end : undefined}
            onInput={(event) => setDraft(event.currentTarget.value)}
            aria-label={typeof props.ariaLabel === 'string' ? props.ariaLabel : t('miniapp.pickerValue')}
          />
          <div class="button-row sheet-actions">
            <button type="button" class="btn btn-secondary" onClick={cancel}>
              <span>{t('common.cancel')}</span>
            </button>
            <button type="button" class="btn btn-primary" disabled={!MOMENT.test(draft)} onClick={() => choose(draft)}>
              <span>{t('miniapp.pickerDone')}</span>
            </button>
          </div>
        </Sheet>
      ) : null}
    </>
  );
}
