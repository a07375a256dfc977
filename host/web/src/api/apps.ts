/**
 * @module Calls about the mini-apps I use: the list, what I allowed each one (and revoking it), and what each
 * one touched (its access log, newest first).
 */
import type { AccessEntry } from '../../../src/apps/access-log.ts';
import type { Grant } from '../../../src/apps/consent.ts';
import type { AppSummary } from '../../../src/apps/registry.ts';
import { request } from './client.ts';

export type { AccessEntry, AppSummary, Grant };

/** How many access-log entries one page holds. */
export const ACCESS_LOG_PAGE = 30;

function appPath(appId: string): string {
  return `/v1/apps/${encodeURIComponent(appId)}`;
}

/** The mini-apps I have used. */
export async function listApps(signal?: AbortSignal): Promise<AppSummary[]> {
  return (await request<{ apps: AppSummary[] }>('GET', '/v1/apps', { signal })).apps;
}

/** What I allowed or denied the app. */
export async function listGrants(appId: string, signal?: AbortSignal): Promise<Grant[]> {
  return (await request<{ grants: Grant[] }>('GET', `${appPath(appId)}/permissions`, { signal })).grants;
}

/** Forgets my answer for `scope`: the app must ask again. */
export function revokeGrant(appId: string, scope: string): Promise<void> {
  return request('DELETE', `${appPath(appId)}/permissions/${encodeURIComponent(scope)}`);
}

/** One page of the app's access log; `cursor` is the previous page's `nextCursor`. */
export async function accessLog(appId: string, cursor?: string, signal?: AbortSignal): Promise<{ entries: AccessEntry[]; nextCursor: string | null }> {
  const query = new URLSearchParams({ limit: String(ACCESS_LOG_PAGE) });
  if (cursor !== undefined) query.set('cursor', cursor);
  return request<{ entries: AccessEntry[]; nextCursor: string | null }>('GET', `${appPath(appId)}/access-log?${query}`, { signal });
}
