// Domain events: what a committed change tells the rest of the platform. Each is written in the same transaction as
// the change (an item of the dossier's collection) and reaches consumers through the table's stream.
import { randomUUID } from 'node:crypto';
import { lazySchema } from '../schemas/common';
import * as z from '../schemas/zod';

export const callerKinds = [
  'anonymous',
  'citizen',
  'officer',
  'supervisor',
  'admin',
  'agency',
  'provider',
  'system',
] as const;

const documentRef = () =>
  z.object({
    requirementId: z.string(),
    documentId: z.string(),
    source: z.enum(['upload', 'personal-store']),
  });

/**
 * Payload schemas by event name; a payload's shape changes only with a new version. Each is built when first used
 * (`payloadSchema`): a function builds those of the events it emits or reads, not all of them at its cold start.
 */
const payloadBuilders = {
  DossierFiled: () =>
    z.object({
      unit: z.string(),
      procedureCode: z.string(),
      procedureVersion: z.number().check(z.int()),
      channel: z.enum(['online', 'counter']),
      status: z.string(),
      documents: z.array(documentRef()),
    }),
  DossierReceived: () =>
    z.object({
      unit: z.string(),
      procedureCode: z.string(),
      procedureVersion: z.number().check(z.int()),
      channel: z.enum(['online', 'counter']),
      appointmentDay: z.string(),
      /** The applicant key of the verified citizen ID: where reusable documents go. */
      applicantKey: z.string(),
      documents: z.array(documentRef()),
      /** The fees due at receipt, all of them (0: a free procedure); absent in events written before it was added. */
      feeVnd: z.optional(z.number().check(z.int(), z.nonnegative())),
    }),
  DossierSupplementRequested: () =>
    z.object({
      items: z.array(
        z.object({ name: z.string(), reason: z.string(), requirementId: z.optional(z.string()) }),
      ),
    }),
  DossierSupplemented: () =>
    z.object({
      documents: z.array(documentRef()),
      appointmentDay: z.optional(z.string()),
      appointmentDayChanged: z.boolean(),
      applicantKey: z.string(),
      received: z.boolean(),
    }),
  DossierRefused: () => z.object({ reason: z.string() }),
  DossierWithdrawn: () => z.object({ reason: z.string() }),
  DossierRouted: () =>
    z.object({
      unit: z.string(),
      procedureCode: z.string(),
      attempt: z.number().check(z.int(), z.positive()),
      executionName: z.string(),
      stageCount: z.number().check(z.int(), z.positive()),
    }),
  DossierStageCompleted: () =>
    z.object({
      stage: z.number().check(z.int(), z.nonnegative()),
      stageCount: z.number().check(z.int(), z.positive()),
    }),
  DossierResultReady: () =>
    z.object({
      unit: z.string(),
      procedureCode: z.string(),
      /** How many result documents the agencies attached (0: a paper result only); absent in older events. */
      documents: z.optional(z.number().check(z.int(), z.nonnegative())),
    }),
  DossierRejected: () => z.object({ reason: z.string(), agency: z.string() }),
  DossierStopped: () => z.object({ reason: z.string() }),
  DossierStageStarted: () =>
    z.object({
      stage: z.number().check(z.int(), z.nonnegative()),
      steps: z.array(z.object({ stepId: z.string(), agency: z.string(), dueAt: z.string() })),
    }),
  DossierStepDecided: () =>
    z.object({
      stepId: z.string(),
      round: z.number().check(z.int(), z.positive()),
      agency: z.string(),
      decision: z.enum(['approve', 'reject', 'request-supplement']),
      result: z.enum(['early', 'on-time', 'late']),
    }),
  /** The agency holding a step handed it to another the route allows: same task, same round, same due time. */
  DossierStepForwarded: () =>
    z.object({
      stepId: z.string(),
      round: z.number().check(z.int(), z.positive()),
      taskId: z.string(),
      from: z.string(),
      to: z.string(),
      reason: z.string(),
      dueAt: z.string(),
    }),
  DossierOverdue: () =>
    z.object({
      unit: z.string(),
      procedureCode: z.string(),
      stepId: z.string(),
      agency: z.string(),
      previousAppointmentDay: z.string(),
      newAppointmentDay: z.string(),
    }),
  DossierRoutingFailed: () =>
    z.object({
      unit: z.string(),
      procedureCode: z.string(),
      attempt: z.number().check(z.int(), z.positive()),
      error: z.string(),
      /** Runs in a row that failed; at MAX_AUTOMATIC_REDRIVES the sweep stops re-driving and an operator is needed. */
      failures: z.number().check(z.int(), z.positive()),
    }),
  DossierPaid: () =>
    z.object({
      unit: z.string(),
      procedureCode: z.string(),
      channel: z.enum(['online', 'counter']),
      paymentId: z.string(),
      provider: z.string(),
      amountVnd: z.number().check(z.int(), z.positive()),
      /** What is still owed after it (0: paid in full). */
      outstandingVnd: z.number().check(z.int(), z.nonnegative()),
      /** Of this payment, what the dossier did not owe (a second payment, or a dossier closed meanwhile). */
      refundDueVnd: z.number().check(z.int(), z.nonnegative()),
      settledBy: z.enum(['callback', 'query']),
    }),
  DossierRefunded: () =>
    z.object({
      unit: z.string(),
      paymentId: z.string(),
      refundId: z.string(),
      provider: z.string(),
      amountVnd: z.number().check(z.int(), z.positive()),
      kind: z.enum(['full', 'partial']),
    }),
  /** A paper result handed to the post: the carrier and its tracking number (delivery is the return). */
  DossierResultDispatched: () =>
    z.object({
      unit: z.string(),
      procedureCode: z.string(),
      carrier: z.string(),
      trackingNumber: z.string(),
    }),
  /** The result reached the applicant (the first return closes the dossier as RETURNED). */
  DossierReturned: () =>
    z.object({
      unit: z.string(),
      procedureCode: z.string(),
      method: z.enum(['electronic', 'post', 'counter']),
    }),
  /** The applicant rated the service once the dossier ended (kept per unit and procedure for the service index). */
  DossierRated: () =>
    z.object({
      unit: z.string(),
      procedureCode: z.string(),
      score: z.number().check(z.int(), z.minimum(1), z.maximum(5)),
      hasComment: z.boolean(),
    }),
  DossierPaymentFailed: () =>
    z.object({
      paymentId: z.string(),
      provider: z.string(),
      amountVnd: z.number().check(z.int(), z.positive()),
      responseCode: z.string(),
      settledBy: z.enum(['callback', 'query']),
    }),
} as const;

export type EventName = keyof typeof payloadBuilders;
export const eventNames = Object.keys(payloadBuilders) as EventName[];
/** The payload schema of each event. */
export type EventPayloadSchemas = { [N in EventName]: ReturnType<(typeof payloadBuilders)[N]> };
/** What an event of that name carries. */
export type EventPayload<N extends EventName> = z.infer<EventPayloadSchemas[N]>;

const payloadSchemas = Object.fromEntries(
  Object.entries(payloadBuilders).map(([name, build]) => [name, lazySchema<z.ZodMiniType>(build)]),
) as unknown as { [N in EventName]: () => EventPayloadSchemas[N] };

/** The payload schema of `name`, built on its first use in this instance. */
export function payloadSchema<N extends EventName>(name: N): EventPayloadSchemas[N] {
  return payloadSchemas[name]();
}

export const eventEnvelopeSchema = z.object({
  id: z.string().check(z.minLength(1)),
  name: z.enum(eventNames as [EventName, ...EventName[]]),
  version: z.number().check(z.int(), z.positive()),
  dossierCode: z.string(),
  /** The dossier's version after the change: orders a dossier's events. */
  dossierVersion: z.number().check(z.int(), z.positive()),
  at: z.iso.datetime(),
  caller: z.object({ kind: z.enum(callerKinds), id: z.optional(z.string()) }),
  payload: z.record(z.string(), z.unknown()),
});

export type DomainEvent<N extends EventName = EventName> = Omit<
  z.infer<typeof eventEnvelopeSchema>,
  'name' | 'payload'
> & { name: N; payload: EventPayload<N> };

/** Builds an event, validating its payload: an invalid event is a bug, never written. */
export function domainEvent<N extends EventName>(
  name: N,
  payload: EventPayload<N>,
  context: {
    dossierCode: string;
    dossierVersion: number;
    at: Date;
    caller: { kind: (typeof callerKinds)[number]; id?: string };
  },
): DomainEvent<N> {
  return {
    id: randomUUID(),
    name,
    version: 1,
    dossierCode: context.dossierCode,
    dossierVersion: context.dossierVersion,
    at: context.at.toISOString(),
    caller: context.caller,
    payload: payloadSchema(name).parse(payload) as EventPayload<N>,
  };
}

/** Parses an event read from the stream; an unknown name or a payload off its schema throws. */
export function parseEvent(raw: unknown): DomainEvent {
  const envelope = eventEnvelopeSchema.parse(raw);
  const payload = payloadSchema(envelope.name).parse(envelope.payload);
  return { ...envelope, payload } as DomainEvent;
}
