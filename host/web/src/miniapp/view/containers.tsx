/**
 * @module `scroll-view`, `list` and `swiper`. Scrolling is the browser's own (never a round trip); reaching
 * within `endThreshold` px of the end sends `onReachEnd` once per batch of children, so the app can append
 * more. Long lists let the browser skip the layout of items off screen (`content-visibility`).
 */
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../../i18n/index.ts';
import { reachDetail, swiperDetail } from '../event-detail.ts';
import type { ComponentProps } from './content.tsx';
import { useElement, type ElementNode } from './element.ts';
import { flag, handlerOf, num, str, usePage } from './page-scope.ts';
import { cssColor } from './style.ts';

/** Watches a sentinel at one end and sends `event` when it comes within `threshold` px; re-armed per `generation`. */
function useReach(node: ElementNode, event: 'onReachEnd' | 'onReachStart', threshold: number, generation: number, scroller: boolean, horizontal = false): { current: HTMLSpanElement | null } {
  const page = usePage();
  const sentinel = useRef<HTMLSpanElement>(null);
  const handler = handlerOf(node.props, event);
  const props = useRef(node.props);
  props.current = node.props;
  useEffect(() => {
    const element = sentinel.current;
    if (!handler || !element || typeof IntersectionObserver === 'undefined') return;
    const root = scroller ? element.parentElement : null;
    let first = true;
    const observer = new IntersectionObserver(
      (entries) => {
        // The start is in view at first: only scrolling back to it counts.
        const skip = first && event === 'onReachStart';
        first = false;
        if (skip || !entries.some((entry) => entry.isIntersecting)) return;
        observer.disconnect(); // once per generation: the next batch of children re-arms it
        page.emit(handler, reachDetail(props.current, event === 'onReachEnd', horizontal));
      },
      { root, rootMargin: `${threshold}px` },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [handler, threshold, generation, scroller, horizontal, page]);
  return sentinel;
}

/** `scroll-view`. */
export function MpScrollView({ node, children }: ComponentProps): JSX.Element {
  const { props } = node;
  const ref = useRef<HTMLDivElement>(null);
  const x = flag(props, 'scrollX');
  const y = flag(props, 'scrollY') || !x;
  const end = useReach(node, 'onReachEnd', num(props, 'endThreshold', 50), children.length, true, x && !flag(props, 'scrollY'));
  const start = useReach(node, 'onReachStart', num(props, 'startThreshold', 50), children.length, true, x && !flag(props, 'scrollY'));
  const top = typeof props.scrollTop === 'number' ? props.scrollTop : undefined;
  const left = typeof props.scrollLeft === 'number' ? props.scrollLeft : undefined;
  const into = str(props, 'scrollIntoView');
  useEffect(() => {
    if (ref.current && top !== undefined) ref.current.scrollTop = top;
  }, [top]);
  useEffect(() => {
    if (ref.current && left !== undefined) ref.current.scrollLeft = left;
  }, [left]);
  useEffect(() => {
    if (!into || !ref.current) return;
    for (const element of ref.current.querySelectorAll<HTMLElement>('[data-app-id]')) {
      if (element.dataset.appId === into) return element.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    }
  }, [into]);
  const attrs = useElement(node, `mp-scroll-view${x ? ' mp-scroll-x' : ''}${y ? ' mp-scroll-y' : ''}`);
  return (
    <div {...attrs} ref={ref} tabIndex={typeof attrs.tabIndex === 'number' ? attrs.tabIndex : 0}>
      <span ref={start} class="mp-sentinel" aria-hidden="true" />
      {children}
      <span ref={end} class="mp-sentinel" aria-hidden="true" />
    </div>
  );
}

/** `list`: keyed items; off-screen ones skip layout, sized by `itemHeight` meanwhile. */
export function MpList({ node, children }: ComponentProps): JSX.Element {
  const { props } = node;
  const horizontal = str(props, 'direction') === 'horizontal';
  const end = useReach(node, 'onReachEnd', num(props, 'endThreshold', 50), children.length, horizontal, horizontal);
  const height = Math.min(2000, Math.max(1, num(props, 'itemHeight', 48)));
  const attrs = useElement(node, `mp-list${horizontal ? ' mp-list-horizontal' : ''}`);
  return (
    <div {...attrs} role="list">
      {children.map((child) => (
        <div key={child.key} role="listitem" class="mp-list-item" style={{ containIntrinsicSize: `auto ${height}px` }}>
          {child}
        </div>
      ))}
      <span ref={end} class="mp-sentinel" aria-hidden="true" />
    </div>
  );
}

/** `swiper`: one slide per child, snapping; `onChange` with `{ current }` when the shown slide changes. */
export function MpSwiper({ node, children }: ComponentProps): JSX.Element {
  const { t } = useI18n();
  const page = usePage();
  const { props } = node;
  const ref = useRef<HTMLDivElement>(null);
  const count = children.length;
  const vertical = flag(props, 'vertical');
  const appCurrent = Math.max(0, Math.min(count - 1, num(props, 'current', 0)));
  const [current, setCurrent] = useState(appCurrent);
  const shown = useRef(appCurrent);
  const autoplaying = useRef(false);

  const go = (index: number, smooth = true): void => {
    const element = ref.current;
    if (!element || count === 0) return;
    const target = flag(props, 'circular') ? (index + count) % count : Math.max(0, Math.min(count - 1, index));
    element.scrollTo({ [vertical ? 'top' : 'left']: target * (vertical ? element.clientHeight : element.clientWidth), behavior: smooth ? 'smooth' : 'auto' });
  };
  useEffect(() => go(appCurrent, false), [appCurrent, count]);
  useEffect(() => {
    if (!flag(props, 'autoplay') || count < 2) return;
    const timer = setInterval(() => {
      if (ref.current?.matches(':hover, :focus-within')) return;
      autoplaying.current = true;
      go(shown.current + 1 >= count && !flag(props, 'circular') ? 0 : shown.current + 1);
    }, Math.max(500, num(props, 'interval', 5000)));
    return () => clearInterval(timer);
  }, [props.autoplay, props.interval, props.circular, count]);

  const onScroll = (): void => {
    const element = ref.current;
    if (!element) return;
    const size = vertical ? element.clientHeight : element.clientWidth;
    const index = size > 0 ? Math.round((vertical ? element.scrollTop : element.scrollLeft) / size) : 0;
    if (index === shown.current) return;
    shown.current = index;
    setCurrent(index);
    const handler = handlerOf(props, 'onChange');
    const source = autoplaying.current ? 'autoplay' : 'touch';
    autoplaying.current = false;
    if (handler) page.emit(handler, swiperDetail(props, index, source));
  };

  const attrs = useElement(node, `mp-swiper${vertical ? ' mp-swiper-vertical' : ''}`);
  const dot = cssColor(props.indicatorColor);
  const active = cssColor(props.indicatorActiveColor);
  return (
    <div {...attrs} role="region" aria-roledescription="carousel">
      <div class="mp-swiper-track" ref={ref} onScroll={onScroll} tabIndex={0}>
        {children.map((child, index) => (
          <div key={child.key} class="mp-swiper-slide" role="group" aria-roledescription="slide" aria-label={t('miniapp.slide', { index: index + 1, count })}>
            {child}
          </div>
        ))}
      </div>
      {flag(props, 'indicatorDots') && count > 1 ? (
        <div class="mp-swiper-dots">
          {children.map((child, index) => (
            <button
              key={child.key}
              type="button"
              class={`mp-swiper-dot${index === current ? ' is-active' : ''}`}
              style={index === current ? (active ? { backgroundColor: active } : undefined) : dot ? { backgroundColor: dot } : undefined}
              aria-label={t('miniapp.slide', { index: index + 1, count })}
              aria-current={index === current ? 'true' : undefined}
              onClick={() => go(index)}
            />
          ))}
        </div>
      ) : null}
    </div>
  );
}
