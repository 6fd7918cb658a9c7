/** Milliseconds per pipeline stage, each measured from the end of the previous one. */
export interface StageClock {
  readonly timings: Record<string, number>;
  /** Records the time since the last lap (or the start) under `stage`. */
  lap(stage: string): void;
}

export function startStageClock(): StageClock {
  const timings: Record<string, number> = {};
  let mark = performance.now();
  return {
    timings,
    lap(stage) {
      const now = performance.now();
      timings[stage] = Math.round(now - mark);
      mark = now;
    },
  };
}
