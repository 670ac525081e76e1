// The DejaVu Sans bytes the forms embed: subsets carried brotli-compressed inside the bundle (shared/forms/font-data.ts,
// made by scripts/subset-form-fonts.mjs), decompressed once per process on the first render.
import { brotliDecompressSync } from 'node:zlib';
import { bold, regular } from './font-data';

export interface FontBytes {
  regular: Buffer;
  bold: Buffer;
}

let cached: FontBytes | undefined;

export function loadFonts(): FontBytes {
  cached ??= { regular: unpack(regular), bold: unpack(bold) };
  return cached;
}

function unpack(font: { bytes: number; brotli: string }): Buffer {
  const ttf = brotliDecompressSync(Buffer.from(font.brotli, 'base64'));
  // A truncated or mangled string must fail here, naming the cause, not as a broken glyph in some citizen's PDF.
  if (ttf.length !== font.bytes) throw new Error(`form font is ${ttf.length} bytes, expected ${font.bytes}`);
  return ttf;
}
