// In-memory fakes of the catalogue and idempotency ports, for use-case tests without a network.
import { encodeCursor } from '../../../shared/cursor';
import { ConflictError } from '../../../shared/errors';
import type { CatalogueRepository } from '../../../shared/ports/catalogue-repository';
import {
  IdempotencyRaceError,
  type IdempotencyRecord,
  type IdempotencyStore,
} from '../../../shared/ports/idempotency-store';
import type { Agency, Branch, ProcedureVersion } from '../../../shared/schemas/catalogue';

export function memoryIdempotency(): IdempotencyStore & { records: Map<string, IdempotencyRecord> } {
  const records = new Map<string, IdempotencyRecord>();
  return {
    records,
    async find(id) {
      const record = records.get(id);
      return record ? { requestHash: record.requestHash, answer: record.answer } : undefined;
    },
  };
}

export function memoryCatalogue(idempotency = memoryIdempotency()) {
  const versions = new Map<string, ProcedureVersion>();
  const current = new Map<string, ProcedureVersion>();
  const agencies = new Map<string, Agency>();
  const branches = new Map<string, Branch>();
  const seeded = new Map<string, string>();
  let revision = 0;
  let reads = 0;
  const page = <T extends { code: string }>(all: Map<string, T>, limit: number, cursor?: string) => {
    const sorted = [...all.values()].sort((a, b) => a.code.localeCompare(b.code));
    const after = cursor ? JSON.parse(Buffer.from(cursor, 'base64url').toString()).sk : undefined;
    const rest = after ? sorted.filter((x) => x.code > after) : sorted;
    const items = rest.slice(0, limit);
    return rest.length > limit ? { items, nextCursor: encodeCursor({ sk: items.at(-1)!.code }) } : { items };
  };
  const repository: CatalogueRepository = {
    async revision() {
      return revision;
    },
    async currentProcedures() {
      reads += 1;
      return [...current.values()];
    },
    async procedure(code, version) {
      return version === undefined ? current.get(code) : versions.get(`${code}#${version}`);
    },
    async publish(procedure, _by, record) {
      const key = `${procedure.code}#${procedure.version}`;
      if (record && idempotency.records.has(record.id)) throw new IdempotencyRaceError();
      if (versions.has(key)) throw new ConflictError('exists', 'VERSION_CONFLICT');
      versions.set(key, procedure);
      current.set(procedure.code, procedure);
      revision += 1;
      if (record) idempotency.records.set(record.id, record);
    },
    agencies: async ({ limit, cursor }) => page(agencies, limit, cursor),
    branches: async ({ limit, cursor }) => page(branches, limit, cursor),
    agency: async (code) => agencies.get(code),
    branch: async (code) => branches.get(code),
    async putAgencies(list) {
      for (const a of list) agencies.set(a.code, a);
    },
    async putBranches(list) {
      for (const b of list) branches.set(b.code, b);
    },
    async seedMarks() {
      return new Map(seeded);
    },
    async markSeeded(marks) {
      for (const { code, hash } of marks) seeded.set(code, hash);
    },
  };
  return { repository, idempotency, fullLoads: () => reads };
}
