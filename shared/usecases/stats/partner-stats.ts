// The partner agencies' aggregates: the Decision 766 service index of the center or one branch over a period and,
// for the center, every branch side by side. Counts only (the same counter rows the public statistics read): never a
// dossier, a pseudonym, a name or an ID.
import type { Caller } from '../../domain/caller';
import { ForbiddenError } from '../../errors';
import type { BranchStats, ServiceIndexView } from '../../schemas/stats';
import { getBranchStats, getServiceIndex, type ReadStatisticsDeps } from './read-statistics';

export interface PartnerStats {
  /** Absent: the whole center. */
  unit?: string;
  from: string;
  to: string;
  index: ServiceIndexView;
  /** Every branch's counters and on-time rate, when the center was asked for. */
  branches?: BranchStats['branches'];
}

export async function getPartnerStats(
  input: { caller: Caller; unit?: string; from?: string; to?: string },
  deps: ReadStatisticsDeps,
): Promise<PartnerStats> {
  // The edge admits only registered partner principals; the use case says so again rather than trust the route alone.
  if (input.caller.kind !== 'agency') {
    throw new ForbiddenError('Partner aggregates are for registered partner agencies', 'ACCESS_DENIED');
  }
  const period = {
    ...(input.from ? { from: input.from } : {}),
    ...(input.to ? { to: input.to } : {}),
  };
  const index = await getServiceIndex({ ...period, ...(input.unit ? { unit: input.unit } : {}) }, deps);
  const branches = input.unit ? undefined : (await getBranchStats(period, deps)).branches;
  return {
    ...(input.unit ? { unit: input.unit } : {}),
    from: index.from,
    to: index.to,
    index,
    ...(branches ? { branches } : {}),
  };
}
