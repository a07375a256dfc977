/**
 * @module The CLI's version, from devtools/package.json (bundled into dist/cli.js when packed).
 */
import pkg from '../../package.json' with { type: 'json' };

/** The `@atrium/devtools` version. */
export const CLI_VERSION: string = pkg.version;
