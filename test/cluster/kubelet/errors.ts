/** Thrown for what the real kubelet reports as `CreateContainerConfigError`. */
export class ConfigError extends Error {}
