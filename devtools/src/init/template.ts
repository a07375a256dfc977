/**
 * @module The `atrium init` template: a TypeScript/TSX app that builds and runs at once — manifest, app
 * definition, one page with state, storage and a toast, tsconfig for the SDK's JSX, package.json and a README.
 */

/** What the template needs. */
export interface TemplateOptions {
  appId: string;
  name: string;
  /** The folder's name, for package.json. */
  packageName: string;
  /** The `@atrium/sdk` version range to depend on. */
  sdkVersion: string;
}

/** The files of a new app, by relative path. */
export function templateFiles(options: TemplateOptions): Record<string, string> {
  const { appId, name } = options;
  const manifest = {
    app_id: appId,
    name,
    short_name: name.slice(0, 16),
    description: `${name}, an Atrium mini-program.`,
    version: { name: '0.1.0', code: 1 },
    pages: ['pages/index'],
    window: { navigation_bar_title_text: name.slice(0, 64), navigation_bar_background_color: '#07c160', navigation_bar_text_style: 'white' },
  };
  const pkg = {
    name: options.packageName,
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts: { build: 'atrium build', dev: 'atrium dev', preview: 'atrium preview', publish: 'atrium publish', typecheck: 'tsc --noEmit' },
    dependencies: { '@atrium/sdk': options.sdkVersion },
    devDependencies: { '@atrium/devtools': options.sdkVersion, typescript: '^7.0.2' },
  };
  const tsconfig = {
    compilerOptions: {
      target: 'es2022',
      lib: ['es2022', 'dom'],
      module: 'nodenext',
      moduleResolution: 'nodenext',
      types: [],
      strict: true,
      noEmit: true,
      allowImportingTsExtensions: true,
      verbatimModuleSyntax: true,
      isolatedModules: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      jsx: 'react-jsx',
      jsxImportSource: '@atrium/sdk',
    },
    include: ['src/**/*.ts', 'src/**/*.tsx'],
  };
  return {
    'manifest.json': `${JSON.stringify(manifest, null, 2)}\n`,
    'package.json': `${JSON.stringify(pkg, null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify(tsconfig, null, 2)}\n`,
    '.gitignore': 'node_modules/\ndist/\n',
    'src/app.ts': `/**
 * @module ${name}: the app definition (one per app). Its hooks run in Atrium's sandbox, on the server.
 */
import { defineApp } from '@atrium/sdk';

export default defineApp({
  globalData: { launches: 0 },
  onLaunch(options) {
    this.globalData.launches += 1;
    console.log('launched on', options.path);
  },
  onError(message) {
    console.error('${name.replace(/[\\']/g, '\\$&')} failed:', message);
  },
});
`,
    'src/pages/index.tsx': `/** @jsxImportSource @atrium/sdk */
/**
 * @module The home page: a counter kept in the app's storage, so it survives a relaunch.
 */
import { atrium, definePage } from '@atrium/sdk';

export default definePage({
  data: { count: 0, loaded: false },

  async onLoad() {
    const { value } = await atrium.storage.get({ key: 'count' });
    this.setData({ count: typeof value === 'number' ? value : 0, loaded: true });
  },

  handlers: {
    async increment() {
      // Until the stored count has arrived, a tap would be overwritten by it.
      if (!this.data.loaded) return;
      this.setData({ count: this.data.count + 1 });
      await atrium.storage.set({ key: 'count', value: this.data.count });
    },
    async reset() {
      this.setData({ count: 0 });
      await atrium.storage.remove({ key: 'count' });
      await atrium.showToast({ title: 'Reset' });
    },
  },

  render(data) {
    return (
      <view style={{ padding: 16, display: 'flex', flexDirection: 'column', gap: 12 }}>
        <text style={{ fontSize: 20, fontWeight: 'bold' }}>Welcome to ${escapeJsx(name)}</text>
        <text>{data.loaded ? \`Tapped \${data.count} \${data.count === 1 ? 'time' : 'times'}.\` : 'Loading…'}</text>
        <button type="primary" onTap="increment" disabled={!data.loaded}>Tap me</button>
        <button onTap="reset">Reset</button>
      </view>
    );
  },
});
`,
    'README.md': `# ${name}

An [Atrium](https://github.com/atrium) mini-program (\`${appId}\`), written in TypeScript/TSX.

\`\`\`sh
npm install          # @atrium/sdk, the atrium CLI and TypeScript
npx atrium dev       # run it on a local host, reloading on save
npx atrium build     # type check, lint, bundle: dist/${appId}-1.zip
npx atrium publish   # upload a version (after "atrium login")
\`\`\`

- \`manifest.json\` — id, name, version (bump \`version.code\` for every upload) and \`pages\` (the first is the home page).
- \`src/app.ts\` — the app definition.
- \`src/pages/<page>.tsx\` — one module per page in \`pages\`, each \`export default definePage({ … render(data) { … } })\`.
- \`assets/\` — images the app refers to (png, jpeg, gif, webp, svg).

Limits: the main package (manifest, bundle and assets) ≤ 2 MB, the whole package ≤ 30 MB.
See the SDK README for the components, the \`atrium.*\` APIs and the manifest fields.
`,
  };
}

function escapeJsx(text: string): string {
  return text.replace(/[{}<>&]/g, (c) => `{${JSON.stringify(c)}}`);
}
