import type { DocumentStore } from "@apollo/server";
import { visit, type DocumentNode } from "graphql";
import { LRUCache } from "lru-cache";
import { Gauge, type Registry } from "prom-client";

/**
 * Measured on Node 20 with graphql 16: a parsed node (with its `loc`) takes 250-300 bytes of heap,
 * about 3.5 times its JSON length, which is what Apollo's default cache counts. The document also
 * keeps its whole source text alive through `loc.source`.
 */
const HEAP_BYTES_PER_NODE = 300;

/** The heap a cached document keeps alive, estimated: its nodes plus its source text. */
export function estimateDocumentBytes(document: DocumentNode): number {
  let nodes = 0;
  visit(document, {
    enter() {
      nodes += 1;
    },
  });
  return nodes * HEAP_BYTES_PER_NODE + (document.loc?.source.body.length ?? 0);
}

export interface DocumentCache extends DocumentStore {
  /** Estimated bytes held now; never above `maxBytes`. */
  readonly bytes: number;
  readonly entries: number;
  readonly maxBytes: number;
}

/**
 * Apollo's `documentStore`: parsed and validated documents by query hash, bounded by the bytes
 * they hold (not their count), least recently used first out. A document larger than the whole
 * budget is simply not cached.
 */
export function createDocumentCache(options: { maxBytes: number }): DocumentCache {
  const { maxBytes } = options;
  const cache = new LRUCache<string, DocumentNode>({
    maxSize: maxBytes,
    sizeCalculation: (document) => Math.max(1, estimateDocumentBytes(document)),
  });
  return {
    maxBytes,
    get bytes() {
      return cache.calculatedSize;
    },
    get entries() {
      return cache.size;
    },
    get: async (key) => cache.get(key),
    set: async (key, value) => {
      cache.set(key, value);
    },
    delete: async (key) => cache.delete(key),
  };
}

/** `graphql_document_cache_bytes` / `graphql_document_cache_entries`, read at scrape time. */
export function documentCacheMetrics(registry: Registry, cache: DocumentCache): void {
  new Gauge({
    name: "graphql_document_cache_bytes",
    help: "Estimated heap bytes held by the cache of parsed GraphQL documents (bounded by DOCUMENT_CACHE_BYTES).",
    registers: [registry],
    collect() {
      this.set(cache.bytes);
    },
  });
  new Gauge({
    name: "graphql_document_cache_entries",
    help: "Parsed GraphQL documents in the cache.",
    registers: [registry],
    collect() {
      this.set(cache.entries);
    },
  });
}
