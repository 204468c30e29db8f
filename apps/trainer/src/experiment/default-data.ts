/**
 * The built-in dataset's split paths: @backprop-lab/data's synthetic CIFAR-like images (5,000 train,
 * 1,000 val, 1,000 test, pixels 0-255), generated into the git-ignored datasets/ folder on first use.
 */
import { ensureDefaultDataset } from '@backprop-lab/data';

export async function builtInDataset(): Promise<{ train: string; val: string; test: string }> {
  const { train, val, test } = await ensureDefaultDataset();
  return { train, val, test };
}
