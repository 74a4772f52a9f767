// One esbuild bundle, as bundle-handlers.js and bundle-server.js make them: a single CommonJS file
// for Node 20, names kept for readable stack traces, `--outfile <path>` overriding the default
// output, and a one-line report of its size.
'use strict';
const path = require('path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');

/**
 * @param {{ entry: string, defaultOutfile: string, minify: boolean, check?: (metafile: object) => string | undefined }} options
 *   paths relative to the repository root; `check` returns a reason to fail the build, if any.
 */
function bundle({ entry, defaultOutfile, minify, check }) {
  const outfileFlag = process.argv.indexOf('--outfile');
  const outfile = outfileFlag >= 0 ? path.resolve(process.argv[outfileFlag + 1]) : path.join(root, defaultOutfile);
  const started = Date.now();
  esbuild.build({
    entryPoints: [path.join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify,
    keepNames: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  }).then(result => {
    const problem = check ? check(result.metafile) : undefined;
    if (problem !== undefined) {
      console.error(problem);
      process.exitCode = 1;
      return;
    }
    const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
    console.log(`bundled ${path.relative(root, outfile)} (${Math.round(bytes / 1024)} KiB) in ${Date.now() - started} ms`);
  }).catch(() => {
    process.exitCode = 1;
  });
}

module.exports = { bundle };
