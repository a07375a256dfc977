/**
 * @module The Atrium SDK's public surface. The runtime issue adds defineApp/definePage, components, the
 * bridge and the manifest schema here.
 */

/** The platform API version this SDK targets; a manifest's minimum platform version is compared with it. */
export const PLATFORM_VERSION = '0.1.0';
