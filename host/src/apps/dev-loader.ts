/**
 * @module Development mode: registers every mini-app under `miniapps/` with the registry at start — the
 * manifest validated by the SDK's schema, the logic bundled by the CLI's bundler (devtools/src/build) — as a
 * new version whenever its bundle changed, released to everybody when the developer platform is given.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BundleError, bundleMiniApp as bundleWithDevtools, bundleSubpackages as bundleSubsWithDevtools, formatProblem } from '../../../devtools/src/build/bundle.ts';
import { writePackage } from '../../../devtools/src/build/package.ts';
import { parseManifest, type Manifest } from '../../../sdk/src/manifest.ts';
import { AtriumError } from '../core/errors.ts';
import type { AppNetwork, DevelopmentBackend } from './network.ts';
import { SAMPLES_DEVELOPER_ID, type AppRegistry } from './registry.ts';
import { PLATFORM, type DeveloperPlatform } from '../developer/index.ts';

/**
 * What a sample's `backend/app.ts` exports: its server as a fetch handler, given where Atrium is and the app's
 * credentials (the secret is rotated at each start, as it is shown only once).
 */
export type CreateSampleBackend = (options: { atriumUrl: string; appId: string; appSecret: string; merchantKey?: string | undefined; fetch?: typeof fetch }) => { fetch: DevelopmentBackend };

/** Development backends: where they run and how they reach the host. */
export interface DevBackendOptions {
  network: AppNetwork;
  /** The host's public URL, for the backend's calls (code exchange, JWKS). */
  atriumUrl: string;
  /** How the backend reaches the host. @default globalThis.fetch */
  fetch?: typeof fetch;
  /**
   * A fresh merchant API key for the merchant bound to the app, if any (a shop sample's backend creates its
   * orders with it); like the app secret, it is minted at each start, as a secret is shown only once.
   */
  merchantKey?: (appId: string) => Promise<string | undefined>;
}

/** One loaded app. `secret` is set only when the app was registered just now (shown once). */
export interface LoadedApp {
  appId: string;
  name: string;
  versionCode: number;
  bundleBytes: number;
  secret: string | undefined;
  /** The `.test` hosts its backend answers on, when it has one (`backend/app.ts`). */
  backendHosts: string[];
}

/**
 * Bundles one app folder exactly as `atrium build` does (the generated entry, the SDK's JSX, an IIFE for the
 * sandbox); build errors become `APP_BUILD_FAILED` with their locations.
 */
export async function bundleMiniApp(dir: string, manifest: Manifest): Promise<string> {
  try {
    return await bundleWithDevtools(dir, manifest);
  } catch (cause) {
    if (cause instanceof BundleError) throw new AtriumError({ code: 'APP_BUILD_FAILED', detail: `${dir}:\n  ${cause.problems.map(formatProblem).join('\n  ')}`, cause });
    throw cause;
  }
}

/** Bundles each sub-package of the app (one IIFE each, code by name), build errors as in {@link bundleMiniApp}. */
export async function bundleSubpackages(dir: string, manifest: Manifest): Promise<Record<string, string>> {
  try {
    return await bundleSubsWithDevtools(dir, manifest);
  } catch (cause) {
    if (cause instanceof BundleError) throw new AtriumError({ code: 'APP_BUILD_FAILED', detail: `${dir}:\n  ${cause.problems.map(formatProblem).join('\n  ')}`, cause });
    throw cause;
  }
}

/** Reads and validates `<dir>/manifest.json`. */
export async function readManifest(dir: string): Promise<Manifest> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  } catch (cause) {
    throw new AtriumError({ code: 'APP_MANIFEST_INVALID', detail: `${dir}/manifest.json is not readable JSON`, cause });
  }
  const parsed = parseManifest(raw);
  if (!parsed.ok) throw new AtriumError({ code: 'APP_MANIFEST_INVALID', detail: `${dir}/manifest.json:\n  ${parsed.errors.join('\n  ')}` });
  return parsed.manifest;
}

/**
 * Loads every `miniapps/<name>/` with a manifest. A changed bundle becomes the next development version
 * (codes increase by one from the newest, as a dev build is not an upload).
 */
export async function loadDevApps(options: { registry: AppRegistry; root: string; backends?: DevBackendOptions; publish?: DeveloperPlatform }): Promise<LoadedApp[]> {
  const { registry, root } = options;
  if (!existsSync(root)) return [];
  await registry.ensureDeveloper(SAMPLES_DEVELOPER_ID, 'Atrium samples');
  const loaded: LoadedApp[] = [];
  for (const entry of (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const dir = join(root, entry.name);
    if (!existsSync(join(dir, 'manifest.json'))) continue;
    loaded.push(await loadDevApp(dir, options));
  }
  return loaded;
}

/**
 * Loads one app folder (`atrium dev`, and each of `miniapps/` at start): bundles it and, when the bundle or the
 * manifest changed, adds it as the next development version (released to everybody when `publish` is given).
 */
export async function loadDevApp(dir: string, options: { registry: AppRegistry; backends?: DevBackendOptions; publish?: DeveloperPlatform }): Promise<LoadedApp> {
  const { registry, backends, publish } = options;
  await registry.ensureDeveloper(SAMPLES_DEVELOPER_ID, 'Atrium samples');
  const manifest = await readManifest(dir);
  const [bundle, subpackages] = await Promise.all([bundleMiniApp(dir, manifest), bundleSubpackages(dir, manifest)]);
  // The version keeps a package as an upload does: its assets are served from it, and sub-packages are read
  // from it when a session first opens one of their pages.
  const subs: Record<string, { appJs: string; assets: Record<string, Uint8Array> }> = {};
  for (const [name, appJs] of Object.entries(subpackages)) subs[name] = { appJs, assets: await imageAssets(join(dir, 'subpackages', name)) };
  const pkg = writePackage({ manifest, appJs: bundle, assets: await imageAssets(dir), ...(Object.keys(subs).length ? { subpackages: subs } : {}) });
  const { secret } = await registry.ensureApp({ id: manifest.app_id, name: manifest.name, developerId: SAMPLES_DEVELOPER_ID });
  const newest = await registry.newestVersion(manifest.app_id);
  const unchanged = newest && newest.bundle === bundle && newest.manifest === JSON.stringify(manifest) && newest.package != null && Buffer.compare(Buffer.from(newest.package), Buffer.from(pkg)) === 0;
  const versionCode = unchanged ? newest.versionCode : Math.max(manifest.version.code, (newest?.versionCode ?? 0) + 1);
  if (!unchanged) await registry.addVersion({ appId: manifest.app_id, versionCode, versionName: manifest.version.name, manifest, bundle, channel: publish ? 'approved' : 'development', package: pkg });
  if (publish && (await publish.releases.state(PLATFORM, manifest.app_id)).stableVersion !== versionCode) {
    // The platform approves its own samples and releases them to everybody.
    await publish.releases.release(PLATFORM, manifest.app_id, versionCode, 100);
  }
  const backendHosts = backends ? await startBackend(dir, manifest, registry, backends) : [];
  return { appId: manifest.app_id, name: manifest.name, versionCode, bundleBytes: Buffer.byteLength(bundle), secret, backendHosts };
}

/**
 * Serves `<dir>/backend/app.ts` (exporting `createBackend`) for the manifest's `.test` network domains: the
 * app's `atrium.request` calls to them reach it in-process (see {@link AppNetwork.mapDevelopmentHost}).
 */
async function startBackend(dir: string, manifest: Manifest, registry: AppRegistry, options: DevBackendOptions): Promise<string[]> {
  const file = join(dir, 'backend', 'app.ts');
  const hosts = (manifest.network_domains ?? []).filter((d) => d.toLowerCase().endsWith('.test'));
  if (!existsSync(file) || hosts.length === 0) return [];
  const module = (await import(pathToFileURL(file).href)) as { createBackend?: CreateSampleBackend };
  if (typeof module.createBackend !== 'function') throw new AtriumError({ code: 'APP_BUILD_FAILED', detail: `${file} must export createBackend(options)` });
  const appSecret = await registry.rotateSecret(manifest.app_id);
  const merchantKey = await options.merchantKey?.(manifest.app_id);
  const backend = module.createBackend({ atriumUrl: options.atriumUrl, appId: manifest.app_id, appSecret, merchantKey, ...(options.fetch ? { fetch: options.fetch } : {}) });
  for (const host of hosts) options.network.mapDevelopmentHost(host, (request) => backend.fetch(request));
  return hosts;
}

/** The image assets under `<root>/assets/**` (the app folder's, or `subpackages/<name>/`'s), by path from `root`. */
async function imageAssets(root: string): Promise<Record<string, Uint8Array>> {
  const out: Record<string, Uint8Array> = {};
  const walk = async (folder: string): Promise<void> => {
    if (!existsSync(folder)) return;
    for (const entry of (await readdir(folder, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && /\.(png|jpe?g|gif|webp|svg)$/i.test(entry.name)) out[relative(root, path).split('\\').join('/')] = new Uint8Array(await readFile(path));
    }
  };
  await walk(join(root, 'assets'));
  return out;
}
