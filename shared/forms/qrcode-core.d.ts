// The QR encoder alone: the package's entry also loads its PNG, SVG and terminal renderers (and pngjs), unused here.
declare module 'qrcode/lib/core/qrcode.js' {
  export { create } from 'qrcode';
}
