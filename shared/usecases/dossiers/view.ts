// What callers see of a dossier: the ID number masked, forms as links, labels in Vietnamese and English.
// Every field is picked by name, never spread from the domain: a field added to the dossier stays inside until
// the response schema publishes it.
import { isPaused } from '../../domain/deadline';
import { type Deadline, type Dossier, type HistoryEntry, statusLabels } from '../../domain/dossier';
import { maskCitizenId } from '../../domain/identity-numbers';
import { type IssuedReceipt, receiptHref } from '../../domain/issued-receipts';
import { awaitingPayment, outstandingVnd, type Payment } from '../../domain/payments';
import { formatReceiptNumber } from '../../domain/receipts';
import type { DossierSummary, DossierView, PaymentView } from '../../schemas/dossiers';

export type { DossierSummary, DossierView };

/** Only the optional fields that are set, so a field the dossier lacks is absent rather than `undefined`. */
function present<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function deadlineView(deadline: Deadline): NonNullable<DossierView['deadline']> {
  return {
    workingDays: deadline.workingDays,
    receivedAt: deadline.receivedAt,
    appointmentDay: deadline.appointmentDay,
    paused: isPaused(deadline),
    pauses: deadline.pauses.map((p) => ({ from: p.from, ...present({ to: p.to }) })),
    basis: deadline.basis.map((b) => ({
      year: b.year,
      decided: b.decided,
      ...present({ source: b.source }),
      statutoryOnly: b.statutoryOnly,
    })),
    computedAt: deadline.computedAt,
  };
}

function historyView(h: HistoryEntry): NonNullable<DossierView['history']>[number] {
  return {
    seq: h.seq,
    at: h.at,
    action: h.action,
    from: h.from,
    to: h.to,
    actor: {
      kind: h.actor.kind,
      ...('name' in h.actor ? { name: h.actor.name } : {}),
      ...('branch' in h.actor ? { branch: h.actor.branch } : {}),
    },
    ...present({ reason: h.reason }),
  };
}

export function paymentView(payment: Payment): PaymentView {
  return {
    id: payment.id,
    provider: payment.provider,
    amountVnd: payment.amountVnd,
    status: payment.status,
    createdAt: payment.createdAt,
    expiresAt: payment.expiresAt,
    // The checkout page only while it can still take the money.
    ...(payment.status === 'pending' ? { redirectUrl: payment.redirectUrl } : {}),
    ...present({ settledAt: payment.settledAt, providerTransactionNo: payment.providerTransactionNo }),
  };
}

function feesView(dossier: Dossier): NonNullable<DossierView['fees']> {
  const fees = dossier.fees!;
  return {
    items: fees.items.map((item) => ({
      feeId: item.feeId,
      name: item.name,
      baseVnd: item.baseVnd,
      dueVnd: item.dueVnd,
      ...present({
        periodRate: item.periodRate,
        relief: item.relief,
        exemption: item.exemption,
        condition: item.condition,
        quantity: item.quantity,
      }),
    })),
    totalVnd: fees.totalVnd,
    dueWhen: fees.dueWhen,
    paidVnd: fees.paidVnd,
    outstandingVnd: outstandingVnd(fees),
    refundDueVnd: fees.refundDueVnd,
    refundedVnd: fees.refundedVnd ?? 0,
    refunds: (fees.refunds ?? []).map((r) => ({
      id: r.id,
      paymentId: r.paymentId,
      amountVnd: r.amountVnd,
      kind: r.kind,
      status: r.status,
      requestedAt: r.requestedAt,
      ...present({ settledAt: r.settledAt }),
    })),
    awaitingPayment: awaitingPayment(dossier),
    payments: fees.payments.map(paymentView),
  };
}

function resultSummary(dossier: Dossier): NonNullable<DossierView['result']> {
  const result = dossier.result!;
  return {
    kind: result.kind,
    readyAt: result.readyAt,
    documents: result.documents.map(({ id, title, agency, contentType, sizeBytes }) => ({
      id,
      title,
      agency,
      contentType,
      sizeBytes,
    })),
    ...(result.dispatch
      ? {
          dispatch: {
            carrier: result.dispatch.carrier,
            trackingNumber: result.dispatch.trackingNumber,
            at: result.dispatch.at,
          },
        }
      : {}),
    ...(result.returned ? { returned: { at: result.returned.at, method: result.returned.method } } : {}),
    href: `/v1/dossiers/${encodeURIComponent(dossier.code)}/result`,
  };
}

function receiptView(receipt: IssuedReceipt): NonNullable<DossierView['receipts']>[number] {
  return {
    number: formatReceiptNumber(receipt.receiptNumber.number),
    series: receipt.receiptNumber.series,
    issuedAt: receipt.issuedAt,
    href: receiptHref(receipt),
  };
}

export function toView(
  dossier: Dossier,
  history?: HistoryEntry[],
  withKey = true,
  receipts?: IssuedReceipt[],
): DossierView {
  const latest = new Map(dossier.forms.map((f) => [f.form, f]));
  const { applicant, procedure } = dossier;
  return {
    code: dossier.code,
    lookupKey: withKey ? dossier.lookupKey : '********',
    status: dossier.status,
    statusLabel: statusLabels[dossier.status],
    procedure: {
      code: procedure.code,
      version: procedure.version,
      name: procedure.name,
      processingDays: procedure.processingDays,
    },
    unit: dossier.unit,
    channel: dossier.channel,
    applicant: {
      fullName: applicant.fullName,
      citizenId: maskCitizenId(applicant.citizenId),
      ...present({
        dateOfBirth: applicant.dateOfBirth,
        phone: applicant.phone,
        email: applicant.email,
        address: applicant.address,
      }),
    },
    answers: dossier.answers,
    documents: dossier.documents.map((d) => ({
      requirementId: d.requirementId,
      name: d.name,
      source: d.source,
      fileName: d.fileName,
      contentType: d.contentType,
      sizeBytes: d.sizeBytes,
      digitized: !!d.digitizedBy,
    })),
    submittedAt: dossier.submittedAt,
    ...present({ receivedAt: dossier.receivedAt }),
    ...(dossier.deadline ? { deadline: deadlineView(dossier.deadline) } : {}),
    ...(dossier.supplement && dossier.status === 'SUPPLEMENT_REQUESTED'
      ? {
          supplement: {
            items: dossier.supplement.items.map((item) => ({
              name: item.name,
              reason: item.reason,
              ...present({ requirementId: item.requirementId }),
            })),
            requestedAt: dossier.supplement.requestedAt,
          },
        }
      : {}),
    ...(dossier.refusal ? { refusal: { reason: dossier.refusal.reason, at: dossier.refusal.at } } : {}),
    ...(dossier.fees ? { fees: feesView(dossier) } : {}),
    ...(dossier.result ? { result: resultSummary(dossier) } : {}),
    ...(dossier.rating ? { rating: dossier.rating } : {}),
    forms: [...latest.values()].map((f) => ({
      form: f.form,
      at: f.at,
      href: `/v1/dossiers/${encodeURIComponent(dossier.code)}/forms/${f.form}`,
    })),
    ...(history ? { history: history.map(historyView) } : {}),
    ...(receipts ? { receipts: receipts.map(receiptView) } : {}),
    version: dossier.version,
  };
}

export function toSummary(dossier: Dossier): DossierSummary {
  return {
    code: dossier.code,
    status: dossier.status,
    statusLabel: statusLabels[dossier.status],
    procedure: { code: dossier.procedure.code, name: dossier.procedure.name },
    unit: dossier.unit,
    applicantName: dossier.applicant.fullName,
    submittedAt: dossier.submittedAt,
    ...(dossier.deadline ? { appointmentDay: dossier.deadline.appointmentDay } : {}),
  };
}
