/**
 * Results that npm start's rebuilds reuse while their key (the source they were made from) is
 * unchanged. What a build did not ask for is forgotten at its end, so edited versions do not pile up.
 */
export class BuildMemo<V> {
  #previous = new Map<string, V>();
  #current = new Map<string, V>();

  get(key: string, make: () => V): V {
    const value = this.#current.get(key) ?? this.#previous.get(key) ?? make();
    this.#current.set(key, value);
    return value;
  }

  endBuild(): void {
    this.#previous = this.#current;
    this.#current = new Map();
  }
}
