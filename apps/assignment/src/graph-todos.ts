/**
 * The TODO lines of the graph-form batchnorm backward: one per named intermediate of the derivation doc's
 * section 2, stage by stage, so the student's names are the doc's (and the check's `steps`).
 */
export interface GraphStep {
  stage: string;
  name: string;
  shape: string;
}

/** Stages and their gradient lines as the doc writes them: `**Stage 9**, \`out = ...\`` then a code block. */
export function graphSteps(doc: string): GraphStep[] {
  const section = doc.split(/^## /m).find((part) => part.startsWith('2.'));
  if (!section) throw new Error('docs/batchnorm-backward.md: no section "## 2." (backward, node by node)');
  const steps: GraphStep[] = [];
  let stage = '';
  let inCode = false;
  for (const line of section.split('\n')) {
    const header = /^\*\*Stage (\d+)\*\*, `([^`]+)`/.exec(line);
    if (header) stage = `stage ${header[1]}: ${header[2]}`;
    if (line.startsWith('```')) inCode = !inCode;
    else if (inCode) {
      const step = /^(\w+)\s+=.*?(\[[^\]]*\])\s*$/.exec(line);
      if (step) steps.push({ stage, name: step[1], shape: step[2] });
    }
  }
  if (steps.length === 0) throw new Error('docs/batchnorm-backward.md: section 2 has no gradient lines');
  return steps;
}

/** Comment lines for the stub: the stages in backward order, each step's name and shape, then the return. */
export function graphTodos(doc: string): string[] {
  const steps = graphSteps(doc);
  const lines = [
    'TODO: walk the forward graph right to left, one tensor op per line, as in section 2 of',
    "docs/batchnorm-backward.md (the names below are the doc's):",
  ];
  let stage = '';
  for (const step of steps) {
    if (step.stage !== stage) {
      stage = step.stage;
      lines.push(`${stage[0].toUpperCase()}${stage.slice(1)}`);
    }
    lines.push(`  const ${step.name} = ...; // ${step.shape}`);
  }
  const intermediates = steps.map((s) => s.name).filter((n) => !['dx', 'dgamma', 'dbeta'].includes(n));
  lines.push(
    'Return the gradients; `steps` is optional, and with it the check names the first step that differs:',
    `  return { dx, dgamma, dbeta, steps: { ${intermediates.join(', ')} } };`,
  );
  return lines;
}
