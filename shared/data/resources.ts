// The stateful resources, declared once: the CDK stateful stack and the local bootstrap both read these.
export interface KeyAttribute {
  name: string;
  type: 'S' | 'N';
}
export interface IndexDefinition {
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  /**
   * What the index copies of each item: `keys` (KEYS_ONLY: the table's and the index's keys; readers fetch the items
   * by key), or ALL when omitted. Every write of an item rewrites its copy in each index it belongs to, and one whose
   * index key changed is deleted and put again: a copy of the whole item in every index is most of what a write costs.
   */
  projection?: 'keys';
}
export interface TableDefinition {
  /** Logical name: the construct id, the local table suffix and the key in `uses` declarations. */
  id: TableId;
  /** Environment variable through which functions learn the physical table name. */
  envVar: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  indexes: IndexDefinition[];
  ttlAttribute?: string;
  /** A change stream for consumers: domain events are items of the table (`entity = 'event'`). */
  stream?: 'NEW_IMAGE';
  description: string;
}
export interface BucketDefinition {
  id: BucketId;
  envVar: string;
  description: string;
  /** Browser uploads through presigned PUT need CORS on the bucket. */
  browserUploads: boolean;
  /**
   * Key prefixes whose objects expire after their days: files on their way into a dossier that no dossier or personal
   * store took up (personal data is kept only as long as it serves a dossier), or query results nobody keeps.
   */
  transientPrefixes?: { prefix: string; expireAfterDays: number; holds: string }[];
}

/** Where the documents bucket keeps a file at each step: presigned PUT, verified copy, filed in a dossier. */
export const documentKeys = {
  staging: (uploadId: string) => `uploads/${uploadId}`,
  verified: (uploadId: string) => `documents/${uploadId}`,
  filed: (uploadId: string) => `filed/${uploadId}`,
};

export type TableId = 'catalogue' | 'dossiers' | 'idempotency' | 'audit';
export type BucketId = 'documents' | 'exports';
export type ResourceId = TableId | BucketId;

const pk = { name: 'pk', type: 'S' } as const;
const sk = { name: 'sk', type: 'S' } as const;

export const tables: Record<TableId, TableDefinition> = {
  catalogue: {
    id: 'catalogue',
    envVar: 'TABLE_CATALOGUE',
    partitionKey: pk,
    sortKey: sk,
    indexes: [],
    description: 'Procedure versions, the current catalogue, agencies and branches (docs/access-patterns.md)',
  },
  dossiers: {
    id: 'dossiers',
    envVar: 'TABLE_DOSSIERS',
    partitionKey: pk,
    sortKey: sk,
    indexes: [
      // A citizen's dossiers and a branch's queue by status: keys only, the page's items fetched by key. The status
      // key changes with every transition, so a copy of the dossier here would be deleted and put again each time.
      {
        name: 'byApplicant',
        partitionKey: { name: 'gsi1pk', type: 'S' },
        sortKey: { name: 'gsi1sk', type: 'S' },
        projection: 'keys',
      },
      {
        name: 'byBranchStatus',
        partitionKey: { name: 'gsi2pk', type: 'S' },
        sortKey: { name: 'gsi2sk', type: 'S' },
        projection: 'keys',
      },
      {
        name: 'byDueDay',
        partitionKey: { name: 'gsi3pk', type: 'S' },
        sortKey: { name: 'gsi3sk', type: 'S' },
      },
      // Agencies' task queues: `AGENCY#<agency>#<status>` by due time (task items only).
      {
        name: 'byAgencyTask',
        partitionKey: { name: 'gsi4pk', type: 'S' },
        sortKey: { name: 'gsi4sk', type: 'S' },
      },
      // Form 07, the dossier register: `REGISTER#<unit>#<year>` by `<receivedAt>#<code>` (dossiers once received).
      {
        name: 'byBranchReceipt',
        partitionKey: { name: 'gsi5pk', type: 'S' },
        sortKey: { name: 'gsi5sk', type: 'S' },
      },
    ],
    // Upload records and consumers' idempotency marks carry `ttl`; dossiers, history, events and personal documents
    // never expire.
    ttlAttribute: 'ttl',
    stream: 'NEW_IMAGE',
    description:
      'Dossiers, their history and domain events, daily code counters, uploads and personal documents',
  },
  idempotency: {
    id: 'idempotency',
    envVar: 'TABLE_IDEMPOTENCY',
    partitionKey: pk,
    indexes: [],
    ttlAttribute: 'expiresAt',
    description: 'First answers of POSTs by Idempotency-Key, kept 24 h',
  },
  audit: {
    id: 'audit',
    envVar: 'TABLE_AUDIT',
    partitionKey: pk,
    sortKey: sk,
    indexes: [],
    description:
      'Append-only, hash-chained audit log of every domain event and every refused partner or provider call',
  },
};

export const buckets: Record<BucketId, BucketDefinition> = {
  documents: {
    id: 'documents',
    envVar: 'BUCKET_DOCUMENTS',
    description: 'Digitized documents, results and generated forms, beside their dossier',
    browserUploads: true,
    transientPrefixes: [
      { prefix: 'uploads/', expireAfterDays: 1, holds: 'presigned PUTs awaiting verification' },
      {
        prefix: 'documents/',
        expireAfterDays: 30,
        holds: 'verified files not (yet) filed; as long as upload records',
      },
    ],
  },
  // What leaves the platform for analysis: de-identified facts only (shared/domain/deidentify.ts), never a name, an ID,
  // an address, a phone number or a document. Written by the daily export (functions/sharing/export-day.ts), read
  // through Athena (infra/stacks/data-sharing-stack.ts).
  exports: {
    id: 'exports',
    envVar: 'BUCKET_EXPORTS',
    description:
      'De-identified daily dossier facts (dossier-facts/day=YYYY-MM-DD/, NDJSON gzip) and Athena results',
    browserUploads: false,
    transientPrefixes: [
      {
        prefix: 'athena-results/',
        expireAfterDays: 30,
        holds: 'Athena query results of the sharing workgroup',
      },
    ],
  },
};

export function isTable(id: ResourceId): id is TableId {
  return id in tables;
}
