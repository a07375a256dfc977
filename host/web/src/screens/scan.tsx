/**
 * @module Scan: read a QR code with the camera, from a picture, or from a pasted link, and go where it
 * points (confirm a login, add a card) or show what it says.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { AppLayout } from '../components/app-layout.tsx';
import { Button } from '../components/button.tsx';
import { CameraScanner } from '../components/camera-scanner.tsx';
import { Field } from '../components/field.tsx';
import { Icon } from '../components/icons.tsx';
import { Notice } from '../components/notice.tsx';
import { Section } from '../components/section.tsx';
import { useI18n } from '../i18n/index.ts';
import { useQrUpload } from '../lib/use-qr-upload.ts';
import { scanTarget, shellOrigins, type ScanTarget } from '../lib/scan-target.ts';

/** The scan screen. */
export function Scan(): JSX.Element {
  const { t } = useI18n();
  const { route } = useLocation();
  const [result, setResult] = useState<Extract<ScanTarget, { kind: 'text' }> | undefined>(undefined);
  const [pasted, setPasted] = useState('');
  const [round, setRound] = useState(0);

  const open = (text: string): void => {
    const target = scanTarget(text, shellOrigins());
    setProblem(undefined);
    if (target.kind === 'text') setResult(target);
    else route(target.path);
  };

  const { upload, reading, problem, setProblem } = useQrUpload(open);

  const submitPaste = (event: Event): void => {
    event.preventDefault();
    if (pasted.trim()) open(pasted);
  };

  return (
    <AppLayout title={t('scan.title')}>
      {result ? (
        <Section title={t('scan.result')} testId="scan-result">
          <p class="scan-text mono" data-testid="scan-result-text">
            {result.text}
          </p>
          <p class="muted small">{result.url ? t('scan.externalLink') : t('scan.plainText')}</p>
          <div class="button-row">
            {result.url ? (
              <a class="btn btn-secondary btn-small" href={result.url} target="_blank" rel="noopener noreferrer">
                <Icon name="link" />
                <span>{t('scan.openLink')}</span>
              </a>
            ) : null}
            <Button
              small
              onClick={() => {
                setResult(undefined);
                setRound((n) => n + 1);
              }}
              testId="scan-again"
            >
              {t('scan.again')}
            </Button>
          </div>
        </Section>
      ) : (
        <CameraScanner key={round} onResult={open} />
      )}
      {problem ? (
        <Notice kind="error" testId="scan-error">
          {problem}
        </Notice>
      ) : null}
      <Section title={t('scan.other')}>
        <label class={`btn btn-secondary btn-block file-button${reading ? ' is-busy' : ''}`}>
          {reading ? <span class="spinner" aria-hidden="true" /> : <Icon name="image" />}
          <span>{t('scan.upload')}</span>
          <input type="file" accept="image/*" class="visually-hidden" onChange={(event) => void upload(event)} data-testid="scan-upload" />
        </label>
        <form class="paste-form" onSubmit={submitPaste}>
          <Field label={t('scan.paste')} value={pasted} onInput={setPasted} type="url" inputMode="url" placeholder="https://…" testId="scan-paste" />
          <Button type="submit" variant="secondary" disabled={!pasted.trim()} testId="scan-paste-submit">
            {t('scan.go')}
          </Button>
        </form>
      </Section>
    </AppLayout>
  );
}
