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
