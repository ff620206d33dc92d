/** Vite's `?url` imports: the bundled file's address. */
declare module '*?url' {
  const url: string;
  export default url;
}
