// The write stage: the only code that touches the output folder. Node built-ins only, so the
// no-op path (isUpToDate) stays fast.
export type { Action, EventChanges, OutputFile, Ownership, Plan, PlanEntry, PlanOptions } from './types.js';
export type { Manifest, ManifestFile } from './manifest.js';
export type { ApplyCheckpoint, ApplyOptions } from './apply.js';
export { MANIFEST_FILE, RETIRED_DIR, STAGING_DIR } from './layout.js';
export { planWrites, isStale } from './plan.js';
export { applyPlan } from './apply.js';
export { readManifest, serializeManifest } from './manifest.js';
export { isUpToDate } from './up-to-date.js';
export { recoverInterruptedWrite } from './recover.js';
export { retiredEvents } from './retired-events.js';
