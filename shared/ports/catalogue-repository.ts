// What the catalogue use cases need from storage.
import type { Page } from '../cursor';
import type { Agency, Branch, ProcedureVersion } from '../schemas/catalogue';
import type { IdempotencyRecord } from './idempotency-store';

export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface CatalogueRepository {
  /** Bumped by every publish: a cheap way to know a cached catalogue is stale. */
  revision(): Promise<number>;
  currentProcedures(): Promise<ProcedureVersion[]>;
  procedure(code: string, version?: number): Promise<ProcedureVersion | undefined>;
  /** Writes the version, moves the current pointer and bumps the revision at once; fails if the version exists. */
  publish(procedure: ProcedureVersion, publishedBy: string, idempotency?: IdempotencyRecord): Promise<void>;
  agencies(page: PageRequest): Promise<Page<Agency>>;
  branches(page: PageRequest): Promise<Page<Branch>>;
  agency(code: string): Promise<Agency | undefined>;
  branch(code: string): Promise<Branch | undefined>;
  putAgencies(agencies: Agency[]): Promise<void>;
  /** The content hash of each procedure as the seed last published it: the seed never republishes what it seeded. */
  seedMarks(): Promise<Map<string, string>>;
  markSeeded(marks: { code: string; hash: string }[]): Promise<void>;
  putBranches(branches: Branch[]): Promise<void>;
}
