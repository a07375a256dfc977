/** @module A button for destructive actions: the first tap asks, the second (within a few seconds) acts. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/index.ts';
import { Button, type ButtonProps } from './button.tsx';

const ARMED_MS = 4_000;

/** Props of {@link ConfirmButton}: a {@link Button} plus the question's text. */
export interface ConfirmButtonProps extends Omit<ButtonProps, 'onClick'> {
  onConfirm: () => void;
  /** @default "Tap again to confirm" */
  confirmLabel?: string;
}

/** Asks before acting; falls back to its normal label after a few seconds. */
export function ConfirmButton(props: ConfirmButtonProps): JSX.Element {
  const { t } = useI18n();
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    if (!armed) return;
    const timer = setTimeout(() => setArmed(false), ARMED_MS);
    return () => clearTimeout(timer);
  }, [armed]);
  const { onConfirm, confirmLabel, children, variant, ...rest } = props;
  return (
    <Button
      {...rest}
      variant={armed ? 'danger' : variant}
      onClick={() => {
        if (!armed) return setArmed(true);
        setArmed(false);
        onConfirm();
      }}
    >
      {armed ? (confirmLabel ?? t('common.confirmAgain')) : children}
    </Button>
  );
}
