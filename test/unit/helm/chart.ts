/**
 * What the chart tests share: helm (or a skip with the reason), rendering the chart with a values
 * file or flags, and the rendered objects parsed.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { buildFailureReason } from '../../cluster/binaries.js';
import { CHART_DIR } from '../../../helm/chart-gen.js';
import { findHelm, template } from '../../../helm/render.js';

export type Obj = Record<string, any>;

/** The ci/*-values.yaml files, by name. */
export const CI_VALUES = readdirSync(join(CHART_DIR, 'ci')).filter((f) => f.endsWith('-values.yaml')).sort();
export const ciFile = (name: string) => join(CHART_DIR, 'ci', name);

/** helm's path, or undefined after marking the test skipped with the reason. */
export function helmOrSkip(t: TestContext): string | undefined {
  const helm = findHelm();
  if (helm === undefined) {
    const reason = `helm is not built: ${buildFailureReason() ?? 'run test/cluster/build.sh (or set HELM)'}`;
    t.skip(reason);
    console.error(`# SKIP ${t.name}: ${reason}`);
  }
  return helm;
}

/** The objects `helm template` renders with these flags (documents without content dropped). */
export async function render(helm: string, flags: string[] = [], chart = CHART_DIR): Promise<Obj[]> {
  const text = await template(helm, flags, chart);
  return parseAllDocuments(text).map((d) => {
    if (d.errors.length > 0) throw new Error(`rendered YAML does not parse: ${d.errors[0]!.message}`);
    return d.toJSON() as Obj | null;
  }).filter((o): o is Obj => o !== null);
}

export const ofKind = (objs: Obj[], kind: string) => objs.filter((o) => o.kind === kind);

export function one(objs: Obj[], kind: string): Obj {
  const found = ofKind(objs, kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, rendered ${found.length}`);
  return found[0]!;
}
