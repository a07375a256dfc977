/**
 * @module The photo a person picked, shown before it is sent: the picture (from the file itself, nothing is
 * uploaded yet), an optional caption, Cancel or Send. Send uploads once and sends with one client id, so
 * pressing it again after an error neither uploads twice nor makes a second message.
 */
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { sendImage, uploadImage, type MessageView } from '../api/messaging.ts';
import { useI18n } from '../i18n/index.ts';
import { errorText } from '../i18n/format.ts';
import { Sheet } from '../miniapp/sheet.tsx';
import { Button } from './button.tsx';
import { Notice } from './notice.tsx';

/** Props of {@link PhotoPreview}. */
export interface PhotoPreviewProps {
  conversationId: string;
  file: File;
  onSent: (message: MessageView) => void;
  onCancel: () => void;
}

/** The preview sheet. */
export function PhotoPreview(props: PhotoPreviewProps): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const [url, setUrl] = useState<string | undefined>(undefined);
  const [caption, setCaption] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const uploaded = useRef<string | undefined>(undefined);
  const clientId = useRef(crypto.randomUUID());

  useEffect(() => {
    const objectUrl = URL.createObjectURL(props.file);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [props.file]);

  const send = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      uploaded.current ??= (await uploadImage(props.conversationId, props.file)).id;
      props.onSent(await sendImage(props.conversationId, clientId.current, uploaded.current, caption.trim() || undefined));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Sheet title={t('chat.photoPreview')} onClose={busy ? undefined : props.onCancel} testId="photo-preview">
      <form class="photo-preview" onSubmit={(event) => void send(event)}>
        {url ? <img class="photo-preview-image" src={url} alt="" data-testid="photo-preview-image" /> : null}
        {error ? <Notice kind="error">{errorText(i18n, error)}</Notice> : null}
        <input
          class="input"
          value={caption}
          maxLength={4000}
          placeholder={t('chat.caption')}
          aria-label={t('chat.caption')}
          onInput={(event) => {
            setCaption(event.currentTarget.value);
            clientId.current = crypto.randomUUID(); // a different message now
          }}
          data-testid="photo-caption"
        />
        <div class="button-row sheet-actions">
          <Button variant="secondary" disabled={busy} onClick={props.onCancel} testId="photo-cancel">
            {t('common.cancel')}
          </Button>
          <Button type="submit" busy={busy} testId="photo-send">
            {t('chat.send')}
          </Button>
        </div>
      </form>
    </Sheet>
  );
}
