/**
 * @module The host's prompts as sheets (`app.prompt` → `app.prompt.reply`): consent (app name, scope, the
 * manifest's reason, Allow / Deny), modal (title, content, optional input, the app's button texts) and action
 * sheet (up to 6 items, cancel). Dismissing a sheet answers it as a refusal.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { AppPrompt } from '../../../../src/sessions/protocol.ts';
import { Button } from '../../components/button.tsx';
import { Icon } from '../../components/icons.tsx';
import { useI18n } from '../../i18n/index.ts';
import { scopeName } from '../menu/permissions-sheet.tsx';
import { dismissAnswer, MAX_MODAL_CONTENT, MAX_SHEET_ITEMS, type PromptAnswer } from '../prompt-reply.ts';
import { Sheet } from '../sheet.tsx';
import { PayPrompt } from './pay-prompt.tsx';
import { ScanPrompt } from './scan-prompt.tsx';
import { SharePrompt } from './share-prompt.tsx';

/** Props of {@link PromptSheet}. */
export interface PromptSheetProps {
  prompt: AppPrompt;
  onAnswer: (prompt: AppPrompt, answer: PromptAnswer) => void;
}

type Of<K extends AppPrompt['kind']> = Extract<AppPrompt, { kind: K }>;

function Consent(props: { prompt: Of<'consent'>; answer: (answer: PromptAnswer) => void }): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const { prompt } = props;
  return (
    <Sheet title={t('miniapp.consentTitle', { name: prompt.app.name })} onClose={() => props.answer({ kind: 'consent', allow: false })} testId="consent-sheet">
      <div class="consent">
        <span class="consent-icon">
          <Icon name="lock" />
        </span>
        <p class="consent-scope" data-testid="consent-scope" data-scope={prompt.scope}>
          {t('miniapp.consentAsks', { name: prompt.app.name, scope: scopeName(i18n, prompt.scope) })}
        </p>
        {prompt.reason ? (
          <p class="consent-reason" data-testid="consent-reason">
            {t('miniapp.consentReason', { reason: prompt.reason })}
          </p>
        ) : null}
        <p class="muted small">{t('miniapp.consentNote')}</p>
      </div>
      <div class="button-row sheet-actions">
        <Button variant="secondary" onClick={() => props.answer({ kind: 'consent', allow: false })} testId="consent-deny">
          {t('miniapp.deny')}
        </Button>
        <Button onClick={() => props.answer({ kind: 'consent', allow: true })} testId="consent-allow">
          {t('miniapp.allow')}
        </Button>
      </div>
    </Sheet>
  );
}

function Modal(props: { prompt: Of<'modal'>; answer: (answer: PromptAnswer) => void }): JSX.Element {
  const { t } = useI18n();
  const { prompt } = props;
  const [content, setContent] = useState(prompt.editable ? prompt.content : '');
  const cancel = (): void => props.answer({ kind: 'modal', confirm: false });
  return (
    <Sheet title={prompt.title || undefined} placement="center" onClose={prompt.showCancel ? cancel : undefined} testId="modal-sheet">
      <form
        class="modal-body"
        onSubmit={(event) => {
          event.preventDefault();
          props.answer({ kind: 'modal', confirm: true, content });
        }}
      >
        {prompt.editable ? (
          <textarea class="input" value={content} maxLength={MAX_MODAL_CONTENT} rows={3} aria-label={prompt.title || t('miniapp.modalInput')} onInput={(event) => setContent(event.currentTarget.value)} data-testid="modal-input" />
        ) : prompt.content ? (
          <p class="modal-content">{prompt.content}</p>
        ) : null}
        <div class="button-row sheet-actions">
          {prompt.showCancel ? (
            <Button variant="secondary" onClick={cancel} testId="modal-cancel">
              {prompt.cancelText || t('common.cancel')}
            </Button>
          ) : null}
          <Button type="submit" testId="modal-confirm">
            {prompt.confirmText || t('miniapp.ok')}
          </Button>
        </div>
      </form>
    </Sheet>
  );
}

function ActionSheet(props: { prompt: Of<'actionSheet'>; answer: (answer: PromptAnswer) => void }): JSX.Element {
  const { t } = useI18n();
  const cancel = (): void => props.answer({ kind: 'actionSheet', tapIndex: -1 });
  return (
    <Sheet onClose={cancel} testId="action-sheet">
      <div class="sheet-list">
        {props.prompt.items.slice(0, MAX_SHEET_ITEMS).map((item, index) => (
          <button key={index} type="button" class="sheet-option" onClick={() => props.answer({ kind: 'actionSheet', tapIndex: index })} data-testid={`action-sheet-item-${index}`}>
            {item}
          </button>
        ))}
      </div>
      <button type="button" class="sheet-option sheet-cancel" onClick={cancel} data-testid="action-sheet-cancel">
        {t('common.cancel')}
      </button>
    </Sheet>
  );
}

/** The sheet for `prompt`, keyed by its id so each prompt starts fresh. */
export function PromptSheet(props: PromptSheetProps): JSX.Element {
  const { prompt } = props;
  const answer = (value: PromptAnswer): void => props.onAnswer(prompt, value);
  switch (prompt.kind) {
    case 'consent':
      return <Consent key={prompt.promptId} prompt={prompt} answer={answer} />;
    case 'modal':
      return <Modal key={prompt.promptId} prompt={prompt} answer={answer} />;
    case 'actionSheet':
      return <ActionSheet key={prompt.promptId} prompt={prompt} answer={answer} />;
    case 'scan':
      return <ScanPrompt key={prompt.promptId} onResult={(text) => answer({ kind: 'scan', text })} onCancel={() => answer(dismissAnswer(prompt))} />;
    case 'share':
      return <SharePrompt key={prompt.promptId} prompt={prompt} onPick={(conversationId) => answer({ kind: 'share', conversationId })} onCancel={() => answer(dismissAnswer(prompt))} />;
    case 'pay':
      return <PayPrompt key={prompt.promptId} prompt={prompt} onPaid={() => answer({ kind: 'pay', paid: true })} onCancel={() => answer(dismissAnswer(prompt))} />;
  }
}
