import type { Range } from '../finding';

/**
 * Line starts of a text, kept per file instead of a Range object per call site: summaries hold UTF-16
 * offsets, and LSP ranges are made only for the findings reported. Line breaks are counted as
 * text/line-index.ts counts them (\r\n, \n, \r), so positions agree with the rest of pglens.
 */
export function lineStartsOf(text: string): Uint32Array {
  const starts: number[] = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (ch === 10 /* \n */) {
      starts.push(i + 1);
    }
  }
  return Uint32Array.from(starts);
}

export function rangeAt(lineStarts: Uint32Array, start: number, end: number): Range {
  return { start: positionAt(lineStarts, start), end: positionAt(lineStarts, end) };
}

function positionAt(lineStarts: Uint32Array, offset: number): { line: number; character: number } {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low, character: offset - lineStarts[low] };
}
