/** @module A mini-app card's face (`atrium.shareToChat()`): title, the app's https image if any, the app's name. */
import type { JSX } from 'preact';

/** A card as the chat shows it (the share sheet previews the same). */
export function CardFace(props: { appName: string; title: string; imageUrl: string | null }): JSX.Element {
  return (
    <span class="mp-card">
      <span class="mp-card-title" data-testid="mp-card-title">
        {props.title}
      </span>
      {props.imageUrl ? <img class="mp-card-image" src={props.imageUrl} alt="" referrerpolicy="no-referrer" loading="lazy" /> : null}
      <span class="mp-card-app small muted">{props.appName}</span>
    </span>
  );
}

