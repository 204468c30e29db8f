// Node-API bindings: typed arrays are read and written in place (no copies), calls are synchronous.
// Argument checks here guard memory safety only; @backprop-lab/tensor validates shapes with its own messages.
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdio.h>

#include "elementwise.h"
#include "moment-step.h"
#include "gemm.h"
#include "inplace.h"
#include "pool.h"
#include "reduce.h"

#define CHECK(call)                                               \
  do {                                                            \
    if ((call) != napi_ok) {                                      \
      napi_throw_error(env, NULL, "backprop-lab native: " #call); \
      return NULL;                                                \
    }                                                             \
  } while (0)

static napi_value fail(napi_env env, const char *message) {
  napi_throw_type_error(env, NULL, message);
  return NULL;
}

/** fail() with "name: " before the message. */
static napi_value fail_in(napi_env env, const char *name, const char *message) {
  char text[256];
  snprintf(text, sizeof text, "%s: %s", name, message);
  return fail(env, text);
}

/** The data and length of a Float64Array or Float32Array argument; *type receives which. */
static int typed(napi_env env, napi_value value, napi_typedarray_type *type, void **data, size_t *length) {
  bool is_typed = false;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) return 0;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, type, length, data, &buffer, &offset) != napi_ok) return 0;
  return *type == napi_float64_array || *type == napi_float32_array;
}

static int integer(napi_env env, napi_value value, long *out) {
  int64_t x;
  if (napi_get_value_int64(env, value, &x) != napi_ok || x < 0) return 0;
  *out = (long)x;
  return 1;
}

static int boolean(napi_env env, napi_value value, int *out) {
  bool x;
  if (napi_get_value_bool(env, value, &x) != napi_ok) return 0;
  *out = x;
  return 1;
}

static int number(napi_env env, napi_value value, double *out) {
  return napi_get_value_double(env, value, out) == napi_ok;
}

/** Whether the byte ranges [a, a + na) and [b, b + nb) share a byte. */
static int overlap(const void *a, size_t na, const void *b, size_t nb) {
  const char *x = a, *y = b;
  return na && nb && x < y + nb && y < x + na;
}

/** Reads (a, b, out, m, n, k, transA, transB) from argv into g; returns an error message or NULL. */
static const char *read_problem(napi_env env, napi_value *argv, struct gemm_problem *g) {
  napi_typedarray_type ta, tb, tc;
  size_t la, lb, lc;
  void *a, *b, *c;
  if (!typed(env, argv[0], &ta, &a, &la) || !typed(env, argv[1], &tb, &b, &lb) ||
      !typed(env, argv[2], &tc, &c, &lc)) {
    return "gemm: a, b and out must be Float64Array or Float32Array";
  }
  if (ta != tb || ta != tc) return "gemm: a, b and out must have one element type";
  if (!integer(env, argv[3], &g->m) || !integer(env, argv[4], &g->n) || !integer(env, argv[5], &g->k) ||
      !boolean(env, argv[6], &g->trans_a) || !boolean(env, argv[7], &g->trans_b)) {
    return "gemm: m, n, k must be non-negative integers and transA, transB booleans";
  }
  if ((double)la < (double)g->m * g->k || (double)lb < (double)g->k * g->n || (double)lc < (double)g->m * g->n) {
    return "gemm: an array is shorter than its shape";
  }
  const size_t size = ta == napi_float32_array ? 4 : 8;
  // Written while the inputs are read: an output sharing memory with an input would be read half-written.
  if (overlap(c, lc * size, a, la * size) || overlap(c, lc * size, b, lb * size)) {
    return "gemm: out shares memory with a or b";
  }
  g->a = a;
  g->b = b;
  g->c = c;
  g->is_f32 = ta == napi_float32_array;
  return NULL;
}

static napi_value js_gemm(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 8) return fail(env, "gemm: expected (a, b, out, m, n, k, transA, transB)");
  struct gemm_problem g;
  const char *error = read_problem(env, argv, &g);
  if (error) return fail(env, error);
  if (gemm_run(&g)) napi_throw_error(env, "ENOMEM", "gemm: out of memory for packing buffers");
  return NULL;
}

static napi_value js_gemm_pair(napi_env env, napi_callback_info info) {
  size_t argc = 16;
  napi_value argv[16];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 16) return fail(env, "gemmPair: expected two (a, b, out, m, n, k, transA, transB) groups");
  struct gemm_problem first, second;
  const char *error = read_problem(env, argv, &first);
  if (!error) error = read_problem(env, argv + 8, &second);
  if (error) return fail(env, error);
  if (gemm_run_pair(&first, &second)) napi_throw_error(env, "ENOMEM", "gemmPair: out of memory for packing buffers");
  return NULL;
}

/** momentStep(w, g, m, v, rate, decay1, decay2, epsilon, c1, c2): see moment-step.h. */
static napi_value js_moment_step(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 10) return fail(env, "momentStep: expected (w, g, m, v, rate, decay1, decay2, epsilon, c1, c2)");
  napi_typedarray_type types[4];
  void *data[4];
  size_t lengths[4];
  for (int i = 0; i < 4; i++) {
    if (!typed(env, argv[i], &types[i], &data[i], &lengths[i])) {
      return fail(env, "momentStep: w, g, m and v must be Float64Array or Float32Array");
    }
    if (types[i] != types[0] || lengths[i] != lengths[0]) return fail(env, "momentStep: w, g, m and v differ in type or length");
  }
  const size_t bytes = lengths[0] * (types[0] == napi_float32_array ? 4 : 8);
  for (int i = 0; i < 4; i++) {
    for (int j = i + 1; j < 4; j++) {
      if (overlap(data[i], bytes, data[j], bytes)) return fail(env, "momentStep: w, g, m and v must not share memory");
    }
  }
  struct moment_step_args args;
  if (!number(env, argv[4], &args.rate) || !number(env, argv[5], &args.decay1) || !number(env, argv[6], &args.decay2) ||
      !number(env, argv[7], &args.epsilon) || !number(env, argv[8], &args.c1) || !number(env, argv[9], &args.c2)) {
    return fail(env, "momentStep: rate, decay1, decay2, epsilon, c1 and c2 must be numbers");
  }
  if (types[0] == napi_float32_array) moment_step_f32(data[0], data[1], data[2], data[3], (long)lengths[0], &args);
  else moment_step_f64(data[0], data[1], data[2], data[3], (long)lengths[0], &args);
  return NULL;
}

/**
 * Reads `count` typed arrays of one element type from argv; returns an error message or NULL. lengths[i]
 * receive their lengths.
 */
static const char *arrays(napi_env env, napi_value *argv, int count, void **data, size_t *lengths, int *is_f32) {
  napi_typedarray_type first = napi_float64_array;
  for (int i = 0; i < count; i++) {
    napi_typedarray_type type;
    if (!typed(env, argv[i], &type, &data[i], &lengths[i])) return "arrays must be Float64Array or Float32Array";
    if (i == 0) first = type;
    if (type != first) return "arrays must have one element type";
  }
  *is_f32 = first == napi_float32_array;
  return NULL;
}

#define GET_ARGS(n, usage)                                   \
  size_t argc = n;                                           \
  napi_value argv[n];                                        \
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL)); \
  if (argc != n) return fail(env, usage)

/**
 * Declares d[count] (data), len[count] (lengths) and f32 from the typed arrays values[0 … count−1] of one
 * element type; a wrong argument throws a TypeError naming the function and returns.
 */
#define GET_ARRAYS(name, count, values)                                         \
  void *d[count];                                                               \
  size_t len[count];                                                            \
  int f32;                                                                      \
  do {                                                                          \
    const char *error_ = arrays(env, values, count, d, len, &f32);              \
    if (error_) return fail_in(env, name, error_);                              \
  } while (0)

static napi_value js_set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], result;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  long threads;
  if (argc != 1 || !integer(env, argv[0], &threads) || threads < 1 || threads > POOL_MAX_THREADS) {
    return fail(env, "setThreads: expected an integer in 1…16");
  }
  CHECK(napi_create_int32(env, pool_set_threads((int)threads), &result));
  return result;
}

static napi_value js_threads(napi_env env, napi_callback_info info) {
  napi_value result;
  (void)info;
  CHECK(napi_create_int32(env, pool_threads(), &result));
  return result;
}

static napi_value js_set_parallel_min(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], result;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  long value;
  if (argc != 1 || !integer(env, argv[0], &value)) return fail(env, "setParallelMin: expected an integer ≥ 0");
  CHECK(napi_create_double(env, (double)gemm_parallel_min, &result));
  gemm_parallel_min = value;
  return result;
}

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
static napi_value js_binary(napi_env env, napi_callback_info info) {
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
static napi_value js_unary(napi_env env, napi_callback_info info) {
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
static napi_value js_where(napi_env env, napi_callback_info info) {
  GET_ARGS(9, "where: expected (out, rows, cols, condition, patternC, a, patternA, b, patternB)");
  struct ew_job job = {.kind = 2};
  const char *error = ew_output(env, argv, &job);
  for (int k = 0; k < 3 && !error; k++) error = ew_operand(env, argv[3 + 2 * k], argv[4 + 2 * k], &job, k);
  if (error) return fail_in(env, "where", error);
  ew_run(&job);
  return NULL;
}

/** reduce(op, out, x, outer, length, inner): see reduce.h. */
static napi_value js_reduce(napi_env env, napi_callback_info info) {
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
static napi_value js_vdot(napi_env env, napi_callback_info info) {
  GET_ARGS(2, "vdot: expected (a, b)");
  GET_ARRAYS("vdot", 2, argv);
  if (len[0] != len[1]) return fail(env, "vdot: a and b differ in length");
  napi_value result;
  CHECK(napi_create_double(env, reduce_vdot(f32, d[0], d[1], (long)len[0]), &result));
  return result;
}

/** addScaled(target, x, alpha): target[i] += alpha · x[i], in place (see inplace.h). */
static napi_value js_add_scaled(napi_env env, napi_callback_info info) {
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

static napi_value js_set_elementwise_parallel_min(napi_env env, napi_callback_info info) {
  GET_ARGS(1, "setElementwiseParallelMin: expected an integer ≥ 0");
  long value;
  napi_value result;
  if (!integer(env, argv[0], &value)) return fail(env, "setElementwiseParallelMin: expected an integer ≥ 0");
  CHECK(napi_create_double(env, (double)ew_set_parallel_min(value), &result));
  return result;
}

/** A Node worker's environment is torn down on its own thread: its packing buffers go with it. */
static void release_scratch(void *arg) {
  (void)arg;
  gemm_release_scratch();
}

NAPI_MODULE_INIT() {
  if (napi_add_env_cleanup_hook(env, release_scratch, NULL) != napi_ok) return NULL;
  napi_property_descriptor properties[] = {
      {"gemm", NULL, js_gemm, NULL, NULL, NULL, napi_default, NULL},
      {"gemmPair", NULL, js_gemm_pair, NULL, NULL, NULL, napi_default, NULL},
      {"momentStep", NULL, js_moment_step, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, js_set_threads, NULL, NULL, NULL, napi_default, NULL},
      {"threads", NULL, js_threads, NULL, NULL, NULL, napi_default, NULL},
      {"setParallelMin", NULL, js_set_parallel_min, NULL, NULL, NULL, napi_default, NULL},
      {"binary", NULL, js_binary, NULL, NULL, NULL, napi_default, NULL},
      {"unary", NULL, js_unary, NULL, NULL, NULL, napi_default, NULL},
      {"where", NULL, js_where, NULL, NULL, NULL, napi_default, NULL},
      {"reduce", NULL, js_reduce, NULL, NULL, NULL, napi_default, NULL},
      {"vdot", NULL, js_vdot, NULL, NULL, NULL, napi_default, NULL},
      {"addScaled", NULL, js_add_scaled, NULL, NULL, NULL, napi_default, NULL},
      {"setElementwiseParallelMin", NULL, js_set_elementwise_parallel_min, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_value kernel;
  if (napi_create_string_utf8(env, gemm_kernel_name(), NAPI_AUTO_LENGTH, &kernel) != napi_ok) return NULL;
  napi_property_descriptor name = {"kernel", NULL, NULL, NULL, NULL, kernel, napi_enumerable, NULL};
  if (napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties) != napi_ok) return NULL;
  if (napi_define_properties(env, exports, 1, &name) != napi_ok) return NULL;
  return exports;
}
