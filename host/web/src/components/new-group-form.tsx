/** @module A form that makes a group: a name and some of my contacts (up to 500 members in all). */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { listContacts } from '../api/contacts.ts';
import { createGroup } from '../api/messaging.ts';
import { useI18n } from '../i18n/index.ts';
import { errorText } from '../i18n/format.ts';
import { useResource } from '../lib/use-resource.ts';
import { chatPath } from '../paths.ts';
import { Button } from './button.tsx';
import { Field } from './field.tsx';
import { Notice } from './notice.tsx';

/** The new-group form. */
export function NewGroupForm(): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const { route } = useLocation();
  const contacts = useResource(() => listContacts(), []);
  const [name, setName] = useState('');
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const toggle = (id: string): void =>
    setPicked((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (!name.trim() || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const group = await createGroup(name.trim(), [...picked]);
      route(chatPath(group.id));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="new-group" onSubmit={(e) => void submit(e)} data-testid="new-group">
      {error ? <Notice kind="error">{errorText(i18n, error)}</Notice> : null}
      <Field label={t('chats.groupName')} value={name} onInput={setName} maxLength={64} required testId="group-name" />
      <fieldset class="group-members">
        <legend>{t('chats.groupMembers')}</legend>
        {(contacts.data ?? []).map(({ person }) => (
          <label key={person.id} class="group-member">
            <input type="checkbox" checked={picked.has(person.id)} onChange={() => toggle(person.id)} data-testid="group-member" data-handle={person.handle} />
            {person.displayName}
          </label>
        ))}
      </fieldset>
      <Button type="submit" busy={busy} testId="group-create">
        {t('chats.createGroup')}
      </Button>
    </form>
  );
}
