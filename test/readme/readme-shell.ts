/** One shell statement of a README code block, with the answer its comment promises. */
export interface ShellStatement {
  /** The statement as written, continuation lines included. */
  text: string;
  /** 1-based line in README.md where it starts. */
  line: number;
  /** The status the comment right after it names (`# 412 ...`), or undefined: any 2xx. */
  expectedStatus?: number;
}

const FENCE = /^```(\w*)\s*$/;

const SHELLS = ['sh', 'bash', 'shell'];

/** The ```sh blocks of a Markdown text, each as its lines with their README line numbers. */
function shellBlocks(markdown: string): { text: string; line: number }[][] {
  const blocks: { text: string; line: number }[][] = [];
  // undefined: outside any block; null: inside a block of another language.
  let current: { text: string; line: number }[] | null | undefined;
  markdown.split('\n').forEach((text, index) => {
    const fence = FENCE.exec(text);
    if (fence && current === undefined) current = SHELLS.includes(fence[1]!) ? [] : null;
    else if (fence) {
      if (current) blocks.push(current);
      current = undefined;
    } else current?.push({ text, line: index + 1 });
  });
  return blocks;
}

/** Whether a quote opened on this line is still open at its end (single or double quotes). */
function quoteStateAfter(text: string, open: string | undefined): string | undefined {
  let quote = open;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i += 1;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '\\') i += 1;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) break;
  }
  return quote;
}

/**
 * Splits the shell blocks into statements: a statement goes on past a line that ends in `\`
 * or leaves a quote open (a JSON body over two lines). A comment line right after a statement
 * that starts with a status code is that statement's expected answer.
 */
export function shellStatements(markdown: string): ShellStatement[] {
  const statements: ShellStatement[] = [];
  for (const block of shellBlocks(markdown)) {
    let pending: { lines: string[]; line: number; quote: string | undefined } | undefined;
    let last: ShellStatement | undefined;
    for (const { text, line } of block) {
      if (!pending) {
        const trimmed = text.trim();
        if (trimmed === '') {
          last = undefined;
          continue;
        }
        if (trimmed.startsWith('#')) {
          const status = /^#\s*(\d{3})\b/.exec(trimmed);
          if (last && last.expectedStatus === undefined && status) last.expectedStatus = Number(status[1]);
          last = undefined;
          continue;
        }
        pending = { lines: [], line, quote: undefined };
      }
      pending.lines.push(text);
      pending.quote = quoteStateAfter(text, pending.quote);
      if (pending.quote || text.trimEnd().endsWith('\\')) continue;
      last = { text: pending.lines.join('\n'), line: pending.line };
      statements.push(last);
      pending = undefined;
    }
  }
  return statements;
}

/** The statements the README test runs: every one that calls curl, and shell function definitions. */
export function runnable(statement: ShellStatement): boolean {
  return /(^|[\s($|])curl\s/.test(statement.text) || /^\s*[A-Za-z_]\w*\(\)\s*\{/.test(statement.text);
}
