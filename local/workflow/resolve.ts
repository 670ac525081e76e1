// Turns the DefinitionString CDK synthesizes (an `Fn::Join` of literal text, `Ref` and `Fn::GetAtt` parts) into
// runnable ASL, given what each logical id is called locally.
export type LocalResource = string | { ref?: string; attributes?: Record<string, string> };

export interface ResolveOptions {
  /** Logical id → its local name/ARN (what `Ref` gives), or `{ ref, attributes }` for `Fn::GetAtt`. */
  resources: Record<string, LocalResource>;
  region?: string;
  accountId?: string;
  partition?: string;
  /** The state machine's DefinitionSubstitutions (`${key}` in the definition). */
  substitutions?: Record<string, string>;
}

type Template = { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }> };

export class UnresolvedReferenceError extends Error {}

function pseudo(name: string, options: ResolveOptions): string | undefined {
  switch (name) {
    case 'AWS::Region':
      return options.region ?? 'ap-southeast-1';
    case 'AWS::AccountId':
      return options.accountId ?? '000000000000';
    case 'AWS::Partition':
      return options.partition ?? 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::NoValue':
      return '';
    default:
      return undefined;
  }
}

function ref(logicalId: string, options: ResolveOptions): string {
  const known = pseudo(logicalId, options);
  if (known !== undefined) return known;
  const resource = options.resources[logicalId];
  if (typeof resource === 'string') return resource;
  if (resource?.ref !== undefined) return resource.ref;
  throw new UnresolvedReferenceError(`No local value for Ref ${logicalId}`);
}

function getAtt(logicalId: string, attribute: string, options: ResolveOptions): string {
  const resource = options.resources[logicalId];
  const value = typeof resource === 'object' ? resource.attributes?.[attribute] : undefined;
  if (value !== undefined) return value;
  // A Lambda function's Arn is the usual GetAtt in a definition; a plain string entry is taken as that ARN.
  if (typeof resource === 'string' && attribute === 'Arn') return resource;
  throw new UnresolvedReferenceError(`No local value for Fn::GetAtt ${logicalId}.${attribute}`);
}

/** Evaluates the intrinsic functions CDK puts in a DefinitionString to a string. */
export function resolveIntrinsic(value: unknown, options: ResolveOptions): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const [fn, arg] = Object.entries(value)[0] ?? [];
    if (fn === 'Ref' && typeof arg === 'string') return ref(arg, options);
    if (fn === 'Fn::GetAtt') {
      const [id, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
      return getAtt(String(id), String(attribute), options);
    }
    if (fn === 'Fn::Join' && Array.isArray(arg) && Array.isArray(arg[1])) {
      return (arg[1] as unknown[]).map((part) => resolveIntrinsic(part, options)).join(String(arg[0]));
    }
    if (fn === 'Fn::Sub') {
      const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
      return String(text).replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
        const local = (vars as Record<string, unknown>)[name];
        if (local !== undefined) return resolveIntrinsic(local, options);
        const [id, attribute] = name.split('.');
        return attribute ? getAtt(id!, attribute, options) : ref(name, options);
      });
    }
    throw new UnresolvedReferenceError(`Unsupported intrinsic ${String(fn)} in the definition`);
  }
  throw new UnresolvedReferenceError(`Unexpected value in the definition: ${JSON.stringify(value)}`);
}

/** A synthesized DefinitionString (string or intrinsic) → the ASL text, checked to be JSON. */
export function resolveDefinitionString(definitionString: unknown, options: ResolveOptions): string {
  let text = resolveIntrinsic(definitionString, options);
  for (const [key, value] of Object.entries(options.substitutions ?? {}))
    text = text.replaceAll(`\${${key}}`, () => value);
  JSON.parse(text);
  return text;
}

/**
 * Finds the state machine in a synthesized template (the only one, or the one with `logicalId`) and resolves its
 * definition, with its DefinitionSubstitutions.
 */
export function definitionFromTemplate(
  template: Template,
  options: ResolveOptions & { logicalId?: string },
): string {
  const machines = Object.entries(template.Resources ?? {}).filter(
    ([id, r]) =>
      r.Type === 'AWS::StepFunctions::StateMachine' && (!options.logicalId || id === options.logicalId),
  );
  if (machines.length !== 1) {
    throw new UnresolvedReferenceError(
      `Expected one state machine in the template, found ${machines.length}`,
    );
  }
  const properties = machines[0]![1].Properties ?? {};
  const substitutions = Object.fromEntries(
    Object.entries((properties.DefinitionSubstitutions ?? {}) as Record<string, unknown>).map(([k, v]) => [
      k,
      resolveIntrinsic(v, options),
    ]),
  );
  return resolveDefinitionString(properties.DefinitionString, {
    ...options,
    substitutions: { ...substitutions, ...options.substitutions },
  });
}
