/**
 * Browser test of `atrium dev`: the CLI (a child process) runs a development host with an init'd app; the person
 * signs in to its shell and opens the app's link; a save relaunches the open app with the new page, and a save
 * that does not build shows the located problem in the app while the last good version keeps running.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { browserSkip, launchBrowser } from '../helpers/browser.ts';
import { DEMO_PASSWORD } from '../../host/src/seed.ts';
import { CLI, runCli, tempDir } from '../devtools/run-cli.ts';

describe('atrium dev in the shell', () => {
  it('relaunches the open app on save and shows a build error in it', { skip: browserSkip }, async () => {
    await using dir = await tempDir();
    assert.equal((await runCli(['init', 'hello', '--app-id', 'com.example.hello', '--name', 'Hello'], { cwd: dir.path })).code, 0);
    const child = spawn(process.execPath, ['--no-node-snapshot', CLI, 'dev', 'hello', '--json'], { cwd: dir.path, env: { ...process.env, ATRIUM_LOG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const read = async (): Promise<any> => {
      const { value, done } = await lines.next();
      if (done) throw new Error(`atrium dev exited: ${stderr}`);
      return JSON.parse(value);
    };
    // The type check and lints after each build report `checked` lines beside the build's own lines.
    const checks: any[] = [];
    const event = async (): Promise<any> => {
      for (;;) {
        const e = await read();
        if (e.event === 'checked') checks.push(e);
        else return e;
      }
    };
    const checked = async (versionCode: number): Promise<any> => {
      while (!checks.some((c) => c.versionCode === versionCode)) checks.push(await read());
      return checks.find((c) => c.versionCode === versionCode);
    };
    const browser = await launchBrowser();
    try {
      const ready = await event();
      assert.equal(ready.event, 'ready');
      const context = await browser.newContext({ viewport: { width: 420, height: 860 }, locale: 'en-US' });
      const page = await context.newPage();
      await page.goto(`${ready.url}/signin`);
      await page.getByTestId('signin-handle').fill('ada');
      await page.getByTestId('signin-password').fill(DEMO_PASSWORD);
      await page.getByTestId('signin-submit').click();
      await page.getByTestId('home-display-name').waitFor();
      await page.goto(ready.launchUrl);
      await page.getByText('Welcome to Hello').waitFor();

      const file = join(dir.path, 'hello/src/pages/index.tsx');
      const source = await readFile(file, 'utf8');
      await writeFile(file, source.replace('Welcome to Hello', 'Welcome back to Hello'));
      const rebuilt = await event();
      assert.equal(rebuilt.event, 'rebuilt');
      await page.getByText('Welcome back to Hello').waitFor();
      assert.equal((await checked(rebuilt.versionCode)).ok, true);

      await writeFile(file, source.replace('Welcome to Hello</text>', 'Welcome to Hello</txt>'));
      assert.equal((await event()).event, 'error');
      const toast = page.getByTestId('miniapp-toast');
      await toast.waitFor();
      assert.match((await toast.textContent()) ?? '', /Build failed: src\/pages\/index\.tsx:\d+:\d+/);
      assert.equal(await page.getByText('Welcome back to Hello').count(), 1, 'the last good version keeps running');
      await context.close();
    } finally {
      await browser.close();
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0, stderr);
    }
  });
});
