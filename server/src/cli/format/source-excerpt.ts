import type { Range } from '../../finding';
import { LineIndex } from '../../text/line-index';

/** The line a finding starts on, cut to a window around it so a minified line never floods a terminal. */
export interface SourceExcerpt {
  text: string;
  /** Column (0-based, UTF-16) in the source line where `text` begins; > 0 when the left was cut. */
  column: number;
  /** True when the line goes on past `text`. */
  cutRight: boolean;
}

const BEFORE = 60;
const WIDTH = 160;

export function excerptAt(lines: LineIndex, range: Range): SourceExcerpt {
  const lineStart = lines.offsetAt({ line: range.start.line, character: 0 });
  const nextLine = lines.offsetAt({ line: range.start.line + 1, character: 0 });
  const line = lines.text.slice(lineStart, nextLine).replace(/\r?\n$|\r$/, '');
  const column = line.length <= WIDTH ? 0 : Math.max(0, Math.min(range.start.character - BEFORE, line.length - WIDTH));
  const text = line.slice(column, column + WIDTH);
  return { text, column, cutRight: column + text.length < line.length };
}
