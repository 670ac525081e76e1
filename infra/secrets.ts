// The secrets of shared/data/secrets.ts as grantable resources: imported by name (operators create them and put
// their values; no stack owns one), once per stack.
import { Stack } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IConstruct } from 'constructs';
import { type SecretId, secrets } from '../shared/data/secrets';
import type { SecretResource } from './constructs/grants';
import { pascal } from './stacks/stateful-stack';

const imported = new WeakMap<Stack, Map<SecretId, SecretResource>>();

export function secretResource(scope: IConstruct, id: SecretId, envName: string): SecretResource {
  const stack = Stack.of(scope);
  let byId = imported.get(stack);
  if (!byId) {
    byId = new Map();
    imported.set(stack, byId);
  }
  let resource = byId.get(id);
  if (!resource) {
    const definition = secrets[id];
    resource = {
      kind: 'secret',
      id,
      envVar: definition.envVar,
      secret: Secret.fromSecretNameV2(stack, `Secret${pascal(id)}`, definition.name(envName)),
    };
    byId.set(id, resource);
  }
  return resource;
}
