/**
 * @module My merchant's API keys: create one with its scopes (the secret is shown this once, then only its
 * prefix), and revoke one at once.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso/router';
import { createKey, listKeys, revokeKey, SCOPES, type Scope } from '../api/merchant.ts';
import { AppLayout } from '../components/app-layout.tsx';
import { Button } from '../components/button.tsx';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { Field } from '../components/field.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { Section } from '../components/section.tsx';
import { useI18n } from '../i18n/index.ts';
import { errorText, formatDateTime } from '../i18n/format.ts';
import { useAction } from '../lib/use-action.ts';
import { useResource } from '../lib/use-resource.ts';
import { merchantPath } from '../paths.ts';

/** The API keys screen. */
export function MerchantKeys(): JSX.Element {
  const i18n = useI18n();
  const { t, intl } = i18n;
  const { params } = useRoute();
  const id = params.merchantId ?? '';
  const keys = useResource((signal) => listKeys(id, signal), [id]);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['orders:read', 'orders:write']);
  const [secret, setSecret] = useState<{ name: string; secret: string } | undefined>(undefined);
  const action = useAction();
  const toggle = (scope: Scope): void => setScopes((now) => (now.includes(scope) ? now.filter((s) => s !== scope) : [...now, scope]));
  return (
    <AppLayout title={t('merchant.keys.title')} back={merchantPath(id)}>
      {secret ? (
        <Section title={t('merchant.keys.created', { name: secret.name })} testId="key-secret">
          <p class="mono key-secret" data-testid="key-secret-value">
            {secret.secret}
          </p>
          <p class="section-note">{t('merchant.keys.once')}</p>
          <Button small variant="secondary" onClick={() => setSecret(undefined)} testId="key-secret-done">
            {t('merchant.keys.stored')}
          </Button>
        </Section>
      ) : null}
      <Section title={t('merchant.keys.new')} testId="key-create">
        {action.error ? <Notice kind="error">{errorText(i18n, action.error)}</Notice> : null}
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (!name.trim() || scopes.length === 0) return;
            void action.run('create', async () => {
              const created = await createKey(id, { name: name.trim(), scopes });
              setSecret({ name: created.name, secret: created.secret });
              setName('');
              await keys.reload();
            });
          }}
        >
          <Field label={t('merchant.keys.name')} value={name} onInput={setName} maxLength={64} testId="key-name" />
          <fieldset class="scopes">
            <legend>{t('merchant.keys.scopes')}</legend>
            {SCOPES.map((scope) => (
              <label key={scope} class="check">
                <input type="checkbox" checked={scopes.includes(scope)} onChange={() => toggle(scope)} data-testid={`key-scope-${scope}`} />
                <span class="mono">{scope}</span>
              </label>
            ))}
          </fieldset>
          <Button type="submit" block disabled={!name.trim() || scopes.length === 0} busy={action.busy === 'create'} testId="key-create-submit">
            {t('merchant.keys.create')}
          </Button>
        </form>
      </Section>
      <Section title={t('merchant.keys.list')} flush testId="keys">
        {keys.loading && !keys.data ? <Loading /> : null}
        {keys.error && !keys.data ? <Notice kind="error">{errorText(i18n, keys.error)}</Notice> : null}
        {keys.data && keys.data.length === 0 ? <p class="empty">{t('merchant.keys.empty')}</p> : null}
        {(keys.data ?? []).map((k) => (
          <div key={k.id} class="row" data-testid="key-row" data-id={k.id} data-revoked={k.revokedAt !== null ? 'true' : 'false'}>
            <span class="row-text">
              <span class="row-title">{k.name}</span>
              <span class="row-subtitle">
                <span class="mono">{k.prefix}…</span> · {k.scopes.join(', ')} · {formatDateTime(intl, k.createdAt)}
                {k.revokedAt !== null ? ` · ${t('merchant.keys.revoked', { time: formatDateTime(intl, k.revokedAt) })}` : ''}
              </span>
            </span>
            {k.revokedAt === null ? (
              <div class="row-actions">
                <ConfirmButton small variant="danger" busy={action.busy === k.id} onConfirm={() => void action.run(k.id, async () => {
                  await revokeKey(id, k.id);
                  await keys.reload();
                })} testId="key-revoke">
                  {t('merchant.keys.revoke')}
                </ConfirmButton>
              </div>
            ) : null}
          </div>
        ))}
      </Section>
    </AppLayout>
  );
}
