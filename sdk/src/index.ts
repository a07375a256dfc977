/**
 * @module The Atrium SDK's whole public surface (re-exports only).
 *
 * For app authors: `defineApp`, `definePage`, `startApp`, `atrium.*`, `getApp`, the JSX components (via
 * `@jsxImportSource @atrium/sdk`) and the event detail types. For the runtime and the shell: the view whitelist
 * (`validateViewTree`, `COMPONENTS`), the diff (`diffTrees`, `applyPatches`, `WireDocument`), the bridge registry
 * (`BRIDGE_APIS`), the manifest schema and the wire protocol.
 */
export { PLATFORM_VERSION } from './version.ts';

// Apps and pages
export { defineApp, type AppDefinition, type AppInstance, type AppOptions, type LaunchOptions } from './app.ts';
export { definePage, RESERVED_PAGE_MEMBERS, type PageDefinition, type PageHandlers, type PageInstance, type PageOptions, type PageThis, type SetDataPatch } from './page.ts';
export { startApp, type StartAppOptions } from './guest/start-app.ts';
export { registerSubpackage, type SubpackageOptions } from './guest/subpackage.ts';
export { getApp } from './guest/context.ts';
export { createEntrySource, createSubpackageEntrySource, type EntryOptions, type SubpackageEntryOptions } from './entry.ts';
export { applySetData, parsePath, type PathSegment } from './guest/set-data.ts';
export { parseGuestMessage, type GuestFlush, type GuestMessage } from './guest/messages.ts';
export { GuestRuntime, describeError } from './guest/runtime.ts';

// Bridge
export { atrium, callBridge, type AtriumClient, type AtriumTimers } from './bridge/client.ts';
export { BRIDGE_APIS, BRIDGE_API_NAMES, bridgeApi, findBridgeApi, type HostBridgeApiName, type BridgeApiName, type BridgeApis, type BridgeArgs, type BridgeParsedArgs, type BridgeResult } from './bridge/registry.ts';
export { defineBridgeApi, type BridgeApi } from './bridge/define-api.ts';
export { BRIDGE_SCOPES, BRIDGE_SIDE, DEFAULT_BRIDGE_TIMEOUT_MS, PERSON_BRIDGE_TIMEOUT_MS, type BridgeScope, type BridgeSide } from './bridge/define-api.ts';
export { REQUEST_METHODS } from './bridge/apis/request.ts';
export { MAX_TIMER_DELAY_MS } from './bridge/apis/timer-limits.ts';
export { AtriumError, isAtriumError, SDK_CODES, type SdkCode } from './errors.ts';

// View: components, validation, diff and patch (also importable alone from sdk/src/view/index.ts)
export * from './view/index.ts';
export { Fragment, FRAGMENT_TYPE, jsx, jsxs, normalizeChildren, toRoot, type Child, type FunctionComponent, type JSX, type Key } from './jsx-runtime.ts';

// Manifest
export { compareVersions, isPlatformCompatible, ManifestSchema, manifestRoutes, MAX_ROUTES, MAX_SUBPACKAGES, parseManifest, subpackageOf, subpackageRoutes, type Manifest, type ManifestResult, type ManifestSubpackage } from './manifest.ts';

// Wire protocol (runtime ↔ guest ↔ shell)
export { GUEST_GLOBALS, PATCH, VIEW_LIMITS } from './protocol.ts';
export type { BridgeCall, EntryEnvelope, GuestInbound, GuestOutbound, Json, PatchRecord, Render, ViewElement, ViewNode, WireNode } from './protocol.ts';

// JSON helpers
export { toJson } from './json.ts';
