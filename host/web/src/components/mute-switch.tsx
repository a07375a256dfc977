/** @module Mute a chat for myself (all my devices): a switch that answers at once and is put back if refused. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { setMuted } from '../api/messaging.ts';
import { useI18n } from '../i18n/index.ts';
import { errorText } from '../i18n/format.ts';
import { Notice } from './notice.tsx';

/** Props of {@link MuteSwitch}. */
export interface MuteSwitchProps {
  conversationId: string;
  muted: boolean;
  /** Called once the host has stored the change (reload the conversation). */
  onChange: () => void;
  testId?: string;
}

/** The mute switch. */
export function MuteSwitch(props: MuteSwitchProps): JSX.Element {
  const i18n = useI18n();
  const [shown, setShown] = useState<boolean | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  // The host's answer (or another device's change) replaces the optimistic value.
  useEffect(() => setShown(undefined), [props.muted]);

  const toggle = async (next: boolean): Promise<void> => {
    setShown(next);
    setBusy(true);
    setError(undefined);
    try {
      await setMuted(props.conversationId, next);
      props.onChange();
    } catch (e) {
      setShown(undefined);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {error ? <Notice kind="error">{errorText(i18n, error)}</Notice> : null}
      <label class="group-mute">
        <input type="checkbox" checked={shown ?? props.muted} disabled={busy} onChange={(event) => void toggle(event.currentTarget.checked)} data-testid={props.testId ?? 'chat-mute'} />
        <span>{i18n.t('group.mute')}</span>
      </label>
    </>
  );
}
