// The append-only JSONL journals the local services keep (agency inbox, payment sandbox), read back at start.
import { readFile } from 'node:fs/promises';

/** Every whole line of the journal, oldest first; none when it does not exist yet. */
export async function readJournal<T>(file: string): Promise<T[]> {
  const content = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  // A line cut short by a crash mid-append is skipped, not fatal.
  return content.split('\n').flatMap((line) => {
    if (!line.trim()) return [];
    try {
      return [JSON.parse(line) as T];
    } catch {
      return [];
    }
  });
}
