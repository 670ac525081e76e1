// Forms 01–03: a move records what the form prints (pure, no I/O); the download renders it from that record.
import type { Dossier } from '../../domain/dossier';
import type { FormNumber, IssuedForm } from '../../domain/forms';
import { maskCitizenId } from '../../domain/identity-numbers';
import type { FormBase } from '../../forms/types';
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
  if (dossier.channel !== 'counter' || procedure.fees.some((fee) => fee.condition)) return {};
  return { feesVnd: procedure.fees.reduce((sum, fee) => sum + fee.amountVnd, 0) };
}

export function trackingUrl(base: string, dossier: Dossier) {
  return `${base}/v1/tracking/${encodeURIComponent(dossier.code)}?key=${dossier.lookupKey}`;
}

/** The record of a form a move issues, read from the dossier after the move (whose version names the key). */
export function issuedForm(
  form: FormNumber,
  dossier: Dossier,
  officer: string,
  at: Date,
  extra: { feesVnd?: number } = {},
): IssuedForm {
  const record = { key: formKey(dossier.code, form, dossier.version), at: at.toISOString() };
  const iso = record.at;
  if (form === '01') {
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
  }
  if (form === '02') {
    return {
      form,
      ...record,
      facts: {
        officer,
        requestedAt: dossier.supplement?.requestedAt ?? iso,
        items: (dossier.supplement?.items ?? []).map((item) => ({ name: item.name, reason: item.reason })),
      },
    };
  }
  return {
    form,
    ...record,
    facts: { officer, refusedAt: dossier.refusal?.at ?? iso, reason: dossier.refusal?.reason ?? '' },
  };
}

/** The dossier with a newly issued form appended. */
export function withForm(
  dossier: Dossier,
  form: FormNumber,
  officer: string,
  at: Date,
  extra: { feesVnd?: number } = {},
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
  catalogue: Pick<CatalogueRepository, 'branch'>;
  forms: FormRenderer;
  /** Base of the public tracking URL printed (and encoded in the QR code) on every form. */
  publicBaseUrl: string;
}

/**
 * Renders an issued form from its recorded facts, the dossier's fixed parts (code, lookup key, applicant, procedure)
 * and the unit's name and address: the same record gives the same bytes. A form recorded before facts were kept is
 * read from the dossier as it is now, signed by the officer who received it.
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
  switch (recorded.form) {
    case '01': {
      const { officer: _, ...facts } = recorded.facts!;
      return deps.forms.receiptSlip({
        ...common,
        ...facts,
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
  }
}
