/**
 * @module My merchant's webhooks: the endpoint that receives signed events, and the delivery log — per event
 * every attempt with its status code (or error) and time, the next retry, and manual redelivery.
 */
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso/router';
import { redeliver, setWebhook, webhookLog, type WebhookDelivery } from '../api/merchant.ts';
import { AppLayout } from '../components/app-layout.tsx';
import { Button } from '../components/button.tsx';
import { Field } from '../components/field.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { Section } from '../components/section.tsx';
import { useI18n } from '../i18n/index.ts';
import { errorText, formatDateTime } from '../i18n/format.ts';
import { useAction } from '../lib/use-action.ts';
import { useResource } from '../lib/use-resource.ts';
import { merchantPath } from '../paths.ts';

/** The webhooks screen. */
export function MerchantWebhooks(): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const { params } = useRoute();
  const id = params.merchantId ?? '';
  const log = useResource((signal) => webhookLog(id, signal), [id], { refreshMs: 5_000 });
  const [url, setUrl] = useState('');
  // A ref, not state: the effect below runs after paint, and must see typing that happened since its render
  // (with state it could put the saved URL back over what was just typed).
  const edited = useRef(false);
  useEffect(() => {
    if (!edited.current && log.data) setUrl(log.data.url ?? '');
  }, [log.data?.url]);
  const action = useAction();
  const save = (value: string | null): void => {
    void action.run('save', async () => {
      const saved = await setWebhook(id, value);
      setUrl(saved.url ?? '');
      edited.current = false;
      await log.reload();
    });
  };
  return (
    <AppLayout title={t('merchant.webhooks.title')} back={merchantPath(id)}>
      <Section title={t('merchant.webhooks.endpoint')} testId="webhook-endpoint">
        {action.error ? <Notice kind="error">{errorText(i18n, action.error)}</Notice> : null}
        <form
          onSubmit={(event) => {
            event.preventDefault();
            // What the field holds now, not the last render's state: a Save right after typing saves what was typed.
            const typed = new FormData(event.currentTarget).get('url');
            save((typeof typed === 'string' ? typed : url).trim() || null);
          }}
        >
          <Field
            label={t('merchant.webhooks.url')}
            type="url"
            value={url}
            onInput={(v) => {
              edited.current = true;
              setUrl(v);
            }}
            placeholder="https://shop.example/atrium-webhooks"
            maxLength={2048}
            name="url"
            testId="webhook-url"
          />
          <div class="button-row">
            <Button type="submit" small busy={action.busy === 'save'} testId="webhook-save">
              {t('merchant.webhooks.save')}
            </Button>
            {log.data?.url ? (
              <Button small variant="secondary" onClick={() => save(null)} testId="webhook-clear">
                {t('merchant.webhooks.clear')}
              </Button>
            ) : null}
          </div>
        </form>
        <p class="section-note">{t('merchant.webhooks.note')}</p>
      </Section>
      <Section title={t('merchant.webhooks.log')} flush testId="webhook-log">
        {log.loading && !log.data ? <Loading /> : null}
        {log.error && !log.data ? <Notice kind="error">{errorText(i18n, log.error)}</Notice> : null}
        {log.data && log.data.deliveries.length === 0 ? <p class="empty">{t('merchant.webhooks.empty')}</p> : null}
        {(log.data?.deliveries ?? []).map((d) => (
          <Delivery key={d.id} delivery={d} busy={action.busy === d.id} onRedeliver={() => void action.run(d.id, async () => {
            await redeliver(id, d.id);
            await log.reload();
          })} />
        ))}
      </Section>
    </AppLayout>
  );
}

function Delivery(props: { delivery: WebhookDelivery; busy: boolean; onRedeliver: () => void }): JSX.Element {
  const i18n = useI18n();
  const { t, intl } = i18n;
  const d = props.delivery;
  return (
    <div class="row webhook-delivery" data-testid="webhook-delivery" data-event-type={d.eventType} data-status={d.status} data-attempts={d.attempts.length}>
      <span class="row-text">
        <span class="row-title">
          {d.eventType} · <span data-testid="webhook-status">{t(`merchant.webhooks.status.${d.status}` as const)}</span>
        </span>
        <span class="row-subtitle mono small">{d.eventId}</span>
        <ol class="webhook-attempts">
          {d.attempts.map((a, i) => (
            <li key={i} data-testid="webhook-attempt" data-status-code={a.statusCode ?? ''}>
              {formatDateTime(intl, a.at)} · {a.statusCode !== null ? `HTTP ${a.statusCode}` : (a.error ?? '—')} · {a.ms} ms
            </li>
          ))}
        </ol>
        {d.nextAttemptAt !== null ? (
          <span class="row-subtitle" data-testid="webhook-next">
            {t('merchant.webhooks.next', { time: formatDateTime(intl, d.nextAttemptAt) })}
          </span>
        ) : null}
      </span>
      <div class="row-actions">
        <Button small variant="secondary" busy={props.busy} onClick={props.onRedeliver} testId="webhook-redeliver">
          {t('merchant.webhooks.redeliver')}
        </Button>
      </div>
    </div>
  );
}
