import { SqlTextBuilder, type PositionMap } from '../position-map';
import { SqlValuePosition } from './sql-value-position';

/** Where a `$n` placeholder stands in for host-language code. */
export interface InterpolationSite {
  /** The placeholder in the SQL, e.g. `$3`. */
  placeholder: string;
  /** The document span it stands for: `${expr}`, a concatenated expression, or a binding such as `${id}`. */
  docStart: number;
  docEnd: number;
  /**
   * True when the host splices the value into the SQL text (`sql.unsafe`, `$queryRawUnsafe`, a plain
   * template or `+`), false when the driver binds it as a parameter (`sql` tags, pg-promise `${name}`).
   */
  raw: boolean;
}

/**
 * Builds one region's SQL with its position map, numbering placeholders and noting whether every one of
 * them sits where a value parses (see SqlValuePosition).
 */
export class SqlAssembler {
  private readonly builder = new SqlTextBuilder();
  private readonly position = new SqlValuePosition();
  private named: Map<string, string> | undefined;
  private nextNumber: number;
  readonly sites: InterpolationSite[] = [];
  /** False once a placeholder lands where SQL text, not a value, must have been spliced in. */
  placeholdersInValuePositions = true;

  /** `firstNumber`: the first free `$n`, past any the literal already uses. */
  constructor(firstNumber: number) {
    this.nextNumber = firstNumber;
  }

  /** Document text [start, end) copied unchanged. */
  verbatim(document: string, start: number, end: number): void {
    if (end <= start) return;
    this.builder.appendVerbatim(document.slice(start, end), start);
    this.position.feed(document, start, end);
  }

  /** Text standing for the document span as a whole (a cooked escape). */
  substitute(text: string, docStart: number, docEnd: number): void {
    this.builder.appendSubstitute(text, docStart, docEnd);
    this.position.feed(text);
  }

  /**
   * A placeholder for host code at [docStart, docEnd). `key` names a binding that may repeat (pg-promise
   * `${id}` twice is one parameter); `fixed` keeps a number the host syntax gives (`$2:name` is `$2`).
   */
  placeholder(docStart: number, docEnd: number, raw: boolean, key?: string, fixed?: number): void {
    let text: string | undefined = fixed === undefined ? undefined : `$${fixed}`;
    if (text === undefined && key !== undefined) text = this.named?.get(key);
    if (text === undefined) {
      text = `$${this.nextNumber++}`;
      if (key !== undefined) (this.named ??= new Map()).set(key, text);
    }
    if (!this.position.acceptsValue()) this.placeholdersInValuePositions = false;
    this.builder.appendSubstitute(text, docStart, docEnd);
    this.position.feed(text); // `${a}${b}`: what follows a placeholder is no value
    this.sites.push({ placeholder: text, docStart, docEnd, raw });
  }

  /** True when the SQL so far ends where an operand must come next (outside quotes and comments). */
  expectsOperand(): boolean {
    return this.position.expectsOperand();
  }

  build(): { sql: string; map: PositionMap } {
    return this.builder.build();
  }
}
