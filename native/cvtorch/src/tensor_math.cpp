// Element-wise arithmetic, comparisons, activations, reductions, matmul and in-place updates.
#include "common.h"

using cvt::ints;
using cvt::unwrap;

static c10::optional<at::Scalar> bound(int has, double value) {
  if (!has) return c10::nullopt;
  return at::Scalar(value);
}

CVT_API int cvt_add(cvt_tensor a, cvt_tensor b, double alpha, cvt_tensor* out) { CVT_RETURN(at::add(unwrap(a), unwrap(b), alpha)) }
CVT_API int cvt_sub(cvt_tensor a, cvt_tensor b, double alpha, cvt_tensor* out) { CVT_RETURN(at::sub(unwrap(a), unwrap(b), alpha)) }
CVT_API int cvt_mul(cvt_tensor a, cvt_tensor b, cvt_tensor* out) { CVT_RETURN(at::mul(unwrap(a), unwrap(b))) }
CVT_API int cvt_div(cvt_tensor a, cvt_tensor b, cvt_tensor* out) { CVT_RETURN(at::div(unwrap(a), unwrap(b))) }
CVT_API int cvt_add_scalar(cvt_tensor a, double b, cvt_tensor* out) { CVT_RETURN(at::add(unwrap(a), cvt::scalar_for(unwrap(a), b))) }
CVT_API int cvt_mul_scalar(cvt_tensor a, double b, cvt_tensor* out) { CVT_RETURN(at::mul(unwrap(a), cvt::scalar_for(unwrap(a), b))) }
CVT_API int cvt_div_scalar(cvt_tensor a, double b, cvt_tensor* out) { CVT_RETURN(at::div(unwrap(a), b)) }
CVT_API int cvt_rsub_scalar(cvt_tensor a, double b, cvt_tensor* out) { CVT_RETURN(at::rsub(unwrap(a), cvt::scalar_for(unwrap(a), b))) }
CVT_API int cvt_rdiv_scalar(cvt_tensor a, double b, cvt_tensor* out) { CVT_RETURN(at::mul(at::reciprocal(unwrap(a)), b)) }
CVT_API int cvt_neg(cvt_tensor a, cvt_tensor* out) { CVT_RETURN(at::neg(unwrap(a))) }
CVT_API int cvt_pow(cvt_tensor a, cvt_tensor b, cvt_tensor* out) { CVT_RETURN(at::pow(unwrap(a), unwrap(b))) }
CVT_API int cvt_pow_scalar(cvt_tensor a, double exponent, cvt_tensor* out) { CVT_RETURN(at::pow(unwrap(a), exponent)) }

CVT_API int cvt_exp(cvt_tensor a, cvt_tensor* out) { CVT_RETURN(at::exp(unwrap(a))) }
CVT_API int cvt_log(cvt_tensor a, cvt_tensor* out) { CVT_RETURN(at::log(unwrap(a))) }
CVT_API int cvt_sqrt(cvt_tensor a, cvt_tensor* out) { CVT_RETURN(at::sqrt(unwrap(a))) }
CVT_API int cvt_abs(cvt_tensor a, cvt_tensor* out) { CVT_RETURN(at::abs(unwrap(a))) }
CVT_API int cvt_sigmoid(cvt_tensor a, cvt_tensor* out) { CVT_RETURN(at::sigmoid(unwrap(a))) }
CVT_API int cvt_tanh(cvt_tensor a, cvt_tensor* out) { CVT_RETURN(at::tanh(unwrap(a))) }
CVT_API int cvt_relu(cvt_tensor a, cvt_tensor* out) { CVT_RETURN(at::relu(unwrap(a))) }
CVT_API int cvt_leaky_relu(cvt_tensor a, double negative_slope, cvt_tensor* out) { CVT_RETURN(at::leaky_relu(unwrap(a), negative_slope)) }
CVT_API int cvt_softmax(cvt_tensor a, int64_t dim, cvt_tensor* out) { CVT_RETURN(at::softmax(unwrap(a), dim)) }
CVT_API int cvt_log_softmax(cvt_tensor a, int64_t dim, cvt_tensor* out) { CVT_RETURN(at::log_softmax(unwrap(a), dim)) }
CVT_API int cvt_matmul(cvt_tensor a, cvt_tensor b, cvt_tensor* out) { CVT_RETURN(at::matmul(unwrap(a), unwrap(b))) }

CVT_API int cvt_eq(cvt_tensor a, cvt_tensor b, cvt_tensor* out) { CVT_RETURN(at::eq(unwrap(a), unwrap(b))) }
CVT_API int cvt_ne(cvt_tensor a, cvt_tensor b, cvt_tensor* out) { CVT_RETURN(at::ne(unwrap(a), unwrap(b))) }
CVT_API int cvt_lt(cvt_tensor a, cvt_tensor b, cvt_tensor* out) { CVT_RETURN(at::lt(unwrap(a), unwrap(b))) }
CVT_API int cvt_le(cvt_tensor a, cvt_tensor b, cvt_tensor* out) { CVT_RETURN(at::le(unwrap(a), unwrap(b))) }
CVT_API int cvt_gt(cvt_tensor a, cvt_tensor b, cvt_tensor* out) { CVT_RETURN(at::gt(unwrap(a), unwrap(b))) }
CVT_API int cvt_ge(cvt_tensor a, cvt_tensor b, cvt_tensor* out) { CVT_RETURN(at::ge(unwrap(a), unwrap(b))) }
CVT_API int cvt_eq_scalar(cvt_tensor a, double b, cvt_tensor* out) { CVT_RETURN(at::eq(unwrap(a), b)) }
CVT_API int cvt_ne_scalar(cvt_tensor a, double b, cvt_tensor* out) { CVT_RETURN(at::ne(unwrap(a), b)) }
CVT_API int cvt_lt_scalar(cvt_tensor a, double b, cvt_tensor* out) { CVT_RETURN(at::lt(unwrap(a), b)) }
CVT_API int cvt_le_scalar(cvt_tensor a, double b, cvt_tensor* out) { CVT_RETURN(at::le(unwrap(a), b)) }
CVT_API int cvt_gt_scalar(cvt_tensor a, double b, cvt_tensor* out) { CVT_RETURN(at::gt(unwrap(a), b)) }
CVT_API int cvt_ge_scalar(cvt_tensor a, double b, cvt_tensor* out) { CVT_RETURN(at::ge(unwrap(a), b)) }

CVT_API int cvt_where(cvt_tensor condition, cvt_tensor a, cvt_tensor b, cvt_tensor* out) {
  CVT_RETURN(at::where(unwrap(condition), unwrap(a), unwrap(b)))
}

CVT_API int cvt_clamp(cvt_tensor a, int has_min, double min, int has_max, double max, cvt_tensor* out) {
  CVT_RETURN(at::clamp(unwrap(a), bound(has_min, min), bound(has_max, max)))
}

CVT_API int cvt_sum(cvt_tensor a, const int64_t* dims, int ndims, int keepdim, cvt_tensor* out) {
  CVT_RETURN(ndims == 0 ? at::sum(unwrap(a)) : at::sum(unwrap(a), ints(dims, ndims), keepdim != 0))
}

CVT_API int cvt_mean(cvt_tensor a, const int64_t* dims, int ndims, int keepdim, cvt_tensor* out) {
  CVT_RETURN(ndims == 0 ? at::mean(unwrap(a)) : at::mean(unwrap(a), ints(dims, ndims), keepdim != 0))
}

CVT_API int cvt_max_all(cvt_tensor a, cvt_tensor* out) { CVT_RETURN(at::max(unwrap(a))) }
CVT_API int cvt_min_all(cvt_tensor a, cvt_tensor* out) { CVT_RETURN(at::min(unwrap(a))) }

CVT_API int cvt_max_dim(cvt_tensor a, int64_t dim, int keepdim, cvt_tensor* values, cvt_tensor* indices) {
  CVT_GUARD({
    auto result = at::max(unwrap(a), dim, keepdim != 0);
    *values = cvt::wrap(std::get<0>(result));
    *indices = cvt::wrap(std::get<1>(result));
  })
}

CVT_API int cvt_min_dim(cvt_tensor a, int64_t dim, int keepdim, cvt_tensor* values, cvt_tensor* indices) {
  CVT_GUARD({
    auto result = at::min(unwrap(a), dim, keepdim != 0);
    *values = cvt::wrap(std::get<0>(result));
    *indices = cvt::wrap(std::get<1>(result));
  })
}

CVT_API int cvt_argmax(cvt_tensor a, int has_dim, int64_t dim, int keepdim, cvt_tensor* out) {
  CVT_RETURN(has_dim ? at::argmax(unwrap(a), dim, keepdim != 0) : at::argmax(unwrap(a)))
}

CVT_API int cvt_norm(cvt_tensor a, double p, cvt_tensor* out) { CVT_RETURN(at::norm(unwrap(a), p)) }

CVT_API int cvt_add_(cvt_tensor self, cvt_tensor other, double alpha) { CVT_GUARD(unwrap(self).add_(unwrap(other), alpha)) }
CVT_API int cvt_mul_scalar_(cvt_tensor self, double value) { CVT_GUARD(unwrap(self).mul_(cvt::scalar_for(unwrap(self), value))) }
CVT_API int cvt_add_scalar_(cvt_tensor self, double value) { CVT_GUARD(unwrap(self).add_(cvt::scalar_for(unwrap(self), value))) }
CVT_API int cvt_addcmul_(cvt_tensor self, cvt_tensor a, cvt_tensor b, double value) {
  CVT_GUARD(unwrap(self).addcmul_(unwrap(a), unwrap(b), value))
}
CVT_API int cvt_addcdiv_(cvt_tensor self, cvt_tensor a, cvt_tensor b, double value) {
  CVT_GUARD(unwrap(self).addcdiv_(unwrap(a), unwrap(b), value))
}
CVT_API int cvt_copy_(cvt_tensor self, cvt_tensor src) { CVT_GUARD(unwrap(self).copy_(unwrap(src))) }
CVT_API int cvt_fill_(cvt_tensor self, double value) { CVT_GUARD(unwrap(self).fill_(value)) }
CVT_API int cvt_relu_(cvt_tensor self) { CVT_GUARD(at::relu_(unwrap(self))) }
CVT_API int cvt_zero_(cvt_tensor self) { CVT_GUARD(unwrap(self).zero_()) }
CVT_API int cvt_clamp_(cvt_tensor self, int has_min, double min, int has_max, double max) {
  CVT_GUARD(unwrap(self).clamp_(bound(has_min, min), bound(has_max, max)))
}
CVT_API int cvt_uniform_(cvt_tensor self, double from, double to) { CVT_GUARD(unwrap(self).uniform_(from, to)) }
CVT_API int cvt_normal_(cvt_tensor self, double mean, double std) { CVT_GUARD(unwrap(self).normal_(mean, std)) }
