// A copy of a zod schema in which every object, at any depth, refuses keys it does not declare.
import * as z from '../../../shared/schemas/zod';

type Def = z.core.$ZodTypeDef & Record<string, unknown>;

const cache = new WeakMap<z.ZodMiniType, z.ZodMiniType>();

/** The same kind of schema with some of its definition replaced; checks and refinements stay. */
function withDef(schema: z.ZodMiniType, changes: Record<string, unknown>): z.ZodMiniType {
  return schema.clone(z.core.util.mergeDefs(schema.def, changes) as typeof schema.def) as z.ZodMiniType;
}

/**
 * Objects that chose a catchall (`.loose()`, `.catchall(x)`) keep it: only the default, which silently strips
 * unknown keys, becomes `.strict()`. Kinds whose strictness cannot be decided locally are refused, so a check
 * is never quietly weaker than it claims.
 */
export function deepStrict<T extends z.ZodMiniType>(schema: T): T {
  const known = cache.get(schema);
  if (known) return known as T;
  const def = schema.def as Def;
  const inner = (key: string) => deepStrict(def[key] as z.ZodMiniType);
  let strict: z.ZodMiniType;
  switch (def.type) {
    case 'object': {
      const shape = Object.fromEntries(
        Object.entries((schema as unknown as z.ZodMiniObject).shape).map(([k, v]) => [
          k,
          deepStrict(v as z.ZodMiniType),
        ]),
      );
      const catchall = def.catchall as z.ZodMiniType | undefined;
      strict = withDef(schema, { shape, catchall: catchall ? deepStrict(catchall) : z.never() });
      break;
    }
    case 'array':
      strict = withDef(schema, { element: inner('element') });
      break;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
    case 'promise':
      strict = withDef(schema, { innerType: inner('innerType') });
      break;
    case 'union':
      strict = withDef(schema, { options: (def.options as z.ZodMiniType[]).map((o) => deepStrict(o)) });
      break;
    case 'record':
    case 'map':
      strict = withDef(schema, { keyType: inner('keyType'), valueType: inner('valueType') });
      break;
    case 'set':
      strict = withDef(schema, { valueType: inner('valueType') });
      break;
    case 'tuple':
      strict = withDef(schema, {
        items: (def.items as z.ZodMiniType[]).map((i) => deepStrict(i)),
        rest: def.rest ? inner('rest') : null,
      });
      break;
    case 'pipe':
      strict = withDef(schema, { in: inner('in'), out: inner('out') });
      break;
    case 'lazy': {
      const getter = def.getter as () => z.ZodMiniType;
      strict = z.lazy(() => deepStrict(getter()));
      break;
    }
    case 'intersection':
      // Each side of an intersection sees the other side's keys: strict sides would refuse every value.
      throw new Error('deepStrict cannot make an intersection strict; use one object (`.extend`) instead');
    default:
      // Leaves (strings, numbers, enums, literals, unknown, custom, transform…) hold no keys of their own.
      strict = schema;
  }
  cache.set(schema, strict);
  return strict as T;
}
