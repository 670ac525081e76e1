// Loads the DejaVu Sans bytes the forms embed: from node_modules in the repo, from beside the bundle in a Lambda.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface FontBytes {
  regular: Buffer;
  bold: Buffer;
}

/** The Lambda bundle must ship these two files (in FORMS_FONT_DIR or `<bundle dir>/fonts`). */
export const FONT_FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;

let cached: FontBytes | undefined;

/** Reads the fonts on first use and keeps them for the life of the process (they are ~1 MB together). */
export function loadFonts(): FontBytes {
  cached ??= readFontsFrom(fontDirectories(process.env.FORMS_FONT_DIR));
  return cached;
}

/** An explicit directory wins alone, so a misconfigured bundle fails loudly instead of finding stray fonts. */
export function fontDirectories(envDir: string | undefined): string[] {
  if (envDir) return [envDir];
  return [packageFontDir(), bundleFontDir()].filter((dir): dir is string => dir !== undefined);
}

export function readFontsFrom(dirs: readonly string[]): FontBytes {
  for (const dir of dirs) {
    try {
      return {
        regular: readFileSync(join(dir, FONT_FILES.regular)),
        bold: readFileSync(join(dir, FONT_FILES.bold)),
      };
    } catch {
      // Try the next candidate; the error below names them all.
    }
  }
  throw new Error(
    `Form fonts ${FONT_FILES.regular} and ${FONT_FILES.bold} not found in [${dirs.join(', ')}]; ` +
      'set FORMS_FONT_DIR to the directory that holds them',
  );
}

function packageFontDir(): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${FONT_FILES.regular}`));
  } catch {
    // In a bundle there is no node_modules, and in a CJS bundle import.meta.url is empty.
    return undefined;
  }
}

function bundleFontDir(): string | undefined {
  // esbuild leaves import.meta.url empty in CJS output, where __dirname is the bundle's directory instead.
  const url = import.meta.url as string | undefined;
  if (url) return join(dirname(fileURLToPath(url)), 'fonts');
  if (typeof __dirname === 'string') return join(__dirname, 'fonts');
  return undefined;
}
