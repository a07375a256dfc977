/** @module Contact requests: incoming ones to accept or decline, my outgoing ones to withdraw. */
import type { JSX } from 'preact';
import { answerRequest, setBlocked } from '../api/contacts.ts';
import type { ContactRequest } from '../api/types.ts';
import { useI18n } from '../i18n/index.ts';
import { formatSince } from '../i18n/format.ts';
import type { Action } from '../lib/use-action.ts';
import { Avatar } from './avatar.tsx';
import { Button } from './button.tsx';
import { ConfirmButton } from './confirm-button.tsx';
import { Row, Section } from './section.tsx';

/** Props of {@link ContactRequests}. */
export interface ContactRequestsProps {
  incoming: ContactRequest[];
  outgoing: ContactRequest[];
  action: Action;
  /** Runs after any change, to load the lists again. */
  onChange: () => void;
}

/** The two request lists; each is hidden when empty. */
export function ContactRequests(props: ContactRequestsProps): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const { action } = props;
  const act = (key: string, task: () => Promise<unknown>) => () => void action.run(key, task).then((ok) => ok && props.onChange());

  return (
    <>
      {props.incoming.length > 0 ? (
        <Section title={t('contacts.incoming')} count={props.incoming.length} flush testId="incoming-requests">
          {props.incoming.map((request) => (
            <Row
              key={request.id}
              stacked
              testId="incoming-request"
              data={{ handle: request.person.handle, requestId: request.id }}
              leading={<Avatar id={request.person.id} name={request.person.displayName} />}
              title={request.person.displayName}
              subtitle={`@${request.person.handle} · ${request.message ? `“${request.message}”` : formatSince(i18n, request.createdAt)}`}
            >
              <Button small onClick={act(`accept:${request.id}`, () => answerRequest(request.id, 'accept'))} busy={action.busy === `accept:${request.id}`} testId="accept-request">
                {t('contacts.accept')}
              </Button>
              <Button small variant="secondary" onClick={act(`decline:${request.id}`, () => answerRequest(request.id, 'decline'))} busy={action.busy === `decline:${request.id}`} testId="decline-request">
                {t('contacts.decline')}
              </Button>
              <ConfirmButton small variant="ghost" onConfirm={act(`block:${request.id}`, () => setBlocked(request.person.id, true))} busy={action.busy === `block:${request.id}`} testId="block-requester">
                {t('contacts.block')}
              </ConfirmButton>
            </Row>
          ))}
        </Section>
      ) : null}
      {props.outgoing.length > 0 ? (
        <Section title={t('contacts.outgoing')} count={props.outgoing.length} flush testId="outgoing-requests">
          {props.outgoing.map((request) => (
            <Row
              key={request.id}
              testId="outgoing-request"
              data={{ handle: request.person.handle, requestId: request.id }}
              leading={<Avatar id={request.person.id} name={request.person.displayName} />}
              title={request.person.displayName}
              subtitle={`@${request.person.handle} · ${t('contacts.waiting')}`}
            >
              <Button small variant="secondary" onClick={act(`withdraw:${request.id}`, () => answerRequest(request.id, 'withdraw'))} busy={action.busy === `withdraw:${request.id}`} testId="cancel-request">
                {t('common.cancel')}
              </Button>
            </Row>
          ))}
        </Section>
      ) : null}
    </>
  );
}
