/**
 * The output directory (KUBETUNE_OUTPUT_DIR): everything needed to reuse a trained model.
 *
 *   model/model.json, model/weights.bin   final weights, tfjs layers format (loadable with
 *                                         tf.loadLayersModel or `loadSavedModel` below)
 *   best/…                                the best epoch's checkpoint, rewritten on improvement
 *   preprocessing.json                    feature columns, fitted scalers/one-hot categories,
 *                                         class names, target scaler
 *   params.json, run.json                 resolved parameters; seed, backend, config
 *   metrics.json                          per-epoch history and final metrics
 *
 * Saving goes through our own IO handler because tfjs's `file://` handler lives in tfjs-node,
 * which is optional here.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
// Custom layers register themselves on import, so saved models can be loaded back.
import '../model/input-conv2d.js';
import '../model/input-dense.js';
import '../model/seeded-dropout.js';

export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData === undefined ? new Uint8Array(0) : new Uint8Array(tf.io.concatenateArrayBuffers(artifacts.weightData as ArrayBuffer | ArrayBuffer[]));
      const manifest = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      // Write-then-rename so a SIGTERM mid-save never leaves a half-written checkpoint.
      writeFileSync(join(dir, 'weights.bin.tmp'), weights);
      writeFileSync(join(dir, 'model.json.tmp'), JSON.stringify(manifest));
      renameSync(join(dir, 'weights.bin.tmp'), join(dir, 'weights.bin'));
      renameSync(join(dir, 'model.json.tmp'), join(dir, 'model.json'));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}

/** Loads a model written by `saveModel`. */
export async function loadSavedModel(dir: string): Promise<tf.LayersModel> {
  const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
    modelTopology: object;
    weightsManifest: Array<{ weights: tf.io.WeightsManifestEntry[] }>;
  };
  const bytes = readFileSync(join(dir, 'weights.bin'));
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: manifest.modelTopology, weightSpecs: manifest.weightsManifest.flatMap((g) => g.weights), weightData }),
  );
}

export function writeJson(dir: string, name: string, value: unknown): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2) + '\n');
}
