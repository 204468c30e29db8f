// Node-API bindings: typed arrays are read and written in place (no copies), calls are synchronous.
// Argument checks here guard memory safety only; @backprop-lab/tensor validates shapes with its own messages.
// The loops' bindings (elementwise, reductions, in-place ops) are in addon-loops.c.
#include "addon-loops.h"
#include "gemm.h"
#include "moment-step.h"
#include "napi-args.h"
#include "pool.h"

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
