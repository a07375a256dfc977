/** @module A tiny uploadable app with an image asset, for asset tests. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { bundleMiniApp } from '../../devtools/src/build/bundle.ts';
import { writePackage } from '../../devtools/src/build/package.ts';
import type { Manifest } from '../../sdk/src/manifest.ts';

export const GALLERY = 'dev.ada.gallery';
const APP = GALLERY;

/** A one-page app showing `/assets/logo.png`, as an uploadable package. */
export async function galleryPackage(code: number): Promise<{ bytes: Uint8Array; png: Buffer; manifest: Manifest; bundle: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'atrium-gallery-'));
  try {
    mkdirSync(join(dir, 'src', 'pages'), { recursive: true });
    const manifest: Manifest = { app_id: APP, name: 'Gallery', version: { name: `${code}.0.0`, code }, pages: ['pages/index'] };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    writeFileSync(join(dir, 'src', 'app.ts'), "import { defineApp } from '@atrium/sdk';\nexport default defineApp({});\n");
    writeFileSync(
      join(dir, 'src', 'pages', 'index.tsx'),
      "/** @jsxImportSource @atrium/sdk */\nimport { definePage } from '@atrium/sdk';\nexport default definePage({ data: {}, render() { return (<view><image src=\"/assets/logo.png\" alt=\"Logo\" style={{ width: 40, height: 40 }} /></view>); } });\n",
    );
    const image = new PNG({ width: 4, height: 4 });
    image.data.fill(200);
    const png = PNG.sync.write(image);
    const bundle = await bundleMiniApp(dir, manifest);
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    return { bytes: writePackage({ manifest, appJs: bundle, assets: { 'assets/logo.png': png, 'assets/icons/x.svg': svg } }), png, manifest, bundle };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

