/**
 * Early warning: churn scores → banded alert lists with value at risk, a review queue, and false-alarm replay.
 * @module
 */
export { buildAlerts, reviewQueue, replayAlerts, DEFAULT_BANDS } from "./alerts";
export type { BandThresholds, AlertOptions, AlertInput, ReplayOptions } from "./alerts";
