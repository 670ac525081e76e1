// Stands in for the `brotli` package's decoder in function bundles (the alias in infra/bundling.ts): fontkit calls it
// only to open WOFF2 fonts, and the forms embed TrueType, so ~475 KB of decoder and dictionary would never run.
export default function decompress(): never {
  throw new Error('WOFF2 fonts are not supported by the form renderer: embed TrueType');
}
