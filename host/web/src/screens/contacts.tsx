/** @module Contacts: add by handle, answer requests, manage contacts and blocks. */
import type { JSX } from 'preact';
import { listBlocks, listContacts, listRequests } from '../api/contacts.ts';
import { AddContactForm } from '../components/add-contact-form.tsx';
import { AppLayout } from '../components/app-layout.tsx';
import { ContactList } from '../components/contact-list.tsx';
import { ContactRequests } from '../components/contact-requests.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { Section } from '../components/section.tsx';
import { useI18n } from '../i18n/index.ts';
import { errorText } from '../i18n/format.ts';
import { useAction } from '../lib/use-action.ts';
import { useResource } from '../lib/use-resource.ts';

/** Until the WebSocket brings changes, new requests show up within this long. */
const REFRESH_MS = 10_000;

async function loadAll(): Promise<{ contacts: Awaited<ReturnType<typeof listContacts>>; requests: Awaited<ReturnType<typeof listRequests>>; blocks: Awaited<ReturnType<typeof listBlocks>> }> {
  const [contacts, requests, blocks] = await Promise.all([listContacts(), listRequests(), listBlocks()]);
  return { contacts, requests, blocks };
}

/** The contacts screen. */
export function Contacts(): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const data = useResource(loadAll, [], { refreshMs: REFRESH_MS });
  const action = useAction();
  const reload = (): void => void data.reload();

  return (
    <AppLayout title={t('contacts.title')}>
      {action.error ? (
        <Notice kind="error" testId="contacts-error">
          {errorText(i18n, action.error)}
        </Notice>
      ) : null}
      <Section title={t('contacts.add')}>
        <AddContactForm onSent={reload} />
      </Section>
      {data.error && !data.data ? <Notice kind="error">{errorText(i18n, data.error)}</Notice> : null}
      {data.data ? (
        <>
          <ContactRequests incoming={data.data.requests.incoming} outgoing={data.data.requests.outgoing} action={action} onChange={reload} />
          <ContactList contacts={data.data.contacts} blocks={data.data.blocks} action={action} onChange={reload} />
        </>
      ) : data.loading ? (
        <Loading />
      ) : null}
    </AppLayout>
  );
}
