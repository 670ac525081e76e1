// Forms 01–06: a move records what the form prints (pure, no I/O); the download renders it from that record.
import type { Dossier } from '../../domain/dossier';
import type { FormNumber, IssuedForm } from '../../domain/forms';
import { maskCitizenId } from '../../domain/identity-numbers';
import { registerBook } from '../../domain/register';
import type { HandoffParty } from '../../domain/routing';
import type { ControlSlipRow, FormBase } from '../../forms/types';
import type { CatalogueRepository } from '../../ports/catalogue-repository';
import type { FormRenderer } from '../../ports/form-renderer';
import type { Branch, ProcedureVersion } from '../../schemas/catalogue';

export type { FormNumber, IssuedForm };

/**
 * One key per dossier, version and form. Only a committed move's record names it, and the PDF is written after
 * commit (on first download), so a move that loses a version race leaves no object behind; two first downloads of
 * one form write the same bytes to the same key.
 */
export function formKey(code: string, form: FormNumber, version: number): string {
  return `dossiers/${code}/forms/${form}-v${version}.pdf`;
}

/**
 * The fees a slip 01 prints: those that always apply, summed, on a counter filing's slip (as at intake); nothing when
 * a fee depends on a condition the officer judges, or for an online filing, whose first slip had none either.
 */
export function slipFees(dossier: Dossier, procedure: ProcedureVersion): { feesVnd?: number } {
  if (dossier.channel !== 'counter') return {};
  // What the dossier owes, as recorded at filing; a condition the officer has yet to check leaves the amount off.
  if (dossier.fees) {
    return dossier.fees.items.some((item) => item.condition) ? {} : { feesVnd: dossier.fees.totalVnd };
  }
  // Dossiers filed before fees were recorded.
  if (procedure.fees.some((fee) => fee.condition)) return {};
  return { feesVnd: procedure.fees.reduce((sum, fee) => sum + fee.amountVnd, 0) };
}

export function trackingUrl(base: string, dossier: Dossier) {
  return `${base}/v1/tracking/${encodeURIComponent(dossier.code)}?key=${dossier.lookupKey}`;
}

/** What a move adds to a form's record beyond the dossier: slip 01's fees, and whose request stopped processing (05). */
export interface FormExtra {
  feesVnd?: number;
  stop?: { requestedBy?: 'applicant' | 'agency'; agency?: string; legalBasis?: string };
}

/**
 * The record of a form a move issues, read from the dossier after the move (whose version names the key). Form 04
 * answers the latest `routing.overdue` notice and 05 the `stop`, so issuing either without it is a caller's bug (it
 * throws before anything is written); 06 snapshots `routing.handoffs`, none yet being an empty table.
 */
export function issuedForm(
  form: FormNumber,
  dossier: Dossier,
  officer: string,
  at: Date,
  extra: FormExtra = {},
): IssuedForm {
  const record = { key: formKey(dossier.code, form, dossier.version), at: at.toISOString() };
  const iso = record.at;
  // Forms 04–06 may be issued by the workflow, with no one to name until the unit's head signs.
  const signer = officer ? { officer } : {};
  switch (form) {
    case '01':
      return {
        form,
        ...record,
        facts: {
          officer,
          receivedAt: dossier.receivedAt ?? iso,
          appointmentDay: dossier.deadline?.appointmentDay ?? iso.slice(0, 10),
          ...(dossier.procedure.processingDays > 0
            ? { statutoryWorkingDays: dossier.procedure.processingDays }
            : {}),
          documents: dossier.documents.map((d) => ({
            name: d.name.vi,
            form: d.digitizedBy ? 'original' : 'electronic',
            copies: 1,
          })),
          ...(extra.feesVnd !== undefined ? { feesVnd: extra.feesVnd } : {}),
        },
      };
    case '02':
      return {
        form,
        ...record,
        facts: {
          officer,
          requestedAt: dossier.supplement?.requestedAt ?? iso,
          items: (dossier.supplement?.items ?? []).map((item) => ({ name: item.name, reason: item.reason })),
        },
      };
    case '03':
      return {
        form,
        ...record,
        facts: { officer, refusedAt: dossier.refusal?.at ?? iso, reason: dossier.refusal?.reason ?? '' },
      };
    case '04': {
      const notice = dossier.routing?.overdue?.at(-1);
      if (!notice) throw new Error(`form 04 of ${dossier.code} needs an overdue notice in routing.overdue`);
      return {
        form,
        ...record,
        facts: {
          ...signer,
          at: notice.at,
          agency: notice.agency,
          stepId: notice.stepId,
          reason: notice.reason,
          receivedAt: dossier.receivedAt ?? iso,
          previousAppointmentDay: notice.previousAppointmentDay,
          newAppointmentDay: notice.newAppointmentDay,
        },
      };
    }
    case '05': {
      const stop = dossier.stop;
      if (!stop) throw new Error(`form 05 of ${dossier.code} needs the dossier's stop`);
      const asked = extra.stop ?? {};
      return {
        form,
        ...record,
        facts: {
          ...signer,
          at: stop.at,
          reason: stop.reason,
          ...(asked.requestedBy ? { requestedBy: asked.requestedBy } : {}),
          ...(asked.agency ? { agency: asked.agency } : {}),
          ...(asked.legalBasis ? { legalBasis: asked.legalBasis } : {}),
        },
      };
    }
    case '06':
      return {
        form,
        ...record,
        facts: {
          ...signer,
          receivedAt: dossier.receivedAt ?? iso,
          appointmentDay: dossier.deadline?.appointmentDay ?? iso.slice(0, 10),
          // A copy: the slip in hand keeps its rows whatever the dossier records after this version.
          rows: (dossier.routing?.handoffs ?? []).map((h) => ({
            ...h,
            giver: { ...h.giver },
            receiver: { ...h.receiver },
          })),
        },
      };
  }
}

/** The dossier with a newly issued form appended. */
export function withForm(
  dossier: Dossier,
  form: FormNumber,
  officer: string,
  at: Date,
  extra: FormExtra = {},
): Dossier {
  return { ...dossier, forms: [...dossier.forms, issuedForm(form, dossier, officer, at, extra)] };
}

function base(
  dossier: Dossier,
  branch: Branch | undefined,
  at: string,
  officer: string,
  publicBaseUrl: string,
) {
  return {
    dossierCode: dossier.code,
    trackingUrl: trackingUrl(publicBaseUrl, dossier),
    lookupKey: dossier.lookupKey,
    issuedAt: at,
    unit: {
      name: branch?.name.vi ?? dossier.unit,
      parentName: 'Trung tâm Phục vụ hành chính công thành phố Hà Nội',
      ...(branch?.address ? { address: branch.address } : {}),
      locality: 'Hà Nội',
    },
    procedure: { code: dossier.procedure.code, name: dossier.procedure.name.vi },
    applicant: {
      fullName: dossier.applicant.fullName,
      idNumberMasked: maskCitizenId(dossier.applicant.citizenId),
      ...(dossier.applicant.address ? { address: dossier.applicant.address } : {}),
      ...(dossier.applicant.phone ? { phone: dossier.applicant.phone } : {}),
      ...(dossier.applicant.email ? { email: dossier.applicant.email } : {}),
    },
    officer: { fullName: officer },
  } satisfies FormBase;
}

export interface FormDeps {
  /** Branches and agencies name the unit and the parties of forms 04–06; an unknown one prints as its code. */
  catalogue: Pick<CatalogueRepository, 'branch' | 'agency'>;
  forms: FormRenderer;
  /** Base of the public tracking URL printed (and encoded in the QR code) on every form. */
  publicBaseUrl: string;
}

/** Names hand-off parties and agencies from the catalogue, each looked up once; an unknown code prints as itself. */
function namer(dossier: Dossier, branch: Branch | undefined, deps: FormDeps) {
  const seen = new Map<string, Promise<string>>();
  const lookup = (kind: HandoffParty['kind'], id: string): Promise<string> => {
    const key = `${kind}#${id}`;
    let name = seen.get(key);
    if (!name) {
      name =
        kind === 'branch'
          ? id === dossier.unit
            ? Promise.resolve(branch?.name.vi ?? id)
            : deps.catalogue.branch(id).then((found) => found?.name.vi ?? id)
          : deps.catalogue.agency(id).then((found) => found?.name.vi ?? id);
      seen.set(key, name);
    }
    return name;
  };
  return { party: (p: HandoffParty) => lookup(p.kind, p.id), agency: (id: string) => lookup('agency', id) };
}

/**
 * Renders an issued form from its recorded facts, the dossier's fixed parts (code, lookup key, applicant, procedure)
 * and the names of the unit and agencies: the same record gives the same bytes while the catalogue's names stand. A
 * form recorded before facts were kept is read from the dossier as it is now, signed by the officer who received it.
 */
export async function renderIssued(
  issued: IssuedForm,
  dossier: Dossier,
  deps: FormDeps,
): Promise<Uint8Array> {
  const recorded =
    issued.facts !== undefined
      ? issued
      : issuedForm(issued.form, dossier, dossier.receivedBy?.name ?? '', new Date(issued.at));
  const branch = await deps.catalogue.branch(dossier.unit);
  const officer = recorded.facts?.officer ?? '';
  const common = base(dossier, branch, issued.at, officer, deps.publicBaseUrl);
  const names = namer(dossier, branch, deps);
  switch (recorded.form) {
    case '01': {
      const { officer: _, ...facts } = recorded.facts!;
      return deps.forms.receiptSlip({
        ...common,
        ...facts,
        // Form 07's book and entry: the entry is cited by the code, as the register lists it (domain/register.ts).
        register: { book: registerBook(dossier.unit, facts.receivedAt).label, entry: dossier.code },
        ...(branch ? { appointmentPlace: `${branch.name.vi}, ${branch.address}` } : {}),
      });
    }
    case '02': {
      const { officer: _, ...facts } = recorded.facts!;
      return deps.forms.supplementRequest({ ...common, ...facts });
    }
    case '03': {
      const { officer: _, ...facts } = recorded.facts!;
      return deps.forms.refusal({ ...common, ...facts });
    }
    case '04': {
      const facts = recorded.facts!;
      return deps.forms.apology({
        ...common,
        receivedAt: facts.receivedAt,
        previousAppointmentDay: facts.previousAppointmentDay,
        newAppointmentDay: facts.newAppointmentDay,
        reason: facts.reason,
        lateAgency: await names.agency(facts.agency),
      });
    }
    case '05': {
      const facts = recorded.facts!;
      return deps.forms.stopNotice({
        ...common,
        stoppedAt: facts.at,
        reason: facts.reason,
        ...(facts.requestedBy ? { requestedBy: facts.requestedBy } : {}),
        ...(facts.agency ? { requestingAgency: await names.agency(facts.agency) } : {}),
        ...(facts.legalBasis ? { legalBasis: facts.legalBasis } : {}),
      });
    }
    case '06': {
      const facts = recorded.facts!;
      const rows = await Promise.all(
        facts.rows.map(
          async (h): Promise<ControlSlipRow> => ({
            giver: await names.party(h.giver),
            receiver: await names.party(h.receiver),
            at: h.at,
            ...(h.dueAt ? { dueAt: h.dueAt } : {}),
            ...(h.result ? { result: h.result } : {}),
            ...(h.note ? { note: h.note } : {}),
          }),
        ),
      );
      const agencies = [
        ...new Set(
          facts.rows
            .flatMap((h) => [h.giver, h.receiver])
            .filter((p) => p.kind === 'agency')
            .map((p) => p.id),
        ),
      ];
      return deps.forms.controlSlip({
        ...common,
        receivedAt: facts.receivedAt,
        appointmentDay: facts.appointmentDay,
        resolvingUnits: await Promise.all(agencies.map(names.agency)),
        rows,
      });
    }
  }
}
