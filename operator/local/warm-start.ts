/**
 * Local form of `algorithm.warmStart: { resultsDir }`: the succeeded trials of an earlier local
 * study, read from its results directory (relative to the study file), for `compileStudy`'s
 * `warmStart` option, valued by this study's objective metric (`warmValueOf`; the copy of the
 * study file in the results directory says which metric the earlier study optimised). The engine
 * filters them to those that fit this study's space (operator/engine/warm-start.ts); here we only
 * read. A missing or empty directory is an error,
 * not an empty warm start, so a typo does not silently run a cold study.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

import type { ResolvedSpec } from '../api/types.js';
import { type WarmTrial, warmValueOf } from '../engine/warm-start.js';
import { EVENTS_FILE, STUDY_FILE } from './results-format.js';
import { readResults } from './results-reader.js';

export class WarmStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WarmStartError';
  }
}

/** The warm trials of `spec`, or undefined when it asks for none; `studyDir` anchors relative paths. */
export function loadLocalWarmStart(spec: ResolvedSpec, studyDir: string): WarmTrial[] | undefined {
  const warm = spec.algorithm.warmStart;
  if (warm === undefined) return undefined;
  if (warm.resultsDir === undefined) {
    throw new WarmStartError('algorithm.warmStart: a local run reads warm-start trials from resultsDir (study: applies on a cluster only)');
  }
  const dir = resolve(studyDir, warm.resultsDir);
  if (!existsSync(join(dir, EVENTS_FILE))) throw new WarmStartError(`algorithm.warmStart.resultsDir: no ${EVENTS_FILE} in ${dir}`);
  const sourceMetric = objectiveMetricOf(join(dir, STUDY_FILE));
  return readResults(dir).trials.flatMap((t) => {
    const value = t.state === 'succeeded' ? warmValueOf(t, sourceMetric, spec.objective.metric) : undefined;
    return value === undefined ? [] : [{ params: t.params, value }];
  });
}

/** The objective metric of the study file kept in a results directory, if it can be read. */
function objectiveMetricOf(studyFile: string): string | undefined {
  if (!existsSync(studyFile)) return undefined;
  try {
    const metric = (parse(readFileSync(studyFile, 'utf8')) as { spec?: { objective?: { metric?: unknown } } } | null)?.spec?.objective?.metric;
    return typeof metric === 'string' ? metric : undefined;
  } catch {
    return undefined; // a damaged copy: fall back to the recorded objective values
  }
}
