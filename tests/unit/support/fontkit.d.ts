// The little of fontkit (pdfkit's font engine) the form-font tests read; it ships no types of its own.
declare module 'fontkit' {
  export interface Font {
    familyName: string;
    hasGlyphForCodePoint(codePoint: number): boolean;
  }
  export function create(buffer: Uint8Array): Font;
}
