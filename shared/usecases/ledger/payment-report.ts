// A branch's daily reconciliation report: every payment settled that Vietnam-local day, read from the ledger's one
// partition for the branch and day (page by page, never a Scan), with its totals per fee and channel.
import type { Caller } from '../../domain/caller';
import { type PaymentReport, reportTotals } from '../../domain/ledger';
import { ForbiddenError } from '../../errors';
import type { PaymentLedger } from '../../ports/payment-ledger';

export interface PaymentReportDeps {
  ledger: Pick<PaymentLedger, 'listDay'>;
}

/** Entries per Query page: a 1 MB page holds about a thousand of them, well under a branch's day at Hanoi's scale. */
export const REPORT_PAGE_SIZE = 500;

/**
 * Officers and supervisors of the branch only. Another branch's staff are refused with 403, as the branch lists refuse
 * an account without a branch: the unit is named in the request, so refusing says nothing the caller did not know.
 */
export function assertBranchStaff(caller: Caller, unit: string): void {
  if (caller.kind !== 'staff' || !caller.branch) {
    throw new ForbiddenError('This needs a staff account scoped to a branch', 'NO_BRANCH_SCOPE');
  }
  if (!caller.roles.includes('officer') && !caller.roles.includes('supervisor')) {
    throw new ForbiddenError('Only officers and supervisors of the branch see its payments');
  }
  if (caller.branch !== unit) {
    throw new ForbiddenError("Only the branch's own officers and supervisors see its payments");
  }
}

export async function paymentReport(
  input: { unit: string; day: string; caller: Caller },
  deps: PaymentReportDeps,
): Promise<PaymentReport> {
  assertBranchStaff(input.caller, input.unit);
  const payments: PaymentReport['payments'] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.ledger.listDay(input.unit, input.day, {
      limit: REPORT_PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
    });
    payments.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return { unit: input.unit, day: input.day, payments, totals: reportTotals(payments) };
}
