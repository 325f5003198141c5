/**
 * Failures the trainer reports as outcomes (style.md, "A failure is an outcome"): each carries a
 * machine-readable reason that goes into the termination result, so the operator can tell a bad
 * parameter from a broken dataset from a diverging run without reading logs.
 */

/** Reasons written to the termination result's `reason` field. */
export type FailureReason =
  | 'InvalidParameter'
  | 'InvalidConfig'
  | 'DatasetError'
  | 'NonFiniteLoss'
  | 'BackendError'
  | 'InternalError';

/** Exit codes: 2 for what the caller got wrong, 3 for data, 1 for the run itself. */
const EXIT_CODES: Record<FailureReason, number> = {
  InvalidParameter: 2,
  InvalidConfig: 2,
  DatasetError: 3,
  NonFiniteLoss: 1,
  BackendError: 1,
  InternalError: 1,
};

export class TrainerError extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'TrainerError';
  }

  get exitCode(): number {
    return EXIT_CODES[this.reason];
  }
}

/** A parameter that is unknown, of the wrong type or out of range; the message names it. */
export function invalidParameter(name: string, problem: string): TrainerError {
  return new TrainerError('InvalidParameter', `parameter ${JSON.stringify(name)}: ${problem}`);
}

export function invalidConfig(path: string, problem: string): TrainerError {
  return new TrainerError('InvalidConfig', `config ${path}: ${problem}`);
}

export function datasetError(problem: string): TrainerError {
  return new TrainerError('DatasetError', problem);
}

/** Exit code used when SIGTERM ended the run (128 + 15, as a shell would report it). */
export const EXIT_TERMINATED = 143;
