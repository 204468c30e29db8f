// Elementwise loops for @backprop-lab/tensor's ops, with the bits of its JavaScript loops
// (packages/tensor/src/kernels/elementwise-loops.ts): IEEE + − × ÷ and sqrt are correctly rounded in float32
// as in float64 (a float64 result rounded to float32 equals the float32 operation), and -ffp-contract=off
// keeps multiplies and adds apart. The output is viewed as [rows, cols]; an operand is read as its pattern
// says: full x[i], scalar x[0], row x[c] (broadcast over rows), column x[r] (broadcast over columns).
#ifndef BACKPROP_ELEMENTWISE_H
#define BACKPROP_ELEMENTWISE_H

enum ew_pattern { EW_FULL, EW_SCALAR, EW_ROW, EW_COLUMN, EW_PATTERNS };

/** Binary ops, in the order of BINARY_OPS in src/index.ts. */
enum ew_binary {
  EW_ADD,
  EW_SUB,
  EW_MUL,
  EW_DIV,
  EW_MAXIMUM,
  EW_MINIMUM,
  EW_GREATER,
  EW_GREATER_EQUAL,
  EW_LESS,
  EW_LESS_EQUAL,
  EW_EQUAL,
  EW_NOT_EQUAL,
  EW_BINARY_OPS
};

/** Unary ops, in the order of UNARY_OPS in src/index.ts (no exp or log: libm's bits are not V8's). */
enum ew_unary { EW_NEG, EW_SQUARE, EW_SQRT, EW_ABS, EW_UNARY_OPS };

/** What one call computes; in[0 … operands−1] with their patterns (where: condition, a, b). */
struct ew_job {
  int kind;  // 0 binary, 1 unary, 2 where
  int op;
  int is_f32;
  void *out;
  const void *in[3];
  int pattern[3];
  long rows, cols;
  int parts;
};

/** Runs the job, split over the pool's threads when it is large. */
void ew_run(struct ew_job *job);
/** Elements from which a job is split over threads; returns the previous value. */
long ew_set_parallel_min(long elements);

#endif
