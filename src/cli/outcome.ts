/**
 * What the receiver did with a delivery, read from its answer (templates/receiver/responses.ts.hbs):
 * 200 handled; 202 with `"outcome":"quarantined"` or `"outcome":"unknown"` acknowledged without a
 * handler running; anything else rejected. Only `handled` means the handler saw the event.
 */
export type Outcome = 'handled' | 'quarantined' | 'unknown' | 'rejected';

const OUTCOMES: readonly Outcome[] = ['handled', 'quarantined', 'unknown', 'rejected'];

export function outcomeOf(status: number, body: string): Outcome {
  if (status < 200 || status > 299) return 'rejected';
  let said: unknown;
  try {
    said = (JSON.parse(body) as Record<string, unknown> | null)?.['outcome'];
  } catch {
    said = undefined; // a 2xx without JSON: some other server acknowledged it
  }
  if (said === 'quarantined' || said === 'unknown') return said;
  return status === 202 ? 'unknown' : 'handled';
}

/** `69 handled` or `31 handled, 38 quarantined`: the counts that are not zero, in a fixed order. */
export function outcomeCounts(outcomes: readonly Outcome[]): string {
  const parts = OUTCOMES.map((outcome) => [outcome, outcomes.filter((o) => o === outcome).length] as const)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${count} ${outcome}`);
  return parts.length === 0 ? 'nothing sent' : parts.join(', ');
}
