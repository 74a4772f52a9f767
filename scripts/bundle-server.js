#!/usr/bin/env node
// Bundles the cache server's command line into one self-contained file that `node` runs alone (no
// node_modules), for the self-hosted EC2 construct to ship as an S3 asset:
//   bin/cdk-valkey-server.ts → lib/self-hosted/server-bundle/server.js
// The construct finds the directory through serverBundleDir() in lib/self-hosted/assets.ts.
// The instance runs Amazon Linux 2023's nodejs20 package.
//
//   node scripts/bundle-server.js [--outfile <path>]
'use strict';
const { builtinModules } = require('module');
const { bundle } = require('./bundle');

bundle({
  entry: 'bin/cdk-valkey-server.ts',
  defaultOutfile: 'lib/self-hosted/server-bundle/server.js',
  // Not minified: the server's log and stack traces on the instance stay readable, and the file is
  // small either way.
  minify: false,
  // The server must need nothing but node's built-ins on the instance.
  check: metafile => {
    const external = Object.values(metafile.outputs)
      .flatMap(output => output.imports)
      .filter(i => i.external && !i.path.startsWith('node:') && !builtinModules.includes(i.path));
    return external.length > 0 ? `the server bundle imports non-built-in modules: ${external.map(i => i.path).join(', ')}` : undefined;
  },
});
