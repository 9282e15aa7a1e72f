// Eleventy ships JavaScript without declarations; this is the programmatic API scripts/ use.
declare module "@11ty/eleventy" {
  export default class Eleventy {
    constructor(input?: string, output?: string, options?: Record<string, unknown>, config?: unknown);
    write(): Promise<unknown>;
    watch(): Promise<void>;
    serve(port?: number): Promise<void>;
    close(): Promise<void>;
  }
}

declare module "@11ty/eleventy-img" {
  export default function Image(src: string, options?: Record<string, unknown>): Promise<unknown>;
  export function generateHTML(metadata: unknown, attributes?: Record<string, unknown>, options?: Record<string, unknown>): string;
}
