// cdk-nag helpers: acknowledgements whose finding id only exists once cross-stack references are resolved.
import { Stack, Validations } from 'aws-cdk-lib';
// cdk-nag names IAM5 findings with this flattening; reusing it keeps the acknowledged id exact.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges `AwsSolutions-IAM5[Resource::<resource>]` on `scope` for exactly this resource string.
 * The id embeds the resolved reference (a cross-stack reference renders as Fn::GetStackOutput only after
 * CDK prepares the app), so it is computed in a construct validation, which runs after references are
 * resolved and before the cdk-nag plugin reads acknowledgements.
 */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  if (!reason.trim()) throw new Error(`${scope.node.path}: an acknowledgement needs a reason`);
  scope.node.addValidation({
    validate: () => {
      const flat = flattenCfnReference(Stack.of(scope).resolve(resource));
      Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
      return [];
    },
  });
}
