/**
 * @module The Todo sample's app definition.
 */
import { defineApp } from '@atrium/sdk';

export default defineApp({
  globalData: { launches: 0 },
  onLaunch() {
    this.globalData.launches += 1;
  },
});
