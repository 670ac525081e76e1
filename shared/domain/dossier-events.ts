// Which events each dossier transition emits, in one place: a use case never picks them itself.
import { actingKind, type Caller, callerId } from './caller';
import type { Dossier, DossierAction } from './dossier';
import { type DomainEvent, domainEvent } from './events';
import { outstandingVnd, type Payment, type Refund } from './payments';

const documentRefs = (documents: Dossier['documents']) =>
  documents.map((d) => ({ requirementId: d.requirementId, documentId: d.documentId, source: d.source }));

/**
 * The events of one transition, read from the dossier after it. `added` lists documents a supplement
 * brought; `appointmentDayChanged` says whether it moved the appointment day.
 */
/** Who, when and which dossier version an event of a transition carries. */
export function eventContext(after: Dossier, caller: Caller, at: Date) {
  const id = callerId(caller);
  return {
    dossierCode: after.code,
    dossierVersion: after.version,
    at,
    caller: { kind: actingKind(caller), ...(id ? { id } : {}) },
  };
}

export function transitionEvents(
  action: DossierAction,
  after: Dossier,
  caller: Caller,
  at: Date,
  extra: {
    added?: Dossier['documents'];
    appointmentDayChanged?: boolean;
    /** `settlePayment`: the payment settled, and how much of it the dossier did not owe. */
    settled?: { payment: Payment; refundDueVnd: number };
    /** `settleRefund`: the refund answered. */
    refunded?: Refund;
  } = {},
): DomainEvent[] {
  const context = eventContext(after, caller, at);
  const received = () =>
    domainEvent(
      'DossierReceived',
      {
        unit: after.unit,
        procedureCode: after.procedure.code,
        procedureVersion: after.procedure.version,
        channel: after.channel,
        appointmentDay: after.deadline?.appointmentDay ?? '',
        applicantKey: after.applicantKey,
        documents: documentRefs(after.documents),
        feeVnd: after.fees?.totalVnd ?? 0,
      },
      context,
    );
  switch (action) {
    case 'submit':
    case 'intake': {
      const filed = domainEvent(
        'DossierFiled',
        {
          unit: after.unit,
          procedureCode: after.procedure.code,
          procedureVersion: after.procedure.version,
          channel: after.channel,
          status: after.status,
          documents: documentRefs(after.documents),
        },
        context,
      );
      return action === 'intake' ? [filed, received()] : [filed];
    }
    case 'receive':
      return [received()];
    case 'requestSupplement':
      return [domainEvent('DossierSupplementRequested', { items: after.supplement?.items ?? [] }, context)];
    case 'supplement':
      return [
        domainEvent(
          'DossierSupplemented',
          {
            documents: documentRefs(extra.added ?? []),
            ...(after.deadline ? { appointmentDay: after.deadline.appointmentDay } : {}),
            appointmentDayChanged: extra.appointmentDayChanged ?? false,
            applicantKey: after.applicantKey,
            received: Boolean(after.receivedAt),
          },
          context,
        ),
      ];
    case 'refuse':
      return [domainEvent('DossierRefused', { reason: after.refusal?.reason ?? '' }, context)];
    case 'withdraw':
      return [domainEvent('DossierWithdrawn', { reason: after.withdrawal?.reason ?? '' }, context)];
    case 'route':
    case 'redrive':
      return [
        domainEvent(
          'DossierRouted',
          {
            unit: after.unit,
            procedureCode: after.procedure.code,
            attempt: after.routing!.attempt,
            executionName: after.routing!.executionName,
            stageCount: after.routing!.stageCount,
          },
          context,
        ),
      ];
    case 'completeStage':
      return [
        domainEvent(
          'DossierStageCompleted',
          { stage: after.routing!.completedStages - 1, stageCount: after.routing!.stageCount },
          context,
        ),
      ];
    case 'approveAll':
      return [
        domainEvent(
          'DossierResultReady',
          {
            unit: after.unit,
            procedureCode: after.procedure.code,
            documents: after.result?.kind === 'documents' ? after.result.documents.length : 0,
          },
          context,
        ),
      ];
    case 'reject':
      return [
        domainEvent(
          'DossierRejected',
          { reason: after.rejection?.reason ?? '', agency: after.rejection?.agency ?? '' },
          context,
        ),
      ];
    case 'stop':
      return [domainEvent('DossierStopped', { reason: after.stop?.reason ?? '' }, context)];
    case 'settlePayment': {
      const { payment, refundDueVnd } = extra.settled!;
      const common = {
        paymentId: payment.id,
        provider: payment.provider,
        amountVnd: payment.amountVnd,
        settledBy: payment.settledBy!,
      };
      if (payment.status !== 'paid') {
        return [
          domainEvent(
            'DossierPaymentFailed',
            { ...common, responseCode: payment.responseCode ?? '' },
            context,
          ),
        ];
      }
      return [
        domainEvent(
          'DossierPaid',
          {
            ...common,
            unit: after.unit,
            procedureCode: after.procedure.code,
            channel: after.channel,
            outstandingVnd: outstandingVnd(after.fees),
            refundDueVnd,
          },
          context,
        ),
      ];
    }
    case 'settleRefund': {
      const refund = extra.refunded!;
      if (refund.status !== 'refunded') return [];
      const payment = after.fees?.payments.find((p) => p.id === refund.paymentId);
      return [
        domainEvent(
          'DossierRefunded',
          {
            unit: after.unit,
            paymentId: refund.paymentId,
            refundId: refund.id,
            provider: payment?.provider ?? '',
            amountVnd: refund.amountVnd,
            kind: refund.kind,
          },
          context,
        ),
      ];
    }
    case 'dispatch': {
      const dispatch = after.result!.dispatch!;
      return [
        domainEvent(
          'DossierResultDispatched',
          {
            unit: after.unit,
            procedureCode: after.procedure.code,
            carrier: dispatch.carrier,
            trackingNumber: dispatch.trackingNumber,
          },
          context,
        ),
      ];
    }
    case 'return':
      return [
        domainEvent(
          'DossierReturned',
          { unit: after.unit, procedureCode: after.procedure.code, method: after.result!.returned!.method },
          context,
        ),
      ];
    case 'rate':
      return [
        domainEvent(
          'DossierRated',
          {
            unit: after.unit,
            procedureCode: after.procedure.code,
            score: after.rating!.score,
            hasComment: Boolean(after.rating!.comment),
          },
          context,
        ),
      ];
    default:
      // A payment started tells no one (its verdict does).
      return [];
  }
}
