/** @module The frame of the signed-in screens: a top bar (title, back), the content, the tab bar. */
import type { ComponentChildren, JSX } from 'preact';
import { useLocation } from 'preact-iso/router';
import { useI18n } from '../i18n/index.ts';
import { ROUTES } from '../paths.ts';
import { Icon } from './icons.tsx';
import { TabBar } from './tab-bar.tsx';
import { useTitle } from './use-title.ts';

/** Props of {@link AppLayout}. */
export interface AppLayoutProps {
  title: string;
  children: ComponentChildren;
  /** Shows a back button that returns to the previous screen, or to `back` when there is none. */
  back?: string;
  /** Buttons at the end of the top bar. */
  actions?: ComponentChildren;
  /** @default true */
  tabs?: boolean;
}

/** A signed-in screen. */
export function AppLayout(props: AppLayoutProps): JSX.Element {
  const { route } = useLocation();
  const { t } = useI18n();
  useTitle(props.title);
  const goBack = (): void => {
    if (history.state !== null && history.length > 1) history.back();
    else route(props.back ?? ROUTES.home, true);
  };
  return (
    <div class={`app${props.tabs === false ? '' : ' app-with-tabs'}`}>
      <header class="top-bar">
        <div class="top-bar-start">
          {props.back ? (
            <button type="button" class="icon-button" onClick={goBack} aria-label={t('common.back')} data-testid="back">
              <Icon name="back" />
            </button>
          ) : null}
        </div>
        <h1>{props.title}</h1>
        <div class="top-bar-end">{props.actions}</div>
      </header>
      <main class="content">{props.children}</main>
      {props.tabs === false ? null : <TabBar />}
    </div>
  );
}
