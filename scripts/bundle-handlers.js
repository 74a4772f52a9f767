#!/usr/bin/env node
// Bundles the migration custom-resource handler into one self-contained file for Lambda:
//   lib/migration/handler/index.ts → lib/migration/handler-bundle/index.js
// The AWS SDK v3 clients are bundled in (not taken from the Lambda runtime), so the SDK version the
// tests ran against is the one that ships. The construct finds the directory through
// migrationHandlerBundleDir() in lib/migration/handler/constants.ts.
//
//   node scripts/bundle-handlers.js [--outfile <path>]
'use strict';
const path = require('path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const outfileFlag = process.argv.indexOf('--outfile');
const outfile = outfileFlag >= 0
  ? path.resolve(process.argv[outfileFlag + 1])
  : path.join(root, 'lib', 'migration', 'handler-bundle', 'index.js');

const started = Date.now();
esbuild.build({
  entryPoints: [path.join(root, 'lib', 'migration', 'handler', 'index.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  // Minified, yet stack traces in the function's logs still name our functions and classes.
  keepNames: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
}).then(result => {
  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  console.log(`bundled ${path.relative(root, outfile)} (${Math.round(bytes / 1024)} KiB) in ${Date.now() - started} ms`);
}).catch(() => {
  process.exitCode = 1;
});
