// The seed of the procedure catalogue (data/catalogue) is valid, consistent and covers the required procedures.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { agencySchema, branchSchema, type Procedure, procedureSchema } from '../../shared/schemas/catalogue';
import * as z from '../../shared/schemas/zod';

const read = (file: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../data/catalogue/${file}`, import.meta.url), 'utf8'));

const procedures = z
  .object({ procedures: z.array(procedureSchema) })
  .parse(read('procedures.json')).procedures;
const agencies = z.object({ agencies: z.array(agencySchema) }).parse(read('agencies.json')).agencies;
const branches = z.object({ branches: z.array(branchSchema) }).parse(read('branches.json')).branches;
const agencyCodes = new Set(agencies.map((agency) => agency.code));

/** Codes of procedures allowed to have no mandatory document; each needs a reason. None at present. */
const withoutMandatoryDocument = new Map<string, string>();

const BIRTH_BUNDLE = '2.002621';
const DEATH_BUNDLE = '2.002622';

function routeWorkingDays(procedure: Procedure): number {
  return procedure.route.reduce(
    (total, stage) => total + Math.max(...stage.steps.map((s) => s.workingDays)),
    0,
  );
}

function duplicates(values: string[]): string[] {
  return values.filter((value, index) => values.indexOf(value) !== index);
}

function byCode(code: string): Procedure {
  const procedure = procedures.find((p) => p.code === code);
  if (!procedure) throw new Error(`procedure ${code} is missing from the seed`);
  return procedure;
}

describe('procedure catalogue seed', () => {
  it('parses every procedure with the procedure schema', () => {
    const raw = z.object({ procedures: z.array(z.unknown()) }).parse(read('procedures.json')).procedures;
    for (const entry of raw) {
      const result = procedureSchema.safeParse(entry);
      expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
    }
  });

  it('holds at least 25 procedures with unique national codes', () => {
    expect(procedures.length).toBeGreaterThanOrEqual(25);
    expect(duplicates(procedures.map((p) => p.code))).toEqual([]);
  });

  it('gives every procedure a competent agency that exists', () => {
    const unknown = procedures.filter((p) => !agencyCodes.has(p.competentAgency)).map((p) => p.code);
    expect(unknown).toEqual([]);
  });

  it('gives every route step an agency that exists', () => {
    const unknown = procedures.flatMap((p) =>
      p.route.flatMap((stage) =>
        stage.steps.filter((s) => !agencyCodes.has(s.agency)).map((s) => `${p.code}:${s.agency}`),
      ),
    );
    expect(unknown).toEqual([]);
  });

  it('forwards route steps only to agencies that exist, of the same kind as the step’s own', () => {
    const kindOf = (code: string) => agencies.find((a) => a.code === code)?.kind;
    const wrong = procedures.flatMap((p) =>
      p.route.flatMap((stage) =>
        stage.steps.flatMap((s) =>
          (s.forwardTo ?? [])
            .filter((to) => !agencyCodes.has(to) || kindOf(to) !== kindOf(s.agency))
            .map((to) => `${p.code}:${s.agency}→${to}`),
        ),
      ),
    );
    expect(wrong).toEqual([]);
    // The under-6 bundle's ward and police steps go to the applicant's own ward when it is another.
    expect(
      procedures.find((p) => p.code === '2.002621')!.route.map((stage) => stage.steps[0]!.forwardTo),
    ).toEqual([
      ['000.00.31.H26', '000.00.32.H26'],
      ['000.31.08.H26', '000.32.08.H26'],
    ]);
  });

  it('keeps the working days along each route within the statutory processing time', () => {
    const over = procedures
      .filter((p) => routeWorkingDays(p) > p.processingTime.workingDays)
      .map((p) => `${p.code}: route ${routeWorkingDays(p)} > ${p.processingTime.workingDays}`);
    expect(over).toEqual([]);
  });

  it('gives each document and fee an id unique within its procedure', () => {
    for (const p of procedures) {
      expect(duplicates(p.requiredDocuments.map((d) => d.id)), p.code).toEqual([]);
      expect(duplicates(p.fees.map((f) => f.id)), p.code).toEqual([]);
    }
  });

  it('asks for at least one mandatory document except where documented', () => {
    const missing = procedures
      .filter((p) => !p.requiredDocuments.some((d) => d.mandatory))
      .map((p) => p.code)
      .filter((code) => !withoutMandatoryDocument.has(code));
    expect(missing).toEqual([]);
  });

  it('marks every identity-card image as sensitive personal data', () => {
    const documents = procedures.flatMap((p) => p.requiredDocuments.map((d) => ({ code: p.code, ...d })));
    const idCards = documents.filter((d) => /căn cước/i.test(d.name.vi));
    expect(idCards.length).toBeGreaterThan(0);
    expect(idCards.filter((d) => !d.sensitive).map((d) => `${d.code}:${d.id}`)).toEqual([]);
  });

  it('registers a birth, code 1.001193, the same working day', () => {
    const birth = byCode('1.001193');
    expect(birth.name.vi).toBe('Đăng ký khai sinh');
    expect(birth.processingTime.workingDays).toBe(0);
    expect(routeWorkingDays(birth)).toBe(0);
    expect(birth.fees.some((f) => f.amountVnd === 0)).toBe(true);
  });

  it('holds both Decree 63/2024 interconnected bundles, routed from justice to agencies in parallel', () => {
    for (const code of [BIRTH_BUNDLE, DEATH_BUNDLE]) {
      const bundle = byCode(code);
      expect(bundle.interconnected, code).toBe(true);
      expect(
        bundle.legalBasis.some((basis) => basis.includes('63/2024/NĐ-CP')),
        code,
      ).toBe(true);
      const [first, ...later] = bundle.route;
      expect(
        first?.steps.map((s) => s.agency),
        code,
      ).toEqual([bundle.competentAgency]);
      expect(
        later.some((stage) => stage.steps.length >= 2),
        code,
      ).toBe(true);
    }
    const kindsAfterJustice = (code: string) =>
      new Set(
        byCode(code)
          .route.slice(1)
          .flatMap((stage) => stage.steps.map((s) => agencies.find((a) => a.code === s.agency)?.kind)),
      );
    expect(kindsAfterJustice(BIRTH_BUNDLE)).toEqual(new Set(['police', 'social-insurance']));
    expect(kindsAfterJustice(DEATH_BUNDLE)).toContain('police');
    expect(kindsAfterJustice(DEATH_BUNDLE)).toContain('social-insurance');
  });

  it('marks only the bundles as interconnected', () => {
    expect(procedures.filter((p) => p.interconnected).map((p) => p.code)).toEqual([
      BIRTH_BUNDLE,
      DEATH_BUNDLE,
    ]);
  });

  it('covers the main fields of the one-stop shop', () => {
    const fields = new Set(procedures.map((p) => p.field));
    for (const field of [
      'civil-status',
      'residence',
      'authentication',
      'household-business',
      'enterprise-registration',
      'land',
      'construction',
      'social-protection',
      'judicial-records',
    ]) {
      expect(fields, field).toContain(field);
    }
  });
});

describe('agency and branch seed', () => {
  it('gives agencies unique codes and parents that exist', () => {
    expect(duplicates(agencies.map((a) => a.code))).toEqual([]);
    const orphans = agencies
      .filter((a) => a.parent !== undefined && !agencyCodes.has(a.parent))
      .map((a) => a.code);
    expect(orphans).toEqual([]);
  });

  it('holds one service center and Hanoi agencies only', () => {
    expect(agencies.filter((a) => a.kind === 'center')).toHaveLength(1);
    expect(agencies.filter((a) => !a.code.endsWith('.H26')).map((a) => a.code)).toEqual([]);
  });

  it('gives branches unique codes, starting with the head office 000.00.01.H26', () => {
    expect(branches.length).toBeGreaterThanOrEqual(13);
    expect(branches[0]?.code).toBe('000.00.01.H26');
    expect(duplicates(branches.map((b) => b.code))).toEqual([]);
    for (const branch of branches) expect(branch.code).toMatch(/^000\.\d{2}\.\d{2}\.H26$/);
  });

  it('lets every commune or ward be served by one branch at most', () => {
    expect(duplicates(branches.flatMap((b) => b.communes))).toEqual([]);
    expect(branches.slice(1).filter((b) => b.communes.length === 0)).toEqual([]);
  });
});
