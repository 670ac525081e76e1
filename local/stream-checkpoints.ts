// Where each local consumer stopped in each shard, one small JSON file per consumer under the data folder, replaced
// atomically (write then rename) so a crash leaves the old checkpoint or the new one, never half of one.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ShardCheckpoint {
  /** The last record taken (handled, filtered out or dead-lettered); reading resumes after it. */
  after?: string;
  /** Closed and read to its end: its children may start. */
  finished?: boolean;
}

export interface ConsumerCheckpoint {
  /** Checkpoints hold only for this stream: a recreated table or re-enabled stream starts over. */
  streamArn: string;
  shards: Record<string, ShardCheckpoint>;
}

export interface CheckpointStore {
  load(consumer: string): Promise<ConsumerCheckpoint | undefined>;
  save(consumer: string, checkpoint: ConsumerCheckpoint): Promise<void>;
}

export const checkpointDir = (dataDir: string) => join(dataDir, 'stream-checkpoints');

export function fileCheckpoints(dir: string): CheckpointStore {
  const file = (consumer: string) => join(dir, `${consumer}.json`);
  return {
    async load(consumer) {
      try {
        return JSON.parse(await readFile(file(consumer), 'utf8')) as ConsumerCheckpoint;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async save(consumer, checkpoint) {
      const temporary = `${file(consumer)}.${process.pid}.tmp`;
      const body = JSON.stringify(checkpoint, null, 1);
      // The folder is made once, not before every save (ten consumers save after every batch).
      await writeFile(temporary, body).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
        await mkdir(dir, { recursive: true });
        await writeFile(temporary, body);
      });
      await rename(temporary, file(consumer));
    },
  };
}
