/**
 * @module The scanner an app asks for (`atrium.scanCode()`): the shell's camera viewfinder, or a picture to
 * upload, decoded in the browser; the text goes back to the app only (never opened by the shell).
 */
import type { JSX } from 'preact';
import { CameraScanner } from '../../components/camera-scanner.tsx';
import { Icon } from '../../components/icons.tsx';
import { Notice } from '../../components/notice.tsx';
import { useI18n } from '../../i18n/index.ts';
import { useQrUpload } from '../../lib/use-qr-upload.ts';
import { Sheet } from '../sheet.tsx';

/** Props of {@link ScanPrompt}. */
export interface ScanPromptProps {
  onResult: (text: string) => void;
  onCancel: () => void;
}

/** A scan sheet. */
export function ScanPrompt(props: ScanPromptProps): JSX.Element {
  const { t } = useI18n();
  const { upload, reading, problem } = useQrUpload(props.onResult);

  return (
    <Sheet title={t('miniapp.scanTitle')} onClose={props.onCancel} testId="scan-sheet">
      <CameraScanner onResult={props.onResult} />
      {problem ? (
        <Notice kind="error" testId="scan-error">
          {problem}
        </Notice>
      ) : null}
      <label class={`btn btn-secondary btn-block file-button${reading ? ' is-busy' : ''}`}>
        {reading ? <span class="spinner" aria-hidden="true" /> : <Icon name="image" />}
        <span>{t('scan.upload')}</span>
        <input type="file" accept="image/*" class="visually-hidden" onChange={(event) => void upload(event)} data-testid="scan-upload" />
      </label>
      <button type="button" class="btn btn-ghost btn-block" onClick={props.onCancel} data-testid="scan-cancel">
        <span>{t('common.cancel')}</span>
      </button>
    </Sheet>
  );
}
