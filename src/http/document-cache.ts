import { type DocumentNode, type Token, TokenKind } from 'graphql';
import { LRUCache } from 'lru-cache';

/**
 * Yoga's parse and validation caches, bounded in bytes as well as in entries (API.md, Resources and
 * hosts). Yoga's default keeps 1,024 documents whatever their size, and a document within the limits can
 * hold megabytes: the parser keeps one object per token *and per comment* (comments are not counted by
 * GRAPHQL_MAX_TOKENS), so a 100 kB body of `#` lines is about 4 MB of heap. Validation results are kept
 * by Yoga in a WeakMap keyed by the cached document, so they live and die with these entries.
 */
export function boundedParserAndValidationCache() {
  return {
    documentCache: new LRUCache<string, DocumentNode>({
      max: 1_000,
      maxSize: DOCUMENT_CACHE_BYTES,
      sizeCalculation: (document, source) => sourceBytes(source) + tokenBytes(document),
    }),
    errorCache: new LRUCache<string, object>({
      max: 1_000,
      maxSize: ERROR_CACHE_BYTES,
      // A syntax error holds the source it points into and little else.
      sizeCalculation: (_error, source) => sourceBytes(source) + 1_024,
    }),
  };
}

/** The heap all cached documents may hold together; a larger one is parsed each time instead of kept. */
const DOCUMENT_CACHE_BYTES = 16 * 1024 * 1024;
const ERROR_CACHE_BYTES = 4 * 1024 * 1024;

/**
 * What a parsed token costs on the heap, measured with graphql 16 (heap after GC, per token): a comment
 * is a bare Token (about 90 bytes); any other token also brings AST nodes with their Location objects
 * (about 500 bytes for `id id id …`), plus room for the validation errors Yoga caches beside the document.
 */
const COMMENT_BYTES = 100;
const TOKEN_BYTES = 600;

// The source string twice: it may be stored as two-byte characters, and the document refers to it too.
const sourceBytes = (source: string) => 2 * source.length;

function tokenBytes(document: DocumentNode): number {
  let bytes = 0;
  // Every token of the document is linked from the first one (the parser keeps the chain for locations).
  for (let token: Token | null | undefined = document.loc?.startToken; token; token = token.next) {
    bytes += token.kind === TokenKind.COMMENT ? COMMENT_BYTES : TOKEN_BYTES;
  }
  return bytes;
}
