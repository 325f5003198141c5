/** Helpers shared by the engine tests: a compiled study from a few spec fields, and trials. */
import { resolveStudy } from '../../../operator/api/validate.js';
import { compileStudy, type CompiledStudy } from '../../../operator/engine/compile.js';
import type { EngineTrial } from '../../../operator/engine/types.js';

export interface StudyOverrides {
  objective?: Record<string, unknown>;
  parameters?: unknown[];
  algorithm?: Record<string, unknown>;
  budget?: Record<string, unknown>;
  earlyStopping?: Record<string, unknown>;
  suspend?: boolean;
}

export function makeStudy(over: StudyOverrides = {}): CompiledStudy {
  return compileStudy(resolveStudy({
    apiVersion: 'kubetune.io/v1alpha1',
    kind: 'TuningStudy',
    metadata: { name: 'unit' },
    spec: {
      objective: { metric: 'loss', goal: 'minimize', ...over.objective },
      parameters: over.parameters ?? [{ name: 'x', type: 'float', min: -1, max: 1 }],
      algorithm: { name: 'random', seed: 7, ...over.algorithm },
      budget: { maxTrials: 4, parallelism: 2, ...over.budget },
      ...(over.earlyStopping ? { earlyStopping: over.earlyStopping } : {}),
      ...(over.suspend !== undefined ? { suspend: over.suspend } : {}),
      template: { command: ['true'] },
    },
  }));
}

export function trial(index: number, fields: Partial<EngineTrial> = {}): EngineTrial {
  return { index, params: { x: index / 10 }, state: 'succeeded', reports: [], createdAt: 0, startedAt: 0, finishedAt: 1, value: index, ...fields };
}
