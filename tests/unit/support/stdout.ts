// Captures the JSON lines a piece of code writes to stdout (log entries and EMF metric documents).
import { vi } from 'vitest';

export async function linesOf(run: () => unknown): Promise<Record<string, unknown>[]> {
  const chunks: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    await run();
  } finally {
    write.mockRestore();
  }
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The EMF documents among the lines: `_aws.CloudWatchMetrics[0]` and the values beside it. */
export function metricDocuments(lines: Record<string, unknown>[]) {
  return lines
    .filter((line) => typeof line._aws === 'object')
    .map((line) => {
      const aws = line._aws as {
        CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
      };
      const [directive] = aws.CloudWatchMetrics;
      return { ...directive!, values: line };
    });
}
