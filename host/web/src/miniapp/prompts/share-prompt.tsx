/**
 * @module The chat picker an app asks for (`atrium.shareToChat()`): the card as it will look, the person's chats
 * (fetched by the shell with the person's own token: the app never sees them), then Send. Only the picked chat's
 * id goes back to the host, which sends the card as the person.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { AppPrompt } from '../../../../src/sessions/protocol.ts';
import { listConversations } from '../../api/messaging.ts';
import { Avatar } from '../../components/avatar.tsx';
import { Button } from '../../components/button.tsx';
import { CardFace } from '../../components/miniapp-card.tsx';
import { Loading } from '../../components/loading.tsx';
import { Notice } from '../../components/notice.tsx';
import { useI18n } from '../../i18n/index.ts';
import { errorText } from '../../i18n/format.ts';
import { useResource } from '../../lib/use-resource.ts';
import { conversationTitle } from '../../screens/chats.tsx';
import { Sheet } from '../sheet.tsx';

/** Props of {@link SharePrompt}. */
export interface SharePromptProps {
  prompt: Extract<AppPrompt, { kind: 'share' }>;
  onPick: (conversationId: string) => void;
  onCancel: () => void;
}

/** The share sheet. */
export function SharePrompt(props: SharePromptProps): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const chats = useResource((signal) => listConversations(signal), []);
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const { prompt } = props;

  return (
    <Sheet title={t('miniapp.shareTitle')} onClose={props.onCancel} testId="share-sheet">
      <div class="share-preview">
        <CardFace appName={prompt.app.name} title={prompt.card.title} imageUrl={prompt.card.imageUrl} />
      </div>
      {chats.error ? (
        <Notice kind="error">{errorText(i18n, chats.error)}</Notice>
      ) : !chats.data ? (
        <Loading />
      ) : chats.data.length === 0 ? (
        <p class="muted">{t('miniapp.shareEmpty')}</p>
      ) : (
        <div class="sheet-list" role="radiogroup" aria-label={t('miniapp.shareTitle')}>
          {chats.data.map((c) => (
            <button
              key={c.id}
              type="button"
              role="radio"
              aria-checked={picked === c.id}
              class={picked === c.id ? 'sheet-option share-option share-picked' : 'sheet-option share-option'}
              onClick={() => setPicked(c.id)}
              data-testid="share-chat"
            >
              <Avatar id={c.peer?.id ?? c.id} name={conversationTitle(c, t)} />
              <span>{conversationTitle(c, t)}</span>
            </button>
          ))}
        </div>
      )}
      <div class="button-row sheet-actions">
        <Button variant="secondary" onClick={props.onCancel} testId="share-cancel">
          {t('common.cancel')}
        </Button>
        <Button disabled={picked === undefined} onClick={() => picked && props.onPick(picked)} testId="share-send">
          {t('miniapp.shareSend')}
        </Button>
      </div>
    </Sheet>
  );
}
