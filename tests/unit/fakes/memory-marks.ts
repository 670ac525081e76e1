// In-memory fake of the consumed-event marks, with the DynamoDB adapter's rules: `record` writes a mark at most once
// (false when it exists), `recordAll` writes unconditionally (the same mark again is the same mark).
import type { ConsumedEvents, ConsumedMark } from '../../../shared/ports/consumed-events';

export function memoryMarks(): ConsumedEvents & {
  marks: ConsumedMark[];
  keys(): string[];
  writes(): number;
} {
  const marks: ConsumedMark[] = [];
  const key = (consumer: string, eventId: string) => `${consumer}#${eventId}`;
  const keys = new Set<string>();
  let writes = 0;
  const put = (mark: ConsumedMark) => {
    if (keys.has(key(mark.consumer, mark.eventId))) return false;
    keys.add(key(mark.consumer, mark.eventId));
    marks.push(mark);
    return true;
  };
  return {
    marks,
    keys: () => [...keys],
    writes: () => writes,
    has: async (consumer, eventId) => keys.has(key(consumer, eventId)),
    taken: async (consumer, eventIds) => new Set(eventIds.filter((id) => keys.has(key(consumer, id)))),
    async record(mark) {
      writes += 1;
      return put(mark);
    },
    async recordAll(list) {
      writes += 1;
      for (const mark of list) put(mark);
    },
  };
}
