/**
 * `kubetune train [trainer flags...]`: the built-in trainer (trainer/main.ts, also installed as
 * `kubetune-trainer`) run in this process. The arguments go to the trainer's own parser as they
 * are, so flags, parameters (`KUBETUNE_PARAM_*`, `KUBETUNE_PARAMS_FILE`, `--param`), metric lines,
 * the result document on the termination-message path and the exit status (0 succeeded, 1
 * failed, 2 bad parameter or config, 3 bad dataset, 143 stopped by SIGTERM) are the trainer's.
 */
export default async function train(args: string[]): Promise<number> {
  // Imported here, not at the top: only `train` pays for loading tfjs.
  const { main } = await import('../../../trainer/main.js');
  return main(args, process.env, 'kubetune train');
}
