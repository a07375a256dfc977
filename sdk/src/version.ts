/** @module The platform API version this SDK targets. */

/** The platform API version this SDK targets; a manifest's `min_platform_version` is compared with it. */
export const PLATFORM_VERSION = '0.1.0';
