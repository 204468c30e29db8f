/** feedback.md: one submission's score per exercise, what failed, and the likely mistake with its fix. */
import type { GraderConfig } from './config.js';
import { hiddenLines, partText, visibleText } from './feedback-text.js';
import type { GradeResult } from './grade-one.js';
import { submissionNotes } from './results-json.js';

/** Markdown table cells: a pipe or a newline from a name would break the row. */
const cell = (text: string) => text.replace(/[|\n\r]/g, ' ');

export function feedbackMarkdown(result: GradeResult, config: GraderConfig): string {
  const { score } = result;
  const hasHidden = config.hiddenRuns.length > 0;
  const lines = [`# Feedback: ${cell(result.name)}`, '', `**${score.score} / ${score.max} points**`, ''];
  const notes = submissionNotes(result);
  if (notes.length > 0) lines.push(...notes.map((note) => `- ${note}`), '');
  lines.push(
    hasHidden ? '| exercise | visible | hidden | points |' : '| exercise | points |',
    hasHidden ? '| --- | --- | --- | --- |' : '| --- | --- |',
  );
  for (const e of score.exercises) {
    const total = `${e.score} / ${e.max}`;
    lines.push(
      hasHidden
        ? `| ${e.id} | ${e.visible.score} / ${e.visible.max} | ${e.hidden.score} / ${e.hidden.max} | ${total} |`
        : `| ${e.id} | ${total} |`,
    );
  }
  score.exercises.forEach((e, i) => {
    lines.push('', `## ${e.title} (src/${e.file}): ${e.score} / ${e.max}`, '');
    if (e.reason) lines.push(`Scored 0: ${e.reason}`, '');
    const visible = result.visible[i];
    if (!visible) return;
    lines.push(
      partText('Visible checks (as `pnpm check` shows them)', e.visible),
      '',
      '```text',
      visibleText(visible),
      '```',
    );
    if (!hasHidden) return;
    const hidden = result.hidden.map((run) => run[i]);
    const said = hiddenLines(hidden);
    lines.push('', partText(`Hidden checks (${hidden.length} runs with other seeds and sizes)`, e.hidden));
    if (said.length > 0) lines.push('', '```text', ...said, '```');
  });
  return `${lines.join('\n')}\n`;
}
