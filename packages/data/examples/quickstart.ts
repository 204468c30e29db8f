// The README's example: `pnpm --filter @backprop-lab/data exec tsx examples/quickstart.ts`.
import { ensureDefaultDataset, readCsvDataset, splitDataset, subtractMeanImage } from '@backprop-lab/data';

const paths = await ensureDefaultDataset(); // datasets/synthetic-{train,val,test}.csv, made on first use
const train = await readCsvDataset(paths.train, { dtype: 'float32', featureRange: [0, 255], cache: true });
const val = await readCsvDataset(paths.val, { dtype: 'float32', cache: true });
console.log(train.X.shape, train.numClasses, train.classNames); // [5000, 3072] 10 ['disc', 'ring', ...]

const { mean, train: Xtrain, others } = subtractMeanImage(train.X, val.X); // mean of the training rows only
console.log(mean.shape, Xtrain.shape, others[0].shape); // [3072] [5000, 3072] [1000, 3072]

const small = splitDataset(train.X, train.y, { sizes: { train: 400, val: 100 }, seed: 0, stratified: true });
console.log(small.train.X.shape, small.val.X.shape); // [400, 3072] [100, 3072]
