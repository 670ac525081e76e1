// Where the data-sharing export writes its objects: the exports bucket, one object per key, overwritten on a re-run.
export interface ExportStore {
  /** Writes (or replaces) the object at `key`; the store checks the bytes arrived whole. */
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
}
