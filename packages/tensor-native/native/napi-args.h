// What every Node-API binding file shares: argument readers that guard memory safety, and the throw
// helpers. Static inline, so each binding file gets its own copies and none goes unused.
#ifndef BACKPROP_NAPI_ARGS_H
#define BACKPROP_NAPI_ARGS_H
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdio.h>


#define CHECK(call)                                               \
  do {                                                            \
    if ((call) != napi_ok) {                                      \
      napi_throw_error(env, NULL, "backprop-lab native: " #call); \
      return NULL;                                                \
    }                                                             \
  } while (0)

static inline napi_value fail(napi_env env, const char *message) {
  napi_throw_type_error(env, NULL, message);
  return NULL;
}

/** fail() with "name: " before the message. */
static inline napi_value fail_in(napi_env env, const char *name, const char *message) {
  char text[256];
  snprintf(text, sizeof text, "%s: %s", name, message);
  return fail(env, text);
}

/** The data and length of a Float64Array or Float32Array argument; *type receives which. */
static inline int typed(napi_env env, napi_value value, napi_typedarray_type *type, void **data, size_t *length) {
  bool is_typed = false;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) return 0;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, type, length, data, &buffer, &offset) != napi_ok) return 0;
  return *type == napi_float64_array || *type == napi_float32_array;
}

static inline int integer(napi_env env, napi_value value, long *out) {
  int64_t x;
  if (napi_get_value_int64(env, value, &x) != napi_ok || x < 0) return 0;
  *out = (long)x;
  return 1;
}

static inline int boolean(napi_env env, napi_value value, int *out) {
  bool x;
  if (napi_get_value_bool(env, value, &x) != napi_ok) return 0;
  *out = x;
  return 1;
}

static inline int number(napi_env env, napi_value value, double *out) {
  return napi_get_value_double(env, value, out) == napi_ok;
}

/** Whether the byte ranges [a, a + na) and [b, b + nb) share a byte. */
static inline int overlap(const void *a, size_t na, const void *b, size_t nb) {
  const char *x = a, *y = b;
  return na && nb && x < y + nb && y < x + na;
}

/**
 * Reads `count` typed arrays of one element type from argv; returns an error message or NULL. lengths[i]
 * receive their lengths.
 */
static inline const char *arrays(napi_env env, napi_value *argv, int count, void **data, size_t *lengths, int *is_f32) {
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

#endif
