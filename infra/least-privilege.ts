// Where a function needs less than the whole resource its route or consumer declares: the grant narrowed to the
// actions, partitions or key prefixes it serves. Each narrowing stays within the declared access (the function
// construct refuses anything else); a resource not listed here gets its declared access.
//
// The route table and the consumer list declare `read` / `readwrite` per resource; this file refines that for the
// cloud only (IAM), so it can move into those declarations (`uses: { documents: { prefixes: … } }`) without change.
import type { ResourceId } from '../shared/data/resources';
import type { ConsumerId } from '../shared/events/consumers';
import type { RouteDefinition } from '../shared/http/route-types';
import type { routes } from '../shared/http/routes';
import { type BucketGrant, type DataGrant, type TableGrant, tableActions } from './constructs/grants';
import type { MotcuaFunction } from './constructs/motcua-function';
import type { StatefulStack } from './stacks/stateful-stack';

type RouteId = keyof typeof routes;
export type NarrowedUses = Partial<Record<ResourceId, DataGrant>>;

/**
 * Key prefixes of the documents bucket (shared/data/resources.ts `documentKeys`; forms from
 * shared/usecases/dossiers/forms.ts `formKey`). tests/infra/least-privilege.test.ts checks they still match.
 */
export const documentPrefixes = {
  staging: 'uploads/',
  verified: 'documents/',
  filed: 'filed/',
  forms: 'dossiers/',
} as const;

/** Catalogue partitions anyone may read: procedures, the current list and its revision, agencies, branches. */
export const publicCataloguePartitions = ['CURRENT', 'META', 'PROC#*', 'AGENCY', 'BRANCH'] as const;

/** The payment ledger in the dossiers table, a partition per branch and day (shared/adapters/dynamo/payment-ledger.ts). */
export const ledgerPartitions = 'LEDGER#*';

/** The statistics' counter rows in the dossiers table, a partition per unit and shard (shared/adapters/dynamo/statistics.ts). */
export const statisticsPartitions = 'STATS#*';

/** Public statistics: counter rows only, by Query; never a dossier, a profile or an index. */
const statisticsRead = {
  access: 'read',
  actions: ['dynamodb:Query'],
  indexes: false,
  partitions: [statisticsPartitions],
} as const;

/** Partner registry items in the catalogue table (shared/adapters/dynamo/partner-registry.ts). */
export const partnerRegistryPartition = 'PARTNER#*';

const publicCatalogue = { access: 'read', indexes: false, partitions: publicCataloguePartitions } as const;

/** Appending to the hash-chained audit log: the head by key, two conditional puts. No delete, no batch write. */
const auditAppend = {
  access: 'readwrite',
  actions: ['dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
  indexes: false,
} as const;

/** Reading one registry entry by key (PARTNER#<principal ARN>): who a partner caller acts for. */
const partnerRegistryLookup = {
  access: 'read',
  actions: ['dynamodb:GetItem'],
  indexes: false,
  partitions: [partnerRegistryPartition],
} as const;

// Filing copies verified files (documents/) to filed/ (shared/usecases/dossiers/completeness.ts `fileDocuments`).
const fileDocuments = {
  prefixes: { [documentPrefixes.verified]: 'read', [documentPrefixes.filed]: 'readwrite' },
} as const;
// A form is rendered on its first download and kept beside the dossier (dossiers/<code>/forms/…).
const formsOnly = { prefixes: { [documentPrefixes.forms]: 'readwrite' } } as const;

export const routeGrants: Partial<Record<RouteId, NarrowedUses>> = {
  // Public: a probe proves each dependency answers and reads no item and no object (shared/adapters/health-probes.ts).
  getHealth: {
    catalogue: 'probe',
    dossiers: 'probe',
    idempotency: 'probe',
    audit: 'probe',
    documents: 'probe',
    exports: 'probe',
  },
  // Public: aggregates only, from the counter rows; the branch comparison adds the public catalogue's branches.
  getServiceIndex: { dossiers: statisticsRead },
  getDailyStats: { dossiers: statisticsRead },
  getBranchStats: { dossiers: statisticsRead, catalogue: publicCatalogue },
  // Staff: a unit's detail rows, the same counter partitions.
  getProcedureStats: { dossiers: statisticsRead },
  // Partners (SigV4): the same aggregates, counter rows by Query; the branches by Query and, for the edge, the
  // caller's own registry entry by key. No dossier, no index.
  getPartnerStats: {
    dossiers: statisticsRead,
    catalogue: {
      access: 'read',
      actions: ['dynamodb:GetItem', 'dynamodb:Query'],
      indexes: false,
      partitions: ['BRANCH', partnerRegistryPartition],
    },
  },
  // Staff: the radar Queries the due-day index (DUE#<unit>, STEPS#<unit>) and the catalogue's branches and agencies.
  getOverdueRadar: {
    dossiers: { access: 'read', actions: ['dynamodb:Query'] },
    catalogue: {
      access: 'read',
      actions: ['dynamodb:GetItem', 'dynamodb:Query'],
      indexes: false,
      partitions: ['BRANCH', 'AGENCY'],
    },
  },
  // Public: one dossier item by key (code + lookup key); no index, no personal-store or upload partition.
  trackDossier: {
    dossiers: { access: 'read', actions: ['dynamodb:GetItem'], indexes: false, partitions: ['DOSSIER#*'] },
  },
  // Public: the payment's pointer (PAYMENT#<id>) and its dossier, each by key; what the page shows is the payment's.
  vnpayReturn: {
    dossiers: {
      access: 'read',
      actions: ['dynamodb:GetItem'],
      indexes: false,
      partitions: ['PAYMENT#*', 'DOSSIER#*'],
    },
  },
  // Public: one receipt item by key (DOSSIER#<code> / RECEIPT#<series>#<number>); what it answers is the money's.
  verifyReceipt: {
    dossiers: { access: 'read', actions: ['dynamodb:GetItem'], indexes: false, partitions: ['DOSSIER#*'] },
  },
  searchProcedures: { catalogue: publicCatalogue },
  getProcedure: { catalogue: publicCatalogue },
  listAgencies: { catalogue: publicCatalogue },
  listBranches: { catalogue: publicCatalogue },
  // The public catalogue and, for the edge, the caller's own registry entry.
  getPartnerProfile: {
    catalogue: { ...publicCatalogue, partitions: [...publicCataloguePartitions, partnerRegistryPartition] },
  },

  // Documents per key prefix: an upload request signs a PUT into uploads/, completing it copies to documents/.
  requestUpload: { documents: { prefixes: { [documentPrefixes.staging]: 'readwrite' } } },
  requestCounterUpload: { documents: { prefixes: { [documentPrefixes.staging]: 'readwrite' } } },
  completeUpload: {
    documents: {
      prefixes: { [documentPrefixes.staging]: 'readwrite', [documentPrefixes.verified]: 'readwrite' },
    },
  },
  fileDossier: { documents: fileDocuments },
  counterIntake: { documents: fileDocuments },
  supplementDossier: { documents: fileDocuments },
  getDossierForm: { documents: formsOnly },
  // The dossier by key and its receipts (one Query of its collection); the PDF kept beside its forms.
  getDossierReceipt: {
    dossiers: {
      access: 'read',
      actions: ['dynamodb:GetItem', 'dynamodb:Query'],
      indexes: false,
      partitions: ['DOSSIER#*'],
    },
    documents: formsOnly,
  },
  // An agency's result document is uploaded and verified like a citizen's; the applicant reads the verified copies.
  requestResultUpload: { documents: { prefixes: { [documentPrefixes.staging]: 'readwrite' } } },
  completeResultUpload: {
    documents: {
      prefixes: { [documentPrefixes.staging]: 'readwrite', [documentPrefixes.verified]: 'readwrite' },
    },
  },
  getDossierResult: { documents: { prefixes: { [documentPrefixes.verified]: 'read' } } },
  // An agency's task links the dossier's filed documents (shared/usecases/routing/read-tasks.ts), nothing else.
  getPartnerTask: { documents: { prefixes: { [documentPrefixes.filed]: 'read' } } },
  // The payment report Queries one ledger partition (a branch's day); no dossier, no index.
  getPaymentReport: {
    dossiers: { access: 'read', actions: ['dynamodb:Query'], indexes: false, partitions: [ledgerPartitions] },
  },
};

export const consumerGrants: Partial<Record<ConsumerId, NarrowedUses>> = {
  // Append-only by IAM too: no DeleteItem, no BatchWriteItem (which can delete).
  'audit-log': { audit: auditAppend },
  // The dossier and the receipt in its collection, its own marks, the receipt counters and their voids; no delete.
  'receipt-issuer': {
    dossiers: {
      access: 'readwrite',
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      indexes: false,
      partitions: ['DOSSIER#*', 'CONSUMED#receipt-issuer#*', 'RECEIPT_COUNTER#*'],
    },
    catalogue: { access: 'read', actions: ['dynamodb:GetItem'], indexes: false, partitions: ['BRANCH'] },
  },
  // Reads the settled dossier by key, then puts its ledger entry and its consumed mark (one transaction): no update,
  // no delete, no index, no personal-store or upload partition.
  'payment-ledger': {
    dossiers: {
      access: 'readwrite',
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      indexes: false,
      partitions: ['DOSSIER#*', ledgerPartitions, 'CONSUMED#payment-ledger#*'],
    },
  },
  // Never reads a dossier: a stream batch's profiles and marks by key in one BatchGetItem, then per dossier the profile,
  // the counter adds and the marks in one transaction.
  statistics: {
    dossiers: {
      access: 'readwrite',
      actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      indexes: false,
      partitions: [statisticsPartitions, 'STATSPROFILE#*', 'CONSUMED#statistics#*'],
    },
  },
  // Reads no dossier: the event says it all; its own marks only.
  'supervisor-alerts': {
    dossiers: {
      access: 'readwrite',
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      indexes: false,
      partitions: ['CONSUMED#supervisor-alerts#*'],
    },
  },
  // Reads the forwarded task by key (DOSSIER#<code> / TASK#…), nothing else: no write, no index.
  'routing-forwarded': {
    dossiers: { access: 'read', actions: ['dynamodb:GetItem'], indexes: false, partitions: ['DOSSIER#*'] },
  },
  // Reads a stream batch's dossiers by key (contact, language, lookup key) and the marks of their messages, each in one
  // BatchGetItem, and writes the marks of those it sent in one BatchWriteItem (shared/notifications/notify-applicant.ts).
  notifications: {
    dossiers: {
      access: 'readwrite',
      actions: ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem'],
      indexes: false,
      partitions: ['DOSSIER#*', 'CONSUMED#notifications#*'],
    },
  },
};

/** The data-sharing export's key prefix in the exports bucket (shared/data/sharing.ts `FACTS_PREFIX`). */
export const factsPrefix = 'dossier-facts/';

/**
 * The daily data-sharing export (shared/data/sharing.ts `dossierFactsExport`): the branches by Query, and only its own
 * prefix of the exports bucket (never the Athena results beside it). The dossiers it reads through `dossierFactsIndex`
 * alone, a grant the table grants cannot express (they always include the table): infra/stacks/data-sharing-stack.ts
 * gives Query on that index's ARN and nothing else.
 */
export const dossierFactsExportGrants = {
  catalogue: { access: 'read', actions: ['dynamodb:Query'], indexes: false, partitions: ['BRANCH'] },
  exports: { prefixes: { [factsPrefix]: 'readwrite' } },
} as const satisfies NarrowedUses;

/** The one dossiers index the export reads: the branches' register books (received dossiers, by receipt time). */
export const dossierFactsIndex = 'byBranchReceipt';

/**
 * What the HTTP edge reads beyond the route's own uses, by the rule shared/http/middleware.ts `httpRoute` applies at
 * cold start: a partner route looks its caller up in the partner registry (catalogue table), and a partner or
 * provider route appends every refused call to the audit log.
 */
export function edgeGrants(route: Pick<RouteDefinition, 'auth'>): NarrowedUses {
  const partner = route.auth.kind === 'partner';
  const audited = partner || route.auth.kind === 'provider';
  return {
    ...(partner ? { catalogue: partnerRegistryLookup } : {}),
    ...(audited ? { audit: auditAppend } : {}),
  };
}

type Declared = Partial<Record<ResourceId, 'read' | 'readwrite'>>;

/**
 * The grant a function gets for each declared resource: the narrowing if there is one, else the declared access;
 * then what its edge needs (`edgeGrants`), added where it declares nothing of that resource. Stops synth when a
 * narrowing names a resource the declaration does not use, writes where it only reads, or leaves out what the edge
 * reads.
 */
export function grantsFor(
  owner: string,
  declared: Declared,
  narrowed: NarrowedUses | undefined,
  edge: NarrowedUses = {},
): (readonly [ResourceId, DataGrant])[] {
  for (const [id, grant] of Object.entries(narrowed ?? {}) as [ResourceId, DataGrant][]) {
    const access = declared[id];
    if (!access) throw new Error(`${owner}: narrows ${id}, which it does not declare in its uses`);
    if (access === 'read' && writes(grant)) {
      throw new Error(`${owner}: declares ${id} read, its narrowed grant writes`);
    }
  }
  const grants = (Object.entries(declared) as [ResourceId, 'read' | 'readwrite'][]).map(
    ([id, access]) => [id, narrowed?.[id] ?? access] as const,
  );
  for (const [id, need] of Object.entries(edge) as [ResourceId, DataGrant][]) {
    const own = grants.find(([granted]) => granted === id);
    if (!own) grants.push([id, need]);
    else if (!covers(own[1], need)) {
      throw new Error(
        `${owner}: its ${id} grant must also allow what its edge reads: ${JSON.stringify(need)}`,
      );
    }
  }
  return grants;
}

/** Whether a table grant allows every action, on every partition, that `need` asks for. */
function covers(grant: DataGrant, need: DataGrant): boolean {
  if (typeof need === 'string' || !('access' in need)) return grant === need;
  if (grant === 'readwrite') return true;
  if (typeof grant === 'string') {
    return (
      grant === 'read' &&
      (need.actions ?? tableActions[need.access]).every((a) => tableActions.read.includes(a))
    );
  }
  if (!('access' in grant)) return false;
  const allowed = grant.actions ?? tableActions[grant.access];
  const partitions = grant.partitions;
  return (
    (need.actions ?? tableActions[need.access]).every((action) => allowed.includes(action)) &&
    (partitions === undefined || (need.partitions ?? ['*']).every((p) => partitions.includes(p)))
  );
}

function writes(grant: DataGrant): boolean {
  if (grant === 'probe' || grant === 'read') return false;
  if (grant === 'readwrite') return true;
  if ('prefixes' in grant) return Object.values(grant.prefixes).includes('readwrite');
  return grant.access === 'readwrite';
}

/** Grants a function every resource it declares, narrowed where this file says so. */
export function applyGrants(
  fn: MotcuaFunction,
  stateful: StatefulStack,
  owner: string,
  declared: Declared,
  narrowed: NarrowedUses | undefined,
  edge: NarrowedUses = {},
): void {
  for (const [id, grant] of grantsFor(owner, declared, narrowed, edge)) {
    const resource = stateful.resource(id);
    if (resource.kind === 'table') fn.use(resource, grant as TableGrant);
    else fn.use(resource, grant as BucketGrant);
  }
}
