// The supervisors hear of each step past its due time: one email per DossierOverdue event.
import { notifyDeps } from '../../shared/adapters/notification-deps';
import { readSupervisorAlertConfig } from '../../shared/config';
import { consumer } from '../../shared/events/consumers';
import { onEvents } from '../../shared/events/handler';
import { alertSupervisors } from '../../shared/notifications/alert-supervisors';

// The applicants' notifier and marks, and the supervision mailbox; both read and checked at cold start.
const { notifier, marks, publicBaseUrl, clock } = notifyDeps();
const deps = { notifier, marks, publicBaseUrl, clock, ...readSupervisorAlertConfig() };
const { id } = consumer('supervisor-alerts');

export const handler = onEvents(
  ['DossierOverdue'],
  async (event, { log }) => {
    const alert = await alertSupervisors(event, deps);
    // The outcome only: never the address.
    log.info('supervisors alerted', { dossierCode: event.dossierCode, outcome: alert.outcome });
  },
  { consumer: id },
);
