/**
 * grader.json for `init --grader`. PLACEHOLDER until the grade command's config (grade/config.ts, with
 * its defaults and schema) is merged: the lead replaces graderConfigJson's body with
 * `return defaultConfigJson();` from '../grade/config.js'. This stand-in writes only `points`, which that
 * config reads with every other key at its default.
 */
import { EXERCISES } from '@backprop-lab/assignment';

export function graderConfigJson(): string {
  const points = Object.fromEntries(EXERCISES.map((exercise) => [exercise.id, 10]));
  return `${JSON.stringify({ points }, null, 2)}\n`;
}

/** Full marks: the sum of a grader.json's points (GitHub Classroom's test is worth that). */
export function totalPoints(configJson: string): number {
  const { points } = JSON.parse(configJson) as { points: Record<string, number> };
  return Object.values(points).reduce((sum, value) => sum + value, 0);
}
