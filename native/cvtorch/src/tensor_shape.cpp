// Views, reshapes, joins, padding, copies and device/dtype moves.
#include "common.h"

using cvt::ints;
using cvt::unwrap;
namespace F = torch::nn::functional;

CVT_API int cvt_reshape(cvt_tensor t, const int64_t* shape, int ndim, cvt_tensor* out) {
  CVT_RETURN(unwrap(t).reshape(ints(shape, ndim)))
}

CVT_API int cvt_view(cvt_tensor t, const int64_t* shape, int ndim, cvt_tensor* out) {
  CVT_RETURN(unwrap(t).view(ints(shape, ndim)))
}

CVT_API int cvt_permute(cvt_tensor t, const int64_t* dims, int ndim, cvt_tensor* out) {
  CVT_RETURN(unwrap(t).permute(ints(dims, ndim)))
}

CVT_API int cvt_transpose(cvt_tensor t, int64_t dim0, int64_t dim1, cvt_tensor* out) {
  CVT_RETURN(unwrap(t).transpose(dim0, dim1))
}

CVT_API int cvt_narrow(cvt_tensor t, int64_t dim, int64_t start, int64_t length, cvt_tensor* out) {
  CVT_RETURN(unwrap(t).narrow(dim, start, length))
}

CVT_API int cvt_select(cvt_tensor t, int64_t dim, int64_t index, cvt_tensor* out) {
  CVT_RETURN(unwrap(t).select(dim, index))
}

CVT_API int cvt_squeeze(cvt_tensor t, int64_t dim, cvt_tensor* out) { CVT_RETURN(unwrap(t).squeeze(dim)) }

CVT_API int cvt_unsqueeze(cvt_tensor t, int64_t dim, cvt_tensor* out) { CVT_RETURN(unwrap(t).unsqueeze(dim)) }

CVT_API int cvt_expand(cvt_tensor t, const int64_t* shape, int ndim, cvt_tensor* out) {
  CVT_RETURN(unwrap(t).expand(ints(shape, ndim)))
}

CVT_API int cvt_as_strided(cvt_tensor t, const int64_t* shape, const int64_t* strides, int ndim, int64_t offset,
                           cvt_tensor* out) {
  CVT_RETURN(unwrap(t).as_strided(ints(shape, ndim), ints(strides, ndim), offset))
}

static std::vector<at::Tensor> tensor_list(const cvt_tensor* tensors, int count) {
  std::vector<at::Tensor> list;
  list.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) list.push_back(unwrap(tensors[i]));
  return list;
}

CVT_API int cvt_cat(const cvt_tensor* tensors, int count, int64_t dim, cvt_tensor* out) {
  CVT_RETURN(at::cat(tensor_list(tensors, count), dim))
}

CVT_API int cvt_stack(const cvt_tensor* tensors, int count, int64_t dim, cvt_tensor* out) {
  CVT_RETURN(at::stack(tensor_list(tensors, count), dim))
}

CVT_API int cvt_flip(cvt_tensor t, const int64_t* dims, int ndim, cvt_tensor* out) {
  CVT_RETURN(unwrap(t).flip(ints(dims, ndim)))
}

// mode: 0 constant, 1 reflect, 2 replicate, 3 circular.
CVT_API int cvt_pad(cvt_tensor t, const int64_t* pads, int npads, int mode, double value, cvt_tensor* out) {
  CVT_GUARD({
    auto options = F::PadFuncOptions(std::vector<int64_t>(pads, pads + npads));
    switch (mode) {
      case 0: options.mode(torch::kConstant).value(value); break;
      case 1: options.mode(torch::kReflect); break;
      case 2: options.mode(torch::kReplicate); break;
      case 3: options.mode(torch::kCircular); break;
      default: throw std::invalid_argument("unknown padding mode " + std::to_string(mode));
    }
    *out = cvt::wrap(F::pad(unwrap(t), options));
  })
}

CVT_API int cvt_contiguous(cvt_tensor t, cvt_tensor* out) { CVT_RETURN(unwrap(t).contiguous()) }

CVT_API int cvt_to_mkldnn(cvt_tensor t, cvt_tensor* out) { CVT_RETURN(unwrap(t).to_mkldnn()) }

CVT_API int cvt_to_dense(cvt_tensor t, cvt_tensor* out) { CVT_RETURN(unwrap(t).to_dense()) }

CVT_API int cvt_clone(cvt_tensor t, cvt_tensor* out) { CVT_RETURN(unwrap(t).clone()) }

CVT_API int cvt_detach(cvt_tensor t, cvt_tensor* out) { CVT_RETURN(unwrap(t).detach()) }

CVT_API int cvt_alias(cvt_tensor t, cvt_tensor* out) { CVT_RETURN(unwrap(t)) }

CVT_API int cvt_to(cvt_tensor t, int device_type, int device_index, int dtype, int copy, cvt_tensor* out) {
  CVT_GUARD({
    at::Device device(static_cast<c10::DeviceType>(device_type), static_cast<c10::DeviceIndex>(device_index));
    if (device.is_cuda() && !torch::cuda::is_available())
      throw std::runtime_error("CUDA was requested but the linked libtorch has no CUDA support or no GPU is visible");
    *out = cvt::wrap(unwrap(t).to(device, cvt::scalar_type(dtype), /*non_blocking=*/false, copy != 0));
  })
}

CVT_API int cvt_set_data(cvt_tensor self, cvt_tensor source) { CVT_GUARD(unwrap(self).set_data(unwrap(source))) }
