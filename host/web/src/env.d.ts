/** @module Types for what esbuild bundles besides TypeScript: stylesheets and files. */
declare module '*.css';
declare module '*.svg' {
  const url: string;
  export default url;
}
