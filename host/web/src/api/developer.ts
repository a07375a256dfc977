/** @module The developer platform's calls the shell makes: confirming a CLI sign-in (RFC 8628). */
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
