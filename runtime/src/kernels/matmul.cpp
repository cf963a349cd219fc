//===- matmul.cpp - kiln_rt_matmul_f32 on oneDNN --------------------------===//
//
// Generated code lowers every f32 matrix product to kiln_rt_matmul_f32
// (runtime_calls.def), which runs oneDNN's matmul primitive on the CPU.
// Transposition costs nothing: a transposed operand is described to oneDNN by
// swapped strides over the same row-major storage. Creating a primitive
// involves JIT code generation, so primitives (and memory objects whose data
// pointer is swapped per call) are cached by shape; a training run uses only a
// handful of shapes.
//
//===----------------------------------------------------------------------===//
#include "kiln/abi.h"

#include "dnnl_context.h"

#include <cstring>
#include <map>
#include <string>
#include <tuple>

using namespace kiln::dnnl_context;

namespace {

using dim = dnnl::memory::dim;
using Key = std::tuple<int64_t, int64_t, int64_t, bool, bool>;

struct CachedMatmul {
  dnnl::matmul primitive;
  dnnl::memory a, b, c;
};

/// Describes a logical rows x cols operand; when `transposed` it is stored
/// as cols x rows row-major, so element (i, j) lives at j * rows + i.
dnnl::memory::desc describe(dim rows, dim cols, bool transposed) {
  dnnl::memory::dims strides =
      transposed ? dnnl::memory::dims{1, rows} : dnnl::memory::dims{cols, 1};
  return dnnl::memory::desc({rows, cols}, dnnl::memory::data_type::f32,
                            strides);
}

CachedMatmul create(Context &ctx, dim m, dim n, dim k, bool ta, bool tb) {
  auto aDesc = describe(m, k, ta);
  auto bDesc = describe(k, n, tb);
  auto cDesc = describe(m, n, false);
#if DNNL_VERSION_MAJOR >= 3
  dnnl::matmul::primitive_desc pd(ctx.engine, aDesc, bDesc, cDesc);
#else
  dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(aDesc, bDesc, cDesc),
                                  ctx.engine);
#endif
  // DNNL_MEMORY_NONE: the data pointer is supplied on every call.
  return CachedMatmul{dnnl::matmul(pd),
                      dnnl::memory(aDesc, ctx.engine, DNNL_MEMORY_NONE),
                      dnnl::memory(bDesc, ctx.engine, DNNL_MEMORY_NONE),
                      dnnl::memory(cDesc, ctx.engine, DNNL_MEMORY_NONE)};
}

} // namespace

extern "C" void kiln_rt_matmul_f32(const float *a, const float *b, float *c,
                                   int64_t m, int64_t n, int64_t k,
                                   int64_t transpose_a, int64_t transpose_b) {
  if (m < 0 || n < 0 || k < 0)
    return kiln::kernels::recordFailure(
        "matmul", "negative size m=" + std::to_string(m) +
                      " n=" + std::to_string(n) + " k=" + std::to_string(k));
  // oneDNN rejects empty dimensions; the product is then trivially defined.
  if (m == 0 || n == 0)
    return;
  if (k == 0) {
    std::memset(c, 0, sizeof(float) * static_cast<size_t>(m * n));
    return;
  }
  run("matmul", [&](Context &ctx) {
    static std::map<Key, CachedMatmul> cache;
    Key key{m, n, k, transpose_a != 0, transpose_b != 0};
    auto it = cache.find(key);
    if (it == cache.end())
      it = cache
               .emplace(key, create(ctx, m, n, k, transpose_a != 0,
                                    transpose_b != 0))
               .first;
    CachedMatmul &mm = it->second;
    mm.a.set_data_handle(const_cast<float *>(a));
    mm.b.set_data_handle(const_cast<float *>(b));
    mm.c.set_data_handle(c);
    mm.primitive.execute(
        ctx.stream,
        {{DNNL_ARG_SRC, mm.a}, {DNNL_ARG_WEIGHTS, mm.b}, {DNNL_ARG_DST, mm.c}});
    ctx.stream.wait();
  });
}
