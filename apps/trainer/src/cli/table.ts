/**
 * The one text-table renderer of the app: result tables (train, gradcheck), the flag and command lists
 * of --help, and data inspect's class counts. Widths count code points, so `≤` and `×` take one column.
 */
export type Align = 'left' | 'right';

export interface TableOptions {
  /** A header row, drawn above a rule of `─`. */
  header?: readonly string[];
  /** Per column; missing columns are left-aligned. */
  align?: readonly Align[];
  /** Spaces before every line. */
  indent?: number;
  /** Spaces between columns. */
  gap?: number;
  /** Per column, the narrowest it may be (so a short table keeps its usual layout). */
  minWidths?: readonly number[];
}

const width = (text: string) => [...text].length;

/** Lines of fixed-width text; trailing spaces are trimmed. */
export function renderTable(rows: readonly (readonly string[])[], options: TableOptions = {}): string[] {
  const { header, align = [], indent = 0, gap = 2, minWidths = [] } = options;
  const all = header ? [header, ...rows] : rows;
  const columns = Math.max(0, ...all.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, column) =>
    Math.max(minWidths[column] ?? 0, ...all.map((row) => width(row[column] ?? ''))),
  );
  const pad = (cell: string, column: number) => {
    const space = ' '.repeat(widths[column] - width(cell));
    return align[column] === 'right' ? space + cell : cell + space;
  };
  const line = (cells: readonly string[]) =>
    (
      ' '.repeat(indent) + widths.map((_, column) => pad(cells[column] ?? '', column)).join(' '.repeat(gap))
    ).trimEnd();
  const lines = rows.map(line);
  if (!header) return lines;
  const rule = ' '.repeat(indent) + widths.map((w) => '─'.repeat(w)).join(' '.repeat(gap));
  return [line(header), rule, ...lines];
}
