// Metrics through Powertools Metrics (CloudWatch embedded metric format on stdout), flushed once per invocation.
//
// Namespace `motcua`. Every metric carries `service` = the function's name (motcua-<env>-<id> in the cloud), one
// meaning of the dimension across the namespace:
//   ServerErrors            {service}                       handled 5xx answers of an HTTP function
//   EventsFailed            {service}                       events a stream consumer failed (retried, then DLQ)
//   RefusalsNotAudited      {service}                       refused partner/provider calls whose audit append failed
//   NotificationsFailed     {service}                       agency webhooks given up on (dead-lettered)
//   UndeliveredNoticesLost  {service}                       of those, the ones whose dead letter could not be kept
//   Filings|Receipts|Refusals {service, unit} and {service, procedure}
// Business metrics go out under two dimension sets, never crossed: units (branches, tens) and procedures (the
// catalogue, at most a few thousand, only those used appear) each stay a bounded number of series per function,
// while unit × procedure would multiply them; that cross (and channel, day) is the statistics tables' job, kept from
// the event stream (ARCHITECTURE.md, Supervision).
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Logger } from '../logging';

export const METRICS_NAMESPACE = 'motcua';

/** Dossier moves counted by unit and procedure: a filing, a receipt, a refusal to receive (form 03). */
export type BusinessMetric = 'Filings' | 'Receipts' | 'Refusals';
export type OperationalMetric =
  | 'ServerErrors'
  | 'EventsFailed'
  | 'RefusalsNotAudited'
  | 'TaskFailed'
  | 'OverdueSteps'
  | 'NotificationsFailed'
  | 'UndeliveredNoticesLost'
  | 'RoutingFailed'
  | 'RoutingStuck'
  | 'PaymentCallbackFailures'
  | 'PaymentsUnreconciled';

export interface BusinessDimensions {
  /** The receiving unit's electronic code, e.g. `000.02.01.H26`. */
  unit: string;
  /** The national procedure code, e.g. `1.001193`. */
  procedure: string;
}

/** What handlers see: business counts only; the wrapper counts the operational metrics itself. */
export interface BusinessMetrics {
  count(metric: BusinessMetric, by: BusinessDimensions): void;
}

export interface FunctionMetrics extends BusinessMetrics {
  countOperational(metric: OperationalMetric): void;
  /** Writes what this invocation counted (nothing when it counted nothing) and starts the next one empty. */
  flush(): void;
}

/** `LOG_LEVEL=silent` means nothing on stdout, EMF included; POWERTOOLS_METRICS_DISABLED works as Powertools says. */
const silenced = () => (process.env.LOG_LEVEL ?? '').toLowerCase() === 'silent';

export function createFunctionMetrics(service: string, log: Logger): FunctionMetrics {
  const warnings = {
    debug: () => undefined,
    info: () => undefined,
    warn: (...content: unknown[]) => log.warn('metrics', { detail: content.map(String).join(' ') }),
    error: (...content: unknown[]) => log.error('metrics', { detail: content.map(String).join(' ') }),
  };
  const options = { namespace: METRICS_NAMESPACE, serviceName: service, logger: warnings };
  const operational = new Metrics(options);
  let operationalCount = 0;
  let business: { metric: BusinessMetric; by: BusinessDimensions }[] = [];

  return {
    count(metric, by) {
      if (by.unit && by.procedure) business.push({ metric, by: { unit: by.unit, procedure: by.procedure } });
    },
    countOperational(metric) {
      operational.addMetric(metric, MetricUnit.Count, 1);
      operationalCount += 1;
    },
    flush() {
      const counted = business;
      business = [];
      if (silenced()) {
        if (operationalCount > 0) operational.clearMetrics();
        operationalCount = 0;
        return;
      }
      if (operationalCount > 0) operational.publishStoredMetrics();
      operationalCount = 0;
      // One EMF document per move: its dimension sets apply to every metric in it, and ServerErrors has only service.
      for (const { metric, by } of counted) {
        const single = new Metrics(options);
        single.addDimensions({ unit: by.unit });
        single.addDimensions({ procedure: by.procedure });
        single.addMetric(metric, MetricUnit.Count, 1);
        single.publishStoredMetrics();
      }
    },
  };
}
