#!/usr/bin/env node
// Bundles the migration custom-resource handler into one self-contained file for Lambda:
//   lib/migration/handler/index.ts → lib/migration/handler-bundle/index.js
// The AWS SDK v3 clients are bundled in (not taken from the Lambda runtime), so the SDK version the
// tests ran against is the one that ships. The construct finds the directory through
// migrationHandlerBundleDir() in lib/migration/handler/constants.ts.
//
//   node scripts/bundle-handlers.js [--outfile <path>]
'use strict';
const { bundle } = require('./bundle');

bundle({
  entry: 'lib/migration/handler/index.ts',
  defaultOutfile: 'lib/migration/handler-bundle/index.js',
  // Minified, yet stack traces in the function's logs still name our functions and classes.
  minify: true,
});
