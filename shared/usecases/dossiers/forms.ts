// Builds forms 01–03 from a dossier, renders them and stores them in S3 beside the dossier.
import { randomBytes } from 'node:crypto';
import type { Dossier } from '../../domain/dossier';
import { maskCitizenId } from '../../domain/identity-numbers';
import type { FormBase } from '../../forms/types';
import type { Branch, ProcedureVersion } from '../../schemas/catalogue';
import type { DossierDeps } from './deps';

export type FormNumber = '01' | '02' | '03';

/**
 * A fresh key per issuance: two racing moves both render, only one commits, and the loser's PDF must not
 * overwrite the winner's (its object is simply never referenced).
 */
export function formKey(code: string, form: FormNumber): string {
  return `dossiers/${code}/forms/${form}-${randomBytes(6).toString('base64url')}.pdf`;
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

function base(
  dossier: Dossier,
  branch: Branch | undefined,
  officer: string,
  at: Date,
  publicBaseUrl: string,
): FormBase {
  return {
    dossierCode: dossier.code,
    trackingUrl: trackingUrl(publicBaseUrl, dossier),
    lookupKey: dossier.lookupKey,
    issuedAt: at.toISOString(),
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
  };
}

/** Renders the form for the dossier's new state, stores it, and returns the record to keep on the dossier. */
export async function issueForm(
  form: FormNumber,
  dossier: Dossier,
  officer: string,
  at: Date,
  deps: Pick<DossierDeps, 'catalogue' | 'forms' | 'objects' | 'publicBaseUrl'>,
  extra: { feesVnd?: number; key?: string } = {},
) {
  const branch = await deps.catalogue.branch(dossier.unit);
  const common = base(dossier, branch, officer, at, deps.publicBaseUrl);
  let pdf: Uint8Array;
  if (form === '01') {
    pdf = await deps.forms.receiptSlip({
      ...common,
      documents: dossier.documents.map((d) => ({
        name: d.name.vi,
        copies: 1,
        form: d.digitizedBy ? 'original' : 'electronic',
      })),
      receivedAt: dossier.receivedAt ?? at.toISOString(),
      appointmentDay: dossier.deadline?.appointmentDay ?? at.toISOString().slice(0, 10),
      ...(dossier.procedure.processingDays > 0
        ? { statutoryWorkingDays: dossier.procedure.processingDays }
        : {}),
      ...(branch ? { appointmentPlace: `${branch.name.vi}, ${branch.address}` } : {}),
      ...(extra.feesVnd !== undefined ? { feesVnd: extra.feesVnd } : {}),
    });
  } else if (form === '02') {
    pdf = await deps.forms.supplementRequest({
      ...common,
      items: dossier.supplement?.items ?? [],
      requestedAt: dossier.supplement?.requestedAt ?? at.toISOString(),
    });
  } else {
    pdf = await deps.forms.refusal({
      ...common,
      reason: dossier.refusal?.reason ?? '',
      refusedAt: dossier.refusal?.at ?? at.toISOString(),
    });
  }
  const key = extra.key ?? formKey(dossier.code, form);
  await deps.objects.put(key, pdf, 'application/pdf');
  return [...dossier.forms, { form, key, at: at.toISOString() }];
}
