import type { SqlRegion } from './region';

/** SQL inside TypeScript/JavaScript. (Being written: see the extractor issue.) */
export function extractFromTypeScript(_fileName: string, _text: string): SqlRegion[] {
  return [];
}
