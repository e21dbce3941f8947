/**
 * The documents a store wrote last, by id, the least recently used dropped beyond `capacity`.
 * `take` removes what it returns, so a failed write leaves nothing behind that could be stale;
 * the writer `keep`s the document again once it knows it is the stored one.
 */
export function recentDocuments<T>(capacity: number) {
  const docs = new Map<string, T>();
  return {
    take(id: string): T | undefined {
      const doc = docs.get(id);
      docs.delete(id);
      return doc;
    },
    keep(id: string, doc: T): void {
      docs.delete(id);
      docs.set(id, doc);
      if (docs.size > capacity) docs.delete(docs.keys().next().value as string);
    },
    get size() { return docs.size; },
  };
}
