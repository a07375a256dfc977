/** @module Types for the part of `jsbarcode` the shell uses: its Code 128 encoder (the package types only its DOM API). */
declare module 'jsbarcode/bin/barcodes/CODE128/index.js' {
  const code128: unknown;
  export default code128;
}
