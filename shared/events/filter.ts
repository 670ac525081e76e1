// The stream filter, declared once: the cloud's event source mapping gets it as filter criteria, the local poller
// applies the same pattern to each record before a batch is formed.
import type { EventName } from '../domain/events';

/** The subset of Lambda's filter-pattern grammar we use: nested objects, leaves listing the accepted values. */
export type FilterPattern = { [key: string]: FilterPattern | readonly (string | number)[] };

/**
 * New event items only, of the consumer's names. Other items of the table (dossiers, history, counters, uploads,
 * personal documents, consumed marks) and any rewrite or removal of an event item never reach a consumer.
 */
export function eventFilterPattern(names: readonly EventName[]): FilterPattern {
  return {
    eventName: ['INSERT'],
    dynamodb: {
      NewImage: {
        entity: { S: ['event'] },
        event: { M: { name: { S: [...names] } } },
      },
    },
  };
}

/** Whether a stream record (in Lambda's JSON shape) matches, as Lambda's filtering decides for these patterns. */
export function matchesPattern(pattern: FilterPattern, value: unknown): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    const field =
      value !== null && typeof value === 'object' && Object.hasOwn(value, key)
        ? (value as Record<string, unknown>)[key]
        : undefined;
    if (Array.isArray(rule)) return rule.includes(field as string | number);
    return matchesPattern(rule as FilterPattern, field);
  });
}
