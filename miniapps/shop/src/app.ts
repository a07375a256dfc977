/**
 * @module The Corner Shop sample's app definition.
 */
import { defineApp } from '@atrium/sdk';

export default defineApp({});
