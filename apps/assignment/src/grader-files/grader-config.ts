/** grader.json for `init --grader`: the grade command's config with every default written out. */
import { defaultConfigJson, parseConfig } from '../grade/config.js';

export function graderConfigJson(): string {
  return defaultConfigJson();
}

/** Full marks: the sum of a grader.json's points, defaults included (GitHub Classroom's test is worth that). */
export function totalPoints(configJson: string): number {
  const { points } = parseConfig(configJson, 'grader.json');
  return Object.values(points).reduce((sum, value) => sum + value, 0);
}
