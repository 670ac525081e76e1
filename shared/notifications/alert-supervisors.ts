// A step ran past its due time: the supervisors' mailbox gets one email per DossierOverdue event (Vietnamese, then
// English), through the same notifier the applicants' messages use. A mark per event id, written after the provider
// took the message, makes a redelivery send nothing (a crash between the two sends it again: at least once).
// Codes and days only: nothing about the applicant.
import type { DomainEvent } from '../domain/events';
import type { ConsumedEvents } from '../ports/consumed-events';
import type { Notifier, OutgoingEmail } from '../ports/notifier';

export const SUPERVISOR_ALERTS_CONSUMER = 'supervisor-alerts';

export interface AlertSupervisorsDeps {
  notifier: Pick<Notifier, 'sendEmail'>;
  marks: ConsumedEvents;
  /** The environment's supervision mailbox (NOTIFY_SUPERVISORS_EMAIL). */
  supervisorsEmail: string;
  /** Where the links point (the public API). */
  publicBaseUrl: string;
  clock: () => Date;
}

/** The email of one overdue step, both languages in one message. */
export function supervisorAlert(
  event: DomainEvent<'DossierOverdue'>,
  to: string,
  base: string,
): OutgoingEmail {
  const { unit, procedureCode, stepId, agency, previousAppointmentDay, newAppointmentDay } = event.payload;
  const code = event.dossierCode;
  const radar = `${base}/v1/stats/overdue?unit=${encodeURIComponent(unit)}`;
  const dossier = `${base}/v1/dossiers/${encodeURIComponent(code)}`;
  return {
    to,
    subject: `[Quá hạn / Overdue] ${code}: ${agency}`,
    text: [
      `Hồ sơ ${code} (thủ tục ${procedureCode}) của đơn vị ${unit} đã quá hạn ở bước ${stepId} tại cơ quan ${agency}.`,
      `Ngày hẹn trả kết quả chuyển từ ${previousAppointmentDay} sang ${newAppointmentDay}; phiếu xin lỗi và hẹn lại (mẫu 04) đã được phát hành.`,
      `Radar quá hạn: ${radar}`,
      `Hồ sơ: ${dossier}`,
      '',
      `Dossier ${code} (procedure ${procedureCode}) of unit ${unit} is past its due time at step ${stepId}, agency ${agency}.`,
      `The appointment day moved from ${previousAppointmentDay} to ${newAppointmentDay}; the apology letter (form 04) was issued.`,
      `Overdue radar: ${radar}`,
      `Dossier: ${dossier}`,
    ].join('\n'),
    tags: {
      event: event.name,
      eventId: event.id,
      dossierCode: code,
      kind: 'supervisor-overdue',
      language: 'vi',
    },
  };
}

export async function alertSupervisors(
  event: DomainEvent<'DossierOverdue'>,
  deps: AlertSupervisorsDeps,
): Promise<{ outcome: 'sent'; messageId: string } | { outcome: 'already-sent' }> {
  if (await deps.marks.has(SUPERVISOR_ALERTS_CONSUMER, event.id)) return { outcome: 'already-sent' };
  const { messageId } = await deps.notifier.sendEmail(
    supervisorAlert(event, deps.supervisorsEmail, deps.publicBaseUrl),
  );
  await deps.marks.record({
    consumer: SUPERVISOR_ALERTS_CONSUMER,
    eventId: event.id,
    at: deps.clock().toISOString(),
  });
  return { outcome: 'sent', messageId };
}
