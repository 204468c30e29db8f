// Node-API bindings of the loops: elementwise ops, reductions and in-place ops (addon.c has the products,
// Adam's step and the thread pool, and registers these).
#include "addon-loops.h"

#include "elementwise.h"
#include "inplace.h"
#include "napi-args.h"
#include "reduce.h"

/** Reads operand k of an elementwise job: a typed array of the job's type and a pattern it is long enough for. */
static const char *ew_operand(napi_env env, napi_value array, napi_value pattern, struct ew_job *job, int k) {
  napi_typedarray_type type;
  void *data;
  size_t length;
  long p;
  if (!typed(env, array, &type, &data, &length)) return "operands must be Float64Array or Float32Array";
  if ((type == napi_float32_array) != job->is_f32) return "operands and out must have one element type";
  if (!integer(env, pattern, &p) || p >= EW_PATTERNS) return "a pattern must be 0 (full), 1 (scalar), 2 (row) or 3 (column)";
  const double count = (double)job->rows * job->cols;
  const double need = count == 0 ? 0 : p == EW_FULL ? count : p == EW_ROW ? job->cols : p == EW_COLUMN ? job->rows : 1;
  if ((double)length < need) return "an operand is shorter than its pattern needs";
  job->in[k] = data;
  job->pattern[k] = (int)p;
  return NULL;
}

/** Reads out, rows, cols from argv into job; returns an error message or NULL. */
static const char *ew_output(napi_env env, napi_value *argv, struct ew_job *job) {
  napi_typedarray_type type;
  size_t length;
  if (!typed(env, argv[0], &type, &job->out, &length)) return "out must be a Float64Array or Float32Array";
  job->is_f32 = type == napi_float32_array;
  if (!integer(env, argv[1], &job->rows) || !integer(env, argv[2], &job->cols)) {
    return "rows and cols must be non-negative integers";
  }
  if ((double)length < (double)job->rows * job->cols) return "out is shorter than rows · cols";
  return NULL;
}

/** binary(op, out, rows, cols, x, patternX, y, patternY): see elementwise.h. */
napi_value js_binary(napi_env env, napi_callback_info info) {
  GET_ARGS(8, "binary: expected (op, out, rows, cols, x, patternX, y, patternY)");
  struct ew_job job = {.kind = 0};
  long op;
  if (!integer(env, argv[0], &op) || op >= EW_BINARY_OPS) return fail(env, "binary: unknown op");
  job.op = (int)op;
  const char *error = ew_output(env, argv + 1, &job);
  if (!error) error = ew_operand(env, argv[4], argv[5], &job, 0);
  if (!error) error = ew_operand(env, argv[6], argv[7], &job, 1);
  if (error) return fail_in(env, "binary", error);
  ew_run(&job);
  return NULL;
}

/** unary(op, out, x): out[i] = op(x[i]). */
napi_value js_unary(napi_env env, napi_callback_info info) {
  GET_ARGS(3, "unary: expected (op, out, x)");
  struct ew_job job = {.kind = 1, .rows = 1};
  long op;
  if (!integer(env, argv[0], &op) || op >= EW_UNARY_OPS) return fail(env, "unary: unknown op");
  job.op = (int)op;
  napi_typedarray_type type;
  size_t length;
  if (!typed(env, argv[1], &type, &job.out, &length)) return fail(env, "unary: out must be a Float64Array or Float32Array");
  job.is_f32 = type == napi_float32_array;
  job.cols = (long)length;
  napi_value full;
  CHECK(napi_create_int32(env, EW_FULL, &full));
  const char *error = ew_operand(env, argv[2], full, &job, 0);
  if (error) return fail_in(env, "unary", error);
  ew_run(&job);
  return NULL;
}

/** where(out, rows, cols, condition, patternC, a, patternA, b, patternB): out = condition != 0 ? a : b. */
napi_value js_where(napi_env env, napi_callback_info info) {
  GET_ARGS(9, "where: expected (out, rows, cols, condition, patternC, a, patternA, b, patternB)");
  struct ew_job job = {.kind = 2};
  const char *error = ew_output(env, argv, &job);
  for (int k = 0; k < 3 && !error; k++) error = ew_operand(env, argv[3 + 2 * k], argv[4 + 2 * k], &job, k);
  if (error) return fail_in(env, "where", error);
  ew_run(&job);
  return NULL;
}

/** reduce(op, out, x, outer, length, inner): see reduce.h. */
napi_value js_reduce(napi_env env, napi_callback_info info) {
  GET_ARGS(6, "reduce: expected (op, out, x, outer, length, inner)");
  long op, outer, length, inner;
  if (!integer(env, argv[0], &op) || op >= REDUCE_OPS) return fail(env, "reduce: unknown op");
  GET_ARRAYS("reduce", 2, argv + 1);
  if (!integer(env, argv[3], &outer) || !integer(env, argv[4], &length) || !integer(env, argv[5], &inner)) {
    return fail(env, "reduce: outer, length and inner must be non-negative integers");
  }
  if ((double)len[0] < (double)outer * inner || (double)len[1] < (double)outer * length * inner) {
    return fail(env, "reduce: an array is shorter than its shape");
  }
  reduce_run((int)op, f32, d[0], d[1], outer, length, inner);
  return NULL;
}

/** vdot(a, b): Σ a[k]·b[k] over their common length (see reduce.h), as a number. */
napi_value js_vdot(napi_env env, napi_callback_info info) {
  GET_ARGS(2, "vdot: expected (a, b)");
  GET_ARRAYS("vdot", 2, argv);
  if (len[0] != len[1]) return fail(env, "vdot: a and b differ in length");
  napi_value result;
  CHECK(napi_create_double(env, reduce_vdot(f32, d[0], d[1], (long)len[0]), &result));
  return result;
}

/** addScaled(target, x, alpha): target[i] += alpha · x[i], in place (see inplace.h). */
napi_value js_add_scaled(napi_env env, napi_callback_info info) {
  GET_ARGS(3, "addScaled: expected (target, x, alpha)");
  GET_ARRAYS("addScaled", 2, argv);
  if (len[0] != len[1]) return fail(env, "addScaled: target and x differ in length");
  const size_t size = f32 ? 4 : 8;
  // Elements are read and written in order, one each: x may be target itself, never a shifted view of it.
  if (d[0] != d[1] && overlap(d[0], len[0] * size, d[1], len[1] * size)) {
    return fail(env, "addScaled: x overlaps target");
  }
  double alpha;
  if (!number(env, argv[2], &alpha)) return fail(env, "addScaled: alpha must be a number");
  add_scaled(f32, d[0], d[1], alpha, (long)len[0]);
  return NULL;
}

napi_value js_set_elementwise_parallel_min(napi_env env, napi_callback_info info) {
  GET_ARGS(1, "setElementwiseParallelMin: expected an integer ≥ 0");
  long value;
  napi_value result;
  if (!integer(env, argv[0], &value)) return fail(env, "setElementwiseParallelMin: expected an integer ≥ 0");
  CHECK(napi_create_double(env, (double)ew_set_parallel_min(value), &result));
  return result;
}

