#!/usr/bin/env node
// Bundles the cache server's command line into one self-contained file that `node` runs alone (no
// node_modules), for the self-hosted EC2 construct to ship as an S3 asset:
//   bin/cdk-valkey-server.ts → lib/self-hosted/server-bundle/server.js
// The construct finds the directory through serverBundleDir() in lib/self-hosted/assets.ts.
//
//   node scripts/bundle-server.js [--outfile <path>]
'use strict';
const path = require('path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const outfileFlag = process.argv.indexOf('--outfile');
const outfile = outfileFlag >= 0
  ? path.resolve(process.argv[outfileFlag + 1])
  : path.join(root, 'lib', 'self-hosted', 'server-bundle', 'server.js');

const started = Date.now();
esbuild.build({
  entryPoints: [path.join(root, 'bin', 'cdk-valkey-server.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  // The instance runs Amazon Linux 2023's nodejs20 package.
  target: 'node20',
  format: 'cjs',
  // Not minified: the server's log and stack traces on the instance stay readable, and the file is
  // small either way.
  minify: false,
  keepNames: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
}).then(result => {
  // The server must need nothing but node's built-ins on the instance.
  const external = Object.values(result.metafile.outputs)
    .flatMap(output => output.imports)
    .filter(i => i.external && !i.path.startsWith('node:') && !require('module').builtinModules.includes(i.path));
  if (external.length > 0) {
    console.error(`the server bundle imports non-built-in modules: ${external.map(i => i.path).join(', ')}`);
    process.exitCode = 1;
    return;
  }
  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  console.log(`bundled ${path.relative(root, outfile)} (${Math.round(bytes / 1024)} KiB) in ${Date.now() - started} ms`);
}).catch(() => {
  process.exitCode = 1;
});
