/**
 * @module The developer platform's calls the shell makes: confirming a CLI sign-in (RFC 8628), which turns
 * developer mode on for the person (allowing a developer tool is how a person opts in).
 */
import { request } from './client.ts';

/** A pending CLI sign-in, as the person sees it before confirming. */
export interface DeviceAuthorizationView {
  userCode: string;
  clientName: string;
  expiresAt: number;
}

/** Which client asks to sign in with `userCode`. */
export function viewDeviceAuthorization(userCode: string): Promise<DeviceAuthorizationView> {
  return request('GET', `/v1/developer/device-authorizations/${encodeURIComponent(userCode)}`);
}

/** Allows or declines the CLI sign-in. */
export function decideDeviceAuthorization(userCode: string, allow: boolean): Promise<void> {
  return request('POST', `/v1/developer/device-authorizations/${encodeURIComponent(userCode)}/decision`, { body: { allow } });
}

/** Turns developer mode on (idempotent; an existing account keeps its name), named after the person. */
export async function enableDeveloperMode(): Promise<void> {
  const me = await request<{ displayName: string; handle: string }>('GET', '/v1/me');
  await request('POST', '/v1/developer', { body: { name: (me.displayName.trim() || me.handle).slice(0, 64) } });
}

/** A version waiting for review, as the review queue shows it (`GET /v1/developer/review`). */
export interface ReviewItem {
  appId: string;
  appName: string;
  versionCode: number;
  versionName: string;
  status: string;
  packageBytes: number | null;
  packageSha256: string | null;
  submittedAt: number | null;
  submitter: { handle: string; displayName: string } | null;
  permissions: Array<{ name: string; reason: string }>;
  networkDomains: string[];
  pages: number;
  subpackages: Array<{ name: string; pages: number }>;
}

/** The review queue, oldest first (platform reviewers; others get REVIEWER_REQUIRED). */
export async function listReviewQueue(): Promise<ReviewItem[]> {
  return (await request<{ versions: ReviewItem[] }>('GET', '/v1/developer/review')).versions;
}

/** Approves a submitted version. */
export function approveVersion(appId: string, versionCode: number): Promise<unknown> {
  return request('POST', `/v1/developer/apps/${encodeURIComponent(appId)}/versions/${versionCode}/approve`, { body: {} });
}

/** Rejects a submitted version with the reasons the developer reads. */
export function rejectVersion(appId: string, versionCode: number, reason: string): Promise<unknown> {
  return request('POST', `/v1/developer/apps/${encodeURIComponent(appId)}/versions/${versionCode}/reject`, { body: { reason } });
}

/** A 24-hour preview link of a version (reviewers may make one for a version waiting for their review). */
export function createPreview(appId: string, versionCode: number): Promise<{ url: string; expiresAt: number }> {
  return request('POST', `/v1/developer/apps/${encodeURIComponent(appId)}/versions/${versionCode}/preview`);
}
