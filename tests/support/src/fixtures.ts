// Committed real data that tests read, resolved from this file so no test spells a relative path to it.
// What each file is, its source and its licence: datasets/fixtures/README.md.
import { join } from 'node:path';

const FIXTURES = join(import.meta.dirname, '../../../datasets/fixtures');

/** The 1,797 UCI handwritten digits: header `label,p0..p63`, values 0..16, 10 classes. */
export const DIGITS_CSV = join(FIXTURES, 'digits.csv');
