// Errors shared by the live-object modules and the layers above them (features, providers, runtime).

/**
 * The running kernel lacks something bpfscope needs: a program type, a map type, a PMU, a helper.
 * `minKernel` names the upstream version that introduced the feature, when there is one, so the message
 * can tell the user whether upgrading would help.
 */
export class UnsupportedFeatureError extends Error {
  override name = 'UnsupportedFeatureError';

  constructor(
    readonly feature: string,
    readonly reason: string,
    readonly minKernel?: string,
    options?: ErrorOptions,
  ) {
    super(`${feature} is not available: ${reason}${minKernel ? ` (needs Linux ${minKernel} or later)` : ''}`, options);
  }
}
