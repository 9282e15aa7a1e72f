/**
 * The part of Eleventy 3's configuration API this project uses. Eleventy ships JavaScript with
 * JSDoc only, so these types keep our config strictly checked.
 */
export interface CollectionItem {
  inputPath: string;
  url: string;
  data: Record<string, unknown> & { page?: { rawInput?: unknown } };
  rawInput?: unknown;
}

export interface CollectionApi {
  getAll(): CollectionItem[];
}

/** `this` of an `addExtension` entry's isIncrementalMatch (Eleventy 3 TemplateContent). */
export interface IncrementalMatchContext {
  inputPath: string;
  isFullTemplate: boolean;
  isFileRelevantToInputPath: boolean;
  doesFileHaveDependencies: boolean;
}

export interface EleventyConfig {
  setInputDirectory(dir: string): void;
  setIncludesDirectory(dir: string): void;
  setDataDirectory(dir: string): void;
  setTemplateFormats(formats: string[]): void;
  setNunjucksEnvironmentOptions(options: Record<string, unknown>): void;
  setQuietMode(quiet: boolean): void;
  setChokidarConfig(options: Record<string, unknown>): void;
  setLibrary(name: string, library: unknown): void;
  addGlobalData(name: string, value: unknown): void;
  addWatchTarget(target: string, options?: { resetConfig?: boolean }): void;
  addFilter(name: string, fn: (...args: never[]) => unknown): void;
  addPreprocessor(name: string, extensions: string, fn: (data: Record<string, unknown>, content: string) => unknown): void;
  addCollection(name: string, fn: (api: CollectionApi) => unknown): void;
  addTemplate(virtualPath: string, content: string, data: Record<string, unknown>): void;
  addTransform(name: string, fn: (this: { page: { url: string | false; outputPath: string | false } }, content: string) => unknown): void;
  addPassthroughCopy(spec: string | Record<string, string>): void;
  addPlugin(plugin: (config: never, options?: never) => unknown, options?: Record<string, unknown>): void;
  addExtension(extension: string, options: { isIncrementalMatch?: (this: IncrementalMatchContext, changedFile: string) => boolean }): void;
  on(event: string, fn: (arg: never) => unknown): void;
}
