//===- dnnl_context.cpp - What the oneDNN-backed kiln_rt_* calls share ----===//
#include "dnnl_context.h"

#include <stdexcept>
#include <string>

namespace kiln::dnnl_context {

Context &context() {
  static Context ctx; // Created on first use, after oneDNN's own statics.
  return ctx;
}

dnnl::memory::format_tag activationFormat(int64_t layout) {
  using tag = dnnl::memory::format_tag;
  switch (layout) {
  case 0:
    return tag::nchw;
  case 8:
    return tag::nChw8c;
  case 16:
    return tag::nChw16c;
  }
  throw std::invalid_argument("unsupported activation layout " +
                              std::to_string(layout));
}

Staged::Staged(Context &ctx, const dnnl::memory::desc &plain,
               const dnnl::memory::desc &wanted, bool isInput)
    : user(plain, ctx.engine, DNNL_MEMORY_NONE) {
  if (plain == wanted) {
    inner = user;
    return;
  }
  inner = dnnl::memory(wanted, ctx.engine); // owned by the cache entry
  reorder = isInput ? dnnl::reorder(user, inner) : dnnl::reorder(inner, user);
}

void Staged::bind(const void *data) {
  user.set_data_handle(const_cast<void *>(data));
}

void Staged::load(Context &ctx) {
  if (reorder)
    reorder->execute(ctx.stream, user, inner);
}

void Staged::store(Context &ctx) {
  if (reorder)
    reorder->execute(ctx.stream, inner, user);
}

} // namespace kiln::dnnl_context
