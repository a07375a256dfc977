/**
 * @module A bottom sheet on a modal `<dialog>`: the rest of the page is inert while it is open (the browser
 * traps focus), Escape and a tap on the backdrop dismiss it, and focus returns where it was on close.
 */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import { Icon } from '../components/icons.tsx';
import { useI18n } from '../i18n/index.ts';

/** Props of {@link Sheet}. */
export interface SheetProps {
  title?: string;
  /** Escape, the backdrop or the close button; omit to make the sheet undismissable. */
  onClose?: () => void;
  children: ComponentChildren;
  testId?: string;
  /** `center` for modals, `bottom` (default) for sheets. */
  placement?: 'bottom' | 'center';
}

/** A modal sheet, open while mounted. */
export function Sheet(props: SheetProps): JSX.Element {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;
  const titleId = useId();
  const leaving = useRef(false);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    if (!element.open) element.showModal();
    return () => {
      leaving.current = true;
      if (element.open) element.close();
      if (previous?.isConnected) previous.focus();
    };
  }, []);

  return (
    <dialog
      ref={dialog}
      class={`sheet sheet-${props.placement ?? 'bottom'}`}
      aria-labelledby={props.title ? titleId : undefined}
      data-testid={props.testId}
      onCancel={(event) => {
        event.preventDefault(); // Escape: the owner decides (it unmounts the sheet)
        onClose.current?.();
      }}
      onClose={() => {
        // The browser may close a modal dialog itself (a second Escape without user activation skips `cancel`).
        if (leaving.current) return;
        if (onClose.current) onClose.current();
        else dialog.current?.showModal();
      }}
      onClick={(event) => {
        if (event.target === dialog.current) onClose.current?.(); // the backdrop
      }}
    >
      <div class="sheet-body">
        {props.title || props.onClose ? (
          <header class="sheet-head">
            {props.title ? <h2 id={titleId}>{props.title}</h2> : <span />}
            {props.onClose ? (
              <button type="button" class="icon-button" onClick={() => onClose.current?.()} aria-label={t('common.close')} data-testid="sheet-close">
                <Icon name="close" />
              </button>
            ) : null}
          </header>
        ) : null}
        {props.children}
      </div>
    </dialog>
  );
}
