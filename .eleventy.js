// Thin entry: the real configuration is TypeScript, run directly by Node.js 24.
export { default } from "./src/eleventy.config.ts";
