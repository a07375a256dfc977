/**
 * @module `BRIDGE_APIS`: every bridge API by name — the single source of truth for the runtime (argument
 * validation, scopes, the access log) and for the types of the guest's `atrium.*` client.
 */
import type { z } from 'zod';
import { getSystemInfo } from './apis/get-system-info.ts';
import { getUserProfile } from './apis/get-user-profile.ts';
import { login } from './apis/login.ts';
import { navigateBack } from './apis/navigate-back.ts';
import { navigateTo } from './apis/navigate-to.ts';
import { reLaunch } from './apis/re-launch.ts';
import { redirectTo } from './apis/redirect-to.ts';
import { request } from './apis/request.ts';
import { requestPayment } from './apis/request-payment.ts';
import { scanCode } from './apis/scan-code.ts';
import { shareToChat } from './apis/share-to-chat.ts';
import { setNavigationBarTitle } from './apis/set-navigation-bar-title.ts';
import { showActionSheet } from './apis/show-action-sheet.ts';
import { showModal } from './apis/show-modal.ts';
import { showToast } from './apis/show-toast.ts';
import { storageGet } from './apis/storage-get.ts';
import { storageInfo } from './apis/storage-info.ts';
import { storageKeys } from './apis/storage-keys.ts';
import { storageRemove } from './apis/storage-remove.ts';
import { storageSet } from './apis/storage-set.ts';
import { switchTab } from './apis/switch-tab.ts';
import { timerClear } from './apis/timer-clear.ts';
import { timerSet } from './apis/timer-set.ts';
import type { BridgeApi } from './define-api.ts';

const APIS = [
  login,
  getUserProfile,
  storageGet,
  storageSet,
  storageRemove,
  storageKeys,
  storageInfo,
  request,
  navigateTo,
  redirectTo,
  navigateBack,
  switchTab,
  reLaunch,
  showToast,
  showModal,
  showActionSheet,
  setNavigationBarTitle,
  scanCode,
  shareToChat,
  requestPayment,
  getSystemInfo,
  timerSet,
  timerClear,
] as const;

type ApiList = typeof APIS;
/** Every bridge API, by name. */
export type BridgeApis = { [A in ApiList[number] as A['name']]: A };
/** A bridge API name (`'storage.get'`, `'request'`, …). */
export type BridgeApiName = keyof BridgeApis;
/** The arguments of an API as the app passes them (defaults optional). */
export type BridgeArgs<N extends BridgeApiName> = z.input<BridgeApis[N]['args']>;
/** The arguments of an API after validation (what the host receives). */
export type BridgeParsedArgs<N extends BridgeApiName> = z.output<BridgeApis[N]['args']>;
/** What an API's promise resolves with. */
export type BridgeResult<N extends BridgeApiName> = z.output<BridgeApis[N]['result']>;

/**
 * Every bridge API by name. Adding an API: one file in `bridge/apis/` with `defineBridgeApi`, and one line in
 * the list above; `atrium.*` picks it up by name (`'storage.get'` is `atrium.storage.get`).
 * @example
 * const api = BRIDGE_APIS[call.api as BridgeApiName];
 * if (!api) return failure('UNKNOWN_API');
 * const args = api.args.safeParse(call.args);
 */
export const BRIDGE_APIS: Readonly<BridgeApis> = Object.freeze(Object.fromEntries(APIS.map((api) => [api.name, api])) as BridgeApis);

/**
 * The API with this name, or undefined (own properties only, so `'__proto__'` or `'toString'` find nothing).
 * @example bridgeApi('storage.get')?.args.safeParse({ key: 'todos' });
 */
export function bridgeApi(name: string): BridgeApi | undefined {
  return Object.hasOwn(BRIDGE_APIS, name) ? (BRIDGE_APIS as Record<string, BridgeApi>)[name] : undefined;
}

/** Same as {@link bridgeApi} (the runtime's name for it). */
export const findBridgeApi = bridgeApi;

/** The names of the APIs the host answers (the runtime answers navigation and timers itself). */
export type HostBridgeApiName = Extract<ApiList[number], { side: 'host' }>['name'];

/** Names of all bridge APIs. */
export const BRIDGE_API_NAMES = APIS.map((api) => api.name) as readonly BridgeApiName[];
