/** @module The runtime's public surface: the supervisor the host starts, the bridge registry, limits, codes and shapes. */

export { createRuntimeSupervisor } from './process/supervisor.ts';
export type { RunawayOptions, RuntimeSupervisor, RuntimeSupervisorOptions } from './process/supervisor.ts';
export type { ChildStats } from './process/ipc.ts';
export { DEFAULT_LIMITS, resolveLimits } from './config.ts';
export type { RuntimeLimits } from './config.ts';
export { RUNTIME_CODES, RuntimeError, failure } from './codes.ts';
export type { RuntimeCode, RuntimeFailure } from './codes.ts';
export { BRIDGE_APIS, BRIDGE_API_NAMES, BRIDGE_SCOPES, BRIDGE_SIDE, findBridgeApi } from './bridge/registry.ts';
export type { BridgeApi, BridgeApiName, BridgeParsedArgs, HostBridgeApiName, HostBridgeHandlers, BridgeResult } from './bridge/registry.ts';
export { launchOptionsSchema, sessionSnapshotSchema } from './session/types.ts';
export type { AppBundle, HostBridge, LaunchOptions, Outcome, PageInfo, RuntimeOutput, SessionSnapshot } from './session/types.ts';
export { SessionManager } from './session/manager.ts';
export type { SessionManagerOptions } from './session/manager.ts';
export { loadViewOps, SDK_VIEW_OPS } from './view/ops.ts';
export type { ViewOps } from './view/ops.ts';
