/**
 * @module The mini-app container at `/a/<appId>[/<page>][?query]`: the app's top bar (title, back, menu), the
 * top page of its stack rendered with the shell's own components, toasts, the host's prompts, and the error
 * page after a crash. Leaving the screen closes the app; reloading the tab resumes it. The mirrors are updated
 * only by the SDK's `applyPatches`; a batch that does not fit makes the controller fetch the full trees again.
 */
import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { applyPatches } from '../../../../sdk/src/view/index.ts';
import { Button } from '../components/button.tsx';
import { Icon } from '../components/icons.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { useTitle } from '../components/use-title.ts';
import { hasMessage, useI18n } from '../i18n/index.ts';
import { publicOrigin } from '../lib/scan-target.ts';
import { ROUTES } from '../paths.ts';
import { realtime, useRealtimeStatus } from '../realtime/connection.ts';
import { useStore } from '../state/store.ts';
import { currentTitle, type Toast } from './container-state.ts';
import { MiniAppController } from './controller.ts';
import { launchUrl, parseContainerPath, type LaunchTarget } from './launch-link.ts';
import { useHistoryStack } from './history-stack.ts';
import { AppMenu, type MenuView } from './menu/app-menu.tsx';
import { PromptSheet } from './prompts/prompt-sheet.tsx';
import { PageContext, type PageScope } from './view/page-scope.ts';
import { WireView } from './view/render.tsx';

/** The container screen for the current address. */
export function MiniAppScreen(): JSX.Element {
  const { path, url } = useLocation();
  const search = url.includes('?') ? url.slice(url.indexOf('?')) : '';
  const target = useMemo(() => parseContainerPath(path, search), [path, search]);
  if (!target) return <BadLink />;
  return <Container key={`${target.appId}|${path}|${search}`} target={target} />;
}

function BadLink(): JSX.Element {
  const { t } = useI18n();
  return (
    <ContainerFrame title={t('miniapp.title')} onBack={() => history.back()}>
      <div class="miniapp-problem" data-testid="miniapp-bad-link">
        <Icon name="link" />
        <p>{t('miniapp.badLink')}</p>
        <a class="btn btn-secondary" href={ROUTES.home}>
          <span>{t('common.backHome')}</span>
        </a>
      </div>
    </ContainerFrame>
  );
}

function Container(props: { target: LaunchTarget }): JSX.Element {
  const { t } = useI18n();
  const { route } = useLocation();
  const { target } = props;
  const controller = useMemo(() => new MiniAppController(target, realtime, applyPatches), [target]);
  const state = useStore(controller.state);
  useStore(controller.pressVersion);
  const socket = useRealtimeStatus();
  const [menu, setMenu] = useState<MenuView | undefined>(undefined);
  const [closed, setClosed] = useState(false);

  useEffect(() => {
    const stop = controller.start();
    return () => {
      stop();
      controller.close(); // navigated away: the app is over (a tab reload never gets here, so it resumes)
    };
  }, [controller]);

  // The browser's back button walks the app's stack first (one history entry per page above the first).
  const entries = useHistoryStack(state.stack.length, () => controller.back());
  const leave = (): void => {
    setClosed(true);
    entries.leave(() => route(ROUTES.home, true));
  };
  const back = (): void => {
    if (!entries.back() && !controller.back()) leave();
  };

  const top = state.stack.at(-1);
  const tree = top ? state.trees.get(top.pageId) : undefined;
  const title = currentTitle(state) || (state.status === 'crashed' || state.status === 'failed' ? t('miniapp.title') : '');
  useTitle(title || t('miniapp.title'));

  const scope = useMemo<PageScope | undefined>(
    () =>
      top && {
        appId: target.appId,
        versionCode: state.app?.versionCode,
        pageId: top.pageId,
        emit: (handler, detail, pressed) => controller.emit(top.pageId, handler, detail, pressed),
        navigate: (to, openType) => controller.navigate(to, openType),
        isPressed: (nodeId) => controller.isPressed(top.pageId, nodeId),
        interactions: () => controller.interactions(top.pageId),
      },
    [controller, top?.pageId, state.app?.versionCode],
  );

  const onLaunchPage = !top || (top.route === (target.path ?? top.route) && state.stack.length === 1);
  const qrUrl = launchUrl(publicOrigin(), { appId: target.appId, path: top?.route ?? target.path, query: onLaunchPage ? target.query : {} });
  const problemText = state.problem ? (hasMessage(`errors.${state.problem.code}`) ? t(`errors.${state.problem.code}` as never) : state.problem.message) : '';

  let body: JSX.Element;
  if (state.status === 'crashed' || state.status === 'failed') {
    body = (
      <div class="miniapp-problem" data-testid={state.status === 'crashed' ? 'miniapp-crashed' : 'miniapp-failed'} data-code={state.problem?.code}>
        <Icon name="close" />
        <h2>{state.status === 'crashed' ? t('miniapp.crashed') : t('miniapp.launchFailed')}</h2>
        {problemText ? <p class="muted">{problemText}</p> : null}
        <Button icon="refresh" onClick={() => controller.reload()} testId="miniapp-reload">
          {t('miniapp.reload')}
        </Button>
      </div>
    );
  } else if (tree && scope) {
    body = (
      <PageContext.Provider value={scope}>
        <div class="mp-page" data-testid="miniapp-view" data-page-id={scope.pageId} data-route={top?.route}>
          <WireView key={scope.pageId} node={tree} />
        </div>
      </PageContext.Provider>
    );
  } else {
    body = <Loading label={state.app?.name ?? t('miniapp.opening')} />;
  }

  return (
    <ContainerFrame
      title={title}
      onBack={back}
      backLabel={state.stack.length > 1 ? t('common.back') : t('miniapp.leave')}
      onMenu={() => setMenu('menu')}
      colors={state.window}
      pageKey={top?.pageId}
    >
      {socket === 'offline' && !closed ? (
        <Notice kind="info" testId="miniapp-reconnecting">
          {t('miniapp.reconnecting')}
        </Notice>
      ) : null}
      {body}
      {state.tabBar.length > 1 && state.status === 'running' ? (
        <nav class="miniapp-tabs" aria-label={state.app?.name}>
          {state.tabBar.slice(0, 5).map((tab) => (
            <button
              key={tab.path}
              type="button"
              class={`miniapp-tab${top?.route === tab.path.replace(/^\//, '') ? ' is-current' : ''}`}
              aria-current={top?.route === tab.path.replace(/^\//, '') ? 'page' : undefined}
              onClick={() => controller.navigate(`/${tab.path.replace(/^\//, '')}`, 'switchTab')}
              data-testid="miniapp-tab"
            >
              {tab.text}
            </button>
          ))}
        </nav>
      ) : null}
      {state.toast ? <MiniAppToast toast={state.toast} /> : null}
      {state.prompts[0] && !menu ? <PromptSheet prompt={state.prompts[0]} onAnswer={(prompt, answer) => controller.answer(prompt, answer)} /> : null}
      {menu ? (
        <AppMenu
          view={menu}
          appId={target.appId}
          app={state.app}
          launchUrl={qrUrl}
          onView={setMenu}
          onReload={() => controller.reload()}
          onClose={leave}
        />
      ) : null}
    </ContainerFrame>
  );
}

/** Props of {@link ContainerFrame}. */
interface FrameProps {
  title: string;
  onBack: () => void;
  backLabel?: string;
  onMenu?: () => void;
  colors?: { navigationBarBackgroundColor?: string; navigationBarTextStyle?: 'black' | 'white'; backgroundColor?: string } | undefined;
  /** The page on screen: when it changes, focus moves to the title so screen readers announce the new page. */
  pageKey?: number | undefined;
  children: JSX.Element | Array<JSX.Element | null> | null;
}

const HEX_COLOR = /^#[0-9a-fA-F]{3,8}$/;

/** The container's frame: its own top bar (no tab bar; the app has the whole screen). */
function ContainerFrame(props: FrameProps): JSX.Element {
  const { t } = useI18n();
  const bar = props.colors?.navigationBarBackgroundColor;
  const heading = useRef<HTMLHeadingElement>(null);
  const shownPage = useRef(props.pageKey);
  useEffect(() => {
    if (props.pageKey === shownPage.current) return;
    const first = shownPage.current === undefined;
    shownPage.current = props.pageKey;
    if (!first) heading.current?.focus();
  }, [props.pageKey]);
  const background = props.colors?.backgroundColor;
  return (
    <div class="app miniapp" style={background && HEX_COLOR.test(background) ? { backgroundColor: background } : undefined}>
      <header
        class={`top-bar miniapp-bar${props.colors?.navigationBarTextStyle === 'white' ? ' miniapp-bar-light' : ''}`}
        style={bar && HEX_COLOR.test(bar) ? { backgroundColor: bar } : undefined}
      >
        <div class="top-bar-start">
          <button type="button" class="icon-button" onClick={props.onBack} aria-label={props.backLabel ?? t('common.back')} data-testid="miniapp-back">
            <Icon name="back" />
          </button>
        </div>
        <h1 ref={heading} tabIndex={-1} data-testid="miniapp-title">
          {props.title}
        </h1>
        <div class="top-bar-end">
          {props.onMenu ? (
            <button type="button" class="icon-button" onClick={props.onMenu} aria-label={t('miniapp.menu')} aria-haspopup="dialog" data-testid="miniapp-menu">
              <Icon name="more" />
            </button>
          ) : null}
        </div>
      </header>
      <main class="content miniapp-content">{props.children}</main>
    </div>
  );
}

const GLYPHS: Record<Toast['icon'], string | undefined> = {
  success: 'M6 12.5l4 4L18 8',
  error: 'M7 7l10 10M17 7L7 17',
  loading: undefined,
  none: undefined,
};

/** The app's toast (`atrium.showToast`), in the top layer (a manual popover) where supported, so it shows above sheets too. */
export function MiniAppToast(props: { toast: Toast }): JSX.Element {
  const { toast } = props;
  const glyph = GLYPHS[toast.icon];
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (element && typeof element.showPopover === 'function' && !element.matches(':popover-open')) element.showPopover();
  }, []);
  return (
    <div ref={ref} popover="manual" class={`mp-toast${toast.icon === 'none' ? ' mp-toast-text' : ''}`} role="status" aria-live="polite" data-testid="miniapp-toast" data-icon={toast.icon}>
      {toast.icon === 'loading' ? <span class="spinner spinner-large" aria-hidden="true" /> : null}
      {glyph ? (
        <svg class="mp-toast-icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" aria-hidden="true">
          <path d={glyph} />
        </svg>
      ) : null}
      <p>{toast.title}</p>
    </div>
  );
}
