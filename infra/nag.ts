// cdk-nag: the packs every synth runs, and helpers for acknowledgements that one call cannot express.
import { Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, type NagPack, NIST80053R5Checks, ServerlessChecks } from 'cdk-nag';
// cdk-nag names IAM5 findings with this flattening; reusing it keeps the acknowledged id exact.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { IConstruct } from 'constructs';

/** The packs, by the prefix of their rule ids: AWS Solutions, NIST 800-53 rev 5, Serverless. */
export const nagPackNames = ['AwsSolutions', 'NIST.800.53.R5', 'Serverless'] as const;

/** One instance of each pack for `scope` (a pack keeps its findings, so each synth gets its own). */
export function nagPacks(scope: IConstruct): NagPack[] {
  return [new AwsSolutionsChecks(scope), new NIST80053R5Checks(scope), new ServerlessChecks(scope)];
}

/** Runs every pack on `scope` after synth; one line per unacknowledged finding. */
export function nagFindings(scope: IConstruct): string[] {
  return nagPacks(scope).flatMap((pack) =>
    pack
      .validateScope(scope)
      .violations.flatMap((violation) =>
        violation.violatingResources.map(
          (resource) => `${violation.ruleName} at ${resource.constructPath}: ${violation.description}`,
        ),
      ),
  );
}

/** Acknowledges several rules on `scope` (and what it contains) for one reason. */
export function acknowledgeRules(scope: IConstruct, ids: readonly string[], reason: string): void {
  if (!reason.trim()) throw new Error(`${scope.node.path}: an acknowledgement needs a reason`);
  for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
}

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
