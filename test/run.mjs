#!/usr/bin/env node
// Runs the test suite with node's built-in runner through tsx.
//
//   node test/run.mjs            every suite
//   node test/run.mjs unit       only test/unit
//   node test/run.mjs unit/space only the files under test/unit/space
//
// Node 20's runner does not expand globs or look at .ts files by itself, so the files are listed
// here. Suites run in this order: unit first (fast, no processes), then the rest.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { needsCluster, startSharedCluster } from './cluster/shared.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const testDir = join(root, 'test');

function listTests(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listTests(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
const roots = filters.length > 0 ? filters.map((f) => join(testDir, f)) : [testDir];
const files = roots.flatMap((r) => (statSync(r).isDirectory() ? listTests(r) : [r]));
if (files.length === 0) {
  console.error(`no test files under ${roots.map((r) => relative(root, r)).join(', ')}`);
  process.exit(1);
}

// Integration and end-to-end tests share one real control plane for the run (test/cluster/,
// docs/testing.md): started here, built first if needed, stopped after the last test.
const cluster =
  !process.env.KUBETUNE_CLUSTER_INFO && files.some((f) => needsCluster(relative(root, f)))
    ? await startSharedCluster(root)
    : undefined;

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...files.map((f) => relative(root, f))],
  { cwd: root, stdio: 'inherit', env: { ...process.env, ...cluster?.env } },
);
await cluster?.stop();
process.exit(result.status ?? 1);
