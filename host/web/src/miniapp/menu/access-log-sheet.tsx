/** @module "Access log" of the app menu: what the app touched (profile, network, storage, login, scan), newest first, paged. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { accessLog, type AccessEntry } from '../../api/apps.ts';
import { isAbort } from '../../api/problem.ts';
import { Button } from '../../components/button.tsx';
import { Loading } from '../../components/loading.tsx';
import { Notice } from '../../components/notice.tsx';
import { useI18n, type MessageId } from '../../i18n/index.ts';
import { errorText, formatDateTime } from '../../i18n/format.ts';
import { Sheet } from '../sheet.tsx';

const OUTCOMES: Record<AccessEntry['outcome'], MessageId> = {
  allowed: 'miniapp.outcome.allowed',
  denied: 'miniapp.outcome.denied',
  failed: 'miniapp.outcome.failed',
};

/** The app's access log. */
export function AccessLogSheet(props: { appId: string; onClose: () => void }): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const [entries, setEntries] = useState<AccessEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(undefined);

  const load = async (cursor: string | undefined, signal?: AbortSignal): Promise<void> => {
    setLoading(true);
    setError(undefined);
    try {
      const page = await accessLog(props.appId, cursor, signal);
      setEntries((previous) => (cursor === undefined ? page.entries : [...previous, ...page.entries]));
      setNext(page.nextCursor);
    } catch (caught) {
      if (!isAbort(caught)) setError(caught);
    } finally {
      if (!signal?.aborted) setLoading(false);
    }
  };
  useEffect(() => {
    const controller = new AbortController();
    void load(undefined, controller.signal);
    return () => controller.abort();
  }, [props.appId]);

  return (
    <Sheet title={t('miniapp.accessLog')} onClose={props.onClose} testId="access-log-sheet">
      {error ? <Notice kind="error">{errorText(i18n, error)}</Notice> : null}
      {!loading && !error && entries.length === 0 ? <p class="muted sheet-empty">{t('miniapp.accessLogEmpty')}</p> : null}
      {entries.length > 0 ? (
        <ul class="sheet-rows">
          {entries.map((entry) => (
            <li key={entry.id} class="row" data-testid="access-log-entry" data-api={entry.api} data-outcome={entry.outcome}>
              <div class="row-text">
                <div class="row-title mono">{entry.api}</div>
                <div class="row-subtitle">
                  <span class={`outcome outcome-${entry.outcome}`}>{t(OUTCOMES[entry.outcome] ?? 'miniapp.outcome.failed')}</span> · {formatDateTime(i18n.intl, entry.at)}
                </div>
                {entry.detail ? <div class="row-subtitle">{entry.detail}</div> : null}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {loading ? <Loading /> : null}
      {!loading && next !== null ? (
        <Button variant="secondary" block onClick={() => void load(next)} testId="access-log-more">
          {t('miniapp.accessLogMore')}
        </Button>
      ) : null}
    </Sheet>
  );
}
