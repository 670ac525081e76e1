// What callers see of a dossier: the ID number masked, forms as links, labels in Vietnamese and English.
import { isPaused } from '../../domain/deadline';
import { type Dossier, type HistoryEntry, statusLabels } from '../../domain/dossier';
import { maskCitizenId } from '../../domain/identity-numbers';

export function toView(dossier: Dossier, history?: HistoryEntry[], withKey = true) {
  const latest = new Map(dossier.forms.map((f) => [f.form, f]));
  return {
    code: dossier.code,
    lookupKey: withKey ? dossier.lookupKey : '********',
    status: dossier.status,
    statusLabel: statusLabels[dossier.status],
    procedure: dossier.procedure,
    unit: dossier.unit,
    channel: dossier.channel,
    applicant: { ...dossier.applicant, citizenId: maskCitizenId(dossier.applicant.citizenId) },
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
    ...(dossier.receivedAt ? { receivedAt: dossier.receivedAt } : {}),
    ...(dossier.deadline ? { deadline: { ...dossier.deadline, paused: isPaused(dossier.deadline) } } : {}),
    ...(dossier.supplement && dossier.status === 'SUPPLEMENT_REQUESTED'
      ? { supplement: { items: dossier.supplement.items, requestedAt: dossier.supplement.requestedAt } }
      : {}),
    ...(dossier.refusal ? { refusal: dossier.refusal } : {}),
    forms: [...latest.values()].map((f) => ({
      form: f.form,
      at: f.at,
      href: `/v1/dossiers/${encodeURIComponent(dossier.code)}/forms/${f.form}`,
    })),
    ...(history
      ? {
          history: history.map((h) => ({
            ...h,
            actor: {
              kind: h.actor.kind,
              ...('name' in h.actor ? { name: h.actor.name } : {}),
              ...('branch' in h.actor ? { branch: h.actor.branch } : {}),
            },
          })),
        }
      : {}),
    version: dossier.version,
  };
}

export type DossierView = ReturnType<typeof toView>;

export function toSummary(dossier: Dossier) {
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
