/**
 * @module `atrium build`: validates, lints, type-checks and bundles the app into `dist/<appId>-<versionCode>.zip`,
 * with a size report against the limits (main ≤ 2 MB, total ≤ 30 MB).
 */
import { relative } from 'node:path';
import { buildProject } from '../build/build-project.ts';
import { formatBytes } from '../build/package.ts';
import { findProject } from '../core/config.ts';
import { defineCommand } from '../core/define-command.ts';
import { CliError } from '../core/errors.ts';

const STEPS = { manifest: 'Reading manifest.json', lint: 'Linting', typecheck: 'Type-checking', bundle: 'Bundling', view: 'Checking the first render of each page', package: 'Packaging' } as const;

export default defineCommand({
  command: 'build',
  summary: 'Build the app into a package ready to preview or publish',
  description: 'Validates manifest.json, lints the pages and checks the first render of each, runs tsc --noEmit when\nthe app has a tsconfig.json, bundles with esbuild and writes dist/<appId>-<versionCode>.zip with a size\nreport (main ≤ 2 MB, each sub-package ≤ 2 MB, total ≤ 30 MB).',
  flags: {
    'out-dir': { type: 'string', description: 'Where to write the package, relative to the app (default: out_dir of atrium.config.json, else dist)', valueName: 'DIR' },
    'skip-typecheck': { type: 'boolean', description: 'Do not run tsc --noEmit' },
  },
  examples: [
    { command: 'atrium build', description: 'Build the app in this folder (or the nearest one above)' },
    { command: 'atrium build --json', description: 'Print the build report as JSON' },
  ],
  async run({ args, io, log }) {
    const project = findProject(io.cwd);
    if (!project) throw new CliError({ code: 'PROJECT_NOT_FOUND', message: `no manifest.json or atrium.config.json in ${io.cwd} or above`, hint: 'Run "atrium build" inside an app folder, or create one with "atrium init my-app".' });
    for (const w of project.warnings) log.warn(w);
    const started = performance.now();
    const spinner = log.spinner('Building');
    let report;
    try {
      report = await buildProject({
        dir: project.appDir,
        outDir: args['out-dir'] ?? project.config.out_dir ?? 'dist',
        typecheck: !args['skip-typecheck'] && project.config.typecheck !== false,
        onStep: (step) => {
          spinner.update(STEPS[step]);
          log.debug(`${STEPS[step]} (at ${Math.round(performance.now() - started)} ms)`);
        },
      });
    } finally {
      spinner.stop();
    }
    for (const w of report.warnings) log.warn(`${w.where}: ${w.message}`);
    if (report.typecheck.status === 'skipped' && report.typecheck.detail !== 'turned off' && report.typecheck.detail !== 'no tsconfig.json in the project') log.warn(`type check skipped: ${report.typecheck.detail}`);
    if (args.json) {
      log.result({ ...report, file: report.file });
      return 0;
    }
    const pct = (bytes: number, limit: number): string => `${((bytes / limit) * 100).toFixed(1)}%`;
    log.info(`${report.name} ${report.version.name} (${report.appId}, version code ${report.version.code})`);
    log.info(`  type check  ${report.typecheck.status}${report.typecheck.detail ? ` (${report.typecheck.detail})` : ''}`);
    for (const f of report.size.files.slice(0, 8)) log.info(`  ${f.name.padEnd(30)} ${formatBytes(f.bytes).padStart(10)}`);
    if (report.size.files.length > 8) log.info(`  … ${report.size.files.length - 8} more files`);
    const largest = report.modules.slice(0, 5);
    if (largest.length > 1) {
      log.info('  largest modules in app.js:');
      for (const m of largest) log.info(`    ${m.path.padEnd(40)} ${formatBytes(m.bytes).padStart(10)}`);
    }
    log.info(`  main package  ${formatBytes(report.size.main.bytes)} of ${formatBytes(report.size.main.limit)} (${pct(report.size.main.bytes, report.size.main.limit)})`);
    for (const sub of report.size.subpackages) log.info(`  sub-package ${sub.name.padEnd(12)} ${formatBytes(sub.bytes)} of ${formatBytes(sub.limit)} (${pct(sub.bytes, sub.limit)}), loaded on first visit`);
    log.info(`  whole package ${formatBytes(report.size.total.bytes)} of ${formatBytes(report.size.total.limit)} (${pct(report.size.total.bytes, report.size.total.limit)}), ${formatBytes(report.size.compressedBytes)} zipped`);
    if (report.size.main.bytes > report.size.main.limit * 0.8) log.warn(`the main package is at ${pct(report.size.main.bytes, report.size.main.limit)} of its limit (move pages into sub-packages)`);
    for (const sub of report.size.subpackages) if (sub.bytes > sub.limit * 0.8) log.warn(`sub-package ${sub.name} is at ${pct(sub.bytes, sub.limit)} of its limit`);
    const shown = relative(io.cwd, report.file);
    log.success(`Built ${shown.startsWith('..') ? report.file : shown} in ${report.durationMs} ms. Next: "atrium publish" to upload it as a new version.`);
    return 0;
  },
});
