// The segment loops for one element type and target, as a template: define T, U, SUFFIX, ATTR, then include.
// U is the unsigned integer of T's width. A segment is a run of one output row; each operand is read with a stride of 1 (full, row) or 0 (scalar,
// column). The strides are compile-time constants in each instantiated loop, so the compiler vectorizes it.
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define FN(name) CAT(CAT(name, _), SUFFIX)

// maximum and minimum as Math.max and Math.min: NaN if either is NaN; among equal values, the bitwise and
// (max) or or (min) of the two, which is the value itself, except for ±0 where max gives +0 and min −0.
// Written as selects over values computed unconditionally, so each compiles to vector compares and blends.
static inline T FN(bits_and)(T a, T b, int or) {
  U x, y;
  memcpy(&x, &a, sizeof x);
  memcpy(&y, &b, sizeof y);
  x = or ? x | y : x & y;
  memcpy(&a, &x, sizeof a);
  return a;
}
#define EW_MAX(a, b) ((a) != (a) || (b) != (b) ? (T)NAN : (a) == (b) ? FN(bits_and)(a, b, 0) : (a) > (b) ? (a) : (b))
#define EW_MIN(a, b) ((a) != (a) || (b) != (b) ? (T)NAN : (a) == (b) ? FN(bits_and)(a, b, 1) : (a) < (b) ? (a) : (b))
#define EW_BOOL(c) ((c) ? (T)1 : (T)0)

#define BINARY_LOOP(name, expr)                                                                           \
  static inline __attribute__((always_inline)) void FN(name##_strided)(T *restrict out, const T *restrict x, \
                                                                      long sx, const T *restrict y,         \
                                                                      long sy, long n) {                    \
    for (long i = 0; i < n; i++) {                                                                        \
      const T a = x[i * sx], b = y[i * sy];                                                               \
      out[i] = (expr);                                                                                    \
    }                                                                                                     \
  }                                                                                                       \
  ATTR static void FN(name)(T *restrict out, const T *restrict x, int sx, const T *restrict y, int sy,   \
                            long n) {                                                                     \
    if (sx && sy) FN(name##_strided)(out, x, 1, y, 1, n);                                                 \
    else if (sx) FN(name##_strided)(out, x, 1, y, 0, n);                                                  \
    else if (sy) FN(name##_strided)(out, x, 0, y, 1, n);                                                  \
    else FN(name##_strided)(out, x, 0, y, 0, n);                                                          \
  }

BINARY_LOOP(add, a + b)
BINARY_LOOP(sub, a - b)
BINARY_LOOP(mul, a * b)
BINARY_LOOP(div, a / b)
BINARY_LOOP(maximum, EW_MAX(a, b))
BINARY_LOOP(minimum, EW_MIN(a, b))
BINARY_LOOP(greater, EW_BOOL(a > b))
BINARY_LOOP(greater_equal, EW_BOOL(a >= b))
BINARY_LOOP(less, EW_BOOL(a < b))
BINARY_LOOP(less_equal, EW_BOOL(a <= b))
BINARY_LOOP(equal, EW_BOOL(a == b))
BINARY_LOOP(not_equal, EW_BOOL(a != b))

typedef void (*FN(binary_fn))(T *restrict, const T *restrict, int, const T *restrict, int, long);
static const FN(binary_fn) FN(binary_loops)[EW_BINARY_OPS] = {
    FN(add),  FN(sub),           FN(mul),  FN(div),        FN(maximum), FN(minimum),
    FN(greater), FN(greater_equal), FN(less), FN(less_equal), FN(equal),   FN(not_equal),
};

#define UNARY_LOOP(name, expr)                                                  \
  ATTR static void FN(name)(T *restrict out, const T *restrict x, long n) {     \
    for (long i = 0; i < n; i++) {                                              \
      const T a = x[i];                                                         \
      out[i] = (expr);                                                          \
    }                                                                           \
  }

UNARY_LOOP(neg, -a)
UNARY_LOOP(square, a * a)
UNARY_LOOP(sqrt, _Generic(a, float: sqrtf, default: sqrt)(a))
UNARY_LOOP(abs, _Generic(a, float: fabsf, default: fabs)(a))

typedef void (*FN(unary_fn))(T *restrict, const T *restrict, long);
static const FN(unary_fn) FN(unary_loops)[EW_UNARY_OPS] = {FN(neg), FN(square), FN(sqrt), FN(abs)};

// where: m != 0 is JavaScript's m !== 0 (NaN counts as non-zero, −0 as zero).
static inline __attribute__((always_inline)) void FN(where_strided)(T *restrict out, const T *restrict m, long sm,
                                                                    const T *restrict x, long sx,
                                                                    const T *restrict y, long sy, long n) {
  // All three read unconditionally: a load under a condition keeps the loop from vectorizing.
  for (long i = 0; i < n; i++) {
    const T c = m[i * sm], a = x[i * sx], b = y[i * sy];
    out[i] = c != 0 ? a : b;
  }
}

ATTR static void FN(where)(T *restrict out, const T *restrict m, int sm, const T *restrict x, int sx,
                           const T *restrict y, int sy, long n) {
  switch (sm << 2 | sx << 1 | sy) {
    case 0: FN(where_strided)(out, m, 0, x, 0, y, 0, n); break;
    case 1: FN(where_strided)(out, m, 0, x, 0, y, 1, n); break;
    case 2: FN(where_strided)(out, m, 0, x, 1, y, 0, n); break;
    case 3: FN(where_strided)(out, m, 0, x, 1, y, 1, n); break;
    case 4: FN(where_strided)(out, m, 1, x, 0, y, 0, n); break;
    case 5: FN(where_strided)(out, m, 1, x, 0, y, 1, n); break;
    case 6: FN(where_strided)(out, m, 1, x, 1, y, 0, n); break;
    default: FN(where_strided)(out, m, 1, x, 1, y, 1, n); break;
  }
}

/** Elements [from, to) of the job's output, one row segment at a time. */
ATTR static void FN(range)(const struct ew_job *job, long from, long to) {
  const long cols = job->cols;
  const int operands = job->kind == 1 ? 1 : job->kind == 0 ? 2 : 3;
  T *out = job->out;
  if (job->kind == 1) {
    FN(unary_loops)[job->op](out + from, (const T *)job->in[0] + from, to - from);
    return;
  }
  while (from < to) {
    const long r = from / cols, c = from % cols;
    const long n = (to - from < cols - c) ? to - from : cols - c;
    const T *p[3];
    int s[3];
    for (int k = 0; k < operands; k++) {
      const T *base = job->in[k];
      switch (job->pattern[k]) {
        case EW_FULL: p[k] = base + from; s[k] = 1; break;
        case EW_ROW: p[k] = base + c; s[k] = 1; break;
        case EW_COLUMN: p[k] = base + r; s[k] = 0; break;
        default: p[k] = base; s[k] = 0; break;
      }
    }
    if (job->kind == 0) FN(binary_loops)[job->op](out + from, p[0], s[0], p[1], s[1], n);
    else FN(where)(out + from, p[0], s[0], p[1], s[1], p[2], s[2], n);
    from += n;
  }
}

#undef BINARY_LOOP
#undef UNARY_LOOP
#undef EW_MAX
#undef EW_MIN
#undef EW_BOOL
#undef FN
