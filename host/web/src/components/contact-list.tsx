/** @module My contacts (remove, block behind a "more" toggle) and the people I block (unblock). */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { removeContact, setBlocked } from '../api/contacts.ts';
import { openDirect } from '../api/messaging.ts';
import { chatPath } from '../paths.ts';
import type { Block, Contact } from '../api/types.ts';
import { useI18n } from '../i18n/index.ts';
import type { Action } from '../lib/use-action.ts';
import { Avatar } from './avatar.tsx';
import { Button } from './button.tsx';
import { ConfirmButton } from './confirm-button.tsx';
import { Icon } from './icons.tsx';
import { Row, Section } from './section.tsx';

/** Props of {@link ContactList}. */
export interface ContactListProps {
  contacts: Contact[];
  blocks: Block[];
  action: Action;
  onChange: () => void;
}

/** The contacts, alphabetically, then the blocked list when there is anyone on it. */
export function ContactList(props: ContactListProps): JSX.Element {
  const { t, locale } = useI18n();
  const { action } = props;
  const [open, setOpen] = useState<string | undefined>(undefined);
  const { route } = useLocation();
  const act = (key: string, task: () => Promise<unknown>) => () =>
    void action.run(key, task).then((ok) => {
      if (!ok) return;
      setOpen(undefined);
      props.onChange();
    });
  const collator = new Intl.Collator(locale);
  const sorted = [...props.contacts].sort((a, b) => collator.compare(a.person.displayName, b.person.displayName));

  return (
    <>
      <Section title={t('contacts.list')} count={sorted.length} flush testId="contact-list">
        {sorted.length === 0 ? <p class="empty">{t('contacts.empty')}</p> : null}
        {sorted.map(({ person }) => {
          const expanded = open === person.id;
          return (
            <Row
              key={person.id}
              testId="contact-row"
              data={{ handle: person.handle, userId: person.id }}
              leading={<Avatar id={person.id} name={person.displayName} />}
              title={person.displayName}
              subtitle={`@${person.handle}`}
              stacked
              trailing={
                <>
                <Button small variant="secondary" icon="chat" onClick={act(`chat:${person.id}`, async () => route(chatPath((await openDirect(person.id)).id)))} busy={action.busy === `chat:${person.id}`} testId="contact-chat">
                  {t('contacts.message')}
                </Button>
                <button
                  type="button"
                  class="icon-button"
                  aria-expanded={expanded}
                  aria-label={t('contacts.more', { name: person.displayName })}
                  onClick={() => setOpen(expanded ? undefined : person.id)}
                  data-testid="contact-more"
                >
                  <Icon name="more" />
                </button>
                </>
              }
            >
              {expanded ? (
                <>
                  <ConfirmButton small variant="secondary" onConfirm={act(`remove:${person.id}`, () => removeContact(person.id))} busy={action.busy === `remove:${person.id}`} testId="remove-contact">
                    {t('contacts.remove')}
                  </ConfirmButton>
                  <ConfirmButton small variant="secondary" onConfirm={act(`block:${person.id}`, () => setBlocked(person.id, true))} busy={action.busy === `block:${person.id}`} testId="block-contact">
                    {t('contacts.block')}
                  </ConfirmButton>
                </>
              ) : null}
            </Row>
          );
        })}
      </Section>
      {props.blocks.length > 0 ? (
        <Section title={t('contacts.blocked')} count={props.blocks.length} flush testId="blocked-list">
          {props.blocks.map(({ person }) => (
            <Row key={person.id} testId="blocked-row" data={{ handle: person.handle, userId: person.id }} leading={<Avatar id={person.id} name={person.displayName} />} title={person.displayName} subtitle={`@${person.handle}`}>
              <Button small variant="secondary" onClick={act(`unblock:${person.id}`, () => setBlocked(person.id, false))} busy={action.busy === `unblock:${person.id}`} testId="unblock">
                {t('contacts.unblock')}
              </Button>
            </Row>
          ))}
        </Section>
      ) : null}
    </>
  );
}
