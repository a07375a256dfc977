/**
 * @module The mini-app package (see /work/briefs/PACKAGE.md): a ZIP with `manifest.json`, `app.js` and
 * `assets/**`, plus `subpackages/<name>/app.js` and `subpackages/<name>/assets/**` for each sub-package the
 * manifest declares (loaded lazily by the runtime), written and read with fflate. {@link readPackage} validates untrusted bytes against the contract
 * (names, entry count, limits, CRCs, manifest, bundle syntax, asset types) with located errors; it has no
 * dependency but fflate, node:vm (to compile, never run, the bundle) and the SDK's manifest schema, so the host
 * uses it on upload.
 */
import { Script } from 'node:vm';
import { strFromU8, strToU8, unzipSync, zipSync, type Unzipped } from 'fflate';
import { parseManifest, type Manifest } from '../../../sdk/src/manifest.ts';

/** Package limits (WeChat's, see reference/miniprogram.md). */
export const PACKAGE_LIMITS = {
  /** manifest.json + app.js + assets, uncompressed. */
  mainBytes: 2 * 1024 * 1024,
  /** Each sub-package (`subpackages/<name>/**`), uncompressed. */
  subpackageBytes: 2 * 1024 * 1024,
  /** The whole package, uncompressed. */
  totalBytes: 30 * 1024 * 1024,
  /** The ZIP as uploaded. */
  archiveBytes: 30 * 1024 * 1024,
  entries: 1000,
  nameLength: 200,
} as const;

/** The package's media type (W3C MiniApp packaging). */
export const PACKAGE_MEDIA_TYPE = 'application/miniapp-pkg+zip';

/** Image types an asset may be, by extension. */
export const ASSET_TYPES = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml' } as const;

/** The contents of a package. */
export interface PackageContents {
  manifest: Manifest;
  /** The logic bundle (IIFE). */
  appJs: string;
  /** Asset files by package path (`assets/logo.png`). */
  assets: Record<string, Uint8Array>;
  /** Sub-packages by name: their logic bundle and assets (by path inside the sub-package, `assets/chart.png`). */
  subpackages?: Record<string, { appJs: string; assets: Record<string, Uint8Array> }>;
}

/** A package's sizes against the limits. */
export interface SizeReport {
  main: { bytes: number; limit: number };
  /** Each sub-package (`subpackages/<name>/**`), by name. */
  subpackages: Array<{ name: string; bytes: number; limit: number }>;
  total: { bytes: number; limit: number };
  /** Bytes of the ZIP itself. */
  compressedBytes: number;
  /** Every file, largest first. */
  files: Array<{ name: string; bytes: number }>;
}

/** Why a package was refused: `PACKAGE_INVALID` or `PACKAGE_TOO_LARGE`, with located problems (`app.js: …`). */
export class PackageError extends Error {
  readonly code: 'PACKAGE_INVALID' | 'PACKAGE_TOO_LARGE';
  readonly problems: string[];

  constructor(code: 'PACKAGE_INVALID' | 'PACKAGE_TOO_LARGE', problems: string[], cause?: unknown) {
    super(`${code === 'PACKAGE_TOO_LARGE' ? 'the package is over its size limits' : 'the package is not a valid Atrium package'}:\n  ${problems.join('\n  ')}`, cause === undefined ? undefined : { cause });
    this.name = 'PackageError';
    this.code = code;
    this.problems = problems;
  }
}

/** A package read by {@link readPackage}. */
export interface ReadPackage extends PackageContents {
  /** manifest.json as stored. */
  manifestText: string;
  report: SizeReport;
}

// A fixed timestamp makes equal inputs give byte-identical packages (and SHA-256s).
const MTIME = new Date('2000-01-01T00:00:00Z');

/** Writes a package (deterministic: same contents, same bytes). Asset names must start with `assets/`. */
export function writePackage(contents: PackageContents): Uint8Array {
  const files: Record<string, Uint8Array> = {
    'manifest.json': strToU8(`${JSON.stringify(contents.manifest, null, 2)}\n`),
    'app.js': strToU8(contents.appJs),
  };
  for (const name of Object.keys(contents.assets).sort()) {
    const problem = checkEntryName(name);
    if (problem || !name.startsWith('assets/')) throw new PackageError('PACKAGE_INVALID', [`${name}: ${problem ?? 'assets must be under assets/'}`]);
    files[name] = contents.assets[name]!;
  }
  for (const sub of Object.keys(contents.subpackages ?? {}).sort()) {
    if (!SUBPACKAGE_NAME.test(sub)) throw new PackageError('PACKAGE_INVALID', [`subpackages/${sub}: not a sub-package name ([a-z0-9_-])`]);
    const { appJs, assets } = contents.subpackages![sub]!;
    files[`subpackages/${sub}/app.js`] = strToU8(appJs);
    for (const name of Object.keys(assets).sort()) {
      const full = `subpackages/${sub}/${name}`;
      const problem = checkEntryName(full);
      if (problem || !name.startsWith('assets/')) throw new PackageError('PACKAGE_INVALID', [`${full}: ${problem ?? 'sub-package assets must be under subpackages/<name>/assets/'}`]);
      files[full] = assets[name]!;
    }
  }
  return zipSync(files, { level: 9, mtime: MTIME });
}

/** A sub-package's name (its folder under `subpackages/`), as the manifest schema allows. */
const SUBPACKAGE_NAME = /^[a-z0-9_-]{1,32}$/;

/** The sub-package a package path belongs to (`subpackages/stats/app.js` → `stats`), or undefined for the main package. */
function subpackageOfEntry(name: string): string | undefined {
  return name.startsWith('subpackages/') ? name.split('/')[1] : undefined;
}

/** Sizes of named files against the limits: the main package, each sub-package (`subpackages/<name>/…`), the whole. */
export function sizeReport(files: Record<string, number>, compressedBytes: number): SizeReport {
  const list = Object.entries(files)
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
  const total = list.reduce((sum, f) => sum + f.bytes, 0);
  const main = list.filter((f) => subpackageOfEntry(f.name) === undefined).reduce((sum, f) => sum + f.bytes, 0);
  const subs = new Map<string, number>();
  for (const f of list) {
    const sub = subpackageOfEntry(f.name);
    if (sub !== undefined) subs.set(sub, (subs.get(sub) ?? 0) + f.bytes);
  }
  const subpackages = [...subs].sort(([a], [b]) => a.localeCompare(b)).map(([name, bytes]) => ({ name, bytes, limit: PACKAGE_LIMITS.subpackageBytes }));
  return { main: { bytes: main, limit: PACKAGE_LIMITS.mainBytes }, subpackages, total: { bytes: total, limit: PACKAGE_LIMITS.totalBytes }, compressedBytes, files: list };
}

/** The problems of a report over its limits (empty when within). */
export function sizeProblems(report: SizeReport): string[] {
  const problems: string[] = [];
  const largestOf = (files: SizeReport['files']): string => files.slice(0, 3).map((f) => `${f.name} ${formatBytes(f.bytes)}`).join(', ');
  const largest = largestOf(report.files);
  if (report.main.bytes > report.main.limit) problems.push(`main package: ${formatBytes(report.main.bytes)} is over the ${formatBytes(report.main.limit)} limit (largest: ${largestOf(report.files.filter((f) => subpackageOfEntry(f.name) === undefined))}; move pages into sub-packages)`);
  for (const sub of report.subpackages) {
    if (sub.bytes > sub.limit) problems.push(`subpackages/${sub.name}: ${formatBytes(sub.bytes)} is over the ${formatBytes(sub.limit)} limit of a sub-package (largest: ${largestOf(report.files.filter((f) => subpackageOfEntry(f.name) === sub.name))})`);
  }
  if (report.total.bytes > report.total.limit) problems.push(`package: ${formatBytes(report.total.bytes)} is over the ${formatBytes(report.total.limit)} limit (largest: ${largest})`);
  return problems;
}

/** `1.5 MB`, `12.0 kB`, `300 B` (1 kB = 1024 B, as the limits are counted). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

/** Why an entry name is refused, or undefined when it is fine. */
export function checkEntryName(name: string): string | undefined {
  if (name.length === 0) return 'empty name';
  if (name.length > PACKAGE_LIMITS.nameLength) return `name longer than ${PACKAGE_LIMITS.nameLength} characters`;
  if (name.includes('\\')) return 'backslash in name (use /)';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'absolute path';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'control character in name';
  const segments = name.replace(/\/$/, '').split('/');
  if (segments.some((s) => s === '..')) return '".." segment';
  if (segments.some((s) => s === '' || s === '.')) return 'empty or "." segment';
  return undefined;
}

/** Checks an asset's bytes against its extension's image type. */
function checkAsset(name: string, bytes: Uint8Array): string | undefined {
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  if (!(ext in ASSET_TYPES) || !name.includes('.')) return `not an allowed asset type (${Object.keys(ASSET_TYPES).join(', ')})`;
  const starts = (...b: number[]): boolean => b.every((v, i) => bytes[i] === v);
  const ascii = (from: number, text: string): boolean => [...text].every((c, i) => bytes[from + i] === c.charCodeAt(0));
  const ok =
    ext === 'png' ? starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)
    : ext === 'jpg' || ext === 'jpeg' ? starts(0xff, 0xd8, 0xff)
    : ext === 'gif' ? ascii(0, 'GIF87a') || ascii(0, 'GIF89a')
    : ext === 'webp' ? ascii(0, 'RIFF') && ascii(8, 'WEBP')
    : /<svg[\s>]/.test(strFromU8(bytes.subarray(0, 4096), true));
  return ok ? undefined : `content does not match its .${ext} extension (${ASSET_TYPES[ext as keyof typeof ASSET_TYPES]})`;
}

/** CRC-32s by entry name, from the ZIP's central directory (already read once by fflate), ZIP64 included. */
function centralCrcs(bytes: Uint8Array): Map<string, number> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const crcs = new Map<string, number>();
  let end = bytes.byteLength - 22;
  while (end > 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end <= 0) return crcs;
  let count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  // ZIP64: a locator just before the end record points at the ZIP64 end record, which holds the real values.
  if (end >= 20 && view.getUint32(end - 20, true) === 0x07064b50) {
    const record = Number(view.getBigUint64(end - 12, true));
    if (record + 56 <= bytes.byteLength && view.getUint32(record, true) === 0x06064b50) {
      count = Number(view.getBigUint64(record + 32, true));
      at = Number(view.getBigUint64(record + 48, true));
    }
  }
  const decoder = new TextDecoder();
  for (let i = 0; i < count && at + 46 <= bytes.byteLength && view.getUint32(at, true) === 0x02014b50; i++) {
    const nameLength = view.getUint16(at + 28, true);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    crcs.set(name, view.getUint32(at + 16, true));
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return crcs;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (ISO-HDLC, as ZIP uses). */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Compiles (never runs) the bundle to find a syntax error, located as `:line: SyntaxError: …`. V8 would parse
 * it in the sandbox anyway; this reports it at upload instead of at the first launch.
 */
function syntaxProblem(code: string, filename = 'app.js'): string | undefined {
  try {
    new Script(code, { filename });
    return undefined;
  } catch (error) {
    if (!(error instanceof SyntaxError)) return `: could not be compiled (${String(error)})`;
    const line = new RegExp(`${filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+)`).exec(error.stack ?? '')?.[1];
    return `${line ? `:${line}` : ''}: SyntaxError: ${error.message}`;
  }
}

/** The package path an asset path in the manifest points to (`/assets/a.png` → `assets/a.png`). */
function assetEntry(path: string): string {
  return path.replace(/^\.?\//, '');
}

/**
 * Reads and validates a package: throws {@link PackageError} with every located problem found.
 * Sizes are checked from the ZIP directory before anything is inflated.
 * @example const { manifest, appJs, report } = readPackage(new Uint8Array(await request.arrayBuffer()));
 */
export function readPackage(bytes: Uint8Array): ReadPackage {
  if (bytes.byteLength > PACKAGE_LIMITS.archiveBytes) throw new PackageError('PACKAGE_TOO_LARGE', [`package: the ZIP is ${formatBytes(bytes.byteLength)}, over the ${formatBytes(PACKAGE_LIMITS.archiveBytes)} limit`]);
  const problems: string[] = [];
  const declared = new Map<string, number>();
  let count = 0;
  try {
    // First pass: the directory only (the filter returns false, so nothing is inflated).
    unzipSync(bytes, {
      filter(file) {
        count++;
        const problem = checkEntryName(file.name);
        if (problem) problems.push(`${JSON.stringify(file.name).slice(1, -1)}: ${problem}`);
        else if (declared.has(file.name)) problems.push(`${file.name}: duplicate entry`);
        else if (file.compression !== 0 && file.compression !== 8) problems.push(`${file.name}: unsupported compression method ${file.compression} (use deflate or store)`);
        declared.set(file.name, file.originalSize);
        return false;
      },
    });
  } catch (cause) {
    throw new PackageError('PACKAGE_INVALID', [`package: not a readable ZIP archive (${cause instanceof Error ? cause.message : String(cause)})`], cause);
  }
  if (count > PACKAGE_LIMITS.entries) problems.push(`package: ${count} entries, over the ${PACKAGE_LIMITS.entries} limit`);
  const files = new Map([...declared].filter(([name]) => !name.endsWith('/')));
  const subNames = new Set<string>();
  for (const name of files.keys()) {
    const parts = name.split('/');
    const top = parts[0]!;
    if (top === 'subpackages') {
      const sub = parts[1] ?? '';
      if (!SUBPACKAGE_NAME.test(sub)) problems.push(`${name}: "${sub}" is not a sub-package name (lowercase letters, digits, _ and -)`);
      else if (parts.length === 3 && parts[2] === 'app.js') subNames.add(sub);
      else if (parts.length < 4 || parts[2] !== 'assets') problems.push(`${name}: unknown entry (a sub-package holds only subpackages/${sub}/app.js and subpackages/${sub}/assets/)`);
      else subNames.add(sub);
    } else if (name.includes('/') ? top !== 'assets' : name !== 'manifest.json' && name !== 'app.js') {
      problems.push(`${name}: unknown entry (a package holds only manifest.json, app.js, assets/ and subpackages/)`);
    }
  }
  for (const dir of declared.keys()) {
    if (!dir.endsWith('/')) continue;
    const parts = dir.split('/');
    const ok = parts[0] === 'assets' || (parts[0] === 'subpackages' && (parts.length <= 3 || (SUBPACKAGE_NAME.test(parts[1] ?? '') && parts[2] === 'assets')));
    if (!ok) problems.push(`${dir}: unknown entry (a package holds only manifest.json, app.js, assets/ and subpackages/)`);
  }
  for (const sub of subNames) if (!files.has(`subpackages/${sub}/app.js`)) problems.push(`subpackages/${sub}/app.js: missing (every sub-package has its logic bundle)`);
  if (!files.has('manifest.json')) problems.push('manifest.json: missing (it must be at the root of the ZIP)');
  if (!files.has('app.js')) problems.push('app.js: missing (it must be at the root of the ZIP)');
  if (problems.length) throw new PackageError('PACKAGE_INVALID', problems);

  const declaredReport = sizeReport(Object.fromEntries(files), bytes.byteLength);
  const tooLarge = sizeProblems(declaredReport);
  if (tooLarge.length) throw new PackageError('PACKAGE_TOO_LARGE', tooLarge);

  let unzipped: Unzipped;
  try {
    unzipped = unzipSync(bytes, { filter: (file) => !file.name.endsWith('/') });
  } catch (cause) {
    throw new PackageError('PACKAGE_INVALID', [`package: a file could not be inflated (${cause instanceof Error ? cause.message : String(cause)})`], cause);
  }
  // The directory's sizes and CRC-32s are claims (fflate inflates into a buffer of the declared size and does
  // not check CRCs): an understated size truncates, a tampered entry changes its CRC.
  const crcs = centralCrcs(bytes);
  for (const [name, size] of files) {
    const data = unzipped[name];
    if (data?.byteLength !== size) problems.push(`${name}: inflated size differs from the size the ZIP declares`);
    else if (crcs.get(name) !== crc32(data)) problems.push(`${name}: CRC-32 mismatch (the ZIP is corrupt or was altered)`);
  }
  if (problems.length) throw new PackageError('PACKAGE_INVALID', problems);

  let manifestText = '';
  let manifest: Manifest | undefined;
  try {
    manifestText = new TextDecoder('utf-8', { fatal: true }).decode(unzipped['manifest.json']);
    const parsed = parseManifest(JSON.parse(manifestText));
    if (parsed.ok) manifest = parsed.manifest;
    else problems.push(...parsed.errors.map((e) => `manifest.json: ${e}`));
  } catch (cause) {
    problems.push(`manifest.json: not valid UTF-8 JSON (${cause instanceof Error ? cause.message : String(cause)})`);
  }
  let appJs = '';
  try {
    appJs = new TextDecoder('utf-8', { fatal: true }).decode(unzipped['app.js']);
    if (appJs.trim() === '') problems.push('app.js: empty');
    else {
      const syntax = syntaxProblem(appJs);
      if (syntax) problems.push(`app.js${syntax}`);
    }
  } catch {
    problems.push('app.js: not valid UTF-8');
  }
  const assets: Record<string, Uint8Array> = {};
  const subpackages: NonNullable<PackageContents['subpackages']> = {};
  for (const sub of [...subNames].sort()) {
    const name = `subpackages/${sub}/app.js`;
    let code = '';
    try {
      code = new TextDecoder('utf-8', { fatal: true }).decode(unzipped[name]);
      if (code.trim() === '') problems.push(`${name}: empty`);
      else {
        const syntax = syntaxProblem(code, name);
        if (syntax) problems.push(`${name}${syntax}`);
      }
    } catch {
      problems.push(`${name}: not valid UTF-8`);
    }
    subpackages[sub] = { appJs: code, assets: {} };
  }
  for (const [name, data] of Object.entries(unzipped)) {
    const sub = subpackageOfEntry(name);
    if (!name.startsWith('assets/') && !(sub !== undefined && name.startsWith(`subpackages/${sub}/assets/`))) continue;
    const problem = checkAsset(name, data);
    if (problem) problems.push(`${name}: ${problem}`);
    if (sub === undefined) assets[name] = data;
    else if (subpackages[sub]) subpackages[sub].assets[name.slice(`subpackages/${sub}/`.length)] = data;
  }
  if (manifest) {
    const declaredSubs = new Set((manifest.subpackages ?? []).map((s) => s.name));
    (manifest.subpackages ?? []).forEach((sub, i) => {
      if (!subNames.has(sub.name)) problems.push(`manifest.json: subpackages[${i}]: "${sub.name}" has no subpackages/${sub.name}/app.js in the package`);
    });
    for (const sub of subNames) if (!declaredSubs.has(sub)) problems.push(`subpackages/${sub}/: not declared in manifest.json "subpackages"`);
  }
  if (manifest) {
    const refs = [
      ...(manifest.icons ?? []).map((icon, i) => [`icons[${i}].src`, icon.src] as const),
      ...(manifest.tab_bar?.items ?? []).flatMap((item, i) => [
        ...(item.icon ? [[`tab_bar.items[${i}].icon`, item.icon] as const] : []),
        ...(item.selected_icon ? [[`tab_bar.items[${i}].selected_icon`, item.selected_icon] as const] : []),
      ]),
    ];
    for (const [where, ref] of refs) {
      if (/^https:/i.test(ref)) continue;
      if (!(assetEntry(ref) in assets)) problems.push(`manifest.json: ${where}: "${ref}" is not in the package (put it under assets/)`);
    }
  }
  if (problems.length || !manifest) throw new PackageError('PACKAGE_INVALID', problems);
  return { manifest, manifestText, appJs, assets, ...(subNames.size ? { subpackages } : {}), report: declaredReport };
}

/**
 * A sub-package's logic bundle from a package the host already accepted (only that entry is inflated), or
 * undefined when the package has none by that name.
 * @example const code = readSubpackageCode(version.package, 'stats');
 */
export function readSubpackageCode(bytes: Uint8Array, name: string): string | undefined {
  if (!SUBPACKAGE_NAME.test(name)) return undefined;
  const entry = `subpackages/${name}/app.js`;
  const unzipped = unzipSync(bytes, { filter: (file) => file.name === entry });
  const data = unzipped[entry];
  return data ? strFromU8(data) : undefined;
}
