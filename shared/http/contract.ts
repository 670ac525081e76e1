// The published response contract, flattened from the OpenAPI document: every field path of every successful
// response (and of the error body) with its type and whether it is always present. Clients break when a field
// disappears, changes type or may suddenly be absent; they do not when a field is added.

type Json = Record<string, unknown>;

interface FieldContract {
  /** `string`, `integer`, `string(date-time)`, `null | string`, `any`… */
  type: string;
  required: boolean;
}

/**
 * Response key (`GET /v1/dossiers/{code} 200`) → field path (`$.deadline.computedAt`, `$.items[].code`,
 * `$.answers.*`) → its type, prefixed with `optional ` when it may be absent. One line a field, so a change to the
 * committed baseline reads as a change to the contract.
 */
export type ResponseContract = Record<string, Record<string, string>>;

const OPTIONAL = 'optional ';
const written = (field: FieldContract) => `${field.required ? '' : OPTIONAL}${field.type}`;
const read = (text: string): FieldContract =>
  text.startsWith(OPTIONAL)
    ? { type: text.slice(OPTIONAL.length), required: false }
    : { type: text, required: true };

export const ERROR_BODY_KEY = 'every error (4xx, 5xx)';

function resolve(schema: Json, document: Json, seen: ReadonlySet<string>): { node: Json; seen: Set<string> } {
  const next = new Set(seen);
  let node = schema;
  while (typeof node.$ref === 'string') {
    const ref = node.$ref;
    if (next.has(ref)) return { node: { type: `recursive ${ref}` }, seen: next };
    next.add(ref);
    const target = ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((at, key) => (at as Json | undefined)?.[key], document);
    if (!target) throw new Error(`unresolved $ref ${ref}`);
    node = target as Json;
  }
  return { node, seen: next };
}

const alternativesOf = (node: Json): Json[] | undefined =>
  (node.anyOf as Json[] | undefined) ?? (node.oneOf as Json[] | undefined);

function typeOf(node: Json, document: Json, seen: ReadonlySet<string>): string[] {
  const alternatives = alternativesOf(node);
  if (alternatives) {
    return alternatives.flatMap((alternative) => {
      const resolved = resolve(alternative, document, seen);
      return typeOf(resolved.node, document, resolved.seen);
    });
  }
  if (node.const !== undefined) return [node.const === null ? 'null' : typeof node.const];
  const types = node.type === undefined ? ['any'] : ([] as string[]).concat(node.type as string | string[]);
  return types.map((t) => (typeof node.format === 'string' && t === 'string' ? `string(${node.format})` : t));
}

function walk(
  schema: Json,
  path: string,
  required: boolean,
  document: Json,
  seen: ReadonlySet<string>,
  out: Record<string, string>,
): void {
  const { node, seen: inside } = resolve(schema, document, seen);
  out[path] = written({ type: [...new Set(typeOf(node, document, inside))].sort().join(' | '), required });
  // The fields of every object alternative; one is always present only if every alternative requires it.
  const objects = (alternativesOf(node)?.map((a) => resolve(a, document, inside).node) ?? [node]).filter(
    (n) => n.properties || n.items || (n.additionalProperties && typeof n.additionalProperties === 'object'),
  );
  const names = new Set(objects.flatMap((o) => Object.keys((o.properties as Json | undefined) ?? {})));
  for (const name of [...names].sort()) {
    const holder = objects.find((o) => (o.properties as Json | undefined)?.[name])!;
    const always = objects.every((o) => ((o.required as string[] | undefined) ?? []).includes(name));
    walk((holder.properties as Json)[name] as Json, `${path}.${name}`, always, document, inside, out);
  }
  for (const o of objects) {
    if (o.items && typeof o.items === 'object')
      walk(o.items as Json, `${path}[]`, true, document, inside, out);
    if (o.additionalProperties && typeof o.additionalProperties === 'object') {
      walk(o.additionalProperties as Json, `${path}.*`, false, document, inside, out);
    }
  }
}

/** The contract of every 2xx JSON response of the document, and of the error body all routes share. */
export function responseContract(document: Json): ResponseContract {
  const contract: ResponseContract = {};
  const paths = (document.paths ?? {}) as Record<string, Record<string, Json>>;
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const responses = (operation.responses ?? {}) as Record<string, Json>;
      for (const [status, response] of Object.entries(responses)) {
        const schema = (response.content as Record<string, Json> | undefined)?.['application/json']?.schema;
        if (!/^2\d\d$/.test(status) || !schema) continue;
        const fields: Record<string, string> = {};
        walk(schema as Json, '$', true, document, new Set(), fields);
        contract[`${method.toUpperCase()} ${path} ${status}`] = fields;
      }
    }
  }
  const schemas = (document.components as Json | undefined)?.schemas as Json | undefined;
  if (schemas?.Error) {
    const fields: Record<string, string> = {};
    walk({ $ref: '#/components/schemas/Error' }, '$', true, document, new Set(), fields);
    contract[ERROR_BODY_KEY] = fields;
  }
  return Object.fromEntries(Object.entries(contract).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Whether a client written for `was` still reads a value of `now`: every alternative of `now` was allowed. */
function typeStillReadable(was: string, now: string): boolean {
  const allowed = new Set(was.split(' | '));
  if (allowed.has('any')) return true;
  return now.split(' | ').every((t) => allowed.has(t) || (t === 'integer' && allowed.has('number')));
}

/** What a client of `baseline` would trip over in `current`, one line each; empty when compatible. */
export function contractBreaks(baseline: ResponseContract, current: ResponseContract): string[] {
  const breaks: string[] = [];
  for (const [response, fields] of Object.entries(baseline)) {
    const now = current[response];
    if (!now) {
      breaks.push(`${response}: the response is gone`);
      continue;
    }
    for (const [path, text] of Object.entries(fields)) {
      const was = read(text);
      const field = now[path] === undefined ? undefined : read(now[path]);
      if (!field) breaks.push(`${response}: ${path} was removed`);
      else if (!typeStillReadable(was.type, field.type))
        breaks.push(`${response}: ${path} changed type from ${was.type} to ${field.type}`);
      else if (was.required && !field.required)
        breaks.push(`${response}: ${path} was always present and is now optional`);
    }
  }
  return breaks;
}
