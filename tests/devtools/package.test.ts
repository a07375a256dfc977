import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { strToU8, Zip, ZipPassThrough, zipSync } from 'fflate';
import { PACKAGE_LIMITS, PackageError, readPackage, readSubpackageCode, writePackage } from '../../devtools/src/build/package.ts';
import type { Manifest } from '../../sdk/src/manifest.ts';

const manifest: Manifest = { app_id: 'com.example.pkg', name: 'Pkg', version: { name: '1.0.0', code: 3 }, pages: ['pages/index'] };
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

function refused(bytes: Uint8Array, code: PackageError['code'], ...problems: RegExp[]): void {
  assert.throws(
    () => readPackage(bytes),
    (e: unknown) => {
      assert.ok(e instanceof PackageError, String(e));
      assert.equal(e.code, code);
      for (const p of problems) assert.ok(e.problems.some((line) => p.test(line)), `expected ${p} in:\n${e.problems.join('\n')}`);
      return true;
    },
  );
}

const zip = (files: Record<string, string | Uint8Array>): Uint8Array => zipSync(Object.fromEntries(Object.entries(files).map(([n, c]) => [n, typeof c === 'string' ? strToU8(c) : c])));
const base = { 'manifest.json': JSON.stringify(manifest), 'app.js': '(()=>{})();' };

describe('package contract', () => {
  it('writes a package that reads back, byte-identical for the same contents', () => {
    const contents = { manifest, appJs: '(()=>{console.log(1)})();', assets: { 'assets/logo.png': PNG } };
    const bytes = writePackage(contents);
    assert.deepEqual(writePackage(contents), bytes);
    const read = readPackage(bytes);
    assert.deepEqual(read.manifest, manifest);
    assert.equal(read.appJs, contents.appJs);
    assert.deepEqual([...read.assets['assets/logo.png']!], [...PNG]);
    assert.equal(read.report.main.limit, 2 * 1024 * 1024);
    assert.equal(read.report.total.bytes, read.report.files.reduce((s, f) => s + f.bytes, 0));
    assert.equal(read.report.compressedBytes, bytes.byteLength);
  });

  it('refuses bytes that are not a ZIP', () => {
    refused(strToU8('hello, not a zip at all'), 'PACKAGE_INVALID', /^package: not a readable ZIP archive/);
  });

  it('refuses unknown top-level entries, missing files and sub-packages, naming each', () => {
    refused(zip({ 'app.js': 'x', 'README.md': '#', 'subpackages/a/notes.txt': 'x' }), 'PACKAGE_INVALID', /^README\.md: unknown entry/, /^subpackages\/a\/notes\.txt: unknown entry \(a sub-package holds only/, /^manifest\.json: missing/);
  });

  describe('sub-packages', () => {
    const withSubs: Manifest = { ...manifest, subpackages: [{ name: 'stats', root: 'stats', pages: ['pages/index'] }, { name: 'help-2', root: 'help', pages: ['pages/faq', 'pages/contact'] }] };
    const subBase = { 'manifest.json': JSON.stringify(withSubs), 'app.js': '(()=>{})();', 'subpackages/stats/app.js': '(()=>{})();', 'subpackages/help-2/app.js': '(()=>{})();' };

    it('writes sub-packages and reads them back, sized one by one', () => {
      const contents = { manifest: withSubs, appJs: '(()=>{})();', assets: {}, subpackages: { stats: { appJs: '(()=>{1})();', assets: { 'assets/chart.png': PNG } }, 'help-2': { appJs: '(()=>{2})();', assets: {} } } };
      const bytes = writePackage(contents);
      const read = readPackage(bytes);
      assert.equal(read.subpackages?.stats?.appJs, '(()=>{1})();');
      assert.deepEqual([...read.subpackages!.stats!.assets['assets/chart.png']!], [...PNG]);
      assert.equal(read.subpackages?.['help-2']?.appJs, '(()=>{2})();');
      assert.deepEqual(read.report.subpackages.map((s) => [s.name, s.limit]), [['help-2', 2 * 1024 * 1024], ['stats', 2 * 1024 * 1024]]);
      assert.equal(read.report.subpackages.find((s) => s.name === 'stats')!.bytes, '(()=>{1})();'.length + PNG.byteLength);
      assert.equal(read.report.main.bytes, read.report.files.filter((f) => !f.name.startsWith('subpackages/')).reduce((s, f) => s + f.bytes, 0));
      assert.equal(readSubpackageCode(bytes, 'help-2'), '(()=>{2})();');
      assert.equal(readSubpackageCode(bytes, 'nope'), undefined);
    });

    it('refuses sub-packages the manifest does not declare, declared ones missing, and bad layouts, located', () => {
      const { 'subpackages/help-2/app.js': _dropped, ...missingHelp } = subBase;
      refused(zip({ ...missingHelp, 'subpackages/extra/app.js': '1' }), 'PACKAGE_INVALID', /^manifest\.json: subpackages\[1\]: "help-2" has no subpackages\/help-2\/app\.js/, /^subpackages\/extra\/: not declared in manifest\.json/);
      refused(zip({ ...subBase, 'subpackages/Stats!/app.js': '1' }), 'PACKAGE_INVALID', /^subpackages\/Stats!\/app\.js: "Stats!" is not a sub-package name/);
      refused(zip({ ...subBase, 'subpackages/stats/pages/index.js': '1' }), 'PACKAGE_INVALID', /^subpackages\/stats\/pages\/index\.js: unknown entry/);
      refused(zip({ ...subBase, 'subpackages/other/assets/a.png': PNG }), 'PACKAGE_INVALID', /^subpackages\/other\/app\.js: missing/);
      refused(zip({ ...subBase, 'subpackages/stats/assets/a.png': strToU8('not a png') }), 'PACKAGE_INVALID', /^subpackages\/stats\/assets\/a\.png: content does not match/);
      refused(zip({ ...subBase, 'subpackages/stats/app.js': 'function (' }), 'PACKAGE_INVALID', /^subpackages\/stats\/app\.js:1: SyntaxError/);
    });

    it('refuses a sub-package over 2 MB and a whole package over 30 MB, naming them', () => {
      refused(zip({ ...subBase, 'subpackages/stats/app.js': new Uint8Array(PACKAGE_LIMITS.subpackageBytes + 1) }), 'PACKAGE_TOO_LARGE', /^subpackages\/stats: 2\.00 MB is over the 2\.00 MB limit of a sub-package \(largest: subpackages\/stats\/app\.js/);
      // Sixteen sub-packages just under 2 MB each: every one fits, the whole does not.
      const many: Manifest = { ...manifest, subpackages: Array.from({ length: 16 }, (_, i) => ({ name: `s${i}`, root: `s${i}`, pages: ['pages/index'] })) };
      const files: Record<string, string | Uint8Array> = { 'manifest.json': JSON.stringify(many), 'app.js': '(()=>{})();' };
      for (let i = 0; i < 16; i++) files[`subpackages/s${i}/app.js`] = new Uint8Array(PACKAGE_LIMITS.subpackageBytes - 1024);
      refused(zip(files), 'PACKAGE_TOO_LARGE', /^package: 31\.99 MB is over the 30\.00 MB limit/);
    });
  });

  it('refuses unsafe entry names', () => {
    refused(zip({ ...base, 'assets/../x.png': PNG }), 'PACKAGE_INVALID', /^assets\/\.\.\/x\.png: "\.\." segment/);
    refused(zip({ ...base, 'assets\\x.png': PNG }), 'PACKAGE_INVALID', /backslash/);
    refused(zip({ ...base, '/etc/passwd': 'x' }), 'PACKAGE_INVALID', /^\/etc\/passwd: absolute path/);
    refused(zip({ ...base, [`assets/${'a'.repeat(200)}.png`]: PNG }), 'PACKAGE_INVALID', /longer than 200/);
  });

  it('refuses duplicate entries', () => {
    const chunks: Uint8Array[] = [];
    const archive = new Zip((err, chunk) => {
      if (err) throw err;
      chunks.push(chunk);
    });
    for (const [name, text] of [['manifest.json', JSON.stringify(manifest)], ['app.js', 'a'], ['app.js', 'b']] as const) {
      const file = new ZipPassThrough(name);
      archive.add(file);
      file.push(strToU8(text), true);
    }
    archive.end();
    const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
    let at = 0;
    for (const c of chunks) bytes.set(c, (at += c.byteLength) - c.byteLength);
    refused(bytes, 'PACKAGE_INVALID', /^app\.js: duplicate entry/);
  });

  it('refuses more than 1000 entries', () => {
    const files: Record<string, string | Uint8Array> = { ...base };
    for (let i = 0; i <= PACKAGE_LIMITS.entries; i++) files[`assets/i${i}.png`] = PNG;
    refused(zip(files), 'PACKAGE_INVALID', /^package: 1003 entries, over the 1000 limit/);
  });

  it('refuses an invalid manifest with located errors', () => {
    refused(zip({ ...base, 'manifest.json': JSON.stringify({ ...manifest, pages: [], colour: 'red' }) }), 'PACKAGE_INVALID', /^manifest\.json: pages: /, /^manifest\.json: colour: unknown field/);
    refused(zip({ ...base, 'manifest.json': '{ not json' }), 'PACKAGE_INVALID', /^manifest\.json: not valid UTF-8 JSON/);
  });

  it('refuses assets whose content or type is wrong, and icons not in the package', () => {
    const withIcon = JSON.stringify({ ...manifest, icons: [{ src: '/assets/icon.png' }] });
    refused(zip({ ...base, 'manifest.json': withIcon, 'assets/fake.png': 'GIF89a', 'assets/run.sh': '#!/bin/sh' }), 'PACKAGE_INVALID', /^assets\/fake\.png: content does not match its \.png extension/, /^assets\/run\.sh: not an allowed asset type/, /^manifest\.json: icons\[0\]\.src: "\/assets\/icon\.png" is not in the package/);
  });

  it('refuses an empty app.js, and one that is not valid JavaScript, located', () => {
    refused(zip({ ...base, 'app.js': '  ' }), 'PACKAGE_INVALID', /^app\.js: empty/);
    refused(zip({ ...base, 'app.js': '(()=>{\n  let a = ;\n})();' }), 'PACKAGE_INVALID', /^app\.js:2: SyntaxError: Unexpected token ';'$/);
    let ran = false;
    (globalThis as { ranFromPackage?: () => void }).ranFromPackage = () => (ran = true);
    readPackage(zip({ ...base, 'app.js': 'globalThis.ranFromPackage();' }));
    assert.equal(ran, false, 'the bundle is compiled, never run');
  });

  it('refuses a main package over 2 MB from the ZIP directory, before inflating', () => {
    // 2 MB + 1 of zeros deflates to a few kB: the declared size is what counts.
    refused(zip({ ...base, 'app.js': new Uint8Array(PACKAGE_LIMITS.mainBytes + 1) }), 'PACKAGE_TOO_LARGE', /^main package: 2\.00 MB is over the 2\.00 MB limit \(largest: app\.js 2\.00 MB/);
  });

  it('refuses a ZIP whose directory understates a file\'s size (a zip bomb)', () => {
    const bytes = zip({ ...base, 'app.js': new Uint8Array(PACKAGE_LIMITS.mainBytes * 4) });
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // Claim 100 bytes in every local header (PK\x03\x04, size at +22) and central entry (PK\x01\x02, size at +24).
    for (let i = 0; i + 4 < bytes.byteLength; i++) {
      const sig = view.getUint32(i, true);
      if (sig === 0x04034b50 && bytes[i + 30] === 0x61) view.setUint32(i + 22, 100, true);
      if (sig === 0x02014b50 && bytes[i + 46] === 0x61) view.setUint32(i + 24, 100, true);
    }
    assert.throws(() => readPackage(bytes), (e: unknown) => e instanceof PackageError && e.code === 'PACKAGE_INVALID' && /^app\.js: (inflated size differs|CRC-32 mismatch)|^package: a file could not be inflated/.test(e.problems[0]!));
  });

  it('refuses an entry whose bytes do not match its CRC-32', () => {
    const bytes = zipSync({ ...Object.fromEntries(Object.entries(base).map(([n, c]) => [n, strToU8(c)])), 'app.js': [strToU8('(()=>{})();'), { level: 0 }] });
    const at = bytes.findIndex((_, i) => bytes[i] === 0x28 && bytes[i + 1] === 0x28 && bytes[i + 2] === 0x29); // "(()" of app.js, stored
    bytes[at + 2] = 0x5b;
    refused(bytes, 'PACKAGE_INVALID', /^app\.js: CRC-32 mismatch/);
  });

  it('refuses an archive over 30 MB outright', () => {
    refused(new Uint8Array(PACKAGE_LIMITS.archiveBytes + 1), 'PACKAGE_TOO_LARGE', /^package: the ZIP is 30\.00 MB/);
  });
});
