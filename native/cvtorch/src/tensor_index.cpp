// Index-driven reads and accumulations: index_select, gather, scatter_add, index_add.
#include "common.h"

using cvt::unwrap;

CVT_API int cvt_index_select(cvt_tensor t, int64_t dim, cvt_tensor index, cvt_tensor* out) {
  CVT_RETURN(at::index_select(unwrap(t), dim, unwrap(index)))
}

CVT_API int cvt_gather(cvt_tensor t, int64_t dim, cvt_tensor index, cvt_tensor* out) {
  CVT_RETURN(at::gather(unwrap(t), dim, unwrap(index)))
}

CVT_API int cvt_scatter_add(cvt_tensor t, int64_t dim, cvt_tensor index, cvt_tensor src, cvt_tensor* out) {
  CVT_RETURN(at::scatter_add(unwrap(t), dim, unwrap(index), unwrap(src)))
}

CVT_API int cvt_index_add(cvt_tensor t, int64_t dim, cvt_tensor index, cvt_tensor src, double alpha, cvt_tensor* out) {
  CVT_RETURN(at::index_add(unwrap(t), dim, unwrap(index), unwrap(src), alpha))
}
