// Loss functions with PyTorch's reduction semantics.
#include "common.h"

using cvt::optional;
using cvt::reduction;
using cvt::unwrap;

CVT_API int cvt_nll_loss(cvt_tensor input, cvt_tensor target, cvt_tensor weight, int reduction_code,
                         int64_t ignore_index, cvt_tensor* out) {
  CVT_RETURN(at::nll_loss_nd(unwrap(input), unwrap(target), optional(weight), reduction(reduction_code), ignore_index))
}

CVT_API int cvt_cross_entropy(cvt_tensor input, cvt_tensor target, cvt_tensor weight, int reduction_code,
                              int64_t ignore_index, double label_smoothing, cvt_tensor* out) {
  CVT_RETURN(at::cross_entropy_loss(unwrap(input), unwrap(target), optional(weight), reduction(reduction_code),
                                    ignore_index, label_smoothing))
}

CVT_API int cvt_bce_with_logits(cvt_tensor input, cvt_tensor target, cvt_tensor weight, cvt_tensor pos_weight,
                                int reduction_code, cvt_tensor* out) {
  CVT_RETURN(at::binary_cross_entropy_with_logits(unwrap(input), unwrap(target), optional(weight),
                                                  optional(pos_weight), reduction(reduction_code)))
}

CVT_API int cvt_l1_loss(cvt_tensor input, cvt_tensor target, int reduction_code, cvt_tensor* out) {
  CVT_RETURN(at::l1_loss(unwrap(input), unwrap(target), reduction(reduction_code)))
}

CVT_API int cvt_mse_loss(cvt_tensor input, cvt_tensor target, int reduction_code, cvt_tensor* out) {
  CVT_RETURN(at::mse_loss(unwrap(input), unwrap(target), reduction(reduction_code)))
}

CVT_API int cvt_smooth_l1_loss(cvt_tensor input, cvt_tensor target, int reduction_code, double beta, cvt_tensor* out) {
  CVT_RETURN(at::smooth_l1_loss(unwrap(input), unwrap(target), reduction(reduction_code), beta))
}
