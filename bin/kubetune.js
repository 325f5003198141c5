#!/usr/bin/env node
// The published command runs the compiled CLI (built by `npm run build`, which `npm ci` runs
// through the `prepare` script), so `kubetune --help` never pays for a TypeScript loader.
import('../dist/operator/cli/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('/dist/')) {
    console.error('kubetune: the compiled CLI is missing; run `npm run build` (or `npm ci`) first.');
    process.exit(2);
  }
  throw err;
});
