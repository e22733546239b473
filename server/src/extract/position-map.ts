/**
 * Maps offsets in extracted SQL back to offsets in the document it came from.
 *
 * Extracted SQL is built from pieces: verbatim runs of document text (mapped character for character)
 * and substituted pieces (a `$1` placeholder standing for `${expr}`, a cooked escape such as `\n`)
 * that map as a whole onto their document span. All offsets are UTF-16 code units.
 */
interface Piece {
  sqlStart: number;
  sqlEnd: number;
  docStart: number;
  docEnd: number;
  verbatim: boolean;
}

export class PositionMap {
  constructor(private readonly pieces: readonly Piece[]) {}

  /** The identity map for SQL that is the document text starting at `docOffset`. */
  static identity(length: number, docOffset = 0): PositionMap {
    return new PositionMap([
      { sqlStart: 0, sqlEnd: length, docStart: docOffset, docEnd: docOffset + length, verbatim: true },
    ]);
  }

  /**
   * Document offset for an SQL offset. `bias` decides boundaries and substituted pieces: a range's
   * start maps to the start of a substituted piece, its end to the piece's end.
   */
  toDocument(sqlOffset: number, bias: 'start' | 'end' = 'start'): number {
    const pieces = this.pieces;
    if (pieces.length === 0) return 0;
    let low = 0;
    let high = pieces.length - 1;
    // Find the piece containing the offset; at a boundary, prefer the following piece for a start
    // and the preceding one for an end.
    while (low < high) {
      const mid = (low + high) >> 1;
      const piece = pieces[mid];
      const beforeEnd = bias === 'start' ? sqlOffset < piece.sqlEnd : sqlOffset <= piece.sqlEnd;
      if (beforeEnd) high = mid;
      else low = mid + 1;
    }
    const piece = pieces[low];
    const offset = Math.max(piece.sqlStart, Math.min(sqlOffset, piece.sqlEnd));
    if (piece.verbatim) return piece.docStart + (offset - piece.sqlStart);
    if (offset === piece.sqlStart) return piece.docStart;
    if (offset === piece.sqlEnd) return piece.docEnd;
    return bias === 'start' ? piece.docStart : piece.docEnd;
  }

  toDocumentRange(sqlStart: number, sqlEnd: number): { start: number; end: number } {
    const start = this.toDocument(sqlStart, 'start');
    const end = Math.max(start, this.toDocument(sqlEnd, 'end'));
    return { start, end };
  }

  /** SQL offset of a document offset, or undefined when the document offset lies outside the SQL. */
  fromDocument(docOffset: number): number | undefined {
    for (const piece of this.pieces) {
      if (docOffset < piece.docStart || docOffset > piece.docEnd) continue;
      if (piece.verbatim) return piece.sqlStart + (docOffset - piece.docStart);
      return docOffset === piece.docEnd ? piece.sqlEnd : piece.sqlStart;
    }
    return undefined;
  }

  /** Document span covered by the whole SQL text. */
  get documentSpan(): { start: number; end: number } {
    const first = this.pieces[0];
    const last = this.pieces[this.pieces.length - 1];
    return { start: first?.docStart ?? 0, end: last?.docEnd ?? 0 };
  }
}

/** Builds extracted SQL and its PositionMap together, so the two cannot drift apart. */
export class SqlTextBuilder {
  private text = '';
  private readonly pieces: Piece[] = [];

  get length(): number {
    return this.text.length;
  }

  /** Text copied unchanged from the document at `docOffset`. */
  appendVerbatim(text: string, docOffset: number): this {
    if (text.length === 0) return this;
    const last = this.pieces[this.pieces.length - 1];
    const sqlStart = this.text.length;
    this.text += text;
    if (last && last.verbatim && last.sqlEnd === sqlStart && last.docEnd === docOffset) {
      last.sqlEnd += text.length;
      last.docEnd += text.length;
    } else {
      this.pieces.push({
        sqlStart,
        sqlEnd: sqlStart + text.length,
        docStart: docOffset,
        docEnd: docOffset + text.length,
        verbatim: true,
      });
    }
    return this;
  }

  /** Text standing for the document span [docStart, docEnd) as a whole (placeholder, escape). */
  appendSubstitute(text: string, docStart: number, docEnd: number): this {
    const sqlStart = this.text.length;
    this.text += text;
    this.pieces.push({ sqlStart, sqlEnd: sqlStart + text.length, docStart, docEnd, verbatim: false });
    return this;
  }

  build(): { sql: string; map: PositionMap } {
    return { sql: this.text, map: new PositionMap(this.pieces.slice()) };
  }
}
