/** Types for `emvqr` (an independent EMVCo MPM decoder used in tests; it ships none). */
declare module 'emvqr' {
  interface EmvItem {
    id: string;
    name: string;
    len: number;
    data: string | Record<string, EmvItem>;
  }
  const emvqr: { decode(payload: string): Record<string, EmvItem> };
  export default emvqr;
}
