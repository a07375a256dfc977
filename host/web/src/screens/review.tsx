/**
 * @module The review queue, for platform reviewers (`npm run admin -- grant-reviewer <handle>`): every submitted
 * version with its app, version, submitter, the permissions it asks for with the reasons people will read, its
 * network domains, package size and sub-packages, a preview link and QR code to try that exact version, and
 * approve or reject-with-reasons buttons (the developer platform's review routes). Others see why they cannot.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { approveVersion, createPreview, listReviewQueue, rejectVersion, type ReviewItem } from '../api/developer.ts';
import { AppLayout } from '../components/app-layout.tsx';
import { Button } from '../components/button.tsx';
import { Field } from '../components/field.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { QrCode } from '../components/qr-code.tsx';
import { Section } from '../components/section.tsx';
import { useI18n } from '../i18n/index.ts';
import { errorText, formatDateTime } from '../i18n/format.ts';
import { ROUTES } from '../paths.ts';

/** `1.5 MB`, `12.0 kB`, `300 B` (1 kB = 1024 B, as package limits are counted). */
function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(2)} MB`;
}

/** One submitted version: what to check, a preview, and the verdict. */
function ReviewCard(props: { item: ReviewItem; onDone: (verdict: 'approved' | 'rejected') => void }): JSX.Element {
  const i18n = useI18n();
  const { t, intl } = i18n;
  const { item } = props;
  const [preview, setPreview] = useState<string | undefined>(undefined);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(undefined);
  const run = async (what: string, step: () => Promise<void>): Promise<void> => {
    setBusy(what);
    setFailure(undefined);
    try {
      await step();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(undefined);
    }
  };
  const previewPath = preview ? new URL(preview, location.origin).pathname + new URL(preview, location.origin).search : undefined;

  return (
    <Section title={`${item.appName} ${item.versionName}`} testId="review-item">
      <div class="review-item" data-app={item.appId} data-version={item.versionCode}>
        <dl class="review-facts">
          <dt>{t('review.app')}</dt>
          <dd class="mono">{item.appId}</dd>
          <dt>{t('review.version')}</dt>
          <dd>{t('review.versionValue', { name: item.versionName, code: item.versionCode })}</dd>
          <dt>{t('review.submitter')}</dt>
          <dd data-testid="review-submitter">{item.submitter ? `${item.submitter.displayName} (@${item.submitter.handle})` : t('review.unknown')}</dd>
          <dt>{t('review.submitted')}</dt>
          <dd>{item.submittedAt ? formatDateTime(intl, item.submittedAt) : t('review.unknown')}</dd>
          <dt>{t('review.size')}</dt>
          <dd data-testid="review-size">{item.packageBytes === null ? t('review.unknown') : bytes(item.packageBytes)}</dd>
          <dt>{t('review.pages')}</dt>
          <dd>
            {t('review.pagesValue', { count: item.pages })}
            {item.subpackages.length ? ` · ${t('review.subpackages', { names: item.subpackages.map((s) => s.name).join(', ') })}` : ''}
          </dd>
          <dt>{t('review.domains')}</dt>
          <dd class="mono">{item.networkDomains.length ? item.networkDomains.join(', ') : t('review.none')}</dd>
        </dl>
        <h3 class="review-subtitle">{t('review.permissions')}</h3>
        {item.permissions.length ? (
          <ul class="review-permissions" data-testid="review-permissions">
            {item.permissions.map((p) => (
              <li key={p.name}>
                <span class="mono">{p.name}</span> — {p.reason}
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted" data-testid="review-permissions">
            {t('review.noPermissions')}
          </p>
        )}

        {preview && previewPath ? (
          <div class="review-preview">
            <QrCode value={preview} label={t('review.previewQr')} testId="review-preview-qr" />
            <a href={previewPath} data-testid="review-preview-link">
              {t('review.openPreview')}
            </a>
          </div>
        ) : (
          <Button variant="secondary" busy={busy === 'preview'} disabled={busy !== undefined} onClick={() => void run('preview', async () => setPreview((await createPreview(item.appId, item.versionCode)).url))} testId="review-preview">
            {t('review.preview')}
          </Button>
        )}

        {failure ? <Notice kind="error">{errorText(i18n, failure)}</Notice> : null}
        {rejecting ? (
          <form
            class="review-reject"
            onSubmit={(event) => {
              event.preventDefault();
              void run('reject', async () => {
                await rejectVersion(item.appId, item.versionCode, reason.trim());
                props.onDone('rejected');
              });
            }}
          >
            <Field label={t('review.reason')} hint={t('review.reasonHint')} value={reason} onInput={setReason} multiline maxLength={2000} testId="review-reason" />
            <div class="button-row">
              <Button type="submit" variant="danger" busy={busy === 'reject'} disabled={busy !== undefined || reason.trim() === ''} testId="review-reject-confirm">
                {t('review.rejectConfirm')}
              </Button>
              <Button variant="secondary" disabled={busy !== undefined} onClick={() => setRejecting(false)}>
                {t('common.cancel')}
              </Button>
            </div>
          </form>
        ) : (
          <div class="button-row">
            <Button
              busy={busy === 'approve'}
              disabled={busy !== undefined}
              onClick={() =>
                void run('approve', async () => {
                  await approveVersion(item.appId, item.versionCode);
                  props.onDone('approved');
                })
              }
              testId="review-approve"
            >
              {t('review.approve')}
            </Button>
            <Button variant="danger" disabled={busy !== undefined} onClick={() => setRejecting(true)} testId="review-reject">
              {t('review.reject')}
            </Button>
          </div>
        )}
      </div>
    </Section>
  );
}

/** The `/review` screen. */
export function Review(): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const [items, setItems] = useState<ReviewItem[] | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(undefined);
  const [last, setLast] = useState<{ appName: string; versionName: string; verdict: 'approved' | 'rejected' } | undefined>(undefined);

  useEffect(() => {
    listReviewQueue().then(setItems, setFailure);
  }, []);

  let body: JSX.Element;
  if (failure) body = <Notice kind="error">{errorText(i18n, failure)}</Notice>;
  else if (!items) body = <Loading />;
  else {
    body = (
      <>
        {last ? (
          <Notice kind="success" testId="review-done">
            {t(last.verdict === 'approved' ? 'review.approved' : 'review.rejected', { app: last.appName, version: last.versionName })}
          </Notice>
        ) : null}
        {items.length === 0 ? (
          <p class="muted empty" data-testid="review-empty">
            {t('review.empty')}
          </p>
        ) : (
          items.map((item) => (
            <ReviewCard
              key={`${item.appId}@${item.versionCode}`}
              item={item}
              onDone={(verdict) => {
                setLast({ appName: item.appName, versionName: item.versionName, verdict });
                setItems((current) => current?.filter((other) => other !== item));
              }}
            />
          ))
        )}
      </>
    );
  }
  return (
    <AppLayout title={t('review.title')} back={ROUTES.settings} tabs={false}>
      {body}
    </AppLayout>
  );
}
