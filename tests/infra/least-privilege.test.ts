import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { environmentNames, loadEnvironment } from '../../infra/config/environments';
import { probeActions } from '../../infra/constructs/grants';
import type { MotcuaFunction } from '../../infra/constructs/motcua-function';
import {
  documentPrefixes,
  edgeGrants,
  grantsFor,
  ledgerPartitions,
  partnerRegistryPartition,
  publicCataloguePartitions,
  statisticsPartitions,
} from '../../infra/least-privilege';
import { resourcePolicy, resourcePolicyLimit } from '../../infra/stacks/api-stack';
import { partnerRegistryKey } from '../../shared/adapters/dynamo/partner-registry';
import { ledgerPartition } from '../../shared/adapters/dynamo/payment-ledger';
import { personalDocumentKey } from '../../shared/adapters/dynamo/personal-document-store';
import { buckets, documentKeys, tables } from '../../shared/data/resources';
import { routeList, type routes } from '../../shared/http/routes';
import { formKey } from '../../shared/usecases/dossiers/forms';
import { type SynthedEnv, synthForBlock } from './support';

type Condition = Record<string, Record<string, string | string[]>>;
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: Condition };
const asArray = <T>(value: T | T[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Item-level DynamoDB actions: anything but the control-plane probe and the stream reads. */
const itemAction = (action: string) =>
  action.startsWith('dynamodb:') &&
  ![
    'dynamodb:DescribeTable',
    'dynamodb:DescribeStream',
    'dynamodb:GetRecords',
    'dynamodb:GetShardIterator',
  ].includes(action) &&
  action !== 'dynamodb:ListStreams';
const objectAction = (action: string) => action.startsWith('s3:') && /Object|Multipart/.test(action);
/** An IAM StringLike pattern as a regular expression (`*` any run, `?` one character). */
const likePattern = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
const leadingKeys = (statement: Statement) =>
  asArray(statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']);

// Personal data in the dossiers table: the citizen's store and uploads (their partitions, shared/adapters/dynamo).
const personalPartitionKeys = [personalDocumentKey('079123456789', 'doc-1').pk, 'UPLOAD#upload-1'];

describe.each(environmentNames)('least privilege in %s', (envName) => {
  let env: SynthedEnv;
  synthForBlock(envName, (synthed) => {
    env = synthed;
  });

  const everyFunction = (): [string, MotcuaFunction][] => [
    ...env.api.functions,
    ...env.events.functions,
    ...env.workflow.functions,
  ];
  function statementsOf(fn: MotcuaFunction): Statement[] {
    const stack = Stack.of(fn);
    const template = env.templateOf(fn).toJSON().Resources as Record<
      string,
      { Properties: Record<string, unknown> }
    >;
    const policies = [
      fn.node.tryFindChild('DataAccess'),
      fn.node.tryFindChild('AgencyWebhooks'),
      fn.role.node.tryFindChild('DefaultPolicy'),
    ].filter((p): p is IConstruct => p !== undefined);
    return policies.flatMap((policy) => {
      const id = stack.getLogicalId((policy.node.defaultChild ?? policy) as never);
      const document = template[id]?.Properties.PolicyDocument as { Statement: Statement[] } | undefined;
      if (!document) throw new Error(`${fn.node.path}: no policy ${id} in its template`);
      return document.Statement;
    });
  }
  const route = (id: keyof typeof routes) => env.api.functions.get(id) as MotcuaFunction;
  const arnIn = (fn: MotcuaFunction, token: string) => JSON.stringify(Stack.of(fn).resolve(token));
  const onResource = (statement: Statement, arn: string) =>
    asArray(statement.Resource).some((r) => JSON.stringify(r).includes(arn.slice(1, -1)));

  const secretReads = (fn: MotcuaFunction) =>
    statementsOf(fn).filter((s) => asArray(s.Action).includes('secretsmanager:GetSecretValue'));
  const agencyWebhookSecrets = `secret:motcua/${envName}/agency-webhooks/*`;
  const environmentOf = (fn: MotcuaFunction) => {
    const id = Stack.of(fn).getLogicalId(fn.function.node.defaultChild as never);
    const resource = (
      env.templateOf(fn).toJSON().Resources as Record<string, { Properties: Record<string, unknown> }>
    )[id];
    return ((resource?.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)
      ?.Variables ?? {}) as Record<string, unknown>;
  };

  it('lets only the notifying functions read the agencies’ webhook secrets, by this environment’s prefix', () => {
    const readers = everyFunction()
      .filter(([, fn]) => JSON.stringify(secretReads(fn)).includes(agencyWebhookSecrets))
      .map(([id]) => id)
      .sort();
    expect(readers).toEqual(['routing-assign', 'routing-forwarded']);
    for (const [id, fn] of everyFunction()) {
      const prefix = environmentOf(fn).AGENCY_WEBHOOKS_SECRET_PREFIX;
      if (readers.includes(id)) {
        expect(prefix, id).toBe(`motcua/${envName}/agency-webhooks/`);
        const statements = secretReads(fn).filter((s) => JSON.stringify(s).includes('agency-webhooks'));
        // Read only: the one action, on the prefix's secrets alone.
        expect(statements, id).toHaveLength(1);
        expect(asArray(statements[0]?.Action), id).toEqual(['secretsmanager:GetSecretValue']);
        expect(asArray(statements[0]?.Resource), id).toHaveLength(1);
        expect(JSON.stringify(statements[0]?.Resource), id).toMatch(
          /:secret:motcua\/[a-z]+\/agency-webhooks\/\*"/,
        );
      } else {
        expect(prefix, id).toBeUndefined();
      }
    }
  });

  it('lets only the notifying functions send to the agency webhooks’ dead-letter queue, and nothing more on it', () => {
    const queueName = `motcua-${envName}-agency-webhooks-dead-letters`;
    const onQueue = (fn: MotcuaFunction) =>
      statementsOf(fn).filter((s) => JSON.stringify(s.Resource ?? '').includes(queueName));
    const senders = everyFunction()
      .filter(([, fn]) => onQueue(fn).length > 0)
      .map(([id]) => id)
      .sort();
    expect(senders).toEqual(['routing-assign', 'routing-forwarded']);
    for (const [id, fn] of everyFunction()) {
      const url = environmentOf(fn).AGENCY_WEBHOOK_DEAD_LETTERS_URL;
      if (!senders.includes(id)) {
        expect(url, id).toBeUndefined();
        continue;
      }
      // Send only, on that queue alone: reading and deleting the letters is on-call's.
      const statements = onQueue(fn);
      expect(statements, id).toHaveLength(1);
      expect(asArray(statements[0]?.Action), id).toEqual(['sqs:SendMessage']);
      expect(asArray(statements[0]?.Resource), id).toHaveLength(1);
      expect(JSON.stringify(statements[0]?.Resource), id).toMatch(new RegExp(`:${queueName}"`));
      expect(JSON.stringify(url), id).toContain(`/${queueName}`);
    }
    // The queue is the workflow stack's, addressed by name elsewhere: no queue policy opens it to anyone else.
    const workflow = env.templateOf(env.workflow.agencyWebhookDeadLetters);
    const queues = Object.values(workflow.findResources('AWS::SQS::Queue')).filter(
      (q) => q.Properties.QueueName === queueName,
    );
    expect(queues).toHaveLength(1);
    expect(queues[0]?.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
    for (const template of env.allTemplates().values()) {
      for (const policy of Object.values(template.findResources('AWS::SQS::QueuePolicy'))) {
        const allows = (policy.Properties.PolicyDocument.Statement as Statement[]).filter(
          (s) => s.Effect === 'Allow',
        );
        expect(JSON.stringify(allows)).not.toContain(queueName);
      }
    }
  });

  it('lets only the payment functions read the payment secret, by its name in this environment', () => {
    const readers = everyFunction()
      .filter(([, fn]) => secretReads(fn).some((s) => !JSON.stringify(s).includes(agencyWebhookSecrets)))
      .map(([id]) => id)
      .sort();
    expect(readers).toEqual([
      'createPayment',
      'payment-reconcile',
      'refundDossier',
      'vnpayCallback',
      'vnpayReturn',
    ]);
    for (const [id, fn] of everyFunction().filter(([name]) => readers.includes(name))) {
      const secretStatements = secretReads(fn);
      expect(JSON.stringify(secretStatements), id).toContain(`secret:motcua/${envName}/payment/vnpay-`);
    }
  });

  it('grants no function Scan, nor any action wildcard, in any stack', () => {
    for (const [path, template] of env.allTemplates()) {
      for (const [id, policy] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
        for (const statement of policy.Properties.PolicyDocument.Statement as Statement[]) {
          for (const action of asArray(statement.Action)) {
            expect(action, `${path}/${id}`).not.toBe('dynamodb:Scan');
            expect(action, `${path}/${id}`).not.toMatch(/^(\*|[a-z0-9-]+:\*)$/);
          }
        }
      }
    }
  });

  describe('public functions', () => {
    const publicRoutes = routeList.filter((r) => r.auth.kind === 'public');

    it('exist, so the checks below check something', () => {
      expect(publicRoutes.map((r) => r.id)).toEqual(
        expect.arrayContaining(['getHealth', 'trackDossier', 'verifyReceipt']),
      );
    });

    it.each(publicRoutes.map((r) => [r.id] as const))('%s cannot read or write any document object', (id) => {
      const fn = env.api.functions.get(id) as MotcuaFunction;
      const statements = statementsOf(fn);
      expect(statements.flatMap((s) => asArray(s.Action)).filter(objectAction), id).toEqual([]);
      expect(
        statements.flatMap((s) => asArray(s.Action)),
        id,
      ).not.toContain('s3:ListBucket');
    });

    it.each(publicRoutes.map((r) => [r.id] as const))(
      '%s reads items only under partition keys that hold no personal store or upload, through no index',
      (id) => {
        const fn = env.api.functions.get(id) as MotcuaFunction;
        for (const statement of statementsOf(fn).filter((s) => asArray(s.Action).some(itemAction))) {
          const keys = leadingKeys(statement);
          // Every item grant of a public function is bound to partitions…
          expect(keys.length, `${id}: ${JSON.stringify(statement)}`).toBeGreaterThan(0);
          for (const key of personalPartitionKeys) {
            // …none of which is a citizen's store or an upload.
            expect(
              keys.filter((pattern) => likePattern(pattern).test(key)),
              `${id} → ${key}`,
            ).toEqual([]);
          }
          expect(JSON.stringify(statement.Resource), id).not.toContain('/index/');
          // Nothing but the dossiers and catalogue tables: the idempotency records and the audit log hold answers
          // and identities.
          for (const table of ['idempotency', 'audit'] as const) {
            expect(
              onResource(statement, arnIn(fn, env.stateful.tables[table].table.tableArn)),
              `${id} → ${table}`,
            ).toBe(false);
          }
        }
      },
    );
  });

  it('gives health only the probes: DescribeTable on every table, GetBucketLocation on every bucket', () => {
    const fn = route('getHealth');
    const statements = statementsOf(fn).filter((s) => !asArray(s.Action).some((a) => a.startsWith('xray:')));
    expect(new Set(statements.flatMap((s) => asArray(s.Action)))).toEqual(
      new Set([...probeActions.table, ...probeActions.bucket, 'logs:CreateLogStream', 'logs:PutLogEvents']),
    );
    const probed = (action: string) =>
      statements.filter((s) => asArray(s.Action).includes(action)).flatMap((s) => asArray(s.Resource));
    expect(
      probed('dynamodb:DescribeTable')
        .map((r) => JSON.stringify(r))
        .sort(),
    ).toEqual(
      Object.values(tables)
        .map((t) => arnIn(fn, env.stateful.tables[t.id].table.tableArn))
        .sort(),
    );
    expect(probed('s3:GetBucketLocation').map((r) => JSON.stringify(r))).toEqual(
      Object.values(buckets).map((b) => arnIn(fn, env.stateful.buckets[b.id].bucket.bucketArn)),
    );
    // No key either: a probe decrypts nothing.
    expect(statements.flatMap((s) => asArray(s.Action)).filter((a) => a.startsWith('kms:'))).toEqual([]);
  });

  it.each(['trackDossier', 'verifyReceipt'] as const)(
    'gives %s one GetItem on the dossiers table, bound to DOSSIER#* partitions',
    (id) => {
      const fn = route(id);
      const dynamo = statementsOf(fn).filter((s) => asArray(s.Action).some((a) => a.startsWith('dynamodb:')));
      expect(dynamo).toEqual([
        {
          Effect: 'Allow',
          Action: 'dynamodb:GetItem',
          Resource: JSON.parse(arnIn(fn, env.stateful.tables.dossiers.table.tableArn)),
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['DOSSIER#*'] } },
        },
      ]);
    },
  );

  it('gives the payment report one Query on the dossiers table, bound to the LEDGER#* partitions', () => {
    const fn = route('getPaymentReport');
    const dynamo = statementsOf(fn).filter((s) => asArray(s.Action).some((a) => a.startsWith('dynamodb:')));
    expect(dynamo).toEqual([
      {
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: JSON.parse(arnIn(fn, env.stateful.tables.dossiers.table.tableArn)),
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [ledgerPartitions] } },
      },
    ]);
    expect(likePattern(ledgerPartitions).test(ledgerPartition('000.02.01.H26', '2026-12-03'))).toBe(true);
  });

  it('lets the payment ledger consumer only get and put, on dossiers, ledger days and its own marks', () => {
    const fn = env.events.functions.get('payment-ledger') as MotcuaFunction;
    const items = statementsOf(fn).filter((s) => asArray(s.Action).some(itemAction));
    expect(items.map((s) => [asArray(s.Action).sort(), leadingKeys(s)])).toEqual([
      [
        ['dynamodb:GetItem', 'dynamodb:PutItem'],
        ['DOSSIER#*', ledgerPartitions, 'CONSUMED#payment-ledger#*'],
      ],
    ]);
    for (const key of personalPartitionKeys) {
      expect(
        leadingKeys(items[0]!).some((pattern) => likePattern(pattern).test(key)),
        key,
      ).toBe(false);
    }
  });

  it('lets the notifications consumer read dossiers and marks by key and batch-write its own marks, nothing more', () => {
    const fn = env.events.functions.get('notifications') as MotcuaFunction;
    const items = statementsOf(fn).filter((s) => asArray(s.Action).some(itemAction));
    expect(items.map((s) => [asArray(s.Action).sort(), leadingKeys(s)])).toEqual([
      [
        ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem'],
        ['DOSSIER#*', 'CONSUMED#notifications#*'],
      ],
    ]);
  });

  it('lets the statistics consumer read and write only counters, profiles and its own marks, by key', () => {
    const fn = env.events.functions.get('statistics') as MotcuaFunction;
    const items = statementsOf(fn).filter((s) => asArray(s.Action).some(itemAction));
    expect(items.map((s) => [asArray(s.Action).sort(), leadingKeys(s)])).toEqual([
      [
        ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        [statisticsPartitions, 'STATSPROFILE#*', 'CONSUMED#statistics#*'],
      ],
    ]);
  });

  it('lets the forward-notice consumer only read tasks by key: GetItem on DOSSIER#*, no write, no index', () => {
    const fn = env.events.functions.get('routing-forwarded') as MotcuaFunction;
    const items = statementsOf(fn).filter((s) => asArray(s.Action).some(itemAction));
    expect(items.map((s) => [asArray(s.Action), leadingKeys(s)])).toEqual([
      [['dynamodb:GetItem'], ['DOSSIER#*']],
    ]);
    expect(items[0]!.Resource).toEqual(JSON.parse(arnIn(fn, env.stateful.tables.dossiers.table.tableArn)));
  });

  it('scopes every document grant of every function to a key prefix: resources end in <prefix>/*', () => {
    const prefixes = Object.values(documentPrefixes);
    let seen = 0;
    for (const [id, fn] of everyFunction()) {
      const bucketArn = arnIn(fn, env.stateful.buckets.documents.bucket.bucketArn);
      for (const statement of statementsOf(fn).filter((s) => asArray(s.Action).some(objectAction))) {
        for (const resource of asArray(statement.Resource)) {
          const join = resource as { 'Fn::Join'?: [string, unknown[]] };
          const [base, suffix] = join['Fn::Join']?.[1] ?? [];
          expect(JSON.stringify(base), id).toBe(bucketArn);
          const prefix = prefixes.find((p) => suffix === `/${p}*`);
          expect(prefix, `${id}: ${String(suffix)}`).toBeDefined();
          seen += 1;
        }
      }
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('lets each partner function read its registry entry (GetItem on PARTNER#*) and append refusals', () => {
    const partnerRoutes = routeList.filter((r) => r.auth.kind === 'partner');
    expect(partnerRoutes.length).toBeGreaterThan(0);
    for (const partner of partnerRoutes) {
      const fn = env.api.functions.get(partner.id) as MotcuaFunction;
      const catalogueArn = arnIn(fn, env.stateful.tables.catalogue.table.tableArn);
      const onCatalogue = statementsOf(fn).filter(
        (s) => asArray(s.Action).includes('dynamodb:GetItem') && onResource(s, catalogueArn),
      );
      expect(onCatalogue, partner.id).toHaveLength(1);
      expect(leadingKeys(onCatalogue[0] as Statement), partner.id).toContain(partnerRegistryPartition);
      expect(likePattern(partnerRegistryPartition).test(partnerRegistryKey('arn:aws:iam::1:role/x').pk)).toBe(
        true,
      );
      const auditArn = arnIn(fn, env.stateful.tables.audit.table.tableArn);
      const onAudit = statementsOf(fn)
        .filter((s) => onResource(s, auditArn))
        .flatMap((s) => asArray(s.Action));
      expect(onAudit, partner.id).toContain('dynamodb:PutItem');
      expect(onAudit, partner.id).not.toContain('dynamodb:DeleteItem');
    }
  });
});

describe('document prefixes', () => {
  it('match the key builders of shared/data/resources.ts and shared/usecases/dossiers/forms.ts', () => {
    expect(documentKeys.staging('u1').startsWith(documentPrefixes.staging)).toBe(true);
    expect(documentKeys.verified('u1').startsWith(documentPrefixes.verified)).toBe(true);
    expect(documentKeys.filed('u1').startsWith(documentPrefixes.filed)).toBe(true);
    expect(formKey('000.00.01.H26-261127-0042', '01', 3).startsWith(documentPrefixes.forms)).toBe(true);
  });

  it('cover every expiring prefix of the bucket, and none nests in another', () => {
    const prefixes = Object.values(documentPrefixes);
    for (const transient of buckets.documents.transientPrefixes ?? [])
      expect(prefixes).toContain(transient.prefix);
    for (const a of prefixes)
      for (const b of prefixes) if (a !== b) expect(a.startsWith(b), `${a} in ${b}`).toBe(false);
  });
});

describe('narrowed grants', () => {
  it('refuse a narrowing of a resource the route does not declare', () => {
    expect(() => grantsFor('Route x', { catalogue: 'read' }, { dossiers: 'probe' })).toThrow(
      'Route x: narrows dossiers, which it does not declare in its uses',
    );
  });

  it('refuse a narrowing that writes what the route only reads', () => {
    expect(() => grantsFor('Route x', { catalogue: 'read' }, { catalogue: { access: 'readwrite' } })).toThrow(
      'Route x: declares catalogue read, its narrowed grant writes',
    );
  });

  it('add the registry and audit grants to a partner route, and refuse a narrowing that would leave them out', () => {
    const edge = edgeGrants({ auth: { kind: 'partner' } });
    const granted = new Map(grantsFor('Route p', {}, undefined, edge));
    expect([...granted.keys()].sort()).toEqual(['audit', 'catalogue']);
    expect(() =>
      grantsFor(
        'Route p',
        { catalogue: 'read' },
        { catalogue: { access: 'read', partitions: [...publicCataloguePartitions] } },
        edge,
      ),
    ).toThrow(/Route p: its catalogue grant must also allow what its edge reads/);
    expect(grantsFor('Route p', { catalogue: 'read' }, undefined, edge)).toContainEqual([
      'catalogue',
      'read',
    ]);
  });

  it('give public and signed-in routes no edge grant', () => {
    expect(edgeGrants({ auth: { kind: 'public' } })).toEqual({});
    expect(edgeGrants({ auth: { kind: 'citizen' } })).toEqual({});
    expect(Object.keys(edgeGrants({ auth: { kind: 'provider' } }))).toEqual(['audit']);
  });
});

describe('the partner resource policy', () => {
  const accounts = (n: number) => Array.from({ length: n }, (_, i) => String(100_000_000_000 + i));

  it('names accounts, not principals, so hundreds of agencies in a few accounts cost nothing', () => {
    const policy = JSON.stringify(resourcePolicy(routeList, loadEnvironment('prod')).toJSON());
    expect(policy).not.toMatch(/:(role|user)\//);
    for (const account of loadEnvironment('prod').partnerAccounts) expect(policy).toContain(account);
  });

  it('fits API Gateway’s limit with 100 partner accounts, and names the limit when it would not', () => {
    const size = (n: number) =>
      JSON.stringify(
        resourcePolicy(routeList, loadEnvironment('prod', { partnerAccounts: accounts(n) })).toJSON(),
      ).length;
    expect(size(100)).toBeLessThanOrEqual(resourcePolicyLimit);
    expect(() =>
      resourcePolicy(routeList, loadEnvironment('prod', { partnerAccounts: accounts(400) })),
    ).toThrow(/the API resource policy is \d+ characters, over API Gateway's 8192/);
  });
});
